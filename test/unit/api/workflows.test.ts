import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StepActionName } from '../../../src/api/types';
import { WorkflowsApi } from '../../../src/api/workflows';
import { FakeHttp, PID, projectId, rejectsWith, throwsWith } from '../helpers/fakeHttp';

const W = `/v2/${PID}/workflows`;
const wf = (id: string) => ({ workflow_id: id, name: `wf-${id}`, created_at: '2022-09-09T11:28:29.639658+08:00' });
const ex = (id: string, status = 'running', steps: unknown[] = []) => ({ execution_id: id, name: `execution-${id}`, status, steps_execution: steps, events: [] });
const step = (uuid: string, status: string) => ({ uuid, step_name: `step-${uuid}`, status, events: [] });
const sub = { subscription_id: 's1', created_at: '2022-11-24T17:30:48.958322+08:00', topic_urns: ['fengbin26'], entity: 'e', events: ['*:failed,completed'] };

function api(http: FakeHttp) {
  return new WorkflowsApi(http, projectId);
}

describe('WorkflowsApi: workflows', () => {
  it('list: GET /v2/{pid}/workflows, offset = record offset as text, total decides hasMore', async () => {
    const http = new FakeHttp()
      .once('GET', W, { body: { total: 3, count: 2, items: [wf('1'), wf('2')] } })
      .once('GET', W, { body: { total: 3, count: 1, items: [wf('3')] } });
    const pager = api(http).list({ pageSize: 2, name: 'train', status: 'running', sortBy: 'create_time' });
    const signal = new AbortController().signal;
    await pager.loadNext(signal);
    assert.deepEqual(http.last.query, { offset: '0', limit: '2', name: 'train', search_type: 'contain', status: 'running', sort_by: 'create_time' });
    assert.equal(http.last.signal, signal);
    assert.equal(http.last.operation, 'workflows.list');
    await pager.loadNext();
    assert.equal(http.last.query?.offset, '2');
    assert.equal(pager.hasMore, false);
    assert.deepEqual(
      pager.items.map((w) => w.workflow_id),
      ['1', '2', '3'],
    );
  });

  it('list: no name, no search_type; page size checked before any request', async () => {
    const http = new FakeHttp().on('GET', W, { body: { total: 0, count: 0, items: [] } });
    await api(http).list().loadNext();
    assert.deepEqual(http.last.query, { offset: '0', limit: '20' });
    throwsWith(() => api(http).list({ pageSize: 0 }), 'invalid-input');
    assert.equal(http.count(), 1);
  });

  it('get: GET /v2/{pid}/workflows/{id}[?workspace_id=]', async () => {
    const http = new FakeHttp().on('GET', `${W}/w1`, { body: wf('w1') });
    assert.equal((await api(http).get('w1')).name, 'wf-w1');
    assert.equal(http.last.query, undefined);
    await api(http).get('w1', { workspaceId: '0' });
    assert.deepEqual(http.last.query, { workspace_id: '0' });
    await rejectsWith(api(http).get(''), 'invalid-input');
    assert.equal(http.count(), 2);
  });
});

describe('WorkflowsApi: executions', () => {
  it('executions: GET …/executions newest first (sort_by=create_time, order=desc), record offset', async () => {
    const http = new FakeHttp()
      .once('GET', `${W}/w1/executions`, { body: { total: 3, count: 2, items: [ex('3'), ex('2')] } })
      .once('GET', `${W}/w1/executions`, { body: { total: 3, count: 1, items: [ex('1')] } });
    const pager = api(http).executions('w1', { pageSize: 2, workspaceId: '0', status: 'running' });
    await pager.loadNext();
    assert.deepEqual(http.last.query, { offset: '0', limit: '2', workspace_id: '0', status: 'running', sort_by: 'create_time', order: 'desc' });
    assert.equal(http.last.operation, 'workflows.executions');
    await pager.loadNext();
    assert.equal(http.last.query?.offset, '2');
    assert.deepEqual(
      pager.items.map((e) => e.execution_id),
      ['3', '2', '1'],
    );
    assert.equal(pager.hasMore, false);
  });

  it('executions: bad ids or sizes are refused before any request', () => {
    const http = new FakeHttp();
    throwsWith(() => api(http).executions(''), 'invalid-input');
    throwsWith(() => api(http).executions('w1', { workspaceId: 'x' }), 'invalid-input');
    assert.equal(http.count(), 0);
  });

  it('getExecution: GET …/executions/{id}', async () => {
    const http = new FakeHttp().on('GET', `${W}/w1/executions/e1`, { body: ex('e1', 'completed') });
    assert.equal((await api(http).getExecution('w1', 'e1')).status, 'completed');
    assert.equal(http.last.operation, 'workflows.getExecution');
  });

  it('stopExecution: POST …/actions {"action_name":"stop"}; refused in a final state', async () => {
    const http = new FakeHttp().on('POST', `${W}/w1/executions/e1/actions`, { status: 201, body: ex('e1', 'stopped') });
    await rejectsWith(api(http).stopExecution('w1', 'e1', { currentStatus: 'completed' }), 'invalid-input');
    assert.equal(http.count(), 0);
    const stopped = await api(http).stopExecution('w1', 'e1', { currentStatus: 'running' });
    assert.deepEqual(http.last.body, { action_name: 'stop' });
    assert.notEqual(http.last.idempotent, true);
    assert.equal(http.last.operation, 'workflows.stopExecution');
    assert.equal(stopped.status, 'stopped');
  });

  it('rerunExecution: {"action_name":"rerun"} with policies.rerun_steps only when steps are named', async () => {
    const http = new FakeHttp().on('POST', `${W}/w1/executions/e1/actions`, { status: 201, body: ex('e1', 'running') });
    await api(http).rerunExecution('w1', 'e1');
    assert.deepEqual(http.last.body, { action_name: 'rerun' });
    await api(http).rerunExecution('w1', 'e1', { rerunSteps: ['train', 'deploy'], currentStatus: 'abnormal' });
    assert.deepEqual(http.last.body, { action_name: 'rerun', policies: { rerun_steps: ['train', 'deploy'] } });
    await rejectsWith(api(http).rerunExecution('w1', 'e1', { currentStatus: 'running' }), 'invalid-input');
    await rejectsWith(api(http).rerunExecution('w1', 'e1', { rerunSteps: [''] }), 'invalid-input');
    assert.equal(http.count(), 2);
  });
});

