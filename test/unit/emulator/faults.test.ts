import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { FaultController, throttleMessage, validateFaultRule } from '../../../src/emulator/gateway/faults';
import { DEMO_NOTEBOOK_IDS } from '../../../src/emulator/notebooks';
import { isLoopbackAddress, startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { adminFetch, apiRequests, issueToken, passwordAuthBody, plainFetch, signedFetch, startTestEmulator, tokenFetch } from '../helpers/emulatorHelpers';

const HEX32 = /^[0-9a-f]{32}$/;

describe('emulator faults over HTTP', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requests.length = 0;
  });

  it('delays an answer by latencyMs (real time)', async () => {
    emu.faults.add({ path: '/workspaces$', latencyMs: 60 });
    const started = Date.now();
    const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 55, `answered after ${Date.now() - started} ms`);
    const quick = Date.now();
    await signedFetch(emu, 'GET', '/v1/{pid}/workspaces/0');
    assert.ok(Date.now() - quick < 55, 'a path the rule does not match is not delayed');
  });

  it('answers 429 with Retry-After a given number of times, then the real route', async () => {
    emu.faults.add({ method: 'GET', path: '/workspaces$', status: 429, headers: { 'Retry-After': '2' }, times: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.headers['retry-after'], '2');
        assert.equal(res.json.error_code, 'APIGW.0308');
        assert.match(res.json.request_id, HEX32);
      } else {
        assert.ok(res.json.workspaces.length > 0);
      }
    }
    assert.deepEqual(statuses, [429, 429, 429, 200]);
    assert.equal(apiRequests(emu).length, 4);
    assert.deepEqual(emu.faults.list(), [], 'a spent rule is gone');
  });

  it('answers with a given status and body, before authentication', async () => {
    emu.faults.add({ path: '/notebooks$', status: 503, body: { error_code: 'ModelArts.0001', error_msg: 'busy' } });
    const anonymous = await plainFetch(emu, 'GET', '/v1/{pid}/notebooks');
    assert.equal(anonymous.status, 503);
    assert.deepEqual(anonymous.json, { error_code: 'ModelArts.0001', error_msg: 'busy' });
    emu.faults.clear();
    emu.faults.add({ path: '/notebooks$', status: 502 });
    const defaulted = await signedFetch(emu, 'GET', '/v1/{pid}/notebooks');
    assert.equal(defaulted.status, 502);
    assert.equal(defaulted.json.error_code, 'APIGW.0201');
    assert.match(defaulted.json.request_id, HEX32);
  });

  it('serves an HTML gateway page, an empty body, bad JSON and a wrong content type', async () => {
    emu.faults.add({ path: '/workspaces$', malformed: 'html', times: 1 });
    const html = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(html.status, 502);
    assert.equal(html.headers['content-type'], 'text/html');
    assert.ok(html.text.includes('<html>'));
    assert.equal(html.json, undefined);

    emu.faults.add({ path: '/workspaces$', malformed: 'html', status: 200, times: 1 });
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);

    emu.faults.add({ path: '/workspaces$', malformed: 'empty', times: 1 });
    const empty = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(empty.status, 200);
    assert.equal(empty.body.length, 0);
    assert.equal(empty.headers['content-type'], 'application/json');

    emu.faults.add({ path: '/workspaces$', malformed: 'bad-json', times: 1 });
    const bad = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(bad.status, 200);
    assert.throws(() => JSON.parse(bad.text) as unknown, SyntaxError);

    emu.faults.add({ path: '/workspaces$', malformed: 'wrong-content-type', times: 1 });
    const wrongType = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(wrongType.status, 200);
    assert.equal(wrongType.headers['content-type'], 'text/html;charset=UTF-8');
    assert.ok(wrongType.json.workspaces.length > 0, 'the body is the real JSON answer');
  });

  it('truncates the real answer to half its bytes', async () => {
    const real = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    emu.faults.add({ path: '/workspaces$', malformed: 'truncated', times: 1 });
    const cut = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(cut.status, 200);
    assert.equal(cut.body.length, Math.floor(real.body.length / 2));
    assert.equal(cut.text, real.text.slice(0, cut.text.length));
    assert.throws(() => JSON.parse(cut.text) as unknown, SyntaxError);
  });

  it('streams a huge, valid JSON body of hugeBytes', async () => {
    emu.faults.add({ path: '/workspaces$', malformed: 'huge', hugeBytes: 3 * 1024 * 1024, times: 1 });
    const res = await signedFetch(emu, 'GET', '/v1/{pid}/workspaces');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 3 * 1024 * 1024);
    assert.equal(res.headers['content-length'], String(3 * 1024 * 1024));
    assert.equal((JSON.parse(res.text) as { padding: string }).padding.length, 3 * 1024 * 1024 - 14);
  });

  it('resets the connection before answering without running the route', async () => {
    const id = DEMO_NOTEBOOK_IDS.pytorchDev;
    assert.equal(emu.notebooks.statusOf(id), 'RUNNING');
    emu.faults.add({ method: 'POST', path: '/stop$', reset: 'before-response', times: 1 });
    await assert.rejects(signedFetch(emu, 'POST', `/v1/{pid}/notebooks/${id}/stop`), /socket hang up|ECONNRESET/);
    assert.equal(emu.notebooks.statusOf(id), 'RUNNING');
    assert.equal(emu.requests.at(-1)!.status, 0);
  });

  it('resets mid-body after the route ran (the POST took effect)', async () => {
    const id = DEMO_NOTEBOOK_IDS.quickStart;
    assert.equal(emu.notebooks.statusOf(id), 'RUNNING');
    emu.faults.add({ method: 'POST', path: '/stop$', reset: 'mid-body', times: 1 });
    await assert.rejects(signedFetch(emu, 'POST', `/v1/{pid}/notebooks/${id}/stop`), /aborted|incomplete|ECONNRESET|socket hang up/);
    assert.equal(emu.notebooks.statusOf(id), 'STOPPING');
  });

  it('answers 500 after the route took effect (after: true)', async () => {
    const id = DEMO_NOTEBOOK_IDS.resnetFinetune;
    emu.faults.add({ method: 'POST', path: '/stop$', status: 500, after: true, times: 1 });
    const res = await signedFetch(emu, 'POST', `/v1/{pid}/notebooks/${id}/stop`);
    assert.equal(res.status, 500);
    assert.equal(res.json.error_code, 'APIGW.0601');
    assert.equal(emu.notebooks.statusOf(id), 'STOPPING');
    // The retry then meets the real state machine.
    const again = await signedFetch(emu, 'POST', `/v1/{pid}/notebooks/${id}/stop`);
    assert.equal(again.json.error_code, 'ModelArts.6308');
  });

  it('stalls a request until the client gives up', async () => {
    emu.faults.add({ path: '/workspaces$', stall: true, times: 1 });
    await assert.rejects(signedFetch(emu, 'GET', '/v1/{pid}/workspaces', { timeoutMs: 80 }), /timeout/);
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);
  });

  it('answers 401 APIGW.0307 as if the token expired, only after authentication passes', async () => {
    const token = await issueToken(emu);
    emu.faults.add({ service: 'modelarts', tokenExpired: true, times: 2 });
    const bogus = await tokenFetch(emu, 'MIIEbogus', 'GET', '/v1/{pid}/workspaces');
    assert.equal(bogus.json.error_code, 'APIGW.0301', 'bad credentials keep their own error');
    const expired = await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces');
    assert.equal(expired.status, 401);
    assert.deepEqual({ code: expired.json.error_code, msg: expired.json.error_msg }, { code: 'APIGW.0307', msg: 'The token must be updated.' });
    assert.equal((await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces')).status, 200);
  });

  it('throttles past limit requests per window with 429 APIGW.0308, on emulated time', async () => {
    emu.faults.add({ path: '/notebooks$', throttle: { limit: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    let message = '';
    for (let i = 0; i < 5; i++) {
      const res = await signedFetch(emu, 'GET', '/v1/{pid}/notebooks');
      statuses.push(res.status);
      if (res.status === 429) message = res.json.error_msg;
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.equal(message, 'The throttling threshold has been reached: policy ip over ratelimit,limit:3,time:1 minute');
    await clock.advance(60_000);
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/notebooks')).status, 200);
    assert.equal(throttleMessage(10, 30_000), 'The throttling threshold has been reached: policy ip over ratelimit,limit:10,time:30 second');
  });

  it('makes IAM unreachable or slow without touching ModelArts', async () => {
    emu.faults.add({ service: 'iam', reset: 'before-response', times: 1 });
    await assert.rejects(plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) }), /socket hang up|ECONNRESET/);
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);
    emu.faults.add({ service: 'iam', path: '^/v3/auth/tokens$', latencyMs: 50, times: 1 });
    const started = Date.now();
    const token = await issueToken(emu);
    assert.ok(Date.now() - started >= 45);
    assert.ok(token.length > 0);
    emu.faults.add({ service: 'iam', status: 503, times: 1 });
    const unavailable = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) });
    assert.equal(unavailable.status, 503);
  });
});

