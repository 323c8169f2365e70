import * as vscode from 'vscode';
import type { Notebook } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import type { ActiveSession } from '../../common/session';
import { safeL10n } from '../../common/safeText';
import { createNotebookContext, openInBrowser } from './notebookContext';
import { target } from './notebookPrompts';
import { startAndWait, startNotebookCommand, startWithAutoStop } from './startNotebook';
import { stopAndFollow, stopNotebookCommand } from './stopNotebook';
import { extendLeaseCommand } from './extendLease';

export { pickNotebook } from './notebookPrompts';

// Start, stop, extend the lease of and open a notebook; every transition is a line in "ModelArts: Notebooks",
// a started notebook is watched until it settles, and a warning comes shortly before its auto-stop.

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface NotebookActions {
  commands: CommandSpec[];
  /** Starts a notebook (asking for its auto-stop) and resolves with it once settled; undefined when it did not settle. */
  startAndWait(session: ActiveSession, nb: Notebook): Promise<Notebook | undefined>;
  /** Starts a notebook with its auto-stop chosen already (a tool's input) and follows it; no prompt. */
  startWithAutoStop(session: ActiveSession, nb: Notebook, durationMs: number, signal?: AbortSignal): ReturnType<typeof startWithAutoStop>;
  /** Stops a notebook whose stop is confirmed already (by a tool's confirmation) and follows it; no prompt. */
  stopAndFollow(session: ActiveSession, nb: Notebook, signal?: AbortSignal): Promise<Notebook>;
  /** The "ModelArts: Notebooks" channel, which the SSH commands write to as well. */
  output(): vscode.OutputChannel;
  dispose(): void;
}

export function createNotebookActions(deps: ActionDeps): NotebookActions {
  const context = createNotebookContext(deps);
  const openCommand: CommandSpec = {
    id: COMMAND.notebookOpenInBrowser,
    title: vscode.l10n.t('Open Notebook in Browser'),
    run: async (arg) => {
      const { session, nb } = await target(deps, arg, 'openInBrowser', l10n.t('Open which notebook?'));
      // A row may predate the address: read it when missing.
      await openInBrowser(nb.url ? nb : await session.client.notebooks.get(nb.id));
    },
  };
  return {
    commands: [startNotebookCommand(context), stopNotebookCommand(context), extendLeaseCommand(context), openCommand],
    startAndWait: (session, nb) => startAndWait(context, session, nb),
    startWithAutoStop: (session, nb, durationMs, signal) => startWithAutoStop(context, session, nb, durationMs, true, signal),
    stopAndFollow: (session, nb, signal) => stopAndFollow(context, session, nb, signal),
    output: context.output,
    dispose: context.dispose,
  };
}
