// The typed calls against the real emulator through the real HTTP client (AK/SK signing, JSON, errors),
// with one ManualClock driving both, so state changes happen exactly when a test moves time.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AppsApi } from '../../../src/api/apps';
import { ManualClock } from '../../../src/api/clock';
import { createConnection } from '../../../src/api/connection';
import { ModelArtsError } from '../../../src/api/errors';
import { NotebooksApi, leaseEnd } from '../../../src/api/notebooks';
import { TrainingJobsApi } from '../../../src/api/trainingJobs';
import type { WorkflowExecution } from '../../../src/api/types';
import { WorkflowsApi } from '../../../src/api/workflows';
import { WorkspacesApi } from '../../../src/api/workspaces';
import { startEmulator, type FaultRule, type RunningEmulator } from '../../../src/emulator/server';
import { rejectsWith } from '../helpers/fakeHttp';
import { emulatorConnection } from '../helpers/emulatorHelpers';

interface Rig {
  clock: ManualClock;
  emu: RunningEmulator;
  workspaces: WorkspacesApi;
  notebooks: NotebooksApi;
  training: TrainingJobsApi;
  workflows: WorkflowsApi;
  apps: AppsApi;
  /** ModelArts requests the emulator served, as `METHOD path`, optionally only those matching. */
  served: (match?: RegExp) => string[];
}

async function withEmulator(run: (rig: Rig) => Promise<void>, options: { jobs?: number } = {}): Promise<void> {
  const clock = new ManualClock();
  const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock, seed: 'demo', jobs: options.jobs });
  const connection = createConnection(emulatorConnection(emu, clock));
  const pid = (): Promise<string> => connection.projectId();
  const served = (match?: RegExp): string[] =>
    emu.requests
      .filter((r) => r.service === 'modelarts')
      .map((r) => `${r.method} ${r.path}`)
      .filter((line) => match === undefined || match.test(line));
  try {
    await run({
      clock,
      emu,
      workspaces: new WorkspacesApi(connection.http, pid),
      notebooks: new NotebooksApi(connection.http, pid),
      training: new TrainingJobsApi(connection.http, pid),
      workflows: new WorkflowsApi(connection.http, pid),
      apps: new AppsApi(connection.http, pid),
      served,
    });
  } finally {
    connection.dispose();
    await emu.close();
  }
}

