import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createObsClient } from '../../../../src/api/obs/client';
import { obsTargetOf, regionalHost } from '../../../../src/api/obs/requester';
import { FAKE_AK, FAKE_DOMAIN, FAKE_SK, obsLookup, startFakeObs } from '../../helpers/fakeObs';
import { InstantClock, fakeClient } from './obsRig';

describe('OBS client: objects on a path-style endpoint (127.0.0.1)', () => {
  test('put, head, get (whole and a range), list, delete; a missing object heads as undefined', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('my-bucket');
    const client = fakeClient(fake);
    t.after(() => client.dispose());

    const etag = await client.putObject('my-bucket', 'code/train.py', 'print("hi")\n', { metadata: { origin: 'vscode' } });
    assert.equal(etag, `"${createHash('md5').update('print("hi")\n').digest('hex')}"`);
    const put = fake.requests.at(-1)!;
    assert.equal(put.path, '/my-bucket/code/train.py', 'path-style on an IP endpoint');
    assert.equal(put.headers['content-md5'], 'il7O+NU0UCIesz47aOFGmg==');
    assert.equal(put.headers['content-type'], 'text/x-python');
    assert.equal(put.headers['x-obs-meta-origin'], 'vscode');

    const head = await client.headObject('my-bucket', 'code/train.py');
    assert.deepEqual({ size: head?.size, etag: head?.etag, type: head?.contentType, meta: head?.metadata }, { size: 12, etag: etag, type: 'text/x-python', meta: { origin: 'vscode' } });
    assert.equal(await client.headObject('my-bucket', 'code/missing.py'), undefined);

    assert.equal((await client.getObject('my-bucket', 'code/train.py', { maxBytes: 1024 })).toString(), 'print("hi")\n');
    assert.equal((await client.getObject('my-bucket', 'code/train.py', { maxBytes: 1024, range: { start: 6, end: 9 } })).toString(), '"hi"');

    const page = await client.listObjects({ bucket: 'my-bucket', prefix: 'code/', delimiter: '/' });
    assert.deepEqual(page.objects.map((o) => [o.key, o.size, o.etag]), [['code/train.py', 12, etag]]);
    assert.equal(page.truncated, false);

    await client.deleteObject('my-bucket', 'code/train.py');
    await client.deleteObject('my-bucket', 'code/train.py');
    assert.equal(await client.headObject('my-bucket', 'code/train.py'), undefined);
    assert.ok(fake.requests.every((r) => r.headers.date && String(r.headers.authorization).startsWith(`OBS ${FAKE_AK}:`)), 'every request signed and dated');
  });

  test('keys with & < > spaces + % control characters and non-ASCII round-trip through put, list (encoding-type=url) and get', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('keys');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    const keys = ['a&b.txt', 'x<y>z.txt', 'with space/and+plus.txt', '100%/done.txt', 'tab\there\u0001ctl.txt', '数据/模型 ü.bin', "q'uote\"s(!*).txt", 'new\nline\r.txt'];
    for (const [i, key] of keys.entries()) await client.putObject('keys', key, `body ${i}`);
    const listed: string[] = [];
    for await (const object of client.listAll('keys', '')) listed.push(object.key);
    assert.deepEqual(listed, [...keys].sort());
    for (const [i, key] of keys.entries()) assert.equal((await client.getObject('keys', key, { maxBytes: 100 })).toString(), `body ${i}`, key);
    const sentPaths = fake.requests.filter((r) => r.method === 'PUT').map((r) => r.path);
    assert.ok(sentPaths.includes('/keys/with%20space/and%2Bplus.txt'), sentPaths.join(' '));
    assert.ok(fake.requests.filter((r) => r.method === 'GET' && !r.key).every((r) => r.rawQuery.includes('encoding-type=url')));
    const removed = await client.deleteObjects('keys', keys);
    assert.deepEqual([...removed.deleted].sort(), [...keys].sort());
    assert.equal(fake.buckets.get('keys')?.objects.size, 0);
  });
});

