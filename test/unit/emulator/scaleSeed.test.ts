// The scale seed's options for benches: every job running (a long list the explorer keeps polling), and the
// same number of jobs in several workspaces.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { scaleWorkspaceIds } from '../../../src/emulator/framework';
import { signedFetch, startTestEmulator, type AnyJson } from '../helpers/emulatorHelpers';

const DAY = 24 * 3600_000;
const PHASES = ['Creating', 'Pending', 'Running', 'Completed', 'Failed', 'Terminating', 'Terminated', 'Abnormal'];

async function phaseCounts(emu: Parameters<typeof signedFetch>[0], workspaceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const phase of PHASES) {
    const res = await signedFetch(emu, 'POST', '/v2/{pid}/training-job-searches', {
      body: { workspace_id: workspaceId, limit: 1, filters: [{ key: 'phase', operator: 'in', value: [phase] }] },
    });
    assert.equal(res.status, 200, res.text);
    if (res.json.count > 0) counts[phase] = res.json.count;
  }
  return counts;
}

describe('emulator scale seed options', () => {
  it('scaleRunning: every scale job is Running at the start and a day later; without it, some have ended', async () => {
    const running = await startTestEmulator({ seed: 'empty', jobs: 200, scaleRunning: true });
    try {
      assert.deepEqual(await phaseCounts(running.emu, '0'), { Running: 200 });
      await running.clock.advance(DAY);
      assert.deepEqual(await phaseCounts(running.emu, '0'), { Running: 200 });
    } finally {
      await running.emu.close();
    }
    // The same seed without the option: jobs end within two hours.
    const plain = await startTestEmulator({ seed: 'empty', jobs: 200 });
    try {
      const counts = await phaseCounts(plain.emu, '0');
      assert.ok((counts.Completed ?? 0) + (counts.Failed ?? 0) > 0, JSON.stringify(counts));
      assert.notEqual(counts.Running, 200);
    } finally {
      await plain.emu.close();
    }
  });

  it('scaleWorkspaces: "0" and the extra workspaces are listed, each holding `jobs` jobs', async () => {
    const { emu } = await startTestEmulator({ seed: 'empty', jobs: 30, scaleRunning: true, scaleWorkspaces: 3 });
    try {
      const ids = scaleWorkspaceIds({ scaleWorkspaces: 3 });
      assert.equal(ids.length, 3);
      assert.equal(ids[0], '0');
      assert.equal(new Set(ids).size, 3);
      const list = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { query: { limit: '50' } });
      assert.equal(list.status, 200, list.text);
      const listed = list.json.workspaces.map((w: AnyJson) => [w.id, w.name]);
      assert.deepEqual(listed.sort(), [
        ['0', 'default'],
        [ids[1], 'scale-01'],
        [ids[2], 'scale-02'],
      ].sort());
      for (const id of ids) assert.deepEqual(await phaseCounts(emu, id), { Running: 30 }, id);
      // Job ids differ between workspaces; workspace "0" keeps the ids the scale seed always had.
      const names = new Set<string>();
      for (const id of ids) {
        const res = await signedFetch(emu, 'POST', '/v2/{pid}/training-job-searches', { body: { workspace_id: id, limit: 50 } });
        for (const job of res.json.items as AnyJson[]) names.add(job.metadata.id);
      }
      assert.equal(names.size, 90);
    } finally {
      await emu.close();
    }
  });

  it('one workspace by default: no extra workspace without scale jobs', async () => {
    assert.deepEqual(scaleWorkspaceIds({}), ['0']);
    const { emu } = await startTestEmulator({ seed: 'empty', scaleWorkspaces: 3 });
    try {
      const list = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
      assert.deepEqual(list.json.workspaces.map((w: AnyJson) => w.id), ['0']);
    } finally {
      await emu.close();
    }
  });
});
