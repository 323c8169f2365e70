// The workflow family of the emulator: routes, the seed manual's objects, workflow CRUD, executions running
// their steps in DAG order on a manual clock with events, execution and step actions, subscriptions; then a
// few calls over signed HTTP.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { ApiFailure, Router, eventTimeChina, type SeedKind } from '../../../src/emulator/framework';
import type { RunningEmulator } from '../../../src/emulator/server';
import { createWorkflowsFamily, WORKFLOW_TIMINGS, type WorkflowsFamily } from '../../../src/emulator/workflows';
import { STEP_EXAMPLE_EXECUTION_ID, STEP_EXAMPLE_WORKFLOW_ID, SUBSCRIPTION_WORKFLOW_ID } from '../../../src/emulator/workflows/seed';
import { signedFetch, startTestEmulator, type AnyJson } from '../helpers/emulatorHelpers';

const PID = '5a1e6f2b8c3d4e9fa0b1c2d3e4f5a6b7';
const WF = `/v2/${PID}/workflows`;
const WF064 = 'f1642618-43eb-4ab1-a0b1-9cc584182c60';
const EX064 = '918cd9bd-62dd-4179-b5f0-773dd7184a56';
const WF005 = 'bd0ac50e-69b1-4d20-ae38-abb221084fc6';
const EX005 = '4dd2a2f5-bde2-45dd-af6b-5e5d570118d1';
const STEP005 = '54979c30-cc48-4eaa-8b0f-b6eb6e000bb5';
const HIDDEN = '255a1079-b00a-4c3a-8218-3458f7546b8d';
const SUB = '42e8a77a-512e-4d0e-a56e-4b003db82577';
const MISSING = '00000000-0000-4000-8000-000000000000';
const { startMs, creatingMs, createdMs, stoppingMs } = WORKFLOW_TIMINGS;

function fixture(name: string): AnyJson {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'seeds', name), 'utf8'));
}

interface Reply {
  status: number;
  body: AnyJson;
}

interface Rig {
  clock: ManualClock;
  family: WorkflowsFamily;
  router: Router;
  call(method: string, path: string, init?: { body?: unknown; query?: Record<string, string> }): Reply;
  advance(ms: number): Promise<void>;
}

function rig(seed: SeedKind = 'demo'): Rig {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 4));
  const family = createWorkflowsFamily({ clock, seed, scaleJobs: 0, projectId: PID, userName: 'demo-user', userId: 'u-1' });
  const router = new Router();
  family.register(router);
  const call = (method: string, path: string, init: { body?: unknown; query?: Record<string, string> } = {}): Reply => {
    const now = clock.now();
    family.advance(now);
    const match = router.match(method, path);
    if (match.kind === 'none') throw new Error(`no route for ${method} ${path}`);
    try {
      const res = match.handler({
        method,
        path,
        params: match.params,
        query: Object.entries(init.query ?? {}),
        headers: {},
        body: init.body,
        rawBody: Buffer.from(init.body === undefined ? '' : JSON.stringify(init.body)),
        now,
      });
      return { status: res.status, body: res.body === undefined ? undefined : JSON.parse(JSON.stringify(res.body)) };
    } catch (error) {
      if (error instanceof ApiFailure) return { status: error.status, body: error.toBody() };
      throw error;
    }
  };
  return { clock, family, router, call, advance: (ms) => clock.advance(ms) };
}

function expectError(reply: Reply, status: number, code: string, includes?: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.equal(reply.body.error_code, code, JSON.stringify(reply.body));
  if (includes !== undefined) assert.ok(String(reply.body.error_msg).includes(includes), `"${reply.body.error_msg}" lacks "${includes}"`);
}

function ok(reply: Reply, status = 200): AnyJson {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  return reply.body;
}

/** A two-step workflow: train, then register; register waits for a delayed parameter when asked to. */
function pipelineBody(name: string, delayed = false): AnyJson {
  return {
    name,
    description: 'unit test pipeline',
    workspace_id: '0',
    steps: [
      { name: 'train', type: 'job', title: 'train it' },
      { name: 'register', type: 'model', depend_steps: ['train'], inputs: [{ name: 'model_input', type: 'obs', data: '$ref/data_requirements/model_dir' }] },
    ],
    data_requirements: [{ name: 'model_dir', type: 'obs', value: { obs_url: '/bucket/out/' }, used_steps: ['register'] }],
    parameters: delayed ? [{ name: 'approve', type: 'str', delay: true, used_steps: ['register'] }] : [],
    labels: ['unit'],
  };
}

function createWorkflow(r: Rig, name: string, delayed = false): string {
  return ok(r.call('POST', WF, { body: pipelineBody(name, delayed) }), 201).workflow_id;
}

function run(r: Rig, workflowId: string, body: AnyJson = {}): AnyJson {
  return ok(r.call('POST', `${WF}/${workflowId}/executions`, { body }), 201);
}

function execution(r: Rig, workflowId: string, executionId: string): AnyJson {
  return ok(r.call('GET', `${WF}/${workflowId}/executions/${executionId}`));
}

