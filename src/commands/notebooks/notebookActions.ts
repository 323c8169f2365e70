import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import { systemClock } from '../../api/clock';
import { isModelArtsError } from '../../api/errors';
import { leaseEnd } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import { HOUR_MS } from '../../api/validate';
import type { ActionDeps } from '../actionDeps';
import { requireSession as requireSignedIn } from '../prompts';
import { CancelledByUser, type CommandSpec } from '../registry';
import type { WatchResult } from '../../watch/watcher';
import type { ActiveSession } from '../../common/session';
import { lineText, pickText, safeL10n, type Words } from '../../common/safeText';
import { showError, showInformation, showPick, showWarning, withNotificationProgress, withViewProgress, type Said } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { NotebookNode } from '../../explorer/nodes/notebookNode';
import {
  LeaseWarnings,
  NOTEBOOK_ACTION_STATES,
  TransitionLog,
  autoStopChoices,
  extendChoices,
  extendOneHourDecision,
  followNotebook,
  stopTime,
  timeOfDay,
  type DurationChoice,
  type NotebookActionName,
} from './notebookLogic';
import { COMMAND } from '../ids';

// Start, stop, extend the lease of and open a notebook; every transition is a line in "ModelArts: Notebooks",
// a started notebook is watched until it settles, and a warning comes shortly before its auto-stop. Lease
// times are the service's, read on the session's service clock; the lines are stamped with real time.


const CHANNEL_NAME = 'ModelArts: Notebooks';

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

interface Target {
  session: ActiveSession;
  nb: Notebook;
}

export interface NotebookActions {
  commands: CommandSpec[];
  /** Starts a notebook (asking for its auto-stop) and resolves with it once settled; undefined when it did not settle. */
  startAndWait(session: ActiveSession, nb: Notebook): Promise<Notebook | undefined>;
  /** The "ModelArts: Notebooks" channel, which the SSH commands write to as well. */
  output(): vscode.OutputChannel;
  dispose(): void;
}

