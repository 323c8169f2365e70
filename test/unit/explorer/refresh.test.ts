import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NO_FILTER } from '../../../src/explorer/filters';
import type { ExplorerNode } from '../../../src/explorer/nodes/node';
import { type ExplorerRig, withRig } from '../helpers/explorerRig';

// Per-node debounced refresh, coalescing and the cap on requests in flight, stale answers, filters.

/** Five lists expanded: Training Jobs and Notebooks of two workspaces, Notebooks of the third. */
async function fiveLists(rig: ExplorerRig): Promise<ExplorerNode[]> {
  const lists: ExplorerNode[] = [];
  for (const name of ['default', 'vision-team', 'nlp-research']) {
    const ws = await rig.row(undefined, name);
    for (const group of name === 'nlp-research' ? ['Notebooks'] : ['Training Jobs', 'Notebooks']) {
      const node = await rig.row(ws, group);
      await rig.model.children(node);
      lists.push(node);
    }
  }
  return lists;
}

describe('explorer refresh', () => {
  it('[Q7] a refresh storm: 20 rapid refreshes of 5 expanded lists reload each once, never more than 8 in flight', () =>
    withRig(
      async (rig) => {
        const lists = await fiveLists(rig);
        const before = rig.mark();
        for (let i = 0; i < 20; i++) {
          for (const node of lists) rig.model.refresh(node);
          await rig.clock.advance(10);
        }
        assert.equal(rig.servedSince(before).length, 0, 'nothing while the refreshes keep coming');
        await rig.clock.advance(250);
        await rig.model.idle();
        assert.deepEqual(
          [...new Set(rig.changes.slice(-5))].map((n) => n?.id).sort(),
          lists.map((n) => n.id).sort(),
          'each list told the view once',
        );
        // The view asks for the children again, twice as it happens (two redraws racing): shared requests.
        await Promise.all([rig.redraw(), rig.redraw()]);
        const sent = rig.servedSince(before);
        assert.equal(sent.length, 5, sent.join('\n'));
        assert.ok(rig.model.queue.peak <= 8, `peak ${rig.model.queue.peak}`);
        console.log(`[figure Q7] refresh storm: ${sent.length} GETs for 5 lists, peak ${rig.model.queue.peak} in flight [<= 8]`);
      },
      // Answers take a while, so the reloads overlap.
      { emulator: { faults: [{ latencyMs: 30 }] } },
    ));

  it('[Q7] never more than 8 requests in flight, however many lists load at once', () =>
    withRig(
      async (rig) => {
        const lists = await fiveLists(rig);
        const ws = await rig.row(undefined, 'nlp-research');
        lists.push(await rig.row(ws, 'Training Jobs'), await rig.row(ws, 'Workflows'));
        for (const name of ['default', 'vision-team']) lists.push(await rig.row(await rig.row(undefined, name), 'Workflows'));
        for (const node of lists) node.invalidate?.();
        const before = rig.mark();
        const loads = lists.map((n) => rig.model.children(n));
        await Promise.all(loads);
        assert.equal(rig.servedSince(before).length, 9);
        assert.equal(rig.model.queue.peak, 8);
      },
      { emulator: { faults: [{ latencyMs: 30 }] } },
    ));

  it('a whole-tree refresh swallows the node refreshes pending with it', () =>
    withRig(async (rig) => {
      const lists = await fiveLists(rig);
      for (const node of lists) rig.model.refresh(node);
      for (let i = 0; i < 20; i++) rig.model.refresh();
      for (const node of lists) rig.model.refresh(node);
      assert.deepEqual(rig.model.pendingRefreshes, ['']);
      rig.changes.length = 0;
      await rig.clock.advance(250);
      await rig.model.idle();
      assert.deepEqual(rig.changes, [undefined]);
      const before = rig.mark();
      const rows = await rig.redraw();
      // Everything expanded reloads once: the workspaces and the five lists.
      assert.equal(rig.servedSince(before).length, 6);
      assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
    }));

  it('a refresh keeps the row objects (so the view keeps expansion and selection)', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Notebooks');
      const before = await rig.model.children(group);
      rig.model.refresh();
      await rig.clock.advance(250);
      await rig.model.idle();
      assert.equal(await rig.row(undefined, 'default'), ws);
      assert.equal(await rig.row(ws, 'Notebooks'), group);
      const after = await rig.model.children(group);
      assert.deepEqual(after, before);
      assert.ok(after.every((row, i) => row === before[i]));
    }));

  it('[Q14] a refresh during a load drops the answer that was on its way', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Notebooks');
      // The first answer is slow and old: one notebook that no longer exists.
      const stale = { id: 'gone-notebook', name: 'stale-row', status: 'RUNNING' };
      rig.emu.faults.add({ path: '/notebooks$', times: 1, latencyMs: 100, status: 200, body: { current: 0, pages: 1, size: 1, total: 1, data: [stale] } });
      const expanding = rig.model.children(group);
      // Once the emulator holds the slow request (unanswered), the refresh starts.
      while (!rig.emu.requests.some((r) => /\/notebooks$/.test(r.path) && r.status === 0)) await new Promise((r) => setImmediate(r));
      await rig.model.refreshNow(group);
      const rows = await Promise.all([expanding, rig.model.children(group)]);
      for (const list of rows) {
        const labels = list.map((r) => r.view().label);
        assert.ok(!labels.includes('stale-row'), labels.join(', '));
        assert.ok(labels.includes('notebooks_test'));
        assert.equal(new Set(list.map((r) => r.id)).size, list.length, 'no row twice');
      }
      assert.equal(rows[0].length, rows[1].length);
      assert.ok(!rig.log.text().includes('stale'), 'the dropped answer is not reported as anything');
    }));

  it('a resource row refreshes itself with one GET; a step or task refreshes the resource that holds it', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const nb = await rig.row(await rig.row(ws, 'Notebooks'), 'data-cleaning');
      let before = rig.mark();
      rig.model.refresh(nb);
      await rig.clock.advance(250);
      await rig.model.idle();
      assert.deepEqual(rig.servedSince(before), [`GET /v1/${rig.emu.projectId}/notebooks/2c7a1d2f-8e4b-4d66-8b2f-3a5c7d9e1f22`]);
      assert.equal(rig.changes.at(-1), nb);

      const wf = await rig.row(await rig.row(ws, 'Workflows'), 'workflow_model_service_no_modify_xiahou_copy');
      const ex = await rig.row(wf, 'execution-064');
      const step = await rig.row(ex, 'model_step');
      before = rig.mark();
      rig.model.refresh(step);
      await rig.clock.advance(250);
      await rig.model.idle();
      assert.deepEqual(rig.servedSince(before), [`GET /v2/${rig.emu.projectId}/workflows/${wf.id.split('/').at(-1)}/executions/918cd9bd-62dd-4179-b5f0-773dd7184a56`]);
      assert.equal(rig.changes.at(-1), ex);
    }));

  it('a notebook that is gone takes its row with it', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Notebooks');
      const nb = await rig.row(group, 'data-cleaning');
      await rig.client.notebooks.delete('2c7a1d2f-8e4b-4d66-8b2f-3a5c7d9e1f22');
      await rig.clock.advance(60_000);
      rig.model.refresh(nb);
      await rig.clock.advance(250);
      await rig.model.idle();
      // Not found: the list is read again (debounced).
      await rig.clock.advance(250);
      await rig.model.idle();
      assert.ok(rig.changes.includes(group));
      assert.ok(!(await rig.labels(group)).includes('data-cleaning'));
    }));
});