function stepOf(ex: AnyJson, name: string): AnyJson {
  return ex.steps_execution.find((s: AnyJson) => s.step_name === name);
}

describe('emulator workflows: routes and seed objects', () => {
  it('registers every route, step actions under both path spellings', () => {
    const routes = rig().router.list();
    const wf = '/v2/{project_id}/workflows/{workflow_id}';
    const ex = `${wf}/executions/{execution_id}`;
    for (const route of [
      'GET /v2/{project_id}/workflows',
      'POST /v2/{project_id}/workflows',
      `GET ${wf}`,
      `PUT ${wf}`,
      `DELETE ${wf}`,
      `GET ${wf}/executions`,
      `POST ${wf}/executions`,
      `GET ${ex}`,
      `PUT ${ex}`,
      `DELETE ${ex}`,
      `POST ${ex}/actions`,
      `POST ${ex}/step-executions/{step_execution_id}/actions`,
      `POST ${ex}/step_executions/{step_execution_id}/actions`,
      `GET ${wf}/step-executions`,
      `POST ${wf}/subscriptions`,
      `GET ${wf}/subscriptions/{subscription_id}`,
      `PUT ${wf}/subscriptions/{subscription_id}`,
      `DELETE ${wf}/subscriptions/{subscription_id}`,
    ]) {
      assert.ok(routes.includes(route), `missing ${route}`);
    }
  });

  it("lists execution-064 exactly as workflow-executions.list.200.json, and gets it", () => {
    const r = rig();
    assert.deepEqual(ok(r.call('GET', `${WF}/${WF064}/executions`)), fixture('workflow-executions.list.200.json'));
    assert.deepEqual(execution(r, WF064, EX064), fixture('workflow-executions.list.200.json').items[0]);
  });

  it('execution-005 equals workflow-execution.action.201.json (running, service_step waiting for inputs)', () => {
    const r = rig();
    assert.deepEqual(execution(r, WF005, EX005), fixture('workflow-execution.action.201.json'));
  });

  it('the step-execution example is the step of a completed run', () => {
    const r = rig();
    const ex = execution(r, STEP_EXAMPLE_WORKFLOW_ID, STEP_EXAMPLE_EXECUTION_ID);
    assert.equal(ex.status, 'completed');
    assert.deepEqual(ex.steps_execution, [fixture('workflow-step-execution.201.json')]);
  });

  it('the subscription example belongs to the train-and-deploy workflow', () => {
    const r = rig();
    assert.deepEqual(ok(r.call('GET', `${WF}/${SUBSCRIPTION_WORKFLOW_ID}/subscriptions/${SUB}`)), fixture('workflow-subscription.create.201.json'));
    const wf = ok(r.call('GET', `${WF}/${SUBSCRIPTION_WORKFLOW_ID}`));
    assert.equal(wf.subscription_id, SUB);
    assert.equal(wf.with_subscription, true);
    assert.ok(wf.steps.some((s: AnyJson) => s.name === 'job_step'));
    expectError(r.call('GET', `${WF}/${WF064}/subscriptions/${SUB}`), 400, 'ModelArts.7519', SUB);
  });

  it('the demo seed has executions in every state, one waiting for inputs, one with a failed step, one workflow never run', () => {
    const r = rig();
    const list = ok(r.call('GET', WF, { query: { limit: '100' } }));
    assert.ok(list.total >= 7, `total ${list.total}`);
    const statuses = new Set<string>();
    const stepStatuses = new Set<string>();
    for (const wf of list.items) {
      for (const ex of ok(r.call('GET', `${WF}/${wf.workflow_id}/executions`, { query: { limit: '100' } })).items) {
        statuses.add(ex.status);
        for (const s of ex.steps_execution) stepStatuses.add(s.status);
      }
    }
    for (const s of ['init', 'running', 'completed', 'stopped', 'abnormal']) assert.ok(statuses.has(s), `no ${s} execution`);
    for (const s of ['wait_inputs', 'running', 'failed', 'stopped', 'completed']) assert.ok(stepStatuses.has(s), `no ${s} step`);
    const never = ok(r.call('GET', WF, { query: { status: 'never_executed' } }));
    assert.ok(never.count >= 1);
    assert.ok(never.items.every((w: AnyJson) => w.latest_execution === undefined && w.run_count === 0));
  });

  it('the empty seed has no workflows but accepts creates', () => {
    const r = rig('empty');
    assert.deepEqual(ok(r.call('GET', WF)), { total: 0, count: 0, items: [] });
    createWorkflow(r, 'first_flow');
    assert.equal(ok(r.call('GET', WF)).total, 1);
  });

  it('not found: workflow 7512, execution 7511, subscription 7519, step 0107', () => {
    const r = rig();
    const wf = `${WF}/${MISSING}`;
    for (const [method, path, body] of [
      ['GET', wf],
      ['PUT', wf, { description: 'x' }],
      ['DELETE', wf],
      ['GET', `${wf}/executions`],
      ['POST', `${wf}/executions`, {}],
      ['GET', `${wf}/step-executions`],
      ['POST', `${wf}/subscriptions`, { topic_urns: ['t'] }],
      ['GET', `${wf}/executions/${EX064}`],
    ] as Array<[string, string, unknown?]>) {
      expectError(r.call(method, path, body === undefined ? {} : { body }), 400, 'ModelArts.7512', MISSING);
    }
    const ex = `${WF}/${WF064}/executions/${MISSING}`;
    for (const [method, path, body] of [
      ['GET', ex],
      ['PUT', ex, { description: 'x' }],
      ['DELETE', ex],
      ['POST', `${ex}/actions`, { action_name: 'stop' }],
      ['POST', `${ex}/step-executions/${HIDDEN}/actions`, { action_name: 'stop' }],
    ] as Array<[string, string, unknown?]>) {
      expectError(r.call(method, path, body === undefined ? {} : { body }), 400, 'ModelArts.7511', MISSING);
    }
    // An execution asked for under another workflow does not exist there.
    expectError(r.call('GET', `${WF}/${WF005}/executions/${EX064}`), 400, 'ModelArts.7511');
    const sub = `${WF}/${SUBSCRIPTION_WORKFLOW_ID}/subscriptions/${MISSING}`;
    expectError(r.call('GET', sub), 400, 'ModelArts.7519', MISSING);
    expectError(r.call('PUT', sub, { body: { topic_urns: ['t'] } }), 400, 'ModelArts.7519');
    expectError(r.call('DELETE', sub), 400, 'ModelArts.7519');
    expectError(r.call('POST', `${WF}/${WF005}/executions/${EX005}/step-executions/${MISSING}/actions`, { body: { action_name: 'stop' } }), 400, 'ModelArts.0107', MISSING);
  });
});

