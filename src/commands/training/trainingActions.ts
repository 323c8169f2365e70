// Training job actions: save a task's image to SWR, follow a task's log, show the job's events, stop the job,
// add and remove tags; jobs acted on are watched until they end, with one notification. The logic lives in
// vscode-free modules (saveImage.ts, ../../watch/eventsFollower.ts, ../../watch/logFollower.ts); this file asks and shows.

import * as vscode from 'vscode';
import { systemClock } from '../../api/clock';
import { actionsIn, isFinal, TRAINING_JOB_LIFECYCLE, type TrainingJobActionName } from '../../api/lifecycle';
import { TRAINING_PHASES, type TrainingJob, type TrainingPhase } from '../../api/types';
import {
  validateImageDescription,
  validateImageName,
  validateImageNamespace,
  validateImageTag,
  validateTagKey,
  validateTagValue,
  DEFAULT_IMAGE_TAG,
} from '../../api/validate';
import type { ActionDeps } from '../actionDeps';
import { askText, requireSession } from '../prompts';
import { CancelledByUser, type CommandSpec } from '../registry';
import type { ActiveSession } from '../../common/session';
import { lineText, messageText, pickText, promptText, safeL10n } from '../../common/safeText';
import { setStatusMessage, showError, showInformation, showPick, showWarning, withNotificationProgress, type Said } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { localOffsetMinutes, zoneLabel } from '../../common/time';
import { onDidChangeSettings, readSettings, type Settings } from '../../common/settings';
import type { ExplorerNode } from '../../explorer/nodes/node';
import { TaskNode } from '../../explorer/nodes/taskNode';
import { TrainingJobNode } from '../../explorer/nodes/trainingJobNode';
import type { LogSink } from '../../watch/cappedOutput';
import type { FollowEnd, JobFollowOptions } from '../../watch/follow';
import { followLog } from '../../watch/logFollower';
import type { Followed } from '../../watch/streams';
import { followEvents, readEventsAfter } from '../../watch/eventsFollower';
import { runSaveImage } from './saveImage';
import { COMMAND } from '../ids';

/** Sentences with the service's values (names, tags, build messages), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** Phases after which a job never changes. */
/** The phases in which `action` is allowed, as the search filter takes them. */
const phasesAllowing = (action: TrainingJobActionName): TrainingPhase[] => TRAINING_PHASES.filter((phase) => actionsIn(TRAINING_JOB_LIFECYCLE, phase).includes(action));
const STOPPABLE_PHASES = phasesAllowing('stop');
const SAVEABLE_PHASES = phasesAllowing('saveImage');

export function isFinalPhase(phase: string | undefined): boolean {
  return isFinal(TRAINING_JOB_LIFECYCLE, phase);
}

interface JobTarget {
  session: ActiveSession;
  job: TrainingJob;
  /** The job's row, to refresh after an action. */
  node?: ExplorerNode;
  /** Given when the command came from a task row. */
  task?: string;
}

