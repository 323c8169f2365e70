import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Pager, computeHasMore, type PageRequest } from '../../../src/api/paging';
import { deferred } from '../helpers/fakeHttp';

/** A fetcher over `n` numbered records reporting `total`, recording each request. */
function numbers(n: number, options: { reportTotal?: boolean } = {}) {
  const calls: PageRequest[] = [];
  const all = Array.from({ length: n }, (_, i) => i);
  const fetch = (request: PageRequest) => {
    calls.push(request);
    const items = all.slice(request.offset, request.offset + request.limit);
    return Promise.resolve({ items, total: options.reportTotal === false ? undefined : n });
  };
  return { calls, fetch };
}

describe('computeHasMore', () => {
  it('follows the total when there is one', () => {
    assert.equal(computeHasMore(20, 20, 20, 45), true);
    assert.equal(computeHasMore(45, 5, 20, 45), false);
    // A full page that reaches the total ends the list without another request.
    assert.equal(computeHasMore(40, 20, 20, 40), false);
  });
  it('falls back to a short page without a total', () => {
    assert.equal(computeHasMore(20, 20, 20, undefined), true);
    assert.equal(computeHasMore(25, 5, 20, undefined), false);
  });
  it('ends on an empty page even when the total overstates', () => {
    assert.equal(computeHasMore(40, 0, 20, 1000), false);
  });
});

describe('Pager', () => {
  it('loads page after page with page index and record offset, until the total', async () => {
    const { calls, fetch } = numbers(45);
    const pager = new Pager(fetch, 20);
    assert.equal(pager.hasMore, true);
    assert.deepEqual(await pager.loadNext(), Array.from({ length: 20 }, (_, i) => i));
    assert.equal(pager.total, 45);
    await pager.loadNext();
    const last = await pager.loadNext();
    assert.deepEqual(last, [40, 41, 42, 43, 44]);
    assert.equal(pager.items.length, 45);
    assert.equal(pager.hasMore, false);
    assert.deepEqual(
      calls.map((c) => [c.page, c.offset, c.limit]),
      [
        [0, 0, 20],
        [1, 20, 20],
        [2, 40, 20],
      ],
    );
    // Nothing more: resolves empty and sends nothing.
    assert.deepEqual(await pager.loadNext(), []);
    assert.equal(calls.length, 3);
  });

  it('starts at startPage: earlier pages are never read, the total still ends it, reset returns there', async () => {
    const { calls, fetch } = numbers(45);
    const pager = new Pager(fetch, 20, 1);
    assert.deepEqual(await pager.loadNext(), Array.from({ length: 20 }, (_, i) => 20 + i));
    assert.equal(pager.hasMore, true, 'items 40–44 are still to come');
    assert.deepEqual(await pager.loadNext(), [40, 41, 42, 43, 44]);
    assert.equal(pager.hasMore, false);
    assert.equal(pager.pagesLoaded, 2);
    pager.reset();
    await pager.loadNext();
    assert.deepEqual(calls.map((c) => c.page), [1, 2, 1]);
  });

  it('stops on a short page when the API gives no total', async () => {
    const { calls, fetch } = numbers(25, { reportTotal: false });
    const pager = new Pager(fetch, 10);
    while (pager.hasMore) await pager.loadNext();
    assert.equal(pager.items.length, 25);
    assert.equal(calls.length, 3);
  });

  it('uses the fetcher’s own hasMore when it gives one', async () => {
    const pager = new Pager(() => Promise.resolve({ items: [1, 2], total: 100, hasMore: false }), 2);
    await pager.loadNext();
    assert.equal(pager.hasMore, false);
  });

  it('[Q13] shares one in-flight load between concurrent calls (a double-click sends one request)', async () => {
    const gates = [deferred<{ items: number[]; total: number }>(), deferred<{ items: number[]; total: number }>()];
    const pages: number[] = [];
    const pager = new Pager((r: PageRequest) => {
      pages.push(r.page);
      return gates[r.page].promise;
    }, 2);
    const first = pager.loadNext();
    const second = pager.loadNext();
    assert.equal(first, second);
    assert.equal(pager.loading, true);
    gates[0].resolve({ items: [1, 2], total: 4 });
    assert.deepEqual(await first, [1, 2]);
    assert.deepEqual(await second, [1, 2]);
    assert.deepEqual(pages, [0]);
    assert.deepEqual(pager.items, [1, 2]);
    assert.equal(pager.loading, false);
    // Once settled, the next click loads the next page.
    const third = pager.loadNext();
    gates[1].resolve({ items: [3, 4], total: 4 });
    await third;
    assert.deepEqual(pages, [0, 1]);
    assert.deepEqual(pager.items, [1, 2, 3, 4]);
    assert.equal(pager.hasMore, false);
  });

  it('keeps its state after a failed load, so the same page can be tried again', async () => {
    let fail = true;
    const seen: number[] = [];
    const pager = new Pager((r: PageRequest) => {
      seen.push(r.page);
      if (fail) return Promise.reject(new Error('boom'));
      return Promise.resolve({ items: ['a'], total: 1 });
    }, 1);
    await assert.rejects(pager.loadNext(), /boom/);
    assert.equal(pager.items.length, 0);
    assert.equal(pager.hasMore, true);
    assert.equal(pager.loading, false);
    fail = false;
    assert.deepEqual(await pager.loadNext(), ['a']);
    assert.deepEqual(seen, [0, 0]);
  });

  it('[Q14] reset forgets the items and drops a page that arrives afterwards', async () => {
    const gate = deferred<{ items: string[]; total: number }>();
    const pages: number[] = [];
    let call = 0;
    const pager = new Pager((r: PageRequest) => {
      pages.push(r.page);
      call++;
      return call === 1 ? gate.promise : Promise.resolve({ items: ['fresh'], total: 1 });
    }, 1);
    const stale = pager.loadNext();
    pager.reset();
    assert.equal(pager.loading, false);
    const fresh = await pager.loadNext();
    gate.resolve({ items: ['stale'], total: 5 });
    assert.deepEqual(await stale, []);
    assert.deepEqual(fresh, ['fresh']);
    assert.deepEqual(pager.items, ['fresh']);
    assert.equal(pager.hasMore, false);
    assert.deepEqual(pages, [0, 0]);
  });

  it('passes the caller’s signal to the fetcher', async () => {
    const controller = new AbortController();
    let got: AbortSignal | undefined;
    const pager = new Pager((r: PageRequest) => {
      got = r.signal;
      return Promise.resolve({ items: [], total: 0 });
    }, 5);
    await pager.loadNext(controller.signal);
    assert.equal(got, controller.signal);
  });
});
