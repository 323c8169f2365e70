import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Artifacts } from './helpers/artifacts';
import { startEmulatorProcess, type RunningEmulatorProcess } from './helpers/emulator';
import {
  answerInput,
  expandRow,
  frameWithText,
  launchBrowser,
  notification,
  openContainer,
  openWalkthrough,
  pick,
  resizeSideBar,
  runContextMenu,
  rowInfo,
  runCommand,
  statusBarItem,
  treeRow,
  treeRows,
  until,
  visibleRows,
  waitForQuickInput,
  walkthroughStep,
  withWorkbench,
} from './helpers/workbench';

// The packaged extension (dist/modelarts-explorer.vsix) installed in a fresh code-server profile per test,
// driven like a user: activity bar, command palette, tree rows, notifications. Screenshots of every step go
// to test-results/e2e/<test>/.

const TEST_TIMEOUT_MS = 180_000;
const CONTAINER = 'ModelArts';
const LOAD_MORE = 'Load more…';
// The seed manual's notebook's token, which no document may show.
const SEED_NOTEBOOK_TOKEN = '5cc60e8b-8772-7690-efd6-a5874ca387c0';

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Opens the ModelArts container, runs "Try the Demo" from the palette and waits for the demo's workspaces. */
async function startDemo(page: Page, art: Artifacts): Promise<void> {
  await openContainer(page, CONTAINER);
  // Signed out: the welcome view offers the demo.
  await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Try the Demo' }).waitFor({ timeout: 60_000 });
  await art.screenshot(page, 'signed-out');
  await runCommand(page, 'ModelArts: Try the Demo');
  await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
  await statusBarItem(page, 'ModelArts Demo').waitFor();
  await art.screenshot(page, 'demo-started');
}

test('"Try the Demo" from the palette shows workspaces, groups and seeded items with status', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withWorkbench(browser, 'ui-demo', {}, async (page, art) => {
    await startDemo(page, art);
    for (const name of ['vision-team', 'nlp-research']) await treeRow(page, name, 1).waitFor();

    await expandRow(treeRow(page, 'default', 1));
    for (const group of ['Training Jobs', 'Notebooks', 'Workflows', 'Apps']) await treeRow(page, group, 2).waitFor();
    await art.screenshot(page, 'workspace-expanded');

    await expandRow(treeRow(page, 'Notebooks', 2));
    const notebook = treeRow(page, 'notebooks_test', 3);
    await notebook.waitFor();
    await expandRow(treeRow(page, 'Training Jobs', 2));
    const job = treeRow(page, 'trainjob--py14_mem06-108', 3);
    await job.waitFor();
    await expandRow(treeRow(page, 'Workflows', 2));
    await until('the expanded groups\' rows', async () => (await visibleRows(page)).filter((r) => r.level === 3).length > 10);
    await resizeSideBar(page, 560);
    await art.screenshot(page, 'demo-tree');

    const notebookRow = await rowInfo(notebook);
    const jobRow = await rowInfo(job);
    assert.match(notebookRow.description, /\S/, 'the notebook row shows its status');
    assert.match(jobRow.description, /abnormal/i, 'the manual\'s job shows its phase (Abnormal)');
    const rows = await visibleRows(page);
    const items = rows.filter((r) => r.level === 3);
    process.stdout.write(`# rows under "default": ${items.map((r) => `${r.label} [${r.description}]`).join('; ')}\n`);
    assert.ok(
      items.every((r) => r.label === LOAD_MORE || r.description.trim() !== ''),
      `every item shows a status: ${JSON.stringify(items.filter((r) => !r.description.trim()).map((r) => r.label))}`,
    );

    // Tree polling: the seed notebook starts within seconds in the demo, and its row follows by itself.
    await until('notebooks_test to show RUNNING', async () => /^Running/.test((await rowInfo(treeRow(page, 'notebooks_test', 3))).description), 60_000);

    // Right-click → Show Details: a read-only JSON document with the notebook's token redacted.
    await runContextMenu(treeRow(page, 'notebooks_test', 3), 'Show Details');
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await until('the details document', async () => (await editor.textContent())?.includes('notebooks_test'));
    await page.locator('.tabs-container .tab', { hasText: 'notebooks_test.json' }).waitFor();
    const text = ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.ok(!text.includes(SEED_NOTEBOOK_TOKEN), 'the notebook token is not shown');
    await art.screenshot(page, 'details');
  });
});

