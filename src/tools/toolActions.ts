// The tools that change something or bill: whether the resource's state allows the action (the lifecycle table
// the menus follow), and the confirmation the user reads first, naming the resource and what it costs. Text
// from the service (names) goes into these messages as it is: VS Code shows them as plain text in its dialog.
// No vscode here.

import type * as vscode from 'vscode';
import { actionsIn, EXECUTION_LIFECYCLE, NOTEBOOK_LIFECYCLE, TRAINING_JOB_LIFECYCLE } from '../api/lifecycle';
import type { Notebook, TrainingJob, WorkflowExecution } from '../api/types';
import { ToolInputError } from './toolInput';

type L10n = typeof vscode.l10n;

export interface ToolConfirmation {
  title: string;
  message: string;
}

const HOUR_MS = 3_600_000;

/** Hours as the user reads them: 2, 1.5. */
const hoursText = (hours: number): string => String(Math.round(hours * 100) / 100);

/** Refuses an action the resource's state does not allow, naming both (before any request that changes something). */
export function checkNotebookAction(nb: Notebook, action: 'start' | 'stop', l10n: L10n): void {
  if (actionsIn(NOTEBOOK_LIFECYCLE, nb.status).includes(action)) return;
  throw new ToolInputError(
    action === 'start'
      ? l10n.t('Notebook {0} ({1}) is {2}: only a stopped notebook can be started.', nb.name, nb.id, nb.status ?? '')
      : l10n.t('Notebook {0} ({1}) is {2}: only a running or starting notebook can be stopped.', nb.name, nb.id, nb.status ?? ''),
  );
}

export function checkJobStop(job: TrainingJob, l10n: L10n): void {
  if (actionsIn(TRAINING_JOB_LIFECYCLE, job.status.phase).includes('stop')) return;
  throw new ToolInputError(l10n.t('Training job {0} ({1}) is {2}: only a job that is creating, pending or running can be stopped.', job.metadata.name, job.metadata.id, job.status.phase ?? ''));
}

export function checkRerun(execution: WorkflowExecution, l10n: L10n): void {
  if (actionsIn(EXECUTION_LIFECYCLE, execution.status).includes('rerun')) return;
  throw new ToolInputError(l10n.t('Execution {0} ({1}) is {2}: only a finished execution can run again.', execution.name ?? execution.execution_id, execution.execution_id, execution.status ?? ''));
}

/** The auto-stop in milliseconds for the service; hours were checked against 1–72 with the input. */
export const autoStopMs = (hours: number): number => Math.round(hours * HOUR_MS);

export function startNotebookConfirmation(nb: Notebook, hours: number, l10n: L10n): ToolConfirmation {
  return {
    title: l10n.t('Start notebook {0}?', nb.name),
    message: l10n.t('An agent asks to start notebook {0} ({1}) on {2}. It is billed by the hour while it runs, and stops automatically after {3} hours.', nb.name, nb.id, nb.flavor ?? l10n.t('its flavor'), hoursText(hours)),
  };
}

export function stopNotebookConfirmation(nb: Notebook, l10n: L10n): ToolConfirmation {
  return {
    title: l10n.t('Stop notebook {0}?', nb.name),
    message: l10n.t('An agent asks to stop notebook {0} ({1}). Running kernels and unsaved work in the instance are lost; billing stops once it has stopped.', nb.name, nb.id),
  };
}

export function stopJobConfirmation(job: TrainingJob, l10n: L10n): ToolConfirmation {
  const resource = job.spec?.resource;
  const flavor = resource?.flavor_id ? `${resource.flavor_id} × ${resource.node_count ?? 1}` : l10n.t('its resources');
  return {
    title: l10n.t('Stop training job {0}?', job.metadata.name),
    message: l10n.t('An agent asks to stop training job {0} ({1}). It is terminated and cannot be resumed; billing for {2} stops.', job.metadata.name, job.metadata.id, flavor),
  };
}

/** The Rerun command's own question, and what it may cost. */
export function rerunExecutionConfirmation(execution: WorkflowExecution, workflowName: string, question: { message: string; detail: string }, l10n: L10n): ToolConfirmation {
  return {
    title: question.message,
    message: l10n.t('An agent asks to rerun execution {0} ({1}) of workflow {2}. {3} Its steps may start training jobs, billed while they run.', execution.name ?? execution.execution_id, execution.execution_id, workflowName, question.detail),
  };
}

/** What an agent's run of a folder is about to do, read locally (no request), for its confirmation. */
export interface RunPreview {
  /** The folder holding `.modelarts/`, as VS Code names it. */
  folderName: string;
  /** The code folder, relative to the workspace. */
  codeFolder: string;
  files: number;
  bytes: number;
  obsFolder: string;
  flavor: string;
  nodeCount: number;
  jobName: string;
  workspaceId: string;
}

export function runFolderConfirmation(preview: RunPreview, size: string, l10n: L10n): ToolConfirmation {
  return {
    title: l10n.t('Run {0} on ModelArts?', preview.folderName),
    message: l10n.t(
      'An agent asks to run {0} with its saved run configuration: of its {1} files ({2}), those changed since the last run upload to {3}, then training job {4} is submitted in workspace {5} on {6} × {7}, billed while it runs.',
      preview.codeFolder,
      preview.files,
      size,
      preview.obsFolder,
      preview.jobName,
      preview.workspaceId,
      preview.flavor || l10n.t('its flavor'),
      preview.nodeCount,
    ),
  };
}