describe('emulator faults: options, controller, closing', () => {
  it('applies faults given at start', async () => {
    const { emu } = await startTestEmulator({ faults: [{ path: '/workspaces$', status: 503, times: 1 }] });
    try {
      assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 503);
      assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);
    } finally {
      await emu.close();
    }
  });

  it('closes promptly with a stalled request, a huge stream and a pending latency', async () => {
    const { emu } = await startTestEmulator();
    emu.faults.add({ path: '/stall$', stall: true });
    emu.faults.add({ path: '/huge$', malformed: 'huge' });
    emu.faults.add({ path: '/slow$', latencyMs: 60_000 });
    const pending = ['/stall', '/huge', '/slow'].map((p) => signedFetch(emu, 'GET', `/v1/{pid}${p}`).then(() => 'answered', () => 'failed'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await emu.close();
    assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
    assert.deepEqual(await Promise.all(pending), ['failed', 'failed', 'failed']);
  });

  it('keeps rules in order, spends them, and validates them', () => {
    const faults = new FaultController();
    const a = faults.add({ path: '/a$', status: 500, times: 1 });
    const b = faults.add({ status: 503 });
    assert.deepEqual(
      faults.list().map((r) => r.id),
      [a, b],
    );
    assert.equal(faults.decide('modelarts', 'GET', '/x/a', 0)?.id, a);
    assert.equal(faults.decide('modelarts', 'GET', '/x/a', 0)?.id, b, 'a is spent');
    assert.equal(faults.remove(b), true);
    assert.equal(faults.remove(b), false);
    assert.equal(faults.decide('modelarts', 'GET', '/x/a', 0), undefined);
    faults.add({ service: 'iam', method: 'post' });
    assert.equal(faults.decide('modelarts', 'POST', '/v3/auth/tokens', 0), undefined);
    assert.equal(faults.decide('iam', 'GET', '/v3/auth/tokens', 0), undefined);
    assert.equal(faults.decide('iam', 'POST', '/v3/auth/tokens', 0)?.kind, 'apply');
    faults.clear();
    assert.equal(faults.size, 0);
    assert.throws(() => validateFaultRule({ path: '(' }), SyntaxError);
    assert.throws(() => validateFaultRule({ malformed: 'xml' }), /malformed must be one of/);
    assert.throws(() => validateFaultRule({ status: 99 }), /status/);
    assert.throws(() => validateFaultRule({ throttle: { limit: 1 } }), /throttle/);
    assert.throws(() => validateFaultRule([]), /object/);
  });
});

