import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Pager, type PageRequest } from '../../../src/api/paging';
import { ListLoader, type LoadPhase } from '../../../src/explorer/listLoader';
import { LoadQueue } from '../../../src/explorer/loadQueue';

// The list under a node, with scripted pages that ignore their abort signal (so only the generation
// protects against a late answer).

interface Item {
  id: string;
  v?: number;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function rig(options: { excluded?: () => boolean } = {}) {
  const requests: PageRequest[] = [];
  const answers: Array<ReturnType<typeof deferred<{ items: Item[]; total?: number }>>> = [];
  const errors: Array<[unknown, LoadPhase]> = [];
  const controller = new AbortController();
  const loader = new ListLoader<Item>({
    key: 'list',
    source: {
      createPager: (size) =>
        options.excluded?.()
          ? undefined
          : new Pager<Item>((request) => {
              requests.push(request);
              const answer = deferred<{ items: Item[]; total?: number }>();
              answers.push(answer);
              return answer.promise;
            }, size),
      keyOf: (i) => i.id,
    },
    queue: new LoadQueue(),
    pageSize: () => 2,
    signal: controller.signal,
    onError: (error, phase) => errors.push([error, phase]),
  });
  const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
  return { loader, requests, answers, errors, controller, flush };
}

describe('explorer list loader', () => {
  it('[Q13] one request for the first page however often it is asked; more pages append', async () => {
    const r = rig();
    const a = r.loader.ensureLoaded();
    const b = r.loader.ensureLoaded();
    await r.flush();
    assert.equal(r.requests.length, 1);
    r.answers[0].resolve({ items: [{ id: 'a' }, { id: 'b' }], total: 3 });
    await Promise.all([a, b]);
    assert.ok(r.loader.loaded && r.loader.hasMore);
    await r.loader.ensureLoaded();
    assert.equal(r.requests.length, 1);
    const m1 = r.loader.loadMore();
    const m2 = r.loader.loadMore();
    await r.flush();
    assert.equal(r.requests.length, 2, 'a double click is one request');
    assert.equal(r.requests[1].page, 1);
    // The page shifted: `b` again, then the new `c`.
    r.answers[1].resolve({ items: [{ id: 'b' }, { id: 'c' }], total: 3 });
    await Promise.all([m1, m2]);
    assert.deepEqual(r.loader.items.map((i) => i.id), ['a', 'b', 'c']);
    assert.deepEqual(r.loader.pageKeys(), [['a', 'b'], ['b', 'c']]);
  });

  it('[Q14] a reset drops the answer of the load it interrupted, even when that answer still arrives', async () => {
    const r = rig();
    const first = r.loader.ensureLoaded();
    await r.flush();
    r.loader.reset();
    const second = r.loader.ensureLoaded();
    await r.flush();
    assert.equal(r.requests.length, 2);
    r.answers[0].resolve({ items: [{ id: 'stale' }] });
    await r.flush();
    assert.equal(r.loader.loaded, false, 'the stale answer settles nothing');
    r.answers[1].resolve({ items: [{ id: 'fresh' }] });
    await Promise.all([first, second]);
    assert.deepEqual(r.loader.items.map((i) => i.id), ['fresh']);

    // A failure that arrives late is dropped too.
    r.loader.reset();
    const third = r.loader.ensureLoaded();
    await r.flush();
    const late = r.answers.length - 1;
    r.loader.reset();
    const fourth = r.loader.ensureLoaded();
    await r.flush();
    r.answers[late].reject(new Error('late'));
    r.answers[late + 1].resolve({ items: [{ id: 'new' }] });
    await Promise.all([third, fourth]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.loader.failure, undefined);
    assert.deepEqual(r.loader.items.map((i) => i.id), ['new']);
  });

  it('a failure is kept for the row and reported once; nothing is asked again until a reset', async () => {
    const r = rig();
    const p = r.loader.ensureLoaded();
    await r.flush();
    r.answers[0].reject(new Error('boom'));
    await p;
    await r.loader.ensureLoaded();
    assert.equal(r.requests.length, 1);
    assert.equal(r.errors.length, 1);
    assert.equal(r.loader.failure?.phase, 'first');
    assert.equal(r.loader.hasMore, false);
    r.loader.reset();
    const q = r.loader.ensureLoaded();
    await r.flush();
    r.answers[1].resolve({ items: [] });
    await q;
    assert.equal(r.loader.failure, undefined);
  });

  it('a filter that excludes the list asks nothing', async () => {
    const r = rig({ excluded: () => true });
    await r.loader.ensureLoaded();
    assert.ok(r.loader.loaded && r.loader.excluded);
    assert.equal(r.requests.length, 0);
    assert.equal(r.loader.hasMore, false);
  });

  it('takes a fresher copy of a loaded item in place', async () => {
    const r = rig();
    const p = r.loader.ensureLoaded();
    await r.flush();
    r.answers[0].resolve({ items: [{ id: 'a', v: 1 }] });
    await p;
    assert.ok(r.loader.replace({ id: 'a', v: 2 }));
    assert.ok(!r.loader.replace({ id: 'zzz', v: 2 }));
    assert.deepEqual(r.loader.items, [{ id: 'a', v: 2 }]);
  });

  it('the tree going away aborts what the list has in flight', async () => {
    const r = rig();
    let signal: AbortSignal | undefined;
    const loader = new ListLoader<Item>({
      key: 'x',
      source: {
        createPager: () =>
          new Pager<Item>((request) => {
            signal = request.signal;
            return new Promise(() => undefined);
          }, 2),
        keyOf: (i) => i.id,
      },
      queue: new LoadQueue(),
      pageSize: () => 2,
      signal: r.controller.signal,
    });
    void loader.ensureLoaded();
    await r.flush();
    assert.equal(signal?.aborted, false);
    r.controller.abort();
    assert.equal(signal?.aborted, true);
  });
});
