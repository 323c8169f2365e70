// ModelArts resource types, with the wire's field names (snake_case) so a body and its type read alike.
// Parsers fill these from untrusted JSON; anything the API may leave out is optional.

/**
 * A documented enum value, or an undocumented one kept as received. The parser records the undocumented
 * value in `problems`, so the tree can mark that row while still showing what the API said.
 */
export type OpenEnum<T extends string> = T | (string & Record<never, never>);

export type JsonObject = Record<string, unknown>;

/** What a parser could not make sense of in one item, e.g. `missing id`, `unknown status 'WEIRD'`. */
export interface Parsed {
  problems?: string[];
}

/** An action's answer; `confirmedByReread` when the POST failed uncertainly and a re-read showed it took. */
export type ActionOutcome<T> = T & { confirmedByReread?: true };

// ---------------------------------------------------------------- enums

export const WORKSPACE_STATUSES = ['NORMAL', 'CREATE_FAILED', 'DELETING', 'DELETE_FAILED'] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

export const WORKSPACE_AUTH_TYPES = ['PUBLIC', 'PRIVATE', 'INTERNAL'] as const;
export type WorkspaceAuthType = (typeof WORKSPACE_AUTH_TYPES)[number];

export const TRAINING_PHASES = ['Creating', 'Pending', 'Running', 'Failed', 'Completed', 'Terminating', 'Terminated', 'Abnormal'] as const;
export type TrainingPhase = (typeof TRAINING_PHASES)[number];

export const SECONDARY_PHASES = [
  'Creating',
  'Queuing',
  'Running',
  'Failed',
  'Completed',
  'Terminating',
  'Terminated',
  'CreateFailed',
  'TerminatedFailed',
  'Unknown',
  'Lost',
] as const;
export type SecondaryPhase = (typeof SECONDARY_PHASES)[number];

export const SAVE_IMAGE_STATUSES = ['INIT', 'CREATING', 'ACTIVE', 'CREATE_FAILED'] as const;
export type SaveImageStatus = (typeof SAVE_IMAGE_STATUSES)[number];

export const TRAINING_EVENT_LEVELS = ['Info', 'Error', 'Warning'] as const;
export type TrainingEventLevel = (typeof TRAINING_EVENT_LEVELS)[number];

export const TRAINING_FLAVOR_TYPES = ['CPU', 'GPU', 'Ascend'] as const;
export type TrainingFlavorType = (typeof TRAINING_FLAVOR_TYPES)[number];

export const NOTEBOOK_STATUSES = [
  'INIT',
  'CREATING',
  'STARTING',
  'STOPPING',
  'DELETING',
  'RUNNING',
  'STOPPED',
  'SNAPSHOTTING',
  'CREATE_FAILED',
  'START_FAILED',
  'DELETE_FAILED',
  'ERROR',
  'DELETED',
  'FROZEN',
] as const;
export type NotebookStatus = (typeof NOTEBOOK_STATUSES)[number];

export const LEASE_TYPES = ['TIMING', 'IDLE'] as const;
export type LeaseType = (typeof LEASE_TYPES)[number];

