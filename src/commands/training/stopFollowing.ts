// Stop Following Logs: the logs of the row's job or task, else the one picked among those followed.

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import { CancelledByUser, type CommandSpec } from '../registry';
import { pickText, safeL10n } from '../../common/safeText';
import { showInformation, showPick } from '../../common/safeUi';
import { TaskNode } from '../../explorer/nodes/taskNode';
import { TrainingJobNode } from '../../explorer/nodes/trainingJobNode';

/** Sentences with the service's values (log labels), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export type StopFollowingDeps = Pick<ActionDeps, 'streams'>;

export function stopFollowingCommand(deps: StopFollowingDeps): CommandSpec {
  return { id: COMMAND.trainingJobStopFollowing, title: vscode.l10n.t('Stop Following Logs'), run: (arg) => stopFollowing(deps, arg) };
}

export async function stopFollowing(deps: StopFollowingDeps, arg?: unknown): Promise<void> {
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
}