describe('OBS client: virtual-hosted addressing in each bucket’s own region', () => {
  test('the bucket goes in the host; after ListBuckets, a bucket of another region is reached at its region', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('north-bucket', 'cn-north-4');
    fake.addBucket('east-bucket', 'cn-east-3');
    fake.put('east-bucket', 'a.txt', 'east');
    const client = createObsClient({
      endpoint: `http://obs.cn-north-4.${FAKE_DOMAIN}:${fake.port}`,
      region: 'cn-north-4',
      credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK }),
      lookup: obsLookup,
      clock: new InstantClock(),
    });
    t.after(() => client.dispose());

    const buckets = await client.listBuckets();
    assert.deepEqual(buckets.map((b) => [b.name, b.location, b.bucketType]), [['north-bucket', 'cn-north-4', 'OBJECT'], ['east-bucket', 'cn-east-3', 'OBJECT']]);
    assert.equal(fake.requests[0].host, `obs.cn-north-4.${FAKE_DOMAIN}:${fake.port}`);
    assert.equal((await client.getObject('east-bucket', 'a.txt', { maxBytes: 10 })).toString(), 'east');
    assert.equal(fake.requests[1].host, `east-bucket.obs.cn-east-3.${FAKE_DOMAIN}:${fake.port}`);
    assert.equal(fake.requests[1].path, '/a.txt');
    await client.putObject('north-bucket', 'b.txt', 'north');
    assert.equal(fake.requests[2].host, `north-bucket.obs.cn-north-4.${FAKE_DOMAIN}:${fake.port}`);

    await client.createBucket('new-east', { region: 'cn-east-3' });
    assert.equal(fake.requests[3].host, `new-east.obs.cn-east-3.${FAKE_DOMAIN}:${fake.port}`);
    assert.equal(fake.buckets.get('new-east')?.location, 'cn-east-3');
  });

  test('a bucket first met through a listing learns its region from x-obs-bucket-location', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('far', 'ap-southeast-1');
    const client = createObsClient({ endpoint: `http://obs.cn-north-4.${FAKE_DOMAIN}:${fake.port}`, region: 'cn-north-4', credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK }), lookup: obsLookup, clock: new InstantClock() });
    t.after(() => client.dispose());
    // The fake serves any region's host name, as a redirecting service would not: the host sent is what counts.
    await client.listObjects({ bucket: 'far' });
    await client.listObjects({ bucket: 'far' });
    assert.deepEqual(fake.requests.map((r) => r.host.split(':')[0]), [`far.obs.cn-north-4.${FAKE_DOMAIN}`, `far.obs.ap-southeast-1.${FAKE_DOMAIN}`]);
  });

  test('a 301 PermanentRedirect naming the bucket’s region sends the call there once, and later calls go there directly', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('moved', 'cn-east-3');
    fake.put('moved', 'k', 'v');
    fake.fault = (r) =>
      r.host.startsWith('moved.obs.cn-north-4.')
        ? { kind: 'reply', status: 301, body: `<Error><Code>PermanentRedirect</Code><Message>moved</Message><Endpoint>moved.obs.cn-east-3.${FAKE_DOMAIN}</Endpoint></Error>` }
        : undefined;
    const client = createObsClient({ endpoint: `http://obs.cn-north-4.${FAKE_DOMAIN}:${fake.port}`, region: 'cn-north-4', credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK }), lookup: obsLookup, clock: new InstantClock() });
    t.after(() => client.dispose());
    assert.equal((await client.getObject('moved', 'k', { maxBytes: 10 })).toString(), 'v');
    assert.equal((await client.getObject('moved', 'k', { maxBytes: 10 })).toString(), 'v');
    assert.deepEqual(fake.requests.map((r) => r.host.split('.obs.')[1]?.split('.')[0]), ['cn-north-4', 'cn-east-3', 'cn-east-3']);
  });

  test('addressing rules: IP literals (v4, v6) are path-style, custom hosts are used as they are', () => {
    const at = (endpoint: string, location?: string): string => obsTargetOf(new URL(endpoint), 'b', 'k/é', location, 'uploads').url.toString();
    assert.equal(at('http://127.0.0.1:9000'), 'http://127.0.0.1:9000/b/k/%C3%A9?uploads');
    assert.equal(at('http://[::1]:9000'), 'http://[::1]:9000/b/k/%C3%A9?uploads');
    assert.equal(at('https://obs.cn-north-4.myhuaweicloud.com', 'cn-east-3'), 'https://b.obs.cn-east-3.myhuaweicloud.com/k/%C3%A9?uploads');
    assert.equal(at('https://storage.example.com', 'cn-east-3'), 'https://b.storage.example.com/k/%C3%A9?uploads');
    assert.equal(obsTargetOf(new URL('https://obs.cn-north-4.myhuaweicloud.com'), 'b', undefined, undefined, '').resource, '/b/');
    assert.equal(regionalHost(new URL('https://obs.eu-west-101.myhuaweicloud.eu:8443'), 'eu-west-0'), 'obs.eu-west-0.myhuaweicloud.eu:8443');
  });
});

describe('OBS client: listings', () => {
  test('folderPager: folders first on each page, Load more from the kept marker, a failed page tried again from the same place', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.put('b', 'data/', '');
    for (let i = 0; i < 23; i++) fake.put('b', `data/file-${String(i).padStart(2, '0')}.txt`, 'x');
    for (const sub of ['a', 'm', 'z']) fake.put('b', `data/${sub}/inner.txt`, 'y');
    const client = fakeClient(fake, { retry: { maxAttempts: 1 } });
    t.after(() => client.dispose());
    const pager = client.folderPager('b', 'data/', 10);

    const first = await pager.loadNext();
    assert.equal(first.length, 9, 'ten keys, less the folder placeholder data/ itself');
    assert.deepEqual(first.slice(0, 1), [{ kind: 'folder', prefix: 'data/a/' }]);
    assert.ok(pager.hasMore);
    let failNext = true;
    fake.fault = () => (failNext ? ((failNext = false), { kind: 'reply', status: 500, body: '<Error><Code>InternalError</Code><Message>boom</Message></Error>' }) : undefined);
    await assert.rejects(pager.loadNext(), /boom/);
    await pager.loadNext();
    await pager.loadNext();
    assert.equal(pager.hasMore, false);
    const rows = pager.items.map((e) => (e.kind === 'folder' ? e.prefix : e.key));
    assert.equal(rows.length, 26, '23 files and 3 folders; the folder placeholder data/ is not a row');
    assert.equal(new Set(rows).size, 26, 'no row twice');
    const markers = fake.requests.map((r) => new URLSearchParams(r.rawQuery).get('marker'));
    assert.equal(markers[1], markers[2], 'the failed page was asked again from the same marker');
    assert.ok(fake.requests.every((r) => r.rawQuery.includes('max-keys=10') && r.rawQuery.includes('delimiter=%2F')));
  });

  test('listAll pages through 2,500 keys, 1,000 a request', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    for (let i = 0; i < 2500; i++) fake.put('b', `k/${String(i).padStart(5, '0')}`, '');
    fake.put('b', 'other', '');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    let count = 0;
    for await (const object of client.listAll('b', 'k/')) {
      assert.ok(object.key.startsWith('k/'));
      count++;
    }
    assert.equal(count, 2500);
    assert.equal(fake.requests.length, 3);
  });
});
