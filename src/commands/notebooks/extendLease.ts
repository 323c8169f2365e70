// Extend Notebook Lease: "stop N hours from now", only the choices later than the current auto-stop offered.

import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import { leaseEnd } from '../../api/notebooks';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showInformation, withNotificationProgress } from '../../common/safeUi';
import { extendChoices, stopTime } from './notebookLogic';
import { renew, type NotebookContext } from './notebookContext';
import { pickDuration, target } from './notebookPrompts';

/** Sentences with the service's values (names, reasons), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function extendLeaseCommand(context: NotebookContext): CommandSpec {
  return { id: COMMAND.notebookExtendLease, title: vscode.l10n.t('Extend Notebook Lease'), run: (arg) => extendLease(context, arg) };
}

async function extendLease(context: NotebookContext, arg: unknown): Promise<void> {
  const { session, nb } = await target(context.deps, arg, 'extendLease', l10n.t('Extend the lease of which notebook?'));
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
    (_progress, token) => renew(context, session, nb, durationMs, abortOn(token)),
  );
  const end = leaseEnd(fresh);
  void showInformation(
    end === undefined
      ? l10n.t('The lease of {0} was renewed.', fresh.name)
      : l10n.t('The auto-stop of {0} moved to {1}.', fresh.name, stopTime(end, session.serviceClock.now())),
  );
}
