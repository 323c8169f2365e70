import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TrainingJobsApi, searchHasMore } from '../../../src/api/trainingJobs';
import type { TrainingJobCreateRequest } from '../../../src/api/types';
import { FakeHttp, PID, projectId, rejectsWith, throwsWith } from '../helpers/fakeHttp';

const job = (id: string, phase = 'Running') => ({ kind: 'job', metadata: { id, name: `job-${id}` }, status: { phase, tasks: ['worker-0'] } });
const T = `/v2/${PID}/training-jobs`;
const TAGS = `/v2/${PID}/modelarts-training-job`;

function api(http: FakeHttp) {
  return new TrainingJobsApi(http, projectId);
}

describe('TrainingJobsApi.search', () => {
  it('POST /v2/{pid}/training-job-searches, idempotent, body offset = page index', async () => {
    const http = new FakeHttp()
      .once('POST', `/v2/${PID}/training-job-searches`, { body: { total: 3, count: 3, limit: 2, offset: 0, items: [job('1'), job('2')] } })
      .once('POST', `/v2/${PID}/training-job-searches`, { body: { total: 3, count: 3, limit: 2, offset: 1, items: [job('3')] } });
    const pager = api(http).search({ pageSize: 2 });
    const signal = new AbortController().signal;
    await pager.loadNext(signal);
    assert.equal(http.last.method, 'POST');
    assert.equal(http.last.idempotent, true);
    assert.equal(http.last.operation, 'trainingJobs.search');
    assert.equal(http.last.signal, signal);
    assert.deepEqual(http.last.body, { offset: 0, limit: 2 });
    assert.equal(pager.hasMore, true);
    assert.equal(pager.total, 3);
    await pager.loadNext();
    assert.deepEqual(http.last.body, { offset: 1, limit: 2 });
    assert.equal(pager.hasMore, false);
    assert.deepEqual(
      pager.items.map((j) => j.metadata.id),
      ['1', '2', '3'],
    );
  });

  it('filters: name (like), phase (in), workspace, sort', async () => {
    const http = new FakeHttp().on('POST', /training-job-searches/, { body: { total: 0, count: 0, items: [] } });
    await api(http)
      .search({ name: 'resnet', phase: ['Running', 'Pending'], workspaceId: '0', sortBy: 'create_time', order: 'asc', pageSize: 50 })
      .loadNext();
    assert.deepEqual(http.last.body, {
      offset: 0,
      limit: 50,
      workspace_id: '0',
      sort_by: 'create_time',
      order: 'asc',
      filters: [
        { key: 'name', operator: 'like', value: ['resnet'] },
        { key: 'phase', operator: 'in', value: ['Running', 'Pending'] },
      ],
    });
    await api(http).search({ phase: 'Failed' }).loadNext();
    assert.deepEqual(http.last.body, { offset: 0, limit: 20, filters: [{ key: 'phase', operator: 'in', value: ['Failed'] }] });
  });

  it('a page size over 50 or a bad workspace id is refused before any request', () => {
    const http = new FakeHttp();
    throwsWith(() => api(http).search({ pageSize: 51 }), 'invalid-input');
    throwsWith(() => api(http).search({ workspaceId: 'my-space' }), 'invalid-input');
    assert.equal(http.count(), 0);
    api(http).search({ pageSize: 50, workspaceId: '0' });
  });

  it('searchHasMore: count is the number of matching jobs; a page-length count falls back to total', () => {
    // count = matching total
    assert.equal(searchHasMore(50, 50, 50, 120, 500), true);
    assert.equal(searchHasMore(120, 20, 50, 120, 500), false);
    assert.equal(searchHasMore(100, 50, 50, 100, 500), false);
    // count = page length (the other reading): total decides
    assert.equal(searchHasMore(50, 50, 50, 50, 10000), true);
    assert.equal(searchHasMore(100, 50, 50, 50, 10000), true);
    assert.equal(searchHasMore(10000, 50, 50, 50, 10000), false);
    // short or empty pages end the list
    assert.equal(searchHasMore(30, 30, 50, 30, 10000), false);
    assert.equal(searchHasMore(50, 0, 50, 999, 999), false);
  });
});