describe('emulator admin route', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
  });
  after(() => emu.close());

  it('reports health and manages fault rules with its token', async () => {
    const health = await adminFetch(emu, 'GET', '/__admin/health');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
    assert.equal(health.json.projectId, emu.projectId);
    assert.match(health.headers['x-request-id'] as string, HEX32);

    const added = await adminFetch(emu, 'POST', '/__admin/faults', { body: { path: '/workspaces$', status: 503 } });
    assert.equal(added.status, 200);
    assert.equal(typeof added.json.id, 'string');
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 503);
    // Faults never apply to the admin route itself.
    emu.faults.add({ status: 500 });
    const listed = await adminFetch(emu, 'GET', '/__admin/faults');
    assert.equal(listed.status, 200);
    assert.equal(listed.json.faults.length, 2);
    assert.equal((await adminFetch(emu, 'DELETE', `/__admin/faults/${added.json.id as string}`)).status, 204);
    assert.equal((await adminFetch(emu, 'DELETE', `/__admin/faults/${added.json.id as string}`)).status, 404);
    assert.equal((await adminFetch(emu, 'DELETE', '/__admin/faults')).status, 204);
    assert.equal((await signedFetch(emu, 'GET', '/v1/{pid}/workspaces')).status, 200);

    const invalid = await adminFetch(emu, 'POST', '/__admin/faults', { body: { malformed: 'xml' } });
    assert.equal(invalid.status, 400);
    assert.ok(invalid.json.error_msg.includes('malformed'));
    const notJson = await adminFetch(emu, 'POST', '/__admin/faults', { body: '{' });
    assert.equal(notJson.status, 400);
    assert.equal((await adminFetch(emu, 'GET', '/__admin/nothing')).status, 404);
  });

  it('lists and clears recorded requests; admin calls are recorded apart', async () => {
    assert.equal((await adminFetch(emu, 'DELETE', '/__admin/requests')).status, 204);
    await signedFetch(emu, 'GET', '/v1/{pid}/workspaces/0');
    const listed = await adminFetch(emu, 'GET', '/__admin/requests');
    const services = (listed.json.requests as Array<{ service: string }>).map((r) => r.service);
    // The DELETE itself was recorded before it cleared the list.
    assert.deepEqual(services, ['modelarts', 'admin']);
    assert.equal(apiRequests(emu).length, 1);
    assert.equal(apiRequests(emu)[0].status, 200);
  });

  it('moves a manual clock', async () => {
    const before = clock.now();
    const res = await adminFetch(emu, 'POST', '/__admin/clock', { body: { advanceMs: 90_000 } });
    assert.equal(res.status, 200);
    assert.equal(res.json.now, before + 90_000);
    assert.equal(clock.now(), before + 90_000);
    assert.equal((await adminFetch(emu, 'POST', '/__admin/clock', { body: { advanceMs: -1 } })).status, 400);
  });

  it('refuses to move a real-time clock', async () => {
    const realTime = await startEmulator({ port: 0, iamPort: 0, timeScale: 60 });
    try {
      const res = await adminFetch(realTime, 'POST', '/__admin/clock', { body: { advanceMs: 1000 } });
      assert.equal(res.status, 400);
      assert.ok(res.json.error_msg.includes('manual clock'));
    } finally {
      await realTime.close();
    }
  });

  it('makes the next notebook start fail, and expires tokens', async () => {
    const id = DEMO_NOTEBOOK_IDS.dataCleaning;
    const res = await adminFetch(emu, 'POST', `/__admin/notebooks/${id}/fail-next-start`, { body: { reason: 'no GPUs left' } });
    assert.equal(res.status, 204);
    assert.equal((await signedFetch(emu, 'POST', `/v1/{pid}/notebooks/${id}/start`)).json.status, 'STARTING');
    await clock.advance(30_000);
    const nb = await signedFetch(emu, 'GET', `/v1/{pid}/notebooks/${id}`);
    assert.equal(nb.json.status, 'START_FAILED');
    assert.equal(nb.json.fail_reason, 'no GPUs left');
    const unknown = await adminFetch(emu, 'POST', '/__admin/notebooks/nope/fail-next-start');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error_code, 'ModelArts.6309');

    const token = await issueToken(emu);
    assert.equal((await adminFetch(emu, 'POST', '/__admin/tokens/expire')).status, 204);
    assert.equal((await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces')).json.error_code, 'APIGW.0307');
  });

  it('knows loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(address), true, address);
    for (const address of ['10.0.0.1', '192.168.1.20', '::ffff:192.168.1.2', 'fe80::1', '', undefined]) assert.equal(isLoopbackAddress(address), false, String(address));
  });

});
