import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MemoryLogger } from '../../../../src/api/log';
import { createRedactor } from '../../../../src/api/redact';
import { createObsClient } from '../../../../src/api/obs/client';
import { turnsUntil } from '../../helpers/clockSteps';
import { FAKE_AK, FAKE_SK, startFakeObs } from '../../helpers/fakeObs';
import { blackHolePort, refusedPort, failure } from '../../helpers/fakeServer';
import { InstantClock, fakeClient, tempFolder } from './obsRig';


describe('OBS client: errors', () => {
  test('an OBS error body gives the code, message, status and request id, on one line', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    const error = await failure(client.listObjects({ bucket: 'nowhere' }));
    assert.deepEqual([error.kind, error.status, error.code], ['http', 404, 'NoSuchBucket']);
    assert.match(error.requestId ?? '', /^[0-9A-F]{32}$/);
    assert.equal(error.message, 'The specified bucket does not exist');
    assert.equal(fake.requests.length, 1, 'a 404 is not retried');
  });

  test('HEAD errors come from x-obs-error-code / x-obs-error-message; access denied is not retried', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.fault = () => ({ kind: 'reply', status: 403, headers: { 'x-obs-error-code': 'AccessDenied', 'x-obs-error-message': 'Access Denied', 'x-obs-request-id': 'ABC' } });
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    const error = await failure(client.headObject('b', 'k'));
    assert.deepEqual([error.kind, error.status, error.code, error.message, error.requestId], ['http', 403, 'AccessDenied', 'Access Denied', 'ABC']);
    assert.equal(fake.requests.length, 1);
  });

  test('a wrong secret key: SignatureDoesNotMatch, once', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const client = fakeClient(fake, { credentials: () => Promise.resolve({ ak: FAKE_AK, sk: 'wrong-secret-key' }) });
    t.after(() => client.dispose());
    const error = await failure(client.listObjects({ bucket: 'b' }));
    assert.equal(error.code, 'SignatureDoesNotMatch');
    assert.equal(fake.requests.length, 1);
  });

  test('an HTML page or garbage is an invalid response with its status; a 301 names the region', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const client = fakeClient(fake, { retry: { maxAttempts: 1 } });
    t.after(() => client.dispose());
    fake.fault = () => ({ kind: 'reply', status: 502, headers: { 'Content-Type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    const html = await failure(client.listObjects({ bucket: 'b' }));
    assert.deepEqual([html.kind, html.status], ['invalid-response', 502]);
    assert.match(html.message, /502 Bad Gateway/);
    assert.doesNotMatch(html.message, /[<\n]/);
    fake.fault = () => ({ kind: 'reply', status: 200, body: 'not xml at all' });
    const garbage = await failure(client.listObjects({ bucket: 'b' }));
    assert.deepEqual([garbage.kind, garbage.status], ['invalid-response', 200]);
    fake.fault = () => ({ kind: 'reply', status: 301, body: '<Error><Code>PermanentRedirect</Code><Message>moved</Message><Endpoint>b.obs.cn-east-3.myhuaweicloud.com</Endpoint></Error>' });
    const moved = await failure(client.listObjects({ bucket: 'b' }));
    assert.deepEqual([moved.kind, moved.status, moved.code], ['http', 301, 'PermanentRedirect']);
    assert.match(moved.message, /region cn-east-3/);
  });

  test('503 SlowDown with Retry-After is waited out, then succeeds; a wait beyond the cap fails at once as throttled', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const clock = new InstantClock();
    const client = fakeClient(fake, { clock });
    t.after(() => client.dispose());
    let slow = 2;
    fake.fault = () => (slow-- > 0 ? { kind: 'reply', status: 503, headers: { 'Retry-After': '2' }, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' } : undefined);
    await client.listObjects({ bucket: 'b' });
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(clock.sleeps, [2000, 2000]);
    fake.fault = () => ({ kind: 'reply', status: 429, headers: { 'Retry-After': '3600' }, body: '<Error><Code>SlowDown</Code><Message>slow</Message></Error>' });
    const throttled = await failure(client.listObjects({ bucket: 'b' }));
    assert.deepEqual([throttled.kind, throttled.retryAfterSeconds], ['throttled', 3600]);
    assert.equal(fake.requests.length, 4);
  });

  test('a reset GET is retried; a 500 on every attempt stops after 4 requests', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.put('b', 'k', 'v');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    let resets = 1;
    fake.fault = () => (resets-- > 0 ? { kind: 'reset' } : undefined);
    assert.equal((await client.getObject('b', 'k', { maxBytes: 10 })).toString(), 'v');
    assert.equal(fake.requests.length, 2);
    fake.fault = () => ({ kind: 'reply', status: 500, body: '<Error><Code>InternalError</Code><Message>down</Message></Error>' });
    const error = await failure(client.getObject('b', 'k', { maxBytes: 10 }));
    assert.equal(error.code, 'InternalError');
    assert.equal(fake.requests.length, 6);
  });

  test('a stalled server times out (read timeout) with a clear error', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.fault = () => ({ kind: 'stall' });
    const client = fakeClient(fake, { timeouts: { readMs: 100 }, retry: { maxAttempts: 1 } });
    t.after(() => client.dispose());
    const error = await failure(client.listObjects({ bucket: 'b' }));
    assert.deepEqual([error.kind, error.code], ['timeout', 'ETIMEDOUT']);
    assert.match(error.message, /did not answer within 0\.1 s/);
  });
});

