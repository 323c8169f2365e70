// How the log follower's cost grows with the log (run with --expose-gc; heap figures are after a collection):
//   BENCH_FOLLOW=follow  a running job's log growing 1 MiB per virtual second for 10 virtual minutes (600 MiB),
//                        followed as Follow Logs runs it (the preview route over loopback, byte cursor, capped
//                        output at the default line cap) on a ManualClock: the run takes seconds. Heap sampled
//                        every virtual minute, CPU per MiB, whether the cap held.
//   BENCH_REPLAY_GB=N    (BENCH_FOLLOW=replay) N GiB (default 10) of log text replayed offline through the line
//                        splitter and the capped output, flushed once per MiB as a poll would: MiB/s, lines/s,
//                        heap sampled every GiB; and the generator's own floor (the chunks made, nothing done).
// The emulator runs in this process: the follow's CPU includes it answering the previews (a 5 MiB window each).

import { performance } from 'node:perf_hooks';
import type { Clock } from '../src/api/clock';
import { DEFAULT_SETTINGS } from '../src/common/settings';
import { englishL10n } from '../src/common/translate';
import { stableUuid } from '../src/emulator/familyKit';
import { PREVIEW_WINDOW_BYTES } from '../src/emulator/training/logs';
import { followOutput } from '../src/watch/follow';
import { LineSplitter, followLog } from '../src/watch/logFollower';
import { startTrainingRig } from '../test/unit/helpers/trainingRig';
import { MemorySink } from '../test/unit/helpers/trainingRig';
import { LOG_NOISE, emit, run } from './lib';

const MiB = 1024 * 1024;
const MAX_LINES = DEFAULT_SETTINGS.logsMaxLines;
const FINAL = ['Completed', 'Failed', 'Terminated', 'Abnormal'];
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const heapMB = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / MiB;
};
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** About `bytes` of realistic log lines (whole lines), numbered from `first`. */
function logText(bytes: number, first: number): { text: string; lines: number } {
  const parts: string[] = [];
  let size = 0;
  let i = first;
  while (size < bytes) {
    const line = `${LOG_NOISE[i % LOG_NOISE.length](i)}\n`;
    parts.push(line);
    size += line.length;
    i++;
  }
  return { text: parts.join(''), lines: i - first };
}

/** Lets I/O and continuations run until something waits on the clock again. */
async function settle(pending: () => number): Promise<void> {
  for (let i = 0; i < 200_000; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (pending() > 0) return;
  }
  throw new Error('nothing came to wait on the clock');
}

async function follow600MB(): Promise<void> {
  const SECONDS = 600;
  // One scale job, Running for days, its generated lines off: the log is what this bench appends.
  const rig = await startTrainingRig({ seed: 'empty', jobs: 1, scaleRunning: true });
  const { emu, clock, client, training: family } = rig;
  try {
    const id = stableUuid('training-scale/0');
    family.setLogRate(id, 0);
    const job = await client.trainingJobs.get(id);
    if (job.status.phase !== 'Running') throw new Error(`job is ${job.status.phase}`);
    const task = job.status.tasks[0];
    // Four different MiB of lines, appended in turn (building 600 MiB of text would measure the builder).
    const blocks = [0, 1, 2, 3].map((k) => logText(MiB, k * 1_000_003));
    const longestLine = Math.max(...blocks.flatMap((b) => b.text.split('\n').map((l) => Buffer.byteLength(l) + 1)));
    const sink = new MemorySink();
    const controller = new AbortController();
    const followClock: Clock = { now: () => clock.now(), sleep: (ms, signal) => clock.sleep(ms, signal) };
    let delivered = 0;
    let maxSinkBytes = 0;
    let maxSinkLines = 0;
    const heap: Array<{ virtualS: number; heapMB: number; externalMB: number }> = [];
    const sample = (virtualS: number): void => {
      const h = heapMB();
      heap.push({ virtualS, heapMB: h, externalMB: (process.memoryUsage().external + process.memoryUsage().arrayBuffers) / MiB });
    };
    const follower = followLog({
      readPreview: (signal) => client.trainingJobs.getLogPreview(id, task, signal),
      readPhase: async (signal) => (await client.trainingJobs.get(id, signal)).status.phase,
      isFinal: (phase) => phase !== undefined && FINAL.includes(phase),
      sink,
      clock: followClock,
      signal: controller.signal,
      intervalMs: () => DEFAULT_SETTINGS.refreshIntervalSeconds * 1000,
      maxLines: () => MAX_LINES,
      l10n: englishL10n,
      onText: (text) => {
        delivered += Buffer.byteLength(text);
      },
    });
    await settle(() => clock.pending);
    sample(0);
    let cpu = 0;
    let wall = 0;
    let written = 0;
    for (let s = 1; s <= SECONDS; s++) {
      family.appendLog(id, task, blocks[s % blocks.length].text);
      written += Buffer.byteLength(blocks[s % blocks.length].text);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await clock.advance(1_000);
      await settle(() => clock.pending);
      wall += performance.now() - t0;
      cpu += cpuMs(c0);
      maxSinkBytes = Math.max(maxSinkBytes, Buffer.byteLength(sink.text));
      maxSinkLines = Math.max(maxSinkLines, follower.output.lineCount);
      if (s % 60 === 0) sample(s);
    }
    controller.abort();
    await follower.done;
    const capBytes = MAX_LINES * longestLine;
    const growth = heap.at(-1)!.heapMB - heap[1].heapMB;
    emit({
      virtualSeconds: SECONDS,
      writtenMB: written / MiB,
      deliveredMB: delivered / MiB,
      skippedMB: (written - delivered) / MiB,
      previewWindowMB: PREVIEW_WINDOW_BYTES / MiB,
      polls: emu.requests.filter((r) => r.path.endsWith('/logs/preview')).length,
      intervalMs: DEFAULT_SETTINGS.refreshIntervalSeconds * 1000,
      cpuMs: cpu,
      wallMs: wall,
      cpuMsPerMB: cpu / (written / MiB),
      heap,
      heapGrowthMB: growth,
      heapGrowthNote: 'first sample after the first virtual minute (the follower and the client warmed up) to the last',
      heapGrowthFromStartMB: heap.at(-1)!.heapMB - heap[0].heapMB,
      maxLines: MAX_LINES,
      maxSinkLines,
      maxSinkBytes,
      capBytes,
      capHeld: maxSinkLines <= MAX_LINES && maxSinkBytes <= capBytes,
      appends: sink.appends,
      replaces: sink.replaces,
    });
  } finally {
    await rig.close();
  }
}

