// Workspace quotas and APIG apps: the vscode-free logic behind Update Quota and Create App, against the
// emulator on port 0 with a ManualClock.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appNameReason, appRemarkReason, createApp } from '../../../../src/commands/workspace/apps';
import { allowsUnlimited, quotaChoices, quotaInputReason, quotaValueText, updateQuota } from '../../../../src/commands/workspace/quotas';
import type { ModelArtsClient } from '../../../../src/api/client';
import { ManualClock } from '../../../../src/api/clock';
import { isModelArtsError } from '../../../../src/api/errors';
import { MemoryLogger, redactingLogger } from '../../../../src/api/log';
import { createRedactor, type Redactor } from '../../../../src/api/redact';
import type { WorkspaceQuota } from '../../../../src/api/types';
import { englishL10n } from '../../../../src/common/translate';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/server';
import { rejectsWith } from '../../helpers/fakeHttp';
import { emulatorClient } from '../../helpers/emulatorHelpers';

const l10n = englishL10n;
const root = join(__dirname, '..', '..', '..', '..', '..');

interface Rig {
  emu: RunningEmulator;
  client: ModelArtsClient;
  clock: ManualClock;
  redactor: Redactor;
  /** What the client logs, at trace level. */
  clientLog: MemoryLogger;
  served: (match?: RegExp) => string[];
}

async function withEmulator(run: (rig: Rig) => Promise<void>): Promise<void> {
  const clock = new ManualClock();
  const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock, seed: 'demo' });
  const redactor = createRedactor();
  const clientLog = new MemoryLogger();
  const client = emulatorClient(emu, clock, { log: clientLog, redactor });
  const served = (match?: RegExp): string[] =>
    emu.requests
      .filter((r) => r.service === 'modelarts')
      .map((r) => `${r.method} ${r.path}`)
      .filter((line) => match === undefined || match.test(line));
  try {
    await run({ emu, client, clock, redactor, clientLog, served });
  } finally {
    client.dispose();
    await emu.close();
  }
}

const TIMEOUT = { timeout: 30_000 };

describe('quotas: choices and input checks', () => {
  const seed = JSON.parse(readFileSync(join(root, 'test/fixtures/seeds/workspace-quotas.update.200.json'), 'utf8')).quotas[0] as WorkspaceQuota;
  const counted: WorkspaceQuota = { resource: 'exemlProject', quota: 10, used_quota: 2, min_quota: 1, max_quota: 100, name_en: 'ExeML projects', unit_en: 'unit' };

  it('one row per quota: English name, `used / quota unit`, the allowed range', () => {
    const [row, other] = quotaChoices([{ ...seed, used_quota: 6 }, { resource: 'x.y', quota: -1, used_quota: null }], l10n);
    assert.equal(row?.label, seed.name_en);
    assert.equal(row?.description, '6 / 20 minute');
    assert.equal(row?.detail, 'Allowed: 1 – 60000, or -1 for unlimited');
    assert.equal(other?.label, 'x.y', 'no English name: the resource');
    assert.equal(other?.description, '– / unlimited');
    assert.equal(quotaChoices([counted], l10n)[0]?.detail, 'Allowed: 1 – 100');
  });

  it('-1 is allowed only where min_quota is -1', () => {
    assert.equal(allowsUnlimited(seed), true);
    assert.equal(allowsUnlimited(counted), false);
    assert.equal(quotaInputReason('-1', seed, l10n), undefined);
    assert.equal(quotaInputReason('-1', counted, l10n), 'This quota cannot be unlimited (-1).');
  });

  it('whole numbers within min/max pass; anything else gets a reason', () => {
    for (const ok of ['1', '20', ' 60000 ']) assert.equal(quotaInputReason(ok, seed, l10n), undefined, ok);
    assert.equal(quotaInputReason('60001', seed, l10n), 'Enter a whole number from 1 to 60000, or -1 for unlimited.');
    assert.equal(quotaInputReason('0', seed, l10n), 'Enter a whole number from 1 to 60000, or -1 for unlimited.');
    assert.equal(quotaInputReason('1.5', seed, l10n), 'Enter a whole number, or -1 for unlimited.');
    assert.equal(quotaInputReason('', seed, l10n), 'Enter a whole number, or -1 for unlimited.');
    assert.equal(quotaInputReason('abc', counted, l10n), 'Enter a whole number.');
    assert.equal(quotaInputReason('101', counted, l10n), 'Enter a whole number from 1 to 100.');
    assert.equal(quotaValueText(seed, -1, l10n), 'unlimited');
    assert.equal(quotaValueText(seed, 30, l10n), '30 minute');
  });
});

