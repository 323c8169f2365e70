// What the notebook commands share: the "ModelArts: Notebooks" channel where every transition is a line, the
// lease warnings (a warning shortly before a notebook's auto-stop), renewing a lease, and following a notebook
// until it settles. Lease times are the service's, read on the session's service clock; the lines are stamped
// with real time.

import * as vscode from 'vscode';
import { systemClock, type Clock } from '../../api/clock';
import { isModelArtsError } from '../../api/errors';
import { leaseEnd } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import { HOUR_MS } from '../../api/validate';
import type { ActionDeps } from '../actionDeps';
import type { WatchResult } from '../../watch/watcher';
import type { ActiveSession } from '../../common/session';
import { lineText, safeL10n } from '../../common/safeText';
import { showError, showInformation, showWarning } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { NotebookNode } from '../../explorer/nodes/notebookNode';
import { LeaseWarnings, TransitionLog, extendOneHourDecision, followNotebook, stopTime, timeOfDay } from './notebookLogic';

const CHANNEL_NAME = 'ModelArts: Notebooks';

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** The state the notebook commands share, built once by the feature. */
export interface NotebookContext {
  readonly deps: ActionDeps;
  /** When things happened for the user: the stamps of output lines. */
  readonly clock: Clock;
  readonly transitions: TransitionLog;
  readonly warnings: LeaseWarnings<ActiveSession>;
  readonly output: () => vscode.OutputChannel;
  /** One transition a line, whatever a name holds. */
  readonly append: (line: string) => void;
  readonly dispose: () => void;
}

export function createNotebookContext(deps: ActionDeps): NotebookContext {
  const clock = systemClock;
  let channel: vscode.OutputChannel | undefined;
  const output = (): vscode.OutputChannel => (channel ??= vscode.window.createOutputChannel(CHANNEL_NAME));
  const append = (line: string): void => output().appendLine(lineText(line));
  const warnings = new LeaseWarnings<ActiveSession>(
    (session) => session.serviceClock,
    (_key, nb, end, session) => warnBeforeStop(context, session, nb, end),
    (error) => deps.log.error(`Lease warning: ${String(error)}`),
  );
  const context: NotebookContext = {
    deps,
    clock,
    transitions: new TransitionLog(clock, vscode.l10n),
    warnings,
    output,
    append,
    dispose: () => {
      warnings.dispose();
      channel?.dispose();
      channel = undefined;
    },
  };
  return context;
}

export function leaseKey(session: ActiveSession, id: string): string {
  return `${session.profile}/notebook/${id}`;
}

function watchKey(session: ActiveSession, id: string): string {
  return `notebook:${session.profile}/${id}`;
}

/** Redraws the notebook's row when it is loaded in the tree of the same profile. */
export function refreshRow(deps: Pick<ActionDeps, 'explorer'>, session: ActiveSession, id: string): void {
  const model = deps.explorer.model;
  if (!model || model.session.profile !== session.profile) return;
  for (const node of model.resourceNodes()) if (node instanceof NotebookNode && node.key === id) model.refresh(node);
}

