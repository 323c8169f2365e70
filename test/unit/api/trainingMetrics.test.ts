// A task's resource metrics and the full log's temporary link: through the real client against the emulator on
// port 0 (its metrics route, its OBS presigned link, expiry on the gateway's clock), and against a scripted
// server for the answers the emulator never gives (2777, 204, -1 gaps, hostile links).

import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { createConnection, type Connection } from '../../../src/api/connection';
import { createHttpClient, type ModelArtsHttpClient } from '../../../src/api/http';
import { createRedactor } from '../../../src/api/redact';
import { TrainingTaskOutputApi, isLogLink, trainingTaskOutput } from '../../../src/api/trainingTaskOutput';
import { createClient, type ModelArtsClient } from '../../../src/api/client';
import type { RunningEmulator } from '../../../src/emulator/server';
import { TRAINING_TIMINGS, type TrainingFamily } from '../../../src/emulator/training';
import { emulatorConnection, httpRequest, signedFetch, startTestEmulator } from '../helpers/emulatorHelpers';
import { rejectsWith } from '../helpers/fakeHttp';
import { failure, startFakeServer, staticTokenAuth, type FakeServer } from '../helpers/fakeServer';
import { HTML } from '../helpers/hostile';

const SUITE = { timeout: 60_000 };
const PID = '0123456789abcdef0123456789abcdef';
const JOB = '11111111-2222-4333-8444-555555555555';

function trainingFamily(emu: RunningEmulator): TrainingFamily {
  const family = emu.families.find((f) => 'setLogRate' in f);
  assert.ok(family, 'the emulator has a training family');
  return family as unknown as TrainingFamily;
}