describe("emulator workflows: the manual's execution-005", () => {
  it("stops step 255a1079 with the manual's request on the step_executions path", () => {
    const r = rig();
    const reply = r.call('POST', `${WF}/${WF005}/executions/${EX005}/step_executions/${HIDDEN}/actions`, {
      body: fixture('workflow-step-execution.action.request.json'),
    });
    const step = ok(reply, 201);
    assert.equal(step.uuid, HIDDEN);
    assert.equal(step.step_name, 'service_step2');
    assert.equal(step.status, 'stopped');
    assert.deepEqual(step.events, [`${eventTimeChina(r.clock.now())} change status from init to stopped`]);
    const ex = execution(r, WF005, EX005);
    assert.equal(ex.status, 'running', 'service_step is still waiting');
    assert.deepEqual(ex.steps_execution.map((s: AnyJson) => s.uuid), [STEP005, HIDDEN]);
    expectError(r.call('POST', `${WF}/${WF005}/executions/${EX005}/step-executions/${HIDDEN}/actions`, { body: { action_name: 'stop' } }), 400, 'ModelArts.0107', 'stopped');
  });

  it('continue moves service_step on the clock, each transition an event on the step and the execution; service_step2 then waits', async () => {
    const r = rig();
    const t0 = r.clock.now();
    const path = `${WF}/${WF005}/executions/${EX005}/step-executions/${STEP005}/actions`;
    const step = ok(r.call('POST', path, { body: { action_name: 'continue', parameters: [{ name: 'schedule_KZ27', value: -1 }] } }), 201);
    assert.equal(step.status, 'creating');
    const e = (ms: number): string => eventTimeChina(ms);
    assert.deepEqual(step.events, ['2022-08-25 17:01:53 change status from init to wait_inputs', `${e(t0)} change status from wait_inputs to creating`]);
    await r.advance(creatingMs);
    assert.equal(stepOf(execution(r, WF005, EX005), 'service_step').status, 'created');
    await r.advance(createdMs);
    assert.equal(stepOf(execution(r, WF005, EX005), 'service_step').status, 'running');
    await r.advance(WORKFLOW_TIMINGS.runMs.service);
    const ex = execution(r, WF005, EX005);
    assert.equal(stepOf(ex, 'service_step').status, 'completed');
    assert.equal(stepOf(ex, 'service_step2').status, 'wait_inputs', 'si_placeholder2 has no value yet');
    assert.equal(stepOf(ex, 'service_step2').uuid, HIDDEN);
    const t1 = t0 + creatingMs;
    const t2 = t1 + createdMs;
    const t3 = t2 + WORKFLOW_TIMINGS.runMs.service;
    assert.deepEqual(ex.events, [
      '2022-08-25 17:01:53 step service_step change status from init to wait_inputs',
      `${e(t0)} step service_step change status from wait_inputs to creating`,
      `${e(t1)} step service_step change status from creating to created`,
      `${e(t2)} step service_step change status from created to running`,
      `${e(t3)} step service_step change status from running to completed`,
      `${e(t3)} step service_step2 change status from init to wait_inputs`,
    ]);
    assert.equal(ex.parameters.find((p: AnyJson) => p.name === 'schedule_KZ27').value, -1);
    assert.equal(stepOf(ex, 'service_step').duration, 1 + (t3 - t0) / 1000, 'the step clock went on from its seeded duration');
    assert.equal(typeof stepOf(ex, 'service_step').instance_id, 'object');

    ok(r.call('POST', `${WF}/${WF005}/executions/${EX005}/step-executions/${HIDDEN}/actions`, { body: { action_name: 'continue' } }), 201);
    await r.advance(creatingMs + createdMs + WORKFLOW_TIMINGS.runMs.service);
    const done = execution(r, WF005, EX005);
    assert.equal(done.status, 'completed');
    const wf = ok(r.call('GET', `${WF}/${WF005}`));
    assert.equal(wf.latest_execution.execution_id, EX005);
    assert.equal(wf.latest_execution.status, 'completed');
  });
});

