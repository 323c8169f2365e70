import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NotebooksApi } from '../../../src/api/notebooks';
import type { NotebookCreateRequest } from '../../../src/api/types';
import { FakeHttp, PID, projectId, rejectsWith, throwsWith } from '../helpers/fakeHttp';

const N = `/v1/${PID}/notebooks`;
const nb = (id: string, status = 'RUNNING') => ({ id, name: `nb-${id}`, status });
const page = (ids: string[], total: number, current = 0) => ({ current, pages: Math.ceil(total / 10), size: ids.length, total, data: ids.map((id) => nb(id)) });
const lease = { create_at: 1, update_at: 2, duration: 7_200_000, enable: true, type: 'TIMING' };

function api(http: FakeHttp) {
  return new NotebooksApi(http, projectId);
}

describe('NotebooksApi.list', () => {
  it('GET /v1/{pid}/notebooks, offset = RECORD offset, total decides hasMore', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `n${i}`);
    const http = new FakeHttp()
      .once('GET', N, { body: page(ids.slice(0, 10), 25) })
      .once('GET', N, { body: page(ids.slice(10, 20), 25, 1) })
      .once('GET', N, { body: page(ids.slice(20), 25, 2) });
    const pager = api(http).list({ pageSize: 10, workspaceId: '0', status: 'RUNNING', name: 'nb' });
    const signal = new AbortController().signal;
    await pager.loadNext(signal);
    assert.deepEqual(http.last.query, { offset: 0, limit: 10, workspace_id: '0', status: 'RUNNING', name: 'nb' });
    assert.equal(http.last.signal, signal);
    assert.equal(http.last.operation, 'notebooks.list');
    await pager.loadNext();
    assert.equal(http.last.query?.offset, 10);
    assert.equal(pager.hasMore, true);
    await pager.loadNext();
    assert.equal(http.last.query?.offset, 20);
    assert.equal(pager.hasMore, false);
    assert.equal(pager.items.length, 25);
    assert.equal(pager.total, 25);
    assert.equal(http.count(), 3);
  });

  it('page size must be 10, 20 or 50; workspace id "0" or 32 chars; checked before any request', () => {
    const http = new FakeHttp();
    throwsWith(() => api(http).list({ pageSize: 25 }), 'invalid-input');
    throwsWith(() => api(http).list({ workspaceId: 'ws1' }), 'invalid-input');
    throwsWith(() => api(http).list({ name: 'n'.repeat(129) }), 'invalid-input');
    assert.equal(http.count(), 0);
    for (const size of [10, 20, 50]) api(http).list({ pageSize: size });
  });

  it('default query: offset 0, limit 20, nothing else', async () => {
    const http = new FakeHttp().on('GET', N, { body: page([], 0) });
    const pager = api(http).list();
    await pager.loadNext();
    assert.deepEqual(http.last.query, { offset: 0, limit: 20 });
    assert.equal(pager.hasMore, false);
  });
});