export async function openInBrowser(nb: Notebook): Promise<void> {
  const url = nb.url;
  // Only web addresses: a notebook URL comes from the API and is opened without asking.
  if (url === undefined || !/^https?:\/\//i.test(url)) {
    void showWarning(l10n.t('Notebook {0} has no web address yet.', nb.name));
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
}

/** The lease warning: a line, and a warning whose `Extend 1 h` extends the lease. */
function warnBeforeStop(context: NotebookContext, session: ActiveSession, nb: Notebook, end: number): void {
  const now = session.serviceClock.now();
  const minutes = Math.max(1, Math.round((end - now) / 60_000));
  context.append(vscode.l10n.t('[{0}] {1}: auto-stop in {2} min', timeOfDay(context.clock.now()), nb.name, minutes));
  const extend = l10n.t('Extend 1 h');
  void showWarning(l10n.t('Notebook {0} stops in {1} minutes (auto-stop at {2}).', nb.name, minutes, stopTime(end, now)), extend).then(async (choice) => {
    if (choice !== extend) return;
    try {
      await extendOneHour(context, session, nb);
    } catch (error) {
      const message = isModelArtsError(error) ? error.toString() : error instanceof Error ? error.message : String(error);
      context.deps.log.error(`Extend 1 h failed: ${message}`);
      void showError(l10n.t('{0} failed: {1}{2}{3}', vscode.l10n.t('Extend Notebook Lease'), message, '', ''));
    }
  });
}

/** Renews (the auto-stop moves to `durationMs` from now), reads the notebook again, and moves the warning. */
export async function renew(context: NotebookContext, session: ActiveSession, nb: Notebook, durationMs: number, signal?: AbortSignal): Promise<Notebook> {
  await session.client.notebooks.renewLease(nb.id, { durationMs }, signal);
  const fresh = await session.client.notebooks.get(nb.id, signal);
  const end = leaseEnd(fresh);
  context.append(
    end === undefined
      ? vscode.l10n.t('[{0}] {1}: lease renewed', timeOfDay(context.clock.now()), fresh.name)
      : vscode.l10n.t('[{0}] {1}: auto-stop moved to {2}', timeOfDay(context.clock.now()), fresh.name, stopTime(end, session.serviceClock.now())),
  );
  context.warnings.track(leaseKey(session, fresh.id), fresh, session);
  refreshRow(context.deps, session, fresh.id);
  return fresh;
}

/**
 * The warning's `Extend 1 h`: the auto-stop moves to one hour from now, unless it already comes later (the
 * lease was extended meanwhile), which a renewal would bring closer.
 */
async function extendOneHour(context: NotebookContext, session: ActiveSession, nb: Notebook): Promise<void> {
  const fresh = await session.client.notebooks.get(nb.id);
  const now = session.serviceClock.now();
  const decision = extendOneHourDecision(fresh, now);
  if (decision.kind === 'not-running') {
    void showInformation(l10n.t('Notebook {0}: {1}.', fresh.name, stateWord('notebook', fresh.status, vscode.l10n)));
  } else if (decision.kind === 'no-auto-stop') {
    void showInformation(l10n.t('Notebook {0} has no auto-stop now.', fresh.name));
  } else if (decision.kind === 'later') {
    void showInformation(l10n.t('Notebook {0} already stops later, at {1}.', fresh.name, stopTime(decision.end, now)));
  } else {
    await renew(context, session, fresh, HOUR_MS);
  }
}

/**
 * Watches a notebook until it settles, then tells the user once (RUNNING only when `announceRunning`: a
 * caller that goes on with the notebook says what comes next itself). Resolves with the watch's end.
 */
export function follow(context: NotebookContext, session: ActiveSession, id: string, name: string, announceRunning = true): Promise<WatchResult<Notebook>> {
  const { deps, transitions, append, warnings } = context;
  const watch = followNotebook(
    { api: session.client.notebooks, watches: deps.watches, key: watchKey(session, id), transitions, append, onChange: () => refreshRow(deps, session, id) },
    id,
  );
  void watch.done.then(async (result) => {
    refreshRow(deps, session, id);
    if (result.status === 'cancelled') return;
    if (result.status === 'failed') {
      const reason = result.error instanceof Error ? result.error.message : String(result.error);
      append(vscode.l10n.t('[{0}] {1}: stopped watching ({2})', timeOfDay(context.clock.now()), name, reason));
      return;
    }
    const nb = result.value;
    if (nb.status === 'RUNNING') {
      deps.walkthrough.reached('notebookRunning');
      warnings.track(leaseKey(session, id), nb, session);
      if (!announceRunning) return;
      const open = l10n.t('Open in Browser');
      if ((await showInformation(l10n.t('Notebook {0} is running.', nb.name), open)) === open) await openInBrowser(nb);
    } else if (nb.status === 'START_FAILED' || nb.status === 'ERROR') {
      warnings.untrack(leaseKey(session, id));
      const showOutput = l10n.t('Show Output');
      const reason = nb.fail_reason ?? vscode.l10n.t('no reason given');
      if ((await showError(l10n.t('Notebook {0} failed to start: {1}', nb.name, reason), showOutput)) === showOutput) context.output().show(true);
    } else {
      warnings.untrack(leaseKey(session, id));
      void showInformation(l10n.t('Notebook {0}: {1}.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
    }
  });
  return watch.done;
}