describe('TrainingJobsApi: one job', () => {
  it('get: GET /v2/{pid}/training-jobs/{id}', async () => {
    const http = new FakeHttp().on('GET', `${T}/j1`, { body: job('j1') });
    const signal = new AbortController().signal;
    const j = await api(http).get('j1', signal);
    assert.equal(j.metadata.id, 'j1');
    assert.equal(http.last.signal, signal);
    assert.equal(http.last.operation, 'trainingJobs.get');
    await rejectsWith(api(http).get(''), 'invalid-input');
    assert.equal(http.count(), 1);
  });

  it('create: POST /v2/{pid}/training-jobs with the spec as given; a bad name sends nothing', async () => {
    const http = new FakeHttp().on('POST', T, { status: 201, body: job('new', 'Creating') });
    const spec: TrainingJobCreateRequest = { kind: 'job', metadata: { name: 'my_job-1' }, algorithm: { id: 'alg' }, spec: { resource: { flavor_id: 'f', node_count: 1 } } };
    const created = await api(http).create(spec);
    assert.deepEqual(http.last.body, spec);
    assert.notEqual(http.last.idempotent, true);
    assert.equal(created.status.phase, 'Creating');
    for (const badSpec of [
      { ...spec, metadata: { name: 'has space' } },
      { ...spec, metadata: { name: '' } },
      { ...spec, kind: '' },
      { ...spec, metadata: { name: 'ok', workspace_id: 'nope' } },
      { ...spec, metadata: { name: 'ok', description: 'd'.repeat(257) } },
    ]) {
      await rejectsWith(api(http).create(badSpec), 'invalid-input');
    }
    assert.equal(http.count(), 1);
  });

  it('delete: DELETE /v2/{pid}/training-jobs/{id}, no body', async () => {
    const http = new FakeHttp().on('DELETE', `${T}/j1`, { status: 202 });
    await api(http).delete('j1');
    assert.equal(http.last.body, undefined);
    assert.equal(http.last.operation, 'trainingJobs.delete');
  });

  it('terminate: POST …/actions {"action_type":"terminate"}, not idempotent', async () => {
    const http = new FakeHttp().on('POST', `${T}/j1/actions`, { status: 202, body: job('j1', 'Terminating') });
    const j = await api(http).terminate('j1');
    assert.deepEqual(http.last.body, { action_type: 'terminate' });
    assert.notEqual(http.last.idempotent, true);
    assert.equal(http.last.operation, 'trainingJobs.terminate');
    assert.equal(j.status.phase, 'Terminating');
    assert.equal(j.confirmedByReread, undefined);
  });
});

