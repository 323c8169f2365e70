// The training-job family of the emulator: routes, seed objects, validation, the job and save-image state
// machines on a manual clock, the log preview window, search at scale; then a few calls over signed HTTP.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { ApiFailure, Router, type SeedKind } from '../../../src/emulator/framework';
import type { RunningEmulator } from '../../../src/emulator/server';
import { createTrainingFamily, TRAINING_TIMINGS, type TrainingFamily } from '../../../src/emulator/training';
import { PREVIEW_WINDOW_BYTES, trainingLineMaker } from '../../../src/emulator/training/logs';
import { SAVE_IMAGE_TIMINGS } from '../../../src/emulator/training/saveImage';
import { createWorkflowsFamily } from '../../../src/emulator/workflows';
import { signedFetch, startTestEmulator, type AnyJson } from '../helpers/emulatorHelpers';

const PID = '5a1e6f2b8c3d4e9fa0b1c2d3e4f5a6b7';
const USER_ID = '9c8b7a6d5e4f40312a1b0c9d8e7f6a5b';
const V2 = `/v2/${PID}`;
const ABNORMAL = '3faf5c03-aaa1-4cbe-879d-24b05d997347';
const CREATED = '425b7087-83de-49ed-9e40-5bb642be956f';
const SAVE_TARGET = '2cd88daa-31a4-40a8-a58f-d186b0e93e4f';
const VISION = '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b';
const MISSING = '00000000-0000-4000-8000-000000000000';
const MIB5 = 5 * 1024 * 1024;
/** The step of a generated training line, whatever its form (`step 012/`, `Step [012/`, `"step":   12`, `step 0012:`). */
const STEP_OF_LINE = /(?:\bstep |Step \[|"step":\s*)0*(\d+)/;

function fixture(name: string): AnyJson {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'seeds', name), 'utf8'));
}

interface Reply {
  status: number;
  body: AnyJson;
}

