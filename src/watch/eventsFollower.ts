// A training job's events, listed oldest first and followed while the job runs. The cursor is the number of
// events seen: each poll reads from the page holding it and prints the events past it, so no event is printed
// twice, and a poll that finds a few new events reads one page however long the job's history is.

import type { TrainingJobsApi } from '../api/trainingJobs';
import type { TrainingJobEvent } from '../api/types';
import { lineText, type LineText } from '../common/safeText';
import { formatServiceTime } from '../common/time';
import { Backoff } from './backoff';
import type { CappedOutput } from './cappedOutput';
import { followOutput, runJobFollow, type FollowEnd, type JobFollowOptions } from './follow';

/**
 * `2026-12-07 09:30:05  Info  Job  Training job is running.`: the service's time (ISO, +08:00) in local time;
 * one line, whatever the event's text holds.
 */
export function formatEvent(event: TrainingJobEvent, offsetMinutes?: number): LineText {
  const time = formatServiceTime(event.time, { seconds: true, offsetMinutes }) ?? '';
  return lineText([time, event.level ?? '', event.source ?? '', event.message].join('  '));
}

const EVENTS_PAGE_SIZE = 100;

/** What a poll of a job's events brings: how many there are, and those past the ones already seen. */
export interface EventsRead {
  total: number;
  fresh: readonly TrainingJobEvent[];
}

/**
 * The job's events (ascending) after the first `seen`: read from the page that holds event number `seen`, so a
 * long-running job's poll costs one request, not one per page of its whole history.
 */
export async function readEventsAfter(api: TrainingJobsApi, jobId: string, seen: number, signal: AbortSignal): Promise<EventsRead> {
  const startPage = Math.floor(seen / EVENTS_PAGE_SIZE);
  const pager = api.events(jobId, { order: 'asc', pageSize: EVENTS_PAGE_SIZE, startPage });
  while (pager.hasMore) {
    const page = await pager.loadNext(signal);
    if (page.length === 0) break;
  }
  const before = startPage * EVENTS_PAGE_SIZE;
  return { total: pager.total ?? before + pager.items.length, fresh: pager.items.slice(seen - before) };
}

/** Every event of the job in ascending order. */
export async function readAllEvents(api: TrainingJobsApi, jobId: string, signal: AbortSignal): Promise<readonly TrainingJobEvent[]> {
  return (await readEventsAfter(api, jobId, 0, signal)).fresh;
}

export interface EventsFollowOptions extends JobFollowOptions {
  /** The events after the first `seen` (see readEventsAfter). */
  readEvents: (seen: number, signal: AbortSignal) => Promise<EventsRead>;
}

export function followEvents(options: EventsFollowOptions): { done: Promise<FollowEnd>; output: CappedOutput } {
  const { signal } = options;
  const output = followOutput(options.sink, options.maxLines, options.l10n);
  const backoff = new Backoff({ baseMs: options.intervalMs });
  let seen = 0;

  const poll = async (): Promise<boolean> => {
    const { total, fresh } = await options.readEvents(seen, signal);
    // No more events than seen (or the service dropped old ones): print nothing again, wait for new ones.
    if (total <= seen || fresh.length === 0) return false;
    output.push(fresh.map((event) => formatEvent(event)));
    output.flush();
    seen += fresh.length;
    return true;
  };

  return { done: runJobFollow(options, output, { poll, phaseEveryPoll: true, backoff, name: 'events follow' }), output };
}
