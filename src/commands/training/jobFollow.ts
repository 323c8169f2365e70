// Following a training job: its log and events into output channels until it ends, and a watch on the jobs
// acted on, with one notification when each ends. Shared by Follow Logs, Show Events, Save Image and Stop.

import * as vscode from 'vscode';
import { systemClock } from '../../api/clock';
import type { ActionDeps } from '../actionDeps';
import { safeL10n } from '../../common/safeText';
import { showInformation, showWarning } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import type { LogSink } from '../../watch/cappedOutput';
import type { FollowEnd, JobFollowOptions } from '../../watch/follow';
import { followLog } from '../../watch/logFollower';
import type { Followed } from '../../watch/streams';
import { isFinalPhase, pickTask, refreshNode, type JobTarget } from './jobTargets';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** What following and watching jobs use of the extension, and the settings they read. */
export interface JobFollowDeps extends Pick<ActionDeps, 'explorer' | 'log' | 'watches' | 'streams' | 'walkthrough'> {
  readonly intervalMs: () => number;
  readonly maxLines: () => number;
  /** Watches that already notified: one notification per job. */
  readonly notified: Set<string>;
}

/** Watches a job the user acted on until it ends, visible or not, and notifies once when it does. */
export function watchJob(deps: JobFollowDeps, target: JobTarget): void {
  const { session: s, job } = target;
  if (isFinalPhase(job.status.phase)) return;
  const key = `trainingJob:${s.profile}:${job.metadata.id}`;
  if (deps.watches.has(key)) return;
  let lastPhase = job.status.phase;
  const watch = deps.watches.watch(
    key,
    (signal) => s.client.trainingJobs.get(job.metadata.id, signal),
    (value) => isFinalPhase(value.status.phase),
    {
      signature: (value) => value.status.phase ?? '',
      onUpdate: (value) => {
        if (value.status.phase !== lastPhase) refreshNode(deps, target.node);
        lastPhase = value.status.phase;
      },
    },
  );
  void watch.done.then(async (result) => {
    if (result.status !== 'final' || deps.notified.has(key)) return;
    deps.notified.add(key);
    const ended = result.value;
    const showLogs = l10n.t('Show Logs');
    const copyId = l10n.t('Copy ID');
    const text = l10n.t('Training job {0} ended: {1}.', ended.metadata.name, stateWord('trainingJob', ended.status.phase, vscode.l10n));
    const choice = ended.status.phase === 'Completed' ? await showInformation(text, showLogs, copyId) : await showWarning(text, showLogs, copyId);
    if (choice === showLogs) await startLogFollow(deps, { ...target, job: ended }).catch((error: unknown) => deps.log.warn(`Show Logs: ${String(error)}`));
    if (choice === copyId) await vscode.env.clipboard.writeText(ended.metadata.id);
  });
}

/** Opens (or reveals) the channel for `key` and runs the follower `start` builds into it until it ends. */
export function startJobStreamFollow(
  deps: JobFollowDeps,
  key: string,
  channelName: string,
  followed: Followed,
  start: (common: JobFollowOptions) => { done: Promise<FollowEnd> },
  readPhase: JobFollowOptions['readPhase'],
): boolean {
  const { stream, isNew } = deps.streams.open(key, channelName, followed);
  if (!isNew) return false;
  const follower = start({
    readPhase,
    isFinal: isFinalPhase,
    sink: stream.channel,
    clock: systemClock,
    signal: stream.signal,
    intervalMs: deps.intervalMs,
    maxLines: deps.maxLines,
    l10n: vscode.l10n,
    log: deps.log,
  });
  void follower.done.then((end) => {
    deps.streams.ended(key, stream);
    if (end.reason === 'failed') deps.log.warn(`follow ${key} stopped: ${String(end.error)}`);
  });
  return true;
}

export const phaseOf = (s: JobTarget['session'], jobId: string) => async (signal: AbortSignal) => (await s.client.trainingJobs.get(jobId, signal)).status.phase;

/** The stream key of a task's log follow; the dashboard listens on the same key. */
export const logStreamKey = (profile: string, jobId: string, task: string): string => `logs:${profile}:${jobId}/${task}`;

export async function startLogFollow(deps: JobFollowDeps, target: JobTarget): Promise<void> {
  const task = await pickTask(target);
  const { session: s, job } = target;
  const jobId = job.metadata.id;
  const key = logStreamKey(s.profile, jobId, task);
  const started = startJobStreamFollow(
    deps,
    key,
    `ModelArts Logs: ${job.metadata.name}/${task}`,
    { label: `${job.metadata.name}/${task}`, resource: jobId, part: task },
    (common) => {
      // The walkthrough's step is done once the log shows something, not when the follow merely starts.
      const sink: LogSink = {
        append: (text) => {
          common.sink.append(text);
          deps.walkthrough.reached('logsFollowed');
        },
        replace: (text) => common.sink.replace(text),
      };
      return followLog({ ...common, sink, readPreview: (signal) => s.client.trainingJobs.getLogPreview(jobId, task, signal), onText: (text, end) => deps.streams.emit(key, text, end) });
    },
    phaseOf(s, jobId),
  );
  if (started) watchJob(deps, target);
}

/** What the commands that pick a job and follow or watch it use. */
export type TrainingCommandDeps = JobFollowDeps & Pick<ActionDeps, 'sessions'>;
