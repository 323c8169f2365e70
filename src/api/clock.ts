// Time as the client and the emulator see it: real in use, manual in tests.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * The time of a service whose clock runs `scale` times faster than `real` (the demo's emulator): `now()` is the
 * service's time, `sleep(ms)` waits until `ms` of the service's time has passed (`ms / scale` of ours).
 */
export function scaledServiceClock(service: { now(): number }, scale: number, real: Clock = systemClock): Clock {
  return {
    now: () => service.now(),
    sleep: (ms, signal) => real.sleep(ms / scale, signal),
  };
}

interface Sleeper {
  at: number;
  resolve: () => void;
}

/** A clock that moves only when told to. Sleeps resolve in deadline order as time passes them. */
export class ManualClock implements Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  /** Every sleep requested, in milliseconds, in order: tests assert waits with it. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const sleeper: Sleeper = {
        at: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.sleepers.indexOf(sleeper);
        if (i >= 0) this.sleepers.splice(i, 1);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Number of sleeps waiting for time to pass. */
  get pending(): number {
    return this.sleepers.length;
  }

  /** Moves time forward, waking each sleeper whose deadline passes, and lets their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.current = Math.max(this.current, next.at);
      next.resolve();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Advances until no sleeper is left, at most `limitMs` in total; returns the time advanced. */
  async runAll(limitMs = 24 * 3600_000): Promise<number> {
    const start = this.current;
    for (let rounds = 0; rounds < 100_000; rounds++) {
      await flushMicrotasks();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at - start > limitMs) break;
      await this.advance(next.at - this.current);
    }
    return this.current - start;
  }
}

/** Lets pending promise continuations and I/O callbacks run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
