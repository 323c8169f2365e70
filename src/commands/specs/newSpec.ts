// New Training Job Spec: a JSON or YAML template, saved where the user says (or left untitled), checked as it
// is edited.

import * as vscode from 'vscode';
import { validateTrainingJobName } from '../../api/validate';
import { COMMAND } from '../ids';
import { CancelledByUser, type CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showInformation, showInput } from '../../common/safeUi';
import { workspaceOfArg } from '../workspace/pickers';
import { SPEC_FILE_PATTERN, formatSpec, specFileName, templateSpec } from './spec';
import type { SpecDiagnostics } from './specDiagnostics';
import { pickFormat, submitHint } from './specCommon';

/** Sentences with values from the service or a spec file, made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function newSpecCommand(deps: { readonly diagnostics: SpecDiagnostics }): CommandSpec {
  return { id: COMMAND.trainingJobNewSpec, title: vscode.l10n.t('New Training Job Spec'), run: (arg) => newSpec(deps, arg) };
}

async function newSpec(deps: { readonly diagnostics: SpecDiagnostics }, arg: unknown): Promise<void> {
  const format = await pickFormat(l10n.t('New Training Job Spec'));
  const name = await showInput({
    title: l10n.t('New Training Job Spec'),
    prompt: l10n.t('Job name: 1 to 64 letters, digits, "_" or "-"'),
    value: 'my-training-job',
    ignoreFocusOut: true,
    validateInput: (value) => (validateTrainingJobName(value) === undefined ? undefined : l10n.t('{0} must be 1 to 64 letters, digits, "_" or "-".', 'metadata.name')),
  });
  if (name === undefined) throw new CancelledByUser();
  const spec = templateSpec(name);
  // From a workspace or its Training Jobs row, the spec names that workspace; otherwise Submit asks.
  const ws = workspaceOfArg(arg);
  if (ws) (spec.metadata as Record<string, unknown>).workspace_id = ws.id;
  const content = formatSpec(spec, format, submitHint());
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save the training job spec (the schema applies to *.modelarts-job.json and *.modelarts-job.yaml)'),
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, specFileName(name, format)) } : {}),
    filters: format === 'json' ? { [vscode.l10n.t('Training job spec')]: ['json'] } : { [vscode.l10n.t('Training job spec')]: ['yaml', 'yml'] },
  });
  if (!target) {
    // No file: an untitled document still submits, and is checked while it is open.
    const document = await vscode.workspace.openTextDocument({ language: format, content });
    await vscode.window.showTextDocument(document);
    deps.diagnostics.adopt(document);
    return;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
  if (!SPEC_FILE_PATTERN.test(target.path)) {
    void showInformation(l10n.t('Name the file *.modelarts-job.json or *.modelarts-job.yaml to get validation and completion.'));
  }
}
