// A submitted run, watched until it ends: its row revealed once the tree has it, worker-0's log followed once
// the job has tasks, and one notification when it ends, with Show Logs, Run Again and Open Outputs in OBS.

import * as vscode from 'vscode';
import { isFinal, TRAINING_JOB_LIFECYCLE } from '../../api/lifecycle';
import type { TrainingJob } from '../../api/types';
import { safeL10n } from '../../common/safeText';
import { showError, showInformation } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { COMMAND } from '../ids';
import { submitOutcome } from '../specs/jobs';
import type { RunHost } from './runFeature';
import type { RunAgain } from './runPlace';

const l10n = safeL10n(vscode.l10n);
/** The row appears once the group's page has loaded: looked for this often, this many times. */
const REVEAL_INTERVAL_MS = 500;
const REVEAL_ATTEMPTS = 60;

/** The task whose log a run follows: worker-0, else the first one. */
export function followedTask(job: TrainingJob): string | undefined {
  return job.status.tasks.includes('worker-0') ? 'worker-0' : job.status.tasks.find((task) => task !== '');
}

/** Follows the job's log (a final job's log is shown whole). */
export async function followRunLog(host: RunHost, session: ActiveSession, jobId: string): Promise<void> {
  const job = await session.client.trainingJobs.get(jobId);
  const task = followedTask(job);
  if (task === undefined) {
    void showInformation(l10n.t('Training job {0} has no tasks yet.', job.metadata.name));
    return;
  }
  await host.followLog({ session, job, task, node: host.jobRow(jobId) });
}

export interface WatchedRun {
  session: ActiveSession;
  job: TrainingJob;
  workspaceId: string | undefined;
  configUri: vscode.Uri;
  /** The configuration names outputs: Open Outputs in OBS is offered. */
  outputs: boolean;
}

export function watchRun(host: RunHost, run: WatchedRun): void {
  const { deps } = host;
  const { session, job, workspaceId } = run;
  const id = job.metadata.id;
  let revealed = false;
  let followed = false;
  let phase = job.status.phase;
  const refreshGroup = (): void => {
    const group = workspaceId === undefined ? undefined : host.jobsGroup(workspaceId);
    if (group) deps.explorer.model?.refresh(group);
  };
  // The Training Jobs group is opened (it may never have been) and reloaded, then the row is selected once it
  // has loaded; the workbench may drop an expand that races with a redraw, so it is asked again now and then.
  const openGroup = async (): Promise<void> => {
    const group = workspaceId === undefined ? undefined : host.jobsGroup(workspaceId);
    if (!group) return;
    await Promise.resolve(deps.explorer.view.reveal(group, { expand: true, select: false, focus: false })).catch(() => undefined);
    deps.explorer.model?.refresh(group);
  };
  const reveal = (attempt: number): void => {
    const node = host.jobRow(id);
    if (node) {
      revealed = true;
      void Promise.resolve(deps.explorer.view.reveal(node, { select: true, focus: false })).catch(() => undefined);
      return;
    }
    if (revealed || attempt >= REVEAL_ATTEMPTS) return;
    if (attempt % 6 === 0) void openGroup();
    setTimeout(() => reveal(attempt + 1), REVEAL_INTERVAL_MS);
  };
  const step = (fresh: TrainingJob): void => {
    const node = host.jobRow(id);
    if (fresh.status.phase !== phase) {
      phase = fresh.status.phase;
      if (node) deps.explorer.model?.refresh(node);
      else refreshGroup();
    }
    if (node && !revealed) reveal(REVEAL_ATTEMPTS);
    const task = followedTask(fresh);
    if (!followed && task !== undefined && fresh.status.phase !== 'Pending' && fresh.status.phase !== 'Creating') {
      followed = true;
      host.followLog({ session, job: fresh, task, node }).catch((error: unknown) => deps.log.warn(`Following ${id}/${task}: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  reveal(0);
  // The key of Follow Logs' own watch: this one notifies instead of it, with the run's buttons.
  const watch = deps.watches.watch(`trainingJob:${session.profile}:${id}`, (signal) => session.client.trainingJobs.get(id, signal), (value) => isFinal(TRAINING_JOB_LIFECYCLE, value.status.phase), {
    signature: (value) => `${value.status.phase ?? ''} ${value.status.tasks.join(',')}`,
    onUpdate: step,
  });
  void watch.done.then(async (result) => {
    if (result.status !== 'final') return;
    const ended = result.value;
    step(ended);
    const outcome = submitOutcome(ended, vscode.l10n);
    const showLogs = l10n.t('Show Logs');
    const again = l10n.t('Run Again');
    const openOutputs = l10n.t('Open Outputs in OBS');
    const buttons = run.outputs ? [showLogs, again, openOutputs] : [showLogs, again];
    const choice = outcome.ok ? await showInformation(outcome.message, ...buttons) : await showError(outcome.message, ...buttons);
    if (choice === showLogs) await followRunLog(host, session, id).catch((error: unknown) => deps.log.warn(`Show Logs: ${String(error)}`));
    else if (choice === again) await vscode.commands.executeCommand(COMMAND.runFolder, { runAgain: run.configUri.toString() } satisfies RunAgain);
    else if (choice === openOutputs) await host.openOutputs({ id, name: ended.metadata.name, workspaceId });
  });
}
