// Show Events: the job's events into their own channel, in local time, until the job ends.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { lineText } from '../../common/safeText';
import { localOffsetMinutes, zoneLabel } from '../../common/time';
import { followEvents, readEventsAfter } from '../../watch/eventsFollower';
import { phaseOf, startJobStreamFollow, type TrainingCommandDeps } from './jobFollow';
import { resolveJob } from './jobTargets';

export function showEventsCommand(deps: TrainingCommandDeps): CommandSpec {
  return { id: COMMAND.trainingJobShowEvents, title: vscode.l10n.t('Show Events'), run: (arg) => showEvents(deps, arg) };
}

export async function showEvents(deps: TrainingCommandDeps, arg?: unknown): Promise<void> {
  const { session: s, job } = await resolveJob(deps, arg);
  const jobId = job.metadata.id;
  startJobStreamFollow(
    deps,
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
}
