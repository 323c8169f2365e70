import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { SEED_IMAGE_ID, SEED_NOTEBOOK_ID } from '../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../src/emulator/server';
import { MANUAL_SAVE_IMAGE_JOB_ID } from '../../../src/emulator/training/seed';
import { MANUAL_WORKFLOW_064_ID, SUBSCRIPTION_WORKFLOW_ID } from '../../../src/emulator/workflows/seed';
import { issueToken, passwordAuthBody, plainFetch, signedFetch, startTestEmulator, tokenFetch, type AnyJson } from '../helpers/emulatorHelpers';

// Every operation of the ModelArts API reference's training job, notebook, workflow, workspace and app chapters,
// checked over signed HTTP for its success shape and, where it names a resource, for the documented not-found answer.

const EXECUTION_064 = '918cd9bd-62dd-4179-b5f0-773dd7184a56';
const SUBSCRIPTION = '42e8a77a-512e-4d0e-a56e-4b003db82577';
const MISSING = '00000000-0000-4000-8000-000000000000';

interface RouteCase {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  status: number;
  /** Checks the success body's shape; must fail on an empty or wrong answer. */
  shape: (body: AnyJson) => void;
  /** The same call with a missing id: expected HTTP status and error code. */
  missing?: { path: string; status: number; code: string; body?: unknown };
}

const nonEmptyArray = (value: unknown, what: string): void => {
  assert.ok(Array.isArray(value), `${what} is an array`);
  assert.ok(value.length > 0, `${what} is not empty`);
};

