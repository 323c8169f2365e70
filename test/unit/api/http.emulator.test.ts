// The HTTP core against the real emulator (src/emulator/server.ts): faults, token expiry, signatures,
// with one ManualClock shared by the client and the emulator.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { createConnection, type Connection, type ConnectionOptions } from '../../../src/api/connection';
import { MemoryLogger } from '../../../src/api/log';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { settle, failure } from '../helpers/fakeServer';

const SUITE = { timeout: 60_000 };

interface Rig {
  emu: RunningEmulator;
  clock: ManualClock;
  connection: Connection;
  log: MemoryLogger;
  /** ModelArts requests the emulator saw whose path matches. */
  served: (path: RegExp) => number;
  tokenRequests: () => number;
}

async function withEmulator(
  credentials: 'aksk' | 'password',
  run: (rig: Rig) => Promise<void>,
  overrides: (emu: RunningEmulator) => Partial<ConnectionOptions> = () => ({}),
): Promise<void> {
  const clock = new ManualClock();
  const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock, seed: 'demo' });
  const log = new MemoryLogger();
  const connection = createConnection({
    region: emu.region,
    endpoint: emu.endpoint,
    iamEndpoint: emu.iamEndpoint,
    credentials:
      credentials === 'aksk'
        ? { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk }
        : { kind: 'password', username: emu.credentials.username, password: emu.credentials.password, domain: emu.credentials.domain },
    clock,
    log,
    random: () => 0.5,
    ...overrides(emu),
  });
  try {
    await run({
      emu,
      clock,
      connection,
      log,
      served: (path) => emu.requests.filter((r) => r.service === 'modelarts' && path.test(r.path)).length,
      tokenRequests: () => emu.requests.filter((r) => r.service === 'iam' && r.path === '/v3/auth/tokens').length,
    });
  } finally {
    connection.dispose();
    await emu.close();
  }
}


