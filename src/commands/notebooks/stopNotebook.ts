// Stop Notebook: confirmed, stopped, its lease warning dropped, and followed until it settles.

import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import type { Notebook } from '../../api/types';
import type { ActiveSession } from '../../common/session';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { withNotificationProgress } from '../../common/safeUi';
import { follow, leaseKey, refreshRow, type NotebookContext } from './notebookContext';
import { confirm, target } from './notebookPrompts';

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function stopNotebookCommand(context: NotebookContext): CommandSpec {
  return { id: COMMAND.notebookStop, title: vscode.l10n.t('Stop Notebook'), run: (arg) => stopNotebook(context, arg) };
}

async function stopNotebook(context: NotebookContext, arg: unknown): Promise<void> {
  const { session, nb } = await target(context.deps, arg, 'stop', l10n.t('Stop which notebook?'));
  await confirm(l10n.t('Stop notebook {0}?', nb.name), l10n.t('Running kernels and unsaved work in the instance are lost.'), l10n.t('Stop'));
  await withNotificationProgress({ title: l10n.t('Stopping {0}…', nb.name), cancellable: true }, (_progress, token) => stopAndFollow(context, session, nb, abortOn(token)));
}

/** Stops a notebook whose stop is already confirmed (by the command's prompt or a tool's), and follows it. */
export async function stopAndFollow(context: NotebookContext, session: ActiveSession, nb: Notebook, signal?: AbortSignal): Promise<Notebook> {
  const { transitions } = context;
  const stopped = await session.client.notebooks.stop(nb.id, {}, signal);
  context.warnings.untrack(leaseKey(session, nb.id));
  transitions.begin(nb);
  const line = transitions.observe({ ...stopped, name: stopped.name || nb.name });
  if (line !== undefined) context.append(line);
  refreshRow(context.deps, session, nb.id);
  void follow(context, session, nb.id, nb.name);
  return stopped;
}
