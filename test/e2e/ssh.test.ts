import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sshdSkip, startSshd, type TestSshd } from '../unit/helpers/sshd';
import { saveReadmePicture } from './helpers/artifacts';
import {
  chooseInFileDialog,
  expandRow,
  launchBrowser,
  notification,
  openContainer,
  panelChannel,
  panelShows,
  pick,
  runCommand,
  treeRow,
  waitForQuickInput,
  withWorkbench,
} from './helpers/workbench';

// "Connect via SSH" as a new user in demo mode runs it: the demo notebook's SSH endpoint is a real sshd on
// loopback started by this test (MODELARTS_EXPLORER_DEMO_SSH), HOME is a folder of the run. The palette
// asks for the notebook, the key file (code-server's file dialog, typed into) and the Include line (a modal),
// then the output panel reads "SSH connection verified". Remote-SSH is not installed here: the notification
// offers it. Screenshots go to test-results/e2e/ssh-connect/, one also to media/screenshots/ssh-verified.png
// (with MODELARTS_E2E_PICTURES=1).

const TEST_TIMEOUT_MS = 180_000;
const NOTEBOOK = 'pytorch-dev';
const ALIAS = 'modelarts-pytorch-dev';

const skip = sshdSkip();
let browser: Browser;
let sshd: TestSshd;

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  sshd = await startSshd();
});

after(async () => {
  await browser?.close();
  await sshd?.stop();
});

/** Drags the sash above the panel up by `dy` pixels, so its lines stand clear of the notifications. */
async function raisePanel(page: Page, dy: number): Promise<void> {
  const panel = await page.locator('#workbench\\.parts\\.panel').boundingBox();
  if (!panel) throw new Error('the panel is not shown');
  for (const sash of await page.locator('.monaco-sash.horizontal').all()) {
    const box = await sash.boundingBox();
    if (!box || Math.abs(box.y + box.height / 2 - panel.y) > 8 || box.width < panel.width / 2) continue;
    const x = panel.x + panel.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, y - dy, { steps: 5 });
    await page.mouse.up();
    return;
  }
  throw new Error('no sash found above the panel');
}

test('"Connect via SSH" from the palette verifies the connection to a demo notebook served by a local sshd', { timeout: TEST_TIMEOUT_MS, skip }, async () => {
  // A short HOME of the run's own (its paths show in the output panel and the README's picture).
  const home = mkdtempSync(join(tmpdir(), 'modelarts-home-'));
  const env = { MODELARTS_EXPLORER_DEMO: '1', MODELARTS_EXPLORER_DEMO_SSH: `${sshd.user}@${sshd.host}:${sshd.port}`, HOME: home };
  try {
    await withWorkbench(browser, 'ssh-connect', { env }, async (page, art) => {
      try {
        await openContainer(page, 'ModelArts');
        await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });

        await runCommand(page, 'ModelArts: Connect via SSH');
        await pick(page, 'Connect to which notebook?', NOTEBOOK);
        // code-server's own file dialog: a quick input taking a path.
        await waitForQuickInput(page, 'Private key file of key pair KeyPair-demo');
        await art.screenshot(page, 'key-file');
        await chooseInFileDialog(page, sshd.clientKey, 'Use This Key');

        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
          throw new Error(`no Include dialog after the key was taken; notifications: ${JSON.stringify(await page.locator('.notification-toast').allTextContents())}`, { cause: error });
        });
        assert.match((await dialog.textContent()) ?? '', /Add one line to .*\.ssh\/config so that ssh and Remote - SSH find your notebooks\?.*does not exist yet: it is created/);
        await art.screenshot(page, 'include-line');
        await dialog.locator('.monaco-button', { hasText: 'Add Include Line' }).click();

        const text = await panelShows(page, 'SSH connection verified', 60_000);
        assert.equal(await panelChannel(page), 'ModelArts: Notebooks');
        await notification(page, `The SSH connection to ${NOTEBOOK} works`).waitFor({ timeout: 30_000 });
        // The progress toast fades out once the check is done: the picture without it.
        await notification(page, 'Checking the SSH connection').waitFor({ state: 'detached', timeout: 30_000 });
        await page.waitForTimeout(500);
        await raisePanel(page, 250);
        await expandRow(treeRow(page, 'default', 1));
        await expandRow(treeRow(page, 'Notebooks', 2));
        await treeRow(page, NOTEBOOK, 3).waitFor();
        // Off the sash and the tree, so neither shows a hover in the picture.
        await page.mouse.move(700, 150);
        await page.waitForTimeout(500);
        const shot = await art.screenshot(page, 'verified');
        saveReadmePicture(shot, 'ssh-verified.png');
        process.stdout.write(`# output panel: ${JSON.stringify(text.split('\n').filter((l) => l.trim() !== ''))}\n`);
        assert.match(text, new RegExp(`${NOTEBOOK}: SSH connection verified: ${sshd.user}@127\\.0\\.0\\.1:${sshd.port}`));

        const ssh = join(home, '.ssh');
        assert.match(readFileSync(join(ssh, 'modelarts_config'), 'utf8'), new RegExp(`^Host ${ALIAS}$`, 'm'));
        assert.deepEqual(
          readFileSync(join(ssh, 'config'), 'utf8').split('\n').filter((line) => line.startsWith('Include ')),
          [`Include "${join(ssh, 'modelarts_config')}"`],
        );
      } finally {
        // The SSH files written, kept with the screenshots.
        if (existsSync(join(home, '.ssh'))) cpSync(join(home, '.ssh'), join(art.dir, 'ssh'), { recursive: true });
      }
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
