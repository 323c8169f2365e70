// POST actions are sent once; an uncertain failure is followed by exactly one re-read before an error.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { mayHaveTakenEffect } from '../../../src/api/rereadAfterPost';
import { ModelArtsError } from '../../../src/api/errors';
import type { ApiRequest } from '../../../src/api/http';
import { NotebooksApi } from '../../../src/api/notebooks';
import { TrainingJobsApi } from '../../../src/api/trainingJobs';
import { WorkflowsApi } from '../../../src/api/workflows';
import { FakeHttp, PID, httpError, networkError, projectId } from '../helpers/fakeHttp';

const N = `/v1/${PID}/notebooks`;
const T = `/v2/${PID}/training-jobs`;
const W = `/v2/${PID}/workflows/w1/executions`;
const nb = (status: string) => ({ id: 'nb1', name: 'nb', status });
const job = (phase: string) => ({ kind: 'job', metadata: { id: 'j1', name: 'job' }, status: { phase, tasks: ['worker-0'] } });
const image = (name: string, status: string) => ({ name, namespace: 'dev', tag: 'latest', status, create_time: 1 });
const execution = (status: string, stepStatus = 'running') => ({
  execution_id: 'e1',
  status,
  steps_execution: [{ uuid: 's1', step_name: 'train', status: stepStatus, events: [] }],
  events: [],
});

interface ActionCase {
  name: string;
  postPath: string;
  getPath: string;
  run: (http: FakeHttp) => Promise<{ confirmedByReread?: true }>;
  took: unknown;
  notTook: unknown;
}

const cases: ActionCase[] = [
  {
    name: 'notebook start',
    postPath: `${N}/nb1/start`,
    getPath: `${N}/nb1`,
    run: (http) => new NotebooksApi(http, projectId).start('nb1', { durationMs: 3_600_000 }),
    took: nb('STARTING'),
    notTook: nb('STOPPED'),
  },
  {
    name: 'notebook stop',
    postPath: `${N}/nb1/stop`,
    getPath: `${N}/nb1`,
    run: (http) => new NotebooksApi(http, projectId).stop('nb1'),
    took: nb('STOPPED'),
    notTook: nb('RUNNING'),
  },
  {
    name: 'save image',
    postPath: `${T}/j1/tasks/worker-0/save-image-job`,
    getPath: `${T}/j1/tasks/worker-0/save-image-job`,
    run: (http) => new TrainingJobsApi(http, projectId).createSaveImageJob('j1', 'worker-0', { name: 'img', namespace: 'dev' }),
    took: image('img', 'CREATING'),
    notTook: image('older-image', 'ACTIVE'),
  },
  {
    name: 'training job terminate',
    postPath: `${T}/j1/actions`,
    getPath: `${T}/j1`,
    run: (http) => new TrainingJobsApi(http, projectId).terminate('j1'),
    took: job('Terminating'),
    notTook: job('Running'),
  },
  {
    name: 'execution stop',
    postPath: `${W}/e1/actions`,
    getPath: `${W}/e1`,
    run: (http) => new WorkflowsApi(http, projectId).stopExecution('w1', 'e1'),
    took: execution('stopped'),
    notTook: execution('running'),
  },
  {
    name: 'execution stop (steps still stopping)',
    postPath: `${W}/e1/actions`,
    getPath: `${W}/e1`,
    run: (http) => new WorkflowsApi(http, projectId).stopExecution('w1', 'e1'),
    took: execution('running', 'stopping'),
    notTook: execution('running', 'running'),
  },
  {
    name: 'execution rerun',
    postPath: `${W}/e1/actions`,
    getPath: `${W}/e1`,
    run: (http) => new WorkflowsApi(http, projectId).rerunExecution('w1', 'e1', { rerunSteps: ['train'] }),
    took: execution('running'),
    notTook: execution('completed'),
  },
  {
    name: 'step stop',
    postPath: `${W}/e1/step-executions/s1/actions`,
    getPath: `${W}/e1`,
    run: (http) => new WorkflowsApi(http, projectId).stepAction('w1', 'e1', 's1', 'stop'),
    took: execution('running', 'stopped'),
    notTook: execution('running', 'running'),
  },
  {
    name: 'step retry',
    postPath: `${W}/e1/step-executions/s1/actions`,
    getPath: `${W}/e1`,
    run: (http) => new WorkflowsApi(http, projectId).stepAction('w1', 'e1', 's1', 'retry'),
    took: execution('running', 'creating'),
    notTook: execution('abnormal', 'failed'),
  },
  {
    name: 'step continue',
    postPath: `${W}/e1/step-executions/s1/actions`,
    getPath: `${W}/e1`,
    run: (http) => new WorkflowsApi(http, projectId).stepAction('w1', 'e1', 's1', 'continue'),
    took: execution('running', 'running'),
    notTook: execution('running', 'wait_inputs'),
  },
];

const trail = (http: FakeHttp) => http.requests.map((r: ApiRequest) => `${r.method} ${r.path}`);

async function rejectsWithSame(promise: Promise<unknown>, expected: Error): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e === expected);
}

