// Log follower throughput: 100,000 lines appended to a running job's log in the emulator (same process, on a
// ManualClock), followed into an in-memory output sink; max event-loop delay and retained heap growth; and the
// floor beside it: a bare split of the same bytes into lines.
// Run with --expose-gc so heap figures are after a collection.

import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Clock } from '../src/api/clock';
import { englishL10n } from '../src/common/translate';
import { followLog } from '../src/watch/logFollower';
import { MemorySink, startTrainingRig } from '../test/unit/helpers/trainingRig';
import { emit, run } from './lib';

const LINES = 100_000;
const FINAL = ['Completed', 'Failed', 'Terminated', 'Abnormal'];
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

run(async () => {
  const rig = await startTrainingRig();
  try {
    const job = await rig.runningJob('bench-follow');
    const id = job.metadata.id;
    const task = job.status.tasks[0];
    // ~40-byte lines: 100,000 of them fit the 5 MB preview window, so every line is shown.
    let text = '';
    for (let i = 1; i <= LINES; i++) text += `[worker-0] step ${String(i).padStart(6, '0')} loss=0.${String(i % 997).padStart(4, '0')}\n`;
    rig.training.appendLog(id, task, text);
    const sink = new MemorySink();
    const controller = new AbortController();
    const clock: Clock = { now: () => rig.clock.now(), sleep: (ms, signal) => rig.clock.sleep(ms, signal) };

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const t0 = performance.now();
    const follower = followLog({
      readPreview: (signal) => rig.client.trainingJobs.getLogPreview(id, task, signal),
      readPhase: async (signal) => (await rig.client.trainingJobs.get(id, signal)).status.phase,
      isFinal: (phase) => phase !== undefined && FINAL.includes(phase),
      sink,
      clock,
      signal: controller.signal,
      intervalMs: () => 5_000,
      maxLines: () => LINES + 1_000,
      l10n: englishL10n,
    });
    // The first poll reads the whole window; the follower then sleeps on the clock.
    await rig.settle(follower.done);
    const elapsed = performance.now() - t0;
    delay.disable();
    const shown = sink.lines.filter((l) => l.startsWith('[worker-0] step ')).length;
    if (shown !== LINES) throw new Error(`${shown} of ${LINES} lines in the sink`);
    const peakHeap = process.memoryUsage().heapUsed;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    controller.abort();
    await follower.done;
    // The floor: the same bytes decoded and split into lines, nothing else (best of 5).
    const bytes = Buffer.from(text, 'utf8');
    let floorMs = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 5; k++) {
      const f0 = performance.now();
      const lines = bytes.toString('utf8').split('\n');
      floorMs = Math.min(floorMs, performance.now() - f0);
      if (lines.length !== LINES + 1) throw new Error(`floor: ${lines.length} lines`);
    }
    emit({
      floorLinesPerSec: (LINES / floorMs) * 1000,
      lines: shown,
      elapsedMs: elapsed,
      linesPerSec: (shown / elapsed) * 1000,
      maxEventLoopDelayMs: delay.max / 1e6,
      heapGrowthMB: (heapAfter - heapBefore) / 1024 / 1024,
      heapPeakGrowthMB: (peakHeap - heapBefore) / 1024 / 1024,
      sinkMB: Buffer.byteLength(sink.text) / 1024 / 1024,
      appends: sink.appends,
      replaces: sink.replaces,
    });
  } finally {
    await rig.close();
  }
});
