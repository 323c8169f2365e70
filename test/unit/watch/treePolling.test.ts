import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LoadMoreNode } from '../../../src/explorer/nodes/loadMoreNode';
import type { NodeView } from '../../../src/explorer/nodes/node';
import { withRig } from '../helpers/explorerRig';

// Tree polling against the emulator on one ManualClock: only transitional rows in view, only while the
// view is visible, the cheaper re-read, back-off on 429, and no request at all once nothing moves.

const SEED_NOTEBOOK = 'f9937afa-4451-42db-a76b-72d624749f66';
const FIVE_MINUTES = 5 * 60_000;

describe('tree polling', () => {
  it('[Q15] polls the one starting notebook until it runs, then sends nothing for 5 virtual minutes', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Notebooks');
      const nb = await rig.row(group, 'notebooks_test');
      assert.equal(nb.view().description, 'Starting');
      assert.ok(rig.model.poller.scheduled, 'a transitional row in view schedules a poll');

      // Positive control: while it starts, it is read, and only it.
      const start = rig.mark();
      await rig.runFor(30_000);
      const polled = rig.servedSince(start);
      assert.ok(polled.length >= 2, polled.join('\n'));
      for (const line of polled) assert.equal(line, `GET /v1/${rig.emu.projectId}/notebooks/${SEED_NOTEBOOK}`);
      assert.match(nb.view().description ?? '', /^Running · \d+(m|h|h \d+m) left$/);
      assert.ok(rig.changes.includes(nb), 'the row was redrawn');

      // Nothing moves any more: no timer, no request.
      assert.equal(rig.clock.pending, 0, 'no timer is waiting');
      const idle = rig.mark();
      await rig.runFor(FIVE_MINUTES, 5_000);
      assert.deepEqual(rig.servedSince(idle), []);
    }));

  it('[Q15] sends nothing while the view is hidden; polls once it is shown', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        const jobs = await rig.row(ws, 'Training Jobs');
        const rows = await rig.model.children(jobs);
        assert.ok(rows.some((r) => r.view().contextValue.includes(';running;')));
        const hidden = rig.mark();
        await rig.runFor(FIVE_MINUTES, 5_000);
        assert.deepEqual(rig.servedSince(hidden), []);
        assert.equal(rig.clock.pending, 0);

        rig.model.setVisible(true);
        const shown = rig.mark();
        await rig.runFor(5_000);
        // Several moving jobs on the first page: one re-read of that page is cheaper than a GET each.
        assert.deepEqual(rig.servedSince(shown), [`POST /v2/${rig.emu.projectId}/training-job-searches`]);

        rig.model.setVisible(false);
        const again = rig.mark();
        await rig.runFor(FIVE_MINUTES, 5_000);
        assert.deepEqual(rig.servedSince(again), []);
      },
      { visible: false },
    ));

  it('a moving row that left the first page (newer jobs pushed it down) is read on its own', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const jobs = await rig.row(ws, 'Training Jobs');
      const moving = (await rig.model.children(jobs)).filter((r) => /;(creating|pending|running|terminating);/.test(r.view().contextValue));
      assert.ok(moving.length >= 2);
      // The re-read page no longer holds them.
      rig.emu.faults.add({ path: 'training-job-searches$', times: 1, status: 200, body: { total: 0, count: 0, items: [] } });
      const start = rig.mark();
      await rig.runFor(5_000);
      const sent = rig.servedSince(start);
      assert.equal(sent[0], `POST /v2/${rig.emu.projectId}/training-job-searches`);
      assert.deepEqual(
        sent.slice(1).sort(),
        moving.map((r) => `GET /v2/${rig.emu.projectId}/training-jobs/${r.id.split('/').at(-1)}`).sort(),
      );
    }));

  it('[Q15] pages brought by Load more are re-read one request a page, never one a row', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        const jobs = await rig.row(ws, 'Training Jobs');
        let rows = await rig.model.children(jobs);
        for (let page = 1; page < 3; page++) {
          const more = rows.at(-1);
          assert.ok(more instanceof LoadMoreNode);
          await rig.model.loadMore(more);
          rows = await rig.model.children(jobs);
        }
        const running = rows.filter((r) => r.view().contextValue.includes(';running;'));
        assert.equal(running.length, 60, 'three pages of 20 running jobs loaded');
        const tick = rig.mark();
        await rig.runFor(5_000);
        const sent = rig.servedSince(tick);
        assert.deepEqual(sent, Array.from({ length: 3 }, () => `POST /v2/${rig.emu.projectId}/training-job-searches`), sent.join('\n'));
      },
      { emulator: { seed: 'empty', jobs: 60, scaleRunning: true }, pageSize: 20 },
    ));

  it('[Q15] only rows in view: a collapsed list is not polled, an expanded one is', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const jobs = await rig.row(ws, 'Training Jobs');
      await rig.model.children(jobs);
      rig.model.setExpanded(jobs, false);
      const collapsed = rig.mark();
      await rig.runFor(60_000, 5_000);
      assert.deepEqual(rig.servedSince(collapsed), []);
      rig.model.setExpanded(jobs, true);
      const expanded = rig.mark();
      await rig.runFor(5_000);
      assert.equal(rig.servedSince(expanded).length, 1);
      // Collapsing the workspace hides its lists too.
      rig.model.setExpanded(ws, false);
      await rig.runFor(60_000, 5_000);
      const hiddenUnder = rig.mark();
      await rig.runFor(FIVE_MINUTES, 5_000);
      assert.deepEqual(rig.servedSince(hiddenUnder), []);
    }));

  it('workflows: moving workflows and executions are re-read by page; finished ones are not', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const wfs = await rig.row(ws, 'Workflows');
      const batch = await rig.row(wfs, 'batch-inference-daily');
      await rig.model.children(batch);
      const done = await rig.row(wfs, 'workflow_model_service_no_modify_xiahou_copy');
      await rig.model.children(done);
      const start = rig.mark();
      await rig.runFor(5_000);
      const wfId = batch.id.split('/').at(-1)!;
      assert.deepEqual(rig.servedSince(start).sort(), [`GET /v2/${rig.emu.projectId}/workflows`, `GET /v2/${rig.emu.projectId}/workflows/${wfId}/executions`]);
    }));

  it('a step that moves is read through its execution, once per round', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'vision-team');
      const wfs = await rig.row(ws, 'Workflows');
      const wf = await rig.row(wfs, 'train-and-deploy');
      const ex = await rig.row(wf, 'execution-002');
      await rig.model.children(ex);
      const start = rig.mark();
      await rig.runFor(5_000);
      const exId = ex.id.split('/').at(-1)!;
      const wfId = wf.id.split('/').at(-1)!;
      const base = `GET /v2/${rig.emu.projectId}/workflows/${wfId}`;
      // The running workflow (one in its list: a GET is cheaper than the page) and the running execution,
      // whose GET also reads its running step: one request for both.
      assert.deepEqual(rig.servedSince(start).sort(), [base, `${base}/executions/${exId}`]);
    }));

  it('[Q2] a 429 with a long Retry-After holds the next poll back that long', () =>
    withRig(async (rig) => {
      rig.emu.faults.add({ path: `/notebooks/${SEED_NOTEBOOK}$`, times: 1, status: 429, headers: { 'Retry-After': '3600' }, body: { error_code: 'APIGW.0308', error_msg: 'throttled' } });
      const ws = await rig.row(undefined, 'default');
      await rig.model.children(await rig.row(ws, 'Notebooks'));
      const start = rig.mark();
      await rig.runFor(5_000);
      assert.equal(rig.servedSince(start).length, 1);
      assert.equal(rig.model.poller.intervalMs, 3_600_000);
      const waiting = rig.mark();
      await rig.runFor(3_599_000, 60_000);
      assert.deepEqual(rig.servedSince(waiting), [], 'nothing before the Retry-After');
      await rig.runFor(1_000);
      assert.equal(rig.servedSince(waiting).length, 1, 'then it polls again');
    }));

  it('disposing the tree (sign-out, profile switch) stops polling and aborts what is in flight', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      await rig.model.children(await rig.row(ws, 'Notebooks'));
      assert.ok(rig.model.poller.scheduled);
      rig.model.dispose();
      const after = rig.mark();
      await rig.runFor(60_000, 5_000);
      assert.deepEqual(rig.servedSince(after), []);
      assert.deepEqual(await rig.model.children(undefined), []);
    }));
  it('a row whose background refresh fails is marked (warning icon, "not updated", the reason) and logged once, until a refresh works again', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Notebooks');
      const nb = await rig.row(group, 'notebooks_test');
      const item = (): NodeView => nb.getTreeItem() as unknown as NodeView;
      assert.equal(item().icon?.id, 'sync~spin', 'a starting notebook spins');
      const path = `notebooks/${SEED_NOTEBOOK}$`;
      const fault = rig.emu.faults.add({ path, method: 'GET', status: 403, body: { error_code: 'APIGW.0302', error_msg: 'The IAM or ACL policy denies access.' } });
      const start = rig.mark();
      await rig.runFor(60_000);
      const failedPolls = rig.servedSince(start, /notebooks\//).length;
      assert.ok(failedPolls >= 3, `${failedPolls} failed polls`);
      const marked = item();
      assert.equal(marked.icon?.id, 'warning', 'no spinner while its state is unknown');
      assert.match(marked.description ?? '', / · not updated$/);
      assert.match(marked.tooltip ?? '', /Not updated since .*APIGW\\\.0302/);
      assert.match(marked.accessibilityLabel ?? '', /not updated/);
      const warnings = rig.log.lines.filter((l) => l.level === 'warn' && l.message.includes(nb.id));
      assert.equal(warnings.length, 1, `one warning for ${failedPolls} failed polls: ${JSON.stringify(warnings)}`);

      rig.emu.faults.remove(fault);
      await rig.runFor(30_000);
      const healed = item();
      assert.notEqual(healed.icon?.id, 'warning');
      assert.doesNotMatch(healed.description ?? '', /not updated/);
      assert.ok(rig.log.lines.some((l) => l.level === 'info' && l.message.includes(`Refreshing ${nb.id} works again`)));
    }));

  it('a failed re-read of a page marks every moving row it covered', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const jobs = await rig.row(ws, 'Training Jobs');
      const moving = (await rig.model.children(jobs)).filter((r) => /;(creating|pending|running|terminating);/.test(r.view().contextValue));
      assert.ok(moving.length >= 2);
      rig.emu.faults.add({ path: 'training-job-searches$', status: 403, body: { error_code: 'APIGW.0302', error_msg: 'denied' } });
      await rig.runFor(5_000);
      for (const row of moving) assert.match((row.getTreeItem() as unknown as NodeView).description ?? '', /not updated$/, row.id);
    }));
});
