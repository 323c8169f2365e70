// Download Full Log's download, without the editor: the link's host check, the file name, and the download
// through the emulator's presigned OBS link (whole or nothing: cancelled, too large, expired, stalled).

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { createClient, type ModelArtsClient } from '../../../src/api/client';
import { isModelArtsError } from '../../../src/api/errors';
import { createRedactor } from '../../../src/api/redact';
import { trainingTaskOutput } from '../../../src/api/trainingTaskOutput';
import { downloadFullLog, fullLogFileName, isObsLink } from '../../../src/dashboard/fullLog';
import type { RunningEmulator } from '../../../src/emulator/server';
import { TRAINING_TIMINGS } from '../../../src/emulator/training';
import { emulatorConnection, signedFetch, startTestEmulator } from '../helpers/emulatorHelpers';
import { startFakeServer } from '../helpers/fakeServer';

const SUITE = { timeout: 60_000 };
const PLACE = { region: 'cn-north-4', endpoint: 'https://obs.cn-north-4.myhuaweicloud.com' };

describe('Download Full Log: which links are fetched, the file name', () => {
  it('OBS for the region (a bucket under it too), or the configured endpoint; nothing else', () => {
    assert.equal(isObsLink('https://obs.cn-north-4.myhuaweicloud.com/b/k.log?Signature=x', PLACE), true);
    assert.equal(isObsLink('https://logs-bucket.obs.cn-north-4.myhuaweicloud.com/k.log', PLACE), true);
    assert.equal(isObsLink('https://bucket.obs.cn-south-1.myhuaweicloud.com/k.log', PLACE), false, 'another region');
    assert.equal(isObsLink('https://obs.cn-north-4.myhuaweicloud.com.evil.example/k', PLACE), false);
    assert.equal(isObsLink('https://evilobs.cn-north-4.myhuaweicloud.com/k', PLACE), false);
    assert.equal(isObsLink('http://bucket.obs.cn-north-4.myhuaweicloud.com/k', PLACE), false, 'plain http');
    assert.equal(isObsLink('https://obs.cn-north-4.myhuaweicloud.com:8443/k', PLACE), false, 'another port');
    assert.equal(isObsLink('https://u:p@obs.cn-north-4.myhuaweicloud.com/k', PLACE), false, 'user info');
    assert.equal(isObsLink('file:///etc/passwd', PLACE), false);
    const emulator = { region: 'cn-north-4', endpoint: 'http://127.0.0.1:4567' };
    assert.equal(isObsLink('http://127.0.0.1:4567/b/k.log', emulator), true, 'the configured endpoint');
    assert.equal(isObsLink('http://127.0.0.1:4568/b/k.log', emulator), false, 'another port on loopback');
    assert.equal(isObsLink('https://b.obs.example.corp/k', { region: 'x', endpoint: 'https://obs.example.corp' }), true, 'a bucket under a configured https endpoint');
  });

  it('names the file <job>-<task>.log, safe on every system', () => {
    assert.equal(fullLogFileName('resnet50-train', 'worker-0'), 'resnet50-train-worker-0.log');
    assert.equal(fullLogFileName('a/b\\c:d*e?"f<g>h|i\u0007', 'worker-1'), 'a_b_c_d_e__f_g_h_i_-worker-1.log');
    assert.equal(fullLogFileName('..', 'worker-0'), '-worker-0.log', 'no leading dots');
    assert.equal(fullLogFileName('', '').endsWith('.log'), true);
    assert.ok(fullLogFileName('x'.repeat(500), 'worker-0').length <= 204);
  });
});

