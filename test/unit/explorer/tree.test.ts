import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ROW_COMMANDS, isResourceNode } from '../../../src/explorer/nodes/node';
import { escapeMarkdown } from '../../../src/common/safeText';
import { startExplorerRig, withRig, expandAll } from '../helpers/explorerRig';

// The explorer's tree against the emulator (demo seed unless told): rows, ids, contextValues, paging,
// explicit empty / error / sign-in rows and malformed items.

describe('explorer tree: rows', () => {
  it('workspaces → groups → jobs → tasks, with ids, descriptions and contextValues', () =>
    withRig(async (rig) => {
      assert.deepEqual(await rig.labels(undefined), ['default', 'nlp-research', 'vision-team'], 'by name, default first; ops-private is not accessible');
      const ws = await rig.row(undefined, 'default');
      assert.equal(ws.id, 'default/ws/0');
      assert.equal(ws.parent, undefined);
      assert.equal(ws.view().contextValue, ';resource;workspace;normal;refreshable;');
      assert.equal(ws.view().description, 'Normal');
      assert.deepEqual(await rig.labels(ws), ['Training Jobs', 'Notebooks', 'Workflows', 'Apps']);
      const jobs = await rig.row(ws, 'Training Jobs');
      assert.equal(jobs.id, 'default/ws/0/trainingJobs');
      assert.equal(jobs.view().contextValue, ';group;trainingJobs;refreshable;');
      const rows = await rig.model.children(jobs);
      const running = rows.find((r) => r.view().contextValue === ';resource;trainingJob;running;refreshable;');
      assert.ok(running, 'a running job in the demo seed');
      assert.equal(running.parent, jobs);
      assert.match(running.view().description ?? '', /^Running · \d+(s|m|h)/);
      assert.match(running.id, /^default\/ws\/0\/job\/[0-9a-f-]{36}$/);
      assert.deepEqual(running.view().icon, { id: 'sync~spin', color: 'charts.blue' });
      assert.equal(running.view().command, undefined, 'a row with children expands on click');
      const failed = rows.find((r) => r.view().contextValue.includes(';failed;'));
      assert.deepEqual(failed?.view().icon, { id: 'error', color: 'errorForeground' });
      const tasks = await rig.model.children(running);
      assert.equal(tasks[0].view().label, 'worker-0');
      assert.equal(tasks[0].id, `${running.id}/task/worker-0`);
      assert.equal(tasks[0].view().contextValue, ';resource;task;running;');
      assert.deepEqual(tasks[0].view().command, { command: ROW_COMMANDS.showDetails, title: 'Show Details', arguments: [tasks[0]] });
    }));

  it('notebooks show the lease countdown; workflows → executions newest first → steps', () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const nbs = await rig.row(ws, 'Notebooks');
      const quick = await rig.row(nbs, 'quick-start');
      assert.equal(quick.id, 'default/ws/0/notebook/3d8b2e3a-9f5c-4e77-9c3a-4b6d8e0f2a33');
      assert.equal(quick.view().description, 'Running · 12m left');
      assert.equal(quick.view().contextValue, ';resource;notebook;running;refreshable;');
      assert.equal(quick.view().command?.command, 'modelarts.resource.showDetails');
      assert.equal((await rig.row(nbs, 'data-cleaning')).view().contextValue, ';resource;notebook;stopped;refreshable;');

      const wfs = await rig.row(ws, 'Workflows');
      const wf = await rig.row(wfs, 'workflow_model_service_no_modify_xiahou_copy');
      assert.equal(wf.view().contextValue, ';resource;workflow;completed;refreshable;');
      const ex = await rig.row(wf, 'execution-064');
      assert.equal(ex.view().description, 'Completed');
      assert.equal(ex.view().contextValue, ';resource;execution;completed;refreshable;');
      assert.equal(ex.id, `${wf.id}/execution/918cd9bd-62dd-4179-b5f0-773dd7184a56`);
      const step = await rig.row(ex, 'model_step');
      assert.equal(step.id, `${ex.id}/step/d6148a4a-4a5e-47a3-bc90-3183905b4941`);
      assert.equal(step.view().description, 'Completed');
      assert.equal(step.view().contextValue, ';resource;step;completed;');

      const batch = await rig.row(wfs, 'batch-inference-daily');
      assert.deepEqual(await rig.labels(batch), ['execution-003', 'execution-002', 'execution-001'], 'newest first');
      const runningEx = await rig.row(batch, 'execution-002');
      assert.equal((await rig.row(runningEx, 'service_step')).view().contextValue, ';resource;step;wait_inputs;');
      assert.ok(rig.served(/\/executions$/).length > 0);
      assert.equal(rig.served(/\/executions\/[^/]+$/).length, 0, 'steps come with the execution list: no GET per execution');
    }));

  it('every row of the whole tree has a unique id, and every resource row says what to copy and open', () =>
    withRig(async (rig) => {
      const all = await expandAll(rig, undefined);
      assert.ok(all.length > 80, `${all.length} rows`);
      const ids = all.map((n) => n.id);
      assert.equal(new Set(ids).size, ids.length, 'no id twice');
      for (const node of all) {
        assert.equal(node.view().id, node.id);
        assert.match(node.view().contextValue, /^;([a-zA-Z_]+;)+$/);
        if (isResourceNode(node)) {
          assert.ok(node.resource.id !== '', node.id);
          assert.match(node.view().contextValue, /^;resource;/);
        }
      }
      // Expanding everything once sends one request per list (workspaces, groups, executions), nothing per row.
      const lists = 1 + all.filter((n) => /;group;|;workflow;/.test(n.view().contextValue)).length;
      assert.equal(rig.served().length, lists, rig.served().join('\n'));
    }));

  it("a failed job's and a failed step's tooltips say why, in the emulator's words", () =>
    withRig(async (rig) => {
      const ws = await rig.row(undefined, 'default');
      const jobs = await rig.model.children(await rig.row(ws, 'Training Jobs'));
      const failed = jobs.find((r) => r.view().contextValue.includes(';failed;'));
      assert.ok(failed, 'a failed job in the demo seed');
      assert.equal(failed.view().description?.split(' · ')[0], 'Failed');
      const tip = failed.view().tooltip ?? '';
      assert.ok(tip.includes(`\nReason: ${escapeMarkdown('RuntimeError: CUDA out of memory. (worker-0: exit with 1)')}`), tip);
      const completed = jobs.find((r) => r.view().contextValue.includes(';completed;'));
      assert.ok(completed && !(completed.view().tooltip ?? '').includes('Reason'), 'a completed job gives no reason');
      const nlp = await rig.row(undefined, 'nlp-research');
      const wfs = await rig.row(nlp, 'Workflows');
      const step = await rig.row(await rig.row(await rig.row(wfs, 'nlp-finetune-pipeline'), 'execution-001'), 'train_step');
      assert.equal(step.view().description, 'Failed');
      assert.match(step.view().tooltip ?? '', /\nReason: \S/);
    }));

  it('two profiles never share an id', async () => {
    const a = await startExplorerRig();
    const b = await startExplorerRig({ profile: 'prod' });
    try {
      const idsA = (await expandAll(a, undefined, 2)).map((n) => n.id);
      const idsB = (await expandAll(b, undefined, 2)).map((n) => n.id);
      assert.equal(idsA.length, idsB.length);
      assert.ok(idsA.every((id) => id.startsWith('default/')));
      assert.ok(idsB.every((id) => id.startsWith('prod/')));
      assert.equal(new Set([...idsA, ...idsB]).size, idsA.length * 2);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
