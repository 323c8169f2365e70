import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../../src/api/clock';
import { encodeObsKey, obsQueryStringToSign, obsSignatureOf, presignedObsQuery } from '../../../../src/api/obs/signer';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { type HttpResult, httpRequest, startTestEmulator } from '../../helpers/emulatorHelpers';
import { obsFetch, xmlField } from './obsRig';

// V2 query-string authentication (a presigned link: AccessKeyId, Expires, Signature) in the emulator's OBS: the
// link works until Expires on the gateway's clock and not a second later; the signature covers the method, the
// resource, Expires and the signed sub-resources; a temporary AK needs its token in the query.

function refused(res: HttpResult, code: string, what: string): void {
  assert.equal(res.status, 403, `${what}: ${res.text}`);
  assert.equal(xmlField(res.text, 'Code'), code, `${what}: ${res.text}`);
}

describe('OBS presigned links in the emulator', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  const link = (query: string, key = 'README.txt'): string => `${emu.obsEndpoint}/demo-bucket/${encodeObsKey(key)}?${query}`;
  const nowSeconds = (): number => Math.floor(clock.now() / 1000);

  it('serves a GET until Expires, then 403 AccessDenied "Request has expired"', async () => {
    const expires = nowSeconds() + 60;
    const url = link(presignedObsQuery(emu.credentials, '/demo-bucket/README.txt', expires));
    const ok = await httpRequest(url, { method: 'GET' });
    assert.equal(ok.status, 200, ok.text);
    assert.ok(ok.text.length > 0);
    await clock.advance(60_000);
    assert.equal((await httpRequest(url, { method: 'GET' })).status, 200, 'at Expires exactly: still valid');
    await clock.advance(1_000);
    const late = await httpRequest(url, { method: 'GET' });
    refused(late, 'AccessDenied', 'expired');
    assert.equal(xmlField(late.text, 'Message'), 'Request has expired');
    assert.equal(xmlField(late.text, 'Expires'), new Date(expires * 1000).toISOString());
  });

  it('the signature covers the resource, Expires, the method and signed sub-resources; not unsigned parameters', async () => {
    const expires = nowSeconds() + 300;
    const query = presignedObsQuery(emu.credentials, '/demo-bucket/README.txt', expires, [['response-content-disposition', 'attachment;filename=r.txt']]);
    const ok = await httpRequest(link(query), { method: 'GET' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.headers['content-disposition'], 'attachment;filename=r.txt');
    refused(await httpRequest(link(query, 'algorithms/bert/run_classifier.py'), { method: 'GET' }), 'SignatureDoesNotMatch', 'another key');
    refused(await httpRequest(link(query.replace(`Expires=${expires}`, `Expires=${expires + 3600}`)), { method: 'GET' }), 'SignatureDoesNotMatch', 'a later Expires');
    refused(await httpRequest(link(query.replace('filename%3Dr.txt', 'filename%3Devil.exe')), { method: 'GET' }), 'SignatureDoesNotMatch', 'a signed sub-resource');
    refused(await httpRequest(link(query), { method: 'DELETE' }), 'SignatureDoesNotMatch', 'another method');
    assert.equal((await httpRequest(link(`${query}&prefix=x`), { method: 'GET' })).status, 200, 'prefix is not signed');
  });

  it('refuses an unknown AK, a malformed Expires, a missing signature; AWSAccessKeyId is the AWS V2 form', async () => {
    const expires = nowSeconds() + 300;
    const query = presignedObsQuery(emu.credentials, '/demo-bucket/README.txt', expires);
    refused(await httpRequest(link(query.replace(`AccessKeyId=${emu.credentials.ak}`, 'AccessKeyId=UNKNOWNAK000')), { method: 'GET' }), 'InvalidAccessKeyId', 'unknown AK');
    refused(await httpRequest(link(query.replace(`Expires=${expires}`, 'Expires=soon')), { method: 'GET' }), 'AccessDenied', 'Expires not a number');
    refused(await httpRequest(link(query.replace(/&Signature=[^&]+/, '')), { method: 'GET' }), 'AccessDenied', 'no signature: anonymous');
    const sts = obsSignatureOf(emu.credentials.sk, obsQueryStringToSign({ method: 'GET', resource: '/demo-bucket/README.txt', query: '', headers: {}, expires, scheme: 'AWS' }));
    const aws = `AWSAccessKeyId=${emu.credentials.ak}&Expires=${expires}&Signature=${encodeURIComponent(sts)}`;
    assert.equal((await httpRequest(link(aws), { method: 'GET' })).status, 200, 'the AWS V2 form');
    const headerSigned = await obsFetch(emu, 'GET', 'demo-bucket', 'README.txt');
    assert.equal(headerSigned.status, 200, 'the header form is unchanged');
  });

  it('a temporary AK carries its security token in the query (signed); without it: AccessDenied', async () => {
    const temporary = emu.issueTemporaryCredentials(3600_000);
    const expires = nowSeconds() + 300;
    const withToken = presignedObsQuery(temporary, '/demo-bucket/README.txt', expires);
    assert.match(withToken, /x-obs-security-token=/);
    assert.equal((await httpRequest(link(withToken), { method: 'GET' })).status, 200);
    const withoutToken = presignedObsQuery({ ak: temporary.ak, sk: temporary.sk }, '/demo-bucket/README.txt', expires);
    refused(await httpRequest(link(withoutToken), { method: 'GET' }), 'AccessDenied', 'no token');
  });
});
