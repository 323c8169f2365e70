// The OBS client against the emulator's OBS: path-style on 127.0.0.1 and virtual-hosted names through the
// lookup option, awkward keys, 1,000 small files and one 200 MB file up and back, a part lost mid-upload, a
// cancelled upload, and the errors a user meets (bad names, a missing bucket, access denied, throttling).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, openSync, closeSync, writeSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { createObsClient, type ObsClientOptions } from '../../../../src/api/obs/client';
import type { ObsClient } from '../../../../src/api/obs/types';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/server';
import { obsLookup } from '../../helpers/fakeObs';
import { InstantClock, patterned, tempFolder } from './obsRig';
import { failure } from '../../helpers/fakeServer';

const MB = 1024 * 1024;


async function fileMd5(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('OBS client against the emulator', () => {
  let emu: RunningEmulator;
  const clients: ObsClient[] = [];
  before(async () => {
    emu = await startEmulator({ port: 0, iamPort: 0, obsPort: 0 });
  });
  after(async () => {
    for (const client of clients) client.dispose();
    await emu.close();
  });
  const port = (): string => new URL(emu.obsEndpoint).port;
  const clientFor = (style: 'path' | 'virtual', options: Partial<ObsClientOptions> = {}): ObsClient => {
    const client = createObsClient({
      endpoint: style === 'path' ? emu.obsEndpoint : `http://obs.${emu.region}.myhuaweicloud.com:${port()}`,
      region: emu.region,
      credentials: () => Promise.resolve({ ak: emu.credentials.ak, sk: emu.credentials.sk }),
      ...(style === 'virtual' ? { lookup: obsLookup } : {}),
      clock: new InstantClock(),
      ...options,
    });
    clients.push(client);
    return client;
  };
  const obsRequests = (): RunningEmulator['requests'] => emu.requests.filter((r) => r.service === 'obs');

  for (const style of ['path', 'virtual'] as const) {
    test(`${style}-style: buckets of every region, and awkward keys round-trip through put, list and get`, async () => {
      const client = clientFor(style);
      const buckets = await client.listBuckets();
      assert.ok(buckets.some((b) => b.name === 'demo-bucket' && b.location === emu.region));
      assert.ok(buckets.some((b) => b.name === 'demo-archive-east' && b.location === 'cn-east-3'));
      await client.createBucket(`client-${style}`);
      const keys = ['a&b.txt', 'x<y>z.txt', 'with space/and+plus.txt', '100%.txt', 'ctl\u0001\u001f\ttab', '数据/模型 ü é.bin', "q'(!*)~.txt"];
      for (const [i, key] of keys.entries()) await client.putObject(`client-${style}`, key, `body ${i}`);
      const listed: string[] = [];
      for await (const object of client.listAll(`client-${style}`, '')) listed.push(object.key);
      assert.deepEqual(listed, [...keys].sort());
      for (const [i, key] of keys.entries()) assert.equal((await client.getObject(`client-${style}`, key, { maxBytes: 100 })).toString(), `body ${i}`, key);
      const pager = client.folderPager(`client-${style}`, '', 3);
      while (pager.hasMore) await pager.loadNext();
      assert.deepEqual(pager.items.filter((e) => e.kind === 'folder').map((e) => (e.kind === 'folder' ? e.prefix : '')), ['with space/', '数据/']);
      const deleted = await client.deleteObjects(`client-${style}`, keys);
      assert.equal(deleted.deleted.length, keys.length);
      assert.deepEqual(deleted.errors, []);
      assert.equal(emu.obs.bucket(`client-${style}`).objects.size, 0);
      // The other region's bucket (virtual-hosted: at its own region's host).
      const [first] = (await client.listObjects({ bucket: 'demo-archive-east', maxKeys: 1 })).objects;
      assert.equal((await client.getObject('demo-archive-east', first.key, { maxBytes: 10 * MB })).length, first.size);
    });
  }

  test('virtual-hosted: a bucket of another region reached before any ListBuckets follows the 301 once', async () => {
    const client = clientFor('virtual');
    const page = await client.listObjects({ bucket: 'demo-archive-east', maxKeys: 5 });
    assert.ok(page.objects.length > 0);
    await client.listObjects({ bucket: 'demo-archive-east', maxKeys: 5 });
    const statuses = obsRequests().slice(-3).map((r) => r.status);
    assert.deepEqual(statuses, [301, 200, 200]);
  });

  test('1,000 small files up and back identical (4 at a time), and one 200 MB file in parts', async (t) => {
    const folder = tempFolder(t);
    const client = clientFor('virtual');
    await client.createBucket('bulk-client');
    mkdirSync(join(folder, 'src'));
    const items = Array.from({ length: 1000 }, (_, i) => {
      const file = join(folder, 'src', `f${i}.bin`);
      writeFileSync(file, patterned(100 + (i % 50) * 20, i + 1));
      return { file, key: `small/${Math.floor(i / 100)}/f${i}.bin` };
    });
    let started = performance.now();
    await client.uploadFiles('bulk-client', items);
    const upSmall = performance.now() - started;
    started = performance.now();
    const back = await client.downloadPrefix('bulk-client', 'small/', join(folder, 'back'));
    const downSmall = performance.now() - started;
    assert.equal(back.files, 1000);
    for (const [i, item] of items.entries()) assert.deepEqual(readFileSync(join(folder, 'back', item.key.slice('small/'.length))), readFileSync(item.file), `file ${i}`);

    const big = join(folder, 'big.bin');
    const fd = openSync(big, 'w');
    const chunk = randomBytes(MB);
    for (let i = 0; i < 200; i++) {
      chunk.writeUInt32LE(i, 0);
      writeSync(fd, chunk, 0, MB, null);
    }
    closeSync(fd);
    const heapBefore = process.memoryUsage().heapUsed;
    started = performance.now();
    const etag = await client.uploadFile('bulk-client', 'big/big.bin', big);
    const upBig = performance.now() - started;
    started = performance.now();
    await client.downloadFile('bulk-client', 'big/big.bin', join(folder, 'big-back.bin'));
    const downBig = performance.now() - started;
    assert.match(etag, /-25"$/, 'twenty-five 8 MiB parts');
    assert.equal(await fileMd5(join(folder, 'big-back.bin')), await fileMd5(big));
    t.diagnostic(`1,000 files: up ${Math.round(upSmall)} ms, down ${Math.round(downSmall)} ms; 200 MB: up ${Math.round(upBig)} ms, down ${Math.round(downBig)} ms; heap ${Math.round((process.memoryUsage().heapUsed - heapBefore) / MB)} MB after`);
    emu.obs.bucket('bulk-client').objects.clear();
  });

  test('a connection lost mid-part: only that part is sent again', async (t) => {
    const folder = tempFolder(t);
    const client = clientFor('path', { multipartThreshold: MB });
    await client.createBucket('resume-client');
    const file = join(folder, 'f.bin');
    writeFileSync(file, patterned(5 * MB, 11));
    const rule = emu.faults.add({ service: 'obs', method: 'PUT', path: 'resume-client/f\\.bin$', skip: 2, times: 1, resetAfterBytes: 300_000 });
    t.after(() => emu.faults.remove(rule));
    const before = obsRequests().length;
    await client.uploadFile('resume-client', 'f.bin', file, { partSize: MB, parallel: 1 });
    const parts = obsRequests()
      .slice(before)
      .filter((r) => r.method === 'PUT')
      .map((r) => Number(r.query.find(([name]) => name === 'partNumber')?.[1]));
    assert.deepEqual(parts, [1, 2, 3, 3, 4, 5], 'part 3 twice (its connection was lost), every other part once');
    assert.deepEqual(Buffer.concat(emu.obs.object(emu.obs.bucket('resume-client'), 'f.bin').chunks), readFileSync(file));
  });

  test('a cancelled upload leaves no object and no upload behind (and without the cancel the object appears)', async (t) => {
    const folder = tempFolder(t);
    const client = clientFor('virtual', { multipartThreshold: MB });
    await client.createBucket('cancel-client');
    const file = join(folder, 'f.bin');
    writeFileSync(file, patterned(6 * MB, 5));
    const controller = new AbortController();
    const cancelled = await failure(client.uploadFile('cancel-client', 'f.bin', file, { partSize: MB, parallel: 2, signal: controller.signal, onProgress: (p) => p.bytes >= 2 * MB && controller.abort() }));
    assert.equal(cancelled.kind, 'aborted');
    const bucket = emu.obs.bucket('cancel-client');
    assert.equal(bucket.objects.has('f.bin'), false);
    assert.equal(bucket.uploads.size, 0, 'the multipart upload was aborted');
    assert.ok(obsRequests().some((r) => r.method === 'DELETE' && r.query.some(([name]) => name === 'uploadId')));
    await client.uploadFile('cancel-client', 'f.bin', file, { partSize: MB, parallel: 2 });
    assert.equal(bucket.objects.has('f.bin'), true);
  });

  test('clear errors: bad names before any request, a missing bucket, access denied, a wrong key, throttling', async (t) => {
    const client = clientFor('virtual');
    const before = obsRequests().length;
    assert.equal((await failure(client.createBucket('Bad_Name'))).kind, 'invalid-input');
    assert.equal((await failure(client.putObject('demo-bucket', 'x'.repeat(1025), 'x'))).code, 'InvalidObjectKey');
    assert.equal(obsRequests().length, before, 'nothing sent');

    const missing = await failure(client.listObjects({ bucket: 'no-such-bucket-here' }));
    assert.deepEqual([missing.kind, missing.status, missing.code], ['http', 404, 'NoSuchBucket']);
    assert.match(missing.requestId ?? '', /^[0-9A-F]{32}$/);

    const denied = emu.faults.add({ service: 'obs', status: 403, times: 1 });
    t.after(() => emu.faults.remove(denied));
    const forbidden = await failure(client.getObject('demo-bucket', 'README.txt', { maxBytes: MB }));
    assert.deepEqual([forbidden.status, forbidden.code], [403, 'AccessDenied']);

    const wrong = clientFor('path', { credentials: () => Promise.resolve({ ak: emu.credentials.ak, sk: 'not-the-secret-key' }) });
    assert.equal((await failure(wrong.listBuckets())).code, 'SignatureDoesNotMatch');

    const clock = new InstantClock();
    const patient = clientFor('virtual', { clock });
    const slow = emu.faults.add({ service: 'obs', status: 503, headers: { 'Retry-After': '1' }, times: 2 });
    t.after(() => emu.faults.remove(slow));
    assert.ok((await patient.getObject('demo-bucket', 'README.txt', { maxBytes: MB })).length > 0);
    assert.deepEqual(clock.sleeps, [1000, 1000]);
    const throttle = emu.faults.add({ service: 'obs', throttle: { limit: 0, windowMs: 60_000 } });
    t.after(() => emu.faults.remove(throttle));
    const throttled = await failure(patient.getObject('demo-bucket', 'README.txt', { maxBytes: MB }));
    assert.deepEqual([throttled.status, throttled.code], [503, 'SlowDown']);
    assert.match(throttled.message, /\S/);
  });

  test('temporary credentials from the emulator sign with their security token', async () => {
    const temporary = emu.issueTemporaryCredentials();
    const client = clientFor('virtual', { credentials: () => Promise.resolve({ ak: temporary.ak, sk: temporary.sk, securityToken: temporary.securityToken }) });
    assert.ok((await client.listBuckets()).length > 0);
    const without = clientFor('virtual', { credentials: () => Promise.resolve({ ak: temporary.ak, sk: temporary.sk }) });
    assert.equal((await failure(without.listBuckets())).code, 'AccessDenied');
  });
});