describe('emulator workflows: CRUD and lists', () => {
  it('creates (201), reads, updates (200), lists with filters and deletes (204) a workflow', () => {
    const r = rig();
    const created = ok(r.call('POST', WF, { body: pipelineBody('unit_flow') }), 201);
    assert.match(created.workflow_id, /^[0-9a-f-]{36}$/);
    assert.equal(created.name, 'unit_flow');
    assert.equal(created.run_count, 0);
    assert.equal(created.user_name, 'demo-user');
    assert.match(created.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+08:00$/);
    assert.deepEqual(created.steps.map((s: AnyJson) => s.name), ['train', 'register']);
    const id = created.workflow_id;
    assert.deepEqual(ok(r.call('GET', `${WF}/${id}`)), created);

    const updated = ok(r.call('PUT', `${WF}/${id}`, { body: { description: 'changed', labels: ['x'] } }));
    assert.equal(updated.description, 'changed');
    assert.deepEqual(updated.labels, ['x']);
    assert.equal(updated.name, 'unit_flow');

    const contain = ok(r.call('GET', WF, { query: { name: 'UNIT_', search_type: 'contain' } }));
    assert.deepEqual(contain.items.map((w: AnyJson) => w.workflow_id), [id]);
    assert.equal(ok(r.call('GET', WF, { query: { name: 'unit_', search_type: 'equal' } })).count, 0);
    assert.equal(ok(r.call('GET', WF, { query: { name: 'unit_flow', search_type: 'equal' } })).count, 1);
    const vision = ok(r.call('GET', WF, { query: { workspace_id: '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b' } }));
    assert.ok(vision.count >= 1 && vision.items.every((w: AnyJson) => w.workspace_id === '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b'));
    assert.ok(ok(r.call('GET', WF, { query: { labels: 'x' } })).items.some((w: AnyJson) => w.workflow_id === id));

    const del = r.call('DELETE', `${WF}/${id}`);
    assert.equal(del.status, 204);
    assert.equal(del.body, undefined);
    expectError(r.call('GET', `${WF}/${id}`), 400, 'ModelArts.7512', id);
  });

  it('validates names, step types, dependencies and cycles', () => {
    const r = rig();
    const post = (body: AnyJson): Reply => r.call('POST', WF, { body });
    expectError(post({ steps: [] }), 400, 'ModelArts.0107', 'name');
    expectError(post({ name: '1starts-with-digit' }), 400, 'ModelArts.0107', 'name');
    expectError(post({ name: 'a'.repeat(65) }), 400, 'ModelArts.0107', 'name');
    expectError(post({ name: 'bad_type', steps: [{ name: 's', type: 'teleport' }] }), 400, 'ModelArts.0107', 'steps[0].type');
    expectError(post({ name: 'bad_dep', steps: [{ name: 's', type: 'job', depend_steps: ['ghost'] }] }), 400, 'ModelArts.0107', 'ghost');
    expectError(post({ name: 'twice', steps: [{ name: 's', type: 'job' }, { name: 's', type: 'job' }] }), 400, 'ModelArts.0107', 'twice');
    expectError(
      post({ name: 'cycle', steps: [{ name: 'a', type: 'job', depend_steps: ['b'] }, { name: 'b', type: 'job', depend_steps: ['a'] }] }),
      400,
      'ModelArts.0107',
      'cycle',
    );
    createWorkflow(r, 'taken_name');
    expectError(post(pipelineBody('taken_name')), 400, 'ModelArts.0107', 'taken_name');
    assert.equal(ok(post({ name: '中文工作流' }), 201).name, '中文工作流');
    expectError(r.call('GET', WF, { query: { limit: '0' } }), 400, 'ModelArts.0107', 'limit');
    expectError(r.call('GET', WF, { query: { search_type: 'fuzzy' } }), 400, 'ModelArts.0107', 'search_type');
  });

  it('lists executions newest first with a record offset; filters by status; pages the step executions', async () => {
    const r = rig();
    const id = createWorkflow(r, 'paging_flow');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(run(r, id).execution_id);
      await r.advance(1_000);
    }
    const all = ok(r.call('GET', `${WF}/${id}/executions`));
    assert.equal(all.total, 5);
    assert.equal(all.count, 5);
    assert.deepEqual(all.items.map((e: AnyJson) => e.execution_id), [...ids].reverse());
    assert.deepEqual(all.items.map((e: AnyJson) => e.name), ['execution-005', 'execution-004', 'execution-003', 'execution-002', 'execution-001']);
    const page = ok(r.call('GET', `${WF}/${id}/executions`, { query: { offset: '2', limit: '2' } }));
    assert.equal(page.total, 5);
    assert.equal(page.count, 2);
    assert.deepEqual(page.items.map((e: AnyJson) => e.execution_id), [ids[2], ids[1]]);
    const asc = ok(r.call('GET', `${WF}/${id}/executions`, { query: { sort_by: 'create_time', order: 'asc' } }));
    assert.deepEqual(asc.items.map((e: AnyJson) => e.execution_id), ids);
    ok(r.call('POST', `${WF}/${id}/executions/${ids[0]}/actions`, { body: { action_name: 'stop' } }), 201);
    await r.advance(stoppingMs);
    const stopped = ok(r.call('GET', `${WF}/${id}/executions`, { query: { status: 'stopped' } }));
    assert.deepEqual(stopped.items.map((e: AnyJson) => e.execution_id), [ids[0]]);
    const wf = ok(r.call('GET', `${WF}/${id}`));
    assert.equal(wf.run_count, 5);
    assert.equal(wf.latest_execution.execution_id, ids[4]);

    const steps = ok(r.call('GET', `${WF}/${id}/step-executions`, { query: { limit: '3' } }));
    assert.equal(steps.total, 10);
    assert.equal(steps.count, 3);
    assert.ok(steps.items.every((s: AnyJson) => ids.includes(s.execution_uuid) && typeof s.uuid === 'string' && typeof s.execution_name === 'string'));
    const hidden = ok(r.call('GET', `${WF}/${WF005}/step-executions`));
    assert.ok(hidden.items.some((s: AnyJson) => s.uuid === HIDDEN && s.status === 'init'));
  });

  it('updates an execution (200) and deletes a finished one (204); a running one must be stopped first', async () => {
    const r = rig();
    const id = createWorkflow(r, 'delete_flow');
    const ex = run(r, id).execution_id;
    const put = ok(r.call('PUT', `${WF}/${id}/executions/${ex}`, { body: { description: 'renamed', labels: ['nightly'] } }));
    assert.equal(put.description, 'renamed');
    assert.deepEqual(ok(r.call('GET', `${WF}/${id}/executions`, { query: { labels: 'nightly' } })).items.map((e: AnyJson) => e.execution_id), [ex]);
    expectError(r.call('DELETE', `${WF}/${id}/executions/${ex}`), 400, 'ModelArts.0107', 'init');
    await r.advance(startMs);
    expectError(r.call('DELETE', `${WF}/${id}/executions/${ex}`), 400, 'ModelArts.0107', 'running');
    await r.advance(60_000);
    assert.equal(execution(r, id, ex).status, 'completed');
    assert.equal(r.call('DELETE', `${WF}/${id}/executions/${ex}`).status, 204);
    expectError(r.call('GET', `${WF}/${id}/executions/${ex}`), 400, 'ModelArts.7511', ex);
  });
});

