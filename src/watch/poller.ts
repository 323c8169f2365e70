// Tree polling: re-reads the resources in a transitional state that are in view, only while the view is
// visible, with back-off. With nothing transitional in view, or the view hidden, no timer is even set.

import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import { Backoff, isAbort, throttling, type BackoffOptions } from './backoff';
import { startTimer, type Timer } from './timer';

export interface PollTarget {
  /** One poll per key per round: a step and its execution share the execution's key. */
  readonly key: string;
  /** Re-reads the resource(s); resolves true when something changed. */
  poll(signal: AbortSignal): Promise<boolean>;
}

export interface TreePollerOptions extends Omit<BackoffOptions, 'baseMs'> {
  clock: Clock;
  /** `modelarts.refresh.intervalSeconds` in ms, read each round. */
  baseIntervalMs: () => number;
  /** The transitional resources in view now. */
  targets: () => readonly PollTarget[];
  /** Whether the view is visible now. */
  visible: () => boolean;
  log?: Logger;
}

export class TreePoller {
  private readonly backoff: Backoff;
  private timer: Timer | undefined;
  private round: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private disposed = false;
  /** Rounds run so far (for tests and diagnostics). */
  rounds = 0;

  constructor(private readonly options: TreePollerOptions) {
    this.backoff = new Backoff({ ...options, baseMs: options.baseIntervalMs });
  }

  /** The wait before the next round. */
  get intervalMs(): number {
    return this.backoff.delayMs;
  }

  /** Whether a round is scheduled. */
  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Something may have become transitional or visible (a list loaded, a node expanded, the view shown):
   * schedules a round unless one is already scheduled or running.
   */
  kick(): void {
    if (this.disposed || this.timer || this.round || !this.options.visible()) return;
    if (this.options.targets().length === 0) return;
    this.schedule();
  }

  /** The view was hidden: no further rounds until it is shown again. */
  pause(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The view was shown: start again from the base interval. */
  resume(): void {
    this.backoff.reset();
    this.kick();
  }

  /** Resolves when the running round (if any) has finished. */
  async settled(): Promise<void> {
    while (this.round) await this.round;
  }

  dispose(): void {
    this.disposed = true;
    this.pause();
    this.abort.abort();
  }

  private schedule(): void {
    this.timer = startTimer(this.options.clock, this.backoff.delayMs, () => {
      this.timer = undefined;
      this.round = this.runRound().finally(() => {
        this.round = undefined;
      });
    });
  }

  private async runRound(): Promise<void> {
    if (this.disposed || !this.options.visible()) return;
    const targets = unique(this.options.targets());
    if (targets.length === 0) {
      this.backoff.reset();
      return;
    }
    this.rounds++;
    const results = await Promise.allSettled(targets.map((t) => t.poll(this.abort.signal)));
    if (this.disposed) return;
    let changed = false;
    let throttled: { retryAfterMs?: number } | undefined;
    for (const result of results) {
      if (result.status === 'fulfilled') {
        changed ||= result.value;
      } else if (!isAbort(result.reason)) {
        const t = throttling(result.reason);
        if (t) throttled = { retryAfterMs: Math.max(throttled?.retryAfterMs ?? 0, t.retryAfterMs ?? 0) || undefined };
        else this.options.log?.debug(`tree poll: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
      }
    }
    if (throttled) this.backoff.throttle(throttled.retryAfterMs);
    else if (changed) this.backoff.reset();
    else this.backoff.grow();
    // Only while something is still moving in view, and the view is still visible.
    if (this.options.visible() && this.options.targets().length > 0) this.schedule();
  }
}

function unique(targets: readonly PollTarget[]): PollTarget[] {
  const byKey = new Map<string, PollTarget>();
  for (const t of targets) if (!byKey.has(t.key)) byKey.set(t.key, t);
  return [...byKey.values()];
}
