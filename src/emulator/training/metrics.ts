import { noise } from '../familyKit';

// A running task's resource metrics, one average per minute from the job's start_time: a warm-up while data
// loads and the model is placed, a steady state with noise, dips of the accelerator at checkpoints (saving
// stalls the step loop), and now and then a minute without data (-1), as the service reports one. All of it
// follows from the seed, so a job shows the same curves on every read.

export type MetricFlavor = 'CPU' | 'GPU' | 'Ascend';

/** The most minutes answered: 7 days. */
export const MAX_METRIC_MINUTES = 7 * 24 * 60;
/** Roughly one minute in this many has no data. */
const GAP_ONE_IN = 25;

export function metricNames(flavor: MetricFlavor): string[] {
  if (flavor === 'GPU') return ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage'];
  if (flavor === 'Ascend') return ['cpuUsage', 'memUsage', 'npuUtil', 'npuMemUsage'];
  return ['cpuUsage', 'memUsage'];
}

/** Minutes of warm-up, the checkpoint period, and whether minute `i` has no data, for one seed. */
export function metricRhythm(seed: number): { warmup: number; checkpointEvery: number; gap: (i: number) => boolean } {
  const h = seed >>> 0;
  return {
    warmup: 2 + (h % 3),
    checkpointEvery: 10 + ((h >>> 3) % 6),
    // Minute 0 always has data, so a fresh run shows a first point.
    gap: (i) => i > 0 && noise(seed ^ 0x1b873593, i) < 1 / GAP_ONE_IN,
  };
}

function round2(value: number): number {
  return Math.round(Math.min(100, Math.max(0, value)) * 100) / 100;
}

/** One metric's values for minutes [0, minutes): percentages with two decimals, -1 for a minute without data. */
export function metricValues(seed: number, metric: string, minutes: number): number[] {
  const { warmup, checkpointEvery, gap } = metricRhythm(seed);
  const key = seed ^ [...metric].reduce((sum, ch) => Math.imul(sum, 31) + ch.charCodeAt(0), 7);
  const out: number[] = new Array<number>(Math.min(minutes, MAX_METRIC_MINUTES));
  for (let i = 0; i < out.length; i++) {
    if (gap(i)) {
      out[i] = -1;
      continue;
    }
    const n = noise(key, i) - 0.5;
    const ramp = Math.min(1, (i + 1) / (warmup + 1));
    const checkpoint = i >= warmup && (i + 1) % checkpointEvery === 0;
    let value: number;
    switch (metric) {
      case 'cpuUsage':
        // Data loading keeps the CPU busy at first; saving a checkpoint too.
        value = i < warmup ? 70 + n * 10 : (checkpoint ? 55 : 32) + n * 8;
        break;
      case 'memUsage':
        value = 20 + 38 * ramp + Math.min(6, i / 120) + n * 2;
        break;
      case 'gpuUtil':
      case 'npuUtil':
        value = i < warmup ? 8 + 60 * ramp + n * 10 : checkpoint ? 18 + n * 10 : 88 + n * 10;
        break;
      default:
        // Accelerator memory: allocated during the warm-up, then nearly flat.
        value = 5 + 68 * ramp + n * 2;
    }
    out[i] = round2(value);
  }
  return out;
}
