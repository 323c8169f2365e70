// Watches: a resource the user acted on (a started notebook, a submitted job, a save-image job) is re-read
// until it reaches a final state, visible or not, so its notification arrives with the tree hidden.

import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import { Backoff, isAbort, throttling, type BackoffOptions } from './backoff';

export type WatchResult<T> = { status: 'final'; value: T } | { status: 'cancelled' } | { status: 'failed'; error: unknown };

export interface WatchOptions<T> {
  /** Each value read, final or not (drive a spinner, an output line). */
  onUpdate?: (value: T) => void;
  /** What counts as a change for the back-off; default the value's JSON. */
  signature?: (value: T) => string;
  /** Consecutive failures before giving up; default 10. */
  maxFailures?: number;
}

export interface Watch<T> {
  readonly key: string;
  /** Settles once: never rejects. */
  readonly done: Promise<WatchResult<T>>;
  cancel(): void;
}

export interface WatchRegistryOptions extends Omit<BackoffOptions, 'baseMs'> {
  clock: Clock;
  baseIntervalMs: () => number;
  log?: Logger;
}

interface Entry {
  watch: Watch<unknown>;
  controller: AbortController;
}

export class WatchRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: WatchRegistryOptions) {}

  /**
   * Re-reads `key` with `fetchOnce` every interval (with back-off) until `isFinal`. Watching a key that is
   * already watched returns the running watch.
   */
  watch<T>(key: string, fetchOnce: (signal: AbortSignal) => Promise<T>, isFinal: (value: T) => boolean, options: WatchOptions<T> = {}): Watch<T> {
    const existing = this.entries.get(key);
    if (existing) return existing.watch as Watch<T>;
    const controller = new AbortController();
    const done = this.run(key, fetchOnce, isFinal, options, controller.signal).finally(() => {
      if (this.entries.get(key)?.controller === controller) this.entries.delete(key);
    });
    const watch: Watch<T> = { key, done, cancel: () => controller.abort() };
    this.entries.set(key, { watch, controller });
    return watch;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get keys(): string[] {
    return [...this.entries.keys()];
  }

  cancel(key: string): void {
    this.entries.get(key)?.controller.abort();
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.controller.abort();
  }

  private async run<T>(
    key: string,
    fetchOnce: (signal: AbortSignal) => Promise<T>,
    isFinal: (value: T) => boolean,
    options: WatchOptions<T>,
    signal: AbortSignal,
  ): Promise<WatchResult<T>> {
    const backoff = new Backoff({ ...this.options, baseMs: this.options.baseIntervalMs });
    const signature = options.signature ?? ((v: T): string => JSON.stringify(v) ?? '');
    const maxFailures = options.maxFailures ?? 10;
    let last: string | undefined;
    let failures = 0;
    for (;;) {
      try {
        await this.options.clock.sleep(backoff.delayMs, signal);
        const value = await fetchOnce(signal);
        failures = 0;
        options.onUpdate?.(value);
        if (isFinal(value)) return { status: 'final', value };
        const now = signature(value);
        // The first answer is a baseline, neither a change nor a repeat.
        if (last !== undefined) {
          if (now !== last) backoff.reset();
          else backoff.grow();
        }
        last = now;
      } catch (error) {
        if (signal.aborted || isAbort(error)) return { status: 'cancelled' };
        const t = throttling(error);
        if (t) {
          backoff.throttle(t.retryAfterMs);
          continue;
        }
        failures++;
        this.options.log?.debug(`watch ${key}: ${error instanceof Error ? error.message : String(error)} (${failures}/${maxFailures})`);
        if (failures >= maxFailures) return { status: 'failed', error };
        backoff.grow();
      }
    }
  }
}
