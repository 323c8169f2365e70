import { strict as assert } from 'node:assert';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { ModelArtsError } from '../../../src/api/errors';
import { createHttpClient, type HttpClientOptions, type ModelArtsHttpClient } from '../../../src/api/http';
import { MemoryLogger } from '../../../src/api/log';
import { DEFAULT_RETRY, backoffDelay, decideRetry, isRetryableStatus, parseRetryAfter, RetryBudget, resolveRetryOptions } from '../../../src/api/retry';
import { failOnUnhandledRejections, type FakeServer, settle, startFakeServer, staticTokenAuth, until } from '../helpers/fakeServer';

// A hang (a request that never settles) fails the suite instead of stalling the run.
const SUITE = { timeout: 60_000 };

failOnUnhandledRejections(after, 'no unhandled rejection during the retry tests');

describe('retry policy (pure)', SUITE, () => {
  it('retries 429, 408 and 5xx except 501 and 505', () => {
    for (const status of [429, 408, 500, 502, 503, 504, 599]) assert.equal(isRetryableStatus(status), true, String(status));
    for (const status of [200, 400, 401, 403, 404, 409, 501, 505]) assert.equal(isRetryableStatus(status), false, String(status));
  });

  it('reads Retry-After as seconds, HTTP-date, past date and garbage', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter(new Date(now + 7000).toUTCString(), now), 7000);
    assert.equal(parseRetryAfter(new Date(now - 60_000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('full jitter stays under a doubling ceiling capped at maxDelayMs', () => {
    const opts = { baseDelayMs: 500, maxDelayMs: 10_000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts, () => 0.999999)), [499, 999, 1999, 3999, 7999, 9999]);
    assert.equal(backoffDelay(1, opts, () => 0), 0);
  });

  it('budget: retries cost 1, successes refund 0.1, never above capacity', () => {
    const budget = new RetryBudget({ capacity: 2, retryCost: 1, successRefund: 0.5 });
    assert.equal(budget.tryTake(), true);
    assert.equal(budget.tryTake(), true);
    assert.equal(budget.tryTake(), false);
    budget.onSuccess();
    budget.onSuccess();
    assert.equal(budget.tryTake(), true);
    for (let i = 0; i < 10; i++) budget.onSuccess();
    assert.equal(budget.tokens, 2);
  });

  it('[Q2] a Retry-After beyond the cap fails at once as throttled, even for POST', () => {
    const error = new ModelArtsError({ kind: 'http', status: 429, code: 'APIGW.0308', message: 'too many', requestId: 'r1' });
    const decision = decideRetry({
      error,
      attempt: 1,
      retries: 0,
      idempotent: false,
      retryAfter: '3600',
      nowMs: 0,
      options: resolveRetryOptions(),
      budget: new RetryBudget(DEFAULT_RETRY.budget),
      random: () => 0.5,
    });
    assert.equal(decision.action, 'fail');
    assert.ok(decision.action === 'fail');
    assert.equal(decision.error.kind, 'throttled');
    assert.equal(decision.error.message, 'throttled, retry after 3600 s');
    assert.equal(decision.error.retryAfterSeconds, 3600);
    assert.equal(decision.error.requestId, 'r1');
  });
});

describe('retries against a scripted server (ManualClock, no sleeps)', SUITE, () => {
  let server: FakeServer;
  let clock: ManualClock;
  let client: ModelArtsHttpClient;
  let log: MemoryLogger;

  const make = (overrides: Partial<HttpClientOptions> = {}): ModelArtsHttpClient =>
    createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), clock, log, random: () => 0.9, ...overrides });

  beforeEach(async () => {
    server = await startFakeServer();
    clock = new ManualClock();
    log = new MemoryLogger();
    client = make();
  });
  afterEach(async () => {
    client.dispose();
    await server.close();
  });

  it('[Q1] quality 1: 429 with Retry-After: 2 three times, then 200: exactly 4 requests, waits of 2 s', async () => {
    const throttled = { status: 429, headers: { 'Retry-After': '2' }, body: { error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached' } };
    server.reply(throttled, throttled, throttled, { status: 200, body: { data: [{ id: 'nb-1' }], total: 1 } });
    const response = await settle(client.send<{ total: number }>({ method: 'GET', path: '/v1/p/notebooks' }), clock);
    assert.equal(response.status, 200);
    assert.equal(response.body.total, 1);
    assert.equal(server.requests.length, 4);
    assert.deepEqual(clock.sleeps, [2000, 2000, 2000]);
    assert.ok(clock.sleeps.every((ms) => ms >= 2000));
  });

  it('[Q2] quality 2: Retry-After as an HTTP-date waits until that date', async () => {
    const at = new Date(clock.now() + 5000).toUTCString();
    server.reply({ status: 503, headers: { 'Retry-After': at } }, { status: 200, body: {} });
    await settle(client.send({ method: 'GET', path: '/v1/p/notebooks' }), clock);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(clock.sleeps, [5000]);
  });

  it('[Q2] quality 2: Retry-After in the past retries at once', async () => {
    server.reply({ status: 429, headers: { 'Retry-After': new Date(clock.now() - 60_000).toUTCString() } }, { status: 200, body: {} });
    await settle(client.send({ method: 'GET', path: '/v1/p/notebooks' }), clock);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(clock.sleeps, [0]);
  });

  it('[Q2] quality 2: unreadable Retry-After falls back to jittered backoff', async () => {
    server.reply({ status: 429, headers: { 'Retry-After': 'whenever' } }, { status: 200, body: {} });
    await settle(client.send({ method: 'GET', path: '/v1/p/notebooks' }), clock);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(clock.sleeps, [450]); // 0.9 × the first ceiling of 500 ms
  });

  it('[Q2] quality 2: Retry-After: 3600 does not wait: throttled at once, retry after 3600 s', async () => {
    server.reply({ status: 429, headers: { 'Retry-After': '3600', 'X-Request-Id': 'req-thr' }, body: { error_code: 'APIGW.0308', error_msg: 'throttled' } });
    const error = await settle(client.send({ method: 'GET', path: '/v1/p/notebooks' }), clock).then(
      () => assert.fail('expected throttled'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.equal(error.kind, 'throttled');
    assert.equal(error.message, 'throttled, retry after 3600 s');
    assert.equal(error.retryAfterSeconds, 3600);
    assert.equal(error.requestId, 'req-thr');
    assert.equal(server.requests.length, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('[Q2][Q18] quality 2 / 18: cancelling during a backoff wait sends no further request', async () => {
    server.otherwise({ status: 503 });
    const controller = new AbortController();
    const pending = client.send({ method: 'GET', path: '/v1/p/notebooks', signal: controller.signal });
    pending.catch(() => undefined);
    await until(() => clock.pending > 0, 'the first backoff wait');
    assert.equal(server.requests.length, 1, 'positive control: the first request was sent');
    controller.abort();
    const error = await pending.then(
      () => assert.fail('expected abort'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.equal(error.kind, 'aborted');
    await clock.runAll();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(server.requests.length, 1, 'no request after the abort');
  });

  it('an aborted signal sends nothing at all', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.send({ method: 'GET', path: '/x', signal: controller.signal }), (e: ModelArtsError) => e.kind === 'aborted');
    assert.equal(server.requests.length, 0);
  });

  it('[Q3] quality 3: 503 ten times on a GET: 4 requests, growing jittered delays, the last request id', async () => {
    let n = 0;
    server.otherwise(() => ({ status: 503, headers: { 'X-Request-Id': `req-${++n}` }, body: { error_code: 'APIGW.0201', error_msg: 'backend unavailable' } }));
    const error = await settle(client.send({ method: 'GET', path: '/v2/p/training-jobs/j' }), clock).then(
      () => assert.fail('expected 503'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.equal(server.requests.length, 4);
    assert.deepEqual(clock.sleeps, [450, 900, 1800]);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'APIGW.0201');
    assert.equal(error.requestId, 'req-4');
    assert.match(error.toString(), /request id req-4/);
  });

  it('[Q3] quality 3: with real randomness every delay stays inside its doubling window', async () => {
    client.dispose();
    client = make({ random: Math.random });
    server.otherwise({ status: 503 });
    await settle(client.send({ method: 'GET', path: '/x' }), clock).catch(() => undefined);
    assert.equal(clock.sleeps.length, 3);
    clock.sleeps.forEach((ms, i) => assert.ok(ms >= 0 && ms < 500 * 2 ** i, `wait ${i + 1} = ${ms}`));
  });

  for (const [what, reply] of [
    ['500', { status: 500, body: { error_code: 'ModelArts.0001', error_msg: 'internal' } }],
    ['a reset after sending', { kind: 'reset' }],
  ] as const) {
    it(`[Q4] quality 4: POST action answered by ${what}: exactly 1 request`, async () => {
      server.otherwise(reply);
      await assert.rejects(settle(client.send({ method: 'POST', path: '/v1/p/notebooks/nb/start', query: { duration: 3600000 } }), clock));
      assert.equal(server.requests.length, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  it('[Q4] quality 4 positive control: the same 500 on a GET is retried (4 requests)', async () => {
    server.otherwise({ status: 500 });
    await assert.rejects(settle(client.send({ method: 'GET', path: '/v1/p/notebooks/nb' }), clock));
    assert.equal(server.requests.length, 4);
  });

  it('reads sent as POST (idempotent: true) are retried', async () => {
    server.reply({ status: 502 }, { status: 200, body: { items: [] } });
    await settle(client.send({ method: 'POST', path: '/v2/p/training-job-searches', body: { limit: 10 }, idempotent: true }), clock);
    assert.equal(server.requests.length, 2);
  });

  for (const status of [400, 401, 403, 404, 501, 505]) {
    it(`[Q4] quality 4: GET answered ${status}: no retry`, async () => {
      server.otherwise({ status, body: { error_code: `X.${status}`, error_msg: 'no' } });
      const error = await settle(client.send({ method: 'GET', path: '/v1/p/notebooks/nb' }), clock).then(
        () => assert.fail('expected error'),
        (e: unknown) => e as ModelArtsError,
      );
      assert.equal(error.status, status);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  it('[Q6] quality 6: 50 parallel GETs all answered 503: at most 100 requests (50 + a budget of 20)', async () => {
    server.otherwise({ status: 503 });
    const calls = Array.from({ length: 50 }, (_, i) => client.send({ method: 'GET', path: `/v1/p/notebooks/nb-${i}` }).catch((e: unknown) => e));
    const results = await settle(Promise.all(calls), clock);
    assert.ok(results.every((r) => r instanceof ModelArtsError && r.status === 503));
    assert.ok(server.requests.length <= 100, `${server.requests.length} requests`);
    assert.equal(server.requests.length, 70);
    console.log(`[figure Q6] 50 parallel GETs answered 503: ${server.requests.length} requests [<= 100]`);
    assert.ok(log.text().includes('retry budget exhausted'));
  });

  it('[Q6] quality 6: successes refill the budget slowly', async () => {
    client.dispose();
    client = make({ retry: { budget: { capacity: 1, successRefund: 0.5 } } });
    server.reply({ status: 503 }, { status: 200, body: {} }, { status: 503 }, { status: 503 });
    await settle(client.send({ method: 'GET', path: '/a' }), clock); // 503 then 200: the one token spent, 0.5 back
    await assert.rejects(settle(client.send({ method: 'GET', path: '/b' }), clock)); // 0.5 < 1: no retry
    assert.equal(server.requests.length, 3);
  });

  it('logs each attempt at debug with status, attempt and request id, but no headers', async () => {
    server.reply({ status: 503, headers: { 'X-Request-Id': 'rid-1' } }, { status: 200, headers: { 'X-Request-Id': 'rid-2' }, body: {} });
    await settle(client.send({ method: 'GET', path: '/v1/p/notebooks', query: { limit: 10, offset: 0, name: 'private-name' } }), clock);
    const lines = log.atLevel('debug');
    assert.ok(lines.some((l) => l.includes('GET /v1/p/notebooks?limit=10&offset=0&name=***') && l.includes('503') && l.includes('attempt 1') && l.includes('rid-1')));
    assert.ok(lines.some((l) => l.includes('200') && l.includes('attempt 2') && l.includes('rid-2')));
    assert.ok(!log.text().includes('static-test-token'));
    assert.ok(!log.text().includes('private-name'));
  });
});
