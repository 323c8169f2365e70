import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { formatSdkDate } from '../../../src/api/signer';
import { ApiFailure, badJsonCode, type FamilyOptions, type ResourceFamily, type Router } from '../../../src/emulator/framework';
import { SEED_IMAGE_ID } from '../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../src/emulator/server';
import {
  httpRequest,
  issueToken,
  passwordAuthBody,
  plainFetch,
  sdkSignedFetch,
  signedFetch,
  startTestEmulator,
  tokenFetch,
} from '../helpers/emulatorHelpers';

const AUTH = 'Incorrect IAM authentication information: ';
const HEX32 = /^[0-9a-f]{32}$/;

function assertGatewayError(res: { status: number; json: { error_code: string; error_msg: string; request_id: string }; headers: Record<string, unknown> }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(res.json.error_code, code);
  assert.match(res.json.request_id, HEX32);
  assert.equal(res.headers['x-request-id'], res.json.request_id);
}

describe('emulator auth: AK/SK signatures', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  it('accepts a GET signed by the official SDK signer, with repeated keys, spaces and Chinese text in the query', async () => {
    const res = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/notebooks', {
      query: { limit: '50', sort_key: 'name', label: ['b 2', 'a 1', '数据'], note: '一 (&=?!#%.*) 中文' },
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': emu.projectId },
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.total > 0);
    assert.ok(res.json.data.some((nb: { name: string }) => nb.name === 'notebooks_test'));
    const last = emu.requests.at(-1)!;
    assert.equal(last.auth, 'aksk');
    assert.equal(last.route, '/v1/{project_id}/notebooks');
    assert.deepEqual(
      last.query.filter(([k]) => k === 'label').map(([, v]) => v),
      ['b 2', 'a 1', '数据'],
    );
  });

  it('accepts a POST with a non-ASCII JSON body signed by the official SDK signer', async () => {
    const data = {
      name: 'sdk-signed-nb',
      description: '中文描述 with spaces',
      image_id: SEED_IMAGE_ID,
      volume: { category: 'evs', ownership: 'managed' },
    };
    const res = await sdkSignedFetch(emu, 'POST', '/v1/{pid}/notebooks', { data, headers: { 'Content-Type': 'application/json;charset=UTF-8' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.description, '中文描述 with spaces');
    assert.equal(res.json.status, 'CREATING');
  });

  it('accepts requests signed by the project signer, with and without X-Project-Id', async () => {
    const plain = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(plain.status, 200, plain.text);
    const withProject = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { projectHeader: true, query: [['name', 'de fault']] });
    assert.equal(withProject.status, 200, withProject.text);
  });

  it('ignores headers that are not signed', async () => {
    const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces/0', {
      tamper: (wire) => {
        wire.headers['X-Unsigned-Extra'] = 'anything';
        wire.headers['User-Agent'] = 'changed-after-signing';
      },
    });
    assert.equal(res.status, 200, res.text);
    // Content-Type is sent but left out of SignedHeaders: the server rebuilds from the listed headers only.
    const partial = await signedFetch(emu, 'POST', '/v1/{pid}/notebooks/{id}/lease'.replace('{id}', 'x'), {
      body: {},
      signedHeaders: ['host', 'x-sdk-date'],
      tamper: (wire) => {
        wire.method = 'GET';
        wire.body = undefined;
      },
    });
    // The signature covered POST and a body, so changing both must fail: the partial header list still protects method and body.
    assertGatewayError(partial, 401, 'APIGW.0301');
    const listedOnly = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', {
      headers: { 'Content-Type': 'application/json', 'X-Trace': 'a' },
      signedHeaders: ['host', 'x-sdk-date'],
      tamper: (wire) => {
        wire.headers['X-Trace'] = 'b';
        wire.headers['Content-Type'] = 'text/plain';
      },
    });
    assert.equal(listedOnly.status, 200, listedOnly.text);
  });

  it('rejects a changed body with the |-joined canonical request', async () => {
    const body = { name: 'tampered', image_id: SEED_IMAGE_ID, volume: { category: 'EVS', ownership: 'MANAGED' } };
    const res = await sdkSignedFetch(emu, 'POST', '/v1/{pid}/notebooks', {
      data: body,
      headers: { 'Content-Type': 'application/json' },
      tamper: (wire) => {
        wire.body = JSON.stringify({ ...body, name: 'tampered2' });
      },
    });
    assertGatewayError(res, 401, 'APIGW.0301');
    const prefix = `${AUTH}verify aksk signature fail, canonicalRequest:POST|/v1/${emu.projectId}/notebooks/||content-type:application/json|host:`;
    assert.ok(res.json.error_msg.startsWith(prefix), res.json.error_msg);
    assert.ok(!res.json.error_msg.includes('\n'));
    assert.match(res.json.error_msg, /\|\|content-type;host;x-sdk-date\|[0-9a-f]{64}$/);
  });

  it('rejects a changed query, path, or signed header', async () => {
    const query = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/notebooks', {
      query: { limit: '10' },
      tamper: (wire) => {
        wire.rawQuery = 'limit=20';
      },
    });
    assertGatewayError(query, 401, 'APIGW.0301');
    assert.ok(query.json.error_msg.includes(`canonicalRequest:GET|/v1/${emu.projectId}/notebooks/|limit=20|`), query.json.error_msg);

    const path = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces/0', {
      tamper: (wire) => {
        wire.path = `/v1/${emu.projectId}/workspaces/7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b`;
      },
    });
    assertGatewayError(path, 401, 'APIGW.0301');
    assert.ok(path.json.error_msg.includes('/workspaces/7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b/|'), path.json.error_msg);

    const header = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', {
      projectHeader: true,
      tamper: (wire) => {
        wire.headers['X-Project-Id'] = emu.projectId.replace(/^./, 'f');
      },
    });
    assertGatewayError(header, 401, 'APIGW.0301');
    assert.ok(header.json.error_msg.includes(`|x-project-id:f${emu.projectId.slice(1)}|`), header.json.error_msg);
  });

  it('rejects a wrong secret key and an unknown access key', async () => {
    const wrongSk = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: emu.credentials.ak, sk: 'not-the-secret' } });
    assertGatewayError(wrongSk, 401, 'APIGW.0301');
    assert.ok(wrongSk.json.error_msg.startsWith(`${AUTH}verify aksk signature fail, canonicalRequest:GET|`));

    const unknown = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: 'UNKNOWNAK00000000000', sk: 'x' } });
    assertGatewayError(unknown, 401, 'APIGW.0301');
    assert.equal(unknown.json.error_msg, `${AUTH}Get secretKey failed,ak:******,err:ak not exist`);
  });

  it('rejects an X-Sdk-Date more than 15 minutes from server time, or missing', async () => {
    const now = clock.now();
    const fine = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { date: new Date(now - 14 * 60_000) });
    assert.equal(fine.status, 200, fine.text);
    const skewed = new Date(now - 16 * 60_000);
    const late = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { date: skewed });
    assertGatewayError(late, 401, 'APIGW.0301');
    assert.equal(late.json.error_msg, `${AUTH}signature expired, signature time: ${formatSdkDate(skewed)}, server time: ${formatSdkDate(new Date(now))}`);
    const ahead = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { date: new Date(now + 16 * 60_000) });
    assertGatewayError(ahead, 401, 'APIGW.0301');

    const missing = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', {
      tamper: (wire) => {
        delete wire.headers['X-Sdk-Date'];
      },
    });
    assertGatewayError(missing, 401, 'APIGW.0301');
    assert.equal(missing.json.error_msg, `${AUTH}signature expired, signature time: , server time: ${formatSdkDate(new Date(now))}`);
    const garbage = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { date: '2026-01-01 00:00:00' });
    assertGatewayError(garbage, 401, 'APIGW.0301');
    assert.ok(garbage.json.error_msg.includes('signature time: 2026-01-01 00:00:00,'));
  });

  it('requires host among the signed headers', async () => {
    const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { signedHeaders: ['x-sdk-date'] });
    assertGatewayError(res, 401, 'APIGW.0301');
    assert.equal(res.json.error_msg, `${AUTH}the host header must be signed`);
  });

  it('answers 404 ModelArts.2786 when the project id in the path or X-Project-Id is not the emulator project', async () => {
    const other = '0123456789abcdef0123456789abcdef';
    const path = await signedFetch(emu, 'GET', `/v1/${other}/workspaces`);
    assert.equal(path.status, 404);
    assert.equal(path.json.error_code, 'ModelArts.2786');
    const header = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { headers: { 'X-Project-Id': other } });
    assert.equal(header.status, 404);
    assert.equal(header.json.error_code, 'ModelArts.2786');
  });
});