function replay(): void {
  const gib = Number(process.env.BENCH_REPLAY_GB ?? '10');
  if (!(gib > 0)) throw new Error(`BENCH_REPLAY_GB=${process.env.BENCH_REPLAY_GB}`);
  const CHUNK = 64 * 1024;
  const chunksTotal = Math.round((gib * 1024 * MiB) / CHUNK);
  const chunksPerFlush = MiB / CHUNK;
  // Sixteen 64 KiB chunks of lines with different content; each chunk used is one of them behind a line of its
  // own number (a string concatenation: cheap, and no two chunks are the same text).
  const base = Array.from({ length: 16 }, (_, k) => {
    const { text } = logText(CHUNK - 64, k * 7_919);
    return text;
  });
  const chunkAt = (n: number): string => `[replay] chunk ${n}\n${base[n % base.length]}`;
  const chunkBytes = base.map((b) => Buffer.byteLength(b));
  // The generator's floor: every chunk made and its length read, nothing else.
  const g0 = performance.now();
  let floorChars = 0;
  for (let n = 0; n < chunksTotal; n++) floorChars += chunkAt(n).length;
  const generatorMs = performance.now() - g0;
  // A second floor: the same chunks (one GiB at most) made and split into lines, nothing else.
  const splitChunks = Math.min(chunksTotal, (1024 * MiB) / CHUNK);
  const sp0 = performance.now();
  let splitChars = 0;
  let splitLines = 0;
  for (let n = 0; n < splitChunks; n++) {
    const text = chunkAt(n);
    splitChars += text.length;
    splitLines += text.split('\n').length - 1;
  }
  const splitMs = performance.now() - sp0;

  const sink = new MemorySink();
  const output = followOutput(sink, () => MAX_LINES, englishL10n);
  const splitter = new LineSplitter();
  const heap: Array<{ gib: number; heapMB: number }> = [{ gib: 0, heapMB: heapMB() }];
  let bytes = 0;
  let lines = 0;
  let maxSinkLines = 0;
  let maxSinkBytes = 0;
  const chunksPerGiB = (1024 * MiB) / CHUNK;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let sampling = 0;
  for (let n = 0; n < chunksTotal; n++) {
    const text = chunkAt(n);
    bytes += chunkBytes[n % base.length] + 16 + String(n).length;
    const got = splitter.push(text, MAX_LINES + 1);
    lines += got.length;
    output.push(got);
    if ((n + 1) % chunksPerFlush === 0) {
      output.flush();
      maxSinkLines = Math.max(maxSinkLines, output.lineCount);
      maxSinkBytes = Math.max(maxSinkBytes, sink.text.length);
    }
    if ((n + 1) % chunksPerGiB === 0) {
      const s0 = performance.now();
      heap.push({ gib: (n + 1) / chunksPerGiB, heapMB: heapMB() });
      sampling += performance.now() - s0;
    }
  }
  output.flush();
  const elapsedMs = performance.now() - t0 - sampling;
  const cpu = cpuMs(c0);
  emit({
    gib,
    bytes,
    lines,
    elapsedMs,
    cpuMs: cpu,
    mbPerSec: bytes / MiB / (elapsedMs / 1000),
    linesPerSec: lines / (elapsedMs / 1000),
    generatorFloorMs: generatorMs,
    generatorFloorMBPerSec: floorChars / MiB / (generatorMs / 1000),
    splitFloorMBPerSec: splitChars / MiB / (splitMs / 1000),
    splitFloorLinesPerSec: splitLines / (splitMs / 1000),
    heap,
    heapGrowthMB: heap.at(-1)!.heapMB - heap[0].heapMB,
    maxSinkLines,
    maxSinkBytes,
    capHeld: maxSinkLines <= MAX_LINES,
    appends: sink.appends,
    replaces: sink.replaces,
    note: 'bytes are UTF-16 code units of ASCII text, one byte each; heap sampling time excluded from the elapsed time',
  });
}

run(async () => {
  const part = process.env.BENCH_FOLLOW ?? 'follow';
  if (part === 'follow') await follow600MB();
  else if (part === 'replay') replay();
  else throw new Error(`BENCH_FOLLOW=${part}: follow or replay`);
});
