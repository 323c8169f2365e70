import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LoadQueue } from '../../../src/explorer/loadQueue';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('explorer load queue', () => {
  it('[Q7] shares a request in flight by key, and runs the key again once it settled', async () => {
    const queue = new LoadQueue();
    let calls = 0;
    const gate = deferred<string>();
    const task = (): Promise<string> => {
      calls++;
      return gate.promise;
    };
    const a = queue.run('k', task);
    const b = queue.run('k', task);
    assert.equal(a, b);
    gate.resolve('x');
    assert.deepEqual(await Promise.all([a, b]), ['x', 'x']);
    assert.equal(calls, 1);
    await queue.run('k', () => Promise.resolve('y'));
    assert.equal(queue.started, 2);
  });

  it('[Q7] runs at most 8 at once; the rest wait their turn', async () => {
    const queue = new LoadQueue(8);
    const gates = Array.from({ length: 20 }, () => deferred<number>());
    let running = 0;
    let peak = 0;
    const all = gates.map((g, i) =>
      queue.run(`k${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        const v = await g.promise;
        running--;
        return v;
      }),
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(queue.running, 8);
    assert.equal(queue.queued, 12);
    gates.forEach((g, i) => g.resolve(i));
    assert.deepEqual(await Promise.all(all), gates.map((_, i) => i));
    assert.equal(peak, 8);
    assert.equal(queue.peak, 8);
  });

  it('starts nothing whose signal was aborted while it waited', async () => {
    const queue = new LoadQueue(1);
    const gate = deferred<void>();
    const first = queue.run('a', () => gate.promise);
    const controller = new AbortController();
    let started = false;
    const second = queue.run(
      'b',
      () => {
        started = true;
        return Promise.resolve();
      },
      controller.signal,
    );
    controller.abort();
    gate.resolve();
    await first;
    await assert.rejects(second, (e: Error & { kind?: string }) => e.kind === 'aborted');
    assert.equal(started, false);
  });
});
