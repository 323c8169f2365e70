import { strict as assert } from 'node:assert';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { createConnection, type Connection } from '../../../src/api/connection';
import type { ModelArtsError } from '../../../src/api/errors';
import { MemoryLogger, redactingLogger } from '../../../src/api/log';
import { createRedactor } from '../../../src/api/redact';
import { startFakeServer, type FakeServer } from '../helpers/fakeServer';

// A hang (a request that never settles) fails the suite instead of stalling the run.
const SUITE = { timeout: 60_000 };

describe('redactor', SUITE, () => {
  it('replaces every registered value (raw, URL-encoded and JSON-escaped), ignoring values under 4 characters', () => {
    const r = createRedactor(['abc']);
    r.add('s3cr3t/+=value');
    r.add(undefined);
    assert.equal(r.redact('x s3cr3t/+=value y s3cr3t%2F%2B%3Dvalue abc'), 'x *** y *** abc');
    r.add('with"quote');
    assert.equal(r.redact(JSON.stringify({ v: 'with"quote' })), '{"v":"***"}');
  });

  it('replaces a longer secret whole even when a shorter one is inside it', () => {
    const r = createRedactor(['abcd', 'abcdefgh']);
    assert.equal(r.redact('abcdefgh abcd'), '*** ***');
  });

  it('pattern rules: canonical-request headers, Access, Signature, JSON fields, query values, X-Subject-Token', () => {
    const r = createRedactor();
    const cases: Array<[string, string]> = [
      ['GET|/v1/p/|x-auth-token:MIIEtoken+/=|x-sdk-date:1', 'GET|/v1/p/|x-auth-token:***|x-sdk-date:1'],
      ['host:h|x-security-token:gQpzZ2Vjd|x-sdk-date:2', 'host:h|x-security-token:***|x-sdk-date:2'],
      ['X-Subject-Token: MIIabc', 'X-Subject-Token: ***'],
      ['SDK-HMAC-SHA256 Access=AKIA123, SignedHeaders=host, Signature=abcdef0123', 'SDK-HMAC-SHA256 Access=***, SignedHeaders=host, Signature=***'],
      ['{"password":"p@ss\\"word","name":"n"}', '{"password":"***","name":"n"}'],
      ['{"token" : "nbtoken", "app_secret":"as", "secret":"s", "securitytoken":"st"}', '{"token" : "***", "app_secret":"***", "secret":"***", "securitytoken":"***"}'],
      ['https://nb.example/lab?token=abc123&x=1', 'https://nb.example/lab?token=***&x=1'],
    ];
    for (const [input, expected] of cases) assert.equal(r.redact(input), expected, input);
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /v1/p/notebooks?limit=10 → 200 in 12 ms (request id abc, attempt 1); token expired; status RUNNING';
    assert.equal(createRedactor(['unrelated-secret']).redact(text), text);
  });

  it('a redacting logger redacts every level', () => {
    const memory = new MemoryLogger();
    const log = redactingLogger(memory, createRedactor(['hunter22']));
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) log[level](`${level} hunter22`);
    assert.equal(memory.lines.length, 5);
    assert.ok(memory.lines.every((l) => !l.message.includes('hunter22') && l.message.endsWith('***')));
  });

  it('a level its target does not keep is neither redacted nor written, and the client builds no debug line for it', async () => {
    const server = await startFakeServer();
    try {
      server.otherwise({ status: 200, body: { ok: true } });
      const run = async (keepDebug: boolean): Promise<{ lines: string[]; redacted: number }> => {
        const memory = new MemoryLogger();
        const target = Object.assign(memory, { enabled: (level: string) => keepDebug || level !== 'debug' });
        const redactor = createRedactor(['hunter22']);
        let redacted = 0;
        const counting = { add: (secret: string | undefined) => redactor.add(secret), redact: (text: string) => (redacted++, redactor.redact(text)) };
        const connection = createConnection({ region: 'r', endpoint: server.url, iamEndpoint: server.url, credentials: { kind: 'aksk', ak: 'AKAKAKAKAKAK', sk: 'hunter22hunter22' }, projectId: 'p', clock: new ManualClock(), log: target, redactor: counting });
        try {
          await connection.http.send({ method: 'GET', path: '/v1/p/notebooks', operation: 'notebooks.list' });
          redactingLogger(target, counting).debug('hunter22');
        } finally {
          connection.dispose();
        }
        return { lines: memory.atLevel('debug'), redacted };
      };
      const quiet = await run(false);
      assert.deepEqual(quiet.lines, []);
      assert.equal(quiet.redacted, 0, 'nothing redacted for a line nobody keeps');
      // Positive control: the same call with debug kept writes its line, redacted.
      const loud = await run(true);
      assert.ok(loud.lines.some((line) => /GET \/v1\/p\/notebooks \[notebooks\.list\] → 200 in \d+ ms/.test(line)), loud.lines.join('\n'));
      assert.ok(loud.lines.includes('***'));
      assert.ok(loud.redacted >= 2);
    } finally {
      await server.close();
    }
  });
});