describe('quotas: update against the emulator', TIMEOUT, () => {
  it('bad values send nothing; a good one sends one PUT and the new value reads back', () =>
    withEmulator(async ({ client, served }) => {
      const quotas = await client.workspaces.getQuotas('0');
      const gpu = quotas.find((q) => q.resource === 'exemlProject.gpu_duration');
      const projects = quotas.find((q) => q.resource === 'exemlProject');
      assert.ok(gpu && projects, 'the seeded quotas');
      const puts = (): number => served(/^PUT .*\/quotas$/).length;
      await rejectsWith(updateQuota(client, '0', gpu, (gpu.max_quota ?? 0) + 1), 'invalid-input');
      await rejectsWith(updateQuota(client, '0', gpu, 0), 'invalid-input');
      // The client alone would send -1 here; this quota's minimum forbids it.
      await rejectsWith(updateQuota(client, '0', projects, -1), 'invalid-input');
      assert.equal(puts(), 0);
      const updated = await updateQuota(client, '0', gpu, 45);
      assert.equal(puts(), 1);
      assert.equal(updated.quota, 45);
      assert.equal((await client.workspaces.getQuotas('0')).find((q) => q.resource === gpu.resource)?.quota, 45);
      const unlimited = await updateQuota(client, '0', gpu, -1);
      assert.equal(unlimited.quota, -1);
      assert.equal(puts(), 2);
    }));
});

describe('apps: input checks', () => {
  it('names: 3–64 letters, digits, "_", starting with a letter; remark ≤ 200', () => {
    assert.equal(appNameReason('my_app', l10n), undefined);
    assert.equal(appNameReason('应用_1', l10n), undefined);
    assert.equal(appNameReason('', l10n), 'The app name is required.');
    assert.equal(appNameReason('ab', l10n), 'The app name must be 3 to 64 characters long.');
    assert.equal(appNameReason('a'.repeat(65), l10n), 'The app name must be 3 to 64 characters long.');
    assert.equal(appNameReason('x-y', l10n), 'The app name must start with a letter and contain only letters, digits and "_".');
    assert.equal(appNameReason('1abc', l10n), 'The app name must start with a letter and contain only letters, digits and "_".');
    assert.equal(appRemarkReason('r'.repeat(200), l10n), undefined);
    assert.equal(appRemarkReason('r'.repeat(201), l10n), 'The description is longer than 200 characters.');
  });
});

describe('apps: create keeps the AppKey/AppSecret out of logs and errors', TIMEOUT, () => {
  it('hands the key and secret back once, registered with the redactor; no logger line carries them', () =>
    withEmulator(async ({ client, redactor, clientLog, emu, served }) => {
      const actionLog = new MemoryLogger();
      const log = redactingLogger(actionLog, redactor);
      const created = await createApp(client, { name: 'ci_app', remark: 'for CI', workspaceId: '0' }, { redactor, log });
      const { appKey, appSecret } = created.credentials;
      assert.ok(appKey && appKey.length >= 8, 'the AppKey is handed back');
      assert.ok(appSecret && appSecret.length >= 8, 'the AppSecret is handed back');
      assert.equal(served(/^POST .*\/app-auth\/apps$/).length, 1);
      assert.equal(created.app.app_name, 'ci_app');
      assert.ok(!('app_secret' in created.app) && !('app_key' in created.app));
      assert.ok(!JSON.stringify(created.app).includes(appSecret));
      assert.equal(redactor.redact(`key ${appKey} secret ${appSecret}`), 'key *** secret ***');

      // Everything that is logged from here on passes the redactor: a line that echoes the secret is blanked.
      log.error(`an echo of ${appSecret}`);
      // A service error that echoes the secret: the error text is redacted too.
      emu.faults.add({ method: 'POST', path: 'app-auth/apps$', times: 1, status: 500, body: { error_code: 'ModelArts.0001', error_msg: `boom ${appSecret} ${appKey}` } });
      const error = await createApp(client, { name: 'second_app' }, { redactor, log }).then(
        () => assert.fail('expected the injected failure'),
        (e: unknown) => e,
      );
      assert.ok(isModelArtsError(error));
      assert.match(error.message, /boom \*\*\* \*\*\*/);

      // Positive control: a canary planted on purpose is found by the same search.
      const canary = 'CANARY-planted-0123456789';
      actionLog.info(canary);
      const haystacks = [actionLog.text(), clientLog.text(), error.message, error.toString(), String(error.stack)];
      assert.ok(haystacks.some((h) => h.includes(canary)), 'the search finds a planted canary');
      for (const secret of [appSecret, appKey]) {
        for (const h of haystacks) assert.ok(!h.includes(secret), `a secret leaked into: ${h.slice(0, 200)}`);
      }
      assert.match(actionLog.text(), /Created app ci_app \(/);
    }));
});

