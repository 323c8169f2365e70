// The output every follow writes through (a job task's log, a job's events, an execution's events): lines
// batched into one append per poll, and never more than the line cap in the channel.

/** What the follower writes to: an OutputChannel satisfies it. */
export interface LogSink {
  append(text: string): void;
  /** Replaces the whole content (used when the line cap is reached: a channel cannot drop old lines). */
  replace(text: string): void;
}

/** The cap when none is given (the default of the `modelarts.logs.maxLines` setting). */
export const DEFAULT_MAX_LINES = 10_000;

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