describe('OBS client: connections', () => {
  test('a missing bucket is an error for HEAD and DELETE, while a missing key is not', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    assert.equal(await client.headObject('b', 'missing'), undefined);
    await client.deleteObject('b', 'missing');
    assert.equal((await failure(client.headObject('nowhere', 'k'))).code, 'NoSuchBucket');
    assert.equal((await failure(client.deleteObject('nowhere', 'k'))).code, 'NoSuchBucket');
  });

  test('a connection that never completes times out (connect timeout); a refused one is a network error', async (t) => {
    const hole = await blackHolePort();
    t.after(() => hole.close());
    const client = createObsClient({ endpoint: `http://127.0.0.1:${hole.port}`, region: 'r', credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK }), timeouts: { connectMs: 150 }, retry: { maxAttempts: 1 } });
    t.after(() => client.dispose());
    const error = await failure(client.listBuckets());
    assert.deepEqual([error.kind, error.code], ['timeout', 'ETIMEDOUT']);
    assert.match(error.message, /Could not connect to 127\.0\.0\.1:\d+ within 0\.15 s/);
    const refused = createObsClient({ endpoint: `http://127.0.0.1:${await refusedPort()}`, region: 'r', credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK }), retry: { maxAttempts: 1 } });
    t.after(() => refused.dispose());
    const network = await failure(refused.listBuckets());
    assert.deepEqual([network.kind, network.code], ['network', 'ECONNREFUSED']);
  });

  test('dispose cancels a call in flight, and the client sends nothing more', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.fault = () => ({ kind: 'stall' });
    const client = fakeClient(fake);
    const pending = failure(client.listObjects({ bucket: 'b' }));
    await turnsUntil(() => fake.requests.length === 1);
    client.dispose();
    assert.equal((await pending).kind, 'aborted');
    assert.equal((await failure(client.listObjects({ bucket: 'b' }))).kind, 'aborted');
    assert.equal(fake.requests.length, 1);
  });
});

describe('OBS client: size caps', () => {
  test('a 50 MB body is refused past the cap: before reading when Content-Length says so, while streaming otherwise', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    fake.put('b', 'big.bin', big);
    const client = fakeClient(fake, { maxResponseBytes: 1024 * 1024 });
    t.after(() => client.dispose());
    const declared = await failure(client.getObject('b', 'big.bin', { maxBytes: 16 * 1024 * 1024 }));
    assert.deepEqual([declared.kind, declared.code], ['invalid-response', 'ResponseTooLarge']);
    assert.match(declared.message, /16 MB/);
    assert.equal((await client.getObject('b', 'big.bin', { maxBytes: 100, range: { start: 0, end: 9 } })).length, 10);

    // An XML answer without Content-Length that runs past the client's cap.
    fake.fault = (r) => (r.method === 'GET' && !r.key ? { kind: 'reply', status: 200, body: big, chunked: true } : undefined);
    const streamed = await failure(client.listObjects({ bucket: 'b' }));
    assert.deepEqual([streamed.kind, streamed.code], ['invalid-response', 'ResponseTooLarge']);
  });
});

