import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { saveReadmePicture, type Artifacts } from './helpers/artifacts';
import {
  answerInput,
  expandRow,
  launchBrowser,
  openContainer,
  panelChannel,
  panelShows,
  panelText,
  pick,
  quickPickRow,
  rowInfo,
  runCommand,
  statusBarItem,
  treeRow,
  until,
  waitForQuickInput,
  withWorkbench,
} from './helpers/workbench';

// The actions as a user runs them from the palette, on the installed .vsix in a fresh profile with the demo:
// start a notebook, save a task's image, stream an execution's events, follow a job's log. Screenshots of
// every step go to test-results/e2e/<test>/.

const TEST_TIMEOUT_MS = 150_000;
const CONTAINER = 'ModelArts';
// A job of workspace "default" that keeps running for hours in the demo (one task, worker-0).
const RUNNING_JOB = 'pytorch-mnist-long-run';

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** A fresh profile with the demo started from the palette; see withWorkbench. */
function withDemo(name: string, body: (page: Page, art: Artifacts) => Promise<void>): Promise<void> {
  return withWorkbench(browser, name, {}, async (page, art) => {
    await openContainer(page, CONTAINER);
    await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Try the Demo' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'ModelArts: Try the Demo');
    await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
    await statusBarItem(page, 'ModelArts Demo').waitFor();
    await body(page, art);
  });
}

/** Picks worker-0 when the command asks for a task (multi-node jobs do; single-task jobs skip the pick). */
async function pickTaskIfAsked(page: Page): Promise<void> {
  const placeholder = page.locator('.quick-input-widget .quick-input-box input');
  const asked = await until(
    'a task pick',
    async () => (await placeholder.isVisible()) && ((await placeholder.getAttribute('placeholder')) ?? '').startsWith('Pick a task of'),
    2_000,
  ).then(
    () => true,
    () => false,
  );
  if (asked) await quickPickRow(page, 'worker-0').click();
}

test('Start Notebook from the palette (notebook, 1 hour) shows RUNNING in the tree', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDemo('actions-notebook-start', async (page, art) => {
    await expandRow(treeRow(page, 'default', 1));
    await expandRow(treeRow(page, 'Notebooks', 2));
    const row = treeRow(page, 'data-cleaning', 3);
    await row.waitFor();
    assert.match((await rowInfo(row)).description, /^Stopped/, 'the seeded notebook starts stopped');
    await art.screenshot(page, 'stopped');

    await runCommand(page, 'ModelArts: Start Notebook');
    await pick(page, 'Start which notebook?', 'data-cleaning');
    await waitForQuickInput(page, 'Stop the notebook automatically after');
    await art.screenshot(page, 'duration-pick');
    await pick(page, 'Stop the notebook automatically after', '1 hour');
    // The demo runs ten times faster than real time: a start takes about 2 s.
    await until('data-cleaning to show RUNNING', async () => /^Running/.test((await rowInfo(treeRow(page, 'data-cleaning', 3))).description), 60_000);
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Notebook data-cleaning is running.' }).waitFor({ timeout: 30_000 });
    await art.screenshot(page, 'running');
  });
});

test('Save Image to SWR streams the build into "ModelArts: Images" until the image is saved', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDemo('actions-save-image', async (page, art) => {
    await runCommand(page, 'ModelArts: Save Image to SWR');
    await pick(page, 'Pick a training job', RUNNING_JOB);
    await pickTaskIfAsked(page);
    await answerInput(page, 'Image name', 'mnist-snapshot');
    await answerInput(page, 'SWR organization (namespace)', 'demo-org');
    await waitForQuickInput(page, 'Image tag');
    await art.screenshot(page, 'tag-prefilled');
    await answerInput(page, 'Image tag', 'v1');
    await answerInput(page, 'Description (optional)', 'e2e snapshot');

    const first = await panelShows(page, `Saving the image of ${RUNNING_JOB}/worker-0 as demo-org/mnist-snapshot:v1`);
    assert.equal(await panelChannel(page), 'ModelArts: Images');
    process.stdout.write(`# Images channel at start: ${JSON.stringify(first.split('\n').slice(-3))}\n`);
    // While CREATING the build lines arrive a few at a time; a screenshot before the last one when we catch it.
    const building = await until('a build line', async () => {
      const text = await panelText(page);
      return text.split('\n').length > 1 && text;
    });
    if (!building.includes('Image saved:')) await art.screenshot(page, 'creating');
    const done = await panelShows(page, /Image saved: \S+mnist-snapshot:v1/, 60_000);
    await art.screenshot(page, 'active');
    const lines = done.split('\n').filter((line) => line.trim() !== '');
    assert.ok(lines.some((line) => line.includes('The push refers to repository')), `the build log is shown: ${JSON.stringify(lines)}`);
    assert.equal(new Set(lines).size, lines.length, `no build line printed twice: ${JSON.stringify(lines)}`);
  });
});

test('Stream Execution Events and Follow Logs each write into their own output channel', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withDemo('actions-streams', async (page, art) => {
    await runCommand(page, 'ModelArts: Stream Execution Events');
    await pick(page, 'Which workflow?', 'workflow-service-infer');
    await pick(page, 'Stream the events of which execution?', 'execution-005');
    const events = await panelShows(page, 'Streaming the events of execution-005');
    await panelShows(page, 'service_step');
    assert.equal(await panelChannel(page), 'ModelArts Events: execution-005');
    await art.screenshot(page, 'execution-events');
    process.stdout.write(`# events channel: ${JSON.stringify(events.split('\n').slice(0, 6))}\n`);

    await runCommand(page, 'ModelArts: Follow Logs');
    await pick(page, 'Pick a training job', RUNNING_JOB);
    await pickTaskIfAsked(page);
    const channel = `ModelArts Logs: ${RUNNING_JOB}/worker-0`;
    await until(`the panel to show ${channel}`, async () => (await panelChannel(page)) === channel);
    // The log grows while the job runs: wait for several lines, then for more.
    const firstRead = await until('log lines', async () => {
      const text = await panelText(page);
      return text.split('\n').filter((l) => l.trim() !== '').length >= 3 && text;
    });
    // A roomier picture: the panel maximized, no toasts over it.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Toggle Maximized Panel');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // The palette fades out: let the animation end before the picture.
    await page.waitForTimeout(500);
    // Off the panel's toolbar, so no tooltip shows.
    await page.mouse.move(1, 400);
    await until('the log to grow', async () => (await panelText(page)) !== firstRead, 60_000);
    const shot = await art.screenshot(page, 'job-logs');
    // The README's picture of an output panel streaming.
    saveReadmePicture(shot, 'output-streaming.png');
  });
});
