import '../helpers/fixedTimeZone';
import '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ModelArtsError } from '../../../src/api/errors';
import { MemoryLogger } from '../../../src/api/log';
import { createRedactor } from '../../../src/api/redact';
import { englishL10n } from '../../../src/common/translate';
import { LoadQueue } from '../../../src/explorer/loadQueue';
import type { NodeView } from '../../../src/explorer/nodes/node';
import { ObsBucketNode, ObsFolderNode, ObsLoadMoreNode, ObsMessageNode, ObsObjectNode, ObsRootNode, type ObsNode, type ObsTreeContext } from '../../../src/explorer/obs/obsNodes';
import { formatBytes, obsNodeIds } from '../../../src/explorer/obs/obsText';
import { renderTreeItem } from '../../../src/explorer/treeProvider';
import { FakeObs } from '../helpers/fakeObsClient';

// The OBS view's tree against an in-memory OBS: buckets of every region (another region's marked), folders
// and objects paged with Load more, sizes and local dates, failures as rows, server text made inert.

interface Rig {
  obs: FakeObs;
  root: ObsRootNode;
  log: MemoryLogger;
  changes: Array<ObsNode | undefined>;
}

function rig(obs: FakeObs, options: { pageSize?: number; demo?: boolean; profile?: string } = {}): Rig {
  const log = new MemoryLogger();
  const changes: Array<ObsNode | undefined> = [];
  const ctx: ObsTreeContext = {
    session: { profile: options.profile ?? 'work', region: 'cn-north-4', demo: options.demo ?? false },
    client: obs,
    l10n: englishL10n,
    log,
    redactor: createRedactor(),
    queue: new LoadQueue(),
    signal: new AbortController().signal,
    pageSize: () => options.pageSize ?? 20,
    render: (view) => renderTreeItem(view),
    changed: (node) => changes.push(node),
  };
  return { obs, root: new ObsRootNode(ctx), log, changes };
}

const views = async (parent: { getChildren?(): Promise<ObsNode[]> }): Promise<NodeView[]> => (await parent.getChildren!()).map((n) => n.view());
const labels = async (parent: { getChildren?(): Promise<ObsNode[]> }): Promise<string[]> => (await views(parent)).map((v) => v.label);

async function child(parent: { getChildren?(): Promise<ObsNode[]> }, label: string): Promise<ObsNode> {
  const found = (await parent.getChildren!()).find((n) => n.view().label === label);
  assert.ok(found, `a row ${label}`);
  return found;
}