interface CallInit {
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

interface Rig {
  clock: ManualClock;
  family: TrainingFamily;
  router: Router;
  call(method: string, path: string, init?: CallInit): Reply;
  advance(ms: number): Promise<void>;
}

/** A family on a router, driven by a manual clock; replies go through JSON as on the wire. */
function rig(seed: SeedKind = 'demo', scaleJobs = 0): Rig {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 4));
  const family = createTrainingFamily({ clock, seed, scaleJobs, projectId: PID, userName: 'demo-user', userId: USER_ID });
  const router = new Router();
  family.register(router);
  const call = (method: string, path: string, init: CallInit = {}): Reply => {
    const now = clock.now();
    family.advance(now);
    const match = router.match(method, path);
    if (match.kind === 'none') throw new Error(`no route for ${method} ${path}`);
    const raw = init.body === undefined ? '' : JSON.stringify(init.body);
    try {
      const res = match.handler({
        method,
        path,
        params: match.params,
        query: Object.entries(init.query ?? {}),
        headers: init.headers ?? {},
        body: init.body,
        rawBody: Buffer.from(raw),
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

function jobBody(name: string, extra: { nodeCount?: number; flavor?: string; workspace?: string } = {}): AnyJson {
  return {
    kind: 'job',
    metadata: { name, description: 'unit test', ...(extra.workspace ? { workspace_id: extra.workspace } : {}) },
    algorithm: { engine: { image_url: 'swr.example.com/team/train:1.0' }, command: 'python train.py' },
    spec: { resource: { flavor_id: extra.flavor ?? 'modelarts.vm.cpu.8u', node_count: extra.nodeCount ?? 1 } },
  };
}

function create(r: Rig, name: string, extra: Parameters<typeof jobBody>[1] = {}): AnyJson {
  const reply = r.call('POST', `${V2}/training-jobs`, { body: jobBody(name, extra) });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

function getJob(r: Rig, id: string): AnyJson {
  const reply = r.call('GET', `${V2}/training-jobs/${id}`);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

/** Creates a job and moves time until it runs. */
async function runningJob(r: Rig, name: string, extra: Parameters<typeof jobBody>[1] = {}): Promise<AnyJson> {
  const job = create(r, name, extra);
  await r.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs);
  const now = getJob(r, job.metadata.id);
  assert.equal(now.status.phase, 'Running');
  return now;
}

function search(r: Rig, body: AnyJson, query?: Record<string, string>): AnyJson {
  const reply = r.call('POST', `${V2}/training-job-searches`, { body, ...(query ? { query } : {}) });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

function preview(r: Rig, id: string, task = 'worker-0'): { content: string; current_size: number; full_size: number } {
  const reply = r.call('GET', `${V2}/training-jobs/${id}/tasks/${task}/logs/preview`);
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body;
}

describe('emulator training: routes and seed objects', () => {
  it('registers every route, tags under both path spellings', () => {
    const routes = rig().router.list();
    const job = '/v2/{project_id}/training-jobs/{training_job_id}';
    for (const route of [
      'POST /v2/{project_id}/training-jobs',
      'POST /v2/{project_id}/training-job-searches',
      `GET ${job}`,
      `PUT ${job}`,
      `DELETE ${job}`,
      `POST ${job}/actions`,
      'GET /v2/{project_id}/modelarts-training-job/{training_job_id}/tags',
      'POST /v2/{project_id}/modelarts-training-job/{training_job_id}/tags/create',
      'DELETE /v2/{project_id}/modelarts-training-job/{training_job_id}/tags/delete',
      'GET /v2/{project_id}/modelarts-trainJob/{training_job_id}/tags',
      'POST /v2/{project_id}/modelarts-trainJob/{training_job_id}/tags/create',
      'DELETE /v2/{project_id}/modelarts-trainJob/{training_job_id}/tags/delete',
      `POST ${job}/tasks/{task_id}/save-image-job`,
      `GET ${job}/tasks/{task_id}/save-image-job`,
      `GET ${job}/tasks/{task_id}/logs/preview`,
      `GET ${job}/tasks/{task_id}/logs/url`,
      `GET ${job}/metrics/{task_id}`,
      `GET ${job}/events`,
      `GET ${job}/tasks`,
      `GET ${job}/stages`,
      'GET /v2/{project_id}/training-job-flavors',
      'GET /v2/{project_id}/training-job-engines',
      'GET /v2/{project_id}/training-quotas',
      'GET /v2/{project_id}/training-event-categories',
    ]) {
      assert.ok(routes.includes(route), `missing ${route}`);
    }
  });

  it("the manual's Abnormal job equals training-job.get.200.json, and stays so", async () => {
    const r = rig();
    assert.deepEqual(getJob(r, ABNORMAL), fixture('training-job.get.200.json'));
    await r.advance(3_600_000);
    assert.deepEqual(getJob(r, ABNORMAL), fixture('training-job.get.200.json'));
  });

  it("the manual's created job equals training-job.create.201.json at start, then progresses", async () => {
    const r = rig();
    assert.deepEqual(getJob(r, CREATED), fixture('training-job.create.201.json'));
    await r.advance(5_000);
    assert.equal(getJob(r, CREATED).status.phase, 'Pending');
    await r.advance(15_000);
    const running = getJob(r, CREATED);
    assert.equal(running.status.phase, 'Running');
    assert.deepEqual(running.status.tasks, ['worker-0', 'server-0']);
  });

  it("the manual's save-image target is Running with task worker-0", () => {
    const job = getJob(rig(), SAVE_TARGET);
    assert.equal(job.status.phase, 'Running');
    assert.deepEqual(job.status.tasks, ['worker-0']);
  });

  it('the demo seed has jobs in every phase across the demo workspaces', () => {
    const r = rig();
    const phases = new Set<string>();
    const workspaces = new Set<string>();
    for (const ws of ['0', VISION, 'e1f2a3b4c5d64e7f8091a2b3c4d5e6f7']) {
      const res = search(r, { workspace_id: ws, limit: 50 });
      assert.ok(res.count > 0, ws);
      for (const job of res.items) {
        phases.add(job.status.phase);
        workspaces.add(job.metadata.workspace_id);
      }
    }
    for (const phase of ['Creating', 'Pending', 'Running', 'Completed', 'Failed', 'Terminating', 'Terminated', 'Abnormal']) {
      assert.ok(phases.has(phase), `no ${phase} job in ${[...phases].join(', ')}`);
    }
    assert.equal(workspaces.size, 3);
  });

  it('the empty seed has no jobs but accepts creates', () => {
    const r = rig('empty');
    assert.equal(search(r, {}).total, 0);
    assert.equal(r.call('GET', `${V2}/training-jobs/${ABNORMAL}`).status, 400);
    create(r, 'first-job');
    const after = search(r, {});
    assert.equal(after.total, 1);
    assert.equal(after.items[0].metadata.name, 'first-job');
  });

  it('every job route answers 400 ModelArts.2775 for an unknown job', () => {
    const r = rig();
    const job = `${V2}/training-jobs/${MISSING}`;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', job],
      ['PUT', job, { description: 'x' }],
      ['DELETE', job],
      ['POST', `${job}/actions`, { action_type: 'terminate' }],
      ['GET', `${V2}/modelarts-training-job/${MISSING}/tags`],
      ['POST', `${V2}/modelarts-training-job/${MISSING}/tags/create`, { tags: [{ key: 'a', value: 'b' }] }],
      ['DELETE', `${V2}/modelarts-trainJob/${MISSING}/tags/delete`, { tags: [{ key: 'a', value: 'b' }] }],
      ['POST', `${job}/tasks/worker-0/save-image-job`, { name: 'x', namespace: 'dev' }],
      ['GET', `${job}/tasks/worker-0/save-image-job`],
      ['GET', `${job}/tasks/worker-0/logs/preview`],
      ['GET', `${job}/tasks/worker-0/logs/url`],
      ['GET', `${job}/metrics/worker-0`],
      ['GET', `${job}/events`],
      ['GET', `${job}/tasks`],
      ['GET', `${job}/stages`],
    ];
    for (const [method, path, body] of calls) {
      expectError(r.call(method, path, body === undefined ? {} : { body }), 400, 'ModelArts.2775', `Training job (ID: ${MISSING}) not found.`);
    }
  });
});

describe('emulator training: create and validation', () => {
  it("accepts the manual's free-flavor request and answers like training-job.create.201.json", () => {
    const r = rig();
    const request = fixture('training-job.create.request-free-flavor.json');
    const reply = r.call('POST', `${V2}/training-jobs`, { body: request });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const expected = fixture('training-job.create.201.json');
    expected.metadata.id = reply.body.metadata.id;
    expected.metadata.create_time = r.clock.now();
    expected.metadata.user_name = 'demo-user';
    expected.status.tasks = ['worker-0'];
    // The request's own parameter values replace the algorithm's defaults.
    expected.algorithm.parameters[0].value = 'obs://cn-north-4-rse/test/moxingtest-dir/';
    assert.deepEqual(reply.body, expected);
    assert.match(reply.body.metadata.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(reply.body.metadata.id, CREATED);
  });

  it("accepts the manual's custom-image request on pool poolfaf38d76", () => {
    const r = rig();
    const reply = r.call('POST', `${V2}/training-jobs`, { body: fixture('training-job.create.request-custom-image.json') });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const job = reply.body;
    assert.equal(job.status.phase, 'Creating');
    assert.equal(job.status.secondary_phase, 'Creating');
    assert.equal(job.status.duration, 0);
    assert.equal(job.status.start_time, 0);
    assert.equal(job.spec.resource.pool_id, 'poolfaf38d76');
    assert.equal(job.spec.resource.flavor_id, 'modelarts.pool.visual.xlarge');
    assert.deepEqual(job.spec.volumes, fixture('training-job.create.request-custom-image.json').spec.volumes);
    assert.deepEqual(job.spec.log_export_path, { obs_url: '/cn-north-4-training-test/limou/ddp-demo-log/' });
    assert.equal(job.algorithm.command, 'cd /home/ma-user/ddp_demo && sh run_ddp.sh');
    assert.equal(job.algorithm.engine.image_url, 'xxxxxxxx/fastseq:1.2');
    assert.equal(job.metadata.workspace_id, '0');
  });

  it('answers algorithm.environments as a list of one-variable maps (create, get, list), from a map or a list', () => {
    const r = rig();
    const documented = [{ NCCL_DEBUG: 'INFO' }, { NCCL_IB_DISABLE: '0' }];
    // The manual's request sends one map.
    const fromMap = r.call('POST', `${V2}/training-jobs`, { body: fixture('training-job.create.request-custom-image.json') });
    assert.equal(fromMap.status, 201, JSON.stringify(fromMap.body));
    assert.deepEqual(fromMap.body.algorithm.environments, documented);
    assert.deepEqual(getJob(r, fromMap.body.metadata.id).algorithm.environments, documented);
    const listed = search(r, { limit: 50 }).items.find((j: AnyJson) => j.metadata.id === fromMap.body.metadata.id);
    assert.deepEqual(listed.algorithm.environments, documented);
    // The SDK's model sends the list (a map may hold several variables).
    const body = jobBody('env-as-list');
    body.algorithm.environments = [{ A: '1', B: '2' }, { C: '3' }];
    const fromList = r.call('POST', `${V2}/training-jobs`, { body });
    assert.equal(fromList.status, 201, JSON.stringify(fromList.body));
    assert.deepEqual(fromList.body.algorithm.environments, [{ A: '1' }, { B: '2' }, { C: '3' }]);
    // None: no field, as in the manual's free-flavor answer.
    assert.equal(create(r, 'env-none').algorithm.environments, undefined);
    for (const bad of ['NCCL_DEBUG=INFO', ['NCCL_DEBUG=INFO'], Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, 'x']))]) {
      const b = jobBody('env-bad');
      b.algorithm.environments = bad;
      const reply = r.call('POST', `${V2}/training-jobs`, { body: b });
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.equal(reply.body.error_code, 'ModelArts.2788');
      assert.ok(String(reply.body.error_msg).includes('algorithm.environments'), reply.body.error_msg);
    }
  });

  it('node_count workers are the tasks', () => {
    const job = create(rig(), 'three-nodes', { nodeCount: 3 });
    assert.deepEqual(job.status.tasks, ['worker-0', 'worker-1', 'worker-2']);
    assert.equal(job.spec.resource.node_count, 3);
  });

  it('a duplicate name in the same workspace is 400 ModelArts.2751; another workspace is fine', () => {
    const r = rig();
    create(r, 'dup-job');
    expectError(r.call('POST', `${V2}/training-jobs`, { body: jobBody('dup-job') }), 400, 'ModelArts.2751', 'dup-job');
    create(r, 'dup-job', { workspace: VISION });
  });

  it("an unknown algorithm id is answered exactly as training-job.create.400.json", () => {
    const r = rig();
    const body = fixture('training-job.create.request-free-flavor.json');
    body.algorithm.id = '11111111-2222-4333-8444-555555555555';
    const reply = r.call('POST', `${V2}/training-jobs`, { body });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body, fixture('training-job.create.400.json'));
  });

  it('validation errors name the field', () => {
    const r = rig();
    const base = (): AnyJson => jobBody('valid-name');
    const cases: Array<[string, (b: AnyJson) => void, string, string]> = [
      ['kind missing', (b) => delete b.kind, 'ModelArts.2788', 'kind'],
      ['kind unknown', (b) => (b.kind = 'cron_job'), 'ModelArts.2788', 'kind'],
      ['metadata missing', (b) => delete b.metadata, 'ModelArts.2788', 'metadata'],
      ['name missing', (b) => delete b.metadata.name, 'ModelArts.2788', 'metadata.name'],
      ['name with a space', (b) => (b.metadata.name = 'has space'), 'ModelArts.2788', 'metadata.name'],
      ['name of 65 characters', (b) => (b.metadata.name = 'a'.repeat(65)), 'ModelArts.2788', 'metadata.name'],
      ['description of 257 characters', (b) => (b.metadata.description = 'd'.repeat(257)), 'ModelArts.2788', 'metadata.description'],
      ['algorithm missing', (b) => delete b.algorithm, 'ModelArts.2788', 'algorithm'],
      ['algorithm with nothing to run', (b) => (b.algorithm = { parameters: [] }), 'ModelArts.2788', 'algorithm'],
      ['code without an engine', (b) => (b.algorithm = { code_dir: '/c/', boot_file: '/c/t.py' }), 'ModelArts.2788', 'algorithm.engine'],
      ['unknown engine', (b) => (b.algorithm = { code_dir: '/c/', boot_file: '/c/t.py', engine: { engine_id: 'nope' } }), 'ModelArts.2788', 'engine'],
      ['spec missing', (b) => delete b.spec, 'ModelArts.2788', 'spec'],
      ['node_count missing', (b) => delete b.spec.resource.node_count, 'ModelArts.2788', 'node_count'],
      ['node_count 0', (b) => (b.spec.resource.node_count = 0), 'ModelArts.2788', 'node_count'],
      ['node_count above the flavor max', (b) => (b.spec.resource = { flavor_id: 'modelarts.vm.cpu.2u', node_count: 2 }), 'ModelArts.2788', 'node_count'],
      ['flavor missing', (b) => delete b.spec.resource.flavor_id, 'ModelArts.2788', 'flavor_id'],
      ['unknown flavor', (b) => (b.spec.resource.flavor_id = 'modelarts.vm.cpu.999u'), 'ModelArts.2781', 'modelarts.vm.cpu.999u'],
      ['unknown pool', (b) => (b.spec.resource.pool_id = 'pool-nope'), 'ModelArts.2788', 'pool_id'],
      ['workspace id malformed', (b) => (b.metadata.workspace_id = 'ws-1'), 'ModelArts.2788', 'workspace_id'],
    ];
    for (const [label, mutate, code, field] of cases) {
      const body = base();
      mutate(body);
      const reply = r.call('POST', `${V2}/training-jobs`, { body });
      assert.equal(reply.status, 400, `${label}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error_code, code, `${label}: ${JSON.stringify(reply.body)}`);
      assert.ok(String(reply.body.error_msg).includes(field), `${label}: "${reply.body.error_msg}" lacks "${field}"`);
    }
    expectError(r.call('POST', `${V2}/training-jobs`, { body: [1, 2] }), 400, 'ModelArts.2787');
    expectError(r.call('POST', `${V2}/training-jobs`), 400, 'ModelArts.2787');
    // A dedicated pool takes any of its flavors; a public flavor is still required to be known without one.
    const pooled = base();
    pooled.spec.resource = { pool_id: 'poolfaf38d76', flavor_id: 'modelarts.pool.custom.any', node_count: 1 };
    assert.equal(r.call('POST', `${V2}/training-jobs`, { body: pooled }).status, 201);
  });
});

describe('emulator training: the job state machine', () => {
  it('Creating -> Pending (Queuing) -> Running -> Completed, with status fields and events', async () => {
    const r = rig();
    const created = create(r, 'happy-path');
    const id = created.metadata.id;
    const t0 = r.clock.now();
    assert.equal(created.metadata.create_time, t0);
    assert.equal(created.status.node_count_metrics, null);

    await r.advance(TRAINING_TIMINGS.creatingMs - 1);
    assert.equal(getJob(r, id).status.phase, 'Creating');
    await r.advance(1);
    const pending = getJob(r, id);
    assert.equal(pending.status.phase, 'Pending');
    assert.equal(pending.status.secondary_phase, 'Queuing');

    await r.advance(TRAINING_TIMINGS.pendingMs);
    const running = getJob(r, id);
    const started = t0 + TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs;
    assert.equal(running.status.phase, 'Running');
    assert.equal(running.status.start_time, started);
    assert.equal(running.status.duration, 0);
    assert.deepEqual(running.status.running_records, [{ start_at: Math.floor(started / 1000), start_type: 'init_or_rescheduled' }]);

    await r.advance(30_000);
    assert.equal(getJob(r, id).status.duration, 30_000);

    await r.advance(TRAINING_TIMINGS.runningMs - 30_000);
    const done = getJob(r, id);
    assert.equal(done.status.phase, 'Completed');
    assert.equal(done.status.secondary_phase, 'Completed');
    assert.equal(done.status.duration, TRAINING_TIMINGS.runningMs);
    assert.deepEqual(done.status.task_statuses, [{ task: 'worker-0', exit_code: 0, message: '' }]);
    assert.equal(done.status.running_records[0].end_at, Math.floor((started + TRAINING_TIMINGS.runningMs) / 1000));
    assert.equal(done.status.running_records[0].end_reason, 'job completed');

    await r.advance(60_000);
    assert.equal(getJob(r, id).status.duration, TRAINING_TIMINGS.runningMs, 'a finished job keeps its duration');
    const messages = r.call('GET', `${V2}/training-jobs/${id}/events`).body.events.map((e: AnyJson) => `${e.source}:${e.level}:${e.message}`);
    assert.deepEqual(messages, [
      'Job:Info:Training job is being created.',
      'Job:Info:Training job is queuing.',
      'Job:Info:Training job is running.',
      'Task:Info:[worker-0] training started.',
      'Task:Info:[worker-0] Training finished. Exit code 0.',
      'Job:Info:Training job completed.',
    ]);
  });

  it('a name containing "fail" fails; setFate decides another job; events tell why', async () => {
    const r = rig();
    const failing = create(r, 'will-fail-oom').metadata.id;
    const other = create(r, 'plain-job').metadata.id;
    r.family.setFate(other, 'Failed');
    const keeps = create(r, 'fail-but-rescued').metadata.id;
    r.family.setFate(keeps, 'Completed');
    await r.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.runningMs);
    assert.equal(getJob(r, failing).status.phase, 'Failed');
    assert.equal(getJob(r, other).status.phase, 'Failed');
    assert.equal(getJob(r, keeps).status.phase, 'Completed');
    const failed = getJob(r, failing);
    assert.deepEqual(failed.status.task_statuses.map((t: AnyJson) => t.exit_code), [1]);
    const errors = r.call('GET', `${V2}/training-jobs/${failing}/events`, { query: { level: 'Error' } }).body.events.map((e: AnyJson) => e.message);
    assert.deepEqual(errors, ['[worker-0] Training finished. Exit code 1.', 'Training job failed.']);
  });

  it('terminate: 202 with the full job in Terminating, then Terminated; 409 when finished; 400 for other actions', async () => {
    const r = rig();
    const job = await runningJob(r, 'to-terminate');
    const id = job.metadata.id;
    const reply = r.call('POST', `${V2}/training-jobs/${id}/actions`, { body: { action_type: 'terminate' } });
    assert.equal(reply.status, 202);
    assert.equal(reply.body.metadata.id, id);
    assert.equal(reply.body.status.phase, 'Terminating');
    assert.equal(reply.body.status.secondary_phase, 'Terminating');
    expectError(r.call('POST', `${V2}/training-jobs/${id}/actions`, { body: { action_type: 'terminate' } }), 409, 'ModelArts.2796', 'Terminating');
    await r.advance(TRAINING_TIMINGS.terminatingMs);
    const ended = getJob(r, id);
    assert.equal(ended.status.phase, 'Terminated');
    assert.equal(ended.status.task_statuses[0].exit_code, 137);
    await r.advance(TRAINING_TIMINGS.runningMs * 2);
    assert.equal(getJob(r, id).status.phase, 'Terminated', 'the run timer no longer fires');
    expectError(r.call('POST', `${V2}/training-jobs/${id}/actions`, { body: { action_type: 'terminate' } }), 409, 'ModelArts.2796', 'Terminated');
    expectError(r.call('POST', `${V2}/training-jobs/${ABNORMAL}/actions`, { body: { action_type: 'terminate' } }), 409, 'ModelArts.2796', 'Abnormal');
    expectError(r.call('POST', `${V2}/training-jobs/${id}/actions`, { body: { action_type: 'pause' } }), 400, 'ModelArts.2788', 'action_type');
    // A job still Creating can be terminated too.
    const early = create(r, 'terminate-early').metadata.id;
    assert.equal(r.call('POST', `${V2}/training-jobs/${early}/actions`, { body: { action_type: 'terminate' } }).status, 202);
  });

  it('PUT updates the description (200, empty body); DELETE is 202 and the job goes after a few seconds', async () => {
    const r = rig();
    const id = create(r, 'to-delete').metadata.id;
    const put = r.call('PUT', `${V2}/training-jobs/${id}`, { body: { description: 'new words' } });
    assert.equal(put.status, 200);
    assert.equal(put.body, undefined);
    assert.equal(getJob(r, id).metadata.description, 'new words');
    expectError(r.call('PUT', `${V2}/training-jobs/${id}`, { body: { description: 'x'.repeat(257) } }), 400, 'ModelArts.2788', 'description');

    const del = r.call('DELETE', `${V2}/training-jobs/${id}`);
    assert.equal(del.status, 202);
    assert.equal(del.body, undefined);
    await r.advance(TRAINING_TIMINGS.deleteMs - 1);
    assert.equal(getJob(r, id).metadata.id, id, 'still visible for a while');
    await r.advance(1);
    expectError(r.call('GET', `${V2}/training-jobs/${id}`), 400, 'ModelArts.2775', `Training job (ID: ${id}) not found.`);
  });
});

describe('emulator training: search', () => {
  it('answers the documented shape; total counts the workspace, count the matches; offset is a page index', () => {
    const r = rig();
    const all = search(r, { limit: 50 });
    assert.deepEqual(Object.keys(all).sort(), [
      'ai_project',
      'count',
      'group_by',
      'items',
      'limit',
      'offset',
      'order',
      'sort_by',
      'total',
      'train_type',
      'workspace_id',
    ]);
    assert.equal(all.ai_project, 'default-ai-project');
    assert.equal(all.workspace_id, '0');
    assert.equal(all.sort_by, 'create_time');
    assert.equal(all.order, 'desc');
    assert.equal(all.total, all.count);
    assert.equal(all.items.length, all.count);
    assert.ok(all.total >= 8, `total ${all.total}`);
    assert.ok(all.items.every((j: AnyJson) => j.metadata.workspace_id === '0'));
    const times = all.items.map((j: AnyJson) => j.metadata.create_time);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');

    const page0 = search(r, { limit: 3, offset: 0 });
    const page1 = search(r, { limit: 3, offset: 1 });
    assert.equal(page0.items.length, 3);
    assert.equal(page1.offset, 1);
    assert.deepEqual(
      [...page0.items, ...page1.items].map((j: AnyJson) => j.metadata.id),
      all.items.slice(0, 6).map((j: AnyJson) => j.metadata.id),
    );
    assert.equal(search(r, { limit: 50, offset: 1 }).items.length, 0, 'past the last page');
    assert.equal(search(r, {}).limit, 10, 'default limit');
    assert.equal(search(r, {}, { limit: '2' }).items.length, 2, '?limit= applies when the body has none');
  });

  it('filters: phase in, name like, create_time between, kind in, user_id in, not; tags', async () => {
    const r = rig();
    const running = search(r, { limit: 50, filters: [{ key: 'phase', operator: 'in', value: ['Running'] }] });
    assert.ok(running.count > 0);
    assert.ok(running.items.every((j: AnyJson) => j.status.phase === 'Running'));
    assert.ok(running.count < running.total);

    const byName = search(r, { filters: [{ key: 'name', operator: 'like', value: ['MNIST-long'] }] });
    assert.deepEqual(byName.items.map((j: AnyJson) => j.metadata.id), [SAVE_TARGET]);

    await r.advance(1);
    const created = create(r, 'between-me');
    const t = created.metadata.create_time;
    const between = search(r, { limit: 50, filters: [{ key: 'create_time', operator: 'between', value: [String(t), String(t)] }] });
    assert.deepEqual(between.items.map((j: AnyJson) => j.metadata.name), ['between-me']);

    assert.equal(search(r, { filters: [{ key: 'kind', operator: 'in', value: ['edge_job'] }] }).count, 0);
    assert.equal(search(r, { limit: 50, filters: [{ key: 'kind', operator: 'in', value: ['job'] }] }).count, running.total + 1);
    assert.equal(search(r, { filters: [{ key: 'user_id', operator: 'in', value: [USER_ID] }] }).count, running.total + 1);
    assert.equal(search(r, { filters: [{ key: 'user_id', operator: 'in', value: ['someone-else'] }] }).count, 0);
    const notRunning = search(r, { filters: [{ key: 'phase', operator: 'not', value: ['Running'] }] });
    assert.equal(notRunning.count + running.count, running.total + 1);

    const tagged = search(r, { tags: [{ key: 'team', values: ['vision'] }] });
    assert.deepEqual(tagged.items.map((j: AnyJson) => j.metadata.id), [SAVE_TARGET]);
  });

  it('sorts by name; scopes by workspace; rejects unknown keys and bad limits', () => {
    const r = rig();
    const byName = search(r, { sort_by: 'name', order: 'asc', limit: 50 }).items.map((j: AnyJson) => j.metadata.name);
    assert.deepEqual(byName, [...byName].sort());
    const vision = search(r, { workspace_id: VISION, limit: 50 });
    assert.ok(vision.count > 0);
    assert.ok(vision.items.every((j: AnyJson) => j.metadata.workspace_id === VISION));
    assert.equal(vision.workspace_id, VISION);

    const bad = (body: AnyJson): Reply => r.call('POST', `${V2}/training-job-searches`, { body });
    expectError(bad({ sort_by: 'color' }), 400, 'ModelArts.2790', 'color');
    expectError(bad({ filters: [{ key: 'color', operator: 'in', value: ['red'] }] }), 400, 'ModelArts.2789', 'color');
    expectError(bad({ filters: [{ key: 'name', operator: 'regex', value: ['x'] }] }), 400, 'ModelArts.2788', 'operator');
    expectError(bad({ filters: [{ key: 'create_time', operator: 'between', value: ['1'] }] }), 400, 'ModelArts.2788', 'between');
    expectError(bad({ limit: 51 }), 400, 'ModelArts.2788', 'limit');
    expectError(bad({ limit: 0 }), 400, 'ModelArts.2788', 'limit');
    expectError(bad({ offset: -1 }), 400, 'ModelArts.2788', 'offset');
    expectError(bad({ order: 'sideways' }), 400, 'ModelArts.2788', 'order');
  });

  it('10,000 scale jobs: one search returns `limit` items with the right count', () => {
    const r = rig('empty', 10_000);
    assert.equal(r.family.jobCount(), 10_000);
    const first = search(r, { limit: 50 });
    assert.equal(first.items.length, 50);
    assert.equal(first.total, 10_000);
    assert.equal(first.count, 10_000);
    const names = new Set(first.items.map((j: AnyJson) => j.metadata.name));
    assert.equal(names.size, 50);
    // Names cycle through eight models, so each model names exactly an eighth of the jobs.
    const resnet = search(r, { limit: 50, offset: 3, filters: [{ key: 'name', operator: 'like', value: ['scale-resnet50-'] }] });
    assert.equal(resnet.count, 1_250);
    assert.equal(resnet.items.length, 50);
    let phases = 0;
    const seen = new Set<string>();
    for (const phase of ['Creating', 'Pending', 'Running', 'Completed', 'Failed', 'Terminating', 'Terminated', 'Abnormal']) {
      const n = search(r, { limit: 1, filters: [{ key: 'phase', operator: 'in', value: [phase] }] }).count;
      if (n > 0) seen.add(phase);
      phases += n;
    }
    assert.equal(phases, 10_000);
    for (const phase of ['Running', 'Completed', 'Failed', 'Terminated']) assert.ok(seen.has(phase), `no ${phase} scale job`);
    const last = search(r, { limit: 50, offset: 199 });
    assert.equal(last.items.length, 50);
    assert.equal(last.items[49].metadata.name, 'scale-resnet50-00000', 'the oldest is last');
  });
});

describe('emulator training: tags', () => {
  it('reads, adds (204), replaces a value, and removes with the manual body on the modelarts-trainJob path', () => {
    const r = rig();
    const tags = (): AnyJson => r.call('GET', `${V2}/modelarts-training-job/${SAVE_TARGET}/tags`).body.tags;
    assert.deepEqual(tags(), [
      { key: '111', value: 'v2' },
      { key: 'k3', value: 'v2' },
      { key: 'team', value: 'vision' },
    ]);
    const add = r.call('POST', `${V2}/modelarts-training-job/${SAVE_TARGET}/tags/create`, { body: { tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'nlp' }] } });
    assert.equal(add.status, 204);
    assert.equal(add.body, undefined);
    assert.deepEqual(tags(), [
      { key: '111', value: 'v2' },
      { key: 'k3', value: 'v2' },
      { key: 'team', value: 'nlp' },
      { key: 'env', value: 'dev' },
    ]);
    const del = r.call('DELETE', `${V2}/modelarts-trainJob/${SAVE_TARGET}/tags/delete`, { body: fixture('training-job-tags.delete.request.json') });
    assert.equal(del.status, 204);
    assert.deepEqual(tags(), [
      { key: 'team', value: 'nlp' },
      { key: 'env', value: 'dev' },
    ]);
    assert.deepEqual(r.call('GET', `${V2}/modelarts-trainJob/${SAVE_TARGET}/tags`).body.tags, tags());
  });

  it('validates keys and values and caps a job at 20 tags', () => {
    const r = rig();
    const id = create(r, 'tag-limits').metadata.id;
    const post = (tags: unknown): Reply => r.call('POST', `${V2}/modelarts-training-job/${id}/tags/create`, { body: { tags } });
    expectError(post([{ key: 'k'.repeat(129), value: 'v' }]), 400, 'ModelArts.2788', 'tags[0].key');
    expectError(post([{ key: '', value: 'v' }]), 400, 'ModelArts.2788', 'tags[0].key');
    expectError(post([{ key: 'a/b', value: 'v' }]), 400, 'ModelArts.2788', 'tags[0].key');
    expectError(post([{ key: 'ok', value: 'v'.repeat(256) }]), 400, 'ModelArts.2788', 'tags[0].value');
    expectError(post([{ key: 'ok' }]), 400, 'ModelArts.2788', 'tags[0].value');
    expectError(post([]), 400, 'ModelArts.2788', 'tags');
    assert.equal(post([{ key: 'k'.repeat(128), value: 'v'.repeat(255) }]).status, 204);
    assert.equal(post(Array.from({ length: 19 }, (_, i) => ({ key: `k${i}`, value: 'v' }))).status, 204);
    expectError(post([{ key: 'one-too-many', value: 'v' }]), 400, 'ModelArts.2788', '20');
    assert.equal(r.call('GET', `${V2}/modelarts-training-job/${id}/tags`).body.tags.length, 20);
  });
});

describe('emulator training: save image', () => {
  it("the manual's request (tag 0.1 as a number) gives 201 INIT, then CREATING with a growing message, then ACTIVE with the SWR path", async () => {
    const r = rig();
    const path = `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-0/save-image-job`;
    const created = r.call('POST', path, { body: fixture('save-image-job.create.request.json') });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, {
      name: 'imagesave',
      namespace: 'dev',
      tag: '0.1',
      description: 'hello world!',
      status: 'INIT',
      message: '',
      create_time: r.clock.now(),
    });
    const statuses: string[] = [];
    let message = '';
    let lines = 0;
    for (let i = 0; i < 40; i++) {
      await r.advance(SAVE_IMAGE_TIMINGS.lineMs);
      const now = r.call('GET', path).body;
      statuses.push(now.status);
      assert.ok(now.message.startsWith(message), 'the message only grows');
      const count = now.message === '' ? 0 : now.message.split('\n').length;
      assert.ok(count >= lines);
      if (now.status === 'CREATING') assert.ok(count > lines || now.message === message);
      message = now.message;
      lines = count;
      if (now.status === 'ACTIVE') break;
    }
    assert.equal(statuses[statuses.length - 1], 'ACTIVE');
    assert.ok(statuses.includes('CREATING'));
    assert.ok(lines > 5, `only ${lines} lines`);
    assert.ok(message.split('\n').pop()!.includes('swr.cn-north-4.myhuaweicloud.com/dev/imagesave:0.1'), message);
    assert.equal(r.call('GET', path).body.status, 'ACTIVE');
    // Once finished, a new save may start.
    assert.equal(r.call('POST', path, { body: { name: 'imagesave', namespace: 'dev' } }).body.tag, 'latest');
  });

  it('validates name, namespace, tag and description, naming the field', () => {
    const r = rig();
    const path = `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-0/save-image-job`;
    const post = (body: AnyJson): Reply => r.call('POST', path, { body });
    expectError(post({ namespace: 'dev' }), 400, 'ModelArts.2788', 'name');
    expectError(post({ name: 'UpperCase', namespace: 'dev' }), 400, 'ModelArts.2788', 'name');
    expectError(post({ name: 'a'.repeat(513), namespace: 'dev' }), 400, 'ModelArts.2788', 'name');
    expectError(post({ name: 'img' }), 400, 'ModelArts.2788', 'namespace');
    expectError(post({ name: 'img', namespace: 'dev', tag: 'v1/2' }), 400, 'ModelArts.2788', 'tag');
    expectError(post({ name: 'img', namespace: 'dev', tag: 't'.repeat(65) }), 400, 'ModelArts.2788', 'tag');
    expectError(post({ name: 'img', namespace: 'dev', description: 'd'.repeat(513) }), 400, 'ModelArts.2788', 'description');
    expectError(r.call('POST', `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-9/save-image-job`, { body: { name: 'img', namespace: 'dev' } }), 400, 'ModelArts.2788', 'worker-9');
    expectError(r.call('GET', path), 400, 'ModelArts.0107', 'No save-image job');
    const ok = post({ name: 'a'.repeat(512), namespace: 'dev', tag: 'V1.0_rc-1' });
    assert.equal(ok.status, 201);
    expectError(post({ name: 'img', namespace: 'dev' }), 400, 'ModelArts.0107', 'INIT');
  });

  it('follows SWR\'s organization rule for the namespace: a letter first, a letter or digit last, no separators together but "__"', () => {
    const r = rig();
    const path = `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-0/save-image-job`;
    const post = (namespace: string): Reply => r.call('POST', path, { body: { name: 'img', namespace } });
    for (const refused of ['1a', 'a.', 'a._b', 'a-.b', 'a___b', `a${'b'.repeat(64)}`]) expectError(post(refused), 400, 'ModelArts.2788', 'namespace');
    const accepted = post('a__b');
    assert.equal(accepted.status, 201);
    assert.equal(accepted.body.namespace, 'a__b');
  });

  it('only a Running job can save its image; the message names the phase', () => {
    const r = rig();
    expectError(
      r.call('POST', `${V2}/training-jobs/${ABNORMAL}/tasks/worker-0/save-image-job`, { body: { name: 'img', namespace: 'dev' } }),
      400,
      'ModelArts.0107',
      'Abnormal',
    );
    const id = create(r, 'not-running').metadata.id;
    expectError(r.call('POST', `${V2}/training-jobs/${id}/tasks/worker-0/save-image-job`, { body: { name: 'img', namespace: 'dev' } }), 400, 'ModelArts.0107', 'Creating');
  });

  it('failNextSaveImage makes the next build end CREATE_FAILED with the reason', async () => {
    const r = rig();
    r.family.failNextSaveImage(SAVE_TARGET, 'worker-0', 'no space left on device');
    const path = `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-0/save-image-job`;
    assert.equal(r.call('POST', path, { body: { name: 'img', namespace: 'dev' } }).status, 201);
    await r.advance(60_000);
    const failed = r.call('GET', path).body;
    assert.equal(failed.status, 'CREATE_FAILED');
    assert.ok(failed.message.endsWith('ERROR: no space left on device'), failed.message);
    assert.equal(r.call('POST', path, { body: { name: 'img', namespace: 'dev' } }).status, 201, 'the failure was for one build only');
    await r.advance(60_000);
    assert.equal(r.call('GET', path).body.status, 'ACTIVE');
  });
});

describe('emulator training: log preview', () => {
  it('is empty with sizes 0 before the job runs, then grows while it runs; unknown task is 400', async () => {
    const r = rig();
    const id = create(r, 'logs-grow').metadata.id;
    assert.deepEqual(preview(r, id), { content: '', current_size: 0, full_size: 0 });
    await r.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 10_000);
    const first = preview(r, id);
    assert.ok(first.content.includes('[worker-0] epoch 1/1 step 001/500 loss='), first.content);
    assert.equal(first.current_size, Buffer.byteLength(first.content));
    assert.equal(first.full_size, first.current_size);
    await r.advance(10_000);
    const second = preview(r, id);
    assert.ok(second.full_size > first.full_size);
    assert.ok(second.content.startsWith(first.content));
    expectError(r.call('GET', `${V2}/training-jobs/${id}/tasks/worker-7/logs/preview`), 400, 'ModelArts.2788', 'worker-7');
  });

  it('a follower resuming from its byte cursor sees every line exactly once, whatever the poll gaps', async () => {
    const r = rig();
    const id = (await runningJob(r, 'follow-me')).metadata.id;
    let cursor = 0;
    let seen = '';
    for (const gap of [1_000, 3_000, 500, 20_000, 7_000, 1_500, 45_000]) {
      await r.advance(gap);
      const p = preview(r, id);
      const windowStart = p.full_size - p.current_size;
      assert.ok(cursor >= windowStart, 'the log is still inside the window');
      seen += Buffer.from(p.content, 'utf8').subarray(cursor - windowStart).toString('utf8');
      cursor = p.full_size;
    }
    const full = preview(r, id).content;
    assert.equal(seen, full);
    const steps = seen
      .split('\n')
      .map((line) => STEP_OF_LINE.exec(line)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number);
    assert.ok(steps.length > 100, `${steps.length} steps`);
    steps.forEach((step, i) => assert.equal(step, i + 1, 'consecutive steps, none lost or repeated'));
  });

  it('with more than 5 MB appended the window is exactly the newest 5 MB; full_size counts every byte', () => {
    const r = rig();
    r.family.setLogRate(SAVE_TARGET, 0);
    const before = preview(r, SAVE_TARGET);
    assert.equal(before.full_size, before.current_size, 'small enough to be whole');
    const big = Array.from({ length: 300_000 }, (_, i) => `appended line ${String(i).padStart(7, '0')}\n`).join('');
    r.family.appendLog(SAVE_TARGET, 'worker-0', big);
    const after = preview(r, SAVE_TARGET);
    const whole = Buffer.from(before.content + big, 'utf8');
    assert.equal(after.full_size, whole.length);
    assert.equal(after.current_size, MIB5);
    assert.equal(PREVIEW_WINDOW_BYTES, MIB5);
    assert.equal(after.content, whole.subarray(whole.length - MIB5).toString('utf8'));
    assert.equal(after.full_size - after.current_size, whole.length - MIB5, 'window start');
  });

  it('cuts the window forward to a UTF-8 character boundary', () => {
    const r = rig('empty');
    const id = create(r, 'utf8-cut').metadata.id;
    r.family.setLogRate(id, 0);
    // 'é' is two bytes starting at odd offsets here, so the window's first byte is a continuation byte.
    const text = `a${'é'.repeat(MIB5 / 2 + 10)}b`;
    r.family.appendLog(id, 'worker-0', text);
    const p = preview(r, id);
    const total = Buffer.byteLength(text);
    assert.equal(p.full_size, total);
    assert.equal(p.current_size, MIB5 - 1);
    assert.equal(Buffer.byteLength(p.content), p.current_size);
    assert.ok(p.content.startsWith('é') && p.content.endsWith('éb'));
    assert.ok(!p.content.includes('\uFFFD'));
  });

  it('takes a million lines and a single 1 MB line', () => {
    const r = rig('empty');
    const id = create(r, 'log-flood').metadata.id;
    r.family.setLogRate(id, 0);
    const million = Array.from({ length: 1_000_000 }, (_, i) => `l${i}\n`).join('');
    r.family.appendLog(id, 'worker-0', million);
    const p1 = preview(r, id);
    assert.equal(p1.full_size, Buffer.byteLength(million));
    assert.equal(p1.current_size, MIB5);
    assert.ok(p1.content.endsWith('l999999\n'));
    const huge = `${'x'.repeat(1024 * 1024)}\n`;
    r.family.appendLog(id, 'worker-0', huge);
    const p2 = preview(r, id);
    assert.equal(p2.full_size, p1.full_size + huge.length);
    assert.equal(p2.current_size, MIB5);
    assert.ok(p2.content.endsWith(huge));
  });

  it('a read after 20 hours of silence shows exactly what a follower reading every 20 minutes sees', async () => {
    const often = rig();
    const once = rig();
    let last = preview(often, SAVE_TARGET);
    for (let read = 0; read < 60; read++) {
      await often.advance(20 * 60_000);
      last = preview(often, SAVE_TARGET);
    }
    await once.advance(60 * 20 * 60_000);
    const skipped = preview(once, SAVE_TARGET);
    assert.ok(skipped.full_size > 2.5 * MIB5, `only ${skipped.full_size} bytes`);
    assert.equal(skipped.current_size, MIB5);
    assert.equal(skipped.full_size, last.full_size);
    assert.equal(skipped.content, last.content);
  });

  it('generated lines have the sizes the skip arithmetic assumes', () => {
    const source = trainingLineMaker(12345, 'worker-10', 20);
    const at = Date.UTC(2026, 4, 17, 3, 4, 5, 67);
    let total = 0;
    for (const start of [0, 9_950, 1_000_000]) {
      for (let i = start; i < start + 1_000; i++) {
        const size = Buffer.byteLength(source.line(i, at + i * 500));
        assert.equal(size, source.bytes!(i, i + 1), `line ${i}`);
        assert.ok(size >= source.minLineBytes!);
        total += size;
      }
    }
    assert.equal(total, source.bytes!(0, 1_000) + source.bytes!(9_950, 10_950) + source.bytes!(1_000_000, 1_001_000));
  });

  it('setLogRate changes how fast a running task writes', async () => {
    const r = rig();
    const id = (await runningJob(r, 'rate-me')).metadata.id;
    r.family.setLogRate(id, 0);
    const frozen = preview(r, id).full_size;
    await r.advance(30_000);
    assert.equal(preview(r, id).full_size, frozen);
    r.family.setLogRate(id, 10);
    await r.advance(10_000);
    const p = preview(r, id);
    const added = Buffer.from(p.content, 'utf8')
      .subarray(frozen - (p.full_size - p.current_size))
      .toString('utf8');
    assert.equal(added.split('\n').filter((l) => STEP_OF_LINE.test(l)).length, 100, '10 lines a second for 10 seconds');
  });
});

describe('emulator training: logs url, metrics, events, tasks, stages, catalogues', () => {
  it('logs/url gives a temporary https link; octet-stream asks for a download', () => {
    const r = rig();
    const url = r.call('GET', `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-0/logs/url`).body.obs_url as string;
    assert.match(url, /^https:\/\/.+\/2cd88daa-31a4-40a8-a58f-d186b0e93e4f\/worker-0\.log\?.*Expires=\d+/);
    assert.ok(!url.includes('attachment'));
    const download = r.call('GET', `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-0/logs/url`, { headers: { 'content-type': 'application/octet-stream' } }).body.obs_url;
    assert.ok(String(download).includes('attachment'));
    expectError(r.call('GET', `${V2}/training-jobs/${SAVE_TARGET}/tasks/worker-3/logs/url`), 400, 'ModelArts.2788', 'worker-3');
  });

  it('metrics: one value a minute while running, GPU metrics for a GPU flavor', async () => {
    const r = rig();
    const id = create(r, 'metrics-job', { flavor: 'modelarts.p3.large.ex' }).metadata.id;
    const metrics = (): AnyJson => r.call('GET', `${V2}/training-jobs/${id}/metrics/worker-0`).body.metrics;
    assert.deepEqual(metrics().map((m: AnyJson) => m.metric), ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage']);
    assert.ok(metrics().every((m: AnyJson) => m.value.length === 0));
    await r.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 90_000);
    assert.ok(metrics().every((m: AnyJson) => m.value.length === 2 && m.value.every((v: number) => v === -1 || (v >= 0 && v <= 100))), JSON.stringify(metrics()));
    assert.ok(metrics().every((m: AnyJson) => m.value[0] >= 0), 'the first minute always has data');
    await r.advance(TRAINING_TIMINGS.runningMs);
    assert.ok(metrics().every((m: AnyJson) => m.value.length === TRAINING_TIMINGS.runningMs / 60_000 + 1), 'no values after the run ended');
    const cpu = create(r, 'metrics-cpu').metadata.id;
    assert.deepEqual(r.call('GET', `${V2}/training-jobs/${cpu}/metrics/worker-0`).body.metrics.map((m: AnyJson) => m.metric), ['cpuUsage', 'memUsage']);
    expectError(r.call('GET', `${V2}/training-jobs/${id}/metrics/worker-5`), 400, 'ModelArts.2788', 'worker-5');
  });

  it('events: documented shape, ISO times with +08:00, filters, page-index offset, order, bad values', async () => {
    const r = rig();
    const id = (await runningJob(r, 'events-job', { nodeCount: 2 })).metadata.id;
    const events = (query: Record<string, string> = {}): Reply => r.call('GET', `${V2}/training-jobs/${id}/events`, { query });
    const all = events().body;
    assert.deepEqual(Object.keys(all).sort(), ['end_time', 'events', 'limit', 'offset', 'order', 'start_time', 'total']);
    assert.equal(all.total, 5);
    assert.equal(all.limit, 50);
    assert.equal(all.order, 'asc');
    assert.ok(all.events.every((e: AnyJson) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(e.time)));
    assert.ok(all.events.every((e: AnyJson) => ['Info', 'Warning', 'Error'].includes(e.level) && ['Job', 'Task'].includes(e.source)));
    assert.match(all.start_time, /\+08:00$/);
    assert.deepEqual(events({ pattern: 'TRAINING STARTED' }).body.events.map((e: AnyJson) => e.message), ['[worker-0] training started.', '[worker-1] training started.']);
    assert.equal(events({ source: 'Task' }).body.total, 2);
    const p0 = events({ limit: '4', offset: '0' }).body.events;
    const p1 = events({ limit: '4', offset: '1' }).body.events;
    assert.equal(p0.length, 4);
    assert.equal(p1.length, 1);
    assert.deepEqual([...p0, ...p1], all.events);
    assert.deepEqual(events({ order: 'desc' }).body.events, [...all.events].reverse());
    const t = r.clock.now();
    assert.equal(events({ start_time: String(t - 1), end_time: String(t) }).body.total, 3, 'the running events are at now');
    expectError(events({ start_time: String(t) }), 400, 'ModelArts.2788', 'start_time');
    expectError(events({ limit: '101' }), 400, 'ModelArts.2788', 'limit');
    expectError(events({ level: 'Debug' }), 400, 'ModelArts.2788', 'level');
    expectError(events({ pattern: 'p'.repeat(257) }), 400, 'ModelArts.2788', 'pattern');
  });

  it('tasks is a bare array with addresses once scheduled; stages follow the run', async () => {
    const r = rig();
    const id = create(r, 'stages-job').metadata.id;
    assert.deepEqual(r.call('GET', `${V2}/training-jobs/${id}/tasks`).body, [{ task: 'worker-0', ip: '', host_ip: '', schedule_count: 0 }]);
    const stageNames = (): string[] => r.call('GET', `${V2}/training-jobs/${id}/stages`).body.running_records[0].stages.map((s: AnyJson) => s.name);
    assert.deepEqual(stageNames(), ['scheduling']);
    await r.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs);
    const tasks = r.call('GET', `${V2}/training-jobs/${id}/tasks`).body;
    assert.equal(tasks.length, 1);
    assert.match(tasks[0].ip, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(tasks[0].host_ip, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(tasks[0].schedule_count, 1);
    assert.deepEqual(stageNames(), ['scheduling', 'preparing']);
    await r.advance(TRAINING_TIMINGS.preparingMs);
    assert.deepEqual(stageNames(), ['scheduling', 'preparing', 'running']);
    await r.advance(TRAINING_TIMINGS.runningMs);
    const stages = r.call('GET', `${V2}/training-jobs/${id}/stages`).body;
    assert.equal(stages.total_count, 1);
    assert.equal(stages.running_records[0].record_order, 1);
    assert.deepEqual(stages.running_records[0].stages.map((s: AnyJson) => [s.name, s.stage_order]), [
      ['scheduling', 1],
      ['preparing', 2],
      ['running', 3],
      ['end', 4],
    ]);
    for (const s of stages.running_records[0].stages) {
      assert.deepEqual(Object.keys(s).sort(), ['en_message', 'end_time', 'job_id', 'name', 'stage_order', 'start_time', 'sub_stages', 'zh_message']);
      assert.equal(s.job_id, id);
      assert.ok(s.end_time >= s.start_time && s.start_time > 0);
    }
  });

  it('flavors (with flavor_type filter), engines, quotas and event categories', () => {
    const r = rig();
    const flavors = r.call('GET', `${V2}/training-job-flavors`).body;
    assert.equal(flavors.total_count, flavors.flavors.length);
    const ids = flavors.flavors.map((f: AnyJson) => f.flavor_id);
    for (const id of ['modelarts.vm.cpu.2u', 'modelarts.vm.cpu.8u', 'modelarts.p3.large.public.free', 'modelarts.vm.pnt1.large.eco']) assert.ok(ids.includes(id), id);
    const cpu2 = flavors.flavors.find((f: AnyJson) => f.flavor_id === 'modelarts.vm.cpu.2u');
    assert.deepEqual(cpu2.flavor_info, { max_num: 1, cpu: { arch: 'x86', core_num: 2 }, memory: { size: 8, unit: 'GB' } });
    assert.equal(flavors.flavors.find((f: AnyJson) => f.flavor_id === 'modelarts.vm.cpu.8u').flavor_info.max_num, 16);
    const cpu = r.call('GET', `${V2}/training-job-flavors`, { query: { flavor_type: 'CPU' } }).body.flavors;
    assert.ok(cpu.length >= 2 && cpu.every((f: AnyJson) => f.flavor_type === 'CPU'));
    expectError(r.call('GET', `${V2}/training-job-flavors`, { query: { flavor_type: 'TPU' } }), 400, 'ModelArts.2788', 'flavor_type');

    const engines = r.call('GET', `${V2}/training-job-engines`).body;
    assert.equal(engines.total, engines.items.length);
    const engineIds = engines.items.map((e: AnyJson) => e.engine_id);
    for (const id of ['horovod-cp36-tf-1.16.2', 'pytorch-cp36-1.4.0-v2', 'caffe-1.0.0-python2.7']) assert.ok(engineIds.includes(id), id);
    assert.ok(engines.items.every((e: AnyJson) => typeof e.engine_name === 'string' && typeof e.image_info === 'object'));

    const quotas = r.call('GET', `${V2}/training-quotas`).body.quotas;
    assert.equal(quotas.length, 1);
    assert.equal(quotas[0].resource, 'job-num');
    const used = quotas[0].used;
    create(r, 'uses-quota');
    assert.equal(r.call('GET', `${V2}/training-quotas`).body.quotas[0].used, used + 1);

    const categories = r.call('GET', `${V2}/training-event-categories`).body['event-categories'];
    assert.deepEqual(categories.map((c: AnyJson) => c.id), ['JobStarted', 'JobCompleted', 'JobFailed', 'JobTerminated', 'JobRestarted', 'JobHanged', 'JobPreempted']);
  });
});

describe('emulator training over signed HTTP', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let training: TrainingFamily | undefined;
  before(async () => {
    ({ emu, clock } = await startTestEmulator({
      seed: 'demo',
      families: (opts) => {
        training = createTrainingFamily(opts);
        return [training, createWorkflowsFamily(opts)];
      },
    }));
  });
  after(() => emu.close());

  it("serves the manual's job as training-job.get.200.json", async () => {
    const res = await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${ABNORMAL}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, fixture('training-job.get.200.json'));
  });

  it('creates from the manual request, moves on the clock, answers 2775 and 2787 as documented', async () => {
    const res = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', { body: fixture('training-job.create.request-custom-image.json') });
    assert.equal(res.status, 201, res.text);
    const id = res.json.metadata.id;
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs);
    assert.equal((await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}`)).json.status.phase, 'Running');
    const missing = await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${MISSING}`);
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error_code, 'ModelArts.2775');
    const badJson = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', { body: '{"kind": "job",' });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json.error_code, 'ModelArts.2787');
  });

  it('searches, deletes tags with the manual body, and serves the log preview with byte sizes', async () => {
    const found = await signedFetch(emu, 'POST', '/v2/{pid}/training-job-searches', {
      body: { limit: 5, offset: 0, filters: [{ key: 'phase', operator: 'in', value: ['Running'] }] },
    });
    assert.equal(found.status, 200);
    assert.ok(found.json.items.length > 0 && found.json.items.every((j: AnyJson) => j.status.phase === 'Running'));
    const del = await signedFetch(emu, 'DELETE', `/v2/{pid}/modelarts-trainJob/${SAVE_TARGET}/tags/delete`, { body: fixture('training-job-tags.delete.request.json') });
    assert.equal(del.status, 204, del.text);
    const tags = await signedFetch(emu, 'GET', `/v2/{pid}/modelarts-training-job/${SAVE_TARGET}/tags`);
    assert.deepEqual(tags.json, { tags: [{ key: 'team', value: 'vision' }] });
    assert.ok(training);
    training.appendLog(SAVE_TARGET, 'worker-0', 'canary line ✓\n');
    const log = await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${SAVE_TARGET}/tasks/worker-0/logs/preview`);
    assert.equal(log.status, 200);
    assert.ok(log.json.content.endsWith('canary line ✓\n'));
    assert.equal(Buffer.byteLength(log.json.content), log.json.current_size);
    assert.ok(log.json.full_size >= log.json.current_size);
  });

  it("saves the image of the manual's job with the manual's body", async () => {
    const path = `/v2/{pid}/training-jobs/${SAVE_TARGET}/tasks/worker-0/save-image-job`;
    const res = await signedFetch(emu, 'POST', path, { body: fixture('save-image-job.create.request.json') });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.tag, '0.1');
    await clock.advance(60_000);
    const done = await signedFetch(emu, 'GET', path);
    assert.equal(done.json.status, 'ACTIVE');
  });
});
