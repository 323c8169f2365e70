// The one polling loop of every follow (a job task's log, a job's events, a workflow execution's events): the
// first read at once, then after the back-off's delay (reset when a read brought something, grown when not or
// after a failure, doubled or as Retry-After says when throttled); the follow ends when what it follows ends
// (a closing line), after `maxFailures` failed reads in a row (a closing line saying why), or when its signal
// aborts (the stream registry writes the user's closing line). Everything goes through the capped output.

import type * as vscode from 'vscode';
import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import { stateWord } from '../common/stateWords';
import { isAbort, throttling, type Backoff } from './backoff';
import { CappedOutput, type LogSink } from './cappedOutput';

export type FollowEnd = { reason: 'ended'; phase: string } | { reason: 'aborted' } | { reason: 'failed'; error: unknown };

/** What one read of a follow brought. */
export interface FollowRound {
  /** Something new was read: the next wait is the base interval again. */
  changed: boolean;
  /** What is followed has ended: its last state, and the closing line written after what was read. */
  ended?: { phase: string; line: string };
}

/** One kind of follow: how it reads; `runFollow` does the rest. */
export interface Follow {
  /** For the debug log: `log follow`, `events follow`. */
  name: string;
  backoff: Backoff;
  /** Reads what is new and pushes it to the output. */
  round(): Promise<FollowRound>;
  /** Lines held back (a partial last line), written before a closing line. */
  heldBack?(): string[];
  /** The closing line when the follow gives up after `failures` failed reads in a row. */
  failedLine(message: string, failures: number): string;
}

export interface FollowLoopOptions {
  output: CappedOutput;
  clock: Clock;
  signal: AbortSignal;
  log?: Logger;
  /** Consecutive failed reads before giving up; default 10. */
  maxFailures?: number;
}

/** The capped output of a follow into `sink`, with the line that says older lines were dropped. */
export function followOutput(sink: LogSink, maxLines: () => number, l10n: typeof vscode.l10n): CappedOutput {
  return new CappedOutput({ sink, maxLines, droppedLine: l10n.t('[... older lines dropped ...]') });
}

export async function runFollow(follow: Follow, options: FollowLoopOptions): Promise<FollowEnd> {
  const { output, signal, clock } = options;
  const { backoff } = follow;
  const maxFailures = options.maxFailures ?? 10;
  const close = (line: string): void => {
    output.push(follow.heldBack?.() ?? []);
    output.push([line]);
    output.flush();
  };
  let failures = 0;
  let first = true;
  for (;;) {
    try {
      // The first read goes at once.
      if (!first) await clock.sleep(backoff.delayMs, signal);
      first = false;
      if (signal.aborted) break;
      const round = await follow.round();
      failures = 0;
      if (round.ended) {
        close(round.ended.line);
        return { reason: 'ended', phase: round.ended.phase };
      }
      output.flush();
      if (round.changed) backoff.reset();
      else backoff.grow();
    } catch (error) {
      if (signal.aborted || isAbort(error)) break;
      const throttled = throttling(error);
      if (throttled) {
        backoff.throttle(throttled.retryAfterMs);
        continue;
      }
      failures++;
      const message = error instanceof Error ? error.message : String(error);
      options.log?.debug(`${follow.name}: ${message} (${failures}/${maxFailures})`);
      if (failures >= maxFailures) {
        close(follow.failedLine(message, failures));
        return { reason: 'failed', error };
      }
      backoff.grow();
    }
  }
  output.flush();
  return { reason: 'aborted' };
}

// ---------------------------------------------------------------- follows of a training job

/** What any follow of a training job's output needs (its logs, its events). */
export interface JobFollowOptions {
  /** Re-reads the job's phase: the follow ends when `isFinal` says so. */
  readPhase: (signal: AbortSignal) => Promise<string | undefined>;
  isFinal: (phase: string | undefined) => boolean;
  sink: LogSink;
  clock: Clock;
  signal: AbortSignal;
  /** The polling interval (the refresh setting), read each time. */
  intervalMs: () => number;
  maxLines: () => number;
  l10n: typeof vscode.l10n;
  log?: Logger;
  /** Consecutive failed polls before giving up; default 10. */
  maxFailures?: number;
}

/** How a follow of a training job reads its output. */
export interface JobPoll {
  /** Reads and writes what is new; true when something was. */
  poll(): Promise<boolean>;
  /** Lines held back (a partial last line), written before a closing line. */
  heldBack?(): string[];
  /** Re-read the job after every poll, not only after one that brought nothing (events come rarely). */
  phaseEveryPoll?: boolean;
  backoff: Backoff;
  name: string;
}

/**
 * A follow of a training job's output: the job's phase is read to end with it (after a poll that brought
 * nothing, or after every poll), with one last poll once it is final to pick up the closing lines.
 */
export function runJobFollow(options: JobFollowOptions, output: CappedOutput, job: JobPoll): Promise<FollowEnd> {
  const { l10n, signal } = options;
  const round = async (): Promise<FollowRound> => {
    const grew = await job.poll();
    if (grew && !job.phaseEveryPoll) return { changed: true };
    const phase = await options.readPhase(signal);
    if (!options.isFinal(phase)) return { changed: grew };
    await job.poll();
    return { changed: grew, ended: { phase: phase ?? '', line: l10n.t('[Training job ended: {0}]', stateWord('trainingJob', phase, l10n)) } };
  };
  const follow: Follow = {
    name: job.name,
    backoff: job.backoff,
    round,
    heldBack: () => job.heldBack?.() ?? [],
    failedLine: (message) => l10n.t('[Stopped following: {0}]', message),
  };
  return runFollow(follow, { output, clock: options.clock, signal, log: options.log, maxFailures: options.maxFailures });
}
