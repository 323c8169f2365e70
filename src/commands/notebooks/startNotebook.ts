// Start Notebook: asks for the auto-stop (and confirms "none"), starts the notebook and follows it until it
// settles; the SSH commands start a notebook the same way and wait for it.

import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import { isModelArtsError } from '../../api/errors';
import type { Notebook } from '../../api/types';
import type { NotebookStartOptions } from '../../api/notebooks';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import type { WatchResult } from '../../watch/watcher';
import type { ActiveSession } from '../../common/session';
import { safeL10n, type Words } from '../../common/safeText';
import { showInformation, withNotificationProgress } from '../../common/safeUi';
import { autoStopChoices } from './notebookLogic';
import { follow, openInBrowser, refreshRow, type NotebookContext } from './notebookContext';
import { confirm, pickDuration, target } from './notebookPrompts';

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function startNotebookCommand(context: NotebookContext): CommandSpec {
  return {
    id: COMMAND.notebookStart,
    title: vscode.l10n.t('Start Notebook'),
    run: async (arg) => {
      const { session, nb } = await target(context.deps, arg, 'start', l10n.t('Start which notebook?'));
      const begun = await beginStart(context, session, nb, true);
      if (begun.kind === 'running') alreadyRunning(nb, begun.message);
    },
  };
}

/** Starts a notebook as the start command does and resolves with it once it settles (undefined: it did not). */
export async function startAndWait(context: NotebookContext, session: ActiveSession, nb: Notebook): Promise<Notebook | undefined> {
  const begun = await beginStart(context, session, nb, false);
  if (begun.kind === 'running') return session.client.notebooks.get(nb.id);
  const result = await begun.done;
  return result.status === 'final' ? result.value : undefined;
}

function alreadyRunning(nb: Notebook, message?: Words): void {
  const open = l10n.t('Open in Browser');
  void showInformation(message ?? l10n.t('Notebook {0} is already running.', nb.name), open).then((choice) => {
    if (choice === open) void openInBrowser(nb);
  });
}

/**
 * The start command on one notebook: asks for the auto-stop (and confirms "none"), starts it and follows it
 * until it settles. A notebook already running or starting is not started again.
 */
async function beginStart(
  context: NotebookContext,
  session: ActiveSession,
  nb: Notebook,
  announceRunning: boolean,
): Promise<{ kind: 'running'; message?: Words } | { kind: 'following'; done: Promise<WatchResult<Notebook>> }> {
  const { transitions } = context;
  if (nb.status === 'RUNNING') return { kind: 'running' };
  if (nb.status === 'STARTING') {
    void showInformation(l10n.t('Notebook {0} is already starting.', nb.name));
    transitions.begin(nb);
    return { kind: 'following', done: follow(context, session, nb.id, nb.name, announceRunning) };
  }
  const choice = await pickDuration(autoStopChoices(vscode.l10n), l10n.t('Start {0}', nb.name), l10n.t('Stop the notebook automatically after'));
  if (choice.needsConfirmation) await confirm(l10n.t('Start {0} with no auto-stop?', nb.name), l10n.t('It keeps running, and is billed, until you stop it.'), l10n.t('Start Without Auto-Stop'));
  return withNotificationProgress({ title: l10n.t('Starting {0}…', nb.name), cancellable: true }, (_progress, token) =>
    startWithAutoStop(context, session, nb, choice.durationMs, announceRunning, abortOn(token)),
  );
}

/**
 * Starts a notebook with the auto-stop already chosen (the start command's prompt or a tool's input), then
 * follows it until it settles, as every start does.
 */
export async function startWithAutoStop(
  context: NotebookContext,
  session: ActiveSession,
  nb: Notebook,
  durationMs: NotebookStartOptions['durationMs'],
  announceRunning: boolean,
  signal?: AbortSignal,
): Promise<{ kind: 'running'; message?: Words } | { kind: 'following'; started: Notebook; done: Promise<WatchResult<Notebook>> }> {
  const { transitions } = context;
  let started: Notebook;
  try {
    started = await session.client.notebooks.start(nb.id, { durationMs }, signal);
  } catch (error) {
    // ModelArts.6305: the instance is already running. Said plainly, not as a failure.
    if (isModelArtsError(error) && error.code === 'ModelArts.6305') {
      refreshRow(context.deps, session, nb.id);
      return { kind: 'running', message: l10n.t('Notebook {0} is already running: {1}', nb.name, error.message) };
    }
    throw error;
  }
  transitions.begin(nb);
  const line = transitions.observe({ ...started, name: started.name || nb.name });
  if (line !== undefined) context.append(line);
  refreshRow(context.deps, session, nb.id);
  return { kind: 'following', started, done: follow(context, session, nb.id, nb.name, announceRunning) };
}