describe('NotebooksApi: one notebook', () => {
  it('get: GET /v1/{pid}/notebooks/{id}', async () => {
    const http = new FakeHttp().on('GET', `${N}/nb1`, { body: nb('nb1') });
    const signal = new AbortController().signal;
    const got = await api(http).get('nb1', signal);
    assert.equal(got.id, 'nb1');
    assert.equal(http.last.signal, signal);
    await rejectsWith(api(http).get(' '), 'invalid-input');
    assert.equal(http.count(), 1);
  });

  it('create: POST /v1/{pid}/notebooks with the request as given; bad input sends nothing', async () => {
    const http = new FakeHttp().on('POST', N, { body: nb('new', 'CREATING') });
    const request: NotebookCreateRequest = {
      name: 'my-notebook',
      image_id: 'e1a07296-22a8-4f05-8bc8-e936c8e54090',
      flavor: 'modelarts.vm.cpu.2u',
      volume: { category: 'EVS', ownership: 'MANAGED', capacity: 5 },
      workspace_id: '0',
      duration: 3_600_000,
    };
    const created = await api(http).create(request);
    assert.deepEqual(http.last.body, request);
    assert.equal(created.status, 'CREATING');
    for (const bad of [
      { ...request, name: 'has space' },
      { ...request, image_id: '' },
      { ...request, volume: { category: '', ownership: 'MANAGED' } },
      { ...request, description: 'a<b' },
      { ...request, workspace_id: 'x' },
      { ...request, duration: 60_000 },
      { ...request, lease: { duration: 300 * 3_600_000 } },
    ]) {
      await rejectsWith(api(http).create(bad), 'invalid-input');
    }
    assert.equal(http.count(), 1);
    await api(http).create({ ...request, duration: -1 });
    assert.equal(http.count(), 2);
  });

  it('delete: DELETE /v1/{pid}/notebooks/{id}; the DELETING object when sent back', async () => {
    const http = new FakeHttp().once('DELETE', `${N}/nb1`, { body: nb('nb1', 'DELETING') }).once('DELETE', `${N}/nb1`, { status: 204 });
    assert.equal((await api(http).delete('nb1'))?.status, 'DELETING');
    assert.equal(http.last.body, undefined);
    assert.equal(await api(http).delete('nb1'), undefined);
  });

  it('start: POST …/start?duration=&type= with no body', async () => {
    const http = new FakeHttp().on('POST', `${N}/nb1/start`, { body: nb('nb1', 'STARTING') });
    const started = await api(http).start('nb1', { durationMs: 7_200_000 });
    assert.deepEqual(http.last.query, { duration: 7_200_000, type: 'TIMING' });
    assert.equal(http.last.body, undefined);
    assert.notEqual(http.last.idempotent, true);
    assert.equal(http.last.operation, 'notebooks.start');
    assert.equal(started.status, 'STARTING');
    await api(http).start('nb1', { durationMs: 3_600_000, type: 'IDLE' });
    assert.deepEqual(http.last.query, { duration: 3_600_000, type: 'IDLE' });
  });

  it('start with no auto-stop sends duration=-1', async () => {
    const http = new FakeHttp().on('POST', `${N}/nb1/start`, { body: nb('nb1', 'STARTING') });
    await api(http).start('nb1', { durationMs: 'none' });
    assert.deepEqual(http.last.query, { duration: -1 });
  });

  it('[Q22] start: a duration outside 1–72 h, or a state that cannot start, sends nothing', async () => {
    const http = new FakeHttp().on('POST', `${N}/nb1/start`, { body: nb('nb1', 'STARTING') });
    await rejectsWith(api(http).start('nb1', { durationMs: 3_599_999 }), 'invalid-input');
    await rejectsWith(api(http).start('nb1', { durationMs: 72 * 3_600_000 + 1 }), 'invalid-input');
    await rejectsWith(api(http).start('nb1', { durationMs: 1.5 * 3_600_000 + 0.5 }), 'invalid-input');
    await rejectsWith(api(http).start('nb1', { durationMs: 3_600_000, currentStatus: 'RUNNING' }), 'invalid-input');
    assert.equal(http.count(), 0);
    await api(http).start('nb1', { durationMs: 72 * 3_600_000, currentStatus: 'STOPPED' });
    assert.equal(http.count(), 1);
  });

  it('stop: POST …/stop with no body; a stopped notebook is refused first', async () => {
    const http = new FakeHttp().on('POST', `${N}/nb1/stop`, { body: nb('nb1', 'STOPPING') });
    await rejectsWith(api(http).stop('nb1', { currentStatus: 'STOPPED' }), 'invalid-input');
    assert.equal(http.count(), 0);
    const stopped = await api(http).stop('nb1', { currentStatus: 'RUNNING' });
    assert.equal(http.last.body, undefined);
    assert.equal(http.last.query, undefined);
    assert.equal(http.last.operation, 'notebooks.stop');
    assert.equal(stopped.status, 'STOPPING');
  });

  it('getLease: GET …/lease', async () => {
    const http = new FakeHttp().on('GET', `${N}/nb1/lease`, { body: lease });
    assert.deepEqual(await api(http).getLease('nb1'), lease);
  });

  it('renewLease: PATCH …/lease with {duration, type}; bad durations send nothing', async () => {
    const http = new FakeHttp().on('PATCH', `${N}/nb1/lease`, { body: { ...lease, duration: 10_800_000 } });
    const renewed = await api(http).renewLease('nb1', { durationMs: 10_800_000 });
    assert.deepEqual(http.last.body, { duration: 10_800_000, type: 'TIMING' });
    assert.equal(http.last.query, undefined);
    assert.equal(renewed.duration, 10_800_000);
    await rejectsWith(api(http).renewLease('nb1', { durationMs: 1000 }), 'invalid-input');
    assert.equal(http.count(), 1);
  });
});

describe('NotebooksApi: images and flavors', () => {
  it('listImages: GET /v1/{pid}/images, record offset, data/total', async () => {
    const img = (id: string) => ({ id, name: `img-${id}`, type: 'BUILD_IN', status: 'ACTIVE' });
    const http = new FakeHttp()
      .once('GET', `/v1/${PID}/images`, { body: { current: 1, pages: 2, size: 10, total: 12, data: Array.from({ length: 10 }, (_, i) => img(String(i))) } })
      .once('GET', `/v1/${PID}/images`, { body: { current: 2, pages: 2, size: 2, total: 12, data: [img('10'), img('11')] } });
    const pager = api(http).listImages({ pageSize: 10, type: 'DEDICATED', workspaceId: '0', name: 'img' });
    await pager.loadNext();
    assert.deepEqual(http.last.query, { offset: 0, limit: 10, name: 'img', type: 'DEDICATED', workspace_id: '0' });
    assert.equal(http.last.operation, 'notebooks.listImages');
    await pager.loadNext();
    assert.equal(http.last.query?.offset, 10);
    assert.equal(pager.hasMore, false);
    assert.equal(pager.items.length, 12);
    throwsWith(() => api(http).listImages({ pageSize: 200 }), 'invalid-input');
    assert.equal(http.count(), 2);
  });

  it('listFlavors: GET /v1/{pid}/notebooks/flavors; items under `flavors` or `data`', async () => {
    const flavor = { id: 'modelarts.vm.cpu.2u', name: 'CPU 2U', arch: 'x86_64', category: 'CPU', vcpus: 2, memory: 8388608, free: false, sold_out: false };
    const http = new FakeHttp()
      .once('GET', `${N}/flavors`, { body: { current: 1, pages: 1, size: 1, total: 1, flavors: [flavor] } })
      .once('GET', `${N}/flavors`, { body: { current: 1, pages: 1, size: 1, total: 1, data: [flavor] } });
    const a = await api(http).listFlavors({ category: 'CPU' });
    assert.deepEqual(http.last.query, { category: 'CPU' });
    const b = await api(http).listFlavors();
    assert.equal(http.last.query, undefined);
    assert.deepEqual(a, [flavor]);
    assert.deepEqual(b, [flavor]);
  });
});
