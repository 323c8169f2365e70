import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isModelArtsError } from '../../../../src/api/errors';
import { planParts } from '../../../../src/api/obs/multipart';
import type { ObsProgress } from '../../../../src/api/obs/types';
import { startFakeObs, type ObsRecorded } from '../../helpers/fakeObs';
import { fakeClient, patterned, tempFolder } from './obsRig';

const KB = 1024;
const partPuts = (requests: readonly ObsRecorded[]): number[] =>
  requests.filter((r) => r.method === 'PUT' && r.rawQuery.includes('uploadId=')).map((r) => Number(new URLSearchParams(r.rawQuery).get('partNumber')));

describe('OBS client: multipart uploads', () => {
  test('a file above the threshold goes in parallel parts, completed in ascending order; a small one in one PUT', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    const data = patterned(3 * 1024 * KB + 123);
    writeFileSync(join(folder, 'big.bin'), data);
    writeFileSync(join(folder, 'small.txt'), 'small');
    const client = fakeClient(fake, { multipartThreshold: 1024 * KB });
    t.after(() => client.dispose());
    const progress: ObsProgress[] = [];
    const etag = await client.uploadFile('b', 'data/big.bin', join(folder, 'big.bin'), { partSize: 256 * KB, parallel: 3, onProgress: (p) => progress.push(p) });
    assert.match(etag, /^"[0-9a-f]{32}-13"$/);
    assert.deepEqual(fake.buckets.get('b')?.objects.get('data/big.bin')?.body, data);
    assert.deepEqual([...partPuts(fake.requests)].sort((a, b) => a - b), Array.from({ length: 13 }, (_, i) => i + 1));
    const completeRequest = fake.requests.find((r) => r.method === 'POST' && r.rawQuery.startsWith('uploadId='));
    assert.ok(completeRequest?.headers['content-md5'], 'complete carries Content-MD5');
    assert.ok(fake.requests.filter((r) => r.method === 'PUT').every((r) => r.headers['content-md5']), 'every part carries Content-MD5');
    assert.deepEqual(progress.at(-1), { bytes: data.length, totalBytes: data.length });
    assert.ok(progress.every((p, i) => i === 0 || p.bytes >= 0), 'progress reported');

    const before = fake.requests.length;
    await client.uploadFile('b', 'small.txt', join(folder, 'small.txt'));
    assert.equal(fake.requests.length - before, 1, 'one PUT for a small file');
    assert.equal(fake.buckets.get('b')?.objects.get('small.txt')?.body.toString(), 'small');
  });

  test('a part whose connection drops is sent again alone; finished parts are not re-sent', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    const data = patterned(1200 * KB, 7);
    writeFileSync(join(folder, 'f.bin'), data);
    const client = fakeClient(fake, { multipartThreshold: 200 * KB });
    t.after(() => client.dispose());
    let dropped = 0;
    fake.fault = (r) => {
      if (r.method === 'PUT' && r.rawQuery.includes('partNumber=3&') && dropped === 0) {
        dropped++;
        return { kind: 'reset-mid-body' };
      }
      return undefined;
    };
    await client.uploadFile('b', 'f.bin', join(folder, 'f.bin'), { partSize: 200 * KB, parallel: 2 });
    assert.equal(dropped, 1, 'the connection of part 3 was dropped');
    const counts = new Map<number, number>();
    for (const n of partPuts(fake.requests)) counts.set(n, (counts.get(n) ?? 0) + 1);
    assert.deepEqual([...counts].sort((a, b) => a[0] - b[0]), [[1, 1], [2, 1], [3, 2], [4, 1], [5, 1], [6, 1]]);
    assert.deepEqual(fake.buckets.get('b')?.objects.get('f.bin')?.body, data);
  });

  test('cancel aborts the upload: no object appears and no upload is left (and without the cancel, it does appear)', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    writeFileSync(join(folder, 'f.bin'), patterned(2048 * KB, 3));
    const client = fakeClient(fake, { multipartThreshold: 200 * KB });
    t.after(() => client.dispose());
    const controller = new AbortController();
    fake.fault = (r) => {
      // Cancel once two parts are in.
      if (partPuts(fake.requests).length === 3 && r.rawQuery.includes('partNumber=')) controller.abort();
      return undefined;
    };
    await assert.rejects(client.uploadFile('b', 'f.bin', join(folder, 'f.bin'), { partSize: 200 * KB, parallel: 1, signal: controller.signal }), (e: unknown) => isModelArtsError(e) && e.kind === 'aborted');
    assert.ok(fake.requests.some((r) => r.method === 'DELETE' && r.rawQuery.startsWith('uploadId=')), 'DELETE ?uploadId sent');
    assert.equal(fake.buckets.get('b')?.objects.has('f.bin'), false);
    assert.equal(fake.uploads.size, 0);
    assert.ok(partPuts(fake.requests).length < 11, 'stopped early');

    fake.fault = undefined;
    await client.uploadFile('b', 'f.bin', join(folder, 'f.bin'), { partSize: 200 * KB, parallel: 1 });
    assert.equal(fake.buckets.get('b')?.objects.has('f.bin'), true);
  });

  test('a cancel while a one-PUT file is hashed is the client’s aborted error, and nothing is sent (without it, the file goes)', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    writeFileSync(join(folder, 'small.py'), 'print(1)\n');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.uploadFile('b', 'small.py', join(folder, 'small.py'), { signal: controller.signal }), (e: unknown) => isModelArtsError(e) && e.kind === 'aborted');
    assert.equal(fake.requests.length, 0);
    await client.uploadFile('b', 'small.py', join(folder, 'small.py'));
    assert.equal(fake.buckets.get('b')?.objects.has('small.py'), true);
  });

  test('a part refused for good aborts the whole upload with that error', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    writeFileSync(join(folder, 'f.bin'), patterned(1024 * KB));
    const client = fakeClient(fake, { multipartThreshold: 200 * KB });
    t.after(() => client.dispose());
    fake.fault = (r) => (r.rawQuery.includes('partNumber=2&') ? { kind: 'reply', status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' } : undefined);
    await assert.rejects(client.uploadFile('b', 'f.bin', join(folder, 'f.bin'), { partSize: 200 * KB, parallel: 1 }), (e: unknown) => isModelArtsError(e) && e.code === 'AccessDenied');
    assert.ok(fake.requests.some((r) => r.method === 'DELETE'));
    assert.equal(fake.uploads.size, 0);
  });

  test('complete: a lost answer is confirmed by HEAD (x-obs-uploadId); a 400 is not retried', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    const data = patterned(600 * KB, 9);
    writeFileSync(join(folder, 'f.bin'), data);
    const client = fakeClient(fake, { multipartThreshold: 200 * KB });
    t.after(() => client.dispose());
    let lose = true;
    fake.fault = (r) => (r.method === 'POST' && r.rawQuery.startsWith('uploadId=') && lose ? ((lose = false), { kind: 'lose-answer' }) : undefined);
    const etag = await client.uploadFile('b', 'f.bin', join(folder, 'f.bin'), { partSize: 200 * KB });
    assert.equal(fake.requests.filter((r) => r.method === 'POST' && r.rawQuery.startsWith('uploadId=')).length, 1, 'complete sent once');
    assert.equal(fake.requests.at(-1)?.method, 'HEAD');
    assert.equal(etag, fake.buckets.get('b')?.objects.get('f.bin')?.etag);

    fake.fault = (r) => (r.method === 'POST' && r.rawQuery.startsWith('uploadId=') ? { kind: 'reply', status: 400, body: '<Error><Code>InvalidPart</Code><Message>bad part</Message></Error>' } : undefined);
    const before = fake.requests.length;
    await assert.rejects(client.uploadFile('b', 'g.bin', join(folder, 'f.bin'), { partSize: 200 * KB }), (e: unknown) => isModelArtsError(e) && e.code === 'InvalidPart');
    const sent = fake.requests.slice(before);
    assert.equal(sent.filter((r) => r.method === 'POST' && r.rawQuery.startsWith('uploadId=')).length, 1);
    assert.equal(sent.at(-1)?.method, 'DELETE', 'the upload is aborted');
  });

  test('part plans: ascending, covering the file; the part size grows past 10,000 parts', () => {
    const parts = planParts(1000, 300);
    assert.deepEqual(parts, [
      { number: 1, start: 0, length: 300 },
      { number: 2, start: 300, length: 300 },
      { number: 3, start: 600, length: 300 },
      { number: 4, start: 900, length: 100 },
    ]);
  });

  test('an empty file is one PUT of zero bytes', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    writeFileSync(join(folder, 'empty'), '');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    await client.uploadFile('b', 'empty', join(folder, 'empty'));
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].headers['content-length'], '0');
    assert.equal(fake.buckets.get('b')?.objects.get('empty')?.body.length, 0);
  });

  test('a part size below the 100 KB minimum is raised to it', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    writeFileSync(join(folder, 'f.bin'), patterned(1000 * KB));
    const client = fakeClient(fake, { multipartThreshold: 200 * KB });
    t.after(() => client.dispose());
    await client.uploadFile('b', 'f.bin', join(folder, 'f.bin'), { partSize: 10 * KB });
    assert.equal(partPuts(fake.requests).length, 10);
  });
});

