// Training jobs: the job, its tasks, tags, events and log preview, saved images, flavors and engines.

import type { OpenEnum, JsonObject, Parsed } from './common';

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

/** The resource metrics the service documents, one average per minute each. */
export const TRAINING_METRIC_NAMES = ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage', 'npuUtil', 'npuMemUsage'] as const;
export type TrainingMetricName = (typeof TRAINING_METRIC_NAMES)[number];

/**
 * A task's metrics: per metric one value per minute from the job's start, `null` where the service has no
 * data (-1), never 0; `notReady` while there is nothing yet (ModelArts.2777, an empty answer, empty series).
 */
export type TrainingMetrics = { status: 'ready'; series: Record<string, (number | null)[]> } | { status: 'notReady' };

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