describe('actions: re-read after an uncertain failure', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('[Q4] 500, and the re-read shows it took: 1 POST, 1 GET, the fresh object flagged', async () => {
        const http = new FakeHttp().on('POST', c.postPath, httpError(500, 'ModelArts.7001')).on('GET', c.getPath, { body: c.took });
        const result = await c.run(http);
        assert.deepEqual(trail(http), [`POST ${c.postPath}`, `GET ${c.getPath}`]);
        assert.equal(result.confirmedByReread, true);
      });

      it('[Q4] 500, and the re-read shows it did not take: 1 POST, 1 GET, the original error', async () => {
        const error = httpError(500, 'ModelArts.7001');
        const http = new FakeHttp().on('POST', c.postPath, error).on('GET', c.getPath, { body: c.notTook });
        await rejectsWithSame(c.run(http), error);
        assert.deepEqual(trail(http), [`POST ${c.postPath}`, `GET ${c.getPath}`]);
      });

      it('[Q4] 400: thrown at once, no re-read', async () => {
        const error = httpError(400, 'ModelArts.0107');
        const http = new FakeHttp().on('POST', c.postPath, error).on('GET', c.getPath, { body: c.took });
        await rejectsWithSame(c.run(http), error);
        assert.deepEqual(trail(http), [`POST ${c.postPath}`]);
      });

      it('success: 1 POST, no re-read, no flag', async () => {
        const http = new FakeHttp().on('POST', c.postPath, { status: 201, body: c.name.startsWith('step') ? { uuid: 's1', step_name: 'train', status: 'running', events: [] } : c.took }).on('GET', c.getPath, { body: c.took });
        const result = await c.run(http);
        assert.deepEqual(trail(http), [`POST ${c.postPath}`]);
        assert.equal(result.confirmedByReread, undefined);
      });
    });
  }
});

describe('actions: which failures lead to a re-read', () => {
  const start = (http: FakeHttp) => new NotebooksApi(http, projectId).start('nb1', { durationMs: 3_600_000 });
  const setup = (failure: Error | { status: number; body: unknown }) =>
    new FakeHttp().on('POST', `${N}/nb1/start`, failure).on('GET', `${N}/nb1`, { body: nb('RUNNING') });

  for (const [label, failure] of [
    ['a connection reset', networkError('network')],
    ['a timeout', networkError('timeout')],
    ['503', httpError(503, 'APIGW.0201')],
    ['502', httpError(502, 'APIGW.0201')],
  ] as const) {
    it(`[Q4] ${label}: re-read, confirmed`, async () => {
      const http = setup(failure);
      const result = await start(http);
      assert.equal(result.confirmedByReread, true);
      assert.equal(result.status, 'RUNNING');
      assert.deepEqual(trail(http), [`POST ${N}/nb1/start`, `GET ${N}/nb1`]);
    });
  }

  it('a 2xx answer with an unusable body: re-read', async () => {
    const http = setup({ status: 200, body: '<html>ok</html>' });
    const result = await start(http);
    assert.equal(result.confirmedByReread, true);
    assert.equal(http.count('GET'), 1);
  });

  for (const [label, failure] of [
    ['401', httpError(401, 'APIGW.0301')],
    ['403', httpError(403, 'ModelArts.0108')],
    ['404', httpError(404, 'APIGW.0101')],
    ['409', httpError(409, 'ModelArts.2796')],
    ['501', httpError(501, '501')],
    ['an abort', new ModelArtsError({ kind: 'aborted', message: 'cancelled' })],
    ['a throttle', new ModelArtsError({ kind: 'throttled', status: 429, message: 'throttled, retry after 60 s' })],
  ] as const) {
    it(`[Q4] ${label}: no re-read`, async () => {
      const http = setup(failure);
      await rejectsWithSame(start(http), failure);
      assert.equal(http.count('POST'), 1);
      assert.equal(http.count('GET'), 0);
    });
  }

  it('[Q4] a failing re-read reports the original error, after exactly one GET', async () => {
    const original = httpError(500, 'ModelArts.7001');
    const http = new FakeHttp().on('POST', `${N}/nb1/start`, original).on('GET', `${N}/nb1`, httpError(503, 'APIGW.0201'));
    await rejectsWithSame(start(http), original);
    assert.deepEqual(trail(http), [`POST ${N}/nb1/start`, `GET ${N}/nb1`]);
  });

  it('a step missing from the re-read execution reports the original error', async () => {
    const original = httpError(500, 'ModelArts.7001');
    const http = new FakeHttp()
      .on('POST', `${W}/e1/step-executions/s9/actions`, original)
      .on('GET', `${W}/e1`, { body: execution('running', 'stopped') });
    await rejectsWithSame(new WorkflowsApi(http, projectId).stepAction('w1', 'e1', 's9', 'stop'), original);
    assert.equal(http.count(), 2);
  });

  it('mayHaveTakenEffect', () => {
    assert.equal(mayHaveTakenEffect(httpError(500, 'x')), true);
    assert.equal(mayHaveTakenEffect(httpError(505, 'x')), false);
    assert.equal(mayHaveTakenEffect(httpError(400, 'x')), false);
    assert.equal(mayHaveTakenEffect(networkError()), true);
    assert.equal(mayHaveTakenEffect(new Error('plain')), false);
    assert.equal(mayHaveTakenEffect(new ModelArtsError({ kind: 'invalid-input', message: 'bad' })), false);
  });
});
