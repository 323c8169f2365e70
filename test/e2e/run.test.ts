import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { saveReadmePicture } from './helpers/artifacts';
import { answerInput, expandRow, launchBrowser, notification, openContainer, panelShows, pick, rowInfo, runCommand, treeRow, obsRow, until, withWorkbench } from './helpers/workbench';

// Run on ModelArts as a new user meets it in demo mode: a folder with train.py, the command from the palette, the
// pickers answered once; the job appears in the tree, reaches Running and its log panel shows train.py's first
// line; the OBS view holds the uploaded files (not what .gitignore excludes). A second run asks nothing and
// uploads nothing. Screenshots go to test-results/e2e/run-folder/, one also to media/screenshots/run-folder.png
// (with MODELARTS_E2E_PICTURES=1).

const TEST_TIMEOUT_MS = 300_000;
const TRAIN_PY = 'print("hello from train.py")\nimport utils.helpers\n';
let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});


/** The "Submitted <job>: …" notification's job name. */
async function submittedJob(page: Page, uploaded: string): Promise<string> {
  const toast = notification(page, new RegExp(`^Submitted \\S+: ${uploaded}`));
  await toast.waitFor({ timeout: 90_000 });
  const text = (await toast.textContent()) ?? '';
  const name = /^Submitted (\S+):/.exec(text)?.[1];
  assert.ok(name, text);
  return name;
}

test('Run on ModelArts in demo mode: the first run asks, uploads and runs; the second asks nothing and uploads nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
  let workspace = '';
  await withWorkbench(
    browser,
    'run-folder',
    {
      env: { MODELARTS_EXPLORER_DEMO: '1' },
      prepare: (run) => {
        workspace = join(run.dir, 'workspace');
        mkdirSync(join(workspace, 'utils'), { recursive: true });
        mkdirSync(join(workspace, 'data'), { recursive: true });
        writeFileSync(join(workspace, 'train.py'), TRAIN_PY);
        writeFileSync(join(workspace, 'utils', 'helpers.py'), 'def helper():\n    return 1\n');
        writeFileSync(join(workspace, 'data', 'big.csv'), 'a,b\n1,2\n');
        writeFileSync(join(workspace, '.gitignore'), 'data/\n');
      },
    },
    async (page, art) => {
      await openContainer(page, 'ModelArts');
      await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });

      // train.py open in the editor: the first run takes it as the boot file without asking.
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget .quick-input-box input').fill('train.py');
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'train.py' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('#workbench\\.parts\\.editor .tab.active', { hasText: 'train.py' }).waitFor();
      // The extension host learns of the active editor a moment after the tab shows.
      await page.locator('#workbench\\.parts\\.editor .monaco-editor .view-lines').first().click();
      await page.waitForTimeout(1_500);
      await runCommand(page, 'ModelArts: Run on ModelArts');
      await pick(page, 'Workspace to run in', 'default');
      await pick(page, 'Engine the code runs on', 'PyTorch PyTorch-1.4.0-python3.6-v2');
      await pick(page, 'Flavor of each node', 'Computing CPU(2U) instance');
      await pick(page, 'for the code', 'demo-bucket');
      await answerInput(page, 'OBS folder for the code', 'modelarts-runs/workspace/code/');
      await art.screenshot(page, 'outputs-pick');
      await pick(page, 'Where the job writes its outputs', 'obs://demo-bucket/modelarts-runs/workspace/outputs/');
      const first = await submittedJob(page, '4 files uploaded, 0 unchanged');
      assert.match(first, /^workspace-\d{8}-\d{6}$/);
      const config = readFileSync(join(workspace, '.modelarts', 'run.modelarts-job.yaml'), 'utf8');
      assert.match(config, /obs: obs:\/\/demo-bucket\/modelarts-runs\/workspace\/code\//);
      assert.match(config, /boot_file: train\.py/);

      // The job is revealed in the tree, reaches Running, and its log shows train.py's first line.
      const row = treeRow(page, first);
      await row.waitFor({ timeout: 60_000 });
      await until('the job to run', async () => (await rowInfo(row)).description.includes('Running'), 90_000);
      await panelShows(page, /loss=/, 90_000);
      const shot = await art.screenshot(page, 'run-folder');
      saveReadmePicture(shot, 'run-folder.png');
      // The log's first lines scroll away as it grows: the output view's filter finds the boot file's line.
      await page.locator('#workbench\\.parts\\.panel input[placeholder^="Filter"]').first().fill('hello from train.py');
      await panelShows(page, 'print("hello from train.py")', 30_000);

      // The OBS view holds the code (README.md, train.py, utils/, .gitignore), not the ignored data/.
      await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: /^\s*OBS/ }).click();
      await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: /^\s*Explorer/ }).click();
      await expandRow(obsRow(page, 'demo-bucket', 1));
      await expandRow(obsRow(page, 'modelarts-runs', 2));
      await expandRow(obsRow(page, 'workspace', 3));
      await expandRow(obsRow(page, 'code', 4));
      await obsRow(page, 'train.py', 5).waitFor({ timeout: 30_000 });
      await obsRow(page, 'utils', 5).waitFor({ timeout: 30_000 });
      assert.equal(await obsRow(page, 'data', 5).count(), 0, 'data/ is ignored by .gitignore');
      await art.screenshot(page, 'obs-code');

      // A second run from the palette: Run Again, no question, nothing uploaded.
      await runCommand(page, 'ModelArts: Run on ModelArts');
      await pick(page, 'Run on ModelArts: workspace', 'Run Again');
      const second = await submittedJob(page, '0 files uploaded, 4 unchanged');
      assert.notEqual(second, first);
      assert.ok(existsSync(join(workspace, '.modelarts', 'run.modelarts-job.yaml')));
    },
  );
});
