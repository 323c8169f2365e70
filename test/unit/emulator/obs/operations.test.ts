import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { type HttpResult, startTestEmulator } from '../../helpers/emulatorHelpers';
import { md5Base64, md5Hex, obsFetch, xmlField, xmlFields } from './obsRig';

// Each OBS operation of the emulator and its documented errors, over HTTP with hand-signed requests:
// buckets, objects, listings, batch delete, with the service's headers and XML error bodies.

const REQUEST_ID = /^[0-9A-F]{32}$/;

function assertObsError(res: HttpResult, status: number, code: string, what = ''): void {
  assert.equal(res.status, status, `${what} ${res.status} ${res.text}`);
  assert.equal(res.headers['content-type'], 'application/xml', what);
  assert.equal(xmlField(res.text, 'Code'), code, `${what} ${res.text}`);
  assert.ok((xmlField(res.text, 'Message') ?? '').length > 0, what);
  assert.match(xmlField(res.text, 'RequestId') ?? '', REQUEST_ID, what);
  assert.equal(res.headers['x-obs-request-id'], xmlField(res.text, 'RequestId'), what);
}

describe('OBS buckets in the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator());
  });
  after(() => emu.close());

  it('ListBuckets answers every region\'s buckets with their Location, path-style and on the service name', async () => {
    for (const style of ['path', 'virtual'] as const) {
      const res = await obsFetch(emu, 'GET', undefined, undefined, { style });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['content-type'], 'application/xml');
      assert.match(String(res.headers['x-obs-request-id']), REQUEST_ID);
      assert.ok(String(res.headers['x-obs-id-2']).length > 10);
      assert.match(res.text, /^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>\n<ListAllMyBucketsResult xmlns="http:\/\/obs\.cn-north-4\.myhuaweicloud\.com\/doc\/2015-06-30\/">/);
      const names = xmlFields(res.text, 'Name');
      assert.ok(names.includes('demo-bucket') && names.includes('demo-archive-east'), names.join(','));
      assert.equal(xmlFields(res.text, 'Location')[names.indexOf('demo-archive-east')], 'cn-east-3');
    }
  });

  it('CreateBucket: 200, in the endpoint\'s region or the body\'s Location; 409 when it exists; 400 InvalidBucketName; 400 MalformedXML', async () => {
    const plain = await obsFetch(emu, 'PUT', 'new-bucket-1', undefined);
    assert.equal(plain.status, 200, plain.text);
    const east = await obsFetch(emu, 'PUT', 'new-bucket-east', undefined, { body: '<CreateBucketConfiguration><Location>cn-east-3</Location></CreateBucketConfiguration>' });
    assert.equal(east.status, 200, east.text);
    const list = (await obsFetch(emu, 'GET', undefined, undefined)).text;
    const names = xmlFields(list, 'Name');
    assert.equal(xmlFields(list, 'Location')[names.indexOf('new-bucket-1')], 'cn-north-4');
    assert.equal(xmlFields(list, 'Location')[names.indexOf('new-bucket-east')], 'cn-east-3');
    assertObsError(await obsFetch(emu, 'PUT', 'new-bucket-1', undefined), 409, 'BucketAlreadyOwnedByYou');
    for (const bad of ['ab', 'Upper-case', '-dash-first', 'dot-last.', 'two..dots', 'a.-b', '192.168.1.1', 'a'.repeat(64), 'under_score']) {
      assertObsError(await obsFetch(emu, 'PUT', bad, undefined), 400, 'InvalidBucketName', bad);
    }
    assertObsError(await obsFetch(emu, 'PUT', 'new-bucket-2', undefined, { body: '<CreateBucketConfiguration><Location>' }), 400, 'MalformedXML');
    const head = await obsFetch(emu, 'HEAD', 'new-bucket-east', undefined);
    assert.equal(head.status, 200);
    assert.equal(head.headers['x-obs-bucket-location'], 'cn-east-3');
  });

  it('a bucket reached through another region\'s endpoint: 301 PermanentRedirect naming the right one; its own region: 200', async () => {
    const wrong = await obsFetch(emu, 'GET', 'demo-archive-east', undefined, { style: 'virtual' });
    assertObsError(wrong, 301, 'PermanentRedirect');
    assert.equal(xmlField(wrong.text, 'Endpoint'), 'demo-archive-east.obs.cn-east-3.myhuaweicloud.com');
    const right = await obsFetch(emu, 'GET', 'demo-archive-east', undefined, { style: 'virtual', region: 'cn-east-3' });
    assert.equal(right.status, 200, right.text);
    assert.match(right.text, /xmlns="http:\/\/obs\.cn-east-3\.myhuaweicloud\.com\/doc\/2015-06-30\/"/);
  });

  it('NoSuchBucket; MethodNotAllowed for what the emulator does not serve; DeleteBucket 409 when not empty, 204 when empty', async () => {
    assertObsError(await obsFetch(emu, 'GET', 'no-such-bucket', undefined), 404, 'NoSuchBucket');
    assertObsError(await obsFetch(emu, 'GET', 'no-such-bucket', 'a.txt'), 404, 'NoSuchBucket');
    assertObsError(await obsFetch(emu, 'PUT', undefined, undefined), 405, 'MethodNotAllowed');
    assertObsError(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { query: 'acl' }), 405, 'MethodNotAllowed');
    assertObsError(await obsFetch(emu, 'PATCH', 'demo-bucket', 'README.txt'), 405, 'MethodNotAllowed');
    assertObsError(await obsFetch(emu, 'DELETE', 'demo-bucket', undefined), 409, 'BucketNotEmpty');
    await obsFetch(emu, 'PUT', 'to-delete-bucket', undefined);
    assert.equal((await obsFetch(emu, 'DELETE', 'to-delete-bucket', undefined)).status, 204);
    assertObsError(await obsFetch(emu, 'GET', 'to-delete-bucket', undefined), 404, 'NoSuchBucket');
  });
});

