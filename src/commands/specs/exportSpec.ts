// Export as Spec and Clone and Resubmit: a training job read back as a spec document, checked as it is edited.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { pickTrainingJob, requireSession } from '../workspace/pickers';
import { cloneJobSpec, exportJobSpec } from './jobs';
import { openSpecDocument, pickFormat, withCancel, type SpecCommandDeps } from './specCommon';

/** Sentences with values from the service or a spec file, made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function exportSpecCommand(deps: SpecCommandDeps): CommandSpec {
  return { id: COMMAND.trainingJobExportSpec, title: vscode.l10n.t('Export as Spec'), run: (arg) => exportSpec(deps, arg) };
}

export function cloneCommand(deps: SpecCommandDeps): CommandSpec {
  return { id: COMMAND.trainingJobClone, title: vscode.l10n.t('Clone and Resubmit'), run: (arg) => clone(deps, arg) };
}

async function exportSpec(deps: SpecCommandDeps, arg: unknown): Promise<void> {
  const session = requireSession(deps);
  const job = await pickTrainingJob(deps, session, arg, l10n.t('Training job to export'));
  const format = await pickFormat(l10n.t('Export as Spec'));
  const spec = await withCancel(l10n.t('Reading training job {0}…', job.name), (signal) => exportJobSpec(session.client, job.id, vscode.l10n, signal));
  await openSpecDocument(spec, format, deps.redactor, deps.diagnostics);
}

async function clone(deps: SpecCommandDeps, arg: unknown): Promise<void> {
  const session = requireSession(deps);
  const job = await pickTrainingJob(deps, session, arg, l10n.t('Training job to clone'));
  const format = await pickFormat(l10n.t('Clone and Resubmit'));
  const spec = await withCancel(l10n.t('Reading training job {0}…', job.name), (signal) => cloneJobSpec(session.client, job.id, vscode.l10n, signal));
  await openSpecDocument(spec, format, deps.redactor, deps.diagnostics);
  const name = (spec.metadata as { name: string }).name;
  void showInformation(l10n.t('Edit {0} as needed, then run "Submit Training Job" to submit it.', name));
}
