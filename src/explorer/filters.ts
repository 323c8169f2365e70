// The explorer's filters: a name (sent to the server, which matches it fuzzily) and a set of states. A state
// is named once for every kind that has it (`RUNNING` is a job's `Running`, a notebook's `RUNNING`, a
// workflow's `running`, and `Running` to the user); each list sends what its API can filter on and checks
// the rest itself.

import type * as vscode from 'vscode';
import {
  NOTEBOOK_STATUSES,
  TRAINING_PHASES,
  WORKFLOW_STATUSES,
  type NotebookStatus,
  type TrainingPhase,
  type WorkflowStatus,
} from '../api/types';
import { stateWord, type StateKind } from '../common/stateWords';
import type { GroupKind } from './ids';

export interface ExplorerFilter {
  /** Trimmed; '' = no name filter. */
  readonly name: string;
  /** Upper-case state names; empty = every state. */
  readonly statuses: readonly string[];
}

export const NO_FILTER: ExplorerFilter = { name: '', statuses: [] };

/** The notebook list refuses longer name filters; the others take it too. */
export const MAX_NAME_FILTER = 128;

export function isFilterActive(filter: ExplorerFilter): boolean {
  return filter.name !== '' || filter.statuses.length > 0;
}

const KNOWN: ReadonlyArray<[GroupKind, StateKind, readonly string[]]> = [
  ['trainingJobs', 'trainingJob', TRAINING_PHASES],
  ['notebooks', 'notebook', NOTEBOOK_STATUSES],
  ['workflows', 'workflow', WORKFLOW_STATUSES],
];

export interface StatusOption {
  /** Upper case, e.g. `RUNNING`. */
  state: string;
  kinds: GroupKind[];
  /** The state as each of those lists' API spells it, e.g. `Running`, `RUNNING`, `running`. */
  raw: Array<[StateKind, string]>;
}

/** Every state a list can be filtered by, once each, with the lists that have it. */
export function statusOptions(): StatusOption[] {
  const byState = new Map<string, StatusOption>();
  for (const [kind, stateKind, states] of KNOWN) {
    for (const s of states) {
      const state = s.toUpperCase();
      const option = byState.get(state) ?? { state, kinds: [], raw: [] };
      if (!option.kinds.includes(kind)) option.kinds.push(kind);
      option.raw.push([stateKind, s]);
      byState.set(state, option);
    }
  }
  return [...byState.values()];
}

/** The word a user reads for a filter state (`RUNNING` → `Running`); the state itself when no list has it. */
export function filterStateWord(state: string, l10n: typeof vscode.l10n): string {
  const raw = statusOptions().find((o) => o.state === state)?.raw[0];
  return raw === undefined ? state : stateWord(raw[0], raw[1], l10n);
}

/** A stored filter, read tolerantly (workspaceState is whatever an older version wrote). */
export function normalizeFilter(value: unknown): ExplorerFilter {
  if (typeof value !== 'object' || value === null) return NO_FILTER;
  const record = value as Record<string, unknown>;
  const name = typeof record.name === 'string' ? record.name.trim().slice(0, MAX_NAME_FILTER) : '';
  const known = new Set(statusOptions().map((o) => o.state));
  const statuses = Array.isArray(record.statuses)
    ? [...new Set((record.statuses as unknown[]).filter((s): s is string => typeof s === 'string').map((s) => s.toUpperCase()))].filter((s) => known.has(s))
    : [];
  return { name, statuses };
}

export function validateNameFilter(value: string, l10n: typeof vscode.l10n): string | undefined {
  return value.trim().length > MAX_NAME_FILTER ? l10n.t('At most {0} characters.', MAX_NAME_FILTER) : undefined;
}

/** Whether a row in `status` passes the state filter (case-insensitive). */
export function acceptsStatus(filter: ExplorerFilter, status: string | undefined): boolean {
  if (filter.statuses.length === 0) return true;
  return status !== undefined && filter.statuses.includes(status.toUpperCase());
}

function selected<T extends string>(filter: ExplorerFilter, states: readonly T[]): T[] {
  return states.filter((s) => filter.statuses.includes(s.toUpperCase()));
}

export interface ListQuery<S> {
  /** No state of this list is selected: nothing can match, so nothing is asked. */
  excluded: boolean;
  name?: string;
  /** What the server filters on; the list still checks each row itself. */
  status?: S;
}

export function trainingJobQuery(filter: ExplorerFilter): ListQuery<TrainingPhase[]> {
  const phases = selected(filter, TRAINING_PHASES);
  return {
    excluded: filter.statuses.length > 0 && phases.length === 0,
    ...(filter.name ? { name: filter.name } : {}),
    // The search takes a list (`in`).
    ...(phases.length > 0 ? { status: phases } : {}),
  };
}

export function notebookQuery(filter: ExplorerFilter): ListQuery<NotebookStatus> {
  const states = selected(filter, NOTEBOOK_STATUSES);
  return {
    excluded: filter.statuses.length > 0 && states.length === 0,
    ...(filter.name ? { name: filter.name } : {}),
    // The list takes one status; with several, every page is checked here instead.
    ...(states.length === 1 ? { status: states[0] } : {}),
  };
}

export function workflowQuery(filter: ExplorerFilter): ListQuery<WorkflowStatus> {
  const states = selected(filter, WORKFLOW_STATUSES);
  return {
    excluded: filter.statuses.length > 0 && states.length === 0,
    ...(filter.name ? { name: filter.name } : {}),
    ...(states.length === 1 ? { status: states[0] } : {}),
  };
}

/** The view's message while a filter is on, e.g. `Filtered: Running, Stopped`. */
export function filterMessage(filter: ExplorerFilter, l10n: typeof vscode.l10n): string | undefined {
  const parts: string[] = [];
  if (filter.name !== '') parts.push(l10n.t('name contains “{0}”', filter.name));
  if (filter.statuses.length > 0) parts.push(filter.statuses.map((s) => filterStateWord(s, l10n)).join(', '));
  return parts.length === 0 ? undefined : l10n.t('Filtered: {0}', parts.join('; '));
}
