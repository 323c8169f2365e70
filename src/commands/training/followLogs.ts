// Follow Logs: a task's log into its own channel until the job ends; the job is watched meanwhile.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { startLogFollow, type TrainingCommandDeps } from './jobFollow';
import { resolveJob, SAVEABLE_PHASES } from './jobTargets';

export function followLogsCommand(deps: TrainingCommandDeps): CommandSpec {
  return { id: COMMAND.trainingJobFollowLogs, title: vscode.l10n.t('Follow Logs'), run: (arg) => followLogs(deps, arg) };
}

export async function followLogs(deps: TrainingCommandDeps, arg?: unknown): Promise<void> {
  await startLogFollow(deps, await resolveJob(deps, arg, SAVEABLE_PHASES));
}
