import { shown } from '../../helpers/vscodeStandIn';
import { recorded } from '../../helpers/obsStandIn';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { ManualClock } from '../../../../src/api/clock';
import { createClient, type ModelArtsClient } from '../../../../src/api/client';
import { isModelArtsError } from '../../../../src/api/errors';
import { createRedactor } from '../../../../src/api/redact';
import type { ActionDeps } from '../../../../src/commands/actionDeps';
import { createDashboardFeature } from '../../../../src/commands/dashboard/dashboardFeature';
import type { ActiveSession } from '../../../../src/common/session';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { TRAINING_TIMINGS } from '../../../../src/emulator/training';
import { emulatorConnection, signedFetch, startTestEmulator } from '../../helpers/emulatorHelpers';

// Download Full Log as the user meets it, on the real client and the emulator's presigned OBS link: the save
// dialog with `<job>-<task>.log`, the progress, the saved file, Open; dismissed or cancelled: nothing written.

describe('Download Full Log (the feature) on the emulator', { timeout: 60_000 }, () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: ModelArtsClient;
  let session: ActiveSession;
  let jobId: string;
  const dir = mkdtempSync(join(tmpdir(), 'download-full-log-'));
  const logged: string[] = [];
  const deps = { redactor: createRedactor(), log: { info: (line: string) => logged.push(line), error: (line: string) => logged.push(line) } } as unknown as ActionDeps;

  before(async () => {
    ({ emu, clock } = await startTestEmulator({ seed: 'demo' }));
    client = createClient(emulatorConnection(emu, clock, { obsEndpoint: emu.obsEndpoint, redactor: deps.redactor }));
    session = { profile: 'demo', region: emu.region, client, demo: true, serviceClock: clock };
    const created = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', {
      body: {
        kind: 'job',
        metadata: { name: 'dash-log', workspace_id: '0' },
        algorithm: { command: 'python train.py', engine: { image_url: 'swr.example.com/team/train:1.0' } },
        spec: { resource: { flavor_id: 'modelarts.vm.cpu.2u', node_count: 1 } },
      },
    });
    jobId = String(created.json.metadata.id);
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 20_000);
  });
  beforeEach(() => {
    shown.clear();
    recorded.clear();
  });
  after(async () => {
    client.dispose();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const logUrlCalls = (): number => emu.requests.filter((r) => r.path.endsWith('/logs/url')).length;

  it('asks where with <job>-<task>.log, shows progress, saves the whole log, then Open shows it', async () => {
    const file = join(dir, 'saved.log');
    recorded.saveAnswers.push(file);
    shown.answers.push('Open');
    const saved = await createDashboardFeature(deps, { openOutputs: () => Promise.resolve() }).downloadLog({ session, jobId, jobName: 'dash-log', task: 'worker-0' });
    assert.equal(saved, file);
    const dialog = recorded.saveDialogs[0] as { defaultUri: { path: string } };
    assert.match(dialog.defaultUri.path, /\/dash-log-worker-0\.log$/);
    assert.deepEqual(shown.progress, ['Downloading the full log of dash-log (worker-0)']);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /\[worker-0\] epoch 1\/1 step 001\/500 loss=/);
    const message = shown.messages.at(-1);
    assert.match(message?.message ?? '', /^Saved the full log of dash-log \(worker-0, [\d.]+ (B|KB)\)\.$/);
    assert.deepEqual(message?.buttons, ['Open']);
    assert.deepEqual(recorded.shownDocuments, [`file:${file}`]);
    assert.ok(logged.some((line) => line.includes(jobId)) && !logged.some((line) => line.includes('Signature=')), 'logged without the link');
  });

  it('the dialog dismissed: cancelled before any request; Cancel pressed: no file', async () => {
    const before = logUrlCalls();
    await assert.rejects(createDashboardFeature(deps, { openOutputs: () => Promise.resolve() }).downloadLog({ session, jobId, jobName: 'dash-log', task: 'worker-0' }), (e: unknown) => e instanceof vscode.CancellationError);
    assert.equal(logUrlCalls(), before, 'no link asked for');
    const file = join(dir, 'cancelled.log');
    recorded.saveAnswers.push(file);
    recorded.cancelNextProgress = true;
    await assert.rejects(createDashboardFeature(deps, { openOutputs: () => Promise.resolve() }).downloadLog({ session, jobId, jobName: 'dash-log', task: 'worker-0' }), (e: unknown) => isModelArtsError(e) && e.kind === 'aborted');
    assert.equal(existsSync(file), false);
    assert.equal(shown.messages.length, 0, 'no "saved" message');
  });
});