describe('explorer filters', () => {
  it('a name filter is sent to the server; a state no list of a kind has sends nothing for that kind', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const jobs = await rig.row(ws, 'Training Jobs');
      const nbs = await rig.row(ws, 'Notebooks');
      await rig.model.children(jobs);
      await rig.model.children(nbs);
      rig.changes.length = 0;
      rig.setFilter({ name: 'quick', statuses: [] });
      assert.ok(rig.changes.includes(jobs) && rig.changes.includes(nbs), 'the filtered lists redraw');
      assert.equal(nbs.view().description, 'filtered');
      assert.deepEqual(await rig.labels(nbs), ['quick-start']);
      const list = rig.emu.requests.filter((r) => /\/notebooks$/.test(r.path)).at(-1)!;
      assert.ok(list.query.some(([k, v]) => k === 'name' && v === 'quick'));

      rig.setFilter({ name: '', statuses: ['STOPPED'] });
      const before = rig.mark();
      assert.deepEqual(await rig.labels(jobs), ['No training jobs match the filter']);
      assert.deepEqual(rig.servedSince(before), [], 'jobs have no STOPPED state: nothing is asked');
      assert.deepEqual(await rig.labels(nbs), ['data-cleaning']);
      const stopped = rig.emu.requests.filter((r) => /\/notebooks$/.test(r.path)).at(-1)!;
      assert.ok(stopped.query.some(([k, v]) => k === 'status' && v === 'STOPPED'), 'one notebook state is filtered by the server');

      rig.setFilter({ name: '', statuses: ['RUNNING', 'ERROR'] });
      assert.deepEqual((await rig.labels(nbs)).sort(), ['legacy-env', 'pytorch-dev', 'quick-start']);
      rig.setFilter(NO_FILTER);
      assert.equal((await rig.labels(nbs)).length, 5);
      assert.equal(nbs.view().description, undefined);
    }));
});
