import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import type * as errors from '../../../src/api/errors';
import { createHttpClient, findErrorFields, type ModelArtsHttpClient } from '../../../src/api/http';
import { MemoryLogger } from '../../../src/api/log';
import { failOnUnhandledRejections, failure, type FakeServer, type Reply, startFakeServer, staticTokenAuth } from '../helpers/fakeServer';

// A hang (a request that never settles) fails the suite instead of stalling the run.
const SUITE = { timeout: 60_000 };

failOnUnhandledRejections(after, 'no unhandled rejection during the error tests');


describe('error shapes: every documented error body (check 11)', SUITE, () => {
  let server: FakeServer;
  let client: ModelArtsHttpClient;
  let log: MemoryLogger;
  beforeEach(async () => {
    server = await startFakeServer();
    log = new MemoryLogger();
    // POST keeps these to one request each: retries are not what is tested here.
    client = createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), clock: new ManualClock(), log });
  });
  afterEach(async () => {
    client.dispose();
    await server.close();
  });

  const cases: Array<{ name: string; reply: Reply; code: string; message: string; solution?: string; requestId?: string }> = [
    {
      name: 'error_code + error_msg + error_solution (v2 training)',
      reply: {
        status: 400,
        headers: { 'X-Request-Id': 'hdr-1' },
        body: { error_msg: 'algorithm not found.', error_code: 'ModelArts.2755', error_solution: 'Check whether the algorithm exists.' },
      },
      code: 'ModelArts.2755',
      message: 'algorithm not found.',
      solution: 'Check whether the algorithm exists.',
      requestId: 'hdr-1',
    },
    {
      name: 'gateway error with request_id in the body',
      reply: { status: 404, body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment', request_id: 'body-rid' } },
      code: 'APIGW.0101',
      message: 'The API does not exist or has not been published in the environment',
      requestId: 'body-rid',
    },
    {
      name: 'X-Request-Id header wins over request_id in the body',
      reply: { status: 403, headers: { 'X-Request-Id': 'hdr-2' }, body: { error_code: 'APIGW.0302', error_msg: 'not authorized', request_id: 'body-rid' } },
      code: 'APIGW.0302',
      message: 'not authorized',
      requestId: 'hdr-2',
    },
    {
      name: 'legacy error_code + error_message',
      reply: { status: 400, body: { is_success: false, error_message: 'job not found', error_code: 'ModelArts.0104' } },
      code: 'ModelArts.0104',
      message: 'job not found',
    },
    { name: 'errorCode + errorMsg', reply: { status: 409, body: { errorCode: 'ModelArts.2796', errorMsg: 'cannot terminate' } }, code: 'ModelArts.2796', message: 'cannot terminate' },
    { name: 'code + message', reply: { status: 400, body: { code: 'ModelArts.6309', message: 'instance does not exist' } }, code: 'ModelArts.6309', message: 'instance does not exist' },
    {
      name: 'nested error {code, message, title} (IAM style)',
      reply: { status: 401, body: { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } } },
      code: '401',
      message: 'The username or password is wrong.',
    },
    {
      name: 'an HTML gateway page: code = status, message = a short snippet without tags',
      reply: { status: 400, headers: { 'Content-Type': 'text/html' }, body: '<html><head><title>400 Bad Request</title></head><body><h1>400 Bad Request</h1><hr>nginx</body></html>' },
      code: '400',
      message: '400 Bad Request 400 Bad Request nginx',
    },
    { name: 'an unrecognised JSON body: code = status, message = snippet', reply: { status: 400, body: { weird: true } }, code: '400', message: '{"weird":true}' },
    { name: 'an empty error body: code = status, message = status text', reply: { status: 409, body: '' }, code: '409', message: 'Conflict' },
  ];

  for (const c of cases) {
    it(`[Q11] ${c.name}`, async () => {
      server.otherwise(c.reply);
      const error = await failure(client.send({ method: 'POST', path: '/v2/p/training-jobs', body: { kind: 'job' } }));
      assert.equal(error.kind, 'http');
      assert.equal(error.status, (c.reply as { status: number }).status);
      assert.equal(error.code, c.code);
      assert.equal(error.message, c.message);
      assert.equal(error.solution, c.solution);
      assert.equal(error.requestId, c.requestId);
      assert.doesNotMatch(error.message, /\n/);
      assert.match(error.toString(), new RegExp(`HTTP ${error.status}`));
    });
  }

  it('[Q11] a long multi-line message becomes one line of bounded length', async () => {
    server.otherwise({ status: 400, body: { error_code: 'X.1', error_msg: `line one\nline two\r\n${'z'.repeat(5000)}` } });
    const error = await failure(client.send({ method: 'POST', path: '/x' }));
    assert.doesNotMatch(error.message, /[\r\n]/);
    assert.ok(error.message.startsWith('line one line two'));
    assert.ok(error.message.length <= 500);
  });

  it('Retry-After on an error is kept as retryAfterSeconds', async () => {
    server.otherwise({ status: 429, headers: { 'Retry-After': '7' }, body: { error_code: 'APIGW.0308', error_msg: 'throttled' } });
    const error = await failure(client.send({ method: 'POST', path: '/x' }));
    assert.equal(error.kind, 'http');
    assert.equal(error.retryAfterSeconds, 7);
  });

  it('[Q9] quality 9: 401 APIGW.0301 "signature expired": the message tells the user to check the clock', async () => {
    server.otherwise({
      status: 401,
      body: {
        error_msg: 'Incorrect IAM authentication information: signature expired, signature time: 20260101T000000Z, server time: 20260101T003100Z',
        error_code: 'APIGW.0301',
        request_id: 'skew-1',
      },
    });
    const error = await failure(client.send({ method: 'GET', path: '/v1/p/notebooks' }));
    assert.equal(error.code, 'APIGW.0301');
    assert.match(error.message, /check that this computer's clock/);
    assert.match(error.message, /signature time 20260101T000000Z, server time 20260101T003100Z/);
    assert.equal(error.requestId, 'skew-1');
    assert.equal(server.requests.length, 1);
  });

  it('a 401 APIGW.0301 that is not about expiry keeps its own message (no false clock hint)', async () => {
    server.otherwise({ status: 401, body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: decrypt token fail' } });
    const error = await failure(client.send({ method: 'GET', path: '/x' }));
    assert.doesNotMatch(error.message, /clock/);
  });
});

describe('malformed success bodies (quality 11)', SUITE, () => {
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

  it('[Q11] empty 200, 202 and 204 give an undefined body', async () => {
    server.reply({ status: 200, body: '' }, { status: 202, body: '' }, { status: 204 });
    for (const expected of [200, 202, 204]) {
      const response = await client.send({ method: 'GET', path: '/x' });
      assert.equal(response.status, expected);
      assert.equal(response.body, undefined);
    }
  });

  it('[Q11] JSON with a wrong Content-Type is parsed anyway', async () => {
    server.otherwise({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: '{"total":3}' });
    assert.deepEqual((await client.send({ method: 'GET', path: '/x' })).body, { total: 3 });
  });

  it('a UTF-8 BOM before JSON is tolerated', async () => {
    server.otherwise({ status: 200, body: '\uFEFF{"ok":true}' });
    assert.deepEqual((await client.send({ method: 'GET', path: '/x' })).body, { ok: true });
  });

  for (const [name, reply] of [
    ['malformed JSON', { status: 200, headers: { 'X-Request-Id': 'rid-bad' }, body: '{"data": [1, 2,, ]}' }],
    ['truncated JSON', { status: 200, headers: { 'X-Request-Id': 'rid-bad' }, body: '{"data": [{"id": "nb-1", "name": "abc' }],
    ['an HTML page with status 200', { status: 200, headers: { 'X-Request-Id': 'rid-bad', 'Content-Type': 'text/html' }, body: '<html><body><h1>Login</h1></body></html>' }],
  ] as const) {
    it(`[Q11] ${name}: invalid-response with status, request id and a short snippet`, async () => {
      server.otherwise(reply);
      const error = await failure(client.send({ method: 'GET', path: '/x' }));
      assert.equal(error.kind, 'invalid-response');
      assert.equal(error.status, 200);
      assert.equal(error.requestId, 'rid-bad');
      assert.match(error.message, /not valid JSON/);
      assert.doesNotMatch(error.message, /\n|<h1>/);
      assert.equal(server.requests.length, 1, 'not retried');
    });
  }

  it('a snippet of a malformed body is redacted', async () => {
    server.otherwise({ status: 200, body: '{"token":"nb-secret-token-value", broken' });
    const error = await failure(client.send({ method: 'GET', path: '/x' }));
    assert.doesNotMatch(error.message, /nb-secret-token-value/);
    assert.match(error.message, /"token":"\*\*\*"/);
  });

  it('responseType text returns the body as it came', async () => {
    server.otherwise({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'line 1\nline 2\n' });
    assert.equal((await client.send<string>({ method: 'GET', path: '/x', responseType: 'text' })).body, 'line 1\nline 2\n');
  });
});

describe('findErrorFields', SUITE, () => {
  it('prefers top-level error_code/error_msg over nested ones', () => {
    assert.deepEqual(findErrorFields({ error_code: 'A', error_msg: 'top', error: { code: 'B', message: 'nested' } })?.code, 'A');
  });
  it('finds nested shapes and keeps the top-level request_id', () => {
    const fields = findErrorFields({ request_id: 'r', error: { code: 'IAM.0001', message: 'bad' } });
    assert.equal(fields?.code, 'IAM.0001');
    assert.equal(fields?.requestId, 'r');
  });
  it('returns undefined for bodies without any error field', () => {
    assert.equal(findErrorFields({ items: [] }), undefined);
    assert.equal(findErrorFields('text'), undefined);
  });
});

describe('one error class across bundles', () => {
  it('an error from another copy of the errors module (a feature bundle loaded on first use) is still a ModelArtsError', () => {
    const path = require.resolve('../../../src/api/errors');
    const load = createRequire(__filename);
    const ours = load(path) as typeof errors;
    delete require.cache[path];
    const copy = load(path) as typeof errors;
    assert.notEqual(copy.ModelArtsError, ours.ModelArtsError, 'positive control: two distinct classes');
    const foreign = new copy.ModelArtsError({ kind: 'http', status: 400, code: 'ModelArts.6309', message: 'Notebook instance x does not exist.' });
    assert.equal(foreign instanceof ours.ModelArtsError, false);
    assert.equal(ours.isModelArtsError(foreign), true);
    assert.equal(ours.isNotFound(foreign), true);
    assert.equal(ours.isModelArtsError(new Error('plain')), false);
    assert.equal(ours.isModelArtsError({ kind: 'http', message: 'looks alike' }), false);
  });
});