test('"Load more…" appends the next page under Training Jobs (10,000 jobs, page size 10)', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withWorkbench(browser, 'ui-load-more', { userSettings: { 'modelarts.pageSize': 10 }, env: { MODELARTS_EXPLORER_DEMO_JOBS: '10000' } }, async (page, art) => {
    await startDemo(page, art);
    await expandRow(treeRow(page, 'default', 1));
    await expandRow(treeRow(page, 'Training Jobs', 2));
    const more = treeRow(page, LOAD_MORE, 3);
    await more.waitFor();
    // aria-setsize counts the group's children: 10 jobs and the "Load more…" row.
    assert.equal((await rowInfo(more)).setSize, 11, 'one page of 10 jobs and "Load more…"');
    await art.screenshot(page, 'first-page');

    await more.click();
    await until('the second page', async () => (await visibleRows(page)).some((r) => r.level === 3 && r.setSize === 21), 60_000);
    const jobs = (await visibleRows(page)).filter((r) => r.level === 3);
    process.stdout.write(`# level-3 rows rendered after "Load more…": ${jobs.length}\n`);
    assert.equal(new Set(jobs.map((r) => r.label)).size, jobs.length, 'no row listed twice');
    assert.ok(jobs.every((r) => r.setSize === 21), 'the group now holds 20 jobs and "Load more…"');
    await treeRow(page, LOAD_MORE, 3).scrollIntoViewIfNeeded();
    await treeRow(page, LOAD_MORE, 3).waitFor();
    await art.screenshot(page, 'second-page');
  });
});

test('Sign In with an access key from the palette shows the emulator\'s workspaces', { timeout: TEST_TIMEOUT_MS }, async () => {
  let emulator: RunningEmulatorProcess | undefined;
  try {
    emulator = await startEmulatorProcess();
    const { info } = emulator;
    await withWorkbench(
      browser,
      'ui-sign-in',
      // Machine-scoped endpoints: the only place (besides User) code-server reads them from.
      { machineSettings: { 'modelarts.endpoint': info.endpoint, 'modelarts.iamEndpoint': info.iamEndpoint } },
      async (page, art) => {
        await openContainer(page, CONTAINER);
        await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Sign In' }).waitFor({ timeout: 60_000 });
        await runCommand(page, 'ModelArts: Sign In');
        await pick(page, 'How do you want to sign in?', 'Access Key (AK/SK)');
        await answerInput(page, 'Access Key ID (AK)', info.ak);
        await answerInput(page, 'Secret Access Key (SK)', info.sk);
        await pick(page, 'Region', info.region);
        await waitForQuickInput(page, 'Profile name');
        await art.screenshot(page, 'profile-name');
        // The name is prefilled: Enter accepts it.
        await page.keyboard.press('Enter');
        const signedIn = notification(page, /Signed in to ModelArts as .+ \(.+\)\./);
        await signedIn.waitFor({ timeout: 60_000 });
        const message = (await signedIn.textContent()) ?? '';
        assert.ok(message.includes(`(${info.region})`), `the message names the region: ${message}`);
        await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
        await art.screenshot(page, 'signed-in');
        const labels = (await visibleRows(page)).filter((r) => r.level === 1).map((r) => r.label);
        for (const name of ['default', 'vision-team', 'nlp-research']) assert.ok(labels.includes(name), `no workspace "${name}" in ${JSON.stringify(labels)}`);
        const requests = await emulator!.requests();
        const api = requests.filter((r) => r.service !== 'admin');
        process.stdout.write(`# emulator requests from sign-in to the tree: ${api.length} (${api.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')})\n`);
        assert.ok(api.every((r) => r.status < 400), 'no request failed');
        assert.ok(await treeRows(page).count() >= 3);
      },
    );
  } finally {
    await emulator?.stop();
  }
});

test('the walkthrough in English: seven steps, its markdown, "Try the demo" checked off by starting the demo', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withWorkbench(browser, 'ui-walkthrough', {}, async (page, art) => {
    await openWalkthrough(page, 'Get Started with ModelArts Explorer', { query: 'Welcome: Open Walkthrough', title: 'Welcome: Open Walkthrough...' }, 'tryDemo');
    const titles = await page.locator('button.getting-started-step .step-title').allTextContents();
    assert.deepEqual(
      titles.map((t) => t.trim()),
      ['Try the demo', 'Sign in to Huawei Cloud', 'Start a notebook', "Follow a training job's logs", 'Save an image', 'Run your code on ModelArts', "Watch a job's dashboard"],
    );
    const steps = ['tryDemo', 'signIn', 'startNotebook', 'followLogs', 'saveImage', 'runFolder', 'jobDashboard'];
    for (const id of steps) assert.equal(await walkthroughStep(page, id).getAttribute('aria-checked'), 'false', id);
    // The markdown renders beside the steps when the editor is wide: without the side bar.
    await page.keyboard.press('Control+B');
    await walkthroughStep(page, 'signIn').click();
    await frameWithText(page, 'My Credentials → Access Keys', 'the markdown of "Sign in to Huawei Cloud"');
    await art.screenshot(page, 'walkthrough');
    await page.keyboard.press('Control+B');

    await runCommand(page, 'ModelArts: Try the Demo');
    await statusBarItem(page, 'ModelArts Demo').waitFor({ timeout: 60_000 });
    await until('"Try the demo" checked off', async () => (await walkthroughStep(page, 'tryDemo').getAttribute('aria-checked')) === 'true');
    // The demo is not a sign-in; the other steps wait for their own events.
    for (const id of steps.slice(1)) assert.equal(await walkthroughStep(page, id).getAttribute('aria-checked'), 'false', id);
    await art.screenshot(page, 'walkthrough-demo-done');
  });
});
