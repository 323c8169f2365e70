// Training job specs: New Training Job Spec (a JSON or YAML file), Submit Training Job (from the open spec:
// checked by the same checker as the Problems panel, refused with its problems listed, or confirmed, created
// and watched until it runs or ends), Export as Spec and Clone and Resubmit (from a job row).

import * as vscode from 'vscode';
import type { Redactor } from '../../api/redact';
import type { TrainingJob } from '../../api/types';
import { validateTrainingJobName } from '../../api/validate';
import type { ActionDeps } from '../actionDeps';
import { CancelledByUser, type CommandSpec } from '../registry';
import { messageText, pickText, safeL10n } from '../../common/safeText';
import { setStatusMessage, showError, showInformation, showInput, showPick, showWarning, withNotificationProgress, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { pickTrainingJob, pickWorkspace, requireSession, trainingJobNodeOf, workspaceNodeOf, workspaceOfArg } from '../workspace/pickers';
import { cloneJobSpec, exportJobSpec, isSubmitFinal, submitOutcome, submitSpec } from './jobs';
import { SPEC_FILE_PATTERN, formatSpec, specFileName, templateSpec, type SpecFormat } from './spec';
import { createSpecDiagnostics, type SpecDiagnostics } from './specDiagnostics';
import { COMMAND } from '../ids';

/** Sentences with values from the service or a spec file, made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

function submitHint(): string {
  return vscode.l10n.t('Submit with "ModelArts: Submit Training Job" from the Command Palette.');
}

async function pickFormat(title: Said<'label'>): Promise<SpecFormat> {
  const pick = await showPick(
    [
      { label: pickText('YAML'), description: pickText('.modelarts-job.yaml'), format: 'yaml' as const },
      { label: pickText('JSON'), description: pickText('.modelarts-job.json'), format: 'json' as const },
    ],
    { title, placeHolder: l10n.t('Format of the spec') },
  );
  if (!pick) throw new CancelledByUser();
  return pick.format;
}

/**
 * An untitled spec document, checked in the Problems panel as it is edited; any registered secret (AK, SK,
 * token, app secret) a job echoes is blanked.
 */
async function openSpecDocument(spec: unknown, format: SpecFormat, redactor: Redactor, diagnostics: SpecDiagnostics): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: format, content: redactor.redact(formatSpec(spec, format, submitHint())) });
  await vscode.window.showTextDocument(document);
  diagnostics.adopt(document);
}

function withCancel<T>(title: Said<'message'>, run: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return withNotificationProgress({ title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return run(controller.signal);
  });
}

