import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AppsApi } from '../../../src/api/apps';
import { FakeHttp, PID, projectId, rejectsWith, throwsWith } from '../helpers/fakeHttp';

describe('AppsApi', () => {
  const app = (id: string) => ({ app_id: id, app_name: `app_${id}`, app_type: 'APIG', app_secret: 's3cret', created_at: 1 });

  it('list: GET /v1/{pid}/app-auth/apps, offset is a page index', async () => {
    const http = new FakeHttp()
      .once('GET', `/v1/${PID}/app-auth/apps`, { body: { total_count: 3, count: 2, apps: [app('1'), app('2')] } })
      .once('GET', `/v1/${PID}/app-auth/apps`, { body: { total_count: 3, count: 1, apps: [app('3')] } });
    const pager = new AppsApi(http, projectId).list({ pageSize: 2, appName: 'app', workspaceId: '0', sortBy: 'created_at', order: 'desc' });
    await pager.loadNext();
    assert.deepEqual(http.last.query, { offset: 0, limit: 2, app_name: 'app', workspace_id: '0', sort_by: 'created_at', order: 'desc' });
    assert.equal(http.last.operation, 'apps.list');
    await pager.loadNext();
    assert.equal(http.last.query?.offset, 1);
    assert.equal(pager.hasMore, false);
    assert.equal(pager.items.length, 3);
  });

  it('list: a bad workspace id or page size is refused before any request', () => {
    const http = new FakeHttp();
    const api = new AppsApi(http, projectId);
    throwsWith(() => api.list({ workspaceId: 'nope' }), 'invalid-input');
    throwsWith(() => api.list({ pageSize: 0 }), 'invalid-input');
    assert.equal(http.count(), 0);
  });

  it('create: POST /v1/{pid}/app-auth/apps, answer {"app":…}', async () => {
    const http = new FakeHttp().on('POST', `/v1/${PID}/app-auth/apps`, { body: { app: app('9') } });
    const created = await new AppsApi(http, projectId).create({ app_name: 'my_app', app_remark: 'for CI', workspace_id: '0' });
    assert.deepEqual(http.last.body, { app_name: 'my_app', app_remark: 'for CI', workspace_id: '0' });
    assert.equal(http.last.operation, 'apps.create');
    assert.notEqual(http.last.idempotent, true);
    assert.equal(created.app_id, '9');
    assert.equal(created.app_type, 'APIG');
  });

  it('create: a bad name or too long remark sends nothing; a good one sends one request', async () => {
    const http = new FakeHttp().on('POST', /app-auth/, { body: { app: app('9') } });
    const api = new AppsApi(http, projectId);
    await rejectsWith(api.create({ app_name: '' }), 'invalid-input');
    await rejectsWith(api.create({ app_name: 'x-y' }), 'invalid-input');
    await rejectsWith(api.create({ app_name: 'good_name', app_remark: 'r'.repeat(201) }), 'invalid-input');
    assert.equal(http.count(), 0);
    await api.create({ app_name: 'good_name' });
    assert.equal(http.count(), 1);
    assert.deepEqual(http.last.body, { app_name: 'good_name' });
  });

  it('get: GET /v1/{pid}/app-auth/apps/{id}; a body without `app` is invalid', async () => {
    const http = new FakeHttp().once('GET', `/v1/${PID}/app-auth/apps/a1`, { body: { app: app('a1') } }).once('GET', `/v1/${PID}/app-auth/apps/a1`, { body: {} });
    const api = new AppsApi(http, projectId);
    assert.equal((await api.get('a1')).app_id, 'a1');
    await rejectsWith(api.get('a1'), 'invalid-response');
  });
});
