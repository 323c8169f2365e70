import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { WorkspacesApi } from '../../../src/api/workspaces';
import { FakeHttp, PID, projectId, rejectsWith, throwsWith } from '../helpers/fakeHttp';

const WS = '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b';
const workspace = (id: string) => ({ id, name: `ws-${id}`, status: 'NORMAL' });
const quota = { resource: 'exemlProject.gpu_duration', quota: 20, min_quota: -1, max_quota: 60000, used_quota: null };

describe('WorkspacesApi', () => {
  it('list: GET /v1/{pid}/workspaces, offset is a page index, total_count decides hasMore', async () => {
    const http = new FakeHttp()
      .once('GET', `/v1/${PID}/workspaces`, { body: { total_count: 3, count: 2, workspaces: [workspace('a'), workspace('b')] } })
      .once('GET', `/v1/${PID}/workspaces`, { body: { total_count: 3, count: 1, workspaces: [workspace('c')] } });
    const pager = new WorkspacesApi(http, projectId).list({ pageSize: 2, name: 'ws', sortBy: 'update_time', order: 'asc', filterAccessible: true });
    const controller = new AbortController();
    await pager.loadNext(controller.signal);
    assert.equal(http.last.method, 'GET');
    assert.equal(http.last.path, `/v1/${PID}/workspaces`);
    assert.deepEqual(http.last.query, { offset: 0, limit: 2, name: 'ws', sort_by: 'update_time', order: 'asc', filter_accessible: true });
    assert.equal(http.last.body, undefined);
    assert.equal(http.last.signal, controller.signal);
    assert.equal(http.last.operation, 'workspaces.list');
    assert.equal(pager.hasMore, true);
    await pager.loadNext();
    assert.deepEqual(http.last.query, { offset: 1, limit: 2, name: 'ws', sort_by: 'update_time', order: 'asc', filter_accessible: true });
    assert.equal(pager.hasMore, false);
    assert.deepEqual(
      pager.items.map((w) => w.id),
      ['a', 'b', 'c'],
    );
    assert.equal(http.count(), 2);
  });

  it('list: default page size 20, no filters sent when none are set', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/workspaces`, { body: { total_count: 0, count: 0, workspaces: [] } });
    await new WorkspacesApi(http, projectId).list().loadNext();
    assert.deepEqual(http.last.query, { offset: 0, limit: 20 });
  });

  it('list: a page size outside 1–1000 is refused before any request', () => {
    const http = new FakeHttp();
    const api = new WorkspacesApi(http, projectId);
    throwsWith(() => api.list({ pageSize: 0 }), 'invalid-input');
    throwsWith(() => api.list({ pageSize: 1001 }), 'invalid-input');
    assert.equal(http.count(), 0);
    api.list({ pageSize: 1000 });
  });

  it('get: GET /v1/{pid}/workspaces/{id}', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/workspaces/${WS}`, { body: workspace(WS) });
    const signal = new AbortController().signal;
    const ws = await new WorkspacesApi(http, projectId).get(WS, signal);
    assert.equal(ws.id, WS);
    assert.equal(http.last.signal, signal);
    assert.equal(http.last.operation, 'workspaces.get');
    assert.equal(http.last.query, undefined);
  });

  it('get: an empty id is refused before any request', async () => {
    const http = new FakeHttp().on('GET', /workspaces/, { body: workspace('0') });
    const api = new WorkspacesApi(http, projectId);
    await rejectsWith(api.get(''), 'invalid-input');
    assert.equal(http.count(), 0);
    await api.get('0');
    assert.equal(http.count(), 1);
  });

  it('ids are percent-encoded into one path segment', async () => {
    const http = new FakeHttp().on('GET', /workspaces/, { body: workspace('x') });
    await new WorkspacesApi(http, projectId).get('a/../b?c');
    assert.equal(http.last.path, `/v1/${PID}/workspaces/a%2F..%2Fb%3Fc`);
  });

  it('getQuotas: GET …/quotas', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/workspaces/0/quotas`, { body: { quotas: [quota] } });
    const quotas = await new WorkspacesApi(http, projectId).getQuotas('0');
    assert.equal(quotas[0]?.used_quota, null);
    assert.equal(http.last.operation, 'workspaces.getQuotas');
  });

  it('updateQuotas: PUT …/quotas with {"quotas":[{resource, quota}]}', async () => {
    const http = new FakeHttp().on('PUT', `/v1/${PID}/workspaces/0/quotas`, { body: { quotas: [{ ...quota, quota: 30 }] } });
    const updated = await new WorkspacesApi(http, projectId).updateQuotas('0', [{ resource: 'exemlProject.gpu_duration', quota: 30 }], { current: [quota] });
    assert.deepEqual(http.last.body, { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 30 }] });
    assert.equal(http.last.method, 'PUT');
    assert.equal(updated[0]?.quota, 30);
  });

  it('updateQuotas: a value outside the quota’s limits, a fraction, 0 or no quota at all sends nothing', async () => {
    const http = new FakeHttp().on('PUT', /quotas/, { body: { quotas: [quota] } });
    const api = new WorkspacesApi(http, projectId);
    const r = 'exemlProject.gpu_duration';
    await rejectsWith(api.updateQuotas('0', [{ resource: r, quota: 60001 }], { current: [quota] }), 'invalid-input');
    await rejectsWith(api.updateQuotas('0', [{ resource: r, quota: 1.5 }]), 'invalid-input');
    await rejectsWith(api.updateQuotas('0', [{ resource: r, quota: 0 }]), 'invalid-input');
    await rejectsWith(api.updateQuotas('0', [{ resource: '', quota: 5 }]), 'invalid-input');
    await rejectsWith(api.updateQuotas('0', []), 'invalid-input');
    assert.equal(http.count(), 0);
    await api.updateQuotas('0', [{ resource: r, quota: -1 }], { current: [quota] });
    assert.equal(http.count(), 1);
  });
});
