// Follows a training task's log through the log preview (the newest ≤5 MB of the log with its byte sizes),
// keeping its place with a byte cursor (design.md "How a log follow keeps its place"): new text only, never
// a repeated line, resumes after a dropped connection, batched appends, capped length, closing line at the end.
// No vscode import: the channel is any sink with `append` and `replace`, so plain-Node tests drive it.

import type * as vscode from 'vscode';
import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import type { TrainingLogPreview } from '../api/types';
import { stateWord } from '../common/stateWords';
import { Backoff, isAbort, throttling } from './backoff';

/** What the follower writes to: an OutputChannel satisfies it. */
export interface LogSink {
  append(text: string): void;
  /** Replaces the whole content (used when the line cap is reached: a channel cannot drop old lines). */
  replace(text: string): void;
}

// ---------------------------------------------------------------- byte cursor

export interface CursorStep {
  /** Bytes that fell out of the window before they were read (0 when none). */
  skipped: number;
  /** The text past the cursor. */
  text: string;
}

/**
 * A byte offset into the full log. The window starts at `full_size - current_size`; new bytes are those past
 * the cursor. Sizes missing from the answer: the content is taken as the whole log.
 */
export class LogCursor {
  private offset = 0;

  get position(): number {
    return this.offset;
  }

  take(preview: TrainingLogPreview): CursorStep {
    const content = Buffer.from(preview.content, 'utf8');
    const currentSize = preview.current_size ?? content.length;
    const fullSize = preview.full_size ?? currentSize;
    const windowStart = Math.max(0, fullSize - currentSize);
    // A log shorter than what was read was started again (a restarted task): read it from its window.
    if (fullSize < this.offset) this.offset = windowStart;
    let skipped = 0;
    let from = this.offset - windowStart;
    if (from < 0) {
      skipped = -from;
      from = 0;
    }
    // `content` may hold fewer bytes than `current_size` says; never read past what arrived.
    const text = from < content.length ? content.subarray(from).toString('utf8') : '';
    this.offset = windowStart + Math.max(from, content.length);
    return { skipped, text };
  }
}

// ---------------------------------------------------------------- lines

/** Splits text into complete lines, holding back a last line without its `\n` until it is complete. */
export class LineSplitter {
  private partial = '';

  /**
   * `keepLast`: at most that many of the newest complete lines are returned. In a flood only the newest
   * lines can be shown, and cutting before splitting spares splitting megabytes that would be dropped.
   */
  push(text: string, keepLast = Infinity): string[] {
    if (text === '') return [];
    let joined = this.partial + text;
    if (Number.isFinite(keepLast)) joined = tailAfterLines(joined, keepLast);
    const lines = joined.split('\n');
    this.partial = lines.pop() ?? '';
    // Windows line ends: the channel adds its own.
    return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** The held-back partial line, if any (at the end of the follow). */
  flush(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? [] : [rest];
  }

  get pending(): number {
    return this.partial.length;
  }
}

/** `text` from the start of its last `count` complete lines (and the partial line after them). */
function tailAfterLines(text: string, count: number): string {
  let index = text.lastIndexOf('\n');
  for (let n = 0; n < count; n++) {
    if (index <= 0) return text;
    index = text.lastIndexOf('\n', index - 1);
  }
  return index >= 0 ? text.slice(index + 1) : text;
}

// ---------------------------------------------------------------- capped, batched output

export interface CappedOutputOptions {
  sink: LogSink;
  maxLines: () => number;
  /** The first line after old lines were dropped. */
  droppedLine: string;
}

/**
 * Lines are queued and written in one `append` per flush. The channel never holds more than `maxLines`
 * lines: when the next batch would pass the cap, the content is replaced by the marker line and the newest
 * lines, filling three quarters of the cap, so the next replace is many batches away (a replace re-renders
 * the whole channel).
 */
export class CappedOutput {
  private queued: string[] = [];
  /** The newest lines shown (at most `maxLines`), to write again after a replace. */
  private recent: string[] = [];
  private shown = 0;
  /** Lines were dropped from the queue: the next flush replaces the channel's content. */
  private overflowed = false;
  appends = 0;
  replaces = 0;

  constructor(private readonly options: CappedOutputOptions) {}

  /** Lines in the channel now. */
  get lineCount(): number {
    return this.shown;
  }

  push(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const cap = this.cap();
    // A flood: only the newest `cap` lines can ever be shown.
    if (this.queued.length + lines.length > cap) {
      const keep = lines.length >= cap ? lines.slice(lines.length - cap) : [...this.queued.slice(this.queued.length + lines.length - cap), ...lines];
      this.queued = keep;
      // What the channel holds is older than anything queued now.
      this.overflowed = true;
      return;
    }
    for (const line of lines) this.queued.push(line);
  }

  flush(): void {
    if (this.queued.length === 0) return;
    const cap = this.cap();
    const batch = this.queued;
    this.queued = [];
    if (!this.overflowed && this.shown + batch.length <= cap) {
      this.options.sink.append(`${batch.join('\n')}\n`);
      this.appends++;
      this.shown += batch.length;
      this.remember(batch, cap);
      return;
    }
    this.overflowed = false;
    const target = Math.max(1, Math.floor(cap * 0.75)) - 1;
    const pool = batch.length >= target ? batch.slice(batch.length - target) : [...this.recent.slice(Math.max(0, this.recent.length - (target - batch.length))), ...batch];
    const lines = [this.options.droppedLine, ...pool];
    this.options.sink.replace(`${lines.join('\n')}\n`);
    this.replaces++;
    this.shown = lines.length;
    this.recent = pool;
  }

