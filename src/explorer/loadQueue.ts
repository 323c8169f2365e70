// Every request the tree makes goes through one queue: identical requests in flight are shared (one per
// key), at most `limit` run at once, and nothing starts once its signal is aborted.

import { ModelArtsError } from '../api/errors';

export const DEFAULT_MAX_IN_FLIGHT = 8;

export class LoadQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Most requests ever running at once (for tests and diagnostics). */
  peak = 0;
  /** Tasks started (shared calls count once). */
  started = 0;

  constructor(readonly limit = DEFAULT_MAX_IN_FLIGHT) {}

  /** Runs `task` for `key`, or joins the run of the same key already queued or in flight. */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = this.runQueued(task, signal).finally(() => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    });
    this.inFlight.set(key, promise);
    return promise;
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  private async runQueued<T>(task: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      if (signal?.aborted) throw new ModelArtsError({ kind: 'aborted', message: 'cancelled' });
      this.started++;
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
