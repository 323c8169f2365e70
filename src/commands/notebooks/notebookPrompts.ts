// The questions the notebook commands ask: which notebook, how long, and a modal go-ahead.

import * as vscode from 'vscode';
import type { Notebook } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { requireSession } from '../prompts';
import { CancelledByUser } from '../registry';
import type { ActiveSession } from '../../common/session';
import { pickText, safeL10n, type Words } from '../../common/safeText';
import { showInformation, showPick, showWarning, withViewProgress, type Said } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { NotebookNode } from '../../explorer/nodes/notebookNode';
import { NOTEBOOK_ACTION_STATES, type DurationChoice, type NotebookActionName } from './notebookLogic';

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface Target {
  session: ActiveSession;
  nb: Notebook;
}

/** The notebook a command acts on: the row it was given, else one picked from the session's notebooks. */
export async function target(deps: Pick<ActionDeps, 'sessions'>, arg: unknown, action: NotebookActionName, placeHolder: Said<'label'>): Promise<Target> {
  const session = requireSession(deps.sessions);
  if (arg instanceof NotebookNode) return { session, nb: arg.item };
  const nb = await pickNotebook(session, (n) => NOTEBOOK_ACTION_STATES[action].includes(n.status ?? ''), placeHolder, l10n.t('No notebook is in a state for this action.'));
  return { session, nb };
}

export async function pickDuration(choices: DurationChoice[], title: Said<'label'>, placeHolder: Said<'label'>): Promise<DurationChoice> {
  const pick = await showPick(
    choices.map((c) => ({ label: pickText(c.label), choice: c })),
    { title, placeHolder },
  );
  if (!pick) throw new CancelledByUser();
  return pick.choice;
}

/** A modal warning that goes on only when `button` is pressed (a quiet cancel otherwise). */
export async function confirm(message: Words, detail: Words, button: Words): Promise<void> {
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