describe('WorkflowsApi: step actions', () => {
  const P = `${W}/w1/executions/e1/step-executions/s1/actions`;
  const cases: [StepActionName, string, string][] = [
    ['stop', 'running', 'completed'],
    ['retry', 'failed', 'running'],
    ['continue', 'wait_inputs', 'failed'],
  ];
  for (const [action, allowed, refused] of cases) {
    it(`${action}: POST …/step-executions/{id}/actions {"action_name":"${action}"}; refused in '${refused}'`, async () => {
      const http = new FakeHttp().on('POST', P, { status: 201, body: step('s1', 'running') });
      await rejectsWith(api(http).stepAction('w1', 'e1', 's1', action, { currentStatus: refused }), 'invalid-input');
      assert.equal(http.count(), 0);
      const result = await api(http).stepAction('w1', 'e1', 's1', action, { currentStatus: allowed });
      assert.equal(http.count(), 1);
      assert.equal(http.last.path, P);
      assert.deepEqual(http.last.body, { action_name: action });
      assert.equal(http.last.operation, `workflows.step.${action}`);
      assert.equal(result.uuid, 's1');
    });
  }

  it('missing ids are refused before any request', async () => {
    const http = new FakeHttp();
    await rejectsWith(api(http).stepAction('w1', 'e1', '', 'stop'), 'invalid-input');
    await rejectsWith(api(http).stepAction('w1', '', 's1', 'stop'), 'invalid-input');
    assert.equal(http.count(), 0);
  });
});

describe('WorkflowsApi: subscriptions', () => {
  const S = `${W}/w1/subscriptions`;

  it('createSubscription: POST …/subscriptions', async () => {
    const http = new FakeHttp().on('POST', S, { status: 201, body: sub });
    const created = await api(http).createSubscription('w1', { topic_urns: ['urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:alerts'], events: ['train:failed'] });
    assert.deepEqual(http.last.body, { topic_urns: ['urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:alerts'], events: ['train:failed'] });
    assert.equal(http.last.operation, 'workflows.createSubscription');
    assert.equal(created.subscription_id, 's1');
  });

  it('getSubscription: GET …/subscriptions/{id}', async () => {
    const http = new FakeHttp().on('GET', `${S}/s1`, { body: sub });
    assert.deepEqual((await api(http).getSubscription('w1', 's1')).events, ['*:failed,completed']);
  });

  it('updateSubscription: PUT …/subscriptions/{id}', async () => {
    const http = new FakeHttp().once('PUT', `${S}/s1`, { body: sub }).once('PUT', `${S}/s1`, { status: 200, body: undefined });
    const updated = await api(http).updateSubscription('w1', 's1', { topic_urns: ['fengbin26'], entity: 'e', events: ['*:failed,completed'] });
    assert.deepEqual(http.last.body, { topic_urns: ['fengbin26'], entity: 'e', events: ['*:failed,completed'] });
    assert.equal(updated?.subscription_id, 's1');
    assert.equal(await api(http).updateSubscription('w1', 's1', { topic_urns: ['fengbin26'] }), undefined);
  });

  it('deleteSubscription: DELETE …/subscriptions/{id}', async () => {
    const http = new FakeHttp().on('DELETE', `${S}/s1`, { status: 204 });
    await api(http).deleteSubscription('w1', 's1');
    assert.equal(http.last.body, undefined);
    assert.equal(http.last.operation, 'workflows.deleteSubscription');
  });

  it('bad topics or events are refused before any request', async () => {
    const http = new FakeHttp().on('POST', S, { status: 201, body: sub }).on('PUT', `${S}/s1`, { body: sub });
    await rejectsWith(api(http).createSubscription('w1', { topic_urns: [] }), 'invalid-input');
    await rejectsWith(api(http).createSubscription('w1', { topic_urns: ['bad topic'] }), 'invalid-input');
    await rejectsWith(api(http).createSubscription('w1', { topic_urns: ['t'], events: ['*:exploded'] }), 'invalid-input');
    await rejectsWith(api(http).updateSubscription('w1', 's1', { topic_urns: ['t'], events: ['no-colon'] }), 'invalid-input');
    await rejectsWith(api(http).getSubscription('w1', ''), 'invalid-input');
    assert.equal(http.count(), 0);
    await api(http).createSubscription('w1', { topic_urns: ['t'], events: ['*:failed,completed', 'job_step:stop'] });
    assert.equal(http.count(), 1);
  });
});
