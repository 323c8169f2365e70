import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { demoEmulatorOptions } from '../../../src/auth/demo';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import {
  adminFetch,
  emulatorClient,
  passwordAuthBody,
  plainFetch,
  sdkSignedFetch,
  signedFetch,
  startTestEmulator,
  type HttpResult,
} from '../helpers/emulatorHelpers';

// Q25: the emulator answers only its own client. A web page can reach a loopback port (a "simple" cross-site
// POST, or DNS rebinding, where the page's own host name points at 127.0.0.1 and the page reads the answers);
// another local user can too. The admin route wants a per-run token, the emulator's own Host, no Origin and a
// JSON body; the API listeners want their own Host and no Origin; demo mode has no admin route at all.

const HEX32 = /^[0-9a-f]{32}$/;
const EVIL_ORIGIN = 'https://evil.example';

/** What a hostile page would plant: every ModelArts answer replaced by its own (a phishing notebook URL). */
const PHISHING_RULE = {
  service: 'modelarts',
  path: '/workspaces$',
  status: 200,
  body: { workspaces: [{ id: 'evil', name: 'Open https://evil.example/login to continue' }], total: 1 },
};

function port(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

function assertGatewayRefusal(res: HttpResult, status: number, code: string, what: string): void {
  assert.equal(res.status, status, `${what}: ${res.status} ${res.text}`);
  assert.equal(res.json?.error_code, code, `${what}: ${res.text}`);
  assert.equal(typeof res.json.error_msg, 'string', what);
  assert.match(res.json.request_id, HEX32, what);
  assert.equal(res.headers['x-request-id'], res.json.request_id, what);
}

describe('[Q25] the emulator admin route answers only its own client', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator());
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());

  /** The fault list as the emulator holds it, and as its own client reads it over HTTP. */
  async function faultCount(): Promise<number> {
    const listed = await adminFetch(emu, 'GET', '/__admin/faults');
    assert.equal(listed.status, 200, listed.text);
    assert.equal(listed.json.faults.length, emu.faults.size);
    return emu.faults.size;
  }

  /** The hostile request is refused and changes nothing; the same rule sent properly is taken (positive control). */
  async function refusedThenAccepted(what: string, hostile: () => Promise<HttpResult>, expected: { status: number; code: string }): Promise<void> {
    const res = await hostile();
    assertGatewayRefusal(res, expected.status, expected.code, what);
    assert.equal(await faultCount(), 0, `${what}: a fault rule was added`);
    const workspaces = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.ok(
      workspaces.json.workspaces.every((w: { id: string }) => w.id !== 'evil'),
      `${what}: the API answer was replaced`,
    );

    const accepted = await adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE });
    assert.equal(accepted.status, 200, `positive control after ${what}: ${accepted.text}`);
    assert.equal(await faultCount(), 1);
    const replaced = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(replaced.json.workspaces[0].id, 'evil', 'the rule a page could plant does replace the answer');
    emu.faults.clear();
  }

  it('[Q25] refuses a cross-origin text/plain POST to /__admin/faults (what a web page can send); nothing changes', async () => {
    await refusedThenAccepted(
      'cross-origin text/plain POST',
      () =>
        adminFetch(emu, 'POST', '/__admin/faults', {
          body: JSON.stringify(PHISHING_RULE),
          headers: { 'X-Admin-Token': '', 'Content-Type': 'text/plain;charset=UTF-8', Origin: EVIL_ORIGIN },
        }),
      { status: 403, code: 'APIGW.0306' },
    );
  });

  it('[Q25] refuses a foreign Host (DNS rebinding), even with the token; nothing changes', async () => {
    const own = port(emu.endpoint);
    const foreign = [`rebind.evil.example:${own}`, `localhost.evil.example:${own}`, `127.0.0.1.nip.io:${own}`, `127.0.0.1:${own + 1}`, `localhost:${port(emu.iamEndpoint)}`, 'localhost', '127.0.0.1'];
    for (const host of foreign) {
      await refusedThenAccepted(`Host ${host}`, () => adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE, headers: { Host: host } }), {
        status: 403,
        code: 'APIGW.0306',
      });
    }
    // Reads too: a rebinding page must not read the request log.
    assertGatewayRefusal(await adminFetch(emu, 'GET', '/__admin/requests', { headers: { Host: `rebind.evil.example:${own}` } }), 403, 'APIGW.0306', 'GET requests');
  });

  it('[Q25] answers its own Host: 127.0.0.1, localhost and [::1] with its port', async () => {
    const own = port(emu.endpoint);
    for (const host of [`127.0.0.1:${own}`, `localhost:${own}`, `LocalHost:${own}`, `[::1]:${own}`]) {
      const res = await adminFetch(emu, 'GET', '/__admin/health', { headers: { Host: host } });
      assert.equal(res.status, 200, `${host}: ${res.text}`);
    }
  });

  it('[Q25] refuses a missing or wrong token; nothing changes', async () => {
    await refusedThenAccepted('no token', () => adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE, headers: { 'X-Admin-Token': '' } }), {
      status: 401,
      code: 'APIGW.0305',
    });
    const wrong = (emu.adminToken ?? '').replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    await refusedThenAccepted('wrong token', () => adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE, headers: { 'X-Admin-Token': wrong || 'guess' } }), {
      status: 401,
      code: 'APIGW.0305',
    });
    await refusedThenAccepted('token in the query', () => adminFetch(emu, 'POST', `/__admin/faults?token=${emu.adminToken ?? ''}`, { body: PHISHING_RULE, headers: { 'X-Admin-Token': '' } }), {
      status: 401,
      code: 'APIGW.0305',
    });
    // Reads and the other admin actions want it too.
    for (const [method, path] of [
      ['GET', '/__admin/health'],
      ['GET', '/__admin/requests'],
      ['DELETE', '/__admin/requests'],
      ['POST', '/__admin/tokens/expire'],
    ]) {
      assertGatewayRefusal(await adminFetch(emu, method, path, { headers: { 'X-Admin-Token': '' } }), 401, 'APIGW.0305', `${method} ${path}`);
    }
  });

  it('[Q25] refuses any request that carries an Origin header, even with the token; nothing changes', async () => {
    for (const origin of [EVIL_ORIGIN, 'null', `http://127.0.0.1:${port(emu.endpoint)}`]) {
      await refusedThenAccepted(`Origin ${origin}`, () => adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE, headers: { Origin: origin } }), {
        status: 403,
        code: 'APIGW.0306',
      });
    }
    // A CORS preflight is refused the same way, so a browser never sends the real request.
    const preflight = await adminFetch(emu, 'OPTIONS', '/__admin/faults', {
      headers: { 'X-Admin-Token': '', Origin: EVIL_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-admin-token' },
    });
    assertGatewayRefusal(preflight, 403, 'APIGW.0306', 'preflight');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  it('[Q25] reads only application/json bodies, even with the token; nothing changes', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      await refusedThenAccepted(
        `Content-Type ${type || 'none'}`,
        () => adminFetch(emu, 'POST', '/__admin/faults', { body: JSON.stringify(PHISHING_RULE), headers: { 'Content-Type': type } }),
        { status: 415, code: 'APIGW.0201' },
      );
    }
    // application/json with a charset is JSON.
    const withCharset = await adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    assert.equal(withCharset.status, 200, withCharset.text);
  });

  it('[Q25] figure: every hostile admin request refused, the token accepted', async () => {
    const own = port(emu.endpoint);
    const body = JSON.stringify(PHISHING_RULE);
    const hostile: Array<[string, Record<string, string>]> = [
      ['cross-origin text/plain', { 'X-Admin-Token': '', 'Content-Type': 'text/plain', Origin: EVIL_ORIGIN }],
      ['foreign Host', { Host: `rebind.evil.example:${own}` }],
      ['no token', { 'X-Admin-Token': '' }],
      ['wrong token', { 'X-Admin-Token': 'f'.repeat(64) }],
      ['Origin', { Origin: EVIL_ORIGIN }],
      ['text/plain', { 'Content-Type': 'text/plain' }],
    ];
    const refused: string[] = [];
    for (const [what, headers] of hostile) {
      const res = await adminFetch(emu, 'POST', '/__admin/faults', { body, headers: { 'Content-Type': 'application/json', ...headers } });
      if (res.status >= 400) refused.push(`${what} ${res.status}`);
    }
    const rulesAfterAttacks = emu.faults.size;
    const accepted = await adminFetch(emu, 'POST', '/__admin/faults', { body: PHISHING_RULE });
    console.log(
      `[figure Q25] admin route: ${refused.length}/${hostile.length} hostile requests refused (${refused.join(', ')}), ` +
        `${rulesAfterAttacks} fault rules added; with the token: ${accepted.status}`,
    );
    assert.equal(refused.length, hostile.length);
    assert.equal(rulesAfterAttacks, 0);
    assert.equal(accepted.status, 200);
    assert.equal(emu.faults.size, 1);
  });
});