const JOB = MANUAL_SAVE_IMAGE_JOB_ID;
const routes: RouteCase[] = [
  // Workspaces
  { method: 'GET', path: '/v1/{pid}/workspaces', status: 200, shape: (b) => (nonEmptyArray(b.workspaces, 'workspaces'), assert.equal(typeof b.total_count, 'number')) },
  {
    method: 'GET', path: '/v1/{pid}/workspaces/0', status: 200, shape: (b) => assert.equal(b.name, 'default'),
    missing: { path: `/v1/{pid}/workspaces/${'f'.repeat(32)}`, status: 400, code: 'ModelArts.7005' },
  },
  {
    method: 'GET', path: '/v1/{pid}/workspaces/0/quotas', status: 200,
    shape: (b) => assert.ok(b.quotas.some((q: AnyJson) => q.resource === 'exemlProject.gpu_duration')),
    missing: { path: `/v1/{pid}/workspaces/${'f'.repeat(32)}/quotas`, status: 400, code: 'ModelArts.7005' },
  },
  {
    method: 'PUT', path: '/v1/{pid}/workspaces/0/quotas', body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 30 }] }, status: 200,
    shape: (b) => assert.equal(b.quotas.find((q: AnyJson) => q.resource === 'exemlProject.gpu_duration').quota, 30),
    missing: { path: `/v1/{pid}/workspaces/${'f'.repeat(32)}/quotas`, status: 400, code: 'ModelArts.7005', body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 30 }] } },
  },
  // Training jobs
  { method: 'POST', path: '/v2/{pid}/training-job-searches', body: { offset: 0, limit: 10 }, status: 200, shape: (b) => (nonEmptyArray(b.items, 'items'), assert.ok(b.total >= b.items.length)) },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}`, status: 200, shape: (b) => (assert.equal(b.metadata.id, JOB), assert.ok(b.status.phase)),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/modelarts-training-job/${JOB}/tags`, status: 200, shape: (b) => nonEmptyArray(b.tags, 'tags'),
    missing: { path: `/v2/{pid}/modelarts-training-job/${MISSING}/tags`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'POST', path: `/v2/{pid}/modelarts-training-job/${JOB}/tags/create`, body: { tags: [{ key: 'stage', value: 'dev' }] }, status: 204, shape: (b) => assert.equal(b, undefined),
    missing: { path: `/v2/{pid}/modelarts-training-job/${MISSING}/tags/create`, status: 400, code: 'ModelArts.2775', body: { tags: [{ key: 'stage', value: 'dev' }] } },
  },
  {
    method: 'DELETE', path: `/v2/{pid}/modelarts-trainJob/${JOB}/tags/delete`, body: { tags: [{ key: 'stage', value: 'dev' }] }, status: 204, shape: (b) => assert.equal(b, undefined),
    missing: { path: `/v2/{pid}/modelarts-training-job/${MISSING}/tags/delete`, status: 400, code: 'ModelArts.2775', body: { tags: [{ key: 'stage' }] } },
  },
  {
    method: 'POST', path: `/v2/{pid}/training-jobs/${JOB}/tasks/worker-0/save-image-job`, body: { name: 'imagesave', namespace: 'dev', tag: 0.1, description: 'hello world!' }, status: 201,
    shape: (b) => (assert.equal(b.tag, '0.1'), assert.equal(b.status, 'INIT')),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/tasks/worker-0/save-image-job`, status: 400, code: 'ModelArts.2775', body: { name: 'x', namespace: 'dev' } },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/tasks/worker-0/save-image-job`, status: 200, shape: (b) => assert.equal(b.name, 'imagesave'),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/tasks/worker-0/save-image-job`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/tasks/worker-0/logs/preview`, status: 200,
    shape: (b) => (assert.ok(b.content.length > 0), assert.ok(b.full_size >= b.current_size && b.current_size > 0)),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/tasks/worker-0/logs/preview`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/tasks/worker-0/logs/url`, status: 200, shape: (b) => assert.match(b.obs_url, /^https?:\/\/.+[?&]Expires=\d+/),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/tasks/worker-0/logs/url`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/metrics/worker-0`, status: 200, shape: (b) => nonEmptyArray(b.metrics, 'metrics'),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/metrics/worker-0`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/events`, status: 200, shape: (b) => (nonEmptyArray(b.events, 'events'), assert.ok(b.events[0].message)),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/events`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/tasks`, status: 200, shape: (b) => (nonEmptyArray(b, 'tasks'), assert.equal(b[0].task, 'worker-0')),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/tasks`, status: 400, code: 'ModelArts.2775' },
  },
  {
    method: 'GET', path: `/v2/{pid}/training-jobs/${JOB}/stages`, status: 200, shape: (b) => nonEmptyArray(b.running_records, 'running_records'),
    missing: { path: `/v2/{pid}/training-jobs/${MISSING}/stages`, status: 400, code: 'ModelArts.2775' },
  },
  { method: 'GET', path: '/v2/{pid}/training-job-flavors', status: 200, shape: (b) => (nonEmptyArray(b.flavors, 'flavors'), assert.ok(b.flavors[0].flavor_id)) },
  { method: 'GET', path: '/v2/{pid}/training-job-engines', status: 200, shape: (b) => (nonEmptyArray(b.items, 'items'), assert.ok(b.items[0].engine_id)) },
  { method: 'GET', path: '/v2/{pid}/training-quotas', status: 200, shape: (b) => assert.equal(b.quotas[0].resource, 'job-num') },
  { method: 'GET', path: '/v2/{pid}/training-event-categories', status: 200, shape: (b) => nonEmptyArray(b['event-categories'], 'event-categories') },
  // Notebooks and images
  { method: 'GET', path: '/v1/{pid}/notebooks', status: 200, shape: (b) => (nonEmptyArray(b.data, 'data'), assert.equal(typeof b.pages, 'number'), assert.equal(typeof b.current, 'number')) },
  { method: 'GET', path: '/v1/{pid}/notebooks/all', status: 200, shape: (b) => (nonEmptyArray(b.data, 'data'), assert.ok(b.total >= b.data.length)) },
  {
    method: 'GET', path: `/v1/{pid}/notebooks/${SEED_NOTEBOOK_ID}`, status: 200, shape: (b) => assert.equal(b.name, 'notebooks_test'),
    missing: { path: `/v1/{pid}/notebooks/${MISSING}`, status: 400, code: 'ModelArts.6309' },
  },
  {
    method: 'GET', path: `/v1/{pid}/notebooks/${SEED_NOTEBOOK_ID}/lease`, status: 200, shape: (b) => assert.equal(typeof b.duration, 'number'),
    missing: { path: `/v1/{pid}/notebooks/${MISSING}/lease`, status: 400, code: 'ModelArts.6309' },
  },
  {
    method: 'GET', path: `/v1/{pid}/notebooks/${SEED_NOTEBOOK_ID}/flavors`, status: 200, shape: (b) => nonEmptyArray(b.data, 'data'),
    missing: { path: `/v1/{pid}/notebooks/${MISSING}/flavors`, status: 400, code: 'ModelArts.6309' },
  },
  { method: 'GET', path: '/v1/{pid}/notebooks/flavors', status: 200, shape: (b) => (nonEmptyArray(b.flavors, 'flavors'), assert.ok(b.flavors[0].id)) },
  { method: 'GET', path: '/v1/{pid}/notebooks/tags', status: 200, shape: (b) => assert.ok(Array.isArray(b.tags)) },
  { method: 'GET', path: '/v1/{pid}/images', status: 200, shape: (b) => (nonEmptyArray(b.data, 'data'), assert.ok(b.data[0].swr_path)) },
  { method: 'GET', path: '/v1/{pid}/images/group', status: 200, shape: (b) => nonEmptyArray(b.data, 'data') },
  {
    method: 'GET', path: `/v1/{pid}/images/${SEED_IMAGE_ID}`, status: 200, shape: (b) => assert.equal(b.id, SEED_IMAGE_ID),
    missing: { path: `/v1/{pid}/images/${MISSING}`, status: 400, code: 'ModelArts.0107' },
  },
  {
    method: 'POST', path: `/v1/{pid}/notebooks/${MISSING}/start`, query: { duration: '3600000', type: 'TIMING' }, status: 400, shape: (b) => assert.equal(b.error_code, 'ModelArts.6309'),
  },
  { method: 'POST', path: `/v1/{pid}/notebooks/${MISSING}/stop`, status: 400, shape: (b) => assert.equal(b.error_code, 'ModelArts.6309') },
  // Workflows
  { method: 'GET', path: '/v2/{pid}/workflows', status: 200, shape: (b) => (nonEmptyArray(b.items, 'items'), assert.ok(b.total >= b.count)) },
  {
    method: 'GET', path: `/v2/{pid}/workflows/${MANUAL_WORKFLOW_064_ID}`, status: 200, shape: (b) => assert.equal(b.workflow_id, MANUAL_WORKFLOW_064_ID),
    missing: { path: `/v2/{pid}/workflows/${MISSING}`, status: 400, code: 'ModelArts.7512' },
  },
  {
    method: 'GET', path: `/v2/{pid}/workflows/${MANUAL_WORKFLOW_064_ID}/executions`, status: 200, shape: (b) => (assert.equal(b.total, 1), assert.equal(b.items[0].name, 'execution-064')),
    missing: { path: `/v2/{pid}/workflows/${MISSING}/executions`, status: 400, code: 'ModelArts.7512' },
  },
  {
    method: 'GET', path: `/v2/{pid}/workflows/${MANUAL_WORKFLOW_064_ID}/executions/${EXECUTION_064}`, status: 200, shape: (b) => assert.equal(b.status, 'completed'),
    missing: { path: `/v2/{pid}/workflows/${MANUAL_WORKFLOW_064_ID}/executions/${MISSING}`, status: 400, code: 'ModelArts.7511' },
  },
  {
    method: 'GET', path: `/v2/{pid}/workflows/${MANUAL_WORKFLOW_064_ID}/step-executions`, status: 200, shape: (b) => nonEmptyArray(b.items, 'items'),
    missing: { path: `/v2/{pid}/workflows/${MISSING}/step-executions`, status: 400, code: 'ModelArts.7512' },
  },
  {
    method: 'POST', path: `/v2/{pid}/workflows/${MANUAL_WORKFLOW_064_ID}/executions/${MISSING}/actions`, body: { action_name: 'stop' }, status: 400,
    shape: (b) => assert.equal(b.error_code, 'ModelArts.7511'),
  },
  {
    method: 'GET', path: `/v2/{pid}/workflows/${SUBSCRIPTION_WORKFLOW_ID}/subscriptions/${SUBSCRIPTION}`, status: 200, shape: (b) => assert.deepEqual(b.events, ['*:failed,completed', 'job_step:stop']),
    missing: { path: `/v2/{pid}/workflows/${SUBSCRIPTION_WORKFLOW_ID}/subscriptions/${MISSING}`, status: 400, code: 'ModelArts.7519' },
  },
  // Apps
  { method: 'GET', path: '/v1/{pid}/app-auth/apps', status: 200, shape: (b) => (assert.ok(Array.isArray(b.apps)), assert.equal(typeof b.total_count, 'number')) },
];

describe('emulator: the route table of the API reference', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;

  before(async () => {
    ({ emu, clock } = await startTestEmulator());
    // Let the running demo job write some log lines and metrics first.
    await clock.advance(5 * 60_000);
  });
  after(() => emu.close());

  for (const route of routes) {
    it(`${route.method} ${route.path.replace(/[0-9a-f-]{36}/g, '{id}')}`, async () => {
      const res = await signedFetch(emu, route.method, route.path, { body: route.body, query: route.query });
      assert.equal(res.status, route.status, res.text);
      route.shape(res.json);
      if (route.missing) {
        const gone = await signedFetch(emu, route.method, route.missing.path, { body: route.missing.body ?? route.body });
        assert.equal(gone.status, route.missing.status, gone.text);
        assert.equal(gone.json.error_code, route.missing.code);
      }
    });
  }

  it('answers an unknown route and a wrong method with 404 APIGW.0101', async () => {
    const unknown = await signedFetch(emu, 'GET', '/v1/{pid}/no-such-thing');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_code, 'APIGW.0101');
    const wrongMethod = await signedFetch(emu, 'PATCH', '/v1/{pid}/workspaces');
    assert.equal(wrongMethod.status, 404);
    assert.equal(wrongMethod.json.error_code, 'APIGW.0101');
  });

  it('serves the IAM routes', async () => {
    const tokenRes = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) });
    assert.equal(tokenRes.status, 201);
    assert.ok(tokenRes.headers['x-subject-token']);
    assert.equal(tokenRes.json.token.project.id, emu.projectId);

    const projects = await signedFetch(emu, 'GET', '/v3/projects', { service: 'iam', query: { name: emu.region } });
    assert.equal(projects.status, 200);
    assert.deepEqual(projects.json.projects.map((p: AnyJson) => p.id), [emu.projectId]);
    const none = await signedFetch(emu, 'GET', '/v3/projects', { service: 'iam', query: { name: 'xx-nowhere-1' } });
    assert.deepEqual(none.json.projects, []);

    const token = await issueToken(emu);
    const sts = await tokenFetch(emu, token, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', {
      service: 'iam',
      body: { auth: { identity: { methods: ['token'], token: { id: token, duration_seconds: 900 } } } },
    });
    assert.equal(sts.status, 201, sts.text);
    assert.ok(sts.json.credential.access && sts.json.credential.secret && sts.json.credential.securitytoken);
  });

  it('lists every route of the table', () => {
    const served = new Set(emu.routes());
    for (const route of routes) {
      const pattern = route.path.replace('{pid}', '{project_id}');
      const known = [...served].some((entry) => {
        const [method, template] = entry.split(' ');
        if (method !== route.method) return false;
        const re = new RegExp('^' + template.replace(/\{\w+\}/g, '[^/]+') + '$');
        return re.test(pattern);
      });
      assert.ok(known, `${route.method} ${route.path} is registered`);
    }
    assert.ok(served.size >= 70, `the emulator serves the whole table (${served.size} routes)`);
  });
});
