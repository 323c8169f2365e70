// The log follower against the emulator on a ManualClock (quality 16, 17, 18): a dropped connection, the
// 5 MB window, a flood and one huge line, the cap and batching, the end of the job, abort.

import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Clock } from '../../../src/api/clock';
import { englishL10n } from '../../../src/common/translate';
import { PREVIEW_WINDOW_BYTES } from '../../../src/emulator/training/logs';
import { CappedOutput } from '../../../src/watch/cappedOutput';
import { LineSplitter, LogCursor, followLog, type LogFollower } from '../../../src/watch/logFollower';
import { MemorySink, startTrainingRig, type TrainingRig } from '../helpers/trainingRig';

const FINAL = ['Completed', 'Failed', 'Terminated', 'Abnormal'];
const INTERVAL = 5_000;
const PREVIEW = /logs\/preview$/;

function lines(from: number, to: number): string {
  let text = '';
  for (let i = from; i <= to; i++) text += `line ${i}\n`;
  return text;
}

interface Follow {
  follower: LogFollower;
  sink: MemorySink;
  controller: AbortController;
  /** Waits the follower asked for, in order. */
  waits: number[];
}

/** Every follow started, stopped after each test so a failed one does not run into the next. */
const started: AbortController[] = [];

function follow(rig: TrainingRig, jobId: string, task: string, maxLines = 10_000): Follow {
  const sink = new MemorySink();
  const controller = new AbortController();
  started.push(controller);
  const waits: number[] = [];
  // The follower's own clock: its waits are recorded apart from anything else that sleeps.
  const clock: Clock = { now: () => rig.clock.now(), sleep: (ms, signal) => (waits.push(ms), rig.clock.sleep(ms, signal)) };
  const follower = followLog({
    readPreview: (signal) => rig.client.trainingJobs.getLogPreview(jobId, task, signal),
    readPhase: async (signal) => (await rig.client.trainingJobs.get(jobId, signal)).status.phase,
    isFinal: (phase) => phase !== undefined && FINAL.includes(phase),
    sink,
    clock,
    signal: controller.signal,
    intervalMs: () => INTERVAL,
    maxLines: () => maxLines,
    l10n: englishL10n,
  });
  return { follower, sink, controller, waits };
}

function numbered(sink: MemorySink): number[] {
  return sink.lines.filter((l) => /^line \d+$/.test(l)).map((l) => Number(l.slice(5)));
}

describe('log follower: units', () => {
  it('cursor: new bytes only; a cursor before the window counts the bytes not shown', () => {
    const cursor = new LogCursor();
    assert.deepEqual(cursor.take({ content: 'ab\ncd', current_size: 5, full_size: 5 }), { skipped: 0, text: 'ab\ncd' });
    assert.deepEqual(cursor.take({ content: 'ab\ncd', current_size: 5, full_size: 5 }), { skipped: 0, text: '' });
    assert.deepEqual(cursor.take({ content: 'cdé\n', current_size: 5, full_size: 8 }), { skipped: 0, text: 'é\n' });
    // The window moved past the cursor (8): bytes 8..12 were never seen.
    assert.deepEqual(cursor.take({ content: 'xyz\n', current_size: 4, full_size: 16 }), { skipped: 4, text: 'xyz\n' });
    assert.equal(cursor.position, 16);
  });

  it('splitter holds a partial last line until it is complete, or flushed', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('a\nb'), ['a']);
    assert.deepEqual(s.push('c\r\nd'), ['bc']);
    assert.deepEqual(s.flush(), ['d']);
    assert.deepEqual(s.flush(), []);
  });

  it('splitter keepLast: only the newest complete lines, the partial line kept', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('a\nb\nc\nd', 2), ['b', 'c']);
    assert.deepEqual(s.push('e\n', 5), ['de']);
    assert.deepEqual(new LineSplitter().push('\nb\n', 1), ['b']);
    assert.deepEqual(new LineSplitter().push('\nb\n', 2), ['', 'b']);
    assert.deepEqual(new LineSplitter().push('a\nb\n', 0), []);
    assert.deepEqual(new LineSplitter().push('a\nb\n', 9), ['a', 'b']);
  });

  it('[Q17] capped output: never more than the cap, one write per flush, the marker first after a drop', () => {
    const sink = new MemorySink();
    const out = new CappedOutput({ sink, maxLines: () => 100, droppedLine: '[... older lines dropped ...]' });
    let n = 0;
    for (let batch = 0; batch < 30; batch++) {
      out.push(Array.from({ length: 30 }, () => `l${++n}`));
      out.flush();
      assert.ok(sink.lines.length <= 100, `batch ${batch}: ${sink.lines.length} lines`);
      assert.equal(sink.lines.length, out.lineCount);
    }
    assert.equal(sink.appends + sink.replaces, 30);
    assert.ok(sink.replaces >= 1);
    assert.equal(sink.lines[0], '[... older lines dropped ...]');
    assert.equal(sink.lines[sink.lines.length - 1], `l${n}`);
    // What is kept is the newest, in order, without gaps.
    const kept = sink.lines.slice(1).map((l) => Number(l.slice(1)));
    assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => n - kept.length + 1 + i));
  });
});