describe('Download Full Log: the download against the emulator', SUITE, () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: ModelArtsClient;
  let dir: string;
  let jobId: string;
  const redactor = createRedactor();

  before(async () => {
    ({ emu, clock } = await startTestEmulator({ seed: 'demo' }));
    client = createClient(emulatorConnection(emu, clock, { obsEndpoint: emu.obsEndpoint, redactor }));
    dir = mkdtempSync(join(tmpdir(), 'full-log-'));
    const created = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', {
      body: {
        kind: 'job',
        metadata: { name: 'full-log-job', workspace_id: '0' },
        algorithm: { command: 'python train.py', engine: { image_url: 'swr.example.com/team/train:1.0' } },
        spec: { resource: { flavor_id: 'modelarts.vm.cpu.2u', node_count: 1 } },
      },
    });
    jobId = (created.json).metadata.id as string;
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 60_000);
  });
  after(async () => {
    client.dispose();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const place = (): { region: string; endpoint: string } => ({ region: client.obs.region, endpoint: client.obs.endpoint });
  const leftovers = (): string[] => readdirSync(dir).filter((name) => name.includes('.part-'));

  it('saves the whole log with progress; the file is what the preview shows for a small log', async () => {
    const file = join(dir, fullLogFileName('full-log-job', 'worker-0'));
    const link = await trainingTaskOutput(client).getLogUrl(jobId, 'worker-0');
    const seen: number[] = [];
    const bytes = await downloadFullLog({ link, file, place: place(), signal: new AbortController().signal, redactor, onProgress: (n) => seen.push(n) });
    const text = readFileSync(file, 'utf8');
    assert.equal(bytes, Buffer.byteLength(text));
    assert.ok(seen.length > 0 && seen.at(-1) === bytes, 'progress reached the whole size');
    const preview = (await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${jobId}/tasks/worker-0/logs/preview`)).json;
    assert.ok(preview.content.startsWith(text), 'the log as it was when the link was made');
    assert.match(text, /Epoch \[\d+\/\d+\] Step/);
    assert.deepEqual(leftovers(), []);
  });

  it('cancelled, too large or expired: no file, no leftovers, and the error never shows the link', async () => {
    const link = await trainingTaskOutput(client).getLogUrl(jobId, 'worker-0');
    const signature = new URL(link).searchParams.get('Signature') ?? '';
    const aborted = new AbortController();
    aborted.abort();
    const cancelled = join(dir, 'cancelled.log');
    await assert.rejects(downloadFullLog({ link, file: cancelled, place: place(), signal: aborted.signal, redactor }), (e: unknown) => isModelArtsError(e) && e.kind === 'aborted');
    assert.equal(existsSync(cancelled), false);

    const small = join(dir, 'too-large.log');
    await assert.rejects(downloadFullLog({ link, file: small, place: place(), signal: new AbortController().signal, redactor, maxBytes: 100 }), (e: unknown) => isModelArtsError(e) && e.code === 'ResponseTooLarge');
    assert.equal(existsSync(small), false);

    await clock.advance(301_000);
    const late = join(dir, 'expired.log');
    await assert.rejects(downloadFullLog({ link, file: late, place: place(), signal: new AbortController().signal, redactor }), (e: unknown) => {
      assert.ok(isModelArtsError(e));
      assert.equal(e.code, 'AccessDenied');
      assert.match(e.message, /Request has expired/);
      assert.ok(!e.message.includes(signature) && !e.message.includes('Signature='), e.message);
      return true;
    });
    assert.equal(existsSync(late), false);
    assert.deepEqual(leftovers(), []);
  });

  it('a link that is not OBS is never fetched; a silent server times out', async () => {
    const server = await startFakeServer();
    try {
      server.otherwise({ kind: 'stall' });
      const file = join(dir, 'untrusted.log');
      await assert.rejects(downloadFullLog({ link: `${server.url}/b/k.log`, file, place: place(), signal: new AbortController().signal, redactor }), (e: unknown) => isModelArtsError(e) && e.code === 'UntrustedLink');
      assert.equal(server.requests.length, 0, 'nothing sent');
      const stalled = join(dir, 'stalled.log');
      await assert.rejects(
        downloadFullLog({ link: `${server.url}/b/k.log`, file: stalled, place: { region: 'cn-north-4', endpoint: server.url }, signal: new AbortController().signal, redactor, timeouts: { readMs: 100 } }),
        (e: unknown) => isModelArtsError(e) && e.kind === 'timeout',
      );
      assert.equal(server.requests.length, 1, 'the configured endpoint is fetched');
      assert.equal(existsSync(stalled), false);
    } finally {
      await server.close();
    }
  });
});
