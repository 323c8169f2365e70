import { strict as assert } from 'node:assert';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { createConnection, type Connection } from '../../../src/api/connection';
import { createAuthProvider } from '../../../src/api/credentials';
import { buildQueryPairs, buildRequestUrl, createHttpClient, type ModelArtsHttpClient } from '../../../src/api/http';
import type { IamClient } from '../../../src/api/iam';
import { formatSdkDate, parseAuthorization, parseQueryString, sign } from '../../../src/api/signer';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../helpers/fakeServer';

// A hang (a request that never settles) fails the suite instead of stalling the run.
const SUITE = { timeout: 60_000 };

const PID = '0123456789abcdef0123456789abcdef';
const unusedIam: IamClient = {
  createToken: () => Promise.reject(new Error('not used')),
  listProjects: () => Promise.reject(new Error('not used')),
};

/** Verifies a received request the way the gateway does: only the listed headers, raw query and raw body. */
function verify(request: RecordedRequest, sk: string): { ok: boolean; signedHeaders: string[] } {
  const auth = parseAuthorization(request.headers.authorization);
  assert.ok(auth, 'an SDK-HMAC-SHA256 Authorization header');
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    assert.equal(typeof value, 'string', `signed header ${name} was sent`);
    headers[name] = value as string;
  }
  const expected = sign(
    { method: request.method, path: request.path, query: parseQueryString(request.rawQuery), headers, body: request.body },
    { ak: auth.access, sk },
    auth.signedHeaders,
  );
  return { ok: expected.signature === auth.signature, signedHeaders: auth.signedHeaders };
}

describe('AK/SK signing on the wire', SUITE, () => {
  let server: FakeServer;
  let clock: ManualClock;
  let client: ModelArtsHttpClient;

  beforeEach(async () => {
    server = await startFakeServer();
    clock = new ManualClock(Date.UTC(2026, 2, 3, 4, 5, 6));
    const auth = createAuthProvider({ kind: 'aksk', ak: 'AK_TEST_1234', sk: 'SK_TEST_5678', securityToken: 'TEMP_SECURITY_TOKEN' }, { iam: unusedIam, region: 'cn-north-4', clock });
    client = createHttpClient({ endpoint: server.url, iamEndpoint: `${server.url}/iam-prefix`, auth, clock, projectId: PID });
  });
  afterEach(async () => {
    client.dispose();
    await server.close();
  });

  it('the signature covers exactly the bytes sent: path, query (arrays, spaces, Chinese), headers, JSON body', async () => {
    const body = { kind: 'job', metadata: { name: 'demo 训练', description: 'a "quoted" \\ value' }, tags: ['a b', '中文'] };
    await client.send({
      method: 'POST',
      path: `/v2/${PID}/training-jobs/2d4f3c1a-0b9e-4c8e-9f2a-1234567890ab/tasks/worker-0/save-image-job`,
      query: { status: ['Running', 'Completed'], name: 'my job 一', flag: true, off: false, limit: 10, skip: undefined, none: null },
      body,
    });
    const [request] = server.requests;
    const { ok, signedHeaders } = verify(request, 'SK_TEST_5678');
    assert.ok(ok, 'the server-side check accepts the signature');
    assert.deepEqual(signedHeaders, ['content-type', 'host', 'user-agent', 'x-project-id', 'x-sdk-date', 'x-security-token']);
    assert.equal(request.headers['x-sdk-date'], formatSdkDate(new Date(clock.now())));
    assert.equal(request.headers['x-sdk-date'], '20260303T040506Z');
    assert.equal(request.headers['x-project-id'], PID);
    assert.equal(request.headers['x-security-token'], 'TEMP_SECURITY_TOKEN');
    assert.equal(request.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(request.body, JSON.stringify(body));
    assert.deepEqual(parseQueryString(request.rawQuery), [
      ['status', 'Running'],
      ['status', 'Completed'],
      ['name', 'my job 一'],
      ['flag', 'true'],
      ['off', 'false'],
      ['limit', '10'],
    ]);
    assert.equal(request.rawQuery, 'status=Running&status=Completed&name=my%20job%20%E4%B8%80&flag=true&off=false&limit=10');
  });

  it('negative control: a tampered body fails the same check', async () => {
    await client.send({ method: 'POST', path: `/v2/${PID}/training-jobs`, body: { a: 1 } });
    const tampered = { ...server.requests[0], body: '{"a":2}' };
    assert.equal(verify(tampered, 'SK_TEST_5678').ok, false);
    assert.equal(verify(server.requests[0], 'SK_TEST_5678').ok, true);
  });

  it('GET without a body: Content-Type application/json, empty payload hash, no Content-Length games', async () => {
    await client.send({ method: 'GET', path: `/v1/${PID}/notebooks`, query: { offset: 0, limit: 10, status: 'RUNNING' } });
    const [request] = server.requests;
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.body, '');
    assert.ok(verify(request, 'SK_TEST_5678').ok);
  });

  it('IAM calls go to the IAM endpoint (with its path prefix) and carry no X-Project-Id', async () => {
    await client.send({ method: 'GET', path: '/v3/projects', query: { name: 'cn-north-4' }, service: 'iam' });
    const [request] = server.requests;
    assert.equal(request.path, '/iam-prefix/v3/projects');
    assert.equal(request.headers['x-project-id'], undefined);
    assert.ok(verify(request, 'SK_TEST_5678').ok);
  });

  it('the official derived vector: GET notebooks with X-Project-Id', () => {
    const vector = sign(
      {
        method: 'GET',
        path: `/v1/${PID}/notebooks`,
        query: buildQueryPairs({ offset: 0, limit: 10, status: 'RUNNING' }),
        headers: { 'Content-Type': 'application/json', Host: 'modelarts.cn-north-4.myhuaweicloud.com', 'X-Project-Id': PID, 'X-Sdk-Date': '20240101T000000Z' },
      },
      { ak: 'AK_EXAMPLE', sk: 'SK_EXAMPLE' },
    );
    assert.equal(vector.signature, '9a5cf6cf03ccf0096973ac9f13c57ff15406c7b44374a88f60c853d4539ecf7b');
  });

  it('buildRequestUrl joins base and path and encodes the query as the signer does', () => {
    assert.equal(buildRequestUrl('https://h/', '/v1/x', [['a b', 'c/d']]), 'https://h/v1/x?a%20b=c%2Fd');
    assert.equal(buildRequestUrl('https://h', 'v1/x', []), 'https://h/v1/x');
  });
});

