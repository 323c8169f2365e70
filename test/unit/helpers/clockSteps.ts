import { strict as assert } from 'node:assert';
import type { ManualClock } from '../../../src/api/clock';

/** Lets loopback HTTP finish without real waiting: turns of the event loop until `done` (bounded). */
export async function turnsUntil(done: () => boolean, turns = 5_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(done(), 'condition not reached');
}

/** Advances a manual clock in steps; after each, waits until the watch sleeps again or has ended. */
export async function advanceInSteps(clock: ManualClock, ms: number, stepMs: number, ended: () => boolean): Promise<void> {
  for (let left = ms; left > 0 && !ended(); left -= stepMs) {
    await clock.advance(Math.min(stepMs, left));
    await turnsUntil(() => ended() || clock.pending > 0);
  }
}