export function createSpecActions(deps: ActionDeps): { commands: CommandSpec[]; dispose(): void } {
  const diagnostics = createSpecDiagnostics(vscode.Uri.joinPath(deps.context.extensionUri, 'schemas', 'training-job-spec.schema.json'), deps.log);

  const newSpec = async (arg: unknown): Promise<void> => {
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
      diagnostics.adopt(document);
      return;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
    if (!SPEC_FILE_PATTERN.test(target.path)) {
      void showInformation(l10n.t('Name the file *.modelarts-job.json or *.modelarts-job.yaml to get validation and completion.'));
    }
  };

  const submit = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const document = arg instanceof vscode.Uri ? await vscode.workspace.openTextDocument(arg) : vscode.window.activeTextEditor?.document;
    if (!document) {
      void showWarning(l10n.t('Open a training job spec (JSON or YAML) first, or create one with "New Training Job Spec".'));
      throw new CancelledByUser();
    }
    // Everything checkable is checked before any request (the workspace pick lists workspaces), by the
    // checker of the Problems panel, which then shows the same problems.
    const { value: spec, problems } = await diagnostics.check(document);
    if (problems.length > 0) {
      // The text just checked: the check ends synchronously after its one await, before any edit can land.
      const text = document.getText();
      const { refusalMessage } = await import('./specCheck');
      const showProblems = l10n.t('Show Problems');
      // The spec may be a file the user did not write: its text is data.
      void showError(messageText(refusalMessage(problems, text, vscode.l10n)), showProblems).then((choice) => {
        if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return;
    }
    const checked = spec as { metadata: { name: string; workspace_id?: string }; spec: { resource: { flavor_id?: string; pool_id?: string; node_count: number } } };
    const ws = checked.metadata.workspace_id ?? (await pickWorkspace(deps, session, undefined, l10n.t('Workspace to submit the job to'))).id;
    const resource = checked.spec.resource;
    const submitButton = l10n.t('Submit');
    const answer = await showWarning(
      l10n.t('Submit training job "{0}" to workspace {1}?', checked.metadata.name, ws),
      {
        modal: true,
        detail: l10n.t('It runs on {0} node(s) of {1} and is billed while it runs.', resource.node_count, resource.flavor_id ?? resource.pool_id ?? '?'),
      },
      submitButton,
    );
    if (answer !== submitButton) throw new CancelledByUser();
    // The progress shows from the moment the user confirms (the schema is read already: the check read it).
    const { job } = await withCancel(l10n.t('Submitting training job {0}…', checked.metadata.name), async (signal) =>
      submitSpec(session.client, spec, await diagnostics.schema(), vscode.l10n, ws, signal),
    );
    deps.log.info(`Submitted training job ${job.metadata.name} (${job.metadata.id}) to workspace ${ws}`);
    // Said at once: the watch's notification comes only when the job runs or ends, which takes a while.
    void showInformation(l10n.t('Training job {0} submitted; watching it until it runs.', job.metadata.name || checked.metadata.name));
    const group = workspaceNodeOf(deps, ws)?.groups[0];
    if (group) deps.explorer.model?.refresh(group);
    watchSubmitted(session, job, ws);
  };

  const watchSubmitted = (session: ActiveSession, job: TrainingJob, ws: string): void => {
    const id = job.metadata.id;
    let phase = job.status.phase;
    const watch = deps.watches.watch(
      `trainingJob:${id}:submitted`,
      (signal) => session.client.trainingJobs.get(id, signal),
      isSubmitFinal,
      {
        onUpdate: (fresh) => {
          if (fresh.status.phase === phase) return;
          phase = fresh.status.phase;
          const node = trainingJobNodeOf(deps, id);
          const target = node ?? workspaceNodeOf(deps, ws)?.groups[0];
          if (target) deps.explorer.model?.refresh(target);
        },
      },
    );
    void watch.done.then(async (result) => {
      if (result.status === 'failed') {
        deps.log.warn(`Watching training job ${id} stopped: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
        return;
      }
      if (result.status !== 'final') return;
      const outcome = submitOutcome(result.value, vscode.l10n);
      const showLogs = l10n.t('Show Logs');
      const copyId = l10n.t('Copy ID');
      const choice = outcome.ok ? await showInformation(outcome.message, showLogs, copyId) : await showError(outcome.message, showLogs, copyId);
      if (choice === copyId) {
        await vscode.env.clipboard.writeText(id);
        setStatusMessage(l10n.t('Copied: {0}', id), 3000);
      } else if (choice === showLogs) {
        // The row when it is loaded; otherwise the command asks for the job.
        const node = trainingJobNodeOf(deps, id);
        await vscode.commands.executeCommand(COMMAND.trainingJobFollowLogs, ...(node ? [node] : []));
      }
    });
  };

  const exportSpec = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const job = await pickTrainingJob(deps, session, arg, l10n.t('Training job to export'));
    const format = await pickFormat(l10n.t('Export as Spec'));
    const spec = await withCancel(l10n.t('Reading training job {0}…', job.name), (signal) => exportJobSpec(session.client, job.id, vscode.l10n, signal));
    await openSpecDocument(spec, format, deps.redactor, diagnostics);
  };

  const clone = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const job = await pickTrainingJob(deps, session, arg, l10n.t('Training job to clone'));
    const format = await pickFormat(l10n.t('Clone and Resubmit'));
    const spec = await withCancel(l10n.t('Reading training job {0}…', job.name), (signal) => cloneJobSpec(session.client, job.id, vscode.l10n, signal));
    await openSpecDocument(spec, format, deps.redactor, diagnostics);
    const name = (spec.metadata as { name: string }).name;
    void showInformation(l10n.t('Edit {0} as needed, then run "Submit Training Job" to submit it.', name));
  };

  return {
    commands: [
      { id: COMMAND.trainingJobNewSpec, title: vscode.l10n.t('New Training Job Spec'), run: newSpec },
      { id: COMMAND.trainingJobSubmit, title: vscode.l10n.t('Submit Training Job'), run: submit },
      { id: COMMAND.trainingJobExportSpec, title: vscode.l10n.t('Export as Spec'), run: exportSpec },
      { id: COMMAND.trainingJobClone, title: vscode.l10n.t('Clone and Resubmit'), run: clone },
    ],
    dispose: () => {
      diagnostics.dispose();
    },
  };
}