describe('canary (quality 19): a 401 APIGW.0301 echo of the canonical request', SUITE, () => {
  const CANARY_AK = 'CANARYAK7Q2W9E';
  const CANARY_SK = 'CANARYSK3R5T8Y';
  const CANARY_TOKEN = 'CANARYSECTOKEN4U6I1O';
  let server: FakeServer;
  let connection: Connection;
  let log: MemoryLogger;
  let rawBody: string;

  beforeEach(async () => {
    server = await startFakeServer();
    log = new MemoryLogger();
    server.otherwise((req) => {
      const canonical = [
        req.method,
        `${req.path}/`,
        req.rawQuery,
        `content-type:${String(req.headers['content-type'])}`,
        `host:${String(req.headers.host)}`,
        `x-sdk-date:${String(req.headers['x-sdk-date'])}`,
        `x-security-token:${String(req.headers['x-security-token'])}`,
        '',
        'content-type;host;x-sdk-date;x-security-token',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('|');
      rawBody = JSON.stringify({
        error_msg: `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:${canonical}, ak:${CANARY_AK}, ${String(req.headers.authorization)}`,
        error_code: 'APIGW.0301',
        request_id: 'canary-rid',
      });
      return { status: 401, body: rawBody };
    });
    connection = createConnection({
      region: 'cn-north-4',
      endpoint: server.url,
      iamEndpoint: server.url,
      credentials: { kind: 'aksk', ak: CANARY_AK, sk: CANARY_SK, securityToken: CANARY_TOKEN },
      projectId: 'pid',
      clock: new ManualClock(),
      log,
    });
  });
  afterEach(async () => {
    connection.dispose();
    await server.close();
  });

  it('[Q19] neither the error nor the trace-level log holds the AK, SK or security token; the raw body does', async () => {
    const error = await connection.http.send({ method: 'GET', path: '/v1/pid/notebooks', query: { limit: 5 } }).then(
      () => assert.fail('expected 401'),
      (e: unknown) => e as ModelArtsError,
    );
    // Positive control: the canaries really went over the wire and came back in the body.
    assert.ok(rawBody.includes(CANARY_TOKEN) && rawBody.includes(CANARY_AK));
    assert.equal(server.requests[0].headers['x-security-token'], CANARY_TOKEN);
    assert.equal(error.code, 'APIGW.0301');
    assert.equal(error.requestId, 'canary-rid');
    assert.match(error.message, /verify aksk signature fail/);
    const everything = [error.message, error.toString(), String(error.solution), log.text()].join('\n');
    assert.ok(log.lines.length > 0, 'positive control: something was logged');
    for (const canary of [CANARY_AK, CANARY_SK, CANARY_TOKEN]) assert.ok(!everything.includes(canary), `${canary} leaked`);
    assert.equal(server.requests.length, 1, 'a refused signature is not replayed');
  });
});
