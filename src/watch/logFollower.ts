// Follows a training task's log through the log preview (the newest ≤5 MB of the log with its byte sizes),
// keeping its place with a byte cursor: new text only, never a repeated line, resumes after a dropped
// connection, batched appends, capped length, closing line at the end.
// It polls through the one follow loop (follow.ts). Only vscode's types are imported: the channel is any sink
// with `append` and `replace`, so plain-Node tests drive it.

import type * as vscode from 'vscode';
import type { TrainingLogPreview } from '../api/types';
import { Backoff } from './backoff';
import type { CappedOutput } from './cappedOutput';
import { followOutput, runJobFollow, type FollowEnd, type JobFollowOptions } from './follow';

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
  /** `offset`: where reading starts, the bytes before it already read (a whole log downloaded, say). */
  constructor(private offset = 0) {}

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

// ---------------------------------------------------------------- the follow

export interface LogFollowOptions extends JobFollowOptions {
  readPreview: (signal: AbortSignal) => Promise<TrainingLogPreview>;
  /** Longest wait while the log is quiet; default 60 s. */
  maxIntervalMs?: number;
  /** Each new text as read, with the byte offset of its end in the whole log (the dashboard's curves read it). */
  onText?: (text: string, end: number) => void;
}

export interface LogFollower {
  readonly done: Promise<FollowEnd>;
  readonly output: CappedOutput;
  readonly cursor: LogCursor;
}

/**
 * Starts following. The first poll goes at once; then every interval while text arrives, longer (×1.5 up to
 * `maxIntervalMs`) while the log is quiet, and after a failure. The job is re-read only when a poll brought
 * nothing new (a running job's log usually grows); once it is final, one last poll picks up its closing lines.
 */
export function followLog(options: LogFollowOptions): LogFollower {
  const { signal } = options;
  const l10n: typeof vscode.l10n = options.l10n;
  const cursor = new LogCursor();
  const splitter = new LineSplitter();
  const output = followOutput(options.sink, options.maxLines, l10n);
  const backoff = new Backoff({ baseMs: options.intervalMs, maxMs: options.maxIntervalMs });

  const poll = async (): Promise<boolean> => {
    const preview = await options.readPreview(signal);
    if (preview.notReady) return false;
    const step = cursor.take(preview);
    if (step.text) options.onText?.(step.text, cursor.position);
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