describe('emulator workflows: the execution state machine', () => {
  it('init -> running; steps init -> creating -> created -> running -> completed in DAG order, with events and durations', async () => {
    const r = rig();
    const id = createWorkflow(r, 'dag_flow');
    const t0 = r.clock.now();
    const created = run(r, id, { description: 'first run' });
    assert.equal(created.status, 'init');
    assert.equal(created.name, 'execution-001');
    assert.equal(created.workflow_name, 'dag_flow');
    assert.deepEqual(created.steps_execution, []);
    assert.deepEqual(created.events, []);
    const ex = created.execution_id;

    await r.advance(startMs - 1);
    assert.equal(execution(r, id, ex).status, 'init');
    await r.advance(1);
    const started = execution(r, id, ex);
    assert.equal(started.status, 'running');
    assert.deepEqual(started.steps_execution.map((s: AnyJson) => [s.step_name, s.status]), [['train', 'creating']]);

    const t1 = t0 + startMs;
    const t2 = t1 + creatingMs;
    const t3 = t2 + createdMs;
    const t4 = t3 + WORKFLOW_TIMINGS.runMs.job;
    const t5 = t4 + creatingMs;
    const t6 = t5 + createdMs;
    const t7 = t6 + WORKFLOW_TIMINGS.runMs.model;
    await r.advance(t4 - r.clock.now());
    const mid = execution(r, id, ex);
    assert.deepEqual(mid.steps_execution.map((s: AnyJson) => [s.step_name, s.status]), [
      ['train', 'completed'],
      ['register', 'creating'],
    ]);
    assert.equal(stepOf(mid, 'train').duration, (t4 - t1) / 1000);
    assert.equal(mid.duration, (t4 - t0) / 1000);
    assert.equal(stepOf(mid, 'register').inputs[0].value.obs_url, '/bucket/out/', 'inputs are resolved from data requirements');

    await r.advance(t7 - r.clock.now());
    const done = execution(r, id, ex);
    assert.equal(done.status, 'completed');
    assert.equal(done.duration, (t7 - t0) / 1000);
    const e = eventTimeChina;
    assert.deepEqual(done.events, [
      `${e(t1)} step train change status from init to creating`,
      `${e(t2)} step train change status from creating to created`,
      `${e(t3)} step train change status from created to running`,
      `${e(t4)} step train change status from running to completed`,
      `${e(t4)} step register change status from init to creating`,
      `${e(t5)} step register change status from creating to created`,
      `${e(t6)} step register change status from created to running`,
      `${e(t7)} step register change status from running to completed`,
    ]);
    assert.deepEqual(stepOf(done, 'register').events, [
      `${e(t4)} change status from init to creating`,
      `${e(t5)} change status from creating to created`,
      `${e(t6)} change status from created to running`,
      `${e(t7)} change status from running to completed`,
    ]);
    assert.match(stepOf(done, 'register').instance_id, /^\{"model_id":"[0-9a-f-]{36}"\}$/);
    await r.advance(60_000);
    assert.equal(execution(r, id, ex).duration, (t7 - t0) / 1000, 'a finished execution keeps its duration');
    const wf = ok(r.call('GET', `${WF}/${id}`));
    assert.deepEqual(wf.latest_execution, {
      execution_id: ex,
      created_at: created.created_at,
      status: 'completed',
      running_steps: [],
      current_steps: [],
      duration: (t7 - t0) / 1000,
    });
    assert.equal(wf.run_count, 1);
  });

  it('a delayed parameter holds its step in wait_inputs until continue (with the value)', async () => {
    const r = rig();
    const id = createWorkflow(r, 'approval_flow', true);
    const ex = run(r, id).execution_id;
    await r.advance(startMs + creatingMs + createdMs + WORKFLOW_TIMINGS.runMs.job);
    const waiting = execution(r, id, ex);
    assert.equal(stepOf(waiting, 'register').status, 'wait_inputs');
    await r.advance(600_000);
    assert.equal(execution(r, id, ex).status, 'running', 'it waits as long as it takes');
    const registerId = stepOf(waiting, 'register').uuid;
    const path = `${WF}/${id}/executions/${ex}/step-executions/${registerId}/actions`;
    expectError(r.call('POST', path, { body: { action_name: 'continue', parameters: [{ name: 'nope', value: 1 }] } }), 400, 'ModelArts.0107', 'nope');
    const step = ok(r.call('POST', path, { body: { action_name: 'continue', parameters: [{ name: 'approve', value: 'yes' }] } }), 201);
    assert.equal(step.status, 'creating');
    expectError(r.call('POST', path, { body: { action_name: 'continue' } }), 400, 'ModelArts.0107', 'creating');
    await r.advance(creatingMs + createdMs + WORKFLOW_TIMINGS.runMs.model);
    const done = execution(r, id, ex);
    assert.equal(done.status, 'completed');
    assert.equal(done.parameters[0].value, 'yes');
    // A run given the value up front does not wait.
    const second = run(r, id, { parameters: [{ name: 'approve', value: 'pre-approved' }] }).execution_id;
    await r.advance(startMs + 2 * (creatingMs + createdMs) + WORKFLOW_TIMINGS.runMs.job + WORKFLOW_TIMINGS.runMs.model);
    assert.equal(execution(r, id, second).status, 'completed');
  });

  it('a failed step makes the execution abnormal; retry runs it again and the execution completes', async () => {
    const r = rig();
    const id = createWorkflow(r, 'flaky_flow');
    const ex = run(r, id).execution_id;
    r.family.failStep(ex, 'train');
    await r.advance(startMs + creatingMs + createdMs + WORKFLOW_TIMINGS.runMs.job / 2);
    const abnormal = execution(r, id, ex);
    assert.equal(abnormal.status, 'abnormal');
    const train = stepOf(abnormal, 'train');
    assert.equal(train.status, 'failed');
    assert.ok(train.error_info.error_message.includes('train'));
    assert.equal(stepOf(abnormal, 'register'), undefined, 'the downstream step never started');
    const path = `${WF}/${id}/executions/${ex}/step-executions/${train.uuid}/actions`;
    expectError(r.call('POST', path, { body: { action_name: 'continue' } }), 400, 'ModelArts.0107', 'failed');
    expectError(r.call('POST', path, { body: { action_name: 'jump' } }), 400, 'ModelArts.0107', 'jump');
    const retried = ok(r.call('POST', path, { body: { action_name: 'retry' } }), 201);
    assert.equal(retried.status, 'creating');
    assert.equal(retried.error_info, undefined);
    const now = eventTimeChina(r.clock.now());
    assert.deepEqual(retried.events.slice(-2), [`${now} change status from failed to init`, `${now} change status from init to creating`]);
    assert.equal(execution(r, id, ex).status, 'running');
    await r.advance(2 * (creatingMs + createdMs) + WORKFLOW_TIMINGS.runMs.job + WORKFLOW_TIMINGS.runMs.model);
    const done = execution(r, id, ex);
    assert.equal(done.status, 'completed');
    expectError(r.call('POST', path, { body: { action_name: 'retry' } }), 400, 'ModelArts.0107', 'completed');
  });

  it('stop: running steps go stopping -> stopped and the execution ends stopped; rerun keeps the id and completes', async () => {
    const r = rig();
    const id = createWorkflow(r, 'stop_flow');
    const ex = run(r, id).execution_id;
    await r.advance(startMs + creatingMs + createdMs + 1_000);
    const reply = ok(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'stop' } }), 201);
    assert.equal(reply.execution_id, ex);
    assert.equal(stepOf(reply, 'train').status, 'stopping');
    assert.equal(reply.status, 'running', 'until its steps have stopped');
    await r.advance(stoppingMs);
    const stopped = execution(r, id, ex);
    assert.equal(stopped.status, 'stopped');
    assert.equal(stepOf(stopped, 'train').status, 'stopped');
    await r.advance(600_000);
    assert.equal(execution(r, id, ex).status, 'stopped', 'nothing else starts');
    expectError(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'stop' } }), 400, 'ModelArts.0107', 'stopped');
    expectError(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'pause' } }), 400, 'ModelArts.0107', 'pause');
    expectError(
      r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'rerun', policies: { rerun_steps: ['ghost'] } } }),
      400,
      'ModelArts.0107',
      'ghost',
    );

    const rerun = ok(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'rerun' } }), 201);
    assert.equal(rerun.execution_id, ex);
    assert.equal(rerun.status, 'running');
    assert.equal(stepOf(rerun, 'train').status, 'creating');
    expectError(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'rerun' } }), 400, 'ModelArts.0107', 'running');
    await r.advance(2 * (creatingMs + createdMs) + WORKFLOW_TIMINGS.runMs.job + WORKFLOW_TIMINGS.runMs.model);
    assert.equal(execution(r, id, ex).status, 'completed');

    // Rerunning one step of a completed run reruns it and what depends on it.
    const again = ok(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'rerun', policies: { rerun_steps: ['train'] } } }), 201);
    assert.deepEqual(again.steps_execution.map((s: AnyJson) => s.status), ['creating', 'init']);
    await r.advance(2 * (creatingMs + createdMs) + WORKFLOW_TIMINGS.runMs.job + WORKFLOW_TIMINGS.runMs.model);
    assert.equal(execution(r, id, ex).status, 'completed');
  });

  it('stopping an execution still init ends it stopped at once; a step stop on a running step; stop only from allowed states', async () => {
    const r = rig();
    const id = createWorkflow(r, 'early_stop');
    const ex = run(r, id).execution_id;
    const reply = ok(r.call('POST', `${WF}/${id}/executions/${ex}/actions`, { body: { action_name: 'stop' } }), 201);
    assert.equal(reply.status, 'stopped');
    await r.advance(60_000);
    assert.deepEqual(execution(r, id, ex).steps_execution, []);

    const ex2 = run(r, id).execution_id;
    await r.advance(startMs + creatingMs + createdMs);
    const train = stepOf(execution(r, id, ex2), 'train');
    assert.equal(train.status, 'running');
    const path = `${WF}/${id}/executions/${ex2}/step-executions/${train.uuid}/actions`;
    assert.equal(ok(r.call('POST', path, { body: { action_name: 'stop' } }), 201).status, 'stopping');
    expectError(r.call('POST', path, { body: { action_name: 'stop' } }), 400, 'ModelArts.0107', 'stopping');
    await r.advance(stoppingMs);
    assert.equal(execution(r, id, ex2).status, 'stopped');
    assert.equal(ok(r.call('POST', path, { body: { action_name: 'retry' } }), 201).status, 'creating');
  });

  it('the seeded running execution advances and the seeded failed step can be retried', async () => {
    const r = rig();
    const running = ok(r.call('GET', `${WF}/${SUBSCRIPTION_WORKFLOW_ID}/executions`, { query: { status: 'running' } })).items[0];
    assert.equal(stepOf(running, 'job_step').status, 'running');
    await r.advance(3 * 3_600_000);
    const later = execution(r, SUBSCRIPTION_WORKFLOW_ID, running.execution_id);
    assert.equal(later.status, 'completed');
    assert.deepEqual(later.steps_execution.map((s: AnyJson) => s.step_name), ['job_step', 'model_step', 'service_step']);

    const list = ok(r.call('GET', WF, { query: { name: 'nlp-finetune-pipeline', search_type: 'equal' } }));
    const wfId = list.items[0].workflow_id;
    const abnormal = ok(r.call('GET', `${WF}/${wfId}/executions`, { query: { status: 'abnormal' } })).items[0];
    const failed = stepOf(abnormal, 'train_step');
    assert.equal(failed.status, 'failed');
    ok(r.call('POST', `${WF}/${wfId}/executions/${abnormal.execution_id}/step-executions/${failed.uuid}/actions`, { body: { action_name: 'retry' } }), 201);
    await r.advance(3_600_000);
    assert.equal(execution(r, wfId, abnormal.execution_id).status, 'completed');
  });
});

