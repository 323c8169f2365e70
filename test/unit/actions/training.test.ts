// Save image to SWR without vscode (quality 22, 18): the message diffed into new lines without repeats, the
// SWR path, input checked before any request (with a positive control), the run to ACTIVE or CREATE_FAILED
// against the emulator, and cancelling; the events follower's cursor.

import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { isModelArtsError } from '../../../src/api/errors';
import type { SaveImageJob } from '../../../src/api/types';
import { validateImageName, validateImageNamespace, validateImageTag, validateImageDescription } from '../../../src/api/validate';
import { englishL10n } from '../../../src/common/translate';
import { WatchRegistry } from '../../../src/watch/watcher';
import { followEvents, readAllEvents, readEventsAfter } from '../../../src/actions/training/eventsFollower';
import { MessageDiff, runSaveImage, swrPath, type SaveImageOutcome } from '../../../src/commands/training/saveImage';
import { MemorySink, startTrainingRig, type TrainingRig } from './trainingRig';

const SAVE = /save-image-job$/;

describe('save image: message and path', () => {
  it('a growing message prints each line once; a rewritten tail prints what changed', () => {
    const diff = new MessageDiff();
    assert.deepEqual(diff.next(undefined), []);
    assert.deepEqual(diff.next('a'), ['a']);
    assert.deepEqual(diff.next('a\nb'), ['b']);
    assert.deepEqual(diff.next('a\nb'), []);
    assert.deepEqual(diff.next('a\nb\nc\nd'), ['c', 'd']);
    // A shorter answer prints nothing and forgets nothing.
    assert.deepEqual(diff.next('a\nb'), []);
    assert.deepEqual(diff.next('a\nb\nc\nd\ne'), ['e']);
    assert.deepEqual(diff.next('a\nb\nc\nERROR: disk full'), ['ERROR: disk full']);
  });

  it('SWR path from the last line naming one, else built from the request', () => {
    const request = { name: 'img', namespace: 'team', tag: '' };
    const job = (message: string): SaveImageJob => ({ status: 'ACTIVE', message });
    assert.equal(swrPath(job('x\nImage saved to SWR: swr.cn-north-4.myhuaweicloud.com/team/img:v1'), request, 'cn-north-4'), 'swr.cn-north-4.myhuaweicloud.com/team/img:v1');
    assert.equal(swrPath(job('done'), request, 'cn-east-3'), 'swr.cn-east-3.myhuaweicloud.com/team/img:latest');
  });

  it('[Q22] input box checks: the reasons shown for bad input, none for good input', () => {
    assert.ok(validateImageName(''));
    assert.ok(validateImageName('Upper'));
    assert.ok(validateImageName('a'.repeat(513)));
    assert.equal(validateImageName('a'.repeat(512)), undefined);
    assert.ok(validateImageNamespace(''));
    assert.equal(validateImageNamespace('team'), undefined);
    assert.ok(validateImageTag('a'.repeat(65)));
    assert.ok(validateImageTag('v 1'));
    assert.equal(validateImageTag('V1.0_x-y'), undefined);
    assert.ok(validateImageDescription('d'.repeat(513)));
    assert.equal(validateImageDescription(''), undefined);
  });
});

describe('save image against the emulator', () => {
  let rig: TrainingRig;
  let watches: WatchRegistry;
  before(async () => {
    rig = await startTrainingRig();
    watches = new WatchRegistry({ clock: rig.clock, baseIntervalMs: () => 1_000, maxMs: 1_000 });
  });
  after(async () => {
    watches.dispose();
    await rig.close();
  });

  function run(jobId: string, task: string, request: { name: string; namespace: string; tag?: string }, signal?: AbortSignal): { done: Promise<SaveImageOutcome>; printed: string[]; statuses: string[] } {
    const printed: string[] = [];
    const statuses: string[] = [];
    const done = runSaveImage({
      api: rig.client.trainingJobs,
      watches,
      profile: 'test',
      region: rig.emu.region,
      jobId,
      task,
      request,
      signal,
      onProgress: (job, lines) => {
        statuses.push(job.status ?? '');
        printed.push(...lines);
      },
    });
    return { done, printed, statuses };
  }

  async function drive(done: Promise<SaveImageOutcome>): Promise<SaveImageOutcome> {
    for (let i = 0; i < 200; i++) {
      await rig.settle(done);
      const settled = await Promise.race([done.then(() => true, () => true), Promise.resolve(false)]);
      if (settled) break;
      await rig.clock.advance(1_000);
    }
    return done;
  }

  it('[Q22] bad input: 0 requests and the reason; good input (positive control): the POST is sent', async () => {
    const job = await rig.runningJob('save-validate');
    const task = job.status.tasks[0];
    const before = rig.count(SAVE);
    for (const bad of [{ name: 'Bad Name', namespace: 'team' }, { name: 'ok', namespace: '' }, { name: 'ok', namespace: 'team', tag: 'x'.repeat(65) }]) {
      const { done } = run(job.metadata.id, task, bad);
      await assert.rejects(done, (error: unknown) => isModelArtsError(error) && error.kind === 'invalid-input');
    }
    assert.equal(rig.count(SAVE), before);
    const good = run(job.metadata.id, task, { name: 'ok', namespace: 'team' });
    await drive(good.done);
    assert.ok(rig.count(SAVE) > before);
  });

  it('INIT -> CREATING -> ACTIVE: the build lines once each, in order; the SWR path from the last line', async () => {
    const job = await rig.runningJob('save-ok');
    const task = job.status.tasks[0];
    const { done, printed, statuses } = run(job.metadata.id, task, { name: 'my-image', namespace: 'team', tag: 'v1' });
    const outcome = await drive(done);
    assert.equal(outcome.status, 'ACTIVE');
    if (outcome.status !== 'ACTIVE') return;
    assert.equal(outcome.swrPath, 'swr.cn-north-4.myhuaweicloud.com/team/my-image:v1');
    assert.equal(statuses[0], 'INIT');
    assert.ok(statuses.includes('CREATING'));
    assert.equal(statuses[statuses.length - 1], 'ACTIVE');
    assert.deepEqual(printed, (outcome.job.message ?? '').split('\n'));
    assert.equal(new Set(printed).size, printed.length);
  });

  it('CREATE_FAILED: the reason as the last line, the full message printed once', async () => {
    const job = await rig.runningJob('save-fail');
    const task = job.status.tasks[0];
    rig.training.failNextSaveImage(job.metadata.id, task, 'no space left on device');
    const { done, printed } = run(job.metadata.id, task, { name: 'img', namespace: 'team' });
    const outcome = await drive(done);
    assert.equal(outcome.status, 'CREATE_FAILED');
    if (outcome.status !== 'CREATE_FAILED') return;
    assert.match(outcome.message, /ERROR: no space left on device$/);
    assert.deepEqual(printed, outcome.message.split('\n'));
  });

  it('[Q18] cancel: no request starts after it (positive control: status reads before)', async () => {
    const job = await rig.runningJob('save-cancel');
    const task = job.status.tasks[0];
    const controller = new AbortController();
    const { done } = run(job.metadata.id, task, { name: 'img', namespace: 'team' }, controller.signal);
    await rig.settle(done);
    await rig.tick(1_000, done);
    const reads = rig.count(SAVE);
    assert.ok(reads >= 2);
    controller.abort();
    assert.deepEqual(await done, { status: 'cancelled' });
    await rig.clock.advance(60_000);
    await rig.settle();
    assert.equal(rig.count(SAVE), reads);
  });
});

