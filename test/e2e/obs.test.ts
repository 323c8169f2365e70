import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { saveReadmePicture } from './helpers/artifacts';
import { chooseInFileDialog, expandRow, launchBrowser, notification, openContainer, pick, rowInfo, runContextMenu, treeRow, obsRow, until, withWorkbench } from './helpers/workbench';

// The OBS view as a new user meets it in demo mode: the seeded buckets (one of another region, marked), a folder
// uploaded with Upload to OBS (code-server's file dialog), a text object opened, the folder downloaded and then
// deleted after the modal names its count. Screenshots go to test-results/e2e/obs-view/, one also to
// media/screenshots/obs-view.png (with MODELARTS_E2E_PICTURES=1).
//
// A drop from the Explorer is tested in the extension host (test/host/obs.test.ts, a real DataTransfer handed to
// the view's drop controller): the Explorer and the ModelArts views share the primary side bar, and a drag driven
// by Playwright's mouse over the activity bar does not switch the side bar to the other container (tried: the
// Explorer stayed shown and nothing was dropped), so the browser cannot carry that drag here.

const TEST_TIMEOUT_MS = 240_000;
let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});


test('the OBS view in demo mode: buckets, upload by command, open, download, delete', { timeout: TEST_TIMEOUT_MS }, async () => {
  let workspace = '';
  await withWorkbench(
    browser,
    'obs-view',
    {
      env: { MODELARTS_EXPLORER_DEMO: '1' },
      prepare: (run) => {
        workspace = join(run.dir, 'workspace');
        mkdirSync(join(workspace, 'dataset', 'images'), { recursive: true });
        writeFileSync(join(workspace, 'dataset', 'labels.csv'), 'file,label\nimages/0.txt,cat\n');
        writeFileSync(join(workspace, 'dataset', 'images', '0.txt'), 'not really an image\n');
        mkdirSync(join(workspace, 'downloads'), { recursive: true });
      },
    },
    async (page, art) => {
      await openContainer(page, 'ModelArts');
      await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
      // The OBS view starts collapsed under the explorer: opened, with the explorer collapsed to give it room.
      await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: /^\s*OBS/ }).click();
      await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: /^\s*Explorer/ }).click();
      await obsRow(page, 'demo-bucket', 1).waitFor({ timeout: 60_000 });
      assert.equal((await rowInfo(obsRow(page, 'demo-archive-east', 1))).description, 'cn-east-3');
      assert.equal((await rowInfo(obsRow(page, 'demo-bucket', 1))).description, '');

      // Upload a folder with the command: the row's menu, then code-server's file dialog.
      await runContextMenu(obsRow(page, 'demo-bucket', 1), 'Upload to OBS');
      await pick(page, 'Upload what to', 'A Folder…');
      await chooseInFileDialog(page, join(workspace, 'dataset'), 'Upload');
      await expandRow(obsRow(page, 'demo-bucket', 1));
      // The bucket's row reloads when the upload is done.
      await obsRow(page, 'dataset', 2).waitFor({ timeout: 60_000 });

      // Open a text object: a read-only editor on an obs: document.
      await expandRow(obsRow(page, 'dataset', 2));
      await obsRow(page, 'labels.csv', 3).click();
      const editor = page.locator('#workbench\\.parts\\.editor .monaco-editor .view-lines').first();
      await until('the object in an editor', async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ').includes('images/0.txt,cat'), 30_000);
      assert.match((await page.locator('#workbench\\.parts\\.editor .tab.active').textContent()) ?? '', /labels\.csv/);

      // Download the folder into the workspace.
      await runContextMenu(obsRow(page, 'dataset', 2), 'Download from OBS');
      await chooseInFileDialog(page, join(workspace, 'downloads'), 'Download Here');
      const file = join(workspace, 'downloads', 'dataset', 'images', '0.txt');
      await until('the downloaded folder', () => Promise.resolve(existsSync(file)), 60_000);
      assert.equal(readFileSync(file, 'utf8'), 'not really an image\n');
      await notification(page, 'Downloaded 2 files').waitFor({ timeout: 10_000 }).catch(() => process.stdout.write('# the download notification was gone already\n'));
      const shot = await art.screenshot(page, 'obs-view');
      saveReadmePicture(shot, 'obs-view.png');

      // Delete it: the modal names the count.
      await runContextMenu(obsRow(page, 'dataset', 2), 'Delete from OBS');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      assert.match((await dialog.textContent()) ?? '', /Delete 2 objects under obs.\/\/demo-bucket\/dataset\/\? This cannot be undone\./);
      await art.screenshot(page, 'delete-confirm');
      await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();
      await obsRow(page, 'dataset', 2).waitFor({ state: 'detached', timeout: 30_000 });
      assert.ok(existsSync(join(workspace, 'downloads', 'dataset', 'labels.csv')), 'the download stays');
    },
  );
});
