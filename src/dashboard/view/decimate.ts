// Thinning a long curve for drawing: a chart cannot show more than a few points per pixel, and uPlot's path
// building is linear in the points it gets. Each pixel-wide bucket of the x range keeps its lowest and highest
// point (in their original order), so spikes and dips stay visible; the full data stays in the store for the
// table and the CSV. Pure: no DOM, no uPlot.

export interface DecimatedPoints {
  x: Float64Array;
  y: Float64Array;
  length: number;
}

/**
 * About 2 × `buckets` + 2 points (more only where gaps are) of (x, y) keeping, per bucket of equal x width, the minimum and the
 * maximum y, plus the first and the last point. A run of NaN y values (a gap) becomes one NaN point, so the
 * drawing still breaks there. With `length` no more than
 * 2 × `buckets` the points are returned unchanged (copied). x is expected non-decreasing, as steps and lines
 * are; an x that goes back opens a new bucket, so the extremes are still kept.
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, length: number, buckets: number): DecimatedPoints {
  const count = Math.max(0, Math.min(length, x.length, y.length));
  const slots = Math.max(1, Math.floor(buckets));
  if (count <= 2 * slots) return { x: Float64Array.from({ length: count }, (_, i) => x[i]), y: Float64Array.from({ length: count }, (_, i) => y[i]), length: count };

  const outX: number[] = [];
  const outY: number[] = [];
  const push = (i: number): void => {
    outX.push(x[i]);
    outY.push(y[i]);
  };

  const first = x[0];
  const span = x[count - 1] - first;
  const bucketOf = (value: number): number => (span > 0 ? Math.min(slots - 1, Math.floor(((value - first) / span) * slots)) : 0);

  let bucket = -1;
  let minAt = -1;
  let maxAt = -1;
  const flush = (): void => {
    if (minAt < 0) return;
    if (minAt === maxAt) push(minAt);
    else {
      push(Math.min(minAt, maxAt));
      push(Math.max(minAt, maxAt));
    }
    minAt = maxAt = -1;
  };

  push(0);
  for (let i = 1; i < count - 1; i++) {
    const value = y[i];
    if (Number.isNaN(value)) {
      // A gap stays a gap: the extremes before it, then one NaN point (however long the gap).
      flush();
      bucket = -1;
      if (!Number.isNaN(outY[outY.length - 1])) push(i);
      continue;
    }
    const at = bucketOf(x[i]);
    if (at !== bucket) {
      flush();
      bucket = at;
    }
    if (minAt < 0 || value < y[minAt]) minAt = i;
    if (maxAt < 0 || value > y[maxAt]) maxAt = i;
  }
  flush();
  push(count - 1);
  return { x: Float64Array.from(outX), y: Float64Array.from(outY), length: outX.length };
}
