import type { ExecutionActionName, StepActionName } from './types';

// What each state of each resource kind means, in one place: its category (how the tree draws it), whether it
// still moves on its own (the tree polls it, a watch re-reads it), and the actions it allows. The tree's icons
// and polling, the watches, the pickers and the action checks all read these tables; the words a user reads
// for a state are in common/stateWords.ts. States are matched exactly as the API spells them. The emulator
// keeps its own state lists (it is an independent oracle); a test compares them with these tables.

export type StatusCategory = 'running' | 'transitional' | 'pending' | 'completed' | 'failed' | 'stopped' | 'idle' | 'normal' | 'unknown';

export interface StateMeaning<A extends string = never> {
  readonly category: StatusCategory;
  /** Still changing on its own: polled while in view, re-read by a watch until it is not. */
  readonly moving: boolean;
  /** The actions the state allows. */
  readonly actions?: readonly A[];
}

export type Lifecycle<A extends string = never> = Readonly<Record<string, StateMeaning<A>>>;

export const WORKSPACE_LIFECYCLE: Lifecycle = {
  NORMAL: { category: 'normal', moving: false },
  DELETING: { category: 'transitional', moving: true },
  CREATE_FAILED: { category: 'failed', moving: false },
  DELETE_FAILED: { category: 'failed', moving: false },
};

export type TrainingJobActionName = 'stop' | 'saveImage';

export const TRAINING_JOB_LIFECYCLE: Lifecycle<TrainingJobActionName> = {
  Creating: { category: 'transitional', moving: true, actions: ['stop'] },
  Pending: { category: 'pending', moving: true, actions: ['stop'] },
  Running: { category: 'running', moving: true, actions: ['stop', 'saveImage'] },
  Terminating: { category: 'transitional', moving: true },
  Completed: { category: 'completed', moving: false },
  Failed: { category: 'failed', moving: false },
  Abnormal: { category: 'failed', moving: false },
  Terminated: { category: 'stopped', moving: false },
};

export type NotebookActionName = 'start' | 'stop' | 'extendLease' | 'openInBrowser';

// Assumption for start and stop (the reference lists the refusals, 6305–6308, not a table): start from a
// stopped or failed start; stop a running or starting instance.
export const NOTEBOOK_LIFECYCLE: Lifecycle<NotebookActionName> = {
  INIT: { category: 'pending', moving: true },
  CREATING: { category: 'transitional', moving: true },
  STARTING: { category: 'transitional', moving: true, actions: ['stop'] },
  STOPPING: { category: 'transitional', moving: true },
  DELETING: { category: 'transitional', moving: true },
  SNAPSHOTTING: { category: 'transitional', moving: true },
  // Running is a steady state for a notebook: it changes only by action or when its lease ends.
  RUNNING: { category: 'running', moving: false, actions: ['stop', 'extendLease', 'openInBrowser'] },
  STOPPED: { category: 'stopped', moving: false, actions: ['start'] },
  DELETED: { category: 'stopped', moving: false },
  FROZEN: { category: 'stopped', moving: false },
  CREATE_FAILED: { category: 'failed', moving: false },
  START_FAILED: { category: 'failed', moving: false, actions: ['start'] },
  DELETE_FAILED: { category: 'failed', moving: false },
  ERROR: { category: 'failed', moving: false },
};

export const EXECUTION_LIFECYCLE: Lifecycle<ExecutionActionName> = {
  init: { category: 'pending', moving: true, actions: ['stop'] },
  running: { category: 'running', moving: true, actions: ['stop'] },
  completed: { category: 'completed', moving: false, actions: ['rerun'] },
  stopped: { category: 'stopped', moving: false, actions: ['rerun'] },
  abnormal: { category: 'failed', moving: false, actions: ['rerun'] },
};

/** A workflow shows its latest execution's state, or that it never ran. */
export const WORKFLOW_LIFECYCLE: Lifecycle = {
  never_executed: { category: 'idle', moving: false },
  init: { category: 'pending', moving: true },
  running: { category: 'running', moving: true },
  completed: { category: 'completed', moving: false },
  stopped: { category: 'stopped', moving: false },
  abnormal: { category: 'failed', moving: false },
};

export const STEP_LIFECYCLE: Lifecycle<StepActionName> = {
  init: { category: 'pending', moving: true },
  wait_inputs: { category: 'pending', moving: true, actions: ['stop', 'continue'] },
  pending: { category: 'pending', moving: true, actions: ['stop'] },
  creating: { category: 'transitional', moving: true, actions: ['stop'] },
  created: { category: 'transitional', moving: true, actions: ['stop'] },
  running: { category: 'running', moving: true, actions: ['stop'] },
  stopping: { category: 'transitional', moving: true },
  // Waits for the user (continue or stop): nothing changes on its own.
  hold: { category: 'pending', moving: false, actions: ['stop', 'continue'] },
  skipped: { category: 'idle', moving: false },
  stopped: { category: 'stopped', moving: false, actions: ['retry'] },
  completed: { category: 'completed', moving: false },
  failed: { category: 'failed', moving: false, actions: ['retry'] },
  create_failed: { category: 'failed', moving: false, actions: ['retry'] },
  timeout: { category: 'failed', moving: false, actions: ['retry'] },
};

/** The job that saves a training task's image to SWR. */
export const SAVE_IMAGE_LIFECYCLE: Lifecycle = {
  INIT: { category: 'pending', moving: true },
  CREATING: { category: 'transitional', moving: true },
  ACTIVE: { category: 'completed', moving: false },
  CREATE_FAILED: { category: 'failed', moving: false },
};

/** Every kind with a state, by the name the tree and the state words use. */
export const LIFECYCLES = {
  workspace: WORKSPACE_LIFECYCLE,
  trainingJob: TRAINING_JOB_LIFECYCLE,
  notebook: NOTEBOOK_LIFECYCLE,
  workflow: WORKFLOW_LIFECYCLE,
  execution: EXECUTION_LIFECYCLE,
  step: STEP_LIFECYCLE,
  saveImage: SAVE_IMAGE_LIFECYCLE,
} as const;

export type LifecycleKind = keyof typeof LIFECYCLES;

/** The meaning of `state`, or undefined for a state the table does not know (or none). */
export function meaningOf<A extends string>(lifecycle: Lifecycle<A>, state: string | undefined): StateMeaning<A> | undefined {
  return state === undefined || !Object.hasOwn(lifecycle, state) ? undefined : lifecycle[state];
}

/** Known and no longer moving on its own: a watch stops here. An unknown state is not final. */
export function isFinal(lifecycle: Lifecycle<string>, state: string | undefined): boolean {
  const meaning = meaningOf(lifecycle, state);
  return meaning !== undefined && !meaning.moving;
}

/** The states that move on their own. */
export function movingStates(lifecycle: Lifecycle<string>): string[] {
  return Object.keys(lifecycle).filter((state) => lifecycle[state].moving);
}

/** The states that are final (known and not moving). */
export function finalStates(lifecycle: Lifecycle<string>): string[] {
  return Object.keys(lifecycle).filter((state) => !lifecycle[state].moving);
}

/** The actions `state` allows, in the order the table lists them for the kind. */
export function actionsIn<A extends string>(lifecycle: Lifecycle<A>, state: string | undefined): A[] {
  return [...(meaningOf(lifecycle, state)?.actions ?? [])];
}

/** The states in which `action` is allowed. */
export function statesAllowing<A extends string>(lifecycle: Lifecycle<A>, action: A): string[] {
  return Object.keys(lifecycle).filter((state) => lifecycle[state].actions?.includes(action) === true);
}
