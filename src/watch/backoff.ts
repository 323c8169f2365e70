// The polling interval: the setting while things change, ×1.5 up to a minute while nothing does, doubled
// (or the server's Retry-After, if longer) when throttled.

import { isModelArtsError } from '../api/errors';

export interface BackoffOptions {
  /** The base interval (the `modelarts.refresh.intervalSeconds` setting), read each time. */
  baseMs: () => number;
  /** Growth while nothing changes; default 1.5. */
  factor?: number;
  /** Cap while nothing changes; default 60 s (or the base, if larger). */
  maxMs?: number;
  /** Cap when throttled; default 5 min. A longer Retry-After is still honoured. */
  throttledMaxMs?: number;
}

export const DEFAULT_MAX_INTERVAL_MS = 60_000;
export const DEFAULT_THROTTLED_MAX_MS = 300_000;

export class Backoff {
  private current: number | undefined;

  constructor(private readonly options: BackoffOptions) {}

  /** The wait before the next poll. */
  get delayMs(): number {
    return this.current ?? this.options.baseMs();
  }

  /** Something changed (or polling restarts): back to the base interval. */
  reset(): void {
    this.current = undefined;
  }

  /** Nothing changed: wait longer next time, up to the cap. */
  grow(): void {
    const base = this.options.baseMs();
    const max = Math.max(base, this.options.maxMs ?? DEFAULT_MAX_INTERVAL_MS);
    this.current = Math.min(max, Math.max(base, this.delayMs * (this.options.factor ?? 1.5)));
  }

  /** Throttled (429): double the wait, and wait at least as long as the server asked. */
  throttle(retryAfterMs?: number): void {
    const doubled = Math.min(this.options.throttledMaxMs ?? DEFAULT_THROTTLED_MAX_MS, this.delayMs * 2);
    this.current = Math.max(doubled, retryAfterMs ?? 0);
  }
}

/** A 429 answer, or the client's "throttled, retry after N s": the retry-after in ms when known. */
export function throttling(error: unknown): { retryAfterMs?: number } | undefined {
  if (!isModelArtsError(error) || (error.kind !== 'throttled' && error.status !== 429)) return undefined;
  return error.retryAfterSeconds === undefined ? {} : { retryAfterMs: error.retryAfterSeconds * 1000 };
}

export function isAbort(error: unknown): boolean {
  if (isModelArtsError(error)) return error.kind === 'aborted';
  return error instanceof Error && error.name === 'AbortError';
}
