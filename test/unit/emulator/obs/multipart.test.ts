import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MIN_PART_BYTES } from '../../../../src/emulator/obs';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { startTestEmulator } from '../../helpers/emulatorHelpers';
import { md5Hex, obsFetch, sdkClient, xmlField, xmlFields } from './obsRig';

// Multipart uploads in the emulator's OBS: initiate, parts (1–10000, at least 100 KB but the last), complete
// (ascending, ETags quoted or not, the documented errors), abort, list parts, NoSuchUpload; a 200 MB upload
// kept as the parts' own Buffers; and the official SDK's multipart calls.

const BUCKET = 'mp-bucket';

function completeBody(parts: Array<[number, string]>): string {
  return `<CompleteMultipartUpload>${parts.map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
}

describe('OBS multipart uploads in the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    // Started at the real now: the official SDK signs with the real time (the gateway's clock stands still).
    ({ emu } = await startTestEmulator({ seed: 'empty', start: Date.now() }));
    await obsFetch(emu, 'PUT', BUCKET, undefined);
  });
  after(() => emu.close());

  async function initiate(key: string, headers: Record<string, string> = {}): Promise<string> {
    const res = await obsFetch(emu, 'POST', BUCKET, key, { query: 'uploads', headers });
    assert.equal(res.status, 200, res.text);
    assert.equal(xmlField(res.text, 'Key'), key);
    const id = xmlField(res.text, 'UploadId') ?? '';
    assert.match(id, /^[0-9A-F]{32}$/);
    return id;
  }

  async function part(key: string, uploadId: string, n: number | string, body: Buffer | string): Promise<string> {
    const res = await obsFetch(emu, 'PUT', BUCKET, key, { query: `partNumber=${n}&uploadId=${uploadId}`, body });
    assert.equal(res.status, 200, res.text);
    return String(res.headers.etag);
  }

  it('initiate, upload parts, complete (quoted and unquoted ETags): the object, its multipart ETag, metadata and x-obs-uploadId', async () => {
    const key = 'big/model.bin';
    const id = await initiate(key, { 'Content-Type': 'application/x-model', 'x-obs-meta-run': '7' });
    const p1 = Buffer.alloc(MIN_PART_BYTES, 1);
    const p2 = Buffer.alloc(MIN_PART_BYTES + 5, 2);
    const p3 = Buffer.from('tail');
    const e1 = await part(key, id, 1, p1);
    const e2 = await part(key, id, 2, p2);
    const e3 = await part(key, id, 3, p3);
    assert.equal(e1, `"${md5Hex(p1)}"`);
    const done = await obsFetch(emu, 'POST', BUCKET, key, { query: `uploadId=${id}`, body: completeBody([[1, e1], [2, e2.replace(/"/g, '')], [3, e3]]) });
    assert.equal(done.status, 200, done.text);
    const expected = `"${createHash('md5').update(Buffer.concat([p1, p2, p3].map((p) => createHash('md5').update(p).digest()))).digest('hex')}-3"`;
    assert.equal(xmlField(done.text, 'ETag'), expected.replace(/"/g, '&quot;'));
    assert.equal(xmlField(done.text, 'Location'), `/${BUCKET}/${key}`);
    const got = await obsFetch(emu, 'GET', BUCKET, key);
    assert.ok(got.body.equals(Buffer.concat([p1, p2, p3])));
    assert.equal(got.headers.etag, expected);
    assert.equal(got.headers['content-type'], 'application/x-model');
    assert.equal(got.headers['x-obs-meta-run'], '7');
    assert.equal(got.headers['x-obs-uploadid'], id);
    const ranged = await obsFetch(emu, 'GET', BUCKET, key, { headers: { Range: `bytes=${MIN_PART_BYTES - 2}-${MIN_PART_BYTES + 1}` } });
    assert.deepEqual([...ranged.body], [1, 1, 2, 2], 'a range across two parts');
    const after = await obsFetch(emu, 'GET', BUCKET, key, { query: `uploadId=${id}` });
    assert.equal(xmlField(after.text, 'Code'), 'NoSuchUpload', 'the upload is gone once complete');
  });

  it('Complete refuses parts out of order (InvalidPartOrder), a wrong ETag or a missing part (InvalidPart), a small middle part (EntityTooSmall), bad XML', async () => {
    const key = 'errors.bin';
    const id = await initiate(key);
    const e1 = await part(key, id, 1, Buffer.alloc(10, 1));
    const e2 = await part(key, id, 2, Buffer.alloc(10, 2));
    const cases: Array<[string, string, string]> = [
      ['order', completeBody([[2, e2], [1, e1]]), 'InvalidPartOrder'],
      ['repeat', completeBody([[1, e1], [1, e1]]), 'InvalidPartOrder'],
      ['etag', completeBody([[1, '"00000000000000000000000000000000"'], [2, e2]]), 'InvalidPart'],
      ['missing', completeBody([[1, e1], [3, e2]]), 'InvalidPart'],
      ['small', completeBody([[1, e1], [2, e2]]), 'EntityTooSmall'],
      ['empty', '<CompleteMultipartUpload></CompleteMultipartUpload>', 'MalformedXML'],
      ['broken', '<CompleteMultipartUpload><Part>', 'MalformedXML'],
    ];
    for (const [what, body, code] of cases) {
      const res = await obsFetch(emu, 'POST', BUCKET, key, { query: `uploadId=${id}`, body });
      assert.equal(res.status, 400, what);
      assert.equal(xmlField(res.text, 'Code'), code, `${what}: ${res.text}`);
    }
    const single = await obsFetch(emu, 'POST', BUCKET, key, { query: `uploadId=${id}`, body: completeBody([[2, e2]]) });
    assert.equal(single.status, 200, 'one small part alone is the last part, and parts not listed are dropped');
    assert.deepEqual([...(await obsFetch(emu, 'GET', BUCKET, key)).body], Array(10).fill(2));
  });

  it('part numbers 1–10000 only; re-uploading a part replaces it; list parts pages with max-parts and part-number-marker', async () => {
    const key = 'parts.bin';
    const id = await initiate(key);
    for (const bad of [0, 10001, 'x']) {
      const res = await obsFetch(emu, 'PUT', BUCKET, key, { query: `partNumber=${bad}&uploadId=${id}`, body: 'x' });
      assert.equal(res.status, 400, String(bad));
      assert.equal(xmlField(res.text, 'Code'), 'InvalidArgument');
    }
    await part(key, id, 10000, 'last');
    for (const n of [1, 2, 3]) await part(key, id, n, `first ${n}`);
    const replaced = await part(key, id, 2, 'second take');
    const page1 = await obsFetch(emu, 'GET', BUCKET, key, { query: `uploadId=${id}&max-parts=2` });
    assert.deepEqual(xmlFields(page1.text, 'PartNumber'), ['1', '2']);
    assert.equal(xmlFields(page1.text, 'ETag')[1], replaced.replace(/"/g, '&quot;'));
    assert.equal(xmlField(page1.text, 'IsTruncated'), 'true');
    assert.equal(xmlField(page1.text, 'NextPartNumberMarker'), '2');
    const page2 = await obsFetch(emu, 'GET', BUCKET, key, { query: `uploadId=${id}&max-parts=2&part-number-marker=2` });
    assert.deepEqual(xmlFields(page2.text, 'PartNumber'), ['3', '10000']);
    assert.equal(xmlField(page2.text, 'IsTruncated'), 'false');
    assert.deepEqual(xmlFields(page2.text, 'Size'), ['7', '4']);
  });

  it('abort answers 204 and frees the parts; the upload is then NoSuchUpload everywhere', async () => {
    const key = 'aborted.bin';
    const id = await initiate(key);
    const before = emu.obs.usedBytes;
    await part(key, id, 1, Buffer.alloc(1000));
    assert.equal(emu.obs.usedBytes, before + 1000);
    assert.equal((await obsFetch(emu, 'DELETE', BUCKET, key, { query: `uploadId=${id}` })).status, 204);
    assert.equal(emu.obs.usedBytes, before);
    for (const [method, query, body] of [['PUT', `partNumber=1&uploadId=${id}`, 'x'], ['GET', `uploadId=${id}`, undefined], ['DELETE', `uploadId=${id}`, undefined], ['POST', `uploadId=${id}`, completeBody([[1, '"x"']])]] as const) {
      const res = await obsFetch(emu, method, BUCKET, key, { query, body });
      assert.equal(res.status, 404, `${method} ${res.text}`);
      assert.equal(xmlField(res.text, 'Code'), 'NoSuchUpload');
    }
    const otherKey = await obsFetch(emu, 'GET', BUCKET, 'other-key', { query: `uploadId=${await initiate(key)}` });
    assert.equal(xmlField(otherKey.text, 'Code'), 'NoSuchUpload', 'an upload id belongs to its key');
  });

  it('a 200 MB upload in four parts keeps the parts\' own Buffers: the store holds the object\'s bytes and no more', async (t) => {
    const key = 'huge/200mb.bin';
    const partBytes = 50 * 1024 * 1024;
    const id = await initiate(key);
    const start = emu.obs.usedBytes;
    const memoryBefore = process.memoryUsage().arrayBuffers;
    const etags: Array<[number, string]> = [];
    for (let n = 1; n <= 4; n++) etags.push([n, await part(key, id, n, Buffer.alloc(partBytes, n))]);
    const done = await obsFetch(emu, 'POST', BUCKET, key, { query: `uploadId=${id}`, body: completeBody(etags) });
    assert.equal(done.status, 200, done.text);
    assert.equal(emu.obs.usedBytes - start, 4 * partBytes);
    const stored = emu.obs.findBucket(BUCKET)?.objects.get(key);
    assert.ok(stored && stored.chunks.length >= 4, 'the object is the parts\' chunks, not one joined copy');
    assert.equal(stored.size, 4 * partBytes);
    const grown = process.memoryUsage().arrayBuffers - memoryBefore;
    // A figure, not a bar: the object's 200 MB plus what the test's own request Buffers still hold.
    t.diagnostic(`200 MB multipart: arrayBuffers grew ${(grown / 1048576).toFixed(1)} MB while storing ${(stored.size / 1048576).toFixed(0)} MB`);
    const head = await obsFetch(emu, 'HEAD', BUCKET, key);
    assert.equal(head.headers['content-length'], String(4 * partBytes));
    assert.equal((await obsFetch(emu, 'DELETE', BUCKET, key)).status, 204);
    assert.equal(emu.obs.usedBytes, start);
  });

  it('the official SDK\'s multipart calls (initiate, upload part, list parts, complete) are accepted', async () => {
    for (const style of ['path', 'virtual'] as const) {
      const client = await sdkClient(emu, { style });
      const key = `sdk-${style}/multi.bin`;
      const init = await client.initiateMultipartUpload({ Bucket: BUCKET, Key: key });
      assert.equal(init.CommonMsg.Status, 200, JSON.stringify(init.CommonMsg));
      const uploadId = init.InterfaceResult.UploadId;
      const first = await client.uploadPart({ Bucket: BUCKET, Key: key, PartNumber: 1, UploadId: uploadId, Body: Buffer.alloc(MIN_PART_BYTES, 9) });
      const second = await client.uploadPart({ Bucket: BUCKET, Key: key, PartNumber: 2, UploadId: uploadId, Body: Buffer.from('end') });
      assert.equal(second.CommonMsg.Status, 200, JSON.stringify(second.CommonMsg));
      const parts = await client.listParts({ Bucket: BUCKET, Key: key, UploadId: uploadId });
      assert.equal(parts.InterfaceResult.Parts.length, 2);
      const done = await client.completeMultipartUpload({
        Bucket: BUCKET,
        Key: key,
        UploadId: uploadId,
        Parts: [{ PartNumber: 1, ETag: first.InterfaceResult.ETag }, { PartNumber: 2, ETag: second.InterfaceResult.ETag }],
      });
      assert.equal(done.CommonMsg.Status, 200, JSON.stringify(done.CommonMsg));
      assert.match(done.InterfaceResult.ETag, /^"[0-9a-f]{32}-2"$/);
      const head = await client.getObjectMetadata({ Bucket: BUCKET, Key: key });
      assert.equal(Number(head.InterfaceResult.ContentLength), MIN_PART_BYTES + 3);
    }
  });
});
