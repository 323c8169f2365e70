import '../../helpers/fixedTimeZone';
import { shown } from '../../helpers/vscodeStandIn';
import { recorded } from '../../helpers/obsStandIn';
import { startFeatureRig, type FeatureRig } from '../../helpers/obsFeatureRig';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { createObsClient } from '../../../../src/api/obs/client';
import type { ObsClient } from '../../../../src/api/obs/types';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { COMMAND } from '../../../../src/commands/ids';
import { startTestEmulator } from '../../helpers/emulatorHelpers';

// The OBS view and its commands on the real client against the emulator's OBS (the demo's seeded buckets):
// what the user does in demo mode, without the workbench.

describe('OBS view on the emulator', () => {
  let emu: RunningEmulator;
  let client: ObsClient;
  let rig: FeatureRig;
  const temp = mkdtempSync(join(tmpdir(), 'modelarts-obs-emu-'));

  before(async () => {
    ({ emu } = await startTestEmulator({ seed: 'demo', start: Date.now() }));
    client = createObsClient({ endpoint: emu.obsEndpoint, region: emu.region, credentials: () => Promise.resolve({ ak: emu.credentials.ak, sk: emu.credentials.sk }) });
    rig = startFeatureRig(undefined as never, { client });
  });
  after(async () => {
    client.dispose();
    await emu.close();
    rmSync(temp, { recursive: true, force: true });
  });

  it('lists the seeded buckets, the other region marked; a bucket, its folders and objects', async () => {
    const buckets = (await rig.feature.getChildren(undefined)).map((n) => n.view());
    const demo = buckets.find((b) => b.label === 'demo-bucket');
    const east = buckets.find((b) => b.label === 'demo-archive-east');
    assert.ok(demo && east, buckets.map((b) => `${b.label} ${b.description ?? ''}`).join(', ') + rig.log.lines.map((l) => l.message).join('\n'));
    assert.equal(demo.description, undefined);
    assert.equal(east.description, 'cn-east-3');
    const bucket = await rig.row(undefined, 'demo-bucket');
    const readme = (await bucket.getChildren!()).find((n) => n.view().label === 'README.txt');
    assert.ok(readme);
    await rig.feature.run(COMMAND.obsOpen, [readme]);
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;
    const text = await rig.feature.provideContent({ path: '/work/demo-bucket/README.txt', toString: () => 'obs:/work/demo-bucket/README.txt' } as vscode.Uri, token);
    assert.match(text, /^Demo bucket of ModelArts Explorer/);
  });

  it('uploads a dropped folder, downloads it back identical, deletes it after confirming the count', async () => {
    const src = join(temp, 'dataset');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.csv'), 'x,y\n1,2\n');
    writeFileSync(join(src, 'sub', 'b & c.txt'), 'ünïcode\n');
    const bucket = await rig.row(undefined, 'demo-bucket');
    assert.equal(await rig.feature.run(COMMAND.obsUpload, [bucket, `${pathToFileURL(src).href}\r\n`]), 2);
    const folder = await rig.row(bucket, 'dataset');
    recorded.openAnswers.push([join(temp, 'back')]);
    await rig.feature.run(COMMAND.obsDownload, [folder]);
    assert.equal(readFileSync(join(temp, 'back', 'dataset', 'sub', 'b & c.txt'), 'utf8'), 'ünïcode\n');
    shown.answers.push('Delete');
    assert.equal(await rig.feature.run(COMMAND.obsDelete, [folder]), 2);
    assert.match(shown.messages.find((m) => m.modal)?.message ?? '', /^Delete 2 objects under obs.\/\/demo-bucket\/dataset\//);
    assert.ok(!(await bucket.getChildren!()).some((n) => n.view().label === 'dataset'));
  });
});