describe('emulator auth: IAM tokens', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  it('issues a project-scoped token (201, X-Subject-Token, token body with catalog)', async () => {
    const res = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu), headers: { 'Content-Type': 'application/json;charset=utf8' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(typeof res.headers['x-subject-token'], 'string');
    assert.ok((res.headers['x-subject-token'] as string).length > 100);
    assert.match(res.headers['x-iam-trace-id'] as string, HEX32);
    const token = res.json.token;
    assert.match(token.expires_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    assert.equal(token.issued_at, '2026-01-01T00:00:00.000000Z');
    assert.equal(token.expires_at, '2026-01-02T00:00:00.000000Z');
    assert.deepEqual(token.methods, ['password']);
    assert.equal(token.project.id, emu.projectId);
    assert.equal(token.project.name, 'cn-north-4');
    assert.equal(token.project.domain.name, emu.credentials.domain);
    assert.equal(token.user.name, emu.credentials.username);
    assert.equal(token.user.domain.name, emu.credentials.domain);
    assert.ok(Array.isArray(token.roles) && token.roles.length > 0);
    assert.equal(token.catalog.find((c: { type: string }) => c.type === 'modelarts').endpoints[0].url, emu.endpoint);

    const noCatalog = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', query: { nocatalog: 'true' }, body: passwordAuthBody(emu) });
    assert.equal(noCatalog.status, 201);
    assert.equal(noCatalog.json.token.catalog, undefined);
  });

  it('scopes by project id too, and answers a domain scope with a token that has no project', async () => {
    const byId = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu, { scope: { project: { id: emu.projectId } } }) });
    assert.equal(byId.status, 201);
    assert.equal(byId.json.token.project.id, emu.projectId);
    const domain = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu, { scope: { domain: { name: emu.credentials.domain } } }) });
    assert.equal(domain.status, 201);
    assert.equal(domain.json.token.project, undefined);
    assert.equal(domain.json.token.domain.name, emu.credentials.domain);
    // A domain token cannot call a project API.
    const call = await tokenFetch(emu, domain.headers['x-subject-token'] as string, 'GET', '/v1/{pid}/workspaces');
    assert.equal(call.status, 404);
    assert.equal(call.json.error_code, 'ModelArts.2786');
    const unknownProject = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu, { scope: { project: { name: 'eu-west-101' } } }) });
    assert.equal(unknownProject.status, 400);
    assert.equal(unknownProject.json.error.code, 400);
  });

  it('answers wrong credentials with IAM 401 and malformed bodies with IAM 400', async () => {
    const expected = { error: { code: 401, title: 'Unauthorized', message: 'The username or password is wrong.' } };
    for (const overrides of [{ password: 'wrong' }, { name: 'nobody' }, { domain: 'other-account' }]) {
      const res = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu, overrides) });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, expected);
      assert.equal(res.headers['x-subject-token'], undefined);
    }
    const malformed = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: { auth: { identity: { methods: ['password'] } } } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.error.title, 'Bad Request');
    const notJson = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: '{"auth":' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json.error.code, 400);
  });

  it('authenticates ModelArts calls with X-Auth-Token and rejects unknown or missing tokens', async () => {
    const token = await issueToken(emu);
    const ok = await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(emu.requests.at(-1)!.auth, 'token');
    const unknown = await tokenFetch(emu, 'MIIEnotatoken', 'GET', '/v1/{pid}/workspaces');
    assertGatewayError(unknown, 401, 'APIGW.0301');
    assert.equal(unknown.json.error_msg, `${AUTH}decrypt token fail`);
    const none = await plainFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assertGatewayError(none, 401, 'APIGW.0301');
    assert.equal(none.json.error_msg, `${AUTH}x-auth-token not found`);
    assert.equal(emu.requests.at(-1)!.auth, 'none');
  });

  it('expires every issued token on expireTokens(): 401 APIGW.0307; a new token works', async () => {
    const token = await issueToken(emu);
    assert.equal((await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces')).status, 200);
    emu.expireTokens();
    const expired = await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces');
    assertGatewayError(expired, 401, 'APIGW.0307');
    assert.equal(expired.json.error_msg, 'The token must be updated.');
    const fresh = await issueToken(emu);
    assert.equal((await tokenFetch(emu, fresh, 'GET', '/v1/{pid}/workspaces')).status, 200);
  });

  it('expires a token when the clock passes its 24 h lifetime', async () => {
    const token = await issueToken(emu);
    await clock.advance(24 * 3600_000 - 1000);
    assert.equal((await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces')).status, 200);
    await clock.advance(1000);
    assertGatewayError(await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces'), 401, 'APIGW.0307');
  });
});

describe('emulator auth: project lookup and temporary credentials', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator({ tokenTtlMs: 3600_000 }));
  });
  after(() => emu.close());

  it('finds the project by region name with an AK/SK signature (official signer) or a token', async () => {
    const res = await sdkSignedFetch(emu, 'GET', '/v3/projects', { service: 'iam', query: { name: 'cn-north-4' }, headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers['x-iam-trace-id'] as string, HEX32);
    assert.equal(res.json.projects.length, 1);
    const project = res.json.projects[0];
    assert.deepEqual(Object.keys(project).sort(), ['description', 'domain_id', 'enabled', 'id', 'is_domain', 'links', 'name', 'parent_id']);
    assert.equal(project.id, emu.projectId);
    assert.equal(project.name, 'cn-north-4');
    assert.equal(project.enabled, true);
    assert.equal(project.is_domain, false);
    assert.ok('self' in res.json.links);

    const none = await signedFetch(emu, 'GET', '/v3/projects', { service: 'iam', query: { name: 'ap-southeast-1' } });
    assert.equal(none.status, 200);
    assert.deepEqual(none.json.projects, []);

    const token = await issueToken(emu);
    const byToken = await tokenFetch(emu, token, 'GET', '/v3/projects', { service: 'iam', query: { name: 'cn-north-4' } });
    assert.equal(byToken.json.projects[0].id, emu.projectId);

    const anonymous = await plainFetch(emu, 'GET', '/v3/projects', { service: 'iam', query: { name: 'cn-north-4' } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error.code, 401);
    const badSignature = await signedFetch(emu, 'GET', '/v3/projects', { service: 'iam', credentials: { ak: emu.credentials.ak, sk: 'wrong' } });
    assert.equal(badSignature.status, 401);
    assert.ok(badSignature.json.error.message.includes('verify aksk signature fail'));
  });

  it('issues temporary credentials from a token; they work only with their signed security token', async () => {
    const token = await issueToken(emu);
    const res = await tokenFetch(emu, token, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', {
      service: 'iam',
      body: { auth: { identity: { methods: ['token'], token: { id: token, duration_seconds: 900 } } } },
    });
    assert.equal(res.status, 201, res.text);
    const { access, secret, securitytoken, expires_at } = res.json.credential;
    assert.match(access, /^[A-Z0-9]{20}$/);
    assert.equal(secret.length, 40);
    assert.ok(securitytoken.length > 100);
    assert.equal(expires_at, '2026-01-01T00:15:00.000000Z');

    const ok = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: access, sk: secret, securityToken: securitytoken } });
    assert.equal(ok.status, 200, ok.text);
    const withoutToken = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: access, sk: secret } });
    assertGatewayError(withoutToken, 401, 'APIGW.0301');
    const unsignedToken = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', {
      credentials: { ak: access, sk: secret },
      tamper: (wire) => {
        wire.headers['X-Security-Token'] = securitytoken;
      },
    });
    assertGatewayError(unsignedToken, 401, 'APIGW.0301');
    const otherToken = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: access, sk: secret, securityToken: 'forged' } });
    assertGatewayError(otherToken, 401, 'APIGW.0301');

    await clock.advance(15 * 60_000);
    const expired = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: access, sk: secret, securityToken: securitytoken } });
    assertGatewayError(expired, 401, 'APIGW.0301');
    assert.equal(expired.json.error_msg, `${AUTH}token expires, expires_at: 2026-01-01T00:15:00.000000Z`);
  });

  it('refuses temporary credentials for a bad token or duration', async () => {
    const token = await issueToken(emu);
    const bad = await tokenFetch(emu, 'MIIEbogus', 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', {
      service: 'iam',
      body: { auth: { identity: { methods: ['token'], token: { id: 'MIIEbogus' } } } },
    });
    assert.equal(bad.status, 401);
    const short = await tokenFetch(emu, token, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', {
      service: 'iam',
      body: { auth: { identity: { methods: ['token'], token: { id: token, duration_seconds: 60 } } } },
    });
    assert.equal(short.status, 400);
    assert.equal(short.json.error.code, 400);
  });

  it('hands out temporary credentials in-process too', async () => {
    const temp = emu.issueTemporaryCredentials(600_000);
    assert.equal(temp.expiresAt, clock.now() + 600_000);
    const ok = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: temp.ak, sk: temp.sk, securityToken: temp.securityToken } });
    assert.equal(ok.status, 200, ok.text);
  });
});

