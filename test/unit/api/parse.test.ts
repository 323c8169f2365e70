// Tolerant parsing: one bad item is marked and kept; only an unusable envelope throws.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AppsApi } from '../../../src/api/apps';
import { NotebooksApi, parseNotebook } from '../../../src/api/notebooks';
import { FieldReader, listItems } from '../../../src/api/parse';
import { TrainingJobsApi, parseLogPreview } from '../../../src/api/trainingJobs';
import { WorkflowsApi, parseWorkflowExecution } from '../../../src/api/workflows';
import { WorkspacesApi } from '../../../src/api/workspaces';
import { FakeHttp, PID, projectId, rejectsWith } from '../helpers/fakeHttp';

const nb = (id: string, status = 'RUNNING', name = `nb-${id}`) => ({ id, name, status });

describe('FieldReader', () => {
  it('coerces ids to text and records what is missing or unknown', () => {
    const r = new FieldReader({ id: 0, status: 'WEIRD', count: '12', flag: 'true' });
    assert.equal(r.requiredString('id'), '0');
    assert.equal(r.requiredString('name'), '');
    assert.equal(r.enumValue('status', ['A', 'B'] as const), 'WEIRD');
    assert.equal(r.number('count'), 12);
    assert.equal(r.boolean('flag'), true);
    assert.deepEqual(r.problems, ['missing name', "unknown status 'WEIRD'"]);
  });

  it('[Q12] marks a display name carrying markup, whether required or not', () => {
    const r = new FieldReader({ name: '<img src=x>', title: 'a>b', plain: 'ok' });
    assert.equal(r.label('name'), '<img src=x>');
    assert.equal(r.label('title', false), 'a>b');
    assert.equal(r.label('plain', false), 'ok');
    assert.equal(r.label('absent', false), undefined);
    assert.deepEqual(r.problems, ['name contains markup', 'title contains markup']);
  });

  it('maps a known enum value in another case only when asked', () => {
    const r = new FieldReader({ a: 'public', b: 'public' });
    assert.equal(r.enumValue('a', ['PUBLIC'] as const, { caseInsensitive: true }), 'PUBLIC');
    assert.equal(r.enumValue('b', ['PUBLIC'] as const), 'public');
    assert.deepEqual(r.problems, ["unknown b 'public'"]);
  });

  it('names nested fields with their path, and marks a non-object', () => {
    const r = new FieldReader({ lease: { type: 'FOREVER' } });
    r.nested('lease')?.enumValue('type', ['TIMING'] as const);
    assert.deepEqual(r.problems, ["unknown lease.type 'FOREVER'"]);
    assert.deepEqual(new FieldReader('text').problems, ['not an object']);
    assert.deepEqual(new FieldReader(null).problems, ['not an object']);
  });
});

describe('listItems (envelopes)', () => {
  for (const [label, body] of [
    ['an HTML page', '<html>502 Bad Gateway</html>'],
    ['null', null],
    ['an empty body', undefined],
    ['an array', []],
    ['items not a list', { data: 'x', total: 3 }],
    ['items missing with a non-zero total', { total: 3 }],
  ] as const) {
    it(`throws invalid-response for ${label}`, () => {
      assert.throws(
        () => listItems(body, 'data', 'notebooks.list', { status: 200, requestId: 'r-9' }),
        (e: unknown) => e instanceof Error && (e as { kind?: string }).kind === 'invalid-response' && /notebooks\.list/.test(e.message),
      );
    });
  }
  it('reads a missing list as empty when the count says there is nothing', () => {
    assert.deepEqual(listItems({ total: 0 }, 'data', 'op').items, []);
  });
});

