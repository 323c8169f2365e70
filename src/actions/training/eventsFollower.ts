// A training job's events, listed oldest first and followed while the job runs. The cursor is the number of
// events seen: each poll prints the events past it, so no event is printed twice.

import type * as vscode from 'vscode';
import type { TrainingJobsApi } from '../../api/trainingJobs';
import type { TrainingJobEvent } from '../../api/types';
import { Backoff, isAbort, throttling } from '../../watch/backoff';
import { CappedOutput, type JobFollowOptions, type LogFollowEnd } from '../../watch/logFollower';

export function formatEvent(event: TrainingJobEvent): string {
  return [event.time ?? '', event.level ?? '', event.source ?? '', event.message].join('  ');
}

/** Every event of the job in ascending order (all pages of one fresh pager). */
export async function readAllEvents(api: TrainingJobsApi, jobId: string, signal: AbortSignal): Promise<readonly TrainingJobEvent[]> {
  const pager = api.events(jobId, { order: 'asc', pageSize: 100 });
  while (pager.hasMore) {
    const page = await pager.loadNext(signal);
    if (page.length === 0) break;
  }
  return pager.items;
}

export interface EventsFollowOptions extends JobFollowOptions {
  readEvents: (signal: AbortSignal) => Promise<readonly TrainingJobEvent[]>;
}

export function followEvents(options: EventsFollowOptions): { done: Promise<LogFollowEnd>; output: CappedOutput } {
  const { signal } = options;
  const l10n: typeof vscode.l10n = options.l10n;
  const output = new CappedOutput({ sink: options.sink, maxLines: options.maxLines, droppedLine: l10n.t('[... older lines dropped ...]') });
  const backoff = new Backoff({ baseMs: options.intervalMs });
  const maxFailures = options.maxFailures ?? 10;
  let seen = 0;

  const poll = async (): Promise<boolean> => {
    const events = await options.readEvents(signal);
    // Fewer events than seen (the service dropped old ones): print nothing again, wait for new ones.
    if (events.length <= seen) return false;
    output.push(events.slice(seen).map(formatEvent));
    output.flush();
    seen = events.length;
    return true;
  };

  const run = async (): Promise<LogFollowEnd> => {
    let failures = 0;
    let first = true;
    for (;;) {
      try {
        if (!first) await options.clock.sleep(backoff.delayMs, signal);
        first = false;
        const grew = await poll();
        failures = 0;
        // Events come rarely: the job is read on every poll.
        const phase = await options.readPhase(signal);
        if (options.isFinal(phase)) {
          await poll();
          output.push([l10n.t('[Training job ended: {0}]', phase ?? '?')]);
          output.flush();
          return { reason: 'ended', phase: phase ?? '' };
        }
        if (grew) backoff.reset();
        else backoff.grow();
      } catch (error) {
        if (signal.aborted || isAbort(error)) return { reason: 'aborted' };
        const throttled = throttling(error);
        if (throttled) {
          backoff.throttle(throttled.retryAfterMs);
          continue;
        }
        failures++;
        options.log?.debug(`events follow: ${error instanceof Error ? error.message : String(error)} (${failures}/${maxFailures})`);
        if (failures >= maxFailures) {
          output.push([l10n.t('[Stopped following: {0}]', error instanceof Error ? error.message : String(error))]);
          output.flush();
          return { reason: 'failed', error };
        }
        backoff.grow();
      }
    }
  };

  return { done: run(), output };
}
