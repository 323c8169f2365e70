import type { EmuJsonObject, ResourceFamily } from '../framework';
import type { TimerHandle } from '../familyKit';
import type { TaskLog } from './logs';

// The records the training family keeps, its timings and limits, and what seeding may do with it.

export type Phase = 'Creating' | 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminating' | 'Terminated' | 'Abnormal';
export type Fate = 'Completed' | 'Failed';

/** Emulated durations of the job state machine, in ms. */
export const TRAINING_TIMINGS = {
  creatingMs: 5_000,
  pendingMs: 10_000,
  runningMs: 120_000,
  terminatingMs: 3_000,
  /** How long a deleted job stays visible. */
  deleteMs: 5_000,
  /** The part of a run shown as the `preparing` stage. */
  preparingMs: 5_000,
  /** How long a job whose boot file is missing runs before it fails. */
  codeFailureMs: 2_000,
} as const;

export const EVENTS_DEFAULT_LIMIT = 50;
export const JOB_NUM_QUOTA = 100;

export interface EmuRunningRecord {
  start_at: number;
  end_at?: number;
  xpu_start_at?: number;
  start_type: string;
  end_reason?: string;
  end_related_task?: string;
  end_recover?: string;
  end_recover_before_downgrade?: string;
}

export interface JobStatusDoc {
  phase: Phase;
  secondary_phase: string;
  duration: number;
  start_time: number;
  node_count_metrics: number[][] | null;
  tasks: string[];
  task_statuses?: Array<{ task: string; exit_code: number; message: string }>;
  running_records?: EmuRunningRecord[];
}

export interface JobDoc {
  kind: string;
  metadata: {
    id: string;
    name: string;
    description: string;
    create_time: number;
    workspace_id: string;
    user_name: string;
    annotations?: Record<string, string>;
  };
  status: JobStatusDoc;
  algorithm: EmuJsonObject;
  spec: EmuJsonObject;
  endpoints?: EmuJsonObject;
}

export type EventLevel = 'Info' | 'Warning' | 'Error';

export interface JobEvent {
  time: number;
  level: EventLevel;
  message: string;
  source: 'Job' | 'Task';
}

export interface Tag {
  key: string;
  value: string;
}

/** How long each phase of one job lasts (emulated ms). */
export interface JobPlan {
  creatingMs: number;
  pendingMs: number;
  runMs: number;
}

export interface JobRecord {
  doc: JobDoc;
  seq: number;
  userId: string;
  fate: Fate;
  plan: JobPlan;
  /** Never moves (the manual's Abnormal example). */
  frozen: boolean;
  /** The manual's example jobs: their names do not block the manual's own create requests. */
  reference: boolean;
  history: Array<{ phase: Phase; at: number }>;
  events: JobEvent[];
  /** Built on first use: most jobs of a large seed are never read. */
  logs?: Map<string, TaskLog>;
  logRate: number;
  epochs: number;
  tags: Tag[];
  timer?: TimerHandle;
  deleting: boolean;
  runStart?: number;
  runEnd?: number;
  endPhase?: 'Completed' | 'Failed' | 'Terminated';
  seed: number;
  /** The first lines of the job's boot file in OBS, which start its task logs. */
  bootHead?: string;
  /** Why the job fails as soon as it runs (its boot file is missing from OBS). */
  codeFailure?: string;
}

/** What a seed gives to create one job that then moves on the clock like any other. */
export interface SeedJobInput {
  id: string;
  body: EmuJsonObject;
  createTime: number;
  fate: Fate;
  plan: JobPlan;
  tags?: Tag[];
  /** Terminate the job at this time (before the seed's "now"). */
  terminateAt?: number;
  epochs?: number;
}

/** A job doc kept exactly as given: it never changes phase. */
export interface SeedFixedJob {
  doc: JobDoc;
  history: Array<{ phase: Phase; at: number }>;
  events: JobEvent[];
  reference: boolean;
}

/** The seed's view of the family. */
export interface TrainingSeedTarget {
  seedJob(input: SeedJobInput): void;
  seedFixedJob(input: SeedFixedJob): void;
  /** A job from a doc whose phase is Creating, started on the clock at `startAt` (the manual's 201 example). */
  seedReferenceJob(doc: JobDoc, startAt: number, fate: Fate, plan: JobPlan): void;
  /** Adds a scale job cheaply (no body validation), terminated at `terminateAt` when given. */
  seedScaleJob(doc: JobDoc, fate: Fate, plan: JobPlan, terminateAt?: number): void;
  runDue(now: number): void;
}

export interface TrainingFamily extends ResourceFamily {
  /** Appends raw text to a task's log at the clock's now (after the lines due by then). */
  appendLog(jobId: string, task: string, text: string): void;
  /** Lines per emulated second written by every task of a job from now on (0 pauses). */
  setLogRate(jobId: string, linesPerSecond: number): void;
  /** Adds an event to a job at the clock's now (a task's message, as the service reports one). */
  addEvent(jobId: string, message: string, level?: 'Info' | 'Warning' | 'Error'): void;
  /** How the job ends when its run is over. */
  setFate(jobId: string, fate: Fate): void;
  /** The next save-image job of that task fails with `reason`. */
  failNextSaveImage(jobId: string, task: string, reason: string): void;
  /** The job doc as the API would show it now, or undefined. */
  getJob(jobId: string): JobDoc | undefined;
  /** Number of jobs (all workspaces). */
  jobCount(): number;
}