describe('log follower against the emulator', () => {
  let rig: TrainingRig;
  before(async () => {
    rig = await startTrainingRig();
  });
  afterEach(async () => {
    for (const controller of started.splice(0)) controller.abort();
    await rig.settle();
  });
  after(async () => {
    await rig.close();
  });

  it('[Q16] connection dropped at line 500: lines 1–1000 exactly once, reconnects back off, stops when the job ends', async () => {
    const job = await rig.runningJob('follow-drop');
    const id = job.metadata.id;
    const task = job.status.tasks[0];
    rig.training.appendLog(id, task, lines(1, 500));
    const f = follow(rig, id, task);
    await rig.settle(f.follower.done);
    assert.deepEqual(numbered(f.sink), Array.from({ length: 500 }, (_, i) => i + 1));

    rig.training.appendLog(id, task, lines(501, 1000));
    rig.emu.faults.add({ path: 'logs/preview$', reset: 'before-response', times: 1 });
    const before = rig.count(PREVIEW);
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    // The dropped poll reached the server and nothing was shown: the follower waits longer, then resumes.
    assert.equal(rig.count(PREVIEW), before + 1);
    assert.deepEqual(numbered(f.sink).length, 500);
    const afterDrop = f.waits[f.waits.length - 1];
    assert.ok(afterDrop > INTERVAL, `waits after the drop: ${f.waits.join(', ')}`);
    await rig.tick(afterDrop, f.follower.done);
    assert.deepEqual(numbered(f.sink), Array.from({ length: 1000 }, (_, i) => i + 1));

    // Nothing new: the job is re-read, and the waits grow while the log is quiet.
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    assert.ok(f.waits[f.waits.length - 1] > f.waits[f.waits.length - 2], `waits: ${f.waits.join(', ')}`);

    // The job ends: one last read, the closing lines, a closing line of ours; then no request at all.
    rig.training.setFate(id, 'Completed');
    for (let i = 0; i < 100; i++) {
      const settled = await Promise.race([f.follower.done.then(() => true), Promise.resolve(false)]);
      if (settled) break;
      await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    }
    const end = await f.follower.done;
    assert.deepEqual(end, { reason: 'ended', phase: 'Completed' });
    assert.deepEqual(numbered(f.sink), Array.from({ length: 1000 }, (_, i) => i + 1));
    assert.match(f.sink.lines[f.sink.lines.length - 2], /training completed, exit code 0/);
    assert.equal(f.sink.lines[f.sink.lines.length - 1], '[Training job ended: Completed]');
    const finalCount = rig.count(PREVIEW);
    await rig.clock.advance(600_000);
    await rig.settle();
    assert.equal(rig.count(PREVIEW), finalCount);
  });

  it('the cursor falls out of the 5 MB window: one "[... N bytes not shown ...]" line, then the newest text', async () => {
    const job = await rig.runningJob('follow-window');
    const id = job.metadata.id;
    const task = job.status.tasks[0];
    rig.training.appendLog(id, task, 'first\n');
    // A cap above the window's lines: this test is about the window, not the cap.
    const f = follow(rig, id, task, 100_000);
    await rig.settle(f.follower.done);
    const cursor = f.follower.cursor.position;
    // 6 MB of 100-byte lines at once: 1 MB of them can never be shown.
    const row = (i: number): string => `row ${String(i).padStart(95, '0')}\n`;
    const count = 60_000;
    let flood = '';
    for (let i = 1; i <= count; i++) flood += row(i);
    rig.training.appendLog(id, task, flood);
    const full = cursor + Buffer.byteLength(flood);
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    const notShown = full - PREVIEW_WINDOW_BYTES - cursor;
    const marker = f.sink.lines.filter((l) => l.startsWith('[... '));
    assert.deepEqual(marker, [`[... ${notShown} bytes not shown ...]`]);
    const rows = f.sink.lines.filter((l) => l.startsWith('row '));
    // The window starts inside a row (5 MB is not a multiple of 100): that row's tail follows the marker.
    assert.equal(rows.length, Math.floor(PREVIEW_WINDOW_BYTES / 100));
    const at = f.sink.lines.indexOf(marker[0]);
    assert.equal(f.sink.lines[at + 2], rows[0]);
    assert.equal(rows[rows.length - 1], row(count).trimEnd());
    assert.equal(f.sink.lines.filter((l) => l === 'first').length, 1);
    f.controller.abort();
    await f.follower.done;
  });

  it('[Q17] a 1 MB line is held back until complete, then shown once as one line', async () => {
    const job = await rig.runningJob('follow-huge-line');
    const id = job.metadata.id;
    const task = job.status.tasks[0];
    const f = follow(rig, id, task);
    await rig.settle(f.follower.done);
    const huge = 'x'.repeat(1024 * 1024);
    rig.training.appendLog(id, task, huge);
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    assert.equal(f.sink.lines.filter((l) => l.startsWith('xxx')).length, 0);
    rig.training.appendLog(id, task, '\nafter\n');
    const appends = f.sink.appends;
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    const shown = f.sink.lines.filter((l) => l.startsWith('xxx'));
    assert.equal(shown.length, 1);
    assert.equal(shown[0].length, huge.length);
    assert.equal(f.sink.appends, appends + 1);
    f.controller.abort();
    await f.follower.done;
  });

  it('[Q18] abort: no request starts after it (positive control: requests while following)', async () => {
    const job = await rig.runningJob('follow-abort');
    const id = job.metadata.id;
    const task = job.status.tasks[0];
    rig.training.appendLog(id, task, lines(1, 3));
    const f = follow(rig, id, task);
    await rig.settle(f.follower.done);
    await rig.tick(f.waits[f.waits.length - 1], f.follower.done);
    const started = rig.count(new RegExp(id));
    assert.ok(rig.count(PREVIEW) >= 2);
    f.controller.abort();
    assert.deepEqual(await f.follower.done, { reason: 'aborted' });
    await rig.clock.advance(600_000);
    await rig.settle();
    assert.equal(rig.count(new RegExp(id)), started);
  });
});