describe('OBS client: folders', () => {
  test('uploadFiles and downloadPrefix: 40 files up and back identical, 4 at a time, progress in bytes and files', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const folder = tempFolder(t);
    mkdirSync(join(folder, 'src', 'sub'), { recursive: true });
    const items = Array.from({ length: 40 }, (_, i) => {
      const rel = i % 2 ? `sub/f${i}.txt` : `f${i}.txt`;
      writeFileSync(join(folder, 'src', rel), patterned(1000 + i * 100, i + 1));
      return { file: join(folder, 'src', rel), key: `proj/${rel}` };
    });
    items.push({ file: join(folder, 'src', 'f0.txt'), key: 'proj/big/f0.txt' });
    const client = fakeClient(fake, { parallelFiles: 4 });
    t.after(() => client.dispose());
    const up: ObsProgress[] = [];
    await client.uploadFiles('b', items, { onProgress: (p) => up.push(p) });
    const totalBytes = items.reduce((sum, item) => sum + readFileSync(item.file).length, 0);
    assert.deepEqual(up.at(-1), { bytes: totalBytes, totalBytes, files: 41, totalFiles: 41 });

    fake.put('b', 'proj/empty-folder/', '');
    fake.put('b', 'proj/../escape.txt', 'no');
    const down: ObsProgress[] = [];
    const result = await client.downloadPrefix('b', 'proj/', join(folder, 'dst'), { onProgress: (p) => down.push(p) });
    assert.deepEqual(result, { files: 41, bytes: totalBytes });
    for (const item of items) assert.deepEqual(readFileSync(join(folder, 'dst', item.key.slice('proj/'.length))), readFileSync(item.file), item.key);
    assert.equal(existsSync(join(folder, 'dst', 'empty-folder')), true);
    assert.equal(existsSync(join(folder, 'escape.txt')), false, 'a key with .. is not written outside the folder');
    assert.deepEqual(down.at(-1), { bytes: totalBytes, totalBytes, files: 41, totalFiles: 41 });
  });

  test('deleteObjects: 2,500 keys in three requests of at most 1,000, each with Content-MD5', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const keys = Array.from({ length: 2500 }, (_, i) => `k/${i}`);
    for (const key of keys) fake.put('b', key, '');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    const result = await client.deleteObjects('b', keys);
    assert.equal(result.deleted.length, 2500);
    assert.deepEqual(result.errors, []);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 3);
    assert.ok(posts.every((r) => r.rawQuery === 'delete' && r.headers['content-md5']));
    assert.equal(fake.buckets.get('b')?.objects.size, 0);
  });
});
