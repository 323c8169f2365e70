// Workflows: the workflow, its executions and their steps, and its subscriptions.

import type { OpenEnum, JsonObject, Parsed } from './common';

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
