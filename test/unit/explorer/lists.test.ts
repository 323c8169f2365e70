import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LoadMoreNode } from '../../../src/explorer/nodes/loadMoreNode';
import { MessageNode } from '../../../src/explorer/nodes/messageNode';
import { ROW_COMMANDS } from '../../../src/explorer/nodes/node';
import { withRig } from '../helpers/explorerRig';

// Lists: pages and "Load more…", and the rows that stand in for data (empty, error, sign-in, malformed).

const SEARCH = /training-job-searches$/;

describe('explorer lists: paging', () => {
  it('[Q13] 10,000 jobs: the first page after exactly one request; "Load more…" appends; a double click sends one request', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        const group = await rig.row(ws, 'Training Jobs');
        const before = rig.mark();
        const first = await rig.model.children(group);
        assert.equal(rig.servedSince(before).length, 1, 'one list request for the first page');
        assert.equal(first.length, 10 + 1, 'a page of 10 and the Load more row');
        const more = first.at(-1)!;
        assert.ok(more instanceof LoadMoreNode);
        assert.equal(more.view().label, 'Load more…');
        assert.equal(more.id, 'default/ws/0/trainingJobs/loadMore');
        assert.equal(more.view().contextValue, ';loadMore;');
        assert.deepEqual(more.view().command, { command: ROW_COMMANDS.loadMore, title: 'Load More', arguments: [more] });
        assert.match(more.view().description ?? '', /^10 of \d+$/);

        rig.changes.length = 0;
        const click = rig.mark();
        // A double click: the second joins the first.
        await Promise.all([rig.model.loadMore(more), rig.model.loadMore(more)]);
        assert.deepEqual(rig.servedSince(click, SEARCH).length, 1, 'one request for two clicks');
        const second = await rig.model.children(group);
        assert.equal(second.length, 20 + 1);
        assert.deepEqual(
          second.slice(0, 10).map((r) => r.id),
          first.slice(0, 10).map((r) => r.id),
          'appended: the first page stays as it was',
        );
        assert.equal(second.at(-1), more, 'the same Load more row');
        assert.ok(!rig.changes.includes(undefined), 'only the list redraws, not the whole tree');
        assert.ok(rig.changes.includes(group));
        assert.equal(new Set(second.map((r) => r.id)).size, second.length);
      },
      { emulator: { jobs: 10_000 } },
    ));

  it('the last page ends the list: no Load more row', () =>
    withRig(async (rig) => {
      rig.setPageSize(10);
      const ws = await rig.row(undefined, 'nlp-research');
      const group = await rig.row(ws, 'Notebooks');
      const rows = await rig.model.children(group);
      assert.ok(rows.length > 0 && rows.length <= 10);
      assert.ok(!rows.some((r) => r instanceof LoadMoreNode));
    }));

  it('asks with the page size setting', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        await rig.model.children(await rig.row(ws, 'Notebooks'));
        const list = rig.emu.requests.filter((r) => /\/notebooks$/.test(r.path)).at(-1)!;
        assert.deepEqual(
          list.query.filter(([k]) => k === 'limit' || k === 'workspace_id'),
          [
            ['limit', '20'],
            ['workspace_id', '0'],
          ].sort(),
        );
      },
      { pageSize: 20 },
    ));
});

