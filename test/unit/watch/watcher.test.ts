import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { ModelArtsError } from '../../../src/api/errors';
import { KeyedDebouncer } from '../../../src/watch/debounce';
import { WatchRegistry } from '../../../src/watch/watcher';

// Watches (a resource the user acted on, followed until final, visible or not) and the per-key debounce.

function registry(clock: ManualClock): WatchRegistry {
  return new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
}

async function settle(clock: ManualClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 500) await clock.advance(Math.min(500, left));
}

describe('watches', () => {
  it('[Q15] re-reads until the state is final, then stops', async () => {
    const clock = new ManualClock();
    const states = ['STARTING', 'STARTING', 'RUNNING'];
    const reads: number[] = [];
    const updates: string[] = [];
    const watches = registry(clock);
    const watch = watches.watch(
      'notebook/nb1',
      () => {
        reads.push(clock.now());
        return Promise.resolve(states[Math.min(reads.length - 1, states.length - 1)]);
      },
      (s) => s === 'RUNNING',
      { onUpdate: (s) => updates.push(s) },
    );
    assert.ok(watches.has('notebook/nb1'));
    await settle(clock, 60_000);
    assert.deepEqual(await watch.done, { status: 'final', value: 'RUNNING' });
    assert.deepEqual(updates, ['STARTING', 'STARTING', 'RUNNING']);
    assert.equal(reads.length, 3);
    assert.equal(watches.has('notebook/nb1'), false);
    assert.equal(clock.pending, 0, 'no timer left once final');
    await settle(clock, 5 * 60_000);
    assert.equal(reads.length, 3, 'nothing after the final state');
  });

  it('watching the same key twice shares one watch', async () => {
    const clock = new ManualClock();
    let reads = 0;
    const watches = registry(clock);
    const fetch = (): Promise<string> => Promise.resolve(++reads >= 2 ? 'done' : 'busy');
    const a = watches.watch('job/j1', fetch, (s) => s === 'done');
    const b = watches.watch('job/j1', fetch, (s) => s === 'done');
    assert.equal(a, b);
    await settle(clock, 30_000);
    assert.equal(reads, 2);
    assert.equal((await b.done).status, 'final');
  });

  it('[Q15] backs off while nothing changes, doubles on 429, resets on a change', async () => {
    const clock = new ManualClock();
    const answers: Array<string | Error> = ['a', 'a', 'a', new ModelArtsError({ kind: 'http', status: 429, message: 'slow down' }), 'b', 'b', 'final'];
    const reads: number[] = [];
    const watches = registry(clock);
    const start = clock.now();
    const watch = watches.watch(
      'k',
      () => {
        reads.push((clock.now() - start) / 1000);
        const next = answers.shift()!;
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      (s) => s === 'final',
    );
    await settle(clock, 300_000);
    assert.equal((await watch.done).status, 'final');
    // 5 (a, baseline), +5 (a: same → 7.5), +7.5 (a → 11.25), +11.25 (429 → 22.5), +22.5 (b: changed → 5), +5 (b → 7.5), +7.5
    assert.deepEqual(reads, [5, 10, 17.5, 28.75, 51.25, 56.25, 63.75]);
  });

  it('gives up after repeated failures, and a cancel stops it at once; done never rejects', async () => {
    const clock = new ManualClock();
    const watches = registry(clock);
    let reads = 0;
    const failing = watches.watch(
      'bad',
      () => {
        reads++;
        return Promise.reject(new Error('boom'));
      },
      () => false,
      { maxFailures: 3 },
    );
    await settle(clock, 120_000);
    const result = await failing.done;
    assert.equal(result.status, 'failed');
    assert.equal(reads, 3);

    let cancelledReads = 0;
    const cancelled = watches.watch(
      'slow',
      () => {
        cancelledReads++;
        return Promise.resolve('busy');
      },
      () => false,
    );
    await settle(clock, 5_000);
    cancelled.cancel();
    assert.deepEqual(await cancelled.done, { status: 'cancelled' });
    await settle(clock, 60_000);
    assert.equal(cancelledReads, 1, 'no read after the cancel');
    assert.equal(clock.pending, 0);
  });

  it('dispose cancels every watch', async () => {
    const clock = new ManualClock();
    const watches = registry(clock);
    const a = watches.watch('a', () => Promise.resolve(1), () => false);
    const b = watches.watch('b', () => Promise.resolve(2), () => false);
    watches.dispose();
    assert.deepEqual(await Promise.all([a.done, b.done]), [{ status: 'cancelled' }, { status: 'cancelled' }]);
  });
});

describe('keyed debounce', () => {
  it('runs each key once after it has been quiet for the delay', async () => {
    const clock = new ManualClock();
    const debouncer = new KeyedDebouncer(clock, 250);
    const runs: string[] = [];
    for (let i = 0; i < 20; i++) {
      debouncer.trigger('a', () => runs.push('a'));
      debouncer.trigger('b', () => runs.push('b'));
      await clock.advance(100);
    }
    assert.equal(runs.length, 0, 'still triggering: nothing ran');
    await clock.advance(250);
    assert.deepEqual(runs.sort(), ['a', 'b']);
    assert.equal(clock.pending, 0);
    debouncer.trigger('c', () => runs.push('c'));
    debouncer.cancel('c');
    debouncer.trigger('d', () => runs.push('d'));
    debouncer.dispose();
    await clock.advance(1_000);
    assert.deepEqual(runs.sort(), ['a', 'b']);
  });
});
