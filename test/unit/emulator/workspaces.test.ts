import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { SEED_IMAGE_ID } from '../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../src/emulator/server';
import { WORKSPACE_DELETE_MS } from '../../../src/emulator/workspaces';
import { signedFetch, startTestEmulator, tokenFetch, issueToken, type AnyJson, type HttpResult } from '../helpers/emulatorHelpers';

const WS = '/v1/{pid}/workspaces';
const VISION = '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b';
const NLP = 'e1f2a3b4c5d64e7f8091a2b3c4d5e6f7';

function fixture(name: string): AnyJson {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'seeds', name), 'utf8'));
}

function assertError(res: HttpResult, status: number, code: string, includes?: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json.error_code, code, res.text);
  if (includes) assert.ok(String(res.json.error_msg).includes(includes), res.json.error_msg);
}

describe('emulator workspaces', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  beforeEach(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  afterEach(() => emu.close());

  it('lists {total_count, count, workspaces}, by name descending by default; "default" matches the seed example', async () => {
    const res = await signedFetch(emu, 'GET', WS);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['count', 'total_count', 'workspaces']);
    assert.deepEqual(
      res.json.workspaces.map((w: AnyJson) => w.name),
      ['vision-team', 'ops-private', 'nlp-research', 'default'],
    );
    assert.deepEqual([res.json.total_count, res.json.count], [4, 4]);
    const expected = { ...fixture('workspaces.list.200.json').workspaces[0], id: '0' };
    assert.deepEqual(
      res.json.workspaces.find((w: AnyJson) => w.id === '0'),
      expected,
    );
  });

  it('pages by page index, sorts, filters by name and accessibility', async () => {
    const first = await signedFetch(emu, 'GET', WS, { query: { limit: 3, offset: 0, sort_by: 'name', order: 'asc' } });
    assert.deepEqual(
      first.json.workspaces.map((w: AnyJson) => w.name),
      ['default', 'nlp-research', 'ops-private'],
    );
    assert.deepEqual([first.json.count, first.json.total_count], [3, 4]);
    const second = await signedFetch(emu, 'GET', WS, { query: { limit: 3, offset: 1, sort_by: 'name', order: 'asc' } });
    assert.deepEqual(
      second.json.workspaces.map((w: AnyJson) => w.name),
      ['vision-team'],
    );
    const beyond = await signedFetch(emu, 'GET', WS, { query: { limit: 3, offset: 2 } });
    assert.deepEqual([beyond.json.count, beyond.json.workspaces.length, beyond.json.total_count], [0, 0, 4]);
    const byUpdate = await signedFetch(emu, 'GET', WS, { query: { sort_by: 'update_time', order: 'asc' } });
    const times = byUpdate.json.workspaces.map((w: AnyJson) => w.update_time);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    const fuzzy = await signedFetch(emu, 'GET', WS, { query: { name: 'TEAM' } });
    assert.deepEqual(fuzzy.json.workspaces.map((w: AnyJson) => w.id), [VISION]);
    const accessible = await signedFetch(emu, 'GET', WS, { query: { filter_accessible: 'true' } });
    assert.deepEqual(accessible.json.workspaces.map((w: AnyJson) => w.name), ['vision-team', 'nlp-research', 'default']);
    assertError(await signedFetch(emu, 'GET', WS, { query: { sort_by: 'owner' } }), 400, 'ModelArts.0107', 'sort_by');
    assertError(await signedFetch(emu, 'GET', WS, { query: { order: 'up' } }), 400, 'ModelArts.0107', 'order');
    assertError(await signedFetch(emu, 'GET', WS, { query: { limit: 'many' } }), 400, 'ModelArts.0107', 'limit');
  });

  it('gets one with grants; an unknown id is 400 ModelArts.7005', async () => {
    const res = await signedFetch(emu, 'GET', `${WS}/${NLP}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.auth_type, 'INTERNAL');
    assert.deepEqual(res.json.grants.map((g: AnyJson) => g.user_name ?? g.user_id).length, 2);
    const zero = await signedFetch(emu, 'GET', `${WS}/0`);
    assert.deepEqual(zero.json.grants, []);
    const missing = await signedFetch(emu, 'GET', `${WS}/abc`);
    assertError(missing, 400, 'ModelArts.7005');
    assert.equal(missing.json.error_msg, 'workspace:abc not existed');
  });

  it('creates a workspace (200, NORMAL, 32-hex id) and validates the body', async () => {
    const res = await signedFetch(emu, 'POST', WS, {
      body: { name: 'speech-lab', description: 'ASR', auth_type: 'internal', grants: [{ user_name: 'bob' }, { user_id: 'u1', user_name: 'ignored', user_type: 'agency' }] },
    });
    assert.equal(res.status, 200, res.text);
    const ws = res.json;
    assert.match(ws.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      { status: ws.status, auth_type: ws.auth_type, owner: ws.owner, create_time: ws.create_time, description: ws.description },
      { status: 'NORMAL', auth_type: 'INTERNAL', owner: emu.credentials.username, create_time: clock.now(), description: 'ASR' },
    );
    assert.deepEqual(ws.grants, [{ user_type: 'IAM', user_name: 'bob' }, { user_type: 'AGENCY', user_id: 'u1' }]);
    assert.equal((await signedFetch(emu, 'GET', `${WS}/${ws.id as string}`)).json.name, 'speech-lab');
    const publicWs = await signedFetch(emu, 'POST', WS, { body: { name: 'open-lab', grants: [{ user_name: 'bob' }] } });
    assert.deepEqual([publicWs.json.auth_type, publicWs.json.grants], ['PUBLIC', []]);

    const cases: Array<[unknown, string]> = [
      [{}, 'name is required'],
      [{ name: 'abc' }, 'Invalid name'],
      [{ name: 'has space' }, 'Invalid name'],
      [{ name: 'Default' }, 'reserved'],
      [{ name: 'speech-lab' }, 'already exists'],
      [{ name: 'long-desc', description: 'd'.repeat(257) }, '256'],
      [{ name: 'bad-auth', auth_type: 'SECRET' }, 'auth_type'],
      [{ name: 'bad-grant', auth_type: 'INTERNAL', grants: [{ user_type: 'IAM' }] }, 'user_id or user_name'],
    ];
    for (const [body, text] of cases) assertError(await signedFetch(emu, 'POST', WS, { body }), 400, 'ModelArts.0107', text);
  });

  it('updates a workspace: 200 {workspace_id}', async () => {
    const res = await signedFetch(emu, 'PUT', `${WS}/${VISION}`, { body: { name: 'vision-core', description: 'renamed', auth_type: 'PRIVATE' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { workspace_id: VISION });
    const got = await signedFetch(emu, 'GET', `${WS}/${VISION}`);
    assert.deepEqual([got.json.name, got.json.description, got.json.auth_type, got.json.update_time], ['vision-core', 'renamed', 'PRIVATE', clock.now()]);
    assertError(await signedFetch(emu, 'PUT', `${WS}/0`, { body: { name: 'renamed-default' } }), 400, 'ModelArts.0107', 'renamed');
    assertError(await signedFetch(emu, 'PUT', `${WS}/nope`, { body: { description: 'x' } }), 400, 'ModelArts.7005');
  });

  it('deletes: 200 {workspace_id}, DELETING, then gone (7005) after a few emulated seconds', async () => {
    const res = await signedFetch(emu, 'DELETE', `${WS}/${VISION}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { workspace_id: VISION });
    assert.equal((await signedFetch(emu, 'GET', `${WS}/${VISION}`)).json.status, 'DELETING');
    assertError(await signedFetch(emu, 'DELETE', `${WS}/${VISION}`), 400, 'ModelArts.0107', 'DELETING');
    await clock.advance(WORKSPACE_DELETE_MS);
    assertError(await signedFetch(emu, 'GET', `${WS}/${VISION}`), 400, 'ModelArts.7005');
    assert.equal((await signedFetch(emu, 'GET', WS)).json.total_count, 3);
    assertError(await signedFetch(emu, 'DELETE', `${WS}/0`), 400, 'ModelArts.0107', 'default workspace');
    assertError(await signedFetch(emu, 'DELETE', `${WS}/${VISION}`), 400, 'ModelArts.7005');
    // Other families see the workspace is gone.
    const nb = await signedFetch(emu, 'POST', '/v1/{pid}/notebooks', {
      body: { name: 'x', image_id: SEED_IMAGE_ID, volume: { category: 'EVS', ownership: 'MANAGED' }, workspace_id: VISION },
    });
    assertError(nb, 400, 'ModelArts.7005');
  });

  it('serves quotas with used_quota; the default workspace matches the seed example', async () => {
    const res = await signedFetch(emu, 'GET', `${WS}/0/quotas`);
    assert.equal(res.status, 200);
    assert.ok(res.json.quotas.length >= 3);
    for (const q of res.json.quotas) {
      assert.deepEqual(Object.keys(q).sort(), ['max_quota', 'min_quota', 'name_cn', 'name_en', 'quota', 'resource', 'unit_cn', 'unit_en', 'update_time', 'used_quota']);
      assert.equal(q.used_quota === null, q.quota === -1, q.resource);
    }
    const example = fixture('workspace-quotas.update.200.json').quotas[0];
    const gpu = res.json.quotas.find((q: AnyJson) => q.resource === 'exemlProject.gpu_duration');
    const { used_quota: used, ...rest } = gpu;
    assert.deepEqual(rest, example);
    assert.equal(typeof used, 'number');
    assertError(await signedFetch(emu, 'GET', `${WS}/nope/quotas`), 400, 'ModelArts.7005');
  });

  it('updates quotas within [min_quota, max_quota] (or -1 when allowed); the answer has no used_quota', async () => {
    const res = await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 120 }] } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.quotas.length, 1);
    assert.deepEqual(
      { quota: res.json.quotas[0].quota, update_time: res.json.quotas[0].update_time, hasUsed: 'used_quota' in res.json.quotas[0] },
      { quota: 120, update_time: clock.now(), hasUsed: false },
    );
    const after = await signedFetch(emu, 'GET', `${WS}/0/quotas`);
    assert.equal(after.json.quotas.find((q: AnyJson) => q.resource === 'exemlProject.gpu_duration').quota, 120);

    const unlimited = await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: -1 }] } });
    assert.equal(unlimited.status, 200);
    const reread = await signedFetch(emu, 'GET', `${WS}/0/quotas`);
    assert.equal(reread.json.quotas.find((q: AnyJson) => q.resource === 'exemlProject.gpu_duration').used_quota, null);

    assertError(
      await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'exemlProject.gpu_duration', quota: 60001 }] } }),
      400,
      'ModelArts.0107',
      'max_quota 60000',
    );
    assertError(await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'exemlProject', quota: -1 }] } }), 400, 'ModelArts.0107', 'min_quota is 1');
    assertError(await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'exemlProject', quota: 0 }] } }), 400, 'ModelArts.0107', 'from 1');
    assertError(await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'gpu.hours', quota: 1 }] } }), 400, 'ModelArts.0107', 'does not exist');
    assertError(await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: { quotas: [{ resource: 'exemlProject', quota: 2.5 }] } }), 400, 'ModelArts.0107', 'integer');
    assertError(await signedFetch(emu, 'PUT', `${WS}/0/quotas`, { body: {} }), 400, 'ModelArts.0107', 'quotas is required');
    // A bad item leaves the good ones unchanged.
    assertError(
      await signedFetch(emu, 'PUT', `${WS}/0/quotas`, {
        body: { quotas: [{ resource: 'exemlProject', quota: 50 }, { resource: 'exemlProject', quota: 1000 }] },
      }),
      400,
      'ModelArts.0107',
    );
    const unchanged = await signedFetch(emu, 'GET', `${WS}/0/quotas`);
    assert.equal(unchanged.json.quotas.find((q: AnyJson) => q.resource === 'exemlProject').quota, 10);
    assertError(await signedFetch(emu, 'PUT', `${WS}/nope/quotas`, { body: { quotas: [{ resource: 'exemlProject', quota: 5 }] } }), 400, 'ModelArts.7005');
  });

  it('works the same with token auth', async () => {
    const token = await issueToken(emu);
    const res = await tokenFetch(emu, token, 'GET', `${WS}/0/quotas`);
    assert.equal(res.status, 200);
    assert.ok(res.json.quotas.length > 0);
  });

  it('has only the default workspace in the empty seed', async () => {
    const empty = await startTestEmulator({ seed: 'empty' });
    try {
      const res = await signedFetch(empty.emu, 'GET', WS);
      assert.deepEqual(res.json.workspaces.map((w: AnyJson) => w.id), ['0']);
    } finally {
      await empty.emu.close();
    }
  });
});

