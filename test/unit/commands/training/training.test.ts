// Save image to SWR without vscode (quality 22, 18): the message diffed into new lines without repeats, the
// SWR path, input checked before any request (with a positive control), the run to ACTIVE or CREATE_FAILED
// against the emulator, and cancelling.

import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { isModelArtsError } from '../../../../src/api/errors';
import type { SaveImageJob } from '../../../../src/api/types';
import { validateImageName, validateImageNamespace, validateImageTag, validateImageDescription } from '../../../../src/api/validate';
import { WatchRegistry } from '../../../../src/watch/watcher';
import { MessageDiff, runSaveImage, swrPath, type SaveImageOutcome } from '../../../../src/commands/training/saveImage';
import { startTrainingRig, type TrainingRig } from '../../helpers/trainingRig';

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