  private remember(batch: readonly string[], cap: number): void {
    for (const line of batch) this.recent.push(line);
    // Trim in bulk rather than per line.
    if (this.recent.length > cap * 2) this.recent = this.recent.slice(this.recent.length - cap);
  }

  private cap(): number {
    return Math.max(2, Math.floor(this.options.maxLines()));
  }
}

// ---------------------------------------------------------------- the follow

export type LogFollowEnd = { reason: 'ended'; phase: string } | { reason: 'aborted' } | { reason: 'failed'; error: unknown };

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

export interface LogFollowOptions extends JobFollowOptions {
  readPreview: (signal: AbortSignal) => Promise<TrainingLogPreview>;
  /** Longest wait while the log is quiet; default 60 s. */
  maxIntervalMs?: number;
}

export interface LogFollower {
  readonly done: Promise<LogFollowEnd>;
  readonly output: CappedOutput;
  readonly cursor: LogCursor;
}

/** How one kind of follow polls; `runJobFollow` does the rest. */
export interface FollowLoop {
  /** Reads and writes what is new; true when something was. */
  poll(): Promise<boolean>;
  /** Lines held back (a partial last line), written before a closing line. */
  heldBack?(): string[];
  /** Re-read the job after every poll, not only after one that brought nothing (events come rarely). */
  phaseEveryPoll?: boolean;
  backoff: Backoff;
  /** For the debug log: `log follow`, `events follow`. */
  name: string;
}

/**
 * The loop every follow of a training job shares: the first poll at once, then after the backoff's delay
 * (reset when a poll brought something, grown when not, on a failure, or as Retry-After says); the job's
 * phase read to end with it, one last poll then; `maxFailures` failures in a row end it too.
 */
export async function runJobFollow(options: JobFollowOptions, output: CappedOutput, loop: FollowLoop): Promise<LogFollowEnd> {
  const { l10n, signal } = options;
  const { backoff } = loop;
  const maxFailures = options.maxFailures ?? 10;
  const close = (line: string): void => {
    output.push(loop.heldBack?.() ?? []);
    output.push([line]);
    output.flush();
  };
  let failures = 0;
  let first = true;
  for (;;) {
    try {
      // The first poll goes at once.
      if (!first) await options.clock.sleep(backoff.delayMs, signal);
      first = false;
      const grew = await loop.poll();
      failures = 0;
      if (grew && !loop.phaseEveryPoll) {
        backoff.reset();
        continue;
      }
      const phase = await options.readPhase(signal);
      if (options.isFinal(phase)) {
        await loop.poll();
        close(l10n.t('[Training job ended: {0}]', stateWord('trainingJob', phase, l10n)));
        return { reason: 'ended', phase: phase ?? '' };
      }
      if (grew) backoff.reset();
      else backoff.grow();
    } catch (error) {
      if (signal.aborted || isAbort(error)) {
        output.flush();
        return { reason: 'aborted' };
      }
      const throttled = throttling(error);
      if (throttled) {
        backoff.throttle(throttled.retryAfterMs);
        continue;
      }
      failures++;
      options.log?.debug(`${loop.name}: ${error instanceof Error ? error.message : String(error)} (${failures}/${maxFailures})`);
      if (failures >= maxFailures) {
        close(l10n.t('[Stopped following: {0}]', error instanceof Error ? error.message : String(error)));
        return { reason: 'failed', error };
      }
      backoff.grow();
    }
  }
}

/**
 * Starts following. The first poll goes at once; then every interval while text arrives, longer (×1.5 up to
 * `maxIntervalMs`) while the log is quiet, and after a failure. The job is re-read only when a poll brought
 * nothing new (a running job's log usually grows); once it is final, one last poll picks up its closing lines.
 */
export function followLog(options: LogFollowOptions): LogFollower {
  const { l10n, signal } = options;
  const cursor = new LogCursor();
  const splitter = new LineSplitter();
  const output = new CappedOutput({ sink: options.sink, maxLines: options.maxLines, droppedLine: l10n.t('[... older lines dropped ...]') });
  const backoff = new Backoff({ baseMs: options.intervalMs, maxMs: options.maxIntervalMs });

  const poll = async (): Promise<boolean> => {
    const preview = await options.readPreview(signal);
    if (preview.notReady) return false;
    const step = cursor.take(preview);
    if (step.skipped > 0) {
      // The partial line held back belongs to bytes no longer shown: it ends here.
      output.push([...splitter.flush(), l10n.t('[... {0} bytes not shown ...]', step.skipped)]);
    }
    // One more than the cap, so the output still sees that older lines were dropped.
    output.push(splitter.push(step.text, Math.floor(options.maxLines()) + 1));
    output.flush();
    return step.skipped > 0 || step.text !== '';
  };

  const done = runJobFollow(options, output, { poll, heldBack: () => splitter.flush(), backoff, name: 'log follow' });
  return { done, output, cursor };
}
