import { strict as assert } from 'node:assert';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { createHttpClient, type HttpClientOptions, type ModelArtsHttpClient } from '../../../src/api/http';
import { blackHolePort, failOnUnhandledRejections, failure, type FakeServer, refusedPort, settle, startFakeServer, staticTokenAuth, until } from '../helpers/fakeServer';

// A hang (a request that never settles) fails the suite instead of stalling the run.
const SUITE = { timeout: 60_000 };

failOnUnhandledRejections(after, 'no unhandled rejection during the transport tests');


describe('transport: timeouts, resets, refused connections (quality 5)', SUITE, () => {
  let server: FakeServer;
  let clock: ManualClock;
  let client: ModelArtsHttpClient;
  const make = (overrides: Partial<HttpClientOptions> = {}): ModelArtsHttpClient =>
    createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), clock, random: () => 0.5, ...overrides });

  beforeEach(async () => {
    server = await startFakeServer();
    clock = new ManualClock();
    client = make();
  });
  afterEach(async () => {
    client.dispose();
    await server.close();
  });

  it('[Q5] a stalled server: read timeout with a clear message; a GET is tried 4 times', async () => {
    client = make({ timeouts: { readMs: 100 } });
    server.otherwise({ kind: 'stall' });
    const started = Date.now();
    const error = await failure(settle(client.send({ method: 'GET', path: '/v1/p/notebooks' }), clock));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, `ModelArts (${new URL(server.url).host}) did not answer within 0.1 s.`);
    // Four attempts: four connections (a request the client gave up on first may never be read by the server).
    await until(() => server.connections >= 4, 'four connections');
    assert.equal(server.connections, 4);
    assert.ok(server.requests.length >= 1 && server.requests.length <= 4, `${server.requests.length} requests read`);
    assert.equal(clock.sleeps.length, 3);
    assert.ok(Date.now() - started < 5000);
  });

  it('[Q5] a stalled POST times out after exactly 1 request', async () => {
    client = make({ timeouts: { readMs: 100 } });
    server.otherwise({ kind: 'stall' });
    const error = await failure(settle(client.send({ method: 'POST', path: '/v1/p/notebooks/nb/stop' }), clock));
    assert.equal(error.kind, 'timeout');
    assert.equal(server.requests.length, 1);
  });

  it('[Q5] a body that stops arriving: read timeout while reading the body', async () => {
    client = make({ timeouts: { readMs: 100 }, retry: { maxAttempts: 1 } });
    server.otherwise({ kind: 'partial', body: '{"data":[', then: 'stall' });
    const error = await failure(client.send({ method: 'GET', path: '/x' }));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /did not answer within 0\.1 s/);
  });

  it('[Q5] a refused connection: network error naming the host; GET retried, POST not', async () => {
    const port = await refusedPort();
    client = make({ endpoint: `http://127.0.0.1:${port}` });
    const error = await failure(settle(client.send({ method: 'GET', path: '/x' }), clock));
    assert.equal(error.kind, 'network');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.message, `Could not connect to 127.0.0.1:${port}: connection refused.`);
    assert.equal(clock.sleeps.length, 3, 'three backoff waits: four attempts');
    const before = clock.sleeps.length;
    await failure(settle(client.send({ method: 'POST', path: '/x' }), clock));
    assert.equal(clock.sleeps.length, before, 'no retry for POST');
  });

  it('[Q5] a reset mid-body (connection closed, body short of Content-Length): network error at once, not a timeout', async () => {
    client = make({ timeouts: { readMs: 20_000 }, retry: { maxAttempts: 1 } });
    server.otherwise({ kind: 'partial', body: '{"data":[1,2,3', then: 'close' });
    const started = Date.now();
    const error = await failure(client.send({ method: 'GET', path: '/x' }));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /closed before the response was complete/);
    assert.ok(Date.now() - started < 10_000, 'detected from the closed connection, not the 20 s read timer');
  });

  it('[Q5] a TCP reset mid-body: network error ECONNRESET; a GET is retried and then succeeds', async () => {
    server.reply({ kind: 'partial', body: '{"data":[1,2', then: 'reset' }, { status: 200, body: { data: [1, 2] } });
    const response = await settle(client.send<{ data: number[] }>({ method: 'GET', path: '/x' }), clock);
    assert.deepEqual(response.body.data, [1, 2]);
    assert.equal(server.requests.length, 2);
  });

  it('[Q5] a connect that never completes: connect timeout with a clear message', async () => {
    const hole = await blackHolePort();
    try {
      client = make({ endpoint: `http://127.0.0.1:${hole.port}`, timeouts: { connectMs: 100, readMs: 20_000 }, retry: { maxAttempts: 1 } });
      const started = Date.now();
      const error = await failure(client.send({ method: 'GET', path: '/x' }));
      assert.equal(error.kind, 'timeout');
      assert.equal(error.message, `Could not connect to 127.0.0.1:${hole.port} within 0.1 s.`);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      hole.close();
    }
  });

  it('[Q18] quality 18: aborting an in-flight request settles it as aborted, and nothing is sent afterwards', async () => {
    server.otherwise({ kind: 'stall' });
    const controller = new AbortController();
    const pending = client.send({ method: 'GET', path: '/x', signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    const error = await failure(pending);
    assert.equal(error.kind, 'aborted');
    await clock.runAll();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(server.requests.length, 1);
    assert.equal(clock.sleeps.length, 0, 'no backoff after an abort');
  });
});

