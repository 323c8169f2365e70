// A training job's events followed against the emulator: the cursor reads only the page holding the next
// event, nothing is shown twice, and the follow ends with the job.

import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { englishL10n } from '../../../src/common/translate';
import { followEvents, readAllEvents, readEventsAfter } from '../../../src/watch/eventsFollower';
import { MemorySink, startTrainingRig, type TrainingRig } from '../helpers/trainingRig';

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