describe('[Q25] the ModelArts and IAM listeners answer only their own Host', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  it('[Q25] refuses a foreign Host on the ModelArts listener, signed for that Host (DNS rebinding with the demo AK/SK), in the gateway error shape', async () => {
    const own = port(emu.endpoint);
    for (const host of [`rebind.evil.example:${own}`, `127.0.0.1:${port(emu.iamEndpoint)}`]) {
      const before = emu.requests.length;
      const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { host } });
      assertGatewayRefusal(res, 403, 'APIGW.0306', `Host ${host}`);
      assert.equal(res.json.workspaces, undefined);
      assert.equal(emu.requests.length, before + 1);
      assert.equal(emu.requests.at(-1)?.status, 403);
    }
    // Positive control: the same request with its own Host.
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);
  });

  it('[Q25] refuses an Origin header on the ModelArts listener, even on a correctly signed request', async () => {
    const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { Origin: EVIL_ORIGIN } });
    assertGatewayRefusal(res, 403, 'APIGW.0306', 'Origin');
    const preflight = await plainFetch(emu, 'OPTIONS', '/v1/{pid}/workspaces', { headers: { Origin: EVIL_ORIGIN, 'Access-Control-Request-Method': 'GET' } });
    assertGatewayRefusal(preflight, 403, 'APIGW.0306', 'preflight');
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);
  });

  it('[Q25] refuses a foreign Host and an Origin header on the IAM listener: no token is issued', async () => {
    const own = port(emu.iamEndpoint);
    const hostile: Array<[string, Record<string, string>]> = [
      ['foreign Host', { Host: `rebind.evil.example:${own}` }],
      ['Origin', { Origin: EVIL_ORIGIN }],
    ];
    for (const [what, headers] of hostile) {
      const res = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu), headers });
      assertGatewayRefusal(res, 403, 'APIGW.0306', what);
      assert.equal(res.headers['x-subject-token'], undefined, what);
    }
    const ok = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(typeof ok.headers['x-subject-token'], 'string');
  });

  it('[Q25] answers its own Host: our signer, the official SDK signer, our client, localhost and [::1]', async () => {
    const own = port(emu.endpoint);
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);
    const sdk = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { 'Content-Type': 'application/json' } });
    assert.equal(sdk.status, 200, sdk.text);
    const sdkIam = await sdkSignedFetch(emu, 'GET', '/v3/projects', { service: 'iam', query: { name: emu.region }, headers: { 'Content-Type': 'application/json' } });
    assert.equal(sdkIam.status, 200, sdkIam.text);
    for (const host of [`localhost:${own}`, `[::1]:${own}`]) {
      const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { host } });
      assert.equal(res.status, 200, `${host}: ${res.text}`);
      const bySdk = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { 'Content-Type': 'application/json', host } });
      assert.equal(bySdk.status, 200, `SDK ${host}: ${bySdk.text}`);
    }
    const client = emulatorClient(emu, clock);
    assert.ok((await client.workspaces.list().loadNext()).length >= 3);
  });

  it('[Q25] figure: foreign Host and Origin refused on both listeners, own Host served', async () => {
    const attempts: Array<[string, () => Promise<HttpResult>]> = [
      ['ModelArts foreign Host', () => signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { host: `rebind.evil.example:${port(emu.endpoint)}` } })],
      ['ModelArts Origin', () => signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { Origin: EVIL_ORIGIN } })],
      ['IAM foreign Host', () => plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu), headers: { Host: `rebind.evil.example:${port(emu.iamEndpoint)}` } })],
      ['IAM Origin', () => plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu), headers: { Origin: EVIL_ORIGIN } })],
    ];
    const refused: string[] = [];
    for (const [what, attempt] of attempts) {
      const res = await attempt();
      if (res.status === 403) refused.push(what);
    }
    const own = [
      (await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status,
      (await sdkSignedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { 'Content-Type': 'application/json' } })).status,
      (await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) })).status,
    ];
    console.log(`[figure Q25] API listeners: ${refused.length}/${attempts.length} foreign-Host/Origin requests refused 403; own Host: ${own.join(', ')} (our signer, SDK signer, IAM)`);
    assert.equal(refused.length, attempts.length);
    assert.deepEqual(own, [200, 200, 201]);
  });
});