describe('HTTP core against the emulator', SUITE, () => {
  it('AK/SK: the project id is looked up in IAM, and signed calls pass the emulator\'s gateway', () =>
    withEmulator('aksk', async ({ emu, connection }) => {
      const pid = await connection.projectId();
      assert.equal(pid, emu.projectId);
      const response = await connection.http.send<{ data: unknown[] }>({ method: 'GET', path: `/v1/${pid}/notebooks`, query: { limit: 10, offset: 0 } });
      assert.equal(response.status, 200);
      assert.ok(Array.isArray(response.body.data));
      assert.ok(response.requestId, 'the emulator sends X-Request-Id');
      const lookup = emu.requests.find((r) => r.service === 'iam' && r.path === '/v3/projects');
      assert.equal(lookup?.auth, 'aksk');
    }));

  it('[Q1] quality 1: 429 with Retry-After: 2 three times, then 200: exactly 4 requests, waits of 2 s', () =>
    withEmulator('aksk', async ({ emu, clock, connection, served }) => {
      const pid = await connection.projectId();
      emu.faults.add({ path: 'notebooks$', status: 429, headers: { 'Retry-After': '2' }, times: 3 });
      const response = await settle(connection.http.send({ method: 'GET', path: `/v1/${pid}/notebooks` }), clock);
      assert.equal(response.status, 200);
      assert.equal(served(/notebooks$/), 4);
      assert.deepEqual(clock.sleeps, [2000, 2000, 2000]);
    }));

  it('[Q3] quality 3: 503 on every try of a GET: 4 requests, the emulator\'s request id on the error', () =>
    withEmulator('aksk', async ({ emu, clock, connection, served }) => {
      const pid = await connection.projectId();
      emu.faults.add({ path: 'notebooks$', status: 503, times: 10 });
      const error = await failure(settle(connection.http.send({ method: 'GET', path: `/v1/${pid}/notebooks` }), clock));
      assert.equal(error.status, 503);
      assert.equal(served(/notebooks$/), 4);
      assert.equal(clock.sleeps.length, 3);
      assert.match(error.requestId ?? '', /\S/);
    }));

  it('[Q4] quality 4: POST start answered 500: exactly 1 request', () =>
    withEmulator('aksk', async ({ emu, clock, connection, served }) => {
      const pid = await connection.projectId();
      const list = await connection.http.send<{ data: Array<{ id: string }> }>({ method: 'GET', path: `/v1/${pid}/notebooks` });
      const id = list.body.data[0].id;
      emu.faults.add({ path: 'notebooks/[^/]+/start$', status: 500 });
      await failure(settle(connection.http.send({ method: 'POST', path: `/v1/${pid}/notebooks/${id}/start`, query: { duration: 3600000, type: 'timing' } }), clock));
      assert.equal(served(/\/start$/), 1);
      assert.deepEqual(clock.sleeps, []);
    }));

  it('[Q5] quality 5: a reset mid-body on a GET is retried and then succeeds', () =>
    withEmulator('aksk', async ({ emu, clock, connection, served }) => {
      const pid = await connection.projectId();
      emu.faults.add({ path: 'notebooks$', reset: 'mid-body', times: 1 });
      const response = await settle(connection.http.send({ method: 'GET', path: `/v1/${pid}/notebooks` }), clock);
      assert.equal(response.status, 200);
      assert.equal(served(/notebooks$/), 2);
    }));

  it('[Q11] quality 11: HTML, truncated and 50 MB bodies from the emulator: one error class, no hang', () =>
    withEmulator('aksk', async ({ emu, connection }) => {
      const pid = await connection.projectId();
      for (const malformed of ['html', 'truncated', 'huge'] as const) {
        emu.faults.add({ path: 'notebooks$', malformed, times: 1 });
        const error = await failure(connection.http.send({ method: 'GET', path: `/v1/${pid}/notebooks`, idempotent: false }));
        assert.ok(['invalid-response', 'http'].includes(error.kind), `${malformed}: ${error.kind} ${error.message}`);
        if (malformed === 'huge') assert.match(error.message, /response larger than 16 MB/);
        assert.doesNotMatch(error.message, /\n/);
      }
    }));

  it('[Q8] quality 8: tokens expire while 10 calls are in flight: exactly 1 token request, each call replayed once', () =>
    withEmulator('password', async ({ emu, connection, served, tokenRequests }) => {
      const pid = await connection.projectId();
      await connection.http.send({ method: 'GET', path: `/v1/${pid}/workspaces` });
      assert.equal(tokenRequests(), 1);
      emu.expireTokens();
      const before = served(/workspaces$/);
      const results = await Promise.all(Array.from({ length: 10 }, () => connection.http.send({ method: 'GET', path: `/v1/${pid}/workspaces` })));
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(tokenRequests(), 2, 'one token request after the expiry');
      assert.equal(served(/workspaces$/) - before, 20, 'each of the 10 calls sent twice');
    }));

  it('[Q9] quality 9: a computer clock 31 minutes fast: the signature-expired error says to check the clock', () =>
    withEmulator(
      'aksk',
      async ({ emu, connection }) => {
        const error = await failure(connection.http.send({ method: 'GET', path: `/v1/${emu.projectId}/notebooks` }));
        assert.equal(error.status, 401);
        assert.match(error.code, /0301$/);
        assert.match(error.message, /check that this computer's clock/);
      },
      (emu) => ({ projectId: emu.projectId, clock: new ManualClock(Date.UTC(2026, 0, 1) + 31 * 60_000) }),
    ));

  it('[Q9] quality 9: a wrong password: one auth error with IAM\'s message, one token request', () =>
    withEmulator(
      'password',
      async ({ connection, tokenRequests }) => {
        const error = await failure(connection.http.send({ method: 'GET', path: '/v1/x/workspaces' }));
        assert.equal(error.kind, 'auth');
        assert.match(error.message, /^IAM refused the sign-in: /);
        await failure(connection.http.send({ method: 'GET', path: '/v1/x/workspaces' }));
        assert.equal(tokenRequests(), 1);
      },
      (emu) => ({ credentials: { kind: 'password', username: emu.credentials.username, password: 'wrong-password', domain: emu.credentials.domain } }),
    ));

  it('[Q19] quality 19: a signature error echoing the canonical request leaks neither AK nor security token', () =>
    withEmulator(
      'aksk',
      async ({ emu, connection, log }) => {
        const error = await failure(connection.http.send({ method: 'GET', path: `/v1/${emu.projectId}/notebooks` }));
        assert.equal(error.status, 401);
        // Positive control: the canonical request with the security token header really was echoed.
        assert.match(error.message, /canonicalRequest:.*x-security-token:\*\*\*/);
        const text = [error.message, error.toString(), log.text()].join('\n');
        assert.ok(!text.includes('CANARY-SECURITY-TOKEN-77'), 'security token leaked');
        assert.ok(!text.includes(emu.credentials.ak), 'AK leaked');
      },
      (emu) => ({
        projectId: emu.projectId,
        // A wrong SK makes the gateway echo the canonical request, security token included.
        credentials: { kind: 'aksk', ak: emu.credentials.ak, sk: 'not-the-right-secret-key', securityToken: 'CANARY-SECURITY-TOKEN-77' },
      }),
    ));
});