describe('OBS view: buckets', () => {
  it('lists every bucket by name, paged with Load more from one ListBuckets; another region is named in the description', async () => {
    const obs = new FakeObs().addBucket('zeta').addBucket('alpha', 'cn-south-1').addBucket('mid');
    const { root } = rig(obs, { pageSize: 2 });
    const first = await views(root);
    assert.deepEqual(first.map((v) => v.label), ['alpha', 'mid', 'Load more…']);
    assert.equal(first[0]?.description, 'cn-south-1');
    assert.equal(first[1]?.description, undefined, 'the profile region is not marked');
    assert.equal(first[0]?.contextValue, ';obsBucket;otherRegion;');
    assert.equal(first[1]?.contextValue, ';obsBucket;');
    const more = (await root.getChildren()).at(-1);
    assert.ok(more instanceof ObsLoadMoreNode);
    assert.equal(more.view().command?.command, 'modelarts.obs.loadMore');
    await more.owner.loadMore();
    assert.deepEqual(root.loadedChildren().map((n) => n.view().label), ['alpha', 'mid', 'zeta']);
    assert.deepEqual(obs.calls, ['listBuckets'], 'one ListBuckets for every page');
  });

  it('a new account shows one row that runs Create Bucket; a filter with no match says so', async () => {
    const empty = rig(new FakeObs());
    const [row] = await views(empty.root);
    assert.equal(row?.label, 'No buckets — Create Bucket');
    assert.equal(row?.command?.command, 'modelarts.obs.createBucket');
    const some = rig(new FakeObs().addBucket('alpha').addBucket('beta'));
    some.root.filter = 'be';
    assert.deepEqual(await labels(some.root), ['beta']);
    some.root.filter = 'zz';
    some.root.invalidate();
    assert.deepEqual(await labels(some.root), ['No buckets match the filter']);
  });

  it('a failure is a row (never a toast), logged once; the demo offers a restart, a refused credential Sign In; a retry loads', async () => {
    const obs = new FakeObs().addBucket('alpha');
    const plain = rig(obs);
    obs.failNext.set('listBuckets', new ModelArtsError({ kind: 'http', status: 503, code: 'ServiceUnavailable', message: 'Please reduce your request rate.', requestId: 'ABC' }));
    const [failed] = await plain.root.getChildren();
    assert.ok(failed instanceof ObsMessageNode);
    assert.equal(failed.kind, 'error');
    assert.equal(failed.view().label, 'Failed to load buckets — Show Log');
    assert.match(failed.view().description ?? '', /ServiceUnavailable, HTTP 503, request id ABC/);
    assert.equal(failed.view().command?.command, 'modelarts.explorer.showLog');
    assert.equal(plain.log.lines.filter((l) => l.level === 'error').length, 1);
    plain.root.invalidate();
    assert.deepEqual(await labels(plain.root), ['alpha'], 'loads once the failure is gone');

    const demo = rig(obs, { demo: true });
    obs.failNext.set('listBuckets', new Error('connect ECONNREFUSED'));
    assert.equal((await views(demo.root))[0]?.label, 'The demo could not load buckets — Restart the Demo');
    const signIn = rig(obs);
    obs.failNext.set('listBuckets', new ModelArtsError({ kind: 'http', status: 401, code: 'InvalidAccessKeyId', message: 'refused' }));
    const [row] = await views(signIn.root);
    assert.equal(row?.label, 'Sign in to load buckets');
    assert.equal(row?.command?.command, 'modelarts.signIn');
  });
});