export const IMAGE_TYPES = ['BUILD_IN', 'DEDICATED'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const IMAGE_STATUSES = ['INIT', 'CREATING', 'CREATE_FAILED', 'ERROR', 'DELETED', 'ACTIVE'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const VOLUME_CATEGORIES = ['SFS', 'EVS', 'OBS', 'OBSFS', 'EFS'] as const;
export type VolumeCategory = (typeof VOLUME_CATEGORIES)[number];

export const VOLUME_OWNERSHIPS = ['MANAGED', 'DEDICATED'] as const;
export type VolumeOwnership = (typeof VOLUME_OWNERSHIPS)[number];

export const WORKFLOW_STATUSES = ['abnormal', 'never_executed', 'init', 'running', 'completed', 'stopped'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const EXECUTION_STATUSES = ['init', 'running', 'completed', 'stopped', 'abnormal'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const STEP_STATUSES = [
  'init',
  'wait_inputs',
  'pending',
  'creating',
  'created',
  'create_failed',
  'running',
  'stopping',
  'stopped',
  'timeout',
  'completed',
  'failed',
  'hold',
  'skipped',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type ExecutionActionName = 'stop' | 'rerun';
export type StepActionName = 'stop' | 'retry' | 'continue';

export const APP_TYPES = ['APIC', 'APIG', 'DEDICATE_APIG'] as const;
export type AppType = (typeof APP_TYPES)[number];

export type SortOrder = 'asc' | 'desc';

// ---------------------------------------------------------------- workspaces

export interface WorkspaceGrant {
  user_id?: string;
  user_name?: string;
  user_type?: string;
}

export interface Workspace extends Parsed {
  /** Always a string here; the API sends the default workspace's id as the number 0 in one example. */
  id: string;
  name: string;
  description?: string;
  owner?: string;
  create_time?: number;
  update_time?: number;
  auth_type?: OpenEnum<WorkspaceAuthType>;
  enterprise_project_id?: string;
  enterprise_project_name?: string;
  status?: OpenEnum<WorkspaceStatus>;
  status_info?: string;
  grants?: WorkspaceGrant[];
}

export interface WorkspaceQuota extends Parsed {
  resource: string;
  /** -1 means unlimited. */
  quota?: number;
  /** null when the quota is unlimited. */
  used_quota?: number | null;
  min_quota?: number;
  max_quota?: number;
  name_en?: string;
  name_cn?: string;
  unit_en?: string;
  unit_cn?: string;
  update_time?: number;
}

export interface WorkspaceQuotaUpdate {
  resource: string;
  quota: number;
}

// ---------------------------------------------------------------- training jobs

export interface TrainingJobMetadata {
  id: string;
  name: string;
  workspace_id?: string;
  description?: string;
  create_time?: number;
  user_name?: string;
  annotations?: Record<string, string>;
}

export interface TaskStatus {
  task?: string;
  exit_code?: number;
  message?: string;
}

export interface RunningRecord {
  start_at?: number;
  end_at?: number;
  xpu_start_at?: number;
  start_type?: string;
  end_reason?: string;
  end_related_task?: string;
  end_recover?: string;
  end_recover_before_downgrade?: string;
}

export interface TrainingJobStatus {
  phase?: OpenEnum<TrainingPhase>;
  secondary_phase?: OpenEnum<SecondaryPhase>;
  /** Milliseconds. */
  duration?: number;
  start_time?: number;
  /** `[timestamp ms, node count]` pairs, or null. */
  node_count_metrics?: [number, number][] | null;
  /** Task names, e.g. `worker-0`; these are the task ids of the log and save-image calls. */
  tasks: string[];
  task_statuses?: TaskStatus[];
  running_records?: RunningRecord[];
}

export interface TrainingEngineRef {
  engine_id?: string;
  engine_name?: string;
  engine_version?: string;
  image_url?: string;
}

export interface TrainingAlgorithm {
  id?: string;
  name?: string;
  code_dir?: string;
  boot_file?: string;
  command?: string;
  engine?: TrainingEngineRef;
  /** Kept as received: shown in details, not interpreted. */
  parameters?: JsonObject[];
  inputs?: JsonObject[];
  outputs?: JsonObject[];
  /** Environment variables, merged into one map whichever documented shape came (a map or a list of maps). */
  environments?: Record<string, string>;
}

export interface TrainingResource {
  policy?: string;
  flavor_id?: string;
  flavor_name?: string;
  node_count?: number;
  pool_id?: string;
  flavor_detail?: JsonObject;
}

export interface TrainingSpec {
  resource?: TrainingResource;
  log_export_path?: JsonObject;
  volumes?: JsonObject[];
}

export interface TrainingJob extends Parsed {
  kind?: string;
  metadata: TrainingJobMetadata;
  status: TrainingJobStatus;
  algorithm?: TrainingAlgorithm;
  spec?: TrainingSpec;
  endpoints?: JsonObject;
}

/** The create body (`Job`). Only what the client checks is typed; the rest passes through as given. */
export interface TrainingJobCreateRequest {
  kind: string;
  metadata: { name: string; workspace_id?: string; description?: string; annotations?: Record<string, string> } & JsonObject;
  algorithm?: JsonObject;
  spec?: JsonObject;
  [field: string]: unknown;
}

export interface TrainingJobTag {
  key: string;
  /** One value, as the SDK model has it. */
  value?: string;
  /** Values merged under one key, as the manual's CombineTmsTags has it. */
  values?: string[];
}

export interface TrainingJobTagInput {
  key: string;
  value: string;
}

export interface SaveImageJob extends Parsed {
  name?: string;
  namespace?: string;
  tag?: string;
  description?: string;
  status?: OpenEnum<SaveImageStatus>;
  /** Build output. */
  message?: string;
  /** UTC ms. */
  create_time?: number;
}

export interface SaveImageRequest {
  name: string;
  namespace: string;
  /** Sent as a string; a number (the manual's example has 0.1) is accepted. Defaults to `latest`. */
  tag?: string | number;
  description?: string;
}

export interface TrainingLogPreview {
  content: string;
  /** Bytes in `content`. */
  current_size?: number;
  /** Bytes of the whole log. */
  full_size?: number;
  /** The service said the log cannot be fetched yet (ModelArts.2776). */
  notReady?: true;
}

export interface TrainingJobEvent extends Parsed {
  time?: string;
  level?: OpenEnum<TrainingEventLevel>;
  message: string;
  source?: string;
}

export interface TrainingTask extends Parsed {
  task: string;
  ip?: string;
  host_ip?: string;
  schedule_count?: number;
}

export interface TrainingFlavor extends Parsed {
  flavor_id: string;
  flavor_name?: string;
  flavor_type?: OpenEnum<TrainingFlavorType>;
  pool_id?: string;
  billing?: JsonObject;
  flavor_info?: JsonObject;
  /** 1 = no distributed training. */
  max_num?: number;
}

export interface TrainingEngine extends Parsed {
  engine_id: string;
  engine_name?: string;
  engine_version?: string;
  v1_compatible?: boolean;
  run_user?: string;
  image_info?: { cpu_image_url?: string; gpu_image_url?: string; image_version?: string };
}

// ---------------------------------------------------------------- notebooks

export interface NotebookLease extends Parsed {
  /** ms epoch */
  create_at?: number;
  update_at?: number;
  /** ms from `create_at` (the instance's creation) to the auto-stop; -1 without auto-stop. */
  duration?: number;
  enable?: boolean;
  type?: OpenEnum<LeaseType>;
}

export interface NotebookImageRef {
  id?: string;
  name?: string;
  swr_path?: string;
  tag?: string;
  type?: OpenEnum<ImageType>;
  arch?: string;
  description?: string;
}

export interface NotebookVolume {
  category?: OpenEnum<VolumeCategory>;
  ownership?: OpenEnum<VolumeOwnership>;
  /** GB */
  capacity?: number;
  mount_path?: string;
  status?: string;
  uri?: string;
  id?: string;
}

export interface NotebookEndpoint {
  service?: string;
  dev_service?: string;
  uri?: string;
  key_pair_names?: string[];
  allowed_access_ips?: string[];
}

/** A notebook's SSH endpoint: the `endpoints[]` entry whose service (or dev_service) is SSH. */
export interface NotebookSshEndpoint {
  /** Absent until the instance runs; the format is not pinned down (see src/ssh/uri.ts). */
  uri?: string;
  keyPairNames: string[];
}

export interface NotebookActionProgress {
  step?: number;
  status?: string;
  description?: string;
}

export interface Notebook extends Parsed {
  id: string;
  name: string;
  description?: string;
  status?: OpenEnum<NotebookStatus>;
  fail_reason?: string;
  feature?: string;
  flavor?: string;
  workspace_id?: string;
  url?: string;
  /** Secret: redact before showing. */
  token?: string;
  ip?: string;
  user_id?: string;
  create_at?: number;
  update_at?: number;
  image?: NotebookImageRef;
  lease?: NotebookLease;
  volume?: NotebookVolume;
  endpoints?: NotebookEndpoint[];
  action_progress?: NotebookActionProgress[];
  pool?: { id?: string; name?: string };
  tags?: { key: string; value?: string }[];
}

export interface NotebookCreateRequest {
  name: string;
  image_id: string;
  volume: { category: string; ownership: string; capacity?: number } & JsonObject;
  flavor?: string;
  feature?: 'NOTEBOOK' | 'DEFAULT';
  description?: string;
  workspace_id?: string;
  pool_id?: string;
  /** Auto-stop in ms (1 h–72 h), or -1 for none. */
  duration?: number;
  lease?: { duration?: number; type?: LeaseType };
  [field: string]: unknown;
}

export interface NotebookImage extends Parsed {
  id: string;
  name: string;
  namespace?: string;
  tag?: string;
  swr_path?: string;
  arch?: string;
  type?: OpenEnum<ImageType>;
  origin?: string;
  dev_services?: string[];
  service_type?: string;
  status?: OpenEnum<ImageStatus>;
  status_message?: string;
  /** KB */
  size?: number;
  create_at?: number;
  update_at?: number;
  visibility?: string;
  workspace_id?: string;
  description?: string;
}

export interface NotebookFlavor extends Parsed {
  id: string;
  name?: string;
  arch?: string;
  category?: string;
  description?: string;
  feature?: string;
  free?: boolean;
  sold_out?: boolean;
  vcpus?: number;
  /** KB in the documented example. */
  memory?: number;
  storages?: string[];
  gpu?: JsonObject;
  billing?: JsonObject;
  evs_max_size?: number;
}

// ---------------------------------------------------------------- workflows

export interface WorkflowStep {
  name: string;
  type?: string;
  title?: string;
  description?: string;
  depend_steps?: string[];
  inputs?: JsonObject[];
  outputs?: JsonObject[];
  properties?: JsonObject;
  policy?: JsonObject;
  created_at?: string;
}

export interface WorkflowLatestExecution {
  execution_id?: string;
  created_at?: string;
  status?: OpenEnum<ExecutionStatus>;
  running_steps?: string[];
  current_steps?: string[];
  duration?: number;
}

export interface Workflow extends Parsed {
  workflow_id: string;
  name: string;
  description?: string;
  /** RFC 3339 with microseconds and an offset. */
  created_at?: string;
  last_modified_at?: string;
  user_name?: string;
  workspace_id?: string;
  status?: OpenEnum<WorkflowStatus>;
  steps?: WorkflowStep[];
  labels?: string[];
  parameters?: JsonObject[];
  data_requirements?: JsonObject[];
  latest_execution?: WorkflowLatestExecution;
  run_count?: number;
  with_subscription?: boolean;
  subscription_id?: string;
  smn_switch?: boolean;
}

export interface StepExecution extends Parsed {
  /** The `step_execution_id` of step actions. */
  uuid: string;
  step_name: string;
  step_title?: string;
  step_uuid?: string;
  execution_name?: string;
  execution_uuid?: string;
  name?: string;
  type?: string;
  /** A JSON string (`"{\"model_id\":\"…\"}"`) or an object, by step type; see `stepInstance()`. */
  instance_id?: string | JsonObject;
  status?: OpenEnum<StepStatus>;
  created_at?: string;
  updated_at?: string;
  /** Seconds in the examples. */
  duration?: number;
  inputs?: JsonObject[];
  outputs?: JsonObject[];
  properties?: JsonObject;
  /** `YYYY-MM-DD HH:MM:SS change status from <old> to <new>` */
  events: string[];
  error_info?: { error_code?: string; error_message?: string };
  policy?: JsonObject;
  conditions_execution?: JsonObject;
}

export interface WorkflowExecution extends Parsed {
  execution_id: string;
  name?: string;
  description?: string;
  status?: OpenEnum<ExecutionStatus>;
  created_at?: string;
  duration?: number;
  workspace_id?: string;
  workflow_id?: string;
  workflow_name?: string;
  scene_id?: string;
  scene_name?: string;
  steps_execution: StepExecution[];
  /** `YYYY-MM-DD HH:MM:SS step <name> change status from <old> to <new>` */
  events: string[];
  labels?: string[];
  data_requirements?: JsonObject[];
  parameters?: JsonObject[];
  policies?: JsonObject;
}

export interface WorkflowSubscription extends Parsed {
  subscription_id: string;
  created_at?: string;
  topic_urns: string[];
  entity?: string;
  events: string[];
}

export interface WorkflowSubscriptionRequest {
  topic_urns: string[];
  entity?: string;
  events?: string[];
}

// ---------------------------------------------------------------- apps

export interface App extends Parsed {
  app_id: string;
  app_name: string;
  app_remark?: string;
  app_key?: string;
  /** Secret: redact before showing. */
  app_secret?: string;
  app_codes?: string[];
  app_type?: OpenEnum<AppType>;
  bounded_api_count?: number;
  created_at?: number;
  updated_at?: number;
  project_id?: string;
  user_id?: string;
}

export interface AppCreateRequest {
  app_name: string;
  app_remark?: string;
  workspace_id?: string;
}
