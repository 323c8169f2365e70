import { strict as assert } from 'node:assert';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { createConnection, type Connection } from '../../../src/api/connection';
import { credentialsFromEnv, isTokenRejection, sharedFlight } from '../../../src/api/credentials';
import { ModelArtsError } from '../../../src/api/errors';
import { MemoryLogger } from '../../../src/api/log';
import { refusedPort, settle, startFakeServer, type FakeServer, type RecordedRequest, type Reply } from '../helpers/fakeServer';

// A hang (a request that never settles) fails the suite instead of stalling the run.
const SUITE = { timeout: 60_000 };

describe('credentialsFromEnv', SUITE, () => {
  it('reads AK/SK, the security token and the project id', () => {
    assert.deepEqual(
      credentialsFromEnv({ HUAWEICLOUD_SDK_AK: ' ak1 ', HUAWEICLOUD_SDK_SK: 'sk1', HUAWEICLOUD_SDK_SECURITY_TOKEN: 'st1', HUAWEICLOUD_SDK_PROJECT_ID: 'p1' }),
      { config: { kind: 'aksk', ak: 'ak1', sk: 'sk1', securityToken: 'st1' }, projectId: 'p1' },
    );
    assert.deepEqual(credentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'ak1', HUAWEICLOUD_SDK_SK: 'sk1' }), { config: { kind: 'aksk', ak: 'ak1', sk: 'sk1' } });
  });
  it('is undefined without both AK and SK', () => {
    assert.equal(credentialsFromEnv({}), undefined);
    assert.equal(credentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'ak1', HUAWEICLOUD_SDK_SK: '  ' }), undefined);
  });
});

describe('isTokenRejection', SUITE, () => {
  const e = (code: string, message: string, status = 401): ModelArtsError => new ModelArtsError({ kind: 'http', status, code, message });
  it('recognises an expired or undecryptable token, not a bad signature', () => {
    assert.equal(isTokenRejection(e('APIGW.0307', 'The token must be updated')), true);
    assert.equal(isTokenRejection(e('APIG.0307', 'The token must be updated')), true);
    assert.equal(isTokenRejection(e('APIGW.0301', 'Incorrect IAM authentication information: token expires, expires_at: x')), true);
    assert.equal(isTokenRejection(e('APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail')), false);
    assert.equal(isTokenRejection(e('APIGW.0307', 'x', 403)), false);
  });
});

const PASSWORD = { kind: 'password', username: 'alice', password: 'Secret-Passw0rd!', domain: 'acme' } as const;
const HOUR = 3600_000;

interface Scripted {
  tokenReplies: Reply[];
  modelarts: (req: RecordedRequest) => Reply | Promise<Reply>;
}

