import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { DEMO_NOTEBOOK_IDS, NOTEBOOK_TIMINGS, SEED_IMAGE_ID, SEED_NOTEBOOK_ID } from '../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../src/emulator/server';
import { signedFetch, startTestEmulator, type AnyJson, type HttpResult } from '../helpers/emulatorHelpers';

const IDS = DEMO_NOTEBOOK_IDS;
const NB = '/v1/{pid}/notebooks';
const HOUR = 3600_000;
const OWN_DEMO_NOTEBOOKS = 10;

function fixture(name: string): AnyJson {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'seeds', name), 'utf8'));
}

function assertError(res: HttpResult, status: number, code: string, includes?: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.json.error_code, code, res.text);
  if (includes) assert.ok(String(res.json.error_msg).includes(includes), res.json.error_msg);
}

const createBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'new-notebook',
  image_id: SEED_IMAGE_ID,
  volume: { category: 'EVS', ownership: 'MANAGED', capacity: 5 },
  flavor: 'modelarts.vm.cpu.2u',
  ...overrides,
});

describe('emulator notebooks: seeded objects and reads', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  it('serves the seed manual notebook field by field (its start placed at emulator start)', async () => {
    const example = fixture('notebook.200.json');
    const res = await signedFetch(emu, 'GET', `${NB}/${SEED_NOTEBOOK_ID}`);
    assert.equal(res.status, 200);
    for (const [key, value] of Object.entries(example)) {
      if (key === 'lease') continue;
      assert.deepEqual(res.json[key], value, key);
    }
    const lease = example.lease;
    assert.equal(res.json.lease.duration, lease.duration);
    assert.equal(res.json.lease.enable, true);
    assert.equal(res.json.lease.type, 'TIMING');
    assert.equal(res.json.lease.update_at - res.json.lease.create_at, lease.update_at - lease.create_at);
    assert.equal(res.json.lease.update_at, clock.now());
    // As documented: create_at is the instance's creation, and the auto-stop comes 1 h after the start.
    assert.equal(res.json.lease.create_at, res.json.create_at);
    assert.equal(res.json.lease.create_at + res.json.lease.duration, clock.now() + HOUR);
  });

  it('lists own notebooks with {current, pages, size, total, data} and a record offset', async () => {
    const first = await signedFetch(emu, 'GET', NB, { query: { limit: 3 } });
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.json).sort(), ['current', 'data', 'pages', 'size', 'total']);
    assert.deepEqual(
      { current: first.json.current, pages: first.json.pages, size: first.json.size, total: first.json.total, n: first.json.data.length },
      { current: 0, pages: Math.ceil(OWN_DEMO_NOTEBOOKS / 3), size: 3, total: OWN_DEMO_NOTEBOOKS, n: 3 },
    );
    const second = await signedFetch(emu, 'GET', NB, { query: { limit: 3, offset: 3 } });
    assert.equal(second.json.current, 1);
    const firstIds = first.json.data.map((nb: AnyJson) => nb.id);
    for (const nb of second.json.data) assert.ok(!firstIds.includes(nb.id));
    const last = await signedFetch(emu, 'GET', NB, { query: { limit: 3, offset: 9 } });
    assert.equal(last.json.data.length, OWN_DEMO_NOTEBOOKS - 9);
    const defaults = await signedFetch(emu, 'GET', NB);
    assert.equal(defaults.json.size, 10);
    // Newest first by default.
    const created = defaults.json.data.map((nb: AnyJson) => nb.create_at);
    assert.deepEqual(created, [...created].sort((a, b) => b - a));
  });

  it('filters by status, name, workspace (workspace_id and workspaceId) and sorts by name', async () => {
    const stopped = await signedFetch(emu, 'GET', NB, { query: { status: 'STOPPED', sort_key: 'name', sort_dir: 'ASC' } });
    assert.deepEqual(
      stopped.json.data.map((nb: AnyJson) => nb.name),
      ['data-cleaning', 'tokenizer-lab', 'yolo-labeling'],
    );
    const fuzzy = await signedFetch(emu, 'GET', NB, { query: { name: 'LAB' } });
    assert.deepEqual(fuzzy.json.data.map((nb: AnyJson) => nb.name).sort(), ['tokenizer-lab', 'yolo-labeling']);
    const vision = '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b';
    const a = await signedFetch(emu, 'GET', NB, { query: { workspace_id: vision } });
    const b = await signedFetch(emu, 'GET', NB, { query: { workspaceId: vision } });
    assert.equal(a.json.total, 2);
    assert.deepEqual(a.json.data, b.json.data);
    assert.ok(a.json.data.every((nb: AnyJson) => nb.workspace_id === vision));
  });

  it('rejects a bad sort field (6303) and a bad status (0107)', async () => {
    assertError(await signedFetch(emu, 'GET', NB, { query: { sort_key: 'owner' } }), 400, 'ModelArts.6303');
    assertError(await signedFetch(emu, 'GET', NB, { query: { status: 'SLEEPING' } }), 400, 'ModelArts.0107');
    assertError(await signedFetch(emu, 'GET', NB, { query: { sort_dir: 'UP' } }), 400, 'ModelArts.0107');
  });

  it('lists every user\'s notebooks on /notebooks/all', async () => {
    const own = await signedFetch(emu, 'GET', NB, { query: { limit: 50 } });
    const all = await signedFetch(emu, 'GET', `${NB}/all`, { query: { limit: 50 } });
    assert.equal(all.status, 200);
    assert.equal(all.json.total, own.json.total + 1);
    const colleague = all.json.data.find((nb: AnyJson) => nb.id === IDS.colleagueShared);
    assert.equal(colleague.user.name, 'alice');
    assert.ok(!own.json.data.some((nb: AnyJson) => nb.id === IDS.colleagueShared));
  });

  it('shows every interesting state, SSH endpoints on running instances and failure reasons', async () => {
    const running = await signedFetch(emu, 'GET', `${NB}/${IDS.pytorchDev}`);
    assert.equal(running.json.status, 'RUNNING');
    assert.deepEqual(running.json.endpoints, [{ service: 'SSH', uri: 'ssh://ma-user@127.0.0.1:22', key_pair_names: ['KeyPair-demo'] }]);
    assert.equal(running.json.action_progress.length, 4);
    assert.ok(running.json.action_progress.every((p: AnyJson) => p.status === 'COMPLETED'));
    assert.equal(typeof running.json.token, 'string');
    assert.match(running.json.url, new RegExp(`/${IDS.pytorchDev}/lab$`));
    const stopped = await signedFetch(emu, 'GET', `${NB}/${IDS.dataCleaning}`);
    assert.equal(stopped.json.status, 'STOPPED');
    const failed = await signedFetch(emu, 'GET', `${NB}/${IDS.bertEval}`);
    assert.equal(failed.json.status, 'START_FAILED');
    assert.ok(failed.json.fail_reason.length > 0);
    assert.equal((await signedFetch(emu, 'GET', `${NB}/${IDS.llmSandbox}`)).json.status, 'CREATE_FAILED');
    assert.equal((await signedFetch(emu, 'GET', `${NB}/${IDS.legacyEnv}`)).json.status, 'ERROR');
    const noAutoStop = await signedFetch(emu, 'GET', `${NB}/${IDS.resnetFinetune}/lease`);
    assert.equal(noAutoStop.json.enable, false);
  });

  it('answers an unknown notebook with 400 ModelArts.6309 on every per-notebook route', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `${NB}/${id}`],
      ['PUT', `${NB}/${id}`, { description: 'x' }],
      ['DELETE', `${NB}/${id}`],
      ['POST', `${NB}/${id}/start`],
      ['POST', `${NB}/${id}/stop`],
      ['GET', `${NB}/${id}/lease`],
      ['PATCH', `${NB}/${id}/lease`, { duration: HOUR }],
      ['POST', `${NB}/${id}/create-image`, { name: 'x', namespace: 'y' }],
      ['GET', `${NB}/${id}/flavors`],
      ['POST', `${NB}/${id}/tags/create`, { tags: [{ key: 'a', value: 'b' }] }],
      ['DELETE', `${NB}/${id}/tags/delete`, { tags: [{ key: 'a' }] }],
    ];
    for (const [method, path, body] of routes) {
      assertError(await signedFetch(emu, method, path, { body }), 400, 'ModelArts.6309', id);
    }
  });

  it('lists flavors (all, by category) and the flavors a notebook can switch to', async () => {
    const all = await signedFetch(emu, 'GET', `${NB}/flavors`);
    assert.equal(all.status, 200);
    assert.ok(all.json.total >= 5);
    assert.deepEqual(all.json.flavors, all.json.data);
    assert.equal(all.json.current, 1);
    const cpu2 = all.json.flavors.find((f: AnyJson) => f.id === 'modelarts.vm.cpu.2u');
    assert.deepEqual(
      { arch: cpu2.arch, category: cpu2.category, vcpus: cpu2.vcpus, memory: cpu2.memory, sold_out: cpu2.sold_out },
      { arch: 'x86_64', category: 'CPU', vcpus: 2, memory: 8388608, sold_out: false },
    );
    const gpu = await signedFetch(emu, 'GET', `${NB}/flavors`, { query: { category: 'GPU' } });
    assert.ok(gpu.json.total >= 1);
    assert.ok(gpu.json.data.every((f: AnyJson) => f.category === 'GPU' && f.gpu));
    const switchable = await signedFetch(emu, 'GET', `${NB}/${IDS.dataCleaning}/flavors`);
    assert.equal(switchable.status, 200);
    assert.ok(switchable.json.total > 0);
    assert.ok(switchable.json.flavors.every((f: AnyJson) => f.arch === 'x86_64' && f.id !== 'modelarts.vm.cpu.2u'));
  });

  it('lists built-in images by default and saved ones by type, gets one, groups them', async () => {
    const builtIn = await signedFetch(emu, 'GET', '/v1/{pid}/images');
    assert.equal(builtIn.status, 200);
    assert.deepEqual(Object.keys(builtIn.json).sort(), ['current', 'data', 'pages', 'size', 'total']);
    assert.equal(builtIn.json.size, 200);
    assert.ok(builtIn.json.data.every((img: AnyJson) => img.type === 'BUILD_IN'));
    assert.ok(builtIn.json.data.some((img: AnyJson) => img.id === SEED_IMAGE_ID));
    const dedicated = await signedFetch(emu, 'GET', '/v1/{pid}/images', { query: { type: 'DEDICATED' } });
    assert.equal(dedicated.json.total, 1);
    assert.equal(dedicated.json.data[0].origin, 'IMAGE_SAVE');
    const byName = await signedFetch(emu, 'GET', '/v1/{pid}/images', { query: { name: 'pytorch' } });
    assert.deepEqual(byName.json.data.map((i: AnyJson) => i.name), ['pytorch1.8-cuda10.2-cudnn7-ubuntu18.04']);
    const exact = await signedFetch(emu, 'GET', '/v1/{pid}/images', { query: { name: 'pytorch', name_fuzzy_match: 'false' } });
    assert.equal(exact.json.total, 0);

    const one = await signedFetch(emu, 'GET', `/v1/{pid}/images/${SEED_IMAGE_ID}`);
    assert.equal(one.status, 200);
    assert.deepEqual(
      { name: one.json.name, tag: one.json.tag, swr_path: one.json.swr_path, status: one.json.status },
      {
        name: 'notebook2.0-mul-kernel-cpu-cp36',
        tag: '3.3.2-release_v1',
        swr_path: 'swr.xxxxx.com/atelier/notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1',
        status: 'ACTIVE',
      },
    );
    assertError(await signedFetch(emu, 'GET', '/v1/{pid}/images/no-such-image'), 400, 'ModelArts.0107', 'no-such-image');

    const groups = await signedFetch(emu, 'GET', '/v1/{pid}/images/group', { query: { type: 'DEDICATED' } });
    assert.equal(groups.status, 200);
    assert.deepEqual(Object.keys(groups.json.data[0]).sort(), ['create_at', 'name', 'namespace', 'update_at', 'version_count']);
    assert.equal(groups.json.data[0].name, 'my-pytorch-env');
  });

  it('registers every documented notebook and image route', () => {
    const routes = emu.routes();
    for (const r of [
      'GET /v1/{project_id}/notebooks',
      'POST /v1/{project_id}/notebooks',
      'GET /v1/{project_id}/notebooks/all',
      'GET /v1/{project_id}/notebooks/{id}',
      'PUT /v1/{project_id}/notebooks/{id}',
      'DELETE /v1/{project_id}/notebooks/{id}',
      'POST /v1/{project_id}/notebooks/{id}/start',
      'POST /v1/{project_id}/notebooks/{id}/stop',
      'GET /v1/{project_id}/notebooks/{id}/lease',
      'PATCH /v1/{project_id}/notebooks/{id}/lease',
      'POST /v1/{project_id}/notebooks/{id}/create-image',
      'GET /v1/{project_id}/notebooks/flavors',
      'GET /v1/{project_id}/notebooks/{id}/flavors',
      'GET /v1/{project_id}/images',
      'GET /v1/{project_id}/images/{image_id}',
      'GET /v1/{project_id}/images/group',
      'GET /v1/{project_id}/notebooks/tags',
      'POST /v1/{project_id}/notebooks/{resource_id}/tags/create',
      'DELETE /v1/{project_id}/notebooks/{resource_id}/tags/delete',
    ]) {
      assert.ok(routes.includes(r), r);
    }
  });
});