export function createTrainingActions(deps: ActionDeps): { commands: CommandSpec[]; dispose(): void } {
  let settings: Settings = readSettings();
  const settingsListener = onDidChangeSettings((next) => {
    settings = next;
  });
  let imagesChannel: vscode.OutputChannel | undefined;
  const images = (): vscode.OutputChannel => (imagesChannel ??= vscode.window.createOutputChannel('ModelArts: Images'));
  /** Watches that already notified: one notification per job. */
  const notified = new Set<string>();
  const intervalMs = (): number => settings.refreshIntervalSeconds * 1000;
  const maxLines = (): number => settings.logsMaxLines;

  const session = (): ActiveSession => requireSession(deps.sessions);

  const refresh = (node: ExplorerNode | undefined): void => {
    if (node) deps.explorer.model?.refresh(node);
  };

  // ------------------------------------------------------------ targets

  const pickJob = async (s: ActiveSession, phases?: readonly TrainingPhase[]): Promise<TrainingJob> => {
    const pager = s.client.trainingJobs.search({ pageSize: 50, phase: phases });
    const jobs = await pager.loadNext();
    if (jobs.length === 0) throw new Error(phases ? vscode.l10n.t('No training job is {0}.', phases.map((p) => stateWord('trainingJob', p, vscode.l10n)).join(', ')) : vscode.l10n.t('No training job found.'));
    const picked = await showPick(
      jobs.map((job) => ({ label: pickText(job.metadata.name || job.metadata.id), description: pickText(stateWord('trainingJob', job.status.phase, vscode.l10n)), detail: pickText(job.metadata.id), job })),
      { placeHolder: l10n.t('Pick a training job') },
    );
    if (!picked) throw new CancelledByUser();
    return picked.job;
  };

  const resolveJob = async (arg: unknown, phases?: readonly TrainingPhase[]): Promise<JobTarget> => {
    const s = session();
    if (arg instanceof TaskNode) return { session: s, job: arg.job.item, node: arg.job, task: arg.task };
    if (arg instanceof TrainingJobNode) return { session: s, job: arg.item, node: arg };
    return { session: s, job: await pickJob(s, phases) };
  };

  const pickTask = async (target: JobTarget): Promise<string> => {
    if (target.task) return target.task;
    const tasks = [...new Set(target.job.status.tasks.filter((name) => name !== ''))];
    if (tasks.length === 0) throw new Error(vscode.l10n.t('Training job {0} has no tasks yet.', target.job.metadata.name));
    if (tasks.length === 1) return tasks[0];
    const picked = await showPick(
      tasks.map((task) => ({ label: pickText(task), task })),
      { placeHolder: l10n.t('Pick a task of {0}', target.job.metadata.name) },
    );
    if (!picked) throw new CancelledByUser();
    return picked.task;
  };

  // ------------------------------------------------------------ watched jobs

  /** Watches a job the user acted on until it ends, visible or not, and notifies once when it does. */
  const watchJob = (target: JobTarget): void => {
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
          if (value.status.phase !== lastPhase) refresh(target.node);
          lastPhase = value.status.phase;
        },
      },
    );
    void watch.done.then(async (result) => {
      if (result.status !== 'final' || notified.has(key)) return;
      notified.add(key);
      const ended = result.value;
      const showLogs = l10n.t('Show Logs');
      const copyId = l10n.t('Copy ID');
      const text = l10n.t('Training job {0} ended: {1}.', ended.metadata.name, stateWord('trainingJob', ended.status.phase, vscode.l10n));
      const choice = ended.status.phase === 'Completed' ? await showInformation(text, showLogs, copyId) : await showWarning(text, showLogs, copyId);
      if (choice === showLogs) await startLogFollow({ ...target, job: ended }).catch((error: unknown) => deps.log.warn(`Show Logs: ${String(error)}`));
      if (choice === copyId) await vscode.env.clipboard.writeText(ended.metadata.id);
    });
  };

  // ------------------------------------------------------------ follow logs / events

  /** Opens (or reveals) the channel for `key` and runs the follower `start` builds into it until it ends. */
  const runFollow = (
    key: string,
    channelName: string,
    followed: Followed,
    start: (common: JobFollowOptions) => { done: Promise<FollowEnd> },
    readPhase: JobFollowOptions['readPhase'],
  ): boolean => {
    const { stream, isNew } = deps.streams.open(key, channelName, followed);
    if (!isNew) return false;
    const follower = start({
      readPhase,
      isFinal: isFinalPhase,
      sink: stream.channel,
      clock: systemClock,
      signal: stream.signal,
      intervalMs,
      maxLines,
      l10n: vscode.l10n,
      log: deps.log,
    });
    void follower.done.then((end) => {
      deps.streams.ended(key, stream);
      if (end.reason === 'failed') deps.log.warn(`follow ${key} stopped: ${String(end.error)}`);
    });
    return true;
  };

  const phaseOf = (s: JobTarget['session'], jobId: string) => async (signal: AbortSignal) => (await s.client.trainingJobs.get(jobId, signal)).status.phase;

  const startLogFollow = async (target: JobTarget): Promise<void> => {
    const task = await pickTask(target);
    const { session: s, job } = target;
    const jobId = job.metadata.id;
    const started = runFollow(
      `logs:${s.profile}:${jobId}/${task}`,
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
        return followLog({ ...common, sink, readPreview: (signal) => s.client.trainingJobs.getLogPreview(jobId, task, signal) });
      },
      phaseOf(s, jobId),
    );
    if (started) watchJob(target);
  };

  const followLogs = async (arg?: unknown): Promise<void> => {
    await startLogFollow(await resolveJob(arg, SAVEABLE_PHASES));
  };

  const showEvents = async (arg?: unknown): Promise<void> => {
    const { session: s, job } = await resolveJob(arg);
    const jobId = job.metadata.id;
    runFollow(
      `events:${s.profile}:${jobId}`,
      `ModelArts Logs: ${job.metadata.name}/events`,
      { label: `${job.metadata.name}/events`, resource: jobId },
      (common) => {
        // The service writes China time; the lines show the computer's, and say which once.
        common.sink.append(`${lineText(vscode.l10n.t('Events of {0}; times are local ({1}).', job.metadata.name, zoneLabel(localOffsetMinutes(Date.now()))))}\n`);
        return followEvents({ ...common, readEvents: (seen, signal) => readEventsAfter(s.client.trainingJobs, jobId, seen, signal) });
      },
      phaseOf(s, jobId),
    );
  };

  const stopFollowing = async (arg?: unknown): Promise<void> => {
    const running = deps.streams.following;
    let keys: string[];
    if (arg instanceof TaskNode) keys = running.filter(({ followed: f }) => f.resource === arg.job.key && f.part === arg.task).map(({ key }) => key);
    else if (arg instanceof TrainingJobNode) keys = running.filter(({ followed: f }) => f.resource === arg.key).map(({ key }) => key);
    else {
      if (running.length === 0) {
        void showInformation(l10n.t('No log is being followed.'));
        return;
      }
      const picked = await showPick(
        running.map(({ key, followed }) => ({ label: pickText(followed.label), key })),
        { placeHolder: l10n.t('Stop following which log?') },
      );
      if (!picked) throw new CancelledByUser();
      keys = [picked.key];
    }
    if (keys.length === 0) {
      void showInformation(l10n.t('No log of this job is being followed.'));
      return;
    }
    for (const key of keys) deps.streams.stop(key, vscode.l10n.t('[Stopped following]'));
  };

  // ------------------------------------------------------------ save image

  // The API's input checks, translated (their English is the key).
  const reason = (r: string | undefined): Said<'prompt'> | undefined => (r === undefined ? undefined : promptText(vscode.l10n.t(r)));

  const saveImage = async (arg?: unknown): Promise<void> => {
    const target = await resolveJob(arg, SAVEABLE_PHASES);
    const task = await pickTask(target);
    const { session: s, job } = target;
    const name = await askText({ title: l10n.t('Save Image to SWR'), prompt: l10n.t('Image name'), validateInput: (v) => reason(validateImageName(v)) });
    const namespace = await askText({
      title: l10n.t('Save Image to SWR'),
      prompt: l10n.t('SWR organization (namespace)'),
      validateInput: (v) => reason(validateImageNamespace(v)),
    });
    const tag = await askText({ title: l10n.t('Save Image to SWR'), prompt: l10n.t('Image tag'), value: DEFAULT_IMAGE_TAG, validateInput: (v) => reason(validateImageTag(v)) });
    const description = await askText({
      title: l10n.t('Save Image to SWR'),
      prompt: l10n.t('Description (optional)'),
      validateInput: (v) => reason(validateImageDescription(v)),
    });
    const request = { name, namespace, tag, description };
    const channel = images();
    channel.appendLine(lineText(vscode.l10n.t('Saving the image of {0}/{1} as {2}/{3}:{4}', job.metadata.name, task, namespace, name, tag || DEFAULT_IMAGE_TAG)));
    channel.show(true);
    watchJob(target);
    const outcome = await withNotificationProgress(
      { cancellable: true, title: l10n.t('Saving the image of {0}/{1}', job.metadata.name, task) },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          return await runSaveImage({
            api: s.client.trainingJobs,
            watches: deps.watches,
            profile: s.profile,
            region: s.region,
            jobId: job.metadata.id,
            task,
            request,
            signal: controller.signal,
            onProgress: (saved, lines) => {
              progress.report({ message: messageText(saved.status ?? '') });
              // One append per read: the new lines only, each one line whatever the service wrote.
              if (lines.length > 0) channel.append(`${lines.map(lineText).join('\n')}\n`);
            },
          });
        } finally {
          cancel.dispose();
        }
      },
    );
    if (outcome.status === 'cancelled') {
      channel.appendLine(vscode.l10n.t('[No longer watching the image build: it goes on in ModelArts.]'));
      return;
    }
    if (outcome.status === 'ACTIVE') {
      deps.walkthrough.reached('imageSaved');
      channel.appendLine(lineText(vscode.l10n.t('Image saved: {0}', outcome.swrPath)));
      const copy = l10n.t('Copy SWR Path');
      const choice = await showInformation(l10n.t('Image saved: {0}', outcome.swrPath), copy);
      if (choice === copy) await vscode.env.clipboard.writeText(outcome.swrPath);
      return;
    }
    const lines = outcome.message.split('\n').filter((line) => line.trim() !== '');
    channel.appendLine(vscode.l10n.t('Saving the image failed.'));
    const showLog = l10n.t('Show Log');
    const choice = await showError(l10n.t('Saving the image failed: {0}', lines[lines.length - 1] ?? outcome.message), showLog);
    if (choice === showLog) channel.show(true);
  };

  // ------------------------------------------------------------ stop, tags

  const stopJob = async (arg?: unknown): Promise<void> => {
    const target = await resolveJob(arg, STOPPABLE_PHASES);
    const { session: s, job } = target;
    const stop = l10n.t('Stop');
    const answer = await showWarning(l10n.t('Stop training job {0}?', job.metadata.name), { modal: true, detail: l10n.t('The job is terminated; it cannot be resumed.') }, stop);
    if (answer !== stop) throw new CancelledByUser();
    const stopped = await withNotificationProgress(
      { title: l10n.t('Stopping training job {0}…', job.metadata.name) },
      () => s.client.trainingJobs.terminate(job.metadata.id),
    );
    refresh(target.node);
    watchJob({ ...target, job: stopped });
  };

  const addTag = async (arg?: unknown): Promise<void> => {
    const target = await resolveJob(arg);
    const { session: s, job } = target;
    const key = await askText({ title: l10n.t('Add Tag'), prompt: l10n.t('Tag key'), validateInput: (v) => reason(validateTagKey(v)) });
    const value = await askText({ title: l10n.t('Add Tag'), prompt: l10n.t('Tag value'), validateInput: (v) => reason(validateTagValue(v)) });
    await s.client.trainingJobs.addTags(job.metadata.id, [{ key, value }]);
    refresh(target.node);
    setStatusMessage(l10n.t('Tag {0} added to {1}.', key, job.metadata.name), 5_000);
  };

  const removeTag = async (arg?: unknown): Promise<void> => {
    const target = await resolveJob(arg);
    const { session: s, job } = target;
    const tags = await s.client.trainingJobs.getTags(job.metadata.id);
    const items = tags.flatMap((tag) =>
      (tag.values && tag.values.length > 0 ? tag.values : [tag.value ?? '']).map((value) => ({ label: pickText(tag.key), description: pickText(value), key: tag.key, value })),
    );
    if (items.length === 0) {
      void showInformation(l10n.t('Training job {0} has no tags.', job.metadata.name));
      return;
    }
    const picked = await showPick(items, { placeHolder: l10n.t('Pick the tag to remove') });
    if (!picked) throw new CancelledByUser();
    await s.client.trainingJobs.removeTags(job.metadata.id, [{ key: picked.key, value: picked.value }]);
    refresh(target.node);
    setStatusMessage(l10n.t('Tag {0} removed from {1}.', picked.key, job.metadata.name), 5_000);
  };

  const commands: CommandSpec[] = [
    { id: COMMAND.trainingJobSaveImage, title: vscode.l10n.t('Save Image to SWR'), run: saveImage },
    { id: COMMAND.trainingJobFollowLogs, title: vscode.l10n.t('Follow Logs'), run: followLogs },
    { id: COMMAND.trainingJobStopFollowing, title: vscode.l10n.t('Stop Following Logs'), run: stopFollowing },
    { id: COMMAND.trainingJobShowEvents, title: vscode.l10n.t('Show Events'), run: showEvents },
    { id: COMMAND.trainingJobStop, title: vscode.l10n.t('Stop Training Job'), run: stopJob },
    { id: COMMAND.trainingJobAddTag, title: vscode.l10n.t('Add Tag'), run: addTag },
    { id: COMMAND.trainingJobRemoveTag, title: vscode.l10n.t('Remove Tag'), run: removeTag },
  ];

  return {
    commands,
    dispose: () => {
      settingsListener.dispose();
      imagesChannel?.dispose();
    },
  };
}