describe('password auth: IAM token, refresh, replay (quality 8, 9)', SUITE, () => {
  let server: FakeServer;
  let clock: ManualClock;
  let connection: Connection;
  let log: MemoryLogger;
  let issued: number;
  let script: Scripted;

  const tokenReply = (expiresInMs = 24 * HOUR): Reply => {
    issued++;
    return {
      status: 201,
      headers: { 'X-Subject-Token': `tok-${issued}` },
      body: { token: { expires_at: new Date(clock.now() + expiresInMs).toISOString(), project: { id: 'pid-from-token', name: 'cn-north-4' } } },
    };
  };
  const tokenRequests = (): RecordedRequest[] => server.requests.filter((r) => r.path === '/v3/auth/tokens');
  const apiRequests = (): RecordedRequest[] => server.requests.filter((r) => r.path.startsWith('/v1/'));

  beforeEach(async () => {
    server = await startFakeServer();
    clock = new ManualClock();
    log = new MemoryLogger();
    issued = 0;
    script = { tokenReplies: [], modelarts: () => ({ status: 200, body: { ok: true } }) };
    server.otherwise((req) => {
      if (req.path === '/v3/auth/tokens') return script.tokenReplies.shift() ?? tokenReply();
      return script.modelarts(req);
    });
    connection = createConnection({ region: 'cn-north-4', endpoint: server.url, iamEndpoint: server.url, credentials: PASSWORD, clock, log, random: () => 0.5 });
  });
  afterEach(async () => {
    connection.dispose();
    await server.close();
  });

  it('POST /v3/auth/tokens with the documented body; X-Auth-Token on calls; project id from the token', async () => {
    await connection.http.send({ method: 'GET', path: '/v1/p/notebooks' });
    const [tokenCall] = tokenRequests();
    assert.equal(tokenCall.method, 'POST');
    assert.equal(tokenCall.rawQuery, 'nocatalog=true');
    assert.deepEqual(JSON.parse(tokenCall.body), {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', password: 'Secret-Passw0rd!', domain: { name: 'acme' } } } },
        scope: { project: { name: 'cn-north-4' } },
      },
    });
    assert.equal(tokenCall.headers['x-auth-token'], undefined);
    assert.equal(tokenCall.headers.authorization, undefined);
    assert.equal(apiRequests()[0].headers['x-auth-token'], 'tok-1');
    assert.equal(apiRequests()[0].headers['x-project-id'], undefined, 'X-Project-Id is for AK/SK only');
    assert.equal(await connection.projectId(), 'pid-from-token');
    assert.equal(tokenRequests().length, 1, 'the token is cached');
  });

  it('a configured project id scopes the token by id', async () => {
    connection.dispose();
    connection = createConnection({ region: 'cn-north-4', endpoint: server.url, iamEndpoint: server.url, credentials: PASSWORD, projectId: 'pid-cfg', clock });
    await connection.http.send({ method: 'GET', path: '/v1/pid-cfg/notebooks' });
    assert.deepEqual(JSON.parse(tokenRequests()[0].body).auth.scope, { project: { id: 'pid-cfg' } });
    assert.equal(await connection.projectId(), 'pid-cfg');
  });

  it('[Q8] quality 8: 10 calls in flight get 401 APIGW.0307: exactly 1 new token request, each call replayed once', async () => {
    await connection.http.send({ method: 'GET', path: '/v1/p/warm-up' });
    assert.equal(tokenRequests().length, 1);
    let held: Array<() => void> = [];
    const allTen = new Promise<void>((resolve) => {
      script.modelarts = (req) => {
        if (req.headers['x-auth-token'] === 'tok-1') {
          // Hold every answer until all ten calls are in flight with the old token.
          return new Promise<Reply>((answer) => {
            held.push(() => answer({ status: 401, body: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.', request_id: 'r' } }));
            if (held.length === 10) resolve();
          });
        }
        return { status: 200, body: { token: req.headers['x-auth-token'] } };
      };
    });
    const calls = Array.from({ length: 10 }, (_, i) =>
      // POST on purpose: the gateway refused it before the service saw it, so the replay is safe.
      connection.http.send<{ token: string }>({ method: i % 2 ? 'POST' : 'GET', path: `/v1/p/notebooks/nb-${i}/start` }),
    );
    await allTen;
    // Release the refusals one by one, so a refresh may complete before the later ones arrive.
    for (const release of held) {
      release();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    held = [];
    const results = await settle(Promise.all(calls), clock);
    assert.ok(results.every((r) => r.body.token === 'tok-2'), JSON.stringify(results.map((r) => r.body)));
    assert.equal(tokenRequests().length, 2, 'one token request for the warm-up, exactly one for the refresh');
    const calledWith = apiRequests().filter((r) => r.path.endsWith('/start'));
    assert.equal(calledWith.length, 20, 'ten calls, each sent twice');
    for (let i = 0; i < 10; i++) assert.equal(calledWith.filter((r) => r.path === `/v1/p/notebooks/nb-${i}/start`).length, 2);
  });

  it('[Q8] quality 8: a replay that is refused again is not replayed a second time', async () => {
    script.modelarts = () => ({ status: 401, body: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' } });
    await assert.rejects(connection.http.send({ method: 'GET', path: '/v1/p/x' }), (e: ModelArtsError) => e.code === 'APIGW.0307');
    assert.equal(apiRequests().length, 2);
    assert.equal(tokenRequests().length, 2);
  });

  it('[Q8] quality 8: a token within 5 minutes of expiry is refreshed before use; one further out is not', async () => {
    script.tokenReplies.push(tokenReply(HOUR));
    await connection.http.send({ method: 'GET', path: '/v1/p/a' });
    await clock.advance(HOUR - 6 * 60_000); // 6 minutes left: still used
    await connection.http.send({ method: 'GET', path: '/v1/p/b' });
    assert.equal(tokenRequests().length, 1);
    await clock.advance(2 * 60_000); // 4 minutes left: refreshed first
    await Promise.all([connection.http.send({ method: 'GET', path: '/v1/p/c' }), connection.http.send({ method: 'GET', path: '/v1/p/d' })]);
    assert.equal(tokenRequests().length, 2, 'one refresh for both calls');
    assert.deepEqual(
      apiRequests().map((r) => r.headers['x-auth-token']),
      ['tok-1', 'tok-1', 'tok-2', 'tok-2'],
    );
  });

  it('[Q9] quality 9: a wrong password gives one clear auth error naming IAM\'s message, and no loop', async () => {
    script.tokenReplies.push({ status: 401, body: { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } } });
    const first = await connection.http.send({ method: 'GET', path: '/v1/p/x' }).then(
      () => assert.fail('expected auth error'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.equal(first.kind, 'auth');
    assert.equal(first.message, 'IAM refused the sign-in: The username or password is wrong.');
    assert.equal(first.status, 401);
    assert.doesNotMatch(first.message + log.text(), /Secret-Passw0rd!/);
    // A second call fails the same way without asking IAM again (repeated wrong passwords lock accounts).
    await assert.rejects(connection.http.send({ method: 'GET', path: '/v1/p/y' }), (e: ModelArtsError) => e.kind === 'auth');
    assert.equal(tokenRequests().length, 1);
    assert.equal(apiRequests().length, 0);
  });

  it('[Q9] quality 9: IAM answering 400 for a bad domain is an auth error too, not retried', async () => {
    script.tokenReplies.push({ status: 400, body: { error: { code: 400, message: 'The request you have made requires authentication.', title: 'Bad Request' } } });
    await assert.rejects(settle(connection.http.send({ method: 'GET', path: '/v1/p/x' }), clock), (e: ModelArtsError) => e.kind === 'auth' && /requires authentication/.test(e.message));
    assert.equal(tokenRequests().length, 1);
  });

  it('[Q9] quality 9: IAM unreachable: a network error saying so; the cached token is kept; a later call tries again', async () => {
    script.tokenReplies.push(tokenReply(HOUR));
    await connection.http.send({ method: 'GET', path: '/v1/p/a' });
    // IAM goes down (connections reset) while the token is inside its refresh window but still valid.
    await clock.advance(HOUR - 2 * 60_000);
    script.tokenReplies.push({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    await settle(connection.http.send({ method: 'GET', path: '/v1/p/b' }), clock);
    assert.equal(apiRequests()[1].headers['x-auth-token'], 'tok-1', 'the still-valid token was used');
    assert.ok(log.atLevel('warn').some((l) => l.includes('Could not refresh the IAM token')));
    // Past expiry with IAM still down: the call fails with a clear network error.
    await clock.advance(5 * 60_000);
    script.tokenReplies.push({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const error = await settle(connection.http.send({ method: 'GET', path: '/v1/p/c' }), clock).then(
      () => assert.fail('expected network error'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.equal(error.kind, 'network');
    assert.match(error.message, /^IAM could not be reached: /);
    // IAM is back: the next call gets a token and succeeds.
    await connection.http.send({ method: 'GET', path: '/v1/p/d' });
    assert.equal(apiRequests().at(-1)!.headers['x-auth-token'], `tok-${issued}`);
  });

  it('[Q9] quality 9: IAM on a refused port: "IAM could not be reached", kind network', async () => {
    connection.dispose();
    const port = await refusedPort();
    connection = createConnection({ region: 'cn-north-4', endpoint: server.url, iamEndpoint: `http://127.0.0.1:${port}`, credentials: PASSWORD, clock });
    const error = await settle(connection.http.send({ method: 'GET', path: '/v1/p/x' }), clock).then(
      () => assert.fail('expected network error'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.equal(error.kind, 'network');
    assert.equal(error.message, `IAM could not be reached: Could not connect to 127.0.0.1:${port}: connection refused.`);
    assert.equal(apiRequests().length, 0);
  });

  it('the IAM token never appears in logs or errors', async () => {
    script.modelarts = () => ({ status: 400, body: { error_code: 'ModelArts.0104', error_msg: 'bad token tok-1 echoed' } });
    const error = await connection.http.send({ method: 'GET', path: '/v1/p/x' }).then(
      () => assert.fail('expected error'),
      (e: unknown) => e as ModelArtsError,
    );
    assert.ok(apiRequests()[0].headers['x-auth-token'] === 'tok-1', 'positive control: the token was sent');
    assert.doesNotMatch(error.message, /tok-1/);
    assert.doesNotMatch(log.text(), /tok-1/);
  });

  it('cancelling while the token is being fetched sends no ModelArts request', async () => {
    let releaseToken: () => void = () => undefined;
    server.otherwise((req) => {
      if (req.path === '/v3/auth/tokens') return new Promise<Reply>((resolve) => (releaseToken = () => resolve(tokenReply())));
      return { status: 200, body: {} };
    });
    const controller = new AbortController();
    const pending = connection.http.send({ method: 'GET', path: '/v1/p/x', signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await assert.rejects(pending, (e: ModelArtsError) => e.kind === 'aborted');
    releaseToken();
    await server.waitForRequests(1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(apiRequests().length, 0);
  });
});

describe('sharedFlight: one run for every caller, aborted only when all have left', SUITE, () => {
  /** A run that waits until released or aborted, and counts starts and aborts. */
  function controllable(): { work: (signal: AbortSignal) => Promise<string>; starts: number; aborts: number; release: (v: string) => void } {
    const state = {
      starts: 0,
      aborts: 0,
      release: (_v: string) => undefined as void,
      work: (signal: AbortSignal) => {
        state.starts++;
        return new Promise<string>((resolve, reject) => {
          state.release = resolve;
          signal.addEventListener('abort', () => {
            state.aborts++;
            reject(new Error('aborted run'));
          });
        });
      },
    };
    return state;
  }

  it('[Q18] two callers share one run; one leaving does not abort it; the last leaving does', async () => {
    const c = controllable();
    const shared = sharedFlight(c.work);
    const a = new AbortController();
    const b = new AbortController();
    const first = shared(a.signal);
    const second = shared(b.signal);
    assert.equal(c.starts, 1);
    a.abort();
    await assert.rejects(first, (e: unknown) => e instanceof ModelArtsError && e.kind === 'aborted');
    assert.equal(c.aborts, 0, 'the run goes on for the caller that stays');
    b.abort();
    await assert.rejects(second, (e: unknown) => e instanceof ModelArtsError && e.kind === 'aborted');
    assert.equal(c.aborts, 1, 'every caller left: the run is aborted');
    // A new caller starts a new run rather than joining the aborted one.
    const third = shared();
    assert.equal(c.starts, 2);
    c.release('p-1');
    assert.equal(await third, 'p-1');
  });

  it('a caller without a signal keeps the run alive; the result reaches everyone', async () => {
    const c = controllable();
    const shared = sharedFlight(c.work);
    const a = new AbortController();
    const leaving = shared(a.signal);
    const staying = shared();
    a.abort();
    await assert.rejects(leaving);
    c.release('p-2');
    assert.equal(await staying, 'p-2');
    assert.equal(c.aborts, 0);
  });
});