describe('emulator secret prefixes', () => {
  const prefixes = {
    token: 'PFXTOKEN',
    temporaryAk: 'PFXTMPAK',
    temporarySk: 'PFXTMPSK',
    securityToken: 'PFXSTS',
    notebookToken: 'PFXNB',
    appSecret: 'PFXAPP',
  };
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator({ secretPrefixes: prefixes }));
  });
  after(() => emu.close());

  it('every token and secret it issues begins with its prefix, and each still works', async () => {
    const token = await issueToken(emu);
    assert.ok(token.startsWith(prefixes.token) && token.length > prefixes.token.length + 100, token);
    assert.equal((await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces')).status, 200);

    const temp = emu.issueTemporaryCredentials();
    assert.ok(temp.ak.startsWith(prefixes.temporaryAk) && /^[A-Za-z0-9]+$/.test(temp.ak), temp.ak);
    assert.ok(temp.sk.startsWith(prefixes.temporarySk), temp.sk);
    assert.ok(temp.securityToken.startsWith(prefixes.securityToken), temp.securityToken);
    const signed = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { credentials: { ak: temp.ak, sk: temp.sk, securityToken: temp.securityToken } });
    assert.equal(signed.status, 200, signed.text);

    const notebooks = await tokenFetch(emu, token, 'GET', '/v1/{pid}/notebooks', { query: { limit: '100' } });
    const tokens = (notebooks.json.data as Array<{ token: string }>).map((nb) => nb.token);
    assert.ok(tokens.length > 3 && tokens.every((t) => t.startsWith(prefixes.notebookToken)), JSON.stringify(tokens));

    const apps = await tokenFetch(emu, token, 'GET', '/v1/{pid}/app-auth/apps');
    const secrets = (apps.json.apps as Array<{ app_secret: string }>).map((a) => a.app_secret);
    assert.ok(secrets.length > 0 && secrets.every((s) => s.startsWith(prefixes.appSecret)), JSON.stringify(secrets));
  });

  it('without prefixes, the usual shapes', async () => {
    const { emu: plain } = await startTestEmulator();
    try {
      assert.match(await issueToken(plain), /^MIIEmu/);
      assert.match(plain.issueTemporaryCredentials().securityToken, /^gQ5jbi1ub3J0aC00/);
    } finally {
      await plain.close();
    }
  });
});

