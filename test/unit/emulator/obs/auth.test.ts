import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../../src/api/clock';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { type HttpResult, issueToken, signedFetch, startTestEmulator, tokenFetch } from '../../helpers/emulatorHelpers';
import { obsFetch, rawObs, sdkClient, xmlField } from './obsRig';

// Who the emulator's OBS answers: signed requests (OBS and AWS V2 forms) with a known AK, a date within 15 minutes
// of the gateway's clock and, for temporary credentials from IAM, their security token until they expire; its
// own Host names only, and never a request with an Origin header.

function assertRefused(res: HttpResult, code: string, what: string): void {
  assert.equal(res.status, 403, `${what}: ${res.text}`);
  assert.equal(res.headers['content-type'], 'application/xml', what);
  assert.equal(xmlField(res.text, 'Code'), code, `${what}: ${res.text}`);
  assert.match(xmlField(res.text, 'RequestId') ?? '', /^[0-9A-F]{32}$/, what);
}

describe('OBS signatures in the emulator', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  it('accepts the OBS and AWS V2 forms, path-style and virtual-hosted (with or without the port), and refuses tampering with 403 SignatureDoesNotMatch', async () => {
    for (const scheme of ['OBS', 'AWS'] as const) {
      for (const style of ['path', 'virtual'] as const) {
        const ok = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { scheme, style });
        assert.equal(ok.status, 200, `${scheme} ${style}: ${ok.text}`);
      }
    }
    const noPort = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { style: 'virtual', tamper: (w) => (w.headers.Host = 'demo-bucket.obs.cn-north-4.myhuaweicloud.com') });
    assert.equal(noPort.status, 200, 'the official SDK sends the Host without the port');
    const tampered = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { tamper: (w) => (w.path = '/demo-bucket/algorithms/bert/run_classifier.py') });
    assertRefused(tampered, 'SignatureDoesNotMatch', 'another key than signed');
    assert.equal(xmlField(tampered.text, 'Message'), 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    const wrongSk = await obsFetch(emu, 'GET', 'demo-bucket', undefined, { credentials: { ak: emu.credentials.ak, sk: 'wrong-secret' } });
    assertRefused(wrongSk, 'SignatureDoesNotMatch', 'wrong SK');
    const signedHeader = await obsFetch(emu, 'PUT', 'demo-bucket', 'meta.txt', { body: 'x', headers: { 'x-obs-meta-a': '1' }, tamper: (w) => (w.headers['x-obs-meta-a'] = '2') });
    assertRefused(signedHeader, 'SignatureDoesNotMatch', 'a signed header changed');
    const signedSub = await obsFetch(emu, 'GET', 'demo-bucket', undefined, { query: 'location', tamper: (w) => (w.path = '/demo-bucket?acl') });
    assertRefused(signedSub, 'SignatureDoesNotMatch', 'a signed sub-resource changed');
    const unsignedParam = await obsFetch(emu, 'GET', 'demo-bucket', undefined, { query: 'prefix=a', tamper: (w) => (w.path = '/demo-bucket?prefix=b') });
    assert.equal(unsignedParam.status, 200, 'prefix is not signed');
  });

  it('refuses an unknown AK (InvalidAccessKeyId), a skewed date (RequestTimeTooSkewed), no date or no signature (AccessDenied)', async () => {
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { credentials: { ak: 'UNKNOWNAK0000000000', sk: 'x' } }), 'InvalidAccessKeyId', 'unknown AK');
    const skewed = await obsFetch(emu, 'GET', 'demo-bucket', undefined, { date: new Date(clock.now() - 16 * 60_000) });
    assertRefused(skewed, 'RequestTimeTooSkewed', '16 min behind');
    assert.equal(xmlField(skewed.text, 'ServerTime'), new Date(clock.now()).toUTCString());
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { date: new Date(clock.now() + 16 * 60_000) }), 'RequestTimeTooSkewed', '16 min ahead');
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', undefined, { date: new Date(clock.now() - 14 * 60_000) })).status, 200, '14 min is within the skew');
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { tamper: (w) => delete w.headers.Date }), 'AccessDenied', 'no date');
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { date: 'yesterday-ish' }), 'AccessDenied', 'a malformed date');
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { unsigned: true }), 'AccessDenied', 'unsigned');
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', undefined, { tamper: (w) => (w.headers.Authorization = 'AWS4-HMAC-SHA256 Credential=x') }), 'AccessDenied', 'V4');
    const head = await obsFetch(emu, 'HEAD', 'demo-bucket', 'README.txt', { credentials: { ak: 'UNKNOWNAK0000000000', sk: 'x' } });
    assert.equal(head.status, 403);
    assert.equal(head.headers['x-obs-error-code'], 'InvalidAccessKeyId');
    assert.equal(head.body.length, 0);
  });

  it('answers the SDK\'s unsigned API-version probe with x-obs-api 3.0, on any of its host names', async () => {
    const port = new URL(emu.obsEndpoint).port;
    for (const host of [`127.0.0.1:${port}`, 'obs.cn-north-4.myhuaweicloud.com', `demo-bucket.obs.cn-north-4.myhuaweicloud.com:${port}`]) {
      const res = await rawObs(emu, 'HEAD', '/?apiversion', { Host: host });
      assert.equal(res.status, 200, host);
      assert.equal(res.headers['x-obs-api'], '3.0');
    }
  });

  it('answers only its own Host names and no request with an Origin header (403 AccessDenied, nothing changed)', async () => {
    const port = new URL(emu.obsEndpoint).port;
    const refusedHosts = ['evil.example', `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, 'obs.cn-north-4.myhuaweicloud.com.evil.example', 'myhuaweicloud.com'];
    for (const host of refusedHosts) {
      const res = await obsFetch(emu, 'PUT', 'demo-bucket', 'host-check.txt', { body: 'x', tamper: (w) => (w.headers.Host = host) });
      assertRefused(res, 'AccessDenied', host);
    }
    const origin = await obsFetch(emu, 'PUT', 'demo-bucket', 'host-check.txt', { body: 'x', headers: { Origin: 'https://evil.example' } });
    assertRefused(origin, 'AccessDenied', 'Origin');
    assert.match(xmlField(origin.text, 'Message') ?? '', /Origin/);
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', 'host-check.txt')).status, 404, 'nothing was stored');
    for (const host of [`127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, 'localhost']) {
      const res = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { tamper: (w) => (w.headers.Host = host) });
      assert.equal(res.status, 200, `${host}: ${res.text}`);
    }
  });
});