function fault(emu: RunningEmulator, rule: FaultRule): void {
  emu.faults.add(rule);
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<ModelArtsError> {
  const error = await rejectsWith(promise, 'http');
  assert.equal(error.code, code, error.toString());
  assert.equal(error.status, 400);
  return error;
}

const TIMEOUT = { timeout: 30_000 };

describe('emulator: workspaces', TIMEOUT, () => {
  it('pages through every workspace with offset = page index; the default workspace has id "0"', () =>
    withEmulator(async ({ workspaces, emu, served }) => {
      const pager = workspaces.list({ pageSize: 1 });
      while (pager.hasMore) await pager.loadNext();
      const ids = pager.items.map((w) => w.id);
      assert.ok(ids.length >= 3, `expected several workspaces, got ${ids.length}`);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(pager.total, ids.length);
      assert.ok(ids.includes('0'));
      assert.ok(pager.items.every((w) => w.problems === undefined));
      assert.equal(served(/GET .*\/workspaces$/).length, ids.length);
      const offsets = emu.requests.filter((r) => /\/workspaces$/.test(r.path)).map((r) => r.query.find(([k]) => k === 'offset')?.[1]);
      assert.deepEqual(
        offsets,
        ids.map((_, i) => String(i)),
      );
    }));

  it('get, quotas, update quotas; a missing workspace is ModelArts.7005', () =>
    withEmulator(async ({ workspaces, served }) => {
      assert.equal((await workspaces.get('0')).name, 'default');
      const quotas = await workspaces.getQuotas('0');
      const gpu = quotas.find((q) => q.resource === 'exemlProject.gpu_duration');
      assert.ok(gpu, 'the seeded quota');
      const updated = await workspaces.updateQuotas('0', [{ resource: gpu.resource, quota: 30 }], { current: quotas });
      assert.equal(updated.find((q) => q.resource === gpu.resource)?.quota, 30);
      assert.equal((await workspaces.getQuotas('0')).find((q) => q.resource === gpu.resource)?.quota, 30);
      // Out of range: refused here, never sent.
      const before = served().length;
      await rejectsWith(workspaces.updateQuotas('0', [{ resource: gpu.resource, quota: (gpu.max_quota ?? 0) + 1 }], { current: quotas }), 'invalid-input');
      assert.equal(served().length, before);
      await expectCode(workspaces.get('ffffffffffffffffffffffffffffffff'), 'ModelArts.7005');
    }));
});

describe('emulator: notebooks', TIMEOUT, () => {
  const create = (notebooks: NotebooksApi, name: string) =>
    notebooks.create({
      name,
      image_id: 'e1a07296-22a8-4f05-8bc8-e936c8e54090',
      flavor: 'modelarts.vm.cpu.2u',
      volume: { category: 'EVS', ownership: 'MANAGED', capacity: 5 },
      workspace_id: '0',
    });

  it('pages with record offsets through more than one page', () =>
    withEmulator(async ({ notebooks, emu }) => {
      for (let i = 0; i < 12; i++) await create(notebooks, `extra-${i}`);
      const pager = notebooks.list({ pageSize: 10 });
      while (pager.hasMore) await pager.loadNext();
      const ids = pager.items.map((n) => n.id);
      assert.ok(ids.length > 20, `got ${ids.length}`);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(pager.total, ids.length);
      const offsets = emu.requests.filter((r) => r.method === 'GET' && /\/notebooks$/.test(r.path)).map((r) => r.query.find(([k]) => k === 'offset')?.[1]);
      assert.deepEqual(
        offsets,
        Array.from({ length: Math.ceil(ids.length / 10) }, (_, i) => String(i * 10)),
      );
      assert.ok(pager.items.every((n) => n.problems === undefined));
    }));

  it('filters by status', () =>
    withEmulator(async ({ notebooks }) => {
      const stopped = await notebooks.list({ status: 'STOPPED', pageSize: 50 }).loadNext();
      assert.ok(stopped.length > 0);
      assert.ok(stopped.every((n) => n.status === 'STOPPED'));
    }));

  it('start → STARTING → RUNNING as time passes; lease; renew; stop → STOPPED', () =>
    withEmulator(async ({ notebooks, clock }) => {
      const [target] = await notebooks.list({ status: 'STOPPED', pageSize: 50 }).loadNext();
      assert.ok(target);
      const startedAt = clock.now();
      const started = await notebooks.start(target.id, { durationMs: 2 * 3_600_000, currentStatus: target.status });
      assert.equal(started.status, 'STARTING');
      assert.equal(started.confirmedByReread, undefined);
      await clock.advance(60_000);
      assert.equal((await notebooks.get(target.id)).status, 'RUNNING');
      const lease = await notebooks.getLease(target.id);
      // duration counts from the instance's creation: the auto-stop is two hours after the start.
      assert.equal(leaseEnd({ lease }), startedAt + 2 * 3_600_000);
      assert.equal(lease.type, 'TIMING');
      const renewed = await notebooks.renewLease(target.id, { durationMs: 3_600_000 });
      assert.equal(leaseEnd({ lease: renewed }), clock.now() + 3_600_000);
      const stopping = await notebooks.stop(target.id, { currentStatus: 'RUNNING' });
      assert.equal(stopping.status, 'STOPPING');
      await clock.advance(60_000);
      assert.equal((await notebooks.get(target.id)).status, 'STOPPED');
    }));

  it('start with no auto-stop: the lease is disabled', () =>
    withEmulator(async ({ notebooks, clock }) => {
      const [target] = await notebooks.list({ status: 'STOPPED', pageSize: 50 }).loadNext();
      assert.ok(target);
      await notebooks.start(target.id, { durationMs: 'none' });
      await clock.advance(60_000);
      const lease = await notebooks.getLease(target.id);
      assert.equal(lease.enable, false);
      await clock.advance(100 * 3_600_000);
      assert.equal((await notebooks.get(target.id)).status, 'RUNNING');
    }));

  it('starting a running notebook: the service refuses with ModelArts.6305', () =>
    withEmulator(async ({ notebooks }) => {
      const [running] = await notebooks.list({ status: 'RUNNING', pageSize: 50 }).loadNext();
      assert.ok(running);
      await expectCode(notebooks.start(running.id, { durationMs: 3_600_000 }), 'ModelArts.6305');
    }));

  it('[Q4] start answered 500 after it took: 1 POST, 1 GET, confirmed by the re-read', () =>
    withEmulator(async ({ notebooks, emu, served }) => {
      const [target] = await notebooks.list({ status: 'STOPPED', pageSize: 50 }).loadNext();
      assert.ok(target);
      fault(emu, { method: 'POST', path: '/start$', status: 500, after: true, times: 1 });
      const before = served().length;
      const result = await notebooks.start(target.id, { durationMs: 3_600_000 });
      assert.equal(result.confirmedByReread, true);
      assert.equal(result.status, 'STARTING');
      assert.deepEqual(served().slice(before), [`POST /v1/${emu.projectId}/notebooks/${target.id}/start`, `GET /v1/${emu.projectId}/notebooks/${target.id}`]);
    }));

  it('[Q4] start answered 500 before it took: 1 POST, 1 GET, the 500 reported', () =>
    withEmulator(async ({ notebooks, emu, served }) => {
      const [target] = await notebooks.list({ status: 'STOPPED', pageSize: 50 }).loadNext();
      assert.ok(target);
      fault(emu, { method: 'POST', path: '/start$', status: 500, times: 1 });
      const before = served().length;
      const error = await rejectsWith(notebooks.start(target.id, { durationMs: 3_600_000 }), 'http');
      assert.equal(error.status, 500);
      assert.equal(served().slice(before).length, 2);
      assert.equal((await notebooks.get(target.id)).status, 'STOPPED');
    }));

  it('create, delete; a missing notebook is ModelArts.6309', () =>
    withEmulator(async ({ notebooks, clock }) => {
      const created = await create(notebooks, 'short-lived');
      assert.equal(created.status, 'CREATING');
      const deleted = await notebooks.delete(created.id);
      assert.equal(deleted?.status, 'DELETING');
      await clock.advance(60_000);
      await expectCode(notebooks.get(created.id), 'ModelArts.6309');
      await expectCode(notebooks.get('00000000-0000-0000-0000-000000000000'), 'ModelArts.6309');
    }));

  it('images and flavors', () =>
    withEmulator(async ({ notebooks }) => {
      const images = notebooks.listImages({ pageSize: 10 });
      while (images.hasMore) await images.loadNext();
      assert.ok(images.items.length > 0);
      assert.ok(images.items.every((i) => i.problems === undefined));
      const flavors = await notebooks.listFlavors();
      assert.ok(flavors.some((f) => f.id === 'modelarts.vm.cpu.2u'));
      assert.ok(flavors.every((f) => f.problems === undefined));
    }));
});

describe('emulator: apps', TIMEOUT, () => {
  it('list, create, get; the per-user app limit is the service’s to enforce', () =>
    withEmulator(async ({ apps }) => {
      const first = await apps.list().loadNext();
      assert.ok(first.every((a) => a.problems === undefined));
      const created = await apps.create({ app_name: 'ci_runner', app_remark: 'from tests', workspace_id: '0' });
      assert.equal(created.app_name, 'ci_runner');
      assert.equal((await apps.get(created.app_id)).app_id, created.app_id);
      const all = apps.list({ pageSize: 1 });
      while (all.hasMore) await all.loadNext();
      assert.equal(all.items.length, first.length + 1);
      let refused: ModelArtsError | undefined;
      for (let i = 0; i < 10 && refused === undefined; i++) {
        try {
          await apps.create({ app_name: `extra_${i}` });
        } catch (error) {
          if (error instanceof ModelArtsError) refused = error;
          else throw error;
        }
      }
      assert.equal(refused?.code, 'ModelArts.0113');
    }));
});

describe('emulator: training jobs', TIMEOUT, () => {
  const spec = (name: string) => ({
    kind: 'job',
    metadata: { name, workspace_id: '0', description: 'from the API tests' },
    algorithm: { engine: { image_url: 'swr.example.com/team/train:1.0' }, command: 'python train.py' },
    spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
  });

  it('search pages with a page-index offset in the body; filters by phase and name', () =>
    withEmulator(async ({ training, emu }) => {
      const pager = training.search({ pageSize: 3 });
      while (pager.hasMore) await pager.loadNext();
      const ids = pager.items.map((j) => j.metadata.id);
      assert.ok(ids.length > 3, `got ${ids.length}`);
      assert.equal(new Set(ids).size, ids.length);
      assert.equal(pager.total, ids.length);
      assert.ok(pager.items.every((j) => j.problems === undefined), JSON.stringify(pager.items.map((j) => j.problems)));
      const searches = emu.requests.filter((r) => r.method === 'POST' && /training-job-searches$/.test(r.path));
      assert.equal(searches.length, Math.ceil(ids.length / 3));
      const running = await training.search({ phase: 'Running', pageSize: 50 }).loadNext();
      assert.ok(running.length > 0);
      assert.ok(running.every((j) => j.status.phase === 'Running'));
      const name = pager.items[0].metadata.name;
      const byName = await training.search({ name, pageSize: 50 }).loadNext();
      assert.ok(byName.some((j) => j.metadata.name === name));
    }));

  it('[Q13] 10,000 jobs behind 100 ms of latency: the first page takes 1 request, a double-click 1 more, and appends', () =>
    withEmulator(
      async ({ training, emu, served }) => {
        fault(emu, { method: 'POST', path: 'training-job-searches$', latencyMs: 100 });
        const pager = training.search({ pageSize: 50 });
        const first = await pager.loadNext();
        assert.equal(first.length, 50);
        assert.equal(served(/training-job-searches$/).length, 1);
        assert.ok((pager.total ?? 0) >= 10_000, String(pager.total));
        assert.equal(pager.hasMore, true);
        const [a, b] = await Promise.all([pager.loadNext(), pager.loadNext()]);
        assert.equal(a, b);
        assert.equal(served(/training-job-searches$/).length, 2);
        assert.equal(pager.items.length, 100);
        assert.equal(new Set(pager.items.map((j) => j.metadata.id)).size, 100);
      },
      { jobs: 10_000 },
    ));

  it('create → Creating → Pending → Running as time passes; terminate → Terminated; missing is ModelArts.2775', () =>
    withEmulator(async ({ training, clock }) => {
      const created = await training.create(spec('api-test-job'));
      assert.equal(created.status.phase, 'Creating');
      const id = created.metadata.id;
      await clock.advance(6_000);
      assert.equal((await training.get(id)).status.phase, 'Pending');
      await clock.advance(11_000);
      assert.equal((await training.get(id)).status.phase, 'Running');
      const terminating = await training.terminate(id);
      assert.equal(terminating.status.phase, 'Terminating');
      await clock.advance(5_000);
      assert.equal((await training.get(id)).status.phase, 'Terminated');
      await expectCode(training.get('00000000-0000-0000-0000-000000000000'), 'ModelArts.2775');
      await training.delete(id);
      await clock.advance(60_000);
      await expectCode(training.get(id), 'ModelArts.2775');
    }));

  it('[Q4] terminate answered 500 after it took: confirmed by one re-read', () =>
    withEmulator(async ({ training, emu, served }) => {
      const [running] = await training.search({ phase: 'Running', pageSize: 50 }).loadNext();
      assert.ok(running);
      fault(emu, { method: 'POST', path: '/actions$', status: 500, after: true, times: 1 });
      const before = served().length;
      const result = await training.terminate(running.metadata.id);
      assert.equal(result.confirmedByReread, true);
      assert.ok(['Terminating', 'Terminated'].includes(result.status.phase ?? ''));
      assert.equal(served().slice(before).length, 2);
    }));

  it('tags: add, read, remove', () =>
    withEmulator(async ({ training }) => {
      const [job] = await training.search({ pageSize: 1 }).loadNext();
      assert.ok(job);
      const id = job.metadata.id;
      await training.addTags(id, [
        { key: 'team', value: 'vision' },
        { key: 'k3', value: 'v2' },
      ]);
      const tags = await training.getTags(id);
      assert.ok(tags.some((t) => t.key === 'team' && (t.value === 'vision' || t.values?.includes('vision'))));
      await training.removeTags(id, [{ key: 'team', value: 'vision' }]);
      assert.ok(!(await training.getTags(id)).some((t) => t.key === 'team'));
      assert.ok((await training.getTags(id)).some((t) => t.key === 'k3'));
    }));

  it('save image: INIT → … → ACTIVE as time passes, tag 0.1 sent as text', () =>
    withEmulator(async ({ training, clock }) => {
      const [running] = await training.search({ phase: 'Running', pageSize: 50 }).loadNext();
      assert.ok(running);
      const task = running.status.tasks[0];
      assert.ok(task);
      const saved = await training.createSaveImageJob(running.metadata.id, task, { name: 'imagesave', namespace: 'dev', tag: 0.1, description: 'hello world!' });
      assert.equal(saved.tag, '0.1');
      assert.ok(['INIT', 'CREATING'].includes(saved.status ?? ''), saved.status);
      let status = saved.status;
      for (let i = 0; i < 120 && status !== 'ACTIVE' && status !== 'CREATE_FAILED'; i++) {
        await clock.advance(5_000);
        status = (await training.getSaveImageJob(running.metadata.id, task)).status;
      }
      assert.equal(status, 'ACTIVE');
    }));

  it('log preview, events, tasks, flavors, engines', () =>
    withEmulator(async ({ training }) => {
      const [running] = await training.search({ phase: 'Running', pageSize: 50 }).loadNext();
      assert.ok(running);
      const id = running.metadata.id;
      const task = running.status.tasks[0];
      const preview = await training.getLogPreview(id, task);
      assert.ok(preview.notReady === true || preview.content.length > 0);
      if (!preview.notReady) assert.ok((preview.full_size ?? 0) >= (preview.current_size ?? 0));
      const events = training.events(id, { pageSize: 2 });
      while (events.hasMore) await events.loadNext();
      assert.ok(events.items.length > 0);
      assert.equal(events.total, events.items.length);
      assert.ok(events.items.every((e) => e.problems === undefined));
      const tasks = await training.listTasks(id);
      assert.ok(tasks.some((t) => t.task === task));
      const flavors = await training.listFlavors();
      assert.ok(flavors.length > 0 && flavors.every((f) => f.problems === undefined));
      assert.ok((await training.listFlavors({ flavorType: 'CPU' })).every((f) => f.flavor_type === 'CPU'));
      const engines = await training.listEngines();
      assert.ok(engines.length > 0 && engines.every((e) => e.problems === undefined));
    }));
});

describe('emulator: workflows', TIMEOUT, () => {
  /** Every workflow with all its executions, through the pagers. */
  async function everything(workflows: WorkflowsApi) {
    const pager = workflows.list({ pageSize: 2 });
    while (pager.hasMore) await pager.loadNext();
    const result: { workflowId: string; executions: WorkflowExecution[] }[] = [];
    for (const wf of pager.items) {
      const executions = workflows.executions(wf.workflow_id, { pageSize: 2 });
      while (executions.hasMore) await executions.loadNext();
      result.push({ workflowId: wf.workflow_id, executions: [...executions.items] });
    }
    return { workflows: pager.items, executions: result };
  }

  function findStep(all: { workflowId: string; executions: WorkflowExecution[] }[], status: string) {
    for (const { workflowId, executions } of all) {
      for (const ex of executions) {
        const step = ex.steps_execution.find((s) => s.status === status);
        if (step) return { workflowId, execution: ex, step };
      }
    }
    return undefined;
  }

  it('lists workflows and executions through several pages (record offsets), executions newest first', () =>
    withEmulator(async ({ workflows, emu }) => {
      const all = await everything(workflows);
      assert.ok(all.workflows.length > 2, `got ${all.workflows.length}`);
      assert.equal(new Set(all.workflows.map((w) => w.workflow_id)).size, all.workflows.length);
      assert.ok(all.workflows.every((w) => w.problems === undefined), JSON.stringify(all.workflows.map((w) => w.problems)));
      const listOffsets = emu.requests.filter((r) => r.method === 'GET' && /\/workflows$/.test(r.path)).map((r) => r.query.find(([k]) => k === 'offset')?.[1]);
      assert.deepEqual(
        listOffsets,
        Array.from({ length: Math.ceil(all.workflows.length / 2) }, (_, i) => String(i * 2)),
      );
      const executions = all.executions.flatMap((e) => e.executions);
      assert.ok(executions.length > 2);
      assert.ok(executions.every((e) => e.problems === undefined && e.steps_execution.every((s) => s.problems === undefined)));
      for (const { executions: list } of all.executions) {
        const times = list.map((e) => Date.parse(e.created_at ?? ''));
        assert.deepEqual(
          times,
          [...times].sort((a, b) => b - a),
        );
      }
      const manual = executions.find((e) => e.execution_id === '918cd9bd-62dd-4179-b5f0-773dd7184a56');
      assert.ok(manual, 'the manual’s execution-064 is seeded');
      assert.equal(manual.steps_execution.length, 2);
    }));

  it('get a workflow and an execution; missing ones are ModelArts.7512 / 7511', () =>
    withEmulator(async ({ workflows }) => {
      const [first] = await workflows.list().loadNext();
      assert.ok(first);
      assert.equal((await workflows.get(first.workflow_id)).workflow_id, first.workflow_id);
      const [ex] = await workflows.executions(first.workflow_id).loadNext();
      if (ex) assert.equal((await workflows.getExecution(first.workflow_id, ex.execution_id)).execution_id, ex.execution_id);
      await expectCode(workflows.get('00000000-0000-0000-0000-000000000000'), 'ModelArts.7512');
      await expectCode(workflows.getExecution(first.workflow_id, '00000000-0000-0000-0000-000000000000'), 'ModelArts.7511');
    }));

  it('stop a running execution, then rerun it', () =>
    withEmulator(async ({ workflows, clock }) => {
      const all = await everything(workflows);
      const found = all.executions.flatMap(({ workflowId, executions }) => executions.map((e) => ({ workflowId, e }))).find(({ e }) => e.status === 'running');
      assert.ok(found, 'a running execution is seeded');
      await workflows.stopExecution(found.workflowId, found.e.execution_id, { currentStatus: 'running' });
      await clock.advance(10_000);
      const stopped = await workflows.getExecution(found.workflowId, found.e.execution_id);
      assert.equal(stopped.status, 'stopped');
      const rerun = await workflows.rerunExecution(found.workflowId, found.e.execution_id, { currentStatus: stopped.status });
      assert.ok(['init', 'running'].includes(rerun.status ?? ''), rerun.status);
    }));

  it('step actions: retry a failed step, continue a waiting one, stop a running one', () =>
    withEmulator(async ({ workflows, served }) => {
      const all = await everything(workflows);
      const failed = findStep(all.executions, 'failed');
      assert.ok(failed, 'a failed step is seeded');
      const retried = await workflows.stepAction(failed.workflowId, failed.execution.execution_id, failed.step.uuid, 'retry', { currentStatus: 'failed' });
      assert.notEqual(retried.status, 'failed');
      const waiting = findStep(all.executions, 'wait_inputs');
      assert.ok(waiting, 'a step waiting for inputs is seeded');
      const continued = await workflows.stepAction(waiting.workflowId, waiting.execution.execution_id, waiting.step.uuid, 'continue', { currentStatus: 'wait_inputs' });
      assert.notEqual(continued.status, 'wait_inputs');
      const running = findStep(all.executions, 'running');
      assert.ok(running, 'a running step is seeded');
      // A state that does not allow the action: refused here, nothing sent.
      const before = served().length;
      await rejectsWith(workflows.stepAction(running.workflowId, running.execution.execution_id, running.step.uuid, 'continue', { currentStatus: 'running' }), 'invalid-input');
      assert.equal(served().length, before);
      const stopped = await workflows.stepAction(running.workflowId, running.execution.execution_id, running.step.uuid, 'stop', { currentStatus: 'running' });
      assert.ok(['stopping', 'stopped'].includes(stopped.status ?? ''), stopped.status);
    }));

  it('[Q4] execution stop answered 500 after it took: confirmed by one re-read', () =>
    withEmulator(async ({ workflows, emu, served }) => {
      const all = await everything(workflows);
      const found = all.executions.flatMap(({ workflowId, executions }) => executions.map((e) => ({ workflowId, e }))).find(({ e }) => e.status === 'running');
      assert.ok(found);
      fault(emu, { method: 'POST', path: '/executions/[^/]+/actions$', status: 500, after: true, times: 1 });
      const before = served().length;
      const result = await workflows.stopExecution(found.workflowId, found.e.execution_id);
      assert.equal(result.confirmedByReread, true);
      assert.ok(result.status === 'stopped' || result.steps_execution.some((s) => s.status === 'stopping'));
      assert.deepEqual(
        served()
          .slice(before)
          .map((line) => line.split(' ')[0]),
        ['POST', 'GET'],
      );
    }));

  it('subscriptions: create (the manual’s body), get, update, delete; then ModelArts.7519', () =>
    withEmulator(async ({ workflows }) => {
      const [wf] = await workflows.list().loadNext();
      assert.ok(wf);
      const created = await workflows.createSubscription(wf.workflow_id, {
        topic_urns: ['fengbin26'],
        entity: '238947895793875835893490',
        events: ['*:failed,completed', 'job_step:stop'],
      });
      assert.ok(created.subscription_id);
      assert.deepEqual(created.events, ['*:failed,completed', 'job_step:stop']);
      const got = await workflows.getSubscription(wf.workflow_id, created.subscription_id);
      assert.deepEqual(got.topic_urns, ['fengbin26']);
      await workflows.updateSubscription(wf.workflow_id, created.subscription_id, {
        topic_urns: ['urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:alerts'],
        events: ['*:failed'],
      });
      assert.deepEqual((await workflows.getSubscription(wf.workflow_id, created.subscription_id)).events, ['*:failed']);
      await workflows.deleteSubscription(wf.workflow_id, created.subscription_id);
      await expectCode(workflows.getSubscription(wf.workflow_id, created.subscription_id), 'ModelArts.7519');
    }));
});