export function createNotebookActions(deps: ActionDeps): NotebookActions {
  // When things happened for the user: the stamps of output lines.
  const clock = systemClock;
  const transitions = new TransitionLog(clock, vscode.l10n);
  let channel: vscode.OutputChannel | undefined;
  const output = (): vscode.OutputChannel => (channel ??= vscode.window.createOutputChannel(CHANNEL_NAME));
  // One transition a line, whatever a name holds.
  const append = (line: string): void => output().appendLine(lineText(line));

  const leaseKey = (session: ActiveSession, id: string): string => `${session.profile}/notebook/${id}`;
  const watchKey = (session: ActiveSession, id: string): string => `notebook:${session.profile}/${id}`;

  /** Redraws the notebook's row when it is loaded in the tree of the same profile. */
  const refreshRow = (session: ActiveSession, id: string): void => {
    const model = deps.explorer.model;
    if (!model || model.session.profile !== session.profile) return;
    for (const node of model.resourceNodes()) if (node instanceof NotebookNode && node.key === id) model.refresh(node);
  };

  const requireSession = (): ActiveSession => requireSignedIn(deps.sessions);

  /** The notebook a command acts on: the row it was given, else one picked from the session's notebooks. */
  const target = async (arg: unknown, action: NotebookActionName, placeHolder: Said<'label'>): Promise<Target> => {
    const session = requireSession();
    if (arg instanceof NotebookNode) return { session, nb: arg.item };
    const nb = await pickNotebook(session, (n) => NOTEBOOK_ACTION_STATES[action].includes(n.status ?? ''), placeHolder, l10n.t('No notebook is in a state for this action.'));
    return { session, nb };
  };

  const openInBrowser = async (nb: Notebook): Promise<void> => {
    const url = nb.url;
    // Only web addresses: a notebook URL comes from the API and is opened without asking.
    if (url === undefined || !/^https?:\/\//i.test(url)) {
      void showWarning(l10n.t('Notebook {0} has no web address yet.', nb.name));
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url));
  };

  const warnings = new LeaseWarnings<ActiveSession>(
    (session) => session.serviceClock,
    (_key, nb, end, session) => {
      const now = session.serviceClock.now();
      const minutes = Math.max(1, Math.round((end - now) / 60_000));
      append(vscode.l10n.t('[{0}] {1}: auto-stop in {2} min', timeOfDay(clock.now()), nb.name, minutes));
      const extend = l10n.t('Extend 1 h');
      void showWarning(l10n.t('Notebook {0} stops in {1} minutes (auto-stop at {2}).', nb.name, minutes, stopTime(end, now)), extend).then(async (choice) => {
        if (choice !== extend) return;
        try {
          await extendOneHour(session, nb);
        } catch (error) {
          const message = isModelArtsError(error) ? error.toString() : error instanceof Error ? error.message : String(error);
          deps.log.error(`Extend 1 h failed: ${message}`);
          void showError(l10n.t('{0} failed: {1}{2}{3}', vscode.l10n.t('Extend Notebook Lease'), message, '', ''));
        }
      });
    },
    (error) => deps.log.error(`Lease warning: ${String(error)}`),
  );

  /** Renews (the auto-stop moves to `durationMs` from now), reads the notebook again, and moves the warning. */
  const renew = async (session: ActiveSession, nb: Notebook, durationMs: number, signal?: AbortSignal): Promise<Notebook> => {
    await session.client.notebooks.renewLease(nb.id, { durationMs }, signal);
    const fresh = await session.client.notebooks.get(nb.id, signal);
    const end = leaseEnd(fresh);
    append(
      end === undefined
        ? vscode.l10n.t('[{0}] {1}: lease renewed', timeOfDay(clock.now()), fresh.name)
        : vscode.l10n.t('[{0}] {1}: auto-stop moved to {2}', timeOfDay(clock.now()), fresh.name, stopTime(end, session.serviceClock.now())),
    );
    warnings.track(leaseKey(session, fresh.id), fresh, session);
    refreshRow(session, fresh.id);
    return fresh;
  };

  /**
   * The warning's `Extend 1 h`: the auto-stop moves to one hour from now, unless it already comes later (the
   * lease was extended meanwhile), which a renewal would bring closer.
   */
  const extendOneHour = async (session: ActiveSession, nb: Notebook): Promise<void> => {
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
      await renew(session, fresh, HOUR_MS);
    }
  };

  /**
   * Watches a notebook until it settles, then tells the user once (RUNNING only when `announceRunning`: a
   * caller that goes on with the notebook says what comes next itself). Resolves with the watch's end.
   */
  const follow = (session: ActiveSession, id: string, name: string, announceRunning = true): Promise<WatchResult<Notebook>> => {
    const watch = followNotebook(
      { api: session.client.notebooks, watches: deps.watches, key: watchKey(session, id), transitions, append, onChange: () => refreshRow(session, id) },
      id,
    );
    void watch.done.then(async (result) => {
      refreshRow(session, id);
      if (result.status === 'cancelled') return;
      if (result.status === 'failed') {
        const reason = result.error instanceof Error ? result.error.message : String(result.error);
        append(vscode.l10n.t('[{0}] {1}: stopped watching ({2})', timeOfDay(clock.now()), name, reason));
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
        if ((await showError(l10n.t('Notebook {0} failed to start: {1}', nb.name, reason), showOutput)) === showOutput) output().show(true);
      } else {
        warnings.untrack(leaseKey(session, id));
        void showInformation(l10n.t('Notebook {0}: {1}.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
      }
    });
    return watch.done;
  };

  const pickDuration = async (choices: DurationChoice[], title: Said<'label'>, placeHolder: Said<'label'>): Promise<DurationChoice> => {
    const pick = await showPick(
      choices.map((c) => ({ label: pickText(c.label), choice: c })),
      { title, placeHolder },
    );
    if (!pick) throw new CancelledByUser();
    return pick.choice;
  };

  const alreadyRunning = (nb: Notebook, message?: Words): void => {
    const open = l10n.t('Open in Browser');
    void showInformation(message ?? l10n.t('Notebook {0} is already running.', nb.name), open).then((choice) => {
      if (choice === open) void openInBrowser(nb);
    });
  };

  /**
   * The start command on one notebook: asks for the auto-stop (and confirms "none"), starts it and follows it
   * until it settles. A notebook already running or starting is not started again.
   */
  const beginStart = async (
    session: ActiveSession,
    nb: Notebook,
    announceRunning: boolean,
  ): Promise<{ kind: 'running'; message?: Words } | { kind: 'following'; done: Promise<WatchResult<Notebook>> }> => {
    if (nb.status === 'RUNNING') return { kind: 'running' };
    if (nb.status === 'STARTING') {
      void showInformation(l10n.t('Notebook {0} is already starting.', nb.name));
      transitions.begin(nb);
      return { kind: 'following', done: follow(session, nb.id, nb.name, announceRunning) };
    }
    const choice = await pickDuration(autoStopChoices(vscode.l10n), l10n.t('Start {0}', nb.name), l10n.t('Stop the notebook automatically after'));
    if (choice.needsConfirmation) await confirm(l10n.t('Start {0} with no auto-stop?', nb.name), l10n.t('It keeps running, and is billed, until you stop it.'), l10n.t('Start Without Auto-Stop'));
    let started: Notebook;
    try {
      started = await withNotificationProgress(
        { title: l10n.t('Starting {0}…', nb.name), cancellable: true },
        (_progress, token) => session.client.notebooks.start(nb.id, { durationMs: choice.durationMs }, abortOn(token)),
      );
    } catch (error) {
      // ModelArts.6305: the instance is already running. Said plainly, not as a failure.
      if (isModelArtsError(error) && error.code === 'ModelArts.6305') {
        refreshRow(session, nb.id);
        return { kind: 'running', message: l10n.t('Notebook {0} is already running: {1}', nb.name, error.message) };
      }
      throw error;
    }
    transitions.begin(nb);
    const line = transitions.observe({ ...started, name: started.name || nb.name });
    if (line !== undefined) append(line);
    refreshRow(session, nb.id);
    return { kind: 'following', done: follow(session, nb.id, nb.name, announceRunning) };
  };

  /** Starts a notebook as the start command does and resolves with it once it settles (undefined: it did not). */
  const startAndWait = async (session: ActiveSession, nb: Notebook): Promise<Notebook | undefined> => {
    const begun = await beginStart(session, nb, false);
    if (begun.kind === 'running') return session.client.notebooks.get(nb.id);
    const result = await begun.done;
    return result.status === 'final' ? result.value : undefined;
  };

  const commands: CommandSpec[] = [
    {
      id: COMMAND.notebookStart,
      title: vscode.l10n.t('Start Notebook'),
      run: async (arg) => {
        const { session, nb } = await target(arg, 'start', l10n.t('Start which notebook?'));
        const begun = await beginStart(session, nb, true);
        if (begun.kind === 'running') alreadyRunning(nb, begun.message);
      },
    },
    {
      id: COMMAND.notebookStop,
      title: vscode.l10n.t('Stop Notebook'),
      run: async (arg) => {
        const { session, nb } = await target(arg, 'stop', l10n.t('Stop which notebook?'));
        await confirm(l10n.t('Stop notebook {0}?', nb.name), l10n.t('Running kernels and unsaved work in the instance are lost.'), l10n.t('Stop'));
        const stopped = await withNotificationProgress(
          { title: l10n.t('Stopping {0}…', nb.name), cancellable: true },
          (_progress, token) => session.client.notebooks.stop(nb.id, {}, abortOn(token)),
        );
        warnings.untrack(leaseKey(session, nb.id));
        transitions.begin(nb);
        const line = transitions.observe({ ...stopped, name: stopped.name || nb.name });
        if (line !== undefined) append(line);
        refreshRow(session, nb.id);
        void follow(session, nb.id, nb.name);
      },
    },
    {
      id: COMMAND.notebookExtendLease,
      title: vscode.l10n.t('Extend Notebook Lease'),
      run: async (arg) => {
        const { session, nb } = await target(arg, 'extendLease', l10n.t('Extend the lease of which notebook?'));
        const now = session.serviceClock.now();
        // Each choice is "stop N hours from now"; only those later than the current auto-stop are offered.
        const choices = extendChoices(nb, now, vscode.l10n);
        if (choices.length === 0) {
          void showInformation(l10n.t('Notebook {0} already runs for the longest time allowed (72 hours from now).', nb.name));
          return;
        }
        const current = leaseEnd(nb);
        const choice = await pickDuration(
          choices,
          l10n.t('Extend the lease of {0}', nb.name),
          current === undefined
            ? l10n.t('{0} has no auto-stop now: when should it stop?', nb.name)
            : l10n.t('{0} stops automatically at {1} now: when should it stop instead?', nb.name, stopTime(current, now)),
        );
        if (choice.durationMs === 'none') return;
        const durationMs = choice.durationMs;
        const fresh = await withNotificationProgress(
          { title: l10n.t('Extending the lease of {0}…', nb.name), cancellable: true },
          (_progress, token) => renew(session, nb, durationMs, abortOn(token)),
        );
        const end = leaseEnd(fresh);
        void showInformation(
          end === undefined
            ? l10n.t('The lease of {0} was renewed.', fresh.name)
            : l10n.t('The auto-stop of {0} moved to {1}.', fresh.name, stopTime(end, session.serviceClock.now())),
        );
      },
    },
    {
      id: COMMAND.notebookOpenInBrowser,
      title: vscode.l10n.t('Open Notebook in Browser'),
      run: async (arg) => {
        const { session, nb } = await target(arg, 'openInBrowser', l10n.t('Open which notebook?'));
        // A row may predate the address: read it when missing.
        await openInBrowser(nb.url ? nb : await session.client.notebooks.get(nb.id));
      },
    },
  ];

  return {
    commands,
    startAndWait,
    output,
    dispose: () => {
      warnings.dispose();
      channel?.dispose();
      channel = undefined;
    },
  };
}

/** A modal warning that goes on only when `button` is pressed (a quiet cancel otherwise). */
async function confirm(message: Words, detail: Words, button: Words): Promise<void> {
  const answer = await showWarning(message, { modal: true, detail }, button);
  if (answer !== button) throw new CancelledByUser();
}

/** One of the session's notebooks (its first 50) that `offer` accepts, picked; `none` is said when there is none. */
export async function pickNotebook(session: ActiveSession, offer: (nb: Notebook) => boolean, placeHolder: Said<'label'>, none: Said<'message'>): Promise<Notebook> {
  const pager = session.client.notebooks.list({ pageSize: 50 });
  const all = await withViewProgress('modelarts.explorer', () => pager.loadNext());
  const offered = all.filter(offer);
  if (offered.length === 0) {
    void showInformation(none);
    throw new CancelledByUser();
  }
  const pick = await showPick(
    offered.map((nb) => ({ label: pickText(nb.name || nb.id), description: pickText(stateWord('notebook', nb.status, vscode.l10n)), detail: pickText(nb.id), nb })),
    { placeHolder, matchOnDetail: true },
  );
  if (!pick) throw new CancelledByUser();
  return pick.nb;
}