describe('OBS with temporary credentials from IAM', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  async function temporary(by: 'token' | 'aksk', duration?: number | string): Promise<{ ak: string; sk: string; securityToken: string; expiresAt: string }> {
    const body = { auth: { identity: { methods: ['token'], ...(duration === undefined ? {} : { token: { duration_seconds: duration } }) } } };
    const res = by === 'token'
      ? await tokenFetch(emu, await issueToken(emu), 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', { service: 'iam', body })
      : await signedFetch(emu, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', { service: 'iam', body });
    assert.equal(res.status, 201, res.text);
    const c = res.json.credential;
    return { ak: c.access, sk: c.secret, securityToken: c.securitytoken, expiresAt: c.expires_at };
  }

  it('IAM issues them for a token or an AK/SK signature (duration 900–86400 s, default 900, as a number or text); 400 outside', async () => {
    const byToken = await temporary('token');
    assert.equal(byToken.expiresAt, new Date(clock.now() + 900_000).toISOString().replace('Z', '000Z'));
    const bySignature = await temporary('aksk', '3600');
    assert.equal(bySignature.expiresAt, new Date(clock.now() + 3600_000).toISOString().replace('Z', '000Z'));
    assert.equal((await temporary('aksk', 86400)).expiresAt, new Date(clock.now() + 86_400_000).toISOString().replace('Z', '000Z'));
    for (const bad of [899, 86401, 'soon', 900.5]) {
      const res = await signedFetch(emu, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', { service: 'iam', body: { auth: { identity: { methods: ['token'], token: { duration_seconds: bad } } } } });
      assert.equal(res.status, 400, String(bad));
    }
    const wrongSk = await signedFetch(emu, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', { service: 'iam', credentials: { ak: emu.credentials.ak, sk: 'wrong' }, body: { auth: { identity: { methods: ['token'] } } } });
    assert.equal(wrongSk.status, 401);
    const nobody = await rawIam(emu);
    assert.equal(nobody.status, 401);
  });

  it('they sign OBS requests with their x-obs-security-token (x-amz- under V2) until expires_at on the gateway\'s clock', async () => {
    const temp = await temporary('token');
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: temp })).status, 200);
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: temp, scheme: 'AWS' })).status, 200);
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: { ak: temp.ak, sk: temp.sk } }), 'AccessDenied', 'no token');
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: { ...temp, securityToken: 'forged' } }), 'AccessDenied', 'another token');
    assertRefused(await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: { ...emu.credentials, securityToken: temp.securityToken } }), 'AccessDenied', 'a token with the permanent AK');
    const unsignedToken = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: { ak: temp.ak, sk: temp.sk }, tamper: (w) => (w.headers['x-obs-security-token'] = temp.securityToken) });
    assertRefused(unsignedToken, 'SignatureDoesNotMatch', 'the token is signed');
    await clock.advance(900_000 - 1000);
    assert.equal((await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: temp })).status, 200, 'a second before expiry');
    await clock.advance(1000);
    const expired = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt', { credentials: temp });
    assertRefused(expired, 'InvalidAccessKeyId', 'expired');
    assert.match(xmlField(expired.text, 'Message') ?? '', /expired at/);
  });

  it('the official SDK signs with temporary credentials from IAM', async () => {
    const real = await startTestEmulator({ start: Date.now() });
    try {
      const token = await issueToken(real.emu);
      const res = await tokenFetch(real.emu, token, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', { service: 'iam', body: { auth: { identity: { methods: ['token'] } } } });
      const c = res.json.credential;
      for (const style of ['path', 'virtual'] as const) {
        const client = await sdkClient(real.emu, { style, credentials: { ak: c.access, sk: c.secret, securityToken: c.securitytoken } });
        const listed = await client.listObjects({ Bucket: 'demo-bucket', Prefix: 'algorithms/' });
        assert.equal(listed.CommonMsg.Status, 200, JSON.stringify(listed.CommonMsg));
        assert.equal(listed.InterfaceResult.Contents.length, 2);
        const wrong = await sdkClient(real.emu, { style, credentials: { ak: c.access, sk: 'not-the-secret', securityToken: c.securitytoken } });
        const refused = await wrong.listObjects({ Bucket: 'demo-bucket' });
        assert.equal(refused.CommonMsg.Status, 403);
        assert.equal(refused.CommonMsg.Code, 'SignatureDoesNotMatch');
      }
    } finally {
      await real.emu.close();
    }
  });
});

function rawIam(emu: RunningEmulator): Promise<HttpResult> {
  return signedFetch(emu, 'POST', '/v3.0/OS-CREDENTIAL/securitytokens', { service: 'iam', body: { auth: { identity: { methods: ['token'] } } }, tamper: (w) => delete w.headers.Authorization });
}
