import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createClient } from '../../../src/api/client';
import { ManualClock } from '../../../src/api/clock';
import { isModelArtsError } from '../../../src/api/errors';
import { DEMO_NOTEBOOK_IDS } from '../../../src/emulator/notebooks';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { issueToken, sdkSignedFetch, tokenFetch } from '../helpers/emulatorHelpers';

// The emulator's two clocks: the gateway judges signatures and tokens on real time (or the clock it is
// given), the resources run on the scaled clock. A client signing with the real clock keeps working however
// fast the resources run.

const MIN = 60_000;
const HOUR = 60 * MIN;
const ROUND_PAUSE_MS = 200;

/** Codes that say a resource is gone: documented answers a client lives with while things move. */
const GONE_CODES = new Set(['ModelArts.6309', 'ModelArts.2775', 'ModelArts.7511', 'ModelArts.7512']);

describe('emulator clocks: the gateway on real time, the resources on the scaled clock', () => {
  it('accepts a request signed by the official SDK signer with the real clock, 5 real seconds into time scale 600', async () => {
    const emu = await startEmulator({ port: 0, iamPort: 0, timeScale: 600 });
    try {
      await sleep(5_000);
      const ahead = emu.clock.now() - Date.now();
      // 5 real seconds at 600: the resources' clock is about 50 minutes ahead, past the 15-minute window.
      assert.ok(ahead > 15 * MIN, `the resources' clock runs ahead (${ahead} ms)`);
      const ok = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/workspaces', { date: new Date(), headers: { 'Content-Type': 'application/json' } });
      assert.equal(ok.status, 200, ok.text);

      const old = new Date(Date.now() - 16 * MIN);
      const stale = await sdkSignedFetch(emu, 'GET', '/v1/{pid}/workspaces', { date: old, headers: { 'Content-Type': 'application/json' } });
      assert.equal(stale.status, 401, stale.text);
      assert.equal(stale.json.error_code, 'APIGW.0301');
      assert.match(stale.json.error_msg, /signature expired/);
      // The server time echoed is the gateway's: real time, not the resources' clock.
      const echoed = /server time: (\d{8}T\d{6}Z)/.exec(stale.json.error_msg)?.[1];
      assert.ok(echoed, stale.json.error_msg);
      const echoedMs = Date.parse(echoed.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
      assert.ok(Math.abs(echoedMs - Date.now()) < MIN, `server time ${echoed} is real time`);
    } finally {
      await emu.close();
    }
  });

  it('serves a real-clock client for 60 real seconds at time scale 600 (ten emulated hours) without errors', async (t) => {
    const emu = await startEmulator({ port: 0, iamPort: 0, timeScale: 600 });
    const client = createClient({
      region: emu.region,
      endpoint: emu.endpoint,
      iamEndpoint: emu.iamEndpoint,
      credentials: { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk },
    });
    const runMs = 60_000;
    const emulatedStart = emu.clock.now();
    const realStart = Date.now();
    let rounds = 0;
    let calls = 0;
    const gone: string[] = [];
    const unexpected: string[] = [];
    const pytorchSeen = new Set<string>();
    const jobPhases = new Set<string>();
    const call = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      calls++;
      try {
        return await fn();
      } catch (error) {
        if (isModelArtsError(error) && GONE_CODES.has(error.code)) gone.push(`${what}: ${error.code}`);
        else unexpected.push(`${what}: ${isModelArtsError(error) ? error.toString() : String(error)}`);
        return undefined;
      }
    };
    try {
      while (Date.now() - realStart < runMs) {
        rounds++;
        const workspaces = (await call('workspaces', () => client.workspaces.list().loadNext())) ?? [];
        for (const ws of workspaces) {
          const jobs = (await call(`jobs of ${ws.id}`, () => client.trainingJobs.search({ workspaceId: ws.id, pageSize: 50 }).loadNext())) ?? [];
          const notebooks = (await call(`notebooks of ${ws.id}`, () => client.notebooks.list({ workspaceId: ws.id, pageSize: 50 }).loadNext())) ?? [];
          const job = jobs[rounds % Math.max(1, jobs.length)];
          if (job) {
            const detail = await call(`job ${job.metadata.id}`, () => client.trainingJobs.get(job.metadata.id));
            if (detail?.status.phase) jobPhases.add(detail.status.phase);
          }
          const nb = notebooks[rounds % Math.max(1, notebooks.length)];
          if (nb) await call(`notebook ${nb.id}`, () => client.notebooks.get(nb.id));
        }
        const workflows = (await call('workflows', () => client.workflows.list({ pageSize: 50 }).loadNext())) ?? [];
        const wf = workflows[rounds % Math.max(1, workflows.length)];
        if (wf) {
          await call(`workflow ${wf.workflow_id}`, () => client.workflows.get(wf.workflow_id));
          const executions = (await call(`executions of ${wf.workflow_id}`, () => client.workflows.executions(wf.workflow_id).loadNext())) ?? [];
          const ex = executions[0];
          if (ex?.execution_id) await call(`execution ${ex.execution_id}`, () => client.workflows.getExecution(wf.workflow_id, ex.execution_id));
        }
        const pytorch = await call('pytorch-dev', () => client.notebooks.get(DEMO_NOTEBOOK_IDS.pytorchDev));
        if (pytorch?.status) pytorchSeen.add(pytorch.status);
        // A pause between rounds, as a tree refreshing now and then: the load stays modest on shared cores.
        await sleep(ROUND_PAUSE_MS);
      }
      const emulatedHours = (emu.clock.now() - emulatedStart) / HOUR;
      const realSeconds = (Date.now() - realStart) / 1000;
      t.diagnostic(
        `${calls} client calls in ${rounds} rounds over ${realSeconds.toFixed(1)} real s, covering ${emulatedHours.toFixed(1)} emulated hours; ` +
          `${gone.length} gone answers; job phases seen: ${[...jobPhases].sort().join(', ')}; pytorch-dev: ${[...pytorchSeen].join(' → ')}`,
      );
      assert.deepEqual(unexpected, [], 'no errors besides documented "gone" answers');
      assert.ok(emulatedHours >= 9, `about ten emulated hours passed (${emulatedHours.toFixed(1)})`);
      // Things moved while the client kept working: a lease ran out and stopped a notebook, jobs finished.
      // (pytorch-dev's lease has 2 emulated hours left at the start: 12 real seconds.)
      assert.ok(pytorchSeen.has('RUNNING'), [...pytorchSeen].join(','));
      assert.ok(pytorchSeen.has('STOPPED'), `pytorch-dev's lease ran out: ${[...pytorchSeen].join(',')}`);
      assert.ok(jobPhases.has('Completed'), [...jobPhases].join(','));
    } finally {
      client.dispose();
      await emu.close();
    }
  });

  it("expires tokens on the gateway's clock, not on the resources' clock; our client renews once", async () => {
    const start = Date.UTC(2026, 0, 1);
    const gatewayClock = new ManualClock(start);
    const resourcesClock = new ManualClock(start);
    const emu: RunningEmulator = await startEmulator({ port: 0, iamPort: 0, clock: resourcesClock, gatewayClock });
    // The client's clock does not see the expiry coming (its 24 h have not passed): only the gateway's answer tells.
    const clientClock = new ManualClock(start);
    const client = createClient({
      region: emu.region,
      endpoint: emu.endpoint,
      iamEndpoint: emu.iamEndpoint,
      credentials: { kind: 'password', username: emu.credentials.username, password: emu.credentials.password, domain: emu.credentials.domain },
      clock: clientClock,
    });
    const tokenRequests = (): number => emu.requests.filter((r) => r.service === 'iam' && r.route === '/v3/auth/tokens').length;
    try {
      const token = await issueToken(emu);
      // The resources run 30 hours ahead: the token, issued on the gateway's clock, still works.
      await resourcesClock.advance(30 * HOUR);
      assert.equal((await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces')).status, 200);
      assert.equal((await client.workspaces.list().loadNext()).length >= 3, true);
      assert.equal(tokenRequests(), 2, "the test's token and the client's");

      // The gateway's clock passes 24 h: the same token is refused.
      await gatewayClock.advance(24 * HOUR + 1000);
      const expired = await tokenFetch(emu, token, 'GET', '/v1/{pid}/workspaces');
      assert.equal(expired.status, 401);
      assert.equal(expired.json.error_code, 'APIGW.0307');

      emu.requests.length = 0;
      const workspaces = await client.workspaces.list().loadNext();
      assert.ok(workspaces.length >= 3);
      const modelarts = emu.requests.filter((r) => r.service === 'modelarts').map((r) => r.status);
      assert.deepEqual(modelarts, [401, 200], 'refused once, replayed once');
      assert.equal(tokenRequests(), 1, 'one new token');
      // expireTokens() works on the gateway's clock as well.
      emu.expireTokens();
      assert.equal((await client.workspaces.list().loadNext()).length >= 3, true);
      assert.equal(tokenRequests(), 2);
    } finally {
      client.dispose();
      await emu.close();
    }
  });
});
