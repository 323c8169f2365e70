import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { activateWithDemo, waitFor } from './support';

// The OBS view's drop target with a real DataTransfer, as the workbench hands it a drop from the Explorer:
// `text/uri-list` with the dropped files' URIs. (Playwright cannot carry a drag from the Explorer's view
// container into another one: see test/e2e/obs.test.ts.)

describe('OBS view: a drop from the Explorer', () => {
  let api: ExtensionApi;
  let dir = '';

  before(async () => {
    api = await activateWithDemo();
    dir = mkdtempSync(join(tmpdir(), 'modelarts-obs-drop-'));
    mkdirSync(join(dir, 'dropped', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'dropped', 'a.txt'), 'A');
    writeFileSync(join(dir, 'dropped', 'sub', 'b.txt'), 'B');
  });

  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('uploads the dropped folder under the bucket row it was dropped on, keeping its paths', async () => {
    const feature = await api.obs.load();
    const bucket = (await feature.getChildren(undefined)).find((n) => n.view().label === 'demo-bucket');
    assert.ok(bucket, 'the demo bucket is listed');
    const data = new vscode.DataTransfer();
    data.set('text/uri-list', new vscode.DataTransferItem(`${vscode.Uri.file(join(dir, 'dropped')).toString()}\r\n`));
    await api.obs.drop.handleDrop?.(bucket, data, new vscode.CancellationTokenSource().token);
    const folder = await waitFor('the dropped folder under the bucket', async () => (await bucket.getChildren!()).find((n) => n.view().label === 'dropped'));
    const rows = (await folder.getChildren!()).map((n) => n.view().label);
    assert.deepEqual(rows, ['sub', 'a.txt']);
  });
});