describe('OBS view: folders and objects', () => {
  const seeded = (): FakeObs =>
    new FakeObs()
      .addBucket('data')
      .put('data', 'code/train.py', 'print(1)\n')
      .put('data', 'code/lib/util.py', 'x = 1\n')
      .put('data', 'readme.md', Buffer.alloc(1536))
      .put('data', 'out/a.txt', 'a')
      .put('data', 'out/b.txt', 'b')
      .put('data', 'out/c.txt', 'c');

  it('a bucket lists its folders, then its objects with size and local date; a folder lists what is under it, labelled relative to it', async () => {
    const { root } = rig(seeded());
    const bucket = await child(root, 'data');
    assert.ok(bucket instanceof ObsBucketNode);
    const rows = await views(bucket);
    assert.deepEqual(rows.map((r) => r.label), ['code', 'out', 'readme.md']);
    assert.deepEqual(rows.map((r) => r.contextValue), [';obsFolder;', ';obsFolder;', ';obsObject;']);
    // 01:30 UTC is 07:00 in the tests' zone (UTC+05:30).
    assert.equal(rows[2]?.description, '1.5 KB · 2026-12-07 07:00');
    assert.equal(rows[2]?.command?.command, 'modelarts.obs.open');
    const code = await child(bucket, 'code');
    assert.ok(code instanceof ObsFolderNode);
    assert.deepEqual(await labels(code), ['lib', 'train.py']);
    const lib = await child(code, 'lib');
    assert.deepEqual(await labels(lib), ['util.py']);
    const util = (await lib.getChildren!())[0];
    assert.ok(util instanceof ObsObjectNode);
    assert.equal(util.item.key, 'code/lib/util.py');
    assert.equal(util.parent, lib, 'the parent chain leads back to the bucket (reveal needs it)');
  });

  it('a folder is paged by marker with a Load more row; the rows keep their objects across a reload', async () => {
    const obs = seeded();
    const { root } = rig(obs, { pageSize: 2 });
    const bucket = await child(root, 'data');
    const out = await child(bucket, 'out');
    assert.deepEqual(await labels(out), ['a.txt', 'b.txt', 'Load more…']);
    await (out as ObsFolderNode).loadMore();
    assert.deepEqual((out as ObsFolderNode).loadedChildren().map((n) => n.view().label), ['a.txt', 'b.txt', 'c.txt']);
    assert.deepEqual(obs.calls.filter((c) => c.startsWith('listObjects data out/')), ['listObjects data out/ ', 'listObjects data out/ out/b.txt']);
    (bucket as ObsBucketNode).invalidate();
    assert.equal(await child(bucket, 'out'), out, 'the same folder row after a reload (the view keeps it expanded)');
  });

  it('a filter on a folder lists what starts with it, and says so; an empty folder says No objects', async () => {
    const obs = seeded().put('data', 'empty/', '');
    const { root } = rig(obs);
    const bucket = (await child(root, 'data')) as ObsBucketNode;
    bucket.filter = 'out/b';
    bucket.invalidate();
    assert.deepEqual(await labels(bucket), ['out/b.txt']);
    assert.equal(bucket.view().description, 'filter: out/b*');
    assert.equal(bucket.view().contextValue, ';obsBucket;filtered;');
    bucket.filter = '';
    bucket.invalidate();
    const empty = await child(bucket, 'empty');
    assert.deepEqual(await labels(empty), ['No objects'], 'the folder marker object itself is not a row');
  });

  it('ids carry the profile and encode every segment, so no key forges another row', async () => {
    const obs = new FakeObs().addBucket('b').put('b', 'x/#empty', '1').put('b', 'x/y', '2');
    const a = rig(obs, { profile: 'work' });
    const b = rig(obs, { profile: 'home' });
    const ids = async (r: Rig): Promise<string[]> => {
      const folder = await child(await child(r.root, 'b'), 'x');
      return (await folder.getChildren!()).map((n) => n.id);
    };
    const work = await ids(a);
    assert.deepEqual(work, [obsNodeIds.key('work', 'b', 'x/#empty'), obsNodeIds.key('work', 'b', 'x/y')]);
    assert.ok(work.every((id) => id.startsWith('work/obs/b/x%2F')), work.join(' '));
    assert.ok(!work.includes(`${obsNodeIds.key('work', 'b', 'x/')}/#empty`), 'a key named #empty is not the empty row of its folder');
    assert.notDeepEqual(await ids(b), work);
  });
});

describe('OBS view: server text is data', () => {
  it('a hostile key shows its hidden characters, and its tooltip renders no link, markup or icon', async () => {
    const hostile = 'evil\u202Etxt.exe[x](command:modelarts.signOut)$(error)*b*';
    const obs = new FakeObs().addBucket('b').put('b', hostile, 'x');
    const { root } = rig(obs);
    const [row] = await (await child(root, 'b')).getChildren!();
    const item = row.getTreeItem();
    assert.match(item.label as string, /\\u202E/);
    const tooltip = (item.tooltip as { value: string; isTrusted: boolean; supportHtml: boolean }).value;
    assert.ok(!tooltip.includes(']('), tooltip);
    assert.ok(!tooltip.includes('$(error)'), tooltip);
    assert.match(tooltip, /\\\[x\\\]/);
    assert.equal((item.tooltip as { isTrusted: boolean }).isTrusted, false);
  });

  it('sizes read as OBS Console shows them', () => {
    assert.deepEqual([0, 1023, 1024, 1536, 10 * 1024 ** 2, 1.25 * 1024 ** 3, 300 * 1024 ** 4].map(formatBytes), ['0 B', '1023 B', '1 KB', '1.5 KB', '10 MB', '1.3 GB', '300 TB']);
  });
});
