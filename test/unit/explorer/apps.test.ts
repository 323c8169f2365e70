import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { detailsText, fetchDetails } from '../../../src/explorer/details';
import { AppNode } from '../../../src/explorer/nodes/appNode';
import { LoadMoreNode } from '../../../src/explorer/nodes/loadMoreNode';
import { MessageNode } from '../../../src/explorer/nodes/messageNode';
import { ROW_COMMANDS, isResourceNode } from '../../../src/explorer/nodes/node';
import { withRig } from '../helpers/explorerRig';

// The Apps group under each workspace: paged like the other lists, rows that never show an AppKey or
// AppSecret (while the details document and the redactor know them), and untouched by the explorer's filters.

const APPS = /\/app-auth\/apps$/;
const DEMO_APP_ID = '3f2e1d0c9b8a47f6a5e4d3c2b1a09f8e';

describe('explorer: Apps group', () => {
  it('comes fourth, lists the workspace apps with ids, descriptions, contextValues and a details click', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      assert.deepEqual(await rig.labels(ws), ['Training Jobs', 'Notebooks', 'Workflows', 'Apps']);
      const group = await rig.row(ws, 'Apps');
      assert.equal(group.id, 'default/ws/0/apps');
      assert.equal(group.view().contextValue, ';group;apps;refreshable;');
      assert.deepEqual(group.view().icon, { id: 'key' });
      const before = rig.mark();
      const rows = await rig.model.children(group);
      assert.deepEqual(rig.servedSince(before), ['GET /v1/' + rig.emu.projectId + '/app-auth/apps'], 'one list request');
      assert.deepEqual(
        rows.map((r) => r.view().label),
        ['demo_inference_app', 'batch_scoring'],
      );
      const app = rows[0];
      assert.ok(app instanceof AppNode);
      assert.equal(app.id, `default/ws/0/app/${DEMO_APP_ID}`);
      assert.equal(app.view().contextValue, ';resource;app;');
      assert.equal(app.view().description, 'APIG · created 40d ago');
      assert.equal(app.view().collapsible, 'none');
      assert.deepEqual(app.view().command, { command: ROW_COMMANDS.showDetails, title: 'Show Details', arguments: [app] });
      assert.ok(isResourceNode(app));
      assert.deepEqual(app.resource.details, { kind: 'app', appId: DEMO_APP_ID });
      assert.equal(app.resource.kind, 'app');
      assert.match(app.view().tooltip ?? '', /Calls the demo image classifier/);
      // The other workspaces list their own apps only.
      const other = await rig.model.children(await rig.row(await rig.row(undefined, 'nlp-research'), 'Apps'));
      assert.deepEqual(other.map((r) => r.view().label), ['No apps']);
      assert.ok(other[0] instanceof MessageNode);
    }));

  it('never shows an AppKey or AppSecret in a row; the redactor and the details document keep them out too', () =>
    withRig(async (rig) => {
      const rows = await rig.model.children(await rig.row(await rig.row(undefined, 'default'), 'Apps'));
      const secrets: string[] = [];
      for (const row of rows) {
        assert.ok(row instanceof AppNode);
        // Positive control: the list answer does carry the secrets the row must not show.
        assert.ok(row.item.app_key && row.item.app_secret, 'the list carries the key and secret');
        secrets.push(row.item.app_key, row.item.app_secret);
      }
      assert.equal(secrets.length, 4);
      for (const row of rows) {
        const view = row.view();
        const shown = [view.label, view.description ?? '', view.tooltip ?? '', view.id, view.contextValue].join('\n');
        for (const secret of secrets) {
          assert.ok(!shown.includes(secret), `row ${view.label} shows a secret`);
          assert.ok(!rig.redactor.redact(`x ${secret} y`).includes(secret), 'the redactor knows it');
        }
      }
      const doc = detailsText(await fetchDetails(rig.client, { kind: 'app', appId: DEMO_APP_ID }), rig.redactor);
      assert.match(doc, /"app_secret": "\*\*\*"/);
      for (const secret of secrets) assert.ok(!doc.includes(secret));
    }));

  it('pages with Load more (one request per click) and ends without a Load more row', () =>
    withRig(
      async (rig) => {
        const group = await rig.row(await rig.row(undefined, 'default'), 'Apps');
        const first = await rig.model.children(group);
        assert.equal(first.length, 2, 'one app and the Load more row');
        assert.equal(first[0].view().label, 'demo_inference_app');
        const more = first[1];
        assert.ok(more instanceof LoadMoreNode);
        assert.equal(more.id, 'default/ws/0/apps/loadMore');
        assert.match(more.view().description ?? '', /^1 of 2$/);
        const click = rig.mark();
        await Promise.all([rig.model.loadMore(more), rig.model.loadMore(more)]);
        assert.equal(rig.servedSince(click, APPS).length, 1, 'one request for two clicks');
        const second = await rig.model.children(group);
        assert.deepEqual(
          second.map((r) => r.view().label),
          ['demo_inference_app', 'batch_scoring'],
          'appended, and no Load more row once all are loaded',
        );
        assert.equal(second[0], first[0], 'the first row is kept');
      },
      { pageSize: 1 },
    ));

  it('a failed list is an error row; the explorer filters neither narrow nor reload the apps', () =>
    withRig(async (rig) => {
      const faultId = rig.emu.faults.add({ path: 'app-auth/apps$', status: 403, body: { error_code: 'ModelArts.0403', error_msg: 'no permission' } });
      const ws = await rig.row(undefined, 'default');
      const group = await rig.row(ws, 'Apps');
      const failed = await rig.model.children(group);
      assert.equal(failed.length, 1);
      assert.equal(failed[0].view().label, 'Failed to load apps — Show Log');
      assert.equal(failed[0].view().contextValue, ';message;error;');
      rig.emu.faults.remove(faultId);
      rig.model.refresh(group);
      await rig.runFor(2_000);
      assert.deepEqual(await rig.labels(group), ['demo_inference_app', 'batch_scoring']);

      // A name filter reloads the filtered lists (positive control) but not the apps.
      await rig.model.children(await rig.row(ws, 'Notebooks'));
      const since = rig.mark();
      rig.setFilter({ name: 'zzz-nothing', statuses: [] });
      await rig.model.children(await rig.row(ws, 'Notebooks'));
      assert.ok(rig.servedSince(since, /\/notebooks/).length >= 1, 'the notebooks list is asked again');
      assert.deepEqual(await rig.labels(group), ['demo_inference_app', 'batch_scoring']);
      assert.equal(rig.servedSince(since, APPS).length, 0, 'the apps are not asked again');
      assert.equal(group.view().description, undefined, 'no "filtered" note on the Apps group');
    }));
});
