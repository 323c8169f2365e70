// Stop Training Job: after a modal confirmation; the job is watched until it ends.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import { CancelledByUser, type CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showWarning, withNotificationProgress } from '../../common/safeUi';
import { watchJob, type TrainingCommandDeps } from './jobFollow';
import { refreshNode, resolveJob, STOPPABLE_PHASES, type JobTarget } from './jobTargets';
import type { TrainingJob } from '../../api/types';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function stopJobCommand(deps: TrainingCommandDeps): CommandSpec {
  return { id: COMMAND.trainingJobStop, title: vscode.l10n.t('Stop Training Job'), run: (arg) => stopJob(deps, arg) };
}

export async function stopJob(deps: TrainingCommandDeps, arg?: unknown): Promise<void> {
  const target = await resolveJob(deps, arg, STOPPABLE_PHASES);
  const { job } = target;
  const stop = l10n.t('Stop');
  const answer = await showWarning(l10n.t('Stop training job {0}?', job.metadata.name), { modal: true, detail: l10n.t('The job is terminated; it cannot be resumed.') }, stop);
  if (answer !== stop) throw new CancelledByUser();
  await withNotificationProgress({ title: l10n.t('Stopping training job {0}…', job.metadata.name) }, () => terminateAndWatch(deps, target));
}

/** Stops a job whose stop is confirmed already (by the command's prompt or a tool's) and watches it until it ends. */
export async function terminateAndWatch(deps: TrainingCommandDeps, target: JobTarget, signal?: AbortSignal): Promise<TrainingJob> {
  const stopped = await target.session.client.trainingJobs.terminate(target.job.metadata.id, signal);
  refreshNode(deps, target.node);
  watchJob(deps, { ...target, job: stopped });
  return stopped;
}