describe('events follower against the emulator', () => {
  let rig: TrainingRig;
  before(async () => {
    rig = await startTrainingRig();
  });
  after(async () => {
    await rig.close();
  });

  it('a long history is read once; each later poll reads only the page holding the next event', async () => {
    const job = await rig.runningJob('events-long');
    const id = job.metadata.id;
    for (let i = 1; i <= 250; i++) rig.training.addEvent(id, `history ${i}`);
    const sink = new MemorySink();
    const controller = new AbortController();
    const offsets = (): string[] =>
      rig.emu.requests.filter((r) => r.path.endsWith(`/training-jobs/${id}/events`)).map((r) => r.query.find(([k]) => k === 'offset')?.[1] ?? '');
    const f = followEvents({
      readEvents: (seen, signal) => readEventsAfter(rig.client.trainingJobs, id, seen, signal),
      readPhase: async (signal) => (await rig.client.trainingJobs.get(id, signal)).status.phase,
      isFinal: () => false,
      sink,
      clock: rig.clock,
      signal: controller.signal,
      intervalMs: () => 5_000,
      maxLines: () => 1_000,
      l10n: englishL10n,
    });
    try {
      await rig.settle(f.done);
      const history = sink.lines.filter((l) => / history \d+$/.test(l));
      assert.ok(history.length === 250, `${history.length} history events shown`);
      const first = offsets();
      assert.ok(first.length >= 3 && first.slice(0, 3).join(',') === '0,1,2', `first read: ${first.join(',')}`);
      rig.training.addEvent(id, 'fresh one');
      await rig.tick(5_000, f.done);
      // One page (the third: events 201–300) for the poll, not all three again.
      assert.deepEqual(offsets().slice(first.length), ['2']);
      assert.equal(sink.lines.filter((l) => l.endsWith('fresh one')).length, 1);
      assert.equal(sink.lines.filter((l) => l.endsWith('history 250')).length, 1, 'nothing shown twice');
    } finally {
      controller.abort();
      await f.done;
    }
  });

  it('lists the events oldest first, appends only new ones while the job runs, ends with the job', async () => {
    const job = await rig.runningJob('events-follow');
    const id = job.metadata.id;
    const sink = new MemorySink();
    const controller = new AbortController();
    const f = followEvents({
      readEvents: (seen, signal) => readEventsAfter(rig.client.trainingJobs, id, seen, signal),
      readPhase: async (signal) => (await rig.client.trainingJobs.get(id, signal)).status.phase,
      isFinal: (phase) => phase === 'Completed' || phase === 'Failed' || phase === 'Terminated',
      sink,
      clock: rig.clock,
      signal: controller.signal,
      intervalMs: () => 5_000,
      maxLines: () => 1_000,
      l10n: englishL10n,
    });
    await rig.settle(f.done);
    const first = sink.lines.length;
    assert.ok(first >= 1, sink.text);
    for (let i = 0; i < 100; i++) {
      const settled = await Promise.race([f.done.then(() => true), Promise.resolve(false)]);
      if (settled) break;
      await rig.tick(5_000, f.done);
    }
    const end = await f.done;
    assert.equal(end.reason, 'ended');
    const events = await readAllEvents(rig.client.trainingJobs, id, new AbortController().signal);
    const body = sink.lines.slice(0, -1);
    assert.equal(body.length, events.length);
    assert.ok(events.length > first, `${first} then ${events.length}`);
    assert.deepEqual(body.map((l) => l.split('  ').slice(3).join('  ')), events.map((e) => e.message));
    assert.match(sink.lines[sink.lines.length - 1], /^\[Training job ended: /);
  });
});
