// Timers on a Clock, so polling and debouncing run on a ManualClock in tests (no sleeps, no real time).

import type { Clock } from '../api/clock';

export interface Timer {
  cancel(): void;
}

/** Runs `fn` once after `ms` on `clock`, unless cancelled first. An error thrown by `fn` goes to `onError`. */
export function startTimer(clock: Clock, ms: number, fn: () => void, onError?: (error: unknown) => void): Timer {
  const controller = new AbortController();
  void clock.sleep(ms, controller.signal).then(
    () => {
      if (controller.signal.aborted) return;
      try {
        fn();
      } catch (error) {
        onError?.(error);
      }
    },
    // Cancelled: nothing to run.
    () => undefined,
  );
  return { cancel: () => controller.abort() };
}