describe('OBS objects in the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator());
  });
  after(() => emu.close());

  it('PUT stores the bytes, Content-Type and x-obs-meta-*; GET and HEAD return them with ETag and Last-Modified', async () => {
    const body = 'print("hi")\n';
    const put = await obsFetch(emu, 'PUT', 'demo-bucket', 'code/train.py', { body, md5: true, headers: { 'Content-Type': 'text/x-python', 'x-obs-meta-origin': ' vscode ', 'Cache-Control': 'no-cache' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.headers.etag, `"${md5Hex(body)}"`);
    assert.equal(put.body.length, 0);
    const got = await obsFetch(emu, 'GET', 'demo-bucket', 'code/train.py');
    assert.equal(got.status, 200);
    assert.equal(got.text, body);
    assert.equal(got.headers['content-type'], 'text/x-python');
    assert.equal(got.headers.etag, `"${md5Hex(body)}"`);
    assert.equal(got.headers['x-obs-meta-origin'], 'vscode');
    assert.equal(got.headers['cache-control'], 'no-cache');
    assert.equal(got.headers['last-modified'], new Date(emu.clock.now()).toUTCString());
    const head = await obsFetch(emu, 'HEAD', 'demo-bucket', 'code/train.py');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(body.length));
    assert.equal(head.body.length, 0);
    const overridden = await obsFetch(emu, 'GET', 'demo-bucket', 'code/train.py', { query: 'response-content-type=text%2Fplain' });
    assert.equal(overridden.headers['content-type'], 'text/plain');
  });

  it('Range: 206 with Content-Range (a-b, a-, -n); beyond the end 416 InvalidRange; malformed ranges are ignored', async () => {
    await obsFetch(emu, 'PUT', 'demo-bucket', 'range.txt', { body: '0123456789' });
    const cases: Array<[string, string, string]> = [['bytes=2-4', '234', 'bytes 2-4/10'], ['bytes=7-', '789', 'bytes 7-9/10'], ['bytes=-3', '789', 'bytes 7-9/10'], ['bytes=8-100', '89', 'bytes 8-9/10']];
    for (const [range, text, contentRange] of cases) {
      const res = await obsFetch(emu, 'GET', 'demo-bucket', 'range.txt', { headers: { Range: range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.text, text, range);
      assert.equal(res.headers['content-range'], contentRange, range);
      assert.equal(res.headers.etag, `"${md5Hex('0123456789')}"`);
    }
    assertObsError(await obsFetch(emu, 'GET', 'demo-bucket', 'range.txt', { headers: { Range: 'bytes=10-12' } }), 416, 'InvalidRange');
    const ignored = await obsFetch(emu, 'GET', 'demo-bucket', 'range.txt', { headers: { Range: 'bytes=1-2,4-5' } });
    assert.equal(ignored.status, 200);
    assert.equal(ignored.text, '0123456789');
  });

  it('conditions: If-None-Match 304, If-Match 412 PreconditionFailed', async () => {
    await obsFetch(emu, 'PUT', 'demo-bucket', 'cond.txt', { body: 'x' });
    const etag = `"${md5Hex('x')}"`;
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', 'cond.txt', { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', 'cond.txt', { headers: { 'If-Match': etag } })).status, 200);
    const failed = await obsFetch(emu, 'GET', 'demo-bucket', 'cond.txt', { headers: { 'If-Match': '"0000"' } });
    assertObsError(failed, 412, 'PreconditionFailed');
    assert.equal(xmlField(failed.text, 'Condition'), 'If-Match');
  });

  it('Content-MD5 that does not match: 400 BadDigest and nothing stored; a malformed one: 400 InvalidDigest', async () => {
    const bad = await obsFetch(emu, 'PUT', 'demo-bucket', 'digest.txt', { body: 'abc', headers: { 'Content-MD5': md5Base64('abd') } });
    assertObsError(bad, 400, 'BadDigest');
    assertObsError(await obsFetch(emu, 'GET', 'demo-bucket', 'digest.txt'), 404, 'NoSuchKey');
    assertObsError(await obsFetch(emu, 'PUT', 'demo-bucket', 'digest.txt', { body: 'abc', headers: { 'Content-MD5': 'nope' } }), 400, 'InvalidDigest');
    assert.equal((await obsFetch(emu, 'PUT', 'demo-bucket', 'digest.txt', { body: 'abc', md5: true })).status, 200);
  });

  it('NoSuchKey on GET (XML with Resource) and on HEAD (no body, x-obs-error-code headers); DELETE answers 204 present or not', async () => {
    const missing = await obsFetch(emu, 'GET', 'demo-bucket', 'missing/key.txt');
    assertObsError(missing, 404, 'NoSuchKey');
    assert.equal(xmlField(missing.text, 'Resource'), '/demo-bucket/missing/key.txt');
    const head = await obsFetch(emu, 'HEAD', 'demo-bucket', 'missing/key.txt');
    assert.equal(head.status, 404);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['x-obs-error-code'], 'NoSuchKey');
    assert.ok(String(head.headers['x-obs-error-message']).length > 0);
    await obsFetch(emu, 'PUT', 'demo-bucket', 'gone.txt', { body: 'x' });
    assert.equal((await obsFetch(emu, 'DELETE', 'demo-bucket', 'gone.txt')).status, 204);
    assert.equal((await obsFetch(emu, 'DELETE', 'demo-bucket', 'gone.txt')).status, 204);
    assertObsError(await obsFetch(emu, 'GET', 'demo-bucket', 'gone.txt'), 404, 'NoSuchKey');
  });

  it('CopyObject copies bytes and metadata (COPY) or takes the request\'s (REPLACE); a rename is copy then delete', async () => {
    await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/src ü.txt', { body: 'copy me', headers: { 'Content-Type': 'text/plain', 'x-obs-meta-a': '1' } });
    const source = `/demo-bucket/${encodeURIComponent('copy/src ü.txt').replace(/%2F/g, '/')}`;
    const copied = await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/dst.txt', { headers: { 'x-obs-copy-source': source } });
    assert.equal(copied.status, 200, copied.text);
    assert.equal(xmlField(copied.text, 'ETag'), `&quot;${md5Hex('copy me')}&quot;`);
    const got = await obsFetch(emu, 'GET', 'demo-bucket', 'copy/dst.txt');
    assert.equal(got.text, 'copy me');
    assert.equal(got.headers['x-obs-meta-a'], '1');
    assert.equal(got.headers['content-type'], 'text/plain');
    const replaced = await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/renamed.txt', { headers: { 'x-obs-copy-source': source, 'x-obs-metadata-directive': 'REPLACE', 'Content-Type': 'text/x-new', 'x-obs-meta-b': '2' } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal((await obsFetch(emu, 'DELETE', 'demo-bucket', 'copy/src ü.txt')).status, 204);
    const renamed = await obsFetch(emu, 'GET', 'demo-bucket', 'copy/renamed.txt');
    assert.equal(renamed.text, 'copy me');
    assert.equal(renamed.headers['x-obs-meta-b'], '2');
    assert.equal(renamed.headers['x-obs-meta-a'], undefined);
    assert.equal(renamed.headers['content-type'], 'text/x-new');
    assert.equal(got.headers.etag, renamed.headers.etag);
    assertObsError(await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/x.txt', { headers: { 'x-obs-copy-source': source } }), 404, 'NoSuchKey');
    const dst = '/demo-bucket/copy/dst.txt';
    assertObsError(await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/x.txt', { headers: { 'x-obs-copy-source': dst, 'x-obs-copy-source-if-match': '"0"' } }), 412, 'PreconditionFailed');
    assertObsError(await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/x.txt', { headers: { 'x-obs-copy-source': dst }, body: 'body' }), 400, 'MaxMessageLengthExceeded');
    assertObsError(await obsFetch(emu, 'PUT', 'demo-bucket', 'copy/x.txt', { headers: { 'x-obs-copy-source': '/no-such-bucket/a' } }), 404, 'NoSuchBucket');
  });

  it('a PUT declaring more than 5 GB is 400 EntityTooLarge before any byte is read', async () => {
    const res = await obsFetch(emu, 'PUT', 'demo-bucket', 'too-big.bin', { headers: { 'Content-Length': String(5 * 1024 ** 3 + 1) } });
    assertObsError(res, 400, 'EntityTooLarge');
    assert.equal(res.headers.connection, 'close', 'the unread body is not waited for');
  });

  it('a key of 1024 bytes is fine, 1025 bytes is 400 KeyTooLongError; keys with spaces, UTF-8 and !*\'() round-trip', async () => {
    assert.equal((await obsFetch(emu, 'PUT', 'demo-bucket', 'k'.repeat(1024), { body: 'x' })).status, 200);
    assertObsError(await obsFetch(emu, 'PUT', 'demo-bucket', 'k'.repeat(1025), { body: 'x' }), 400, 'KeyTooLongError');
    assertObsError(await obsFetch(emu, 'GET', 'demo-bucket', `${'ü'.repeat(512)}x`), 400, 'KeyTooLongError');
    const key = "dir a/ü (1)!*'.txt";
    assert.equal((await obsFetch(emu, 'PUT', 'demo-bucket', key, { body: 'odd' })).status, 200);
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', key)).text, 'odd');
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', key, { style: 'virtual' })).text, 'odd');
  });
});
