// Training job actions: save a task's image to SWR, follow a task's log, show the job's events, stop the job,
// add and remove tags; jobs acted on are watched until they end, with one notification. Each command lives in
// its own module; this factory holds the state they share (settings, the Images channel, the jobs notified).

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import type { CommandSpec } from '../registry';
import { onDidChangeSettings, readSettings, type Settings } from '../../common/settings';
import { followLogsCommand } from './followLogs';
import { startLogFollow } from './jobFollow';
import type { JobTarget } from './jobTargets';
import { jobTagCommands } from './jobTags';
import { saveImageCommand, type SaveImageDeps } from './saveImageCommand';
import { showEventsCommand } from './showEvents';
import { stopFollowingCommand } from './stopFollowing';
import { stopJobCommand, terminateAndWatch } from './stopJob';
import type { TrainingJob } from '../../api/types';

export interface TrainingActions {
  commands: CommandSpec[];
  followLog: (target: JobTarget) => Promise<void>;
  /** Stops a job whose stop a tool's confirmation approved, and watches it as the command does. */
  terminateAndWatch: (target: JobTarget, signal?: AbortSignal) => Promise<TrainingJob>;
  dispose(): void;
}

export function createTrainingActions(deps: ActionDeps): TrainingActions {
  let settings: Settings = readSettings();
  const settingsListener = onDidChangeSettings((next) => {
    settings = next;
  });
  let imagesChannel: vscode.OutputChannel | undefined;
  const shared: SaveImageDeps = {
    sessions: deps.sessions,
    explorer: deps.explorer,
    log: deps.log,
    watches: deps.watches,
    streams: deps.streams,
    walkthrough: deps.walkthrough,
    intervalMs: () => settings.refreshIntervalSeconds * 1000,
    maxLines: () => settings.logsMaxLines,
    notified: new Set<string>(),
    images: () => (imagesChannel ??= vscode.window.createOutputChannel('ModelArts: Images')),
  };
  const commands: CommandSpec[] = [
    saveImageCommand(shared),
    followLogsCommand(shared),
    stopFollowingCommand(shared),
    showEventsCommand(shared),
    stopJobCommand(shared),
    ...jobTagCommands(shared),
  ];
  return {
    commands,
    followLog: (target) => startLogFollow(shared, target),
    terminateAndWatch: (target, signal) => terminateAndWatch(shared, target, signal),
    dispose: () => {
      settingsListener.dispose();
      imagesChannel?.dispose();
    },
  };
}