describe('project id lookup over the wire (AK/SK)', SUITE, () => {
  let server: FakeServer;
  let connection: Connection;
  beforeEach(async () => {
    server = await startFakeServer();
  });
  afterEach(async () => {
    connection.dispose();
    await server.close();
  });

  const start = (): void => {
    connection = createConnection({
      region: 'cn-north-4',
      endpoint: server.url,
      iamEndpoint: server.url,
      credentials: { kind: 'aksk', ak: 'AK_LOOKUP_1', sk: 'SK_LOOKUP_1' },
      clock: new ManualClock(),
    });
  };

  it('GET /v3/projects?name=<region> signed without X-Project-Id, then X-Project-Id on ModelArts calls; looked up once', async () => {
    server.otherwise((req) =>
      req.path === '/v3/projects' ? { status: 200, body: { projects: [{ id: 'pid-looked-up', name: 'cn-north-4', domain_id: 'd' }] } } : { status: 200, body: {} },
    );
    start();
    const [a, b] = await Promise.all([connection.projectId(), connection.projectId()]);
    assert.equal(a, 'pid-looked-up');
    assert.equal(b, 'pid-looked-up');
    await connection.http.send({ method: 'GET', path: '/v1/pid-looked-up/notebooks' });
    await connection.http.send({ method: 'GET', path: '/v1/pid-looked-up/notebooks' });
    const lookups = server.requests.filter((r) => r.path === '/v3/projects');
    assert.equal(lookups.length, 1, 'single-flight and cached');
    assert.equal(lookups[0].rawQuery, 'name=cn-north-4');
    assert.equal(lookups[0].headers['x-project-id'], undefined);
    assert.ok(verify(lookups[0], 'SK_LOOKUP_1').ok);
    const calls = server.requests.filter((r) => r.path.startsWith('/v1/'));
    assert.deepEqual(
      calls.map((r) => r.headers['x-project-id']),
      ['pid-looked-up', 'pid-looked-up'],
    );
    assert.ok(calls.every((r) => verify(r, 'SK_LOOKUP_1').ok));
  });

  it('no project for the region: a clear error naming the region and the X-IAM-Trace-Id; a later call asks again', async () => {
    server.reply({ status: 200, headers: { 'X-IAM-Trace-Id': 'trace-0' }, body: { projects: [] } });
    server.otherwise({ status: 200, body: { projects: [{ id: 'p2', name: 'cn-north-4' }] } });
    start();
    await assert.rejects(connection.projectId(), (e: Error) => /No project named cn-north-4/.test(e.message) && /X-IAM-Trace-Id trace-0/.test(e.message));
    assert.equal(await connection.projectId(), 'p2');
  });

  it('several projects for the region: "Multiple projects" error', async () => {
    server.otherwise({ status: 200, body: { projects: [{ id: 'p1', name: 'cn-north-4' }, { id: 'p2', name: 'cn-north-4' }] } });
    start();
    await assert.rejects(connection.projectId(), /Multiple projects named cn-north-4/);
  });
});
