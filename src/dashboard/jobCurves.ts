// A task's training curves and how much of its log they have read, by byte offset into the whole log: the
// full log streams in first (through its temporary OBS link), then each later text is placed by the byte offset
// where it ends, whoever read it (the dashboard's own poll or a Follow Logs channel's follow). So text already
// read is never parsed twice and a jump is counted, not hidden. Plain Node: no vscode here.

import type { ModelArtsClient } from '../api/client';
import type { Redactor } from '../api/redact';
import { trainingTaskOutput } from '../api/trainingTaskOutput';
import { streamFullLog, type LogLinkPlace } from './fullLog';
import { LogMetricParser, type MetricMark, type MetricPoints } from '../watch/logMetrics';

export class JobCurves {
  readonly parser: LogMetricParser;
  /** Bytes of the whole log read: the next text starts here. */
  private read = 0;
  /** Bytes never read because a later text started past them (the log preview holds the newest 5 MB only). */
  skippedBytes = 0;
  /** The whole log is read and the job has ended: nothing more will come. */
  complete = false;
  private readonly decoder = new TextDecoder('utf-8');
  /**
   * While the whole log downloads, text heard from a Follow Logs channel: it may end past what arrived so far,
   * so it waits for the download's end to be placed (else the rest of the download would land after it).
   */
  private held: Array<{ text: string; end: number }> | undefined;

  constructor(readonly patternsKey: string, patterns: readonly string[]) {
    this.parser = new LogMetricParser({ patterns });
  }

  get offset(): number {
    return this.read;
  }

  /** A chunk of the whole log from its start (the full log's download); a character split across chunks is kept whole. */
  pushBytes(chunk: Uint8Array): void {
    this.parser.push(this.decoder.decode(chunk, { stream: true }));
    this.read += chunk.length;
  }

  /** The whole log starts downloading (pushBytes from byte 0): text pushed meanwhile waits for endDownload. */
  beginDownload(): void {
    this.held ??= [];
  }

  /** The download ended, whole or not: the text heard meanwhile is placed by its offset now. */
  endDownload(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const { text, end } of held) this.pushText(text, end);
  }

  /** Text that ends at byte `end` of the whole log: the part past what is read already is parsed. */
  pushText(text: string, end: number): void {
    if (end <= this.read) return;
    if (this.held) {
      this.held.push({ text, end });
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    const start = end - bytes.length;
    if (start > this.read) this.skippedBytes += start - this.read;
    this.parser.push(start >= this.read ? text : bytes.subarray(this.read - start).toString('utf8'));
    this.read = end;
  }

  /** The job ended and everything is read: the last line counts even without its line break. */
  finish(): void {
    this.parser.push(this.decoder.decode());
    this.parser.end();
    this.complete = true;
  }

  pointsSince(mark?: MetricMark): { mark: MetricMark; points: MetricPoints[] } {
    return this.parser.pointsSince(mark);
  }
}

/** The curves of the tasks shown lately, so a dashboard opened again reads no log it read before. */
export class JobCurvesCache {
  private readonly entries = new Map<string, JobCurves>();

  constructor(private readonly limit = 4) {}

  /** The entry for `key`, or a new one when there is none or its patterns differ (then it is read again). */
  take(key: string, patterns: readonly string[]): { curves: JobCurves; isNew: boolean } {
    const patternsKey = JSON.stringify(patterns);
    const found = this.entries.get(key);
    this.entries.delete(key);
    if (found && found.patternsKey === patternsKey) {
      this.entries.set(key, found);
      return { curves: found, isNew: false };
    }
    const curves = new JobCurves(patternsKey, patterns);
    this.entries.set(key, curves);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return { curves, isNew: true };
  }

  /** Forgets `key` (its read failed half-way: the next open starts again). */
  drop(key: string, curves: JobCurves): void {
    if (this.entries.get(key) === curves) this.entries.delete(key);
  }
}

export interface WholeLogRead {
  client: ModelArtsClient;
  jobId: string;
  task: string;
  place: LogLinkPlace;
  redactor: Redactor;
  signal: AbortSignal;
  /** After each chunk parsed. */
  onChunk?: () => void;
}

/** Streams a task's whole log through its temporary OBS link into `curves`; the bytes read. */
export async function readWholeLog(curves: JobCurves, read: WholeLogRead): Promise<number> {
  curves.beginDownload();
  try {
    const link = await trainingTaskOutput(read.client).getLogUrl(read.jobId, read.task, read.signal);
    return await streamFullLog({
      link,
      place: read.place,
      signal: read.signal,
      redactor: read.redactor,
      onData: (chunk) => {
        curves.pushBytes(chunk);
        read.onChunk?.();
      },
    });
  } finally {
    curves.endDownload();
  }
}
