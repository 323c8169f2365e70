// Status → look (codicon, theme colour) and whether the state is still moving (tree polling follows those).

export type ResourceKind = 'workspace' | 'trainingJob' | 'task' | 'notebook' | 'workflow' | 'execution' | 'step' | 'app';
/** Kinds that have a state (a task shows its job's; an app has none). */
type StatefulKind = Exclude<ResourceKind, 'task' | 'app'>;

export type StatusCategory = 'running' | 'transitional' | 'pending' | 'completed' | 'failed' | 'stopped' | 'idle' | 'normal' | 'unknown';

export interface StatusLook {
  category: StatusCategory;
  /** Codicon id, e.g. `sync~spin`. */
  icon: string;
  /** Theme colour id, e.g. `charts.blue`. */
  color?: string;
  /** Still changing on its own: tree polling re-reads it while it is in view. */
  transitional: boolean;
}

/** One look per category; the state text always goes into the description too, never colour alone. */
export const CATEGORY_LOOKS: Readonly<Record<StatusCategory, { icon: string; color?: string }>> = {
  running: { icon: 'sync~spin', color: 'charts.blue' },
  transitional: { icon: 'sync~spin', color: 'charts.blue' },
  pending: { icon: 'clock', color: 'charts.yellow' },
  completed: { icon: 'pass', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'errorForeground' },
  stopped: { icon: 'debug-stop', color: 'disabledForeground' },
  idle: { icon: 'circle-outline' },
  normal: { icon: 'pass', color: 'testing.iconPassed' },
  unknown: { icon: 'question', color: 'problemsWarningIcon.foreground' },
};

/** The look of a row whose item the parser marked as malformed. */
export const PROBLEM_LOOK = { icon: 'warning', color: 'problemsWarningIcon.foreground' } as const;

type Entry = [StatusCategory, boolean];

// Per kind: state → [category, transitional]. States are matched exactly as the API spells them.
const TABLES: Readonly<Record<StatefulKind, Readonly<Record<string, Entry>>>> = {
  workspace: {
    NORMAL: ['normal', false],
    DELETING: ['transitional', true],
    CREATE_FAILED: ['failed', false],
    DELETE_FAILED: ['failed', false],
  },
  trainingJob: {
    Creating: ['transitional', true],
    Pending: ['pending', true],
    Running: ['running', true],
    Terminating: ['transitional', true],
    Completed: ['completed', false],
    Failed: ['failed', false],
    Abnormal: ['failed', false],
    Terminated: ['stopped', false],
  },
  notebook: {
    INIT: ['pending', true],
    CREATING: ['transitional', true],
    STARTING: ['transitional', true],
    STOPPING: ['transitional', true],
    DELETING: ['transitional', true],
    SNAPSHOTTING: ['transitional', true],
    // Running is a steady state for a notebook: it changes only by action or when its lease ends.
    RUNNING: ['running', false],
    STOPPED: ['stopped', false],
    DELETED: ['stopped', false],
    FROZEN: ['stopped', false],
    CREATE_FAILED: ['failed', false],
    START_FAILED: ['failed', false],
    DELETE_FAILED: ['failed', false],
    ERROR: ['failed', false],
  },
  workflow: {
    never_executed: ['idle', false],
    init: ['pending', true],
    running: ['running', true],
    completed: ['completed', false],
    stopped: ['stopped', false],
    abnormal: ['failed', false],
  },
  execution: {
    init: ['pending', true],
    running: ['running', true],
    completed: ['completed', false],
    stopped: ['stopped', false],
    abnormal: ['failed', false],
  },
  step: {
    init: ['pending', true],
    wait_inputs: ['pending', true],
    pending: ['pending', true],
    creating: ['transitional', true],
    created: ['transitional', true],
    running: ['running', true],
    stopping: ['transitional', true],
    // Waits for the user (continue or stop): nothing changes on its own.
    hold: ['pending', false],
    skipped: ['idle', false],
    stopped: ['stopped', false],
    completed: ['completed', false],
    failed: ['failed', false],
    create_failed: ['failed', false],
    timeout: ['failed', false],
  },
};

/** The look of `status` for a resource of `kind`; a missing or unknown status is `unknown` (question mark). */
export function statusLook(kind: ResourceKind, status: string | undefined): StatusLook {
  const entry = kind === 'task' || kind === 'app' || status === undefined || status === '' ? undefined : TABLES[kind][status];
  const [category, transitional] = entry ?? (['unknown', false] as Entry);
  return { category, ...CATEGORY_LOOKS[category], transitional };
}

/** The states of `kind` that poll (for docs and tests). */
export function transitionalStates(kind: StatefulKind): string[] {
  return Object.entries(TABLES[kind])
    .filter(([, [, moving]]) => moving)
    .map(([state]) => state);
}

/** A state as a contextValue tag: lower case, word characters only (`START_FAILED` → `start_failed`). */
export function stateTag(status: string | undefined): string | undefined {
  if (status === undefined || status === '') return undefined;
  const tag = status.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return tag === '' ? undefined : tag;
}
