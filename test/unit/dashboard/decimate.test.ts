import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decimateMinMax } from '../../../src/dashboard/view/decimate';

// Drawing a long curve: per pixel bucket the lowest and highest point survive, so a spike in a million points
// still shows; short curves are drawn as they are.

const ramp = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i);

describe('decimateMinMax', () => {
  it('returns a short curve unchanged', () => {
    const x = [1, 2, 3, 4];
    const y = [0.5, 0.4, 0.45, 0.3];
    const out = decimateMinMax(x, y, x.length, 2);
    assert.deepEqual([...out.x], x);
    assert.deepEqual([...out.y], y);
    assert.equal(out.length, 4);
  });

  it('keeps at most two points per bucket plus the ends, and every bucket extreme, in x order', () => {
    const n = 100_000;
    const x = ramp(n);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50) + (i % 7) * 0.01);
    y[31_337] = 50; // a spike
    y[77_777] = -50; // a dip
    const buckets = 500;
    const out = decimateMinMax(x, y, n, buckets);
    assert.ok(out.length <= 2 * buckets + 2, `${out.length} points`);
    assert.ok(out.length > buckets, `${out.length} points`);
    assert.equal(out.x[0], 0);
    assert.equal(out.x[out.length - 1], n - 1);
    for (let i = 1; i < out.length; i++) assert.ok(out.x[i] > out.x[i - 1], `x increases at ${i}`);
    assert.ok(out.x.includes(31_337) && out.y.includes(50), 'the spike stays');
    assert.ok(out.x.includes(77_777) && out.y.includes(-50), 'the dip stays');
    // Each kept point is a real point, and the overall extremes are the input's.
    for (let i = 0; i < out.length; i++) assert.equal(out.y[i], y[out.x[i]]);
    const max = (values: Float64Array): number => values.reduce((a, b) => Math.max(a, b), -Infinity);
    const min = (values: Float64Array): number => values.reduce((a, b) => Math.min(a, b), Infinity);
    assert.equal(max(out.y), max(y));
    assert.equal(min(out.y), min(y));
  });

  it('is the minimum and maximum of each bucket of equal x width', () => {
    // 12 points in 3 buckets of 4: [3,1,4,1] [5,9,2,6] [5,3,5,8] → ends, then min/max in original order.
    const y = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
    const out = decimateMinMax(ramp(12), y, 12, 3);
    // First point, bucket 0 from index 1 (1 at 1, 4 at 2), bucket 1 (9 at 5, 2 at 6), bucket 2 up to index 10 (5 at 8, 3 at 9), last point.
    assert.deepEqual([...out.x], [0, 1, 2, 5, 6, 8, 9, 11]);
    assert.deepEqual([...out.y], [3, 1, 4, 9, 2, 5, 3, 8]);
  });

  it('keeps a gap (NaN) as one NaN point, so the line still breaks there', () => {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => (i >= 4_000 && i < 6_000 ? Number.NaN : i % 10));
    const out = decimateMinMax(ramp(n), y, n, 100);
    const gaps = [...out.y].filter((value) => Number.isNaN(value));
    assert.equal(gaps.length, 1);
    const at = [...out.y].findIndex((value) => Number.isNaN(value));
    assert.ok(out.x[at] >= 4_000 && out.x[at] < 6_000);
    assert.ok(out.x[at - 1] < 4_000 && out.x[at + 1] >= 6_000, 'points on both sides of the gap');
    assert.ok(out.length <= 2 * 100 + 3, `${out.length} points`);
  });

  it('uses only the first `length` points (the store’s arrays are larger than what they hold)', () => {
    const x = ramp(1_000);
    const y = Float64Array.from({ length: 1_000 }, (_, i) => (i < 400 ? i % 3 : 1e9));
    const out = decimateMinMax(x, y, 400, 10);
    assert.equal(out.x[out.length - 1], 399);
    assert.ok(!out.y.includes(1e9));
  });

  it('handles equal x everywhere, an empty curve and one bucket', () => {
    const flat = decimateMinMax(new Float64Array(50), ramp(50), 50, 5);
    assert.deepEqual([...flat.y], [0, 1, 48, 49]);
    assert.equal(decimateMinMax([], [], 0, 10).length, 0);
    const one = decimateMinMax(ramp(10), [5, 1, 2, 3, 9, 4, 0.5, 6, 7, 8], 10, 0);
    assert.deepEqual([...one.y], [5, 9, 0.5, 8]);
  });

  it('thins a million points quickly (the figure is reported, not asserted)', () => {
    const n = 1_000_000;
    const x = ramp(n);
    const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i / 1000));
    const started = performance.now();
    const out = decimateMinMax(x, y, n, 1_200);
    const ms = performance.now() - started;
    assert.ok(out.length <= 2 * 1_200 + 2);
    console.log(`decimateMinMax: 1,000,000 points → ${out.length} in ${ms.toFixed(1)} ms`);
  });
});