describe('TrainingTaskOutputApi metrics and log link against the emulator', SUITE, () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let connection: Connection;
  let training: TrainingTaskOutputApi;
  let client: ModelArtsClient;
  const redactor = createRedactor();

  before(async () => {
    ({ emu, clock } = await startTestEmulator({ seed: 'demo' }));
    connection = createConnection(emulatorConnection(emu, clock, { redactor }));
    // As the features make it: from a signed-in client (its connection, redactor and OBS endpoint).
    client = createClient(emulatorConnection(emu, clock, { redactor, obsEndpoint: emu.obsEndpoint }));
    training = trainingTaskOutput(client);
  });
  after(async () => {
    connection.dispose();
    client.dispose();
    await emu.close();
  });

  async function createJob(name: string, flavor: string): Promise<string> {
    const res = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', {
      body: {
        kind: 'job',
        metadata: { name, workspace_id: '0' },
        algorithm: { command: 'python train.py', engine: { image_url: 'swr.example.com/team/train:1.0' } },
        spec: { resource: { flavor_id: flavor, node_count: 1 } },
      },
    });
    assert.equal(res.status, 201, res.text);
    return (res.json).metadata.id as string;
  }

  it('not ready before the run (empty series), then one value a minute with -1 as a gap (null), never 0', async () => {
    const id = await createJob('metrics-client-gpu', 'modelarts.p3.large.ex');
    assert.deepEqual(await training.getMetrics(id, 'worker-0'), { status: 'notReady' });
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 100_000);
    const metrics = await training.getMetrics(id, 'worker-0');
    assert.equal(metrics.status, 'ready');
    if (metrics.status !== 'ready') return;
    assert.deepEqual(Object.keys(metrics.series), ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage']);
    const raw = (await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}/metrics/worker-0`)).json;
    for (const { metric, value } of raw.metrics as { metric: string; value: number[] }[]) {
      assert.equal(value.length, 2, 'two started minutes');
      assert.deepEqual(metrics.series[metric], value.map((v) => (v === -1 ? null : v)), metric);
    }
  });

  it('an unknown task or job is the service error, as a ModelArtsError', async () => {
    const id = await createJob('metrics-client-missing-task', 'modelarts.vm.cpu.2u');
    const noTask = await rejectsWith(training.getMetrics(id, 'worker-9'), 'http');
    assert.equal(noTask.code, 'ModelArts.2788');
    assert.match(noTask.message, /worker-9/);
    const noJob = await rejectsWith(training.getMetrics('00000000-0000-4000-8000-000000000000', 'worker-0'), 'http');
    assert.equal(noJob.code, 'ModelArts.2775');
  });

  it('the log link is a presigned link to the emulator OBS holding the whole log; it expires after 5 minutes', async () => {
    const id = await createJob('log-link-job', 'modelarts.vm.cpu.2u');
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 30_000);
    const link = await training.getLogUrl(id, 'worker-0');
    const url = new URL(link);
    assert.equal(url.origin, emu.obsEndpoint);
    assert.ok(url.searchParams.get('AccessKeyId') && url.searchParams.get('Expires') && url.searchParams.get('Signature'));
    const signature = url.searchParams.get('Signature') ?? '';
    assert.ok(!redactor.redact(`GET ${link} failed`).includes(signature), 'the link is registered with the redactor');
    const got = await httpRequest(link, { method: 'GET' });
    assert.equal(got.status, 200, got.text);
    assert.match(String(got.headers['content-disposition']), /attachment;filename=worker-0\.log/);
    const preview = (await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}/tasks/worker-0/logs/preview`)).json;
    assert.equal(got.text, preview.content, 'a small log: the whole log is the preview');
    assert.match(got.text, /loss=/);
    assert.match(got.text, /\{"epoch": /);

    const tampered = link.replace(/Signature=[^&]+/, 'Signature=AAAA');
    const refused = await httpRequest(tampered, { method: 'GET' });
    assert.equal(refused.status, 403);
    assert.match(refused.text, /SignatureDoesNotMatch/);

    await clock.advance(299_000);
    assert.equal((await httpRequest(link, { method: 'GET' })).status, 200, 'still valid just before 5 minutes');
    await clock.advance(2_000);
    const expired = await httpRequest(link, { method: 'GET' });
    assert.equal(expired.status, 403);
    assert.match(expired.text, /<Code>AccessDenied<\/Code>/);
    assert.match(expired.text, /Request has expired/);
  });

  it('the whole log is more than the 5 MB preview once the task wrote more', async () => {
    const id = await createJob('log-link-big', 'modelarts.vm.cpu.2u');
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 1_000);
    const lines = Array.from({ length: 70_000 }, (_, i) => `appended ${String(i).padStart(6, '0')} ${'x'.repeat(70)}\n`).join('');
    trainingFamily(emu).appendLog(id, 'worker-0', lines);
    const preview = (await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}/tasks/worker-0/logs/preview`)).json;
    assert.ok(preview.full_size > preview.current_size, 'the preview is cut');
    const whole = await httpRequest(await training.getLogUrl(id, 'worker-0'), { method: 'GET' });
    assert.equal(whole.status, 200);
    assert.equal(Buffer.byteLength(whole.text), preview.full_size, 'every byte ever written');
    assert.ok(whole.text.includes('appended 000000 '));
    assert.ok(whole.text.endsWith(preview.content));
  });

  it('without the OBS endpoint configured, a plain-http link is refused and not shown whole', async () => {
    const bare = new TrainingTaskOutputApi(connection.http, () => connection.projectId(), { redactor });
    const id = await createJob('log-link-refused', 'modelarts.vm.cpu.2u');
    const error = await rejectsWith(bare.getLogUrl(id, 'worker-0'), 'invalid-response');
    assert.match(error.message, /no https link and no link to the OBS endpoint/);
    assert.ok(!error.message.includes('Signature='));
  });
});

describe('TrainingTaskOutputApi metrics and log link: answers the emulator does not give', SUITE, () => {
  let server: FakeServer;
  let http: ModelArtsHttpClient;
  let training: TrainingTaskOutputApi;
  const redactor = createRedactor();

  before(async () => {
    server = await startFakeServer();
    http = createHttpClient({ endpoint: server.url, iamEndpoint: server.url, auth: staticTokenAuth(), clock: new ManualClock(), redactor, retry: { maxAttempts: 1 } });
    training = new TrainingTaskOutputApi(http, () => Promise.resolve(PID), { redactor, obsEndpoint: 'http://127.0.0.1:9' });
  });
  after(async () => {
    http.dispose();
    await server.close();
  });

  it('ModelArts.2777 is not ready whatever its status; so are an empty body, no metrics and only empty series', async () => {
    const notReady = { error_code: 'ModelArts.2777', error_msg: 'NotReadyToFetchMetric' };
    server.reply(
      { status: 204 },
      { status: 200, body: notReady },
      { status: 400, body: notReady },
      { status: 500, body: notReady },
      { status: 200, body: '' },
      { status: 200, body: {} },
      { status: 200, body: { metrics: [{ metric: 'cpuUsage', value: [] }, { metric: 'memUsage', value: [] }] } },
    );
    for (let i = 0; i < 7; i++) assert.deepEqual(await training.getMetrics(JOB, 'worker-0'), { status: 'notReady' }, `answer ${i}`);
    assert.equal(server.requests[0].path, `/v2/${PID}/training-jobs/${JOB}/metrics/worker-0`);
  });

  it('-1 and anything that is not a number ≥ 0 become null (a gap); an unknown metric is kept, a hostile name dropped', async () => {
    server.reply({
      status: 200,
      body: `{"metrics":[{"metric":"gpuUtil","value":[-1, 0, 12.5, "7", null, 1e400, -3, 99.99]},{"metric":"diskUsage","value":[1]},{"metric":"${HTML.replace(/"/g, '\\"')}","value":[1]},{"metric":"npuUtil"}]}`,
    });
    const metrics = await training.getMetrics(JOB, 'worker-0');
    assert.deepEqual(metrics, { status: 'ready', series: { gpuUtil: [null, 0, 12.5, null, null, null, null, 99.99], diskUsage: [1] } });
  });

  it('another error stays an error (not "not ready")', async () => {
    server.reply({ status: 400, body: { error_code: 'ModelArts.2775', error_msg: 'Training job not found.' } });
    const error = await failure(training.getMetrics(JOB, 'worker-0'));
    assert.equal(error.code, 'ModelArts.2775');
    server.reply({ status: 200, body: [1, 2] });
    assert.equal((await failure(training.getMetrics(JOB, 'worker-0'))).kind, 'invalid-response');
  });

  it('asks for a download link with Content-Type; accepts https, refuses other schemes, http elsewhere, user info, no obs_url', async () => {
    const good = 'https://bucket.obs.cn-north-4.myhuaweicloud.com/job/worker-0.log?AccessKeyId=AK&Expires=1&Signature=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';
    server.reply({ status: 200, body: { obs_url: good } });
    assert.equal(await training.getLogUrl(JOB, 'worker-0'), good);
    assert.equal(server.requests.at(-1)?.headers['content-type'], 'application/octet-stream');
    assert.equal(server.requests.at(-1)?.path, `/v2/${PID}/training-jobs/${JOB}/tasks/worker-0/logs/url`);
    assert.ok(!redactor.redact(`error at ${good}`).includes('c2VjcmV0LXNpZ25hdHVyZQ'));
    for (const [obsUrl, why] of [
      ['javascript:alert(1)//?Signature=zzzzzz', /no https link and no link to the OBS endpoint/],
      ['http://evil.example/x.log?Signature=zzzzzz', /no https link and no link to the OBS endpoint/],
      ['https://user:pw@evil.example/x.log?Signature=zzzzzz', /no https link and no link to the OBS endpoint/],
      ['not a url Signature=zzzzzz', /no https link and no link to the OBS endpoint/],
    ] as const) {
      server.reply({ status: 200, body: { obs_url: obsUrl } });
      const error = await rejectsWith(training.getLogUrl(JOB, 'worker-0'), 'invalid-response');
      assert.match(error.message, why);
      assert.ok(!error.message.includes('zzzzzz'), 'the link is not shown');
    }
    server.reply({ status: 200, body: { something: 'else' } });
    assert.match((await rejectsWith(training.getLogUrl(JOB, 'worker-0'), 'invalid-response')).message, /obs_url/);
    server.reply({ status: 400, body: { error_code: 'ModelArts.2776', error_msg: 'NotReadyToFetchLog' } });
    assert.equal((await rejectsWith(training.getLogUrl(JOB, 'worker-0'), 'http')).code, 'ModelArts.2776');
    server.reply({ status: 200, body: { obs_url: 'http://127.0.0.1:9/b/k' } });
    assert.equal(await training.getLogUrl(JOB, 'worker-0'), 'http://127.0.0.1:9/b/k', 'http at the OBS endpoint');
  });

  it('isLogLink: the rules on their own', () => {
    assert.equal(isLogLink('https://x.obs.cn-north-4.myhuaweicloud.com/a', undefined), true);
    assert.equal(isLogLink('http://127.0.0.1:9/a', undefined), false);
    assert.equal(isLogLink('http://127.0.0.1:9/a', 'http://127.0.0.1:9'), true);
    assert.equal(isLogLink('http://127.0.0.1:10/a', 'http://127.0.0.1:9'), false);
    assert.equal(isLogLink('file:///etc/passwd', 'file:///'), false, 'an opaque origin is no match');
    assert.equal(isLogLink('https://u:p@x.obs.cn-north-4.myhuaweicloud.com/a', undefined), false);
  });
});