describe('emulator APIG apps', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const APPS = '/v1/{pid}/app-auth/apps';
  beforeEach(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  afterEach(() => emu.close());

  it('lists {apps, count, total_count} with secrets, oldest first by default', async () => {
    const res = await signedFetch(emu, 'GET', APPS);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['apps', 'count', 'total_count']);
    assert.deepEqual([res.json.count, res.json.total_count], [2, 2]);
    assert.deepEqual(res.json.apps.map((a: AnyJson) => a.app_name), ['demo_inference_app', 'batch_scoring']);
    const app = res.json.apps[0];
    assert.deepEqual(Object.keys(app).sort(), [
      'app_codes',
      'app_id',
      'app_key',
      'app_name',
      'app_remark',
      'app_secret',
      'app_type',
      'bounded_api_count',
      'created_at',
      'project_id',
      'updated_at',
      'user_id',
    ]);
    assert.equal(app.project_id, emu.projectId);
    assert.ok(app.app_secret.length >= 32);
    const desc = await signedFetch(emu, 'GET', APPS, { query: { order: 'desc' } });
    assert.deepEqual(desc.json.apps.map((a: AnyJson) => a.app_name), ['batch_scoring', 'demo_inference_app']);
    const byNameAsc = await signedFetch(emu, 'GET', APPS, { query: { sort_by: 'app_name' } });
    assert.deepEqual(byNameAsc.json.apps.map((a: AnyJson) => a.app_name), ['batch_scoring', 'demo_inference_app']);
    const byName = await signedFetch(emu, 'GET', APPS, { query: { app_name: 'BATCH' } });
    assert.deepEqual(byName.json.apps.map((a: AnyJson) => a.app_name), ['batch_scoring']);
    const page = await signedFetch(emu, 'GET', APPS, { query: { limit: 1, offset: 1 } });
    assert.deepEqual([page.json.count, page.json.total_count, page.json.apps[0].app_name], [1, 2, 'batch_scoring']);
    const otherWs = await signedFetch(emu, 'GET', APPS, { query: { workspace_id: VISION } });
    assert.equal(otherWs.json.total_count, 0);
    assertError(await signedFetch(emu, 'GET', APPS, { query: { sort_by: 'secret' } }), 400, 'ModelArts.0107');
  });

  it('creates an app (200, {app}) with a generated key and secret, gets it, and answers an unknown id', async () => {
    const res = await signedFetch(emu, 'POST', APPS, { body: { app_name: 'new_app', app_remark: 'for tests', workspace_id: VISION } });
    assert.equal(res.status, 200, res.text);
    const app = res.json.app;
    assert.deepEqual(
      { name: app.app_name, remark: app.app_remark, type: app.app_type, codes: app.app_codes, created: app.created_at, count: app.bounded_api_count },
      { name: 'new_app', remark: 'for tests', type: 'APIG', codes: [], created: clock.now(), count: 0 },
    );
    assert.match(app.app_key, /^[0-9a-f]{32}$/);
    assert.match(app.app_secret, /^[0-9a-f]{64}$/);
    const got = await signedFetch(emu, 'GET', `${APPS}/${app.app_id as string}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, { app });
    assert.equal((await signedFetch(emu, 'GET', APPS, { query: { workspace_id: VISION } })).json.total_count, 1);
    assertError(await signedFetch(emu, 'GET', `${APPS}/nope`), 400, 'ModelArts.0107', 'nope');
  });

  it('validates the app body and allows at most 5 apps', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{}, 'ModelArts.0107', 'app_name is required'],
      [{ app_name: 'ab' }, 'ModelArts.0107', 'Invalid app_name'],
      [{ app_name: '9lives' }, 'ModelArts.0107', 'Invalid app_name'],
      [{ app_name: 'has-dash' }, 'ModelArts.0107', 'Invalid app_name'],
      [{ app_name: 'batch_scoring' }, 'ModelArts.0107', 'already exists'],
      [{ app_name: 'long_remark', app_remark: 'r'.repeat(201) }, 'ModelArts.0107', '200'],
      [{ app_name: 'bad_ws', workspace_id: 'x' }, 'ModelArts.0107', 'workspace_id'],
      [{ app_name: 'gone_ws', workspace_id: 'ffffffffffffffffffffffffffffffff' }, 'ModelArts.7005', 'not existed'],
    ];
    for (const [body, code, text] of cases) assertError(await signedFetch(emu, 'POST', APPS, { body }), 400, code, text);
    const chinese = await signedFetch(emu, 'POST', APPS, { body: { app_name: '推理应用' } });
    assert.equal(chinese.status, 200, chinese.text);
    for (const name of ['app_four', 'app_five']) assert.equal((await signedFetch(emu, 'POST', APPS, { body: { app_name: name } })).status, 200);
    assertError(await signedFetch(emu, 'POST', APPS, { body: { app_name: 'app_six' } }), 400, 'ModelArts.0113', '5 per user');
    assert.equal((await signedFetch(emu, 'GET', APPS)).json.total_count, 5);
  });

  it('has no apps in the empty seed', async () => {
    const empty = await startTestEmulator({ seed: 'empty' });
    try {
      const res = await signedFetch(empty.emu, 'GET', APPS);
      assert.deepEqual([res.status, res.json.total_count, res.json.apps], [200, 0, []]);
    } finally {
      await empty.emu.close();
    }
  });
});
