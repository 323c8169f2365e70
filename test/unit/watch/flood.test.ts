// Quality 17 measured as the extension host would feel it: the emulator runs in a worker thread, so the
// event-loop delay and heap growth recorded here are the client's and the follower's alone (reading,
// parsing and splitting 5 MB windows, capping the output), not the emulator's work of producing them.

import { strict as assert } from 'node:assert';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ModelArtsClient } from '../../../src/api/client';
import { ManualClock, type Clock } from '../../../src/api/clock';
import { englishL10n } from '../../../src/common/translate';
import { PREVIEW_WINDOW_BYTES } from '../../../src/emulator/training/logs';
import { CappedOutput } from '../../../src/watch/cappedOutput';
import { LineSplitter, LogCursor, followLog } from '../../../src/watch/logFollower';
import { MemorySink } from '../helpers/trainingRig';
import { emulatorClient } from '../helpers/emulatorHelpers';
import { startEmulatorWorker, type EmulatorWorker } from '../helpers/emulatorWorker';

const INTERVAL = 5_000;
const PREVIEW = 'logs/preview$';
const DROPPED = '[... older lines dropped ...]';

/** A full collection, so heap figures compare what is retained rather than garbage not yet collected. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('log flood with the emulator in a worker thread', () => {
  let worker: EmulatorWorker;
  let clock: ManualClock;
  let client: ModelArtsClient;

  before(async () => {
    worker = await startEmulatorWorker();
    clock = new ManualClock(worker.info.start);
    client = emulatorClient(worker.info, clock, { retry: { maxAttempts: 1 } });
  });

  after(async () => {
    client.dispose();
    await worker.close();
  });

  /** Lets I/O run until the follower sleeps on the clock again (or it ends). */
  async function settle(done: Promise<unknown>): Promise<void> {
    let settled = false;
    void done.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < 1_000_000; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled || clock.pending > 0) return;
    }
    throw new Error('nothing came to wait on the clock');
  }

  /** Both clocks move together, the emulator's first, so what the follower reads next is due. */
  async function tick(ms: number, done: Promise<unknown>): Promise<void> {
    await worker.call({ op: 'advance', ms });
    await clock.advance(ms);
    await settle(done);
  }

  it('[Q17] 1,000,000 lines: capped at 10,000 lines, one write per poll; heap and event-loop figures', async () => {
    const job = await worker.call<{ id: string; task: string; phase: string; advancedMs: number }>({ op: 'runningJob', name: 'flood' });
    await clock.advance(job.advancedMs);
    assert.equal(job.phase, 'Running');
    const maxLines = 10_000;
    const sink = new MemorySink();
    const controller = new AbortController();
    const followerClock: Clock = { now: () => clock.now(), sleep: (ms, signal) => clock.sleep(ms, signal) };
    const follower = followLog({
      readPreview: (signal) => client.trainingJobs.getLogPreview(job.id, job.task, signal),
      readPhase: async (signal) => (await client.trainingJobs.get(job.id, signal)).status.phase,
      isFinal: (phase) => phase === 'Completed' || phase === 'Failed' || phase === 'Terminated' || phase === 'Abnormal',
      sink,
      clock: followerClock,
      signal: controller.signal,
      intervalMs: () => INTERVAL,
      maxLines: () => maxLines,
      l10n: englishL10n,
    });
    try {
      await settle(follower.done);
      collectGarbage();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      // 1,000,000 lines over 100 emulated seconds, read every 5 s.
      await worker.call({ op: 'setLogRate', jobId: job.id, linesPerSecond: 10_000 });
      const polls0 = await worker.call<number>({ op: 'count', pattern: PREVIEW });
      for (let i = 0; i < 20; i++) {
        await tick(INTERVAL, follower.done);
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        assert.ok(sink.lines.length <= maxLines, `${sink.lines.length} lines kept`);
      }
      delay.disable();
      const polls = (await worker.call<number>({ op: 'count', pattern: PREVIEW })) - polls0;
      assert.equal(await worker.call({ op: 'phase', jobId: job.id }), 'Running');
      assert.ok(polls >= 20, `${polls} polls`);
      assert.equal(sink.lines.length, follower.output.lineCount);
      assert.ok(sink.lines.length > maxLines / 2 && sink.lines.length <= maxLines, `${sink.lines.length} lines kept`);
      assert.ok(sink.appends + sink.replaces <= polls + 1, `${sink.appends} appends, ${sink.replaces} replaces, ${polls} polls`);
      assert.equal(sink.lines[0], DROPPED);
      const peakMb = (heapPeak - heapBefore) / 1024 / 1024;
      collectGarbage();
      const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
      console.log(
        `[figure Q17] flood of 1,000,000 lines (emulator in a worker): ${polls} polls, ${sink.appends} appends, ${sink.replaces} replaces, ` +
          `${sink.lines.length} lines kept; heap growth ${retainedMb.toFixed(1)} MB retained [< 50 MB], ${peakMb.toFixed(1)} MB at the peak before collection; ` +
          `longest event-loop block ${(delay.max / 1e6).toFixed(1)} ms [< 50 ms]`,
      );
    } finally {
      controller.abort();
      await follower.done;
    }
  });

  it('the follower alone: one full 5 MB window through cursor, splitter and capped output (figure)', () => {
    const content = ('y'.repeat(99) + '\n').repeat(PREVIEW_WINDOW_BYTES / 100);
    const cursor = new LogCursor();
    const splitter = new LineSplitter();
    const sink = new MemorySink();
    const out = new CappedOutput({ sink, maxLines: () => 10_000, droppedLine: DROPPED });
    const t0 = performance.now();
    out.push(splitter.push(cursor.take({ content, current_size: content.length, full_size: content.length * 3 }).text));
    out.flush();
    const ms = performance.now() - t0;
    assert.ok(sink.lines.length > 5_000 && sink.lines.length <= 10_000, `${sink.lines.length} lines kept`);
    assert.equal(sink.lines[0], DROPPED);
    console.log(`# follower alone, one 5 MB window: ${ms.toFixed(1)} ms`);
  });
});
