// The words a user reads for a resource's state, one short sentence-case vocabulary for every kind
// (`Running`, `Completed`, `Never run`), whatever case the service spells it in (`RUNNING`, `running`,
// `never_executed`). A value the tables do not know is shown as the service sent it, never hidden; the raw
// value stays in tooltips (`stateWithRaw`) and in Show Details.

import type * as vscode from 'vscode';

export type StateKind = 'workspace' | 'trainingJob' | 'notebook' | 'workflow' | 'execution' | 'step';

type Tables = Readonly<Record<StateKind, Readonly<Record<string, string>>>>;

function buildTables(l10n: typeof vscode.l10n): Tables {
  // Words several kinds share, so each reads the same everywhere.
  const creating = l10n.t('Creating');
  const running = l10n.t('Running');
  const completed = l10n.t('Completed');
  const failed = l10n.t('Failed');
  const stopping = l10n.t('Stopping');
  const stopped = l10n.t('Stopped');
  const deleting = l10n.t('Deleting');
  const pending = l10n.t('Pending');
  const abnormal = l10n.t('Abnormal');
  const initializing = l10n.t('Initializing');
  const createFailed = l10n.t('Create failed');
  const deleteFailed = l10n.t('Delete failed');
  const execution = { init: initializing, running, completed, stopped, abnormal };
  return {
    workspace: { NORMAL: l10n.t('Normal'), CREATE_FAILED: createFailed, DELETING: deleting, DELETE_FAILED: deleteFailed },
    trainingJob: {
      Creating: creating,
      Pending: pending,
      Running: running,
      Failed: failed,
      Completed: completed,
      Terminating: l10n.t('Terminating'),
      Terminated: l10n.t('Terminated'),
      Abnormal: abnormal,
    },
    notebook: {
      INIT: initializing,
      CREATING: creating,
      STARTING: l10n.t('Starting'),
      STOPPING: stopping,
      DELETING: deleting,
      RUNNING: running,
      STOPPED: stopped,
      SNAPSHOTTING: l10n.t('Saving image'),
      CREATE_FAILED: createFailed,
      START_FAILED: l10n.t('Start failed'),
      DELETE_FAILED: deleteFailed,
      ERROR: l10n.t('Error'),
      DELETED: l10n.t('Deleted'),
      FROZEN: l10n.t('Frozen'),
    },
    workflow: { never_executed: l10n.t('Never run'), ...execution },
    execution,
    step: {
      init: l10n.t('Not started'),
      wait_inputs: l10n.t('Waiting for inputs'),
      pending,
      creating,
      created: l10n.t('Ready'),
      create_failed: createFailed,
      running,
      stopping,
      stopped,
      timeout: l10n.t('Timed out'),
      completed,
      failed,
      hold: l10n.t('On hold'),
      skipped: l10n.t('Skipped'),
    },
  };
}

// One table set per l10n (the extension has one, vscode.l10n), built on first use.
const cache = new WeakMap<object, Tables>();

function tables(l10n: typeof vscode.l10n): Tables {
  let found = cache.get(l10n);
  if (!found) {
    found = buildTables(l10n);
    cache.set(l10n, found);
  }
  return found;
}

/** The word for `raw`: `Unknown` when the service sent none, `raw` itself when the table does not know it. */
export function stateWord(kind: StateKind, raw: string | undefined, l10n: typeof vscode.l10n): string {
  if (raw === undefined || raw === '') return l10n.t('Unknown');
  const table = tables(l10n)[kind];
  return Object.hasOwn(table, raw) ? table[raw] : raw;
}

/** The word, then the service's own values where they differ from it: `Running (RUNNING)`, `Abnormal (CreateFailed)`. */
export function stateWithRaw(kind: StateKind, raw: string | undefined, l10n: typeof vscode.l10n, detail?: string): string {
  const word = stateWord(kind, raw, l10n);
  const shown = new Set([word]);
  const extra: string[] = [];
  for (const value of [raw, detail]) {
    if (value === undefined || value === '' || shown.has(value)) continue;
    shown.add(value);
    extra.push(value);
  }
  return extra.length === 0 ? word : `${word} (${extra.join(', ')})`;
}

/** Every raw state a kind's table knows (for tests and the filter picker). */
export function knownStates(kind: StateKind, l10n: typeof vscode.l10n): string[] {
  return Object.keys(tables(l10n)[kind]);
}