describe('transport: a disposed client (quality 18)', SUITE, () => {
  it('[Q18] dispose aborts the request in flight and sends nothing afterwards (positive control: one sent before)', async () => {
    const server = await startFakeServer();
    const clock = new ManualClock();
    const client = createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), clock });
    try {
      server.otherwise({ kind: 'stall' });
      const pending = client.send({ method: 'GET', path: '/in-flight' });
      await server.waitForRequests(1);
      client.dispose();
      assert.equal((await failure(pending)).kind, 'aborted');
      const late = await failure(client.send({ method: 'GET', path: '/after' }));
      assert.equal(late.kind, 'aborted');
      await clock.runAll();
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.deepEqual(server.requests.map((r) => r.path), ['/in-flight']);
    } finally {
      await server.close();
    }
  });
});

describe('transport: response size cap (quality 11)', SUITE, () => {
  let server: FakeServer;
  let client: ModelArtsHttpClient;
  beforeEach(async () => {
    server = await startFakeServer();
    client = createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), clock: new ManualClock() });
  });
  afterEach(async () => {
    client.dispose();
    await server.close();
  });

  it('[Q11] a 50 MB streamed body is refused past 16 MB, without reading it all', async (t) => {
    server.otherwise({ kind: 'stream', totalBytes: 50 * 1024 * 1024 });
    const error = await failure(client.send({ method: 'GET', path: '/v2/p/training-jobs/j/tasks/worker-0/logs/preview' }));
    assert.equal(error.kind, 'invalid-response');
    assert.match(error.message, /response larger than 16 MB/);
    await until(() => server.streamedBytes > 0, 'the server streaming');
    assert.ok(server.streamedBytes > 16 * 1024 * 1024, 'positive control: more than the cap was offered');
    assert.ok(server.streamedBytes < 40 * 1024 * 1024, `the client stopped reading (server wrote ${server.streamedBytes} bytes)`);
    t.diagnostic(`50 MB body: the server got to write ${(server.streamedBytes / 1048576).toFixed(1)} MB before the client hung up`);
    assert.equal(server.requests.length, 1, 'not retried');
  });

  it('[Q11] a declared Content-Length over the cap is refused before reading (no wait for the body)', async () => {
    client.dispose();
    client = createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), timeouts: { readMs: 20_000 } });
    // The body never comes: only the declared length can refuse it at once.
    server.otherwise({ kind: 'partial', headers: { 'Content-Length': String(50 * 1024 * 1024) }, body: '{', then: 'stall' });
    const started = Date.now();
    const error = await failure(client.send({ method: 'GET', path: '/x', idempotent: false }));
    assert.equal(error.kind, 'invalid-response');
    assert.match(error.message, /response larger than 16 MB/);
    assert.ok(Date.now() - started < 10_000);
  });

  it('[Q11] a body just under a small cap is accepted; one byte more is refused', async () => {
    client.dispose();
    client = createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), maxResponseBytes: 100 });
    const body = JSON.stringify({ a: 'x'.repeat(92) }); // 100 bytes
    assert.equal(body.length, 100);
    server.reply({ status: 200, body }, { status: 200, body: JSON.stringify({ a: 'x'.repeat(93) }) });
    assert.equal((await client.send<{ a: string }>({ method: 'GET', path: '/x' })).body.a.length, 92);
    assert.equal((await failure(client.send({ method: 'GET', path: '/x' }))).kind, 'invalid-response');
  });

  it('a redirect is not followed (it would carry X-Auth-Token elsewhere)', async () => {
    server.otherwise({ status: 302, headers: { Location: 'http://example.invalid/steal' } });
    const error = await failure(client.send({ method: 'GET', path: '/x', idempotent: false }));
    assert.equal(error.kind, 'invalid-response');
    assert.equal(error.status, 302);
    assert.equal(server.requests.length, 1);
  });
});
