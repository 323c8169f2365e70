// Training curves from a log: 1,000,000 realistic log lines (mixed formats, 1 in 5 with metrics) fed to the
// log metric parser in 1 MiB chunks, as the full log arrives; lines/s. The floor: the same text split into
// lines and each scanned with one trivial regular expression. Interleaved runs, so drift hits both alike.
// Run with --expose-gc so the heap figure is after a collection.

import { performance } from 'node:perf_hooks';
import { LogMetricParser } from '../src/watch/logMetrics';
import { LOG_NOISE, emit, median, run } from './lib';

const LINES = Number(process.env.BENCH_LOG_LINES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_LOG_RUNS ?? 5);
const CHUNK = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

/** Lines as frameworks print them; every fifth one carries metrics, in one of five forms. */
function makeLog(lines: number): { text: string; metricLines: number } {
  const noise = LOG_NOISE;
  const metrics = [
    (i: number) => `[2026-12-07 12:00:01] INFO step ${i} loss=${(2 / (1 + i / 1e5)).toFixed(4)} lr=${(1e-3 * 0.999 ** (i / 1000)).toExponential(3)} grad_norm=${(1 + (i % 7) / 10).toFixed(2)}`,
    (i: number) => `Epoch [${1 + Math.floor(i / 200_000)}/5] Iter [${i % 200_000}/200000] loss: ${(1.5 - i / 1e6).toFixed(5)}, acc: ${(0.5 + i / 2.5e6).toFixed(4)}`,
    (i: number) => `{'loss': ${(0.9 - i / 2e6).toFixed(4)}, 'learning_rate': ${(5e-5 * (1 - i / 1e6)).toExponential(2)}, 'epoch': ${(i / 2e5).toFixed(2)}}`,
    (i: number) => `{"global_step": ${i}, "loss": ${(0.8 - i / 2e6).toFixed(5)}, "ppl": ${(12 - i / 1e5).toFixed(3)}, "time": "12:00:01"}`,
    (i: number) => `${i % 1875}/1875 [==============================] - 5s 3ms/step - loss: 0.${String(2972 - (i % 2000)).padStart(4, '0')} - accuracy: 0.9139 - val_loss: 0.2511 - val_accuracy: 0.9287`,
  ];
  const parts: string[] = [];
  let metricLines = 0;
  for (let i = 0; i < lines; i++) {
    if (i % 5 === 4) {
      parts.push(metrics[(i / 5) % metrics.length | 0](i));
      metricLines++;
    } else parts.push(noise[i % noise.length](i));
  }
  return { text: `${parts.join('\n')}\n`, metricLines };
}

function parse(text: string): { ms: number; parser: LogMetricParser } {
  const t0 = performance.now();
  const parser = new LogMetricParser();
  for (let at = 0; at < text.length; at += CHUNK) parser.push(text.slice(at, at + CHUNK));
  parser.end();
  return { ms: performance.now() - t0, parser };
}

/** The floor: split into lines, one trivial regex on each. */
function floor(text: string): { ms: number; hits: number } {
  const t0 = performance.now();
  const trivial = /loss/;
  let hits = 0;
  for (const line of text.split('\n')) if (trivial.test(line)) hits++;
  return { ms: performance.now() - t0, hits };
}

run(async () => {
  const { text, metricLines } = makeLog(LINES);
  const ours: number[] = [];
  const floors: number[] = [];
  let last: LogMetricParser | undefined;
  parse(text); // warm-up, discarded
  floor(text);
  for (let i = 0; i < RUNS; i++) {
    gc();
    const r = parse(text);
    ours.push(r.ms);
    last = r.parser;
    gc();
    floors.push(floor(text).ms);
  }
  if (!last) throw new Error('no run');
  const stats = { ...last.stats };
  if (stats.lines !== LINES || stats.linesWithMetrics !== metricLines) throw new Error(`read ${stats.lines} lines, ${stats.linesWithMetrics} with metrics; expected ${LINES}, ${metricLines}`);
  // Memory held by the parsed series alone (the typed arrays live outside the JS heap, in arrayBuffers):
  // parse once more after a collection and keep the result.
  last = undefined;
  gc();
  const held = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBefore = held();
  const kept = parse(text).parser;
  gc();
  const heapHeldMB = (held() - heapBefore) / 1024 ** 2;
  await Promise.resolve();
  emit({
    lines: LINES,
    megabytes: text.length / 1024 ** 2,
    metricLines,
    points: kept.stats.points,
    series: [...kept.series()].map(([name, s]) => `${name}:${s.length}`),
    oursMs: ours,
    floorMs: floors,
    linesPerSec: ours.map((ms) => (LINES / ms) * 1000),
    floorLinesPerSec: floors.map((ms) => (LINES / ms) * 1000),
    medianLinesPerSec: (LINES / median(ours)) * 1000,
    heapHeldMB,
  });
});
