// Submit Training Job: the open spec, checked by the same checker as the Problems panel, refused with its
// problems listed, or confirmed, created and watched until it runs or ends. A run configuration is handed to
// Run on ModelArts, which uploads its folder first.

import * as vscode from 'vscode';
import type { TrainingJob } from '../../api/types';
import { COMMAND } from '../ids';
import { CancelledByUser, type CommandSpec } from '../registry';
import { messageText, safeL10n } from '../../common/safeText';
import { setStatusMessage, showError, showInformation, showWarning } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { pickWorkspace, requireSession, trainingJobNodeOf, workspaceNodeOf } from '../workspace/pickers';
import { isSubmitFinal, submitOutcome, submitSpec } from './jobs';
import { isRunConfiguration } from './spec';
import { withCancel, type SpecCommandDeps } from './specCommon';

/** Sentences with values from the service or a spec file, made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function submitCommand(deps: SpecCommandDeps): CommandSpec {
  return { id: COMMAND.trainingJobSubmit, title: vscode.l10n.t('Submit Training Job'), run: (arg) => submit(deps, arg) };
}

async function submit(deps: SpecCommandDeps, arg: unknown): Promise<void> {
  const { diagnostics } = deps;
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
  // The service knows no code block, and code_dir is the run's to fill in once it has uploaded the folder.
  if (isRunConfiguration(spec)) {
    await vscode.commands.executeCommand(COMMAND.runFolder, document.uri);
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
  watchSubmitted(deps, session, job, ws);
}

function watchSubmitted(deps: SpecCommandDeps, session: ActiveSession, job: TrainingJob, ws: string): void {
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
}
