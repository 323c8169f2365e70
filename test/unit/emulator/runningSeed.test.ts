import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import type { RunningEmulator } from '../../../src/emulator/server';
import { advance, signedFetch, startTestEmulator, type AnyJson } from '../helpers/emulatorHelpers';

// `--running-jobs N` / `--running-notebooks N`: resources that stay Running, for sessions that watch them (the
// VS Code bench); on the empty seed the view shows exactly those.

const DAY = 24 * 3600_000;

async function phases(emu: RunningEmulator): Promise<{ jobs: string[]; notebooks: string[] }> {
  const search = await signedFetch(emu, 'POST', '/v2/{pid}/training-job-searches', { body: { workspace_id: '0', limit: 50 } });
  assert.equal(search.status, 200, search.text);
  const list = await signedFetch(emu, 'GET', '/v1/{pid}/notebooks', { query: { limit: 50, workspace_id: '0' } });
  assert.equal(list.status, 200, list.text);
  return {
    jobs: search.json.items.map((job: AnyJson) => job.status.phase as string),
    notebooks: list.json.data.map((nb: AnyJson) => nb.status as string),
  };
}

describe('emulator: jobs and notebooks that stay Running', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator({ seed: 'empty', runningJobs: 20, runningNotebooks: 5 }));
  });
  after(() => emu.close());

  it('are Running from the start and still after 7 days, while a job created meanwhile ends', async () => {
    assert.deepEqual(await phases(emu), { jobs: Array(20).fill('Running'), notebooks: Array(5).fill('RUNNING') });
    const created = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', {
      body: {
        kind: 'job',
        metadata: { name: 'ends-on-its-own', workspace_id: '0' },
        algorithm: { engine: { image_url: 'swr.example.com/team/train:1.0' }, command: 'python train.py' },
        spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
      },
    });
    assert.equal(created.status, 201, created.text);
    await advance(clock, 7 * DAY);
    const later = await phases(emu);
    assert.deepEqual(later.notebooks, Array(5).fill('RUNNING'));
    assert.equal(later.jobs.filter((p) => p === 'Running').length, 20);
    // The positive control: an ordinary job does not stay Running.
    assert.equal(later.jobs.length, 21);
    assert.ok(later.jobs.includes('Completed') || later.jobs.includes('Failed'), later.jobs.join(', '));
  });

  it('the empty seed without them has none', async () => {
    const { emu: bare } = await startTestEmulator({ seed: 'empty' });
    try {
      assert.deepEqual(await phases(bare), { jobs: [], notebooks: [] });
    } finally {
      await bare.close();
    }
  });
});
