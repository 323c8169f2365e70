// Per-key trailing debounce: many triggers of one key within the delay run its action once.

import type { Clock } from '../api/clock';
import { startTimer, type Timer } from './timer';

export class KeyedDebouncer {
  private readonly timers = new Map<string, Timer>();

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  /** (Re)starts the key's delay; `run` happens once the key has been quiet for the delay. */
  trigger(key: string, run: () => void): void {
    this.timers.get(key)?.cancel();
    const timer = startTimer(
      this.clock,
      this.delayMs,
      () => {
        this.timers.delete(key);
        run();
      },
      this.onError,
    );
    this.timers.set(key, timer);
  }

  isPending(key: string): boolean {
    return this.timers.has(key);
  }

  /** Keys waiting to run. */
  get pendingKeys(): string[] {
    return [...this.timers.keys()];
  }

  cancel(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }
}
