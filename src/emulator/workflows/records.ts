import type { EmuJsonObject, ResourceFamily } from '../framework';

// The documents the workflow family keeps and shows, and what seeding may do with it.

export type EmuStepStatus =
  | 'init'
  | 'wait_inputs'
  | 'pending'
  | 'creating'
  | 'created'
  | 'create_failed'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'timeout'
  | 'completed'
  | 'failed'
  | 'hold'
  | 'skipped';

export type EmuExecutionStatus = 'init' | 'running' | 'completed' | 'stopped' | 'abnormal';

export interface StepDoc {
  created_at: string;
  uuid: string;
  instance_id?: unknown;
  step_name: string;
  step_title: string;
  status: EmuStepStatus;
  duration: number;
  inputs?: unknown[];
  outputs?: unknown[];
  properties?: EmuJsonObject;
  events: string[];
  policy: EmuJsonObject;
  error_info?: { error_code: string; error_message: string };
}

export interface ExecutionDoc {
  created_at: string;
  name: string;
  execution_id: string;
  description: string;
  status: EmuExecutionStatus;
  workspace_id: string;
  workflow_id: string;
  workflow_name: string;
  steps_execution: StepDoc[];
  duration: number;
  events: string[];
  data_requirements: EmuJsonObject[];
  parameters: EmuJsonObject[];
  policies: EmuJsonObject;
  labels?: string[];
}

export interface WorkflowDoc {
  workflow_id: string;
  name: string;
  description: string;
  created_at: string;
  last_modified_at: string;
  user_name: string;
  workspace_id: string;
  steps: EmuJsonObject[];
  data_requirements: EmuJsonObject[];
  data: EmuJsonObject[];
  parameters: EmuJsonObject[];
  labels: string[];
  storages: EmuJsonObject[];
  sub_graphs: EmuJsonObject[];
  latest_execution?: EmuJsonObject;
  run_count: number;
  param_ready: boolean;
  with_subscription: boolean;
  smn_switch: boolean;
  subscription_id?: string;
}

export interface SubscriptionDoc {
  created_at: string;
  subscription_id: string;
  topic_urns: string[];
  entity: string;
  events: string[];
}

/** What a seed asks for when it runs an execution through the state machine. */
export interface SeedRun {
  name: string;
  createdMs: number;
  /** Steps that fail, with the number of attempts that fail. */
  failures?: Record<string, number>;
  /** Per-step run time overrides (ms). */
  runMs?: Record<string, number>;
  /** Stops the execution at this time. */
  stopAt?: number;
  /** How long the execution stays `init` (default WORKFLOW_TIMINGS.startMs). */
  startDelayMs?: number;
  parameters?: EmuJsonObject[];
}

/** A fixture execution: its doc as given, plus the hidden steps that have not started yet. */
export interface SeedFixtureExecution {
  doc: ExecutionDoc;
  createdMs: number;
  /** Steps not listed in the doc (status `init`), by step name and uuid. */
  hiddenSteps?: Array<{ name: string; uuid: string; createdAt: string }>;
}

/** The seed's view of the family. */
export interface WorkflowsSeedTarget {
  seedWorkflow(doc: WorkflowDoc, createdMs: number): void;
  seedRun(workflowId: string, run: SeedRun): void;
  seedFixtureExecution(workflowId: string, input: SeedFixtureExecution, now: number): void;
  seedSubscription(workflowId: string, doc: SubscriptionDoc): void;
  runDue(now: number): void;
  /** Ids of objects created while seeding are stable; after this call they are random. */
  endSeeding(): void;
}

export interface WorkflowsFamily extends ResourceFamily {
  /** The step `stepName` of that execution fails its next `times` attempts. */
  failStep(executionId: string, stepName: string, times?: number): void;
  /** The execution doc as the API would show it now, or undefined. */
  getExecution(executionId: string): ExecutionDoc | undefined;
  /** Number of workflows. */
  workflowCount(): number;
}