describe('TrainingJobsApi: algorithm.environments', () => {
  it('reads the documented list of maps and the one map of the request alike, as one map', async () => {
    const withEnv = (environments: unknown) => ({ ...job('e'), algorithm: { command: 'python t.py', environments } });
    const http = new FakeHttp()
      .once('GET', `${T}/e`, { body: withEnv([{ NCCL_DEBUG: 'INFO' }, { NCCL_IB_DISABLE: '0' }]) })
      .once('GET', `${T}/e`, { body: withEnv({ NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' }) })
      .once('GET', `${T}/e`, { body: withEnv([{ A: 1 }, 'B=2', { C: { nested: true } }]) });
    const fromList = await api(http).get('e');
    assert.deepEqual(fromList.algorithm?.environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
    assert.equal(fromList.problems, undefined);
    const fromMap = await api(http).get('e');
    assert.deepEqual(fromMap.algorithm?.environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
    assert.equal(fromMap.problems, undefined);
    // Odd entries are dropped and marked; the rest is kept.
    const odd = await api(http).get('e');
    assert.deepEqual(odd.algorithm?.environments, { A: '1' });
    assert.deepEqual(odd.problems, ['algorithm.environments is not a map or a list of maps', 'algorithm.environments.C is not text']);
  });
});

describe('TrainingJobsApi: tags', () => {
  it('getTags: GET /v2/{pid}/modelarts-training-job/{id}/tags; {key,value} and {key,values[]} both read', async () => {
    const http = new FakeHttp().on('GET', `${TAGS}/j1/tags`, { body: { tags: [{ key: 'a', value: '1' }, { key: 'b', values: ['2', '3'] }] } });
    const tags = await api(http).getTags('j1');
    assert.deepEqual(tags, [
      { key: 'a', value: '1' },
      { key: 'b', values: ['2', '3'] },
    ]);
  });

  it('addTags: POST …/tags/create {"tags":[…]}', async () => {
    const http = new FakeHttp().on('POST', `${TAGS}/j1/tags/create`, { status: 204 });
    await api(http).addTags('j1', [{ key: 'team', value: 'vision' }]);
    assert.deepEqual(http.last.body, { tags: [{ key: 'team', value: 'vision' }] });
    assert.equal(http.last.operation, 'trainingJobs.addTags');
  });

  it('removeTags: DELETE …/tags/delete with a JSON body', async () => {
    const http = new FakeHttp().on('DELETE', `${TAGS}/j1/tags/delete`, { status: 204 });
    await api(http).removeTags('j1', [{ key: 'team', value: 'vision' }]);
    assert.equal(http.last.method, 'DELETE');
    assert.deepEqual(http.last.body, { tags: [{ key: 'team', value: 'vision' }] });
  });

  it('[Q22] bad tag keys or values, or no tags, send nothing', async () => {
    const http = new FakeHttp().on('POST', /tags\/create/, { status: 204 }).on('DELETE', /tags\/delete/, { status: 204 });
    await rejectsWith(api(http).addTags('j1', [{ key: '', value: 'v' }]), 'invalid-input');
    await rejectsWith(api(http).addTags('j1', [{ key: '_sys_x', value: 'v' }]), 'invalid-input');
    await rejectsWith(api(http).addTags('j1', [{ key: 'k', value: 'v'.repeat(256) }]), 'invalid-input');
    await rejectsWith(api(http).addTags('j1', []), 'invalid-input');
    await rejectsWith(api(http).removeTags('j1', [{ key: 'a#b', value: 'v' }]), 'invalid-input');
    assert.equal(http.count(), 0);
    await api(http).addTags('j1', [{ key: 'k', value: '' }]);
    assert.equal(http.count(), 1);
  });
});

describe('TrainingJobsApi: save image', () => {
  const P = `${T}/j1/tasks/worker-0/save-image-job`;
  const saved = { name: 'img', namespace: 'dev', tag: 'latest', status: 'INIT', create_time: 1 };

  it('createSaveImageJob: POST …/tasks/{task}/save-image-job; tag defaults to latest; description only when given', async () => {
    const http = new FakeHttp().on('POST', P, { status: 201, body: saved });
    const result = await api(http).createSaveImageJob('j1', 'worker-0', { name: 'img', namespace: 'dev' });
    assert.deepEqual(http.last.body, { name: 'img', namespace: 'dev', tag: 'latest' });
    assert.notEqual(http.last.idempotent, true);
    assert.equal(http.last.operation, 'trainingJobs.createSaveImageJob');
    assert.equal(result.status, 'INIT');
    await api(http).createSaveImageJob('j1', 'worker-0', { name: 'img', namespace: 'dev', tag: 'v1', description: 'nightly' });
    assert.deepEqual(http.last.body, { name: 'img', namespace: 'dev', tag: 'v1', description: 'nightly' });
  });

  it('[Q22] every invalid field stops the request; a valid one sends exactly one', async () => {
    const http = new FakeHttp().on('POST', P, { status: 201, body: saved });
    for (const request of [
      { name: '', namespace: 'dev' },
      { name: 'Img', namespace: 'dev' },
      { name: 'i'.repeat(513), namespace: 'dev' },
      { name: 'img', namespace: '' },
      { name: 'img', namespace: '9dev' },
      { name: 'img', namespace: 'dev', tag: 'bad tag' },
      { name: 'img', namespace: 'dev', tag: 't'.repeat(65) },
      { name: 'img', namespace: 'dev', description: 'd'.repeat(513) },
    ]) {
      await rejectsWith(api(http).createSaveImageJob('j1', 'worker-0', request), 'invalid-input');
    }
    await rejectsWith(api(http).createSaveImageJob('j1', '', { name: 'img', namespace: 'dev' }), 'invalid-input');
    assert.equal(http.count(), 0);
    await api(http).createSaveImageJob('j1', 'worker-0', { name: 'img', namespace: 'dev' });
    assert.equal(http.count(), 1);
  });

  it('getSaveImageJob: GET the same path', async () => {
    const http = new FakeHttp().on('GET', P, { body: { ...saved, status: 'ACTIVE', message: 'done' } });
    const s = await api(http).getSaveImageJob('j1', 'worker-0');
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.message, 'done');
  });
});

describe('TrainingJobsApi: logs, events, tasks, flavors, engines', () => {
  it('getLogPreview: GET …/tasks/{task}/logs/preview', async () => {
    const http = new FakeHttp().on('GET', `${T}/j1/tasks/worker-0/logs/preview`, { body: { content: 'line\n', current_size: 5, full_size: 5 } });
    const preview = await api(http).getLogPreview('j1', 'worker-0');
    assert.deepEqual(preview, { content: 'line\n', current_size: 5, full_size: 5 });
    assert.equal(http.last.query, undefined);
    assert.equal(http.last.operation, 'trainingJobs.getLogPreview');
  });

  it('events: GET …/events, offset = page index, filters in the query', async () => {
    const ev = (m: string) => ({ time: '2022-11-26T16:01:36+08:00', level: 'Info', message: m, source: 'Job' });
    const http = new FakeHttp()
      .once('GET', `${T}/j1/events`, { body: { total: 3, limit: 2, offset: 0, events: [ev('a'), ev('b')] } })
      .once('GET', `${T}/j1/events`, { body: { total: 3, limit: 2, offset: 1, events: [ev('c')] } });
    const pager = api(http).events('j1', { pageSize: 2, level: 'Error', pattern: 'worker', order: 'asc', startTime: 1, endTime: 2, source: 'Job' });
    await pager.loadNext();
    assert.deepEqual(http.last.query, { offset: 0, limit: 2, level: 'Error', pattern: 'worker', order: 'asc', start_time: 1, end_time: 2, source: 'Job' });
    await pager.loadNext();
    assert.equal(http.last.query?.offset, 1);
    assert.equal(pager.hasMore, false);
    assert.deepEqual(
      pager.items.map((e) => e.message),
      ['a', 'b', 'c'],
    );
  });

  it('events: page size over 100, a lone start time or a long pattern sends nothing', () => {
    const http = new FakeHttp();
    throwsWith(() => api(http).events('j1', { pageSize: 101 }), 'invalid-input');
    throwsWith(() => api(http).events('j1', { startTime: 1 }), 'invalid-input');
    throwsWith(() => api(http).events('j1', { pattern: 'p'.repeat(257) }), 'invalid-input');
    throwsWith(() => api(http).events(''), 'invalid-input');
    assert.equal(http.count(), 0);
    api(http).events('j1', { pageSize: 100 });
  });

  it('listTasks: GET …/tasks?schedule_count=, a bare array', async () => {
    const http = new FakeHttp().on('GET', `${T}/j1/tasks`, { body: [{ task: 'worker-0', ip: '10.0.0.1', host_ip: '192.168.0.1', schedule_count: 0 }] });
    const tasks = await api(http).listTasks('j1', { scheduleCount: 0 });
    assert.deepEqual(http.last.query, { schedule_count: 0 });
    assert.deepEqual(tasks, [{ task: 'worker-0', ip: '10.0.0.1', host_ip: '192.168.0.1', schedule_count: 0 }]);
    await api(http).listTasks('j1');
    assert.equal(http.last.query, undefined);
  });

  it('listFlavors: GET /v2/{pid}/training-job-flavors?flavor_type=', async () => {
    const http = new FakeHttp().on('GET', `/v2/${PID}/training-job-flavors`, {
      body: { total_count: 1, flavors: [{ flavor_id: 'modelarts.vm.cpu.2u', flavor_name: '2 vCPUs', flavor_type: 'CPU', flavor_info: { max_num: 1 } }] },
    });
    const flavors = await api(http).listFlavors({ flavorType: 'CPU' });
    assert.deepEqual(http.last.query, { flavor_type: 'CPU' });
    assert.equal(flavors[0]?.flavor_id, 'modelarts.vm.cpu.2u');
    assert.equal(flavors[0]?.max_num, 1);
  });

  it('listEngines: GET /v2/{pid}/training-job-engines', async () => {
    const http = new FakeHttp().on('GET', `/v2/${PID}/training-job-engines`, {
      body: { total: 1, items: [{ engine_id: 'horovod-cp36-tf-1.16.2', engine_name: 'Horovod', engine_version: '0.16.2', v1_compatible: false }] },
    });
    const engines = await api(http).listEngines();
    assert.equal(engines[0]?.engine_name, 'Horovod');
    assert.equal(engines[0]?.v1_compatible, false);
    assert.equal(http.last.operation, 'trainingJobs.listEngines');
  });
});