describe('[Q25] demo mode has no admin route', () => {
  it('[Q25] the demo options switch the admin route off', () => {
    assert.equal(demoEmulatorOptions({}).options.admin, false);
  });

  it('[Q25] the demo emulator answers /__admin like an unknown API route; an emulator with the route answers it', async () => {
    const demo = await startEmulator({ ...demoEmulatorOptions({}).options, clock: new ManualClock() });
    const regular = await startTestEmulator();
    try {
      assert.equal(demo.adminToken, undefined);
      // Even a caller that guesses a token finds nothing.
      const guessed = { 'X-Admin-Token': regular.emu.adminToken ?? 'guess' };
      const shape = (res: HttpResult): unknown => ({
        status: res.status,
        headers: Object.keys(res.headers).filter((h) => h !== 'date').sort(),
        type: res.headers['content-type'],
        keys: Object.keys(res.json ?? {}).sort(),
        code: res.json?.error_code,
        msg: res.json?.error_msg,
      });
      const unknown = await plainFetch(demo, 'GET', '/__nothing/health');
      const unknownRoute = shape(unknown);
      for (const [method, path] of [
        ['GET', '/__admin/health'],
        ['GET', '/__admin/faults'],
        ['POST', '/__admin/faults'],
        ['GET', '/__admin'],
      ]) {
        const res = await adminFetch(demo, method, path, { body: method === 'POST' ? PHISHING_RULE : undefined, headers: guessed });
        assert.deepEqual(shape(res), unknownRoute, `${method} ${path}`);
        assert.equal(res.json.error_code, 'APIGW.0101');
      }
      assert.equal(demo.faults.size, 0);
      assert.equal(demo.requests.filter((r) => r.service === 'admin').length, 0);

      // Positive control: where the route is on, the same request with the token is answered.
      const health = await adminFetch(regular.emu, 'GET', '/__admin/health');
      assert.equal(health.status, 200, health.text);
      assert.equal(health.json.status, 'ok');
      console.log(`[figure Q25] demo emulator: 4 requests to /__admin answered ${unknown.status} ${String(unknown.json?.error_code)} like an unknown route, 0 fault rules; with the route on: ${health.status}`);
    } finally {
      await demo.close();
      await regular.emu.close();
    }
  });
});