describe('one malformed item among good ones marks only that item', () => {
  it('[Q12] notebooks: unknown status, missing id, missing name, not an object', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/notebooks`, {
      body: {
        current: 0,
        pages: 1,
        size: 10,
        total: 6,
        data: [nb('a'), { name: 'b', status: 'STOPPED' }, nb('c', 'WEIRD'), { id: 'd', status: 'RUNNING' }, 'junk', nb('f', 'RUNNING', '<b>x</b>')],
      },
    });
    const items = await new NotebooksApi(http, projectId).list().loadNext();
    assert.equal(items.length, 6);
    assert.deepEqual(
      items.map((i) => i.problems),
      [undefined, ['missing id'], ["unknown status 'WEIRD'"], ['missing name'], ['not an object', 'missing id', 'missing name', 'missing status'], ['name contains markup']],
    );
    assert.equal(items[2]?.status, 'WEIRD');
    // Marked, and kept as received: escaping is the view's job.
    assert.equal(items[5]?.name, '<b>x</b>');
  });

  it('[Q12] a notebook with no status at all is marked', () => {
    assert.deepEqual(parseNotebook({ id: 'x', name: 'n' }).problems, ['missing status']);
  });

  it('workspaces', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/workspaces`, {
      body: {
        total_count: 3,
        count: 3,
        workspaces: [
          { id: '0', name: 'default', status: 'NORMAL' },
          { id: 'abc', status: 'BROKEN' },
          { id: 'def', name: 'ok', status: 'DELETING' },
        ],
      },
    });
    const items = await new WorkspacesApi(http, projectId).list().loadNext();
    assert.deepEqual(
      items.map((i) => i.problems),
      [undefined, ['missing name', "unknown status 'BROKEN'"], undefined],
    );
  });

  it('[Q12] training jobs', async () => {
    const job = (id: string, phase: unknown) => ({ kind: 'job', metadata: { id, name: `job-${id}` }, status: { phase, tasks: ['worker-0'] } });
    const http = new FakeHttp().on('POST', `/v2/${PID}/training-job-searches`, {
      body: { total: 3, count: 3, items: [job('1', 'Running'), job('2', 'Exploded'), { kind: 'job', status: { phase: 'Completed' } }] },
    });
    const items = await new TrainingJobsApi(http, projectId).search().loadNext();
    assert.deepEqual(
      items.map((i) => i.problems),
      [undefined, ["unknown status.phase 'Exploded'"], ['missing metadata.id', 'missing metadata.name']],
    );
    assert.equal(items[0]?.metadata.id, '1');
  });

  it('[Q12] workflow executions: a bad step marks that step, not the execution', () => {
    const ex = parseWorkflowExecution({
      execution_id: 'e1',
      status: 'running',
      steps_execution: [
        { uuid: 's1', step_name: 'a', status: 'running' },
        { uuid: 's2', step_name: 'b', status: 'dancing' },
        { step_name: 'c', status: 'init' },
      ],
    });
    assert.equal(ex.problems, undefined);
    assert.deepEqual(
      ex.steps_execution.map((s) => s.problems),
      [undefined, ["unknown status 'dancing'"], ['missing uuid']],
    );
  });

  it('[Q12] workflows and apps', async () => {
    const http = new FakeHttp()
      .on('GET', `/v2/${PID}/workflows`, {
        body: { total: 2, count: 2, items: [{ workflow_id: 'w1', name: 'one' }, { workflow_id: 'w2', name: 'two', status: 'sleeping' }] },
      })
      .on('GET', `/v1/${PID}/app-auth/apps`, {
        body: { total_count: 2, count: 2, apps: [{ app_id: 'a1', app_name: 'one' }, { app_name: 'two', app_type: 'APIG' }] },
      });
    const workflows = await new WorkflowsApi(http, projectId).list().loadNext();
    assert.deepEqual(
      workflows.map((w) => w.problems),
      [undefined, ["unknown status 'sleeping'"]],
    );
    const apps = await new AppsApi(http, projectId).list().loadNext();
    assert.deepEqual(
      apps.map((a) => a.problems),
      [undefined, ['missing app_id']],
    );
  });

  it('training events', async () => {
    const http = new FakeHttp().on('GET', `/v2/${PID}/training-jobs/j1/events`, {
      body: { total: 2, events: [{ time: '2022-11-26T16:01:36+08:00', level: 'Info', message: 'Training job is running.', source: 'Job' }, { level: 'Loud' }] },
    });
    const events = await new TrainingJobsApi(http, projectId).events('j1').loadNext();
    assert.deepEqual(
      events.map((e) => e.problems),
      [undefined, ["unknown level 'Loud'", 'missing message']],
    );
  });

  it('an unusable list envelope from the API rejects with invalid-response', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/notebooks`, { body: '<html>gateway</html>' });
    const error = await rejectsWith(new NotebooksApi(http, projectId).list().loadNext(), 'invalid-response');
    assert.match(error.message, /notebooks\.list/);
  });

  it('an unusable single object rejects with invalid-response', async () => {
    const http = new FakeHttp().on('GET', `/v1/${PID}/notebooks/x`, { body: [1, 2] });
    await rejectsWith(new NotebooksApi(http, projectId).get('x'), 'invalid-response');
  });
});

describe('log preview', () => {
  it('reads content and sizes; the pre-2022 field name `context` too', () => {
    assert.deepEqual(parseLogPreview({ content: 'a\nb', current_size: 3, full_size: 10 }, 200, 'op'), { content: 'a\nb', current_size: 3, full_size: 10 });
    assert.deepEqual(parseLogPreview({ context: 'old' }, 200, 'op'), { content: 'old' });
  });
  it('204 or ModelArts.2776 means not ready yet', () => {
    assert.deepEqual(parseLogPreview(undefined, 204, 'op'), { content: '', notReady: true });
    assert.deepEqual(parseLogPreview({ error_code: 'ModelArts.2776', error_msg: 'not ready' }, 204, 'op'), { content: '', notReady: true });
  });
  it('an object without content is invalid', () => {
    assert.throws(() => parseLogPreview({ foo: 1 }, 200, 'op'), /no 'content'/);
  });
});
