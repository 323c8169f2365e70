import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../../src/api/clock';
import type { ApiRequest, ApiResponse, HttpClient } from '../../../../src/api/http';
import { OBS_CREDENTIAL_RENEW_AHEAD_MS, obsCredentialSource } from '../../../../src/api/obs/credentials';
import { createRedactor } from '../../../../src/api/redact';

/** An IAM that hands out numbered temporary credentials valid for one hour of `clock`. */
function fakeIam(clock: ManualClock, answer?: (n: number) => unknown): { http: HttpClient; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  const http: HttpClient = {
    send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
      requests.push(request);
      const n = requests.length;
      const body = answer?.(n) ?? { credential: { access: `TEMPAK${n}`, secret: `TEMPSECRET${n}`, securitytoken: `TOKEN${n}`, expires_at: new Date(clock.now() + 3_600_000).toISOString() } };
      // Answered on a later turn, as a network would, so concurrent callers overlap.
      return new Promise((resolve) => setImmediate(() => resolve({ status: 201, headers: {}, body: body as T, requestId: undefined })));
    },
  };
  return { http, requests };
}

test('AK/SK sign OBS themselves: no IAM request, the security token of temporary AK/SK kept', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const { http, requests } = fakeIam(clock);
  const source = obsCredentialSource({ kind: 'aksk', ak: 'AK', sk: 'SK', securityToken: 'ST' }, { http, clock, redactor: createRedactor() });
  assert.deepEqual(await source(), { ak: 'AK', sk: 'SK', securityToken: 'ST' });
  assert.equal(requests.length, 0);
});

test('a password session: one IAM request for ten callers at once, the documented body, every secret redacted', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const { http, requests } = fakeIam(clock);
  const redactor = createRedactor();
  const source = obsCredentialSource({ kind: 'password', username: 'u', password: 'p', domain: 'd' }, { http, clock, redactor });
  const all = await Promise.all(Array.from({ length: 10 }, () => source()));
  assert.equal(requests.length, 1);
  assert.equal(requests[0]?.method, 'POST');
  assert.equal(requests[0]?.service, 'iam');
  assert.equal(requests[0]?.path, '/v3.0/OS-CREDENTIAL/securitytokens');
  assert.deepEqual(requests[0]?.body, { auth: { identity: { methods: ['token'], token: { duration_seconds: 3600 } } } });
  assert.ok(all.every((c) => c.ak === 'TEMPAK1' && c.securityToken === 'TOKEN1'));
  assert.equal(redactor.redact('TEMPSECRET1 and TOKEN1'), '*** and ***');
});

test('temporary credentials are reused until five minutes before they expire, then renewed', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const { http, requests } = fakeIam(clock);
  const source = obsCredentialSource({ kind: 'password', username: 'u', password: 'p', domain: 'd' }, { http, clock, redactor: createRedactor() });
  assert.equal((await source()).ak, 'TEMPAK1');
  await clock.advance(3_600_000 - OBS_CREDENTIAL_RENEW_AHEAD_MS - 1000);
  assert.equal((await source()).ak, 'TEMPAK1');
  assert.equal(requests.length, 1);
  await clock.advance(2000);
  assert.equal((await source()).ak, 'TEMPAK2');
  assert.equal(requests.length, 2);
});

test('an answer without usable credentials is a clear error, and the next call asks again', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const { http, requests } = fakeIam(clock, (n) => (n === 1 ? { credential: { access: 'A' } } : undefined));
  const source = obsCredentialSource({ kind: 'password', username: 'u', password: 'p', domain: 'd' }, { http, clock, redactor: createRedactor() });
  await assert.rejects(source(), /without usable credentials/);
  assert.equal((await source()).ak, 'TEMPAK2');
  assert.equal(requests.length, 2);
});