describe('emulator workflows: subscriptions', () => {
  it("creates from the manual's request (201), updates (200), deletes (204)", () => {
    const r = rig();
    const id = createWorkflow(r, 'sub_flow');
    const created = ok(r.call('POST', `${WF}/${id}/subscriptions`, { body: fixture('workflow-subscription.create.request.json') }), 201);
    const request = fixture('workflow-subscription.create.request.json');
    assert.deepEqual({ topic_urns: created.topic_urns, entity: created.entity, events: created.events }, request);
    assert.match(created.subscription_id, /^[0-9a-f-]{36}$/);
    assert.match(created.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+08:00$/);
    const sub = `${WF}/${id}/subscriptions/${created.subscription_id}`;
    assert.deepEqual(ok(r.call('GET', sub)), created);
    const wf = ok(r.call('GET', `${WF}/${id}`));
    assert.equal(wf.with_subscription, true);
    assert.equal(wf.subscription_id, created.subscription_id);

    const updated = ok(r.call('PUT', sub, { body: { events: ['train:failed'] } }));
    assert.deepEqual(updated.events, ['train:failed']);
    assert.deepEqual(updated.topic_urns, ['fengbin26']);
    const del = r.call('DELETE', sub);
    assert.equal(del.status, 204);
    expectError(r.call('GET', sub), 400, 'ModelArts.7519', created.subscription_id);
    assert.equal(ok(r.call('GET', `${WF}/${id}`)).with_subscription, false);
    // Without an entity, the workflow is the entity.
    assert.equal(ok(r.call('POST', `${WF}/${id}/subscriptions`, { body: { topic_urns: ['urn:smn:x'] } }), 201).entity, id);
  });

  it('validates topic_urns and the event grammar, naming the bad event', () => {
    const r = rig();
    const id = createWorkflow(r, 'sub_checks');
    const post = (body: AnyJson): Reply => r.call('POST', `${WF}/${id}/subscriptions`, { body });
    expectError(post({ events: ['*:failed'] }), 400, 'ModelArts.0107', 'topic_urns');
    expectError(post({ topic_urns: [] }), 400, 'ModelArts.0107', 'topic_urns');
    expectError(post({ topic_urns: [1] }), 400, 'ModelArts.0107', 'topic_urns');
    expectError(post({ topic_urns: ['t'], events: ['job_step'] }), 400, 'ModelArts.0107', '"job_step"');
    expectError(post({ topic_urns: ['t'], events: ['*:failed,exploded'] }), 400, 'ModelArts.0107', 'exploded');
    expectError(post({ topic_urns: ['t'], events: ['*:'] }), 400, 'ModelArts.0107', '"*:"');
    expectError(post({ topic_urns: ['t'], events: 'job_step:stop' }), 400, 'ModelArts.0107', 'events');
    const sub = ok(post({ topic_urns: ['t'], events: ['*:completed', 'train:stop,stopped'] }), 201);
    expectError(r.call('PUT', `${WF}/${id}/subscriptions/${sub.subscription_id}`, { body: { events: ['bad event'] } }), 400, 'ModelArts.0107', 'bad event');
  });
});