describe('emulator gateway: routing, bodies, errors', () => {
  let emu: RunningEmulator;
  const advanced: number[] = [];
  const probe = (_opts: FamilyOptions): ResourceFamily => ({
    register(router: Router): void {
      router
        .add('POST', '/v2/{project_id}/training-jobs', (request) => ({ status: 201, body: { echo: request.body } }))
        .add('GET', '/v2/{project_id}/probe/boom', () => {
          throw new Error('kaboom');
        })
        .add('GET', '/v2/{project_id}/probe/fail', () => {
          throw new ApiFailure(409, 'ModelArts.2796', 'not allowed', { error_solution: 'wait' });
        })
        .add('DELETE', '/v2/{project_id}/probe/empty', () => ({ status: 202 }));
    },
    advance(now: number): void {
      advanced.push(now);
    },
  });
  before(async () => {
    ({ emu } = await startTestEmulator({ families: (opts) => [probe(opts)] }));
  });
  after(() => emu.close());

  it('answers an unknown path or a wrong method with 404 APIGW.0101, before authentication', async () => {
    const expectedMsg = 'The API does not exist or has not been published in the environment';
    for (const res of [
      await plainFetch(emu, 'GET', '/v1/{pid}/no-such-thing'),
      await signedFetch(emu, 'PATCH', '/v1/{pid}/workspaces'),
      await signedFetch(emu, 'GET', '/v3/auth/tokens'),
    ]) {
      assertGatewayError(res, 404, 'APIGW.0101');
      assert.equal(res.json.error_msg, expectedMsg);
    }
  });

  it('answers invalid JSON with 400 ModelArts.0101, or ModelArts.2787 on training routes', async () => {
    const notebooks = await signedFetch(emu, 'POST', '/v1/{pid}/notebooks', { body: '{"name":' });
    assert.equal(notebooks.status, 400);
    assert.equal(notebooks.json.error_code, 'ModelArts.0101');
    const training = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', { body: '{"kind":' });
    assert.equal(training.status, 400);
    assert.equal(training.json.error_code, 'ModelArts.2787');
    const valid = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', { body: { kind: 'job' } });
    assert.equal(valid.status, 201);
    assert.deepEqual(valid.json, { echo: { kind: 'job' } });
    assert.equal(badJsonCode('/v2/p/training-job-searches'), 'ModelArts.2787');
    assert.equal(badJsonCode('/v2/p/modelarts-training-job/x/tags/create'), 'ModelArts.2787');
    assert.equal(badJsonCode('/v2/p/workflows'), 'ModelArts.0101');
  });

  it('answers a body over 12 MB with 413 APIGW.0201', async () => {
    const big = Buffer.alloc(12 * 1024 * 1024 + 1, 0x20);
    const res = await httpRequest(`${emu.endpoint}/v1/${emu.projectId}/notebooks`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    assertGatewayError(res, 413, 'APIGW.0201');
    const fits = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', { body: `{"pad":"${'x'.repeat(1024 * 1024)}"}` });
    assert.equal(fits.status, 201);
  });

  it('answers thrown failures with their body, and anything else with 500 ModelArts.0001', async () => {
    const fail = await signedFetch(emu, 'GET', '/v2/{pid}/probe/fail');
    assert.equal(fail.status, 409);
    assert.deepEqual(fail.json, { error_code: 'ModelArts.2796', error_msg: 'not allowed', error_solution: 'wait' });
    const boom = await signedFetch(emu, 'GET', '/v2/{pid}/probe/boom');
    assert.equal(boom.status, 500);
    assert.equal(boom.json.error_code, 'ModelArts.0001');
    assert.ok(boom.json.error_msg.includes('kaboom'));
  });

  it('sends X-Request-Id on every answer, JSON content type with a body and none without', async () => {
    const ok = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.match(ok.headers['x-request-id'] as string, HEX32);
    assert.equal(ok.headers['content-type'], 'application/json');
    const empty = await signedFetch(emu, 'DELETE', '/v2/{pid}/probe/empty');
    assert.equal(empty.status, 202);
    assert.match(empty.headers['x-request-id'] as string, HEX32);
    assert.equal(empty.headers['content-type'], undefined);
    assert.equal(empty.body.length, 0);
    const ids = new Set([ok.headers['x-request-id'], empty.headers['x-request-id']]);
    assert.equal(ids.size, 2);
  });

  it('advances every family before each request, with emulated time', async () => {
    const before = advanced.length;
    await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(advanced.length - before, 2);
    assert.equal(advanced.at(-1), emu.clock.now());
  });

  it('records every request in order with service, route, status and auth', async () => {
    emu.requests.length = 0;
    await signedFetch(emu, 'GET', '/v1/{pid}/workspaces/0');
    await plainFetch(emu, 'GET', '/v1/{pid}/workspaces/0');
    await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) });
    const [a, b, c] = emu.requests;
    assert.deepEqual(
      { service: a.service, method: a.method, route: a.route, status: a.status, auth: a.auth },
      { service: 'modelarts', method: 'GET', route: '/v1/{project_id}/workspaces/{workspace_id}', status: 200, auth: 'aksk' },
    );
    assert.equal(a.path, `/v1/${emu.projectId}/workspaces/0`);
    assert.equal(a.at, emu.clock.now());
    assert.deepEqual({ status: b.status, auth: b.auth }, { status: 401, auth: 'none' });
    assert.deepEqual({ service: c.service, status: c.status, route: c.route }, { service: 'iam', status: 201, route: '/v3/auth/tokens' });
  });
});
