// Status → look (codicon, theme colour) and whether the state is still moving (tree polling follows those),
// both read from the lifecycle tables.

import { LIFECYCLES, movingStates, type Lifecycle, type StatusCategory } from '../api/lifecycle';

export type ResourceKind = 'workspace' | 'trainingJob' | 'task' | 'notebook' | 'workflow' | 'execution' | 'step' | 'app';
/** Kinds that have a state (a task shows its job's; an app has none). */
type StatefulKind = Exclude<ResourceKind, 'task' | 'app'>;

export type { StatusCategory };

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

// Per kind: state → [category, transitional], read from the lifecycle tables (api/lifecycle.ts).
const TABLES: Readonly<Record<StatefulKind, Readonly<Record<string, Entry>>>> = {
  workspace: looks(LIFECYCLES.workspace),
  trainingJob: looks(LIFECYCLES.trainingJob),
  notebook: looks(LIFECYCLES.notebook),
  workflow: looks(LIFECYCLES.workflow),
  execution: looks(LIFECYCLES.execution),
  step: looks(LIFECYCLES.step),
};

function looks(lifecycle: Lifecycle<string>): Record<string, Entry> {
  return Object.fromEntries(Object.entries(lifecycle).map(([state, meaning]): [string, Entry] => [state, [meaning.category, meaning.moving]]));
}

/** The look of `status` for a resource of `kind`; a missing or unknown status is `unknown` (question mark). */
export function statusLook(kind: ResourceKind, status: string | undefined): StatusLook {
  const entry = kind === 'task' || kind === 'app' || status === undefined || status === '' ? undefined : TABLES[kind][status];
  const [category, transitional] = entry ?? (['unknown', false] as Entry);
  return { category, ...CATEGORY_LOOKS[category], transitional };
}

/** The states of `kind` that poll (for docs and tests). */
export function transitionalStates(kind: StatefulKind): string[] {
  return movingStates(LIFECYCLES[kind]);
}

/** A state as a contextValue tag: lower case, word characters only (`START_FAILED` → `start_failed`). */
export function stateTag(status: string | undefined): string | undefined {
  if (status === undefined || status === '') return undefined;
  const tag = status.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return tag === '' ? undefined : tag;
}