describe('emulator workflows over signed HTTP', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator({ seed: 'demo' }));
  });
  after(() => emu.close());

  it("lists execution-064 verbatim and gets execution-005 as in the manual", async () => {
    const list = await signedFetch(emu, 'GET', `/v2/{pid}/workflows/${WF064}/executions`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json, fixture('workflow-executions.list.200.json'));
    const ex = await signedFetch(emu, 'GET', `/v2/{pid}/workflows/${WF005}/executions/${EX005}`);
    assert.deepEqual(ex.json, fixture('workflow-execution.action.201.json'));
  });

  it("stops step 255a1079 with the manual's path and body, then the subscription example works as written", async () => {
    const stop = await signedFetch(emu, 'POST', `/v2/{pid}/workflows/${WF005}/executions/${EX005}/step_executions/${HIDDEN}/actions`, {
      body: fixture('workflow-step-execution.action.request.json'),
    });
    assert.equal(stop.status, 201, stop.text);
    assert.equal(stop.json.status, 'stopped');
    const sub = await signedFetch(emu, 'POST', `/v2/{pid}/workflows/${SUBSCRIPTION_WORKFLOW_ID}/subscriptions`, { body: fixture('workflow-subscription.create.request.json') });
    assert.equal(sub.status, 201, sub.text);
    assert.deepEqual(sub.json.events, ['*:failed,completed', 'job_step:stop']);
    const missing = await signedFetch(emu, 'GET', `/v2/{pid}/workflows/${MISSING}`);
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error_code, 'ModelArts.7512');
  });

  it('runs a new execution over HTTP as time passes', async () => {
    const created = await signedFetch(emu, 'POST', '/v2/{pid}/workflows', { body: pipelineBody('http_flow') });
    assert.equal(created.status, 201, created.text);
    const id = created.json.workflow_id;
    const ex = await signedFetch(emu, 'POST', `/v2/{pid}/workflows/${id}/executions`, { body: {} });
    assert.equal(ex.status, 201, ex.text);
    assert.equal(ex.json.status, 'init');
    await clock.advance(startMs + 2 * (creatingMs + createdMs) + WORKFLOW_TIMINGS.runMs.job + WORKFLOW_TIMINGS.runMs.model);
    const done = await signedFetch(emu, 'GET', `/v2/{pid}/workflows/${id}/executions/${ex.json.execution_id}`);
    assert.equal(done.json.status, 'completed');
    assert.equal(done.json.events.length, 8);
  });
});