describe('explorer lists: rows that stand in for data', () => {
  it('empty lists say so', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        for (const [group, text] of [
          ['Training Jobs', 'No training jobs'],
          ['Notebooks', 'No notebooks'],
          ['Workflows', 'No workflows'],
          ['Apps', 'No apps'],
        ] as const) {
          const rows = await rig.model.children(await rig.row(ws, group));
          assert.equal(rows.length, 1);
          assert.ok(rows[0] instanceof MessageNode);
          assert.equal(rows[0].view().label, text);
          assert.equal(rows[0].view().contextValue, ';message;empty;');
          assert.equal(rows[0].id, `${ws.id}/${group === 'Training Jobs' ? 'trainingJobs' : group.toLowerCase()}/#empty`);
        }
      },
      { emulator: { seed: 'empty' } },
    ));

  it('a failed list is one error row (logged once) and its neighbours load; a refresh recovers', () =>
    withRig(async (rig) => {
      const faultId = rig.emu.faults.add({ path: 'training-job-searches$', status: 403, body: { error_code: 'ModelArts.0403', error_msg: 'no permission' } });
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Training Jobs');
      const rows = await rig.model.children(group);
      assert.equal(rows.length, 1);
      const error = rows[0].view();
      assert.equal(error.label, 'Failed to load training jobs — Show Log');
      assert.deepEqual(error.icon, { id: 'error', color: 'errorForeground' });
      assert.equal(error.command?.command, ROW_COMMANDS.showLog);
      assert.match(error.description ?? '', /no permission/);
      assert.equal(error.contextValue, ';message;error;');
      // Asked again (a redraw): the row stays, nothing is sent or logged again.
      const sent = rig.mark();
      await rig.model.children(group);
      await rig.model.children(group);
      assert.equal(rig.servedSince(sent).length, 0);
      const logged = rig.log.lines.filter((l) => l.level === 'error' && l.message.includes('Failed to load training jobs'));
      assert.equal(logged.length, 1);
      assert.match(logged[0].message, /ModelArts\.0403/);
      assert.ok((await rig.labels(await rig.row(ws, 'Notebooks'))).includes('notebooks_test'), 'the other lists load');

      rig.emu.faults.remove(faultId);
      await rig.model.refreshNow(group);
      const recovered = await rig.model.children(group);
      assert.ok(recovered.length > 1 && !(recovered[0] instanceof MessageNode));
    }));

  it('a rejected signature or token asks to sign in', () =>
    withRig(async (rig) => {
      rig.emu.faults.add({ path: '/notebooks$', status: 401, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' } });
      const ws = await rig.row(undefined, 'default');
      const rows = await rig.model.children(await rig.row(ws, 'Notebooks'));
      assert.equal(rows.length, 1);
      assert.equal(rows[0].view().label, 'Sign in to load notebooks');
      assert.equal(rows[0].view().command?.command, 'modelarts.signIn');
    }));

  it('in the demo, a failed list offers to restart the demo, never the real sign-in', () =>
    withRig(
      async (rig) => {
        rig.emu.faults.add({ path: '/notebooks$', status: 401, body: { error_code: 'APIGW.0301', error_msg: 'signature expired' } });
        rig.emu.faults.add({ path: '/apps$', status: 403, body: { error_code: 'ModelArts.0403', error_msg: 'no permission' } });
        const ws = await rig.row(undefined, 'default');
        for (const [group, noun] of [['Notebooks', 'notebooks'], ['Apps', 'apps']] as const) {
          const rows = await rig.model.children(await rig.row(ws, group));
          assert.equal(rows.length, 1);
          const view = rows[0].view();
          assert.equal(view.label, `The demo could not load ${noun} — Restart the Demo`);
          assert.equal(view.command?.command, 'modelarts.demo.start');
          assert.deepEqual(view.command?.arguments, [{ restart: true }]);
          assert.equal(view.contextValue, ';message;restartDemo;');
        }
      },
      { demo: true },
    ));

  it('a failed root is one error row too; getChildren never rejects', () =>
    withRig(async (rig) => {
      rig.emu.faults.add({ path: '/workspaces$', status: 200, malformed: 'html' });
      const rows = await rig.model.children(undefined);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].view().label, 'Failed to load workspaces — Show Log');
      assert.equal(rows[0].parent, undefined);
    }));

  it('a failed "Load more" keeps the loaded rows, adds an error row and keeps Load more to try again', () =>
    withRig(
      async (rig) => {
        const ws = await rig.row(undefined, 'default');
        const group = await rig.row(ws, 'Training Jobs');
        const first = await rig.model.children(group);
        rig.emu.faults.add({ path: 'training-job-searches$', status: 400, times: 1, body: { error_code: 'ModelArts.0107', error_msg: 'bad offset' } });
        await rig.model.loadMore(first.at(-1) as LoadMoreNode);
        const rows = await rig.model.children(group);
        assert.equal(rows.length, 10 + 2);
        assert.equal(rows[10].view().label, 'Failed to load more training jobs — Show Log');
        assert.ok(rows[11] instanceof LoadMoreNode);
        await rig.model.loadMore(rows[11]);
        assert.equal((await rig.model.children(group)).length, 20 + 1, 'the retry appends and the error row goes');
      },
      { emulator: { jobs: 30 } },
    ));

  it('[Q12] one malformed item marks only its own row, its text escaped', () =>
    withRig(async (rig) => {
      const good = { id: 'nb-good', name: 'good', status: 'STOPPED' };
      const bad = { id: 'nb-bad', name: '<img src=x onerror=alert(1)>', status: 'WEIRD' };
      const noId = { name: 'no-id', status: 'RUNNING' };
      rig.emu.faults.add({ path: '/notebooks$', status: 200, body: { current: 0, pages: 1, size: 3, total: 3, data: [good, bad, noId] } });
      const ws = await rig.row(undefined, 'default');
      const rows = await rig.model.children(await rig.row(ws, 'Notebooks'));
      assert.equal(rows.length, 3);
      const [g, b, n] = rows.map((r) => r.view());
      assert.deepEqual(g.icon, { id: 'debug-stop', color: 'disabledForeground' });
      assert.equal(g.contextValue, ';resource;notebook;stopped;refreshable;');
      assert.deepEqual(b.icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
      assert.equal(b.contextValue, ';resource;notebook;weird;refreshable;malformed;');
      assert.equal(b.label, bad.name, 'the label is plain text (VS Code does not render it)');
      assert.ok(b.tooltip?.includes('Problems\\: '), b.tooltip);
      assert.ok(!/(^|[^\\])</.test(b.tooltip ?? ''), 'no raw markup in the tooltip');
      assert.match(n.label, /^no-id$/);
      assert.equal(rows[2].id, 'default/ws/0/notebook/#item2', 'an item without an id still gets a unique one');
    }));
});