describe('emulator notebooks: state machine on the manual clock', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  beforeEach(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  afterEach(() => emu.close());

  const status = async (id: string): Promise<string> => (await signedFetch(emu, 'GET', `${NB}/${id}`)).json.status as string;

  it('lets the seed notebook finish starting, then auto-stops it when its lease ends', async () => {
    assert.equal(await status(SEED_NOTEBOOK_ID), 'STARTING');
    await clock.advance(NOTEBOOK_TIMINGS.startMs - 1);
    assert.equal(await status(SEED_NOTEBOOK_ID), 'STARTING');
    await clock.advance(1);
    assert.equal(await status(SEED_NOTEBOOK_ID), 'RUNNING');
    // The lease ends one hour after the start (6327212 ms from a create_at 2727212 ms ago).
    await clock.advance(HOUR - NOTEBOOK_TIMINGS.startMs);
    assert.equal(await status(SEED_NOTEBOOK_ID), 'STOPPING');
    await clock.advance(NOTEBOOK_TIMINGS.stopMs);
    assert.equal(await status(SEED_NOTEBOOK_ID), 'STOPPED');
  });

  it('creates: 200 CREATING → STARTING → RUNNING with action progress', async () => {
    const res = await signedFetch(emu, 'POST', NB, {
      body: createBody({ volume: { category: 'evs', ownership: 'managed' }, description: 'first one', endpoints: [{ service: 'SSH', key_pair_names: ['kp-1'] }] }),
    });
    assert.equal(res.status, 200, res.text);
    const nb = res.json;
    assert.equal(nb.status, 'CREATING');
    assert.deepEqual(nb.volume, { category: 'EVS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 5 });
    assert.deepEqual(nb.lease, { create_at: clock.now(), duration: HOUR, enable: true, type: 'TIMING', update_at: clock.now() });
    assert.equal(nb.action_progress[0].status, 'PROCESSING');
    assert.equal(nb.image.id, SEED_IMAGE_ID);
    assert.equal(nb.workspace_id, '0');
    assert.deepEqual(nb.endpoints, [{ service: 'SSH', key_pair_names: ['kp-1'] }]);
    await clock.advance(NOTEBOOK_TIMINGS.createMs);
    assert.equal(await status(nb.id), 'STARTING');
    await clock.advance(NOTEBOOK_TIMINGS.startMs);
    const running = await signedFetch(emu, 'GET', `${NB}/${nb.id}`);
    assert.equal(running.json.status, 'RUNNING');
    assert.equal(running.json.endpoints[0].uri, 'ssh://ma-user@127.0.0.1:22');
    assert.equal((await signedFetch(emu, 'GET', NB, { query: { name: 'new-notebook' } })).json.total, 1);
  });

  it('validates the create body', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: undefined }, 'ModelArts.0107', 'name is required'],
      [{ name: 'bad name!' }, 'ModelArts.0107', 'Invalid name'],
      [{ name: 'n'.repeat(129) }, 'ModelArts.0107', 'Invalid name'],
      [{ image_id: undefined }, 'ModelArts.0107', 'image_id is required'],
      [{ image_id: 'e1a07296-0000-0000-0000-000000000000' }, 'ModelArts.0107', 'does not exist'],
      [{ volume: undefined }, 'ModelArts.0107', 'volume is required'],
      [{ volume: { category: 'NAS', ownership: 'MANAGED' } }, 'ModelArts.0107', 'volume.category'],
      [{ volume: { category: 'EVS' } }, 'ModelArts.0107', 'volume.ownership'],
      [{ volume: { category: 'EVS', ownership: 'DEDICATED' } }, 'ModelArts.0107', 'only allowed for EFS'],
      [{ description: 'a <b>' }, 'ModelArts.0107', 'description'],
      [{ description: 'd'.repeat(513) }, 'ModelArts.0107', '512'],
      [{ flavor: 'modelarts.vm.cpu.999u' }, 'ModelArts.0107', 'flavor'],
      [{ duration: 1000 }, 'ModelArts.6346', 'from 3600000 to 259200000'],
      [{ lease: { duration: 259200001 } }, 'ModelArts.6346', 'from 3600000 to 259200000'],
      [{ lease: { duration: HOUR, type: 'SOMETIMES' } }, 'ModelArts.0107', 'TIMING or IDLE'],
      [{ workspace_id: 'NOT-A-WORKSPACE' }, 'ModelArts.0107', 'workspace_id'],
      [{ workspace_id: 'ffffffffffffffffffffffffffffffff' }, 'ModelArts.7005', 'not existed'],
    ];
    for (const [overrides, code, text] of cases) {
      assertError(await signedFetch(emu, 'POST', NB, { body: createBody(overrides) }), 400, code, text);
    }
    const noAutoStop = await signedFetch(emu, 'POST', NB, { body: createBody({ duration: -1 }) });
    assert.equal(noAutoStop.status, 200);
    assert.equal(noAutoStop.json.lease.enable, false);
    const inWorkspace = await signedFetch(emu, 'POST', NB, { body: createBody({ workspace_id: '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b', lease: { duration: 2 * HOUR, type: 'idle' } }) });
    assert.equal(inWorkspace.status, 200, inWorkspace.text);
    assert.deepEqual([inWorkspace.json.lease.duration, inWorkspace.json.lease.type], [2 * HOUR, 'IDLE']);
  });

  it('starts a stopped notebook: STARTING, then RUNNING after startMs, with the requested lease', async () => {
    const id = IDS.dataCleaning;
    const createdAt = (await signedFetch(emu, 'GET', `${NB}/${id}`)).json.create_at as number;
    assert.ok(createdAt < clock.now() - 24 * HOUR, 'created long before');
    const res = await signedFetch(emu, 'POST', `${NB}/${id}/start`, { query: { duration: 2 * HOUR, type: 'timing' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'STARTING');
    // create_at stays the creation time; duration runs from it to two hours after this start.
    assert.deepEqual(res.json.lease, { create_at: createdAt, duration: clock.now() - createdAt + 2 * HOUR, enable: true, type: 'TIMING', update_at: clock.now() });
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/start`), 400, 'ModelArts.6306');
    await clock.advance(NOTEBOOK_TIMINGS.startMs);
    assert.equal(await status(id), 'RUNNING');
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/start`), 400, 'ModelArts.6305');
    // Auto-stop when the two-hour lease runs out.
    await clock.advance(2 * HOUR - NOTEBOOK_TIMINGS.startMs);
    assert.equal(await status(id), 'STOPPING');
  });

  it('validates start parameters and states', async () => {
    const id = IDS.tokenizerLab;
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/start`, { query: { duration: 60_000 } }), 400, 'ModelArts.6346', '3600000 to 259200000');
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/start`, { query: { duration: 'soon' } }), 400, 'ModelArts.6346');
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/start`, { query: { type: 'forever' } }), 400, 'ModelArts.0107');
    assertError(await signedFetch(emu, 'POST', `${NB}/${IDS.legacyEnv}/start`), 400, 'ModelArts.6357', 'ERROR');
    const forever = await signedFetch(emu, 'POST', `${NB}/${id}/start`, { query: { duration: -1 } });
    assert.equal(forever.status, 200);
    assert.equal(forever.json.lease.enable, false);
    await clock.advance(100 * HOUR);
    assert.equal(await status(id), 'RUNNING', 'no auto-stop');
  });

  it('stops: STOPPING, then STOPPED after stopMs; 6307 when stopped, 6308 when stopping', async () => {
    const id = IDS.pytorchDev;
    const res = await signedFetch(emu, 'POST', `${NB}/${id}/stop`, { body: {} });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'STOPPING');
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/stop`), 400, 'ModelArts.6308');
    await clock.advance(NOTEBOOK_TIMINGS.stopMs);
    const stopped = await signedFetch(emu, 'GET', `${NB}/${id}`);
    assert.equal(stopped.json.status, 'STOPPED');
    assert.equal(stopped.json.endpoints[0].uri, undefined);
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/stop`), 400, 'ModelArts.6307');
    assertError(await signedFetch(emu, 'POST', `${NB}/${IDS.llmSandbox}/stop`), 400, 'ModelArts.6357');
  });

  it('ends a start in START_FAILED with the reason when told to, and can start again', async () => {
    const id = IDS.yoloLabeling;
    assert.equal(emu.notebooks.failNextStart(id, 'Insufficient GPU resources.'), true);
    assert.equal(emu.notebooks.failNextStart('nope'), false);
    await signedFetch(emu, 'POST', `${NB}/${id}/start`);
    await clock.advance(NOTEBOOK_TIMINGS.startMs);
    const failed = await signedFetch(emu, 'GET', `${NB}/${id}`);
    assert.equal(failed.json.status, 'START_FAILED');
    assert.equal(failed.json.fail_reason, 'Insufficient GPU resources.');
    assert.equal(failed.json.action_progress[1].status, 'FAILED');
    const retry = await signedFetch(emu, 'POST', `${NB}/${id}/start`);
    assert.equal(retry.json.status, 'STARTING');
    assert.equal(retry.json.fail_reason, undefined);
    await clock.advance(NOTEBOOK_TIMINGS.startMs);
    assert.equal(await status(id), 'RUNNING');
  });

  it('renews the lease: the query wins and forces TIMING, the auto-stop moves to now + duration', async () => {
    const id = IDS.quickStart; // 12 minutes left of a one-hour lease
    const before = (await signedFetch(emu, 'GET', `${NB}/${id}/lease`)).json;
    assert.equal(before.create_at + before.duration - clock.now(), 12 * 60_000);
    const renewed = await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { query: { duration: HOUR }, body: { duration: 5 * HOUR, type: 'IDLE' } });
    assert.equal(renewed.status, 200, renewed.text);
    assert.deepEqual(Object.keys(renewed.json).sort(), ['create_at', 'duration', 'enable', 'type', 'update_at']);
    assert.equal(renewed.json.type, 'TIMING');
    // Counted from now (the SDK's lease request), not added to what was left; create_at stays.
    assert.equal(renewed.json.create_at, before.create_at);
    assert.equal(renewed.json.create_at + renewed.json.duration - clock.now(), HOUR);
    assert.equal(renewed.json.duration, clock.now() - before.create_at + HOUR);
    assert.equal(renewed.json.update_at, clock.now());
    // The old stop time passes without a stop.
    await clock.advance(13 * 60_000);
    assert.equal(await status(id), 'RUNNING');
    const byBody = await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { body: { duration: 2 * HOUR, type: 'idle' } });
    assert.equal(byBody.json.type, 'IDLE');
    assert.equal(byBody.json.create_at + byBody.json.duration - clock.now(), 2 * HOUR);
    const fromGet = await signedFetch(emu, 'GET', `${NB}/${id}/lease`);
    assert.deepEqual(fromGet.json, byBody.json);
    // A shorter renewal brings the auto-stop closer.
    const sooner = await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { query: { duration: HOUR } });
    assert.equal(sooner.json.create_at + sooner.json.duration - clock.now(), HOUR);
    await clock.advance(HOUR - 1);
    assert.equal(await status(id), 'RUNNING');
    await clock.advance(1);
    assert.equal(await status(id), 'STOPPING');
  });

  it('validates a lease renewal', async () => {
    const id = IDS.pytorchDev;
    assertError(await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { body: { duration: 10 } }), 400, 'ModelArts.6346');
    assertError(await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { body: {} }), 400, 'ModelArts.0107', 'duration is required');
    assertError(await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { query: { duration: 72 * HOUR + 1 } }), 400, 'ModelArts.6346', '3600000 to 259200000');
    // 72 h from now is the most, whatever was left.
    const longest = await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { query: { duration: 72 * HOUR } });
    assert.equal(longest.status, 200, longest.text);
    assert.equal(longest.json.create_at + longest.json.duration - clock.now(), 72 * HOUR);
    assertError(await signedFetch(emu, 'PATCH', `${NB}/${IDS.dataCleaning}/lease`, { query: { duration: HOUR } }), 400, 'ModelArts.6327');
    const off = await signedFetch(emu, 'PATCH', `${NB}/${id}/lease`, { query: { duration: -1 } });
    assert.equal(off.json.enable, false);
    await clock.advance(10 * HOUR);
    assert.equal(await status(id), 'RUNNING');
  });

  it('updates name, description and (when stopped) flavor', async () => {
    const id = IDS.pytorchDev;
    const res = await signedFetch(emu, 'PUT', `${NB}/${id}`, { body: { name: 'renamed', description: 'new words' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.json.name, res.json.description], ['renamed', 'new words']);
    assertError(await signedFetch(emu, 'PUT', `${NB}/${id}`, { body: { flavor: 'modelarts.vm.cpu.8u' } }), 400, 'ModelArts.6357', 'stop it');
    assertError(await signedFetch(emu, 'PUT', `${NB}/${id}`, { body: { name: 'no spaces allowed' } }), 400, 'ModelArts.0107');
    const stopped = IDS.dataCleaning;
    const flavor = await signedFetch(emu, 'PUT', `${NB}/${stopped}`, { body: { flavor: 'modelarts.vm.cpu.8u', storage_new_size: 20 } });
    assert.equal(flavor.status, 200, flavor.text);
    assert.equal(flavor.json.flavor, 'modelarts.vm.cpu.8u');
    assert.equal(flavor.json.volume.capacity, 20);
    assertError(await signedFetch(emu, 'PUT', `${NB}/${stopped}`, { body: { flavor: 'modelarts.bm.npu.arm.snt9b.d' } }), 400, 'ModelArts.0107', 'architecture');
    assertError(await signedFetch(emu, 'PUT', `${NB}/${stopped}`, { body: { storage_new_size: 10 } }), 400, 'ModelArts.0107', 'greater than 20');
  });

  it('deletes: 200 DELETING, then gone (6309) after deleteMs', async () => {
    const id = IDS.pytorchDev;
    const res = await signedFetch(emu, 'DELETE', `${NB}/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'DELETING');
    assertError(await signedFetch(emu, 'DELETE', `${NB}/${id}`), 400, 'ModelArts.6357');
    await clock.advance(NOTEBOOK_TIMINGS.deleteMs - 1);
    assert.equal(await status(id), 'DELETING');
    await clock.advance(1);
    assertError(await signedFetch(emu, 'GET', `${NB}/${id}`), 400, 'ModelArts.6309');
    assert.ok(!(await signedFetch(emu, 'GET', NB, { query: { limit: 50 } })).json.data.some((nb: AnyJson) => nb.id === id));
  });

  it('saves a running notebook as an image: SNAPSHOTTING, image INIT → CREATING → ACTIVE', async () => {
    const id = IDS.pytorchDev;
    const res = await signedFetch(emu, 'POST', `${NB}/${id}/create-image`, { body: { name: 'my-env', namespace: 'demo-team', tag: 'v2', description: 'saved' } });
    assert.equal(res.status, 200, res.text);
    const image = res.json;
    assert.deepEqual(
      { status: image.status, type: image.type, origin: image.origin, swr: image.swr_path },
      { status: 'INIT', type: 'DEDICATED', origin: 'IMAGE_SAVE', swr: 'swr.cn-north-4.myhuaweicloud.com/demo-team/my-env:v2' },
    );
    assert.equal(await status(id), 'SNAPSHOTTING');
    await clock.advance(1000);
    assert.equal((await signedFetch(emu, 'GET', `/v1/{pid}/images/${image.id as string}`)).json.status, 'CREATING');
    await clock.advance(NOTEBOOK_TIMINGS.snapshotMs);
    assert.equal((await signedFetch(emu, 'GET', `/v1/{pid}/images/${image.id as string}`)).json.status, 'ACTIVE');
    assert.equal(await status(id), 'RUNNING');
    const listed = await signedFetch(emu, 'GET', '/v1/{pid}/images', { query: { type: 'DEDICATED' } });
    assert.ok(listed.json.data.some((img: AnyJson) => img.id === image.id));
    const defaultTag = await signedFetch(emu, 'POST', `${NB}/${id}/create-image`, { body: { name: 'other', namespace: 'demo-team' } });
    assert.equal(defaultTag.json.tag, 'latest');

    assertError(await signedFetch(emu, 'POST', `${NB}/${IDS.dataCleaning}/create-image`, { body: { name: 'x', namespace: 'y' } }), 400, 'ModelArts.6327');
    assertError(await signedFetch(emu, 'POST', `${NB}/${IDS.resnetFinetune}/create-image`, { body: { name: 'UPPER', namespace: 'y' } }), 400, 'ModelArts.0107', 'name');
    assertError(await signedFetch(emu, 'POST', `${NB}/${IDS.resnetFinetune}/create-image`, { body: { name: 'ok' } }), 400, 'ModelArts.0107', 'namespace');
  });

  it('follows SWR\'s organization rule for the namespace of a saved image', async () => {
    const id = IDS.resnetFinetune;
    for (const refused of ['1a', 'a.', 'a._b', 'a-.b', 'a___b']) {
      assertError(await signedFetch(emu, 'POST', `${NB}/${id}/create-image`, { body: { name: 'env', namespace: refused } }), 400, 'ModelArts.0107', 'namespace');
    }
    const accepted = await signedFetch(emu, 'POST', `${NB}/${id}/create-image`, { body: { name: 'env', namespace: 'a__b' } });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.json.swr_path, 'swr.cn-north-4.myhuaweicloud.com/a__b/env:latest');
  });

  it('adds, lists and deletes notebook tags', async () => {
    const id = IDS.dataCleaning;
    const created = await signedFetch(emu, 'POST', `${NB}/${id}/tags/create`, { body: { tags: [{ key: 'team', value: 'data' }, { key: 'env', value: 'dev' }] } });
    assert.equal(created.status, 204);
    assert.equal(created.body.length, 0);
    assert.deepEqual((await signedFetch(emu, 'GET', `${NB}/${id}`)).json.tags, [{ key: 'team', value: 'data' }, { key: 'env', value: 'dev' }]);
    const all = await signedFetch(emu, 'GET', `${NB}/tags`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.json.tags.find((t: AnyJson) => t.key === 'team'), { key: 'team', values: ['data', 'vision'] });
    const inWorkspace = await signedFetch(emu, 'GET', `${NB}/tags`, { query: { workspace_id: 'e1f2a3b4c5d64e7f8091a2b3c4d5e6f7' } });
    assert.deepEqual(inWorkspace.json.tags, []);
    const deleted = await signedFetch(emu, 'DELETE', `${NB}/${id}/tags/delete`, { body: { tags: [{ key: 'env' }] } });
    assert.equal(deleted.status, 204);
    assert.deepEqual((await signedFetch(emu, 'GET', `${NB}/${id}`)).json.tags, [{ key: 'team', value: 'data' }]);
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/tags/create`, { body: { tags: [{ key: 'a=b', value: 'x' }] } }), 400, 'ModelArts.0107');
    assertError(await signedFetch(emu, 'POST', `${NB}/${id}/tags/create`, { body: { tags: [] } }), 400, 'ModelArts.0107');
  });
});

describe('emulator notebooks: empty seed', () => {
  it('has no notebooks but still the platform images and flavors', async () => {
    const { emu } = await startTestEmulator({ seed: 'empty' });
    try {
      const list = await signedFetch(emu, 'GET', NB);
      assert.equal(list.status, 200);
      assert.deepEqual([list.json.total, list.json.data.length, list.json.pages], [0, 0, 0]);
      assert.ok((await signedFetch(emu, 'GET', '/v1/{pid}/images')).json.total >= 4);
      assert.ok((await signedFetch(emu, 'GET', `${NB}/flavors`)).json.total >= 5);
      assertError(await signedFetch(emu, 'GET', `${NB}/${SEED_NOTEBOOK_ID}`), 400, 'ModelArts.6309');
    } finally {
      await emu.close();
    }
  });
});