describe('OBS client: downloads to a file', () => {
  test('the file appears whole or not at all: a body cut short leaves no file and no temporary', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.put('b', 'dir/data.bin', Buffer.alloc(300_000, 7));
    const folder = tempFolder(t);
    const client = fakeClient(fake, { retry: { maxAttempts: 1 } });
    t.after(() => client.dispose());
    const progress: number[] = [];
    const head = await client.downloadFile('b', 'dir/data.bin', join(folder, 'out', 'data.bin'), { onProgress: (p) => progress.push(p.bytes) });
    assert.equal(head.size, 300_000);
    assert.deepEqual(readFileSync(join(folder, 'out', 'data.bin')), Buffer.alloc(300_000, 7));
    assert.equal(progress.at(-1), 300_000);

    fake.fault = () => ({ kind: 'reply', status: 200, headers: { 'Content-Length': '1000' }, body: 'short' });
    const cut = await failure(client.downloadFile('b', 'dir/data.bin', join(folder, 'cut.bin')));
    assert.equal(cut.kind, 'network');
    assert.equal(existsSync(join(folder, 'cut.bin')), false);
    assert.deepEqual(readdirSync(folder).sort(), ['out']);
  });

  test('a download cut short is tried again whole; an empty object gives an empty file', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.put('b', 'data.bin', Buffer.alloc(100_000, 3));
    fake.put('b', 'empty', '');
    const folder = tempFolder(t);
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    let cut = 1;
    fake.fault = () => (cut-- > 0 ? { kind: 'reply', status: 200, headers: { 'Content-Length': '100000' }, body: 'short' } : undefined);
    await client.downloadFile('b', 'data.bin', join(folder, 'data.bin'));
    assert.equal(fake.requests.length, 2);
    assert.deepEqual(readFileSync(join(folder, 'data.bin')), Buffer.alloc(100_000, 3));
    await client.downloadFile('b', 'empty', join(folder, 'empty'));
    assert.equal(readFileSync(join(folder, 'empty')).length, 0);
    assert.deepEqual(readdirSync(folder).sort(), ['data.bin', 'empty']);
  });

  test('cancelling a download mid-body removes the temporary file', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.put('b', 'big', Buffer.alloc(20 * 1024 * 1024, 1));
    const folder = tempFolder(t);
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    const controller = new AbortController();
    const error = await failure(client.downloadFile('b', 'big', join(folder, 'big'), { signal: controller.signal, onProgress: (p) => p.bytes > 1024 * 1024 && controller.abort() }));
    assert.equal(error.kind, 'aborted');
    assert.deepEqual(readdirSync(folder), []);
  });
});

describe('OBS client: secrets', () => {
  test('temporary credentials: the token is sent and signed, and neither it nor the SK reaches the log or errors', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    fake.addBucket('b');
    fake.requiredToken = 'CANARY-SECURITY-TOKEN-123456';
    const log = new MemoryLogger();
    const redactor = createRedactor();
    const client = fakeClient(fake, { log, redactor, credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK, securityToken: 'CANARY-SECURITY-TOKEN-123456' }) });
    t.after(() => client.dispose());
    await client.putObject('b', 'k', 'v');
    assert.equal(fake.requests[0].headers['x-obs-security-token'], 'CANARY-SECURITY-TOKEN-123456');
    fake.fault = () => ({ kind: 'reply', status: 400, body: '<Error><Code>InvalidArgument</Code><Message>bad token CANARY-SECURITY-TOKEN-123456 sk ' + FAKE_SK + '</Message></Error>' });
    const error = await failure(client.listObjects({ bucket: 'b' }));
    assert.ok(log.lines.length >= 2, 'requests were logged');
    const everything = `${log.text()}\n${error.message}\n${error.toString()}`;
    assert.ok(!everything.includes('CANARY-SECURITY-TOKEN'), everything);
    assert.ok(!everything.includes(FAKE_SK));
    assert.ok(!everything.includes(String(fake.requests[0].headers.authorization)));
    assert.equal(redactor.redact('x CANARY-SECURITY-TOKEN-123456 y'), 'x *** y', 'the token was added to the redactor');
  });
});

describe('OBS client: input checked before any request', () => {
  test('bad bucket names, empty and over-long keys, bad metadata: invalid-input and nothing sent', async (t) => {
    const fake = await startFakeObs();
    t.after(() => fake.close());
    const client = fakeClient(fake);
    t.after(() => client.dispose());
    for (const name of ['ab', 'Upper', '-start', 'end.', 'a..b', '192.168.1.1']) assert.equal((await failure(client.createBucket(name))).kind, 'invalid-input', name);
    assert.equal((await failure(client.putObject('b', '', 'x'))).kind, 'invalid-input');
    assert.equal((await failure(client.putObject('b', 'é'.repeat(513), 'x'))).code, 'InvalidObjectKey');
    assert.equal((await failure(client.putObject('b', 'k', 'x', { metadata: { 'na me': 'v' } }))).kind, 'invalid-input');
    assert.equal((await failure(client.putObject('b', 'k', 'x', { metadata: { name: 'ü' } }))).kind, 'invalid-input');
    assert.equal(fake.requests.length, 0);
    await client.createBucket('good-name');
    assert.equal(fake.requests.length, 1, 'a valid name is sent');
  });
});
