import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { artifacts, saveReadmePicture, type Artifacts } from './helpers/artifacts';
import { installZhCnLanguagePack } from './helpers/languagePack';
import {
  expandRow,
  frameWithText,
  launchBrowser,
  notification,
  openContainer,
  openWalkthrough,
  openWorkbench,
  paletteRow as paletteRowIn,
  pick,
  resizeSideBar,
  rowInfo,
  startWorkbench,
  statusBarItem,
  treeRow,
  until,
  visibleRows,
  waitForQuickInput,
  walkthroughStep as walkthroughStepIn,
  type Workbench,
} from './helpers/workbench';

// The packaged extension in a workbench whose display language is Simplified Chinese (a minimal local
// language pack, see helpers/languagePack.ts): palette titles from package.nls.zh-cn.json, the tree and
// notifications from l10n/bundle.l10n.zh-cn.json, the walkthrough with its Chinese markdown, and its steps
// checked off by what the user really did. One workbench for the whole file; screenshots in
// test-results/e2e/zh-cn/; the tree's and the walkthrough's also in media/screenshots/ for the README.

const STEP_TIMEOUT_MS = 120_000;
const WALKTHROUGH = 'ModelArts Explorer 入门';

let browser: Browser;
let workbench: Workbench;
let page: Page;
let art: Artifacts;

before(async () => {
  art = artifacts('zh-cn');
  browser = await launchBrowser();
  workbench = await startWorkbench({ name: 'zh-cn', installVsix: true, prepare: installZhCnLanguagePack });
  page = await openWorkbench(browser, workbench.url());
});

after(async () => {
  if (workbench) writeFileSync(join(art.dir, 'code-server.log'), workbench.server.logText());
  await page?.close().catch(() => undefined);
  await workbench?.dispose();
  await browser?.close();
});

/** Runs one step of the tour; on failure a screenshot and the notifications shown are kept. */
async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await art.screenshot(page, `failure-${name}`).catch(() => undefined);
    const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allTextContents().catch(() => []);
    if (error instanceof Error) error.message += `\nnotifications shown: ${JSON.stringify(toasts)}`;
    throw error;
  }
}

/** Opens the palette, types `query` and waits for the row labelled `title`. */
const paletteRow = (query: string, title: string): Promise<Locator> => paletteRowIn(page, query, title);


/** The walkthrough's step button (its id ends in `#<step id>`). */
const walkthroughStep = (id: string): Locator => walkthroughStepIn(page, id);

test('the workbench runs in zh-cn: a string of the language pack shows', { timeout: STEP_TIMEOUT_MS }, async () => {
  await step('locale', async () => {
    // Positive control: the pack's own string, so a Chinese title below is ours and not an accident.
    await page.locator('.activitybar .action-item a.action-label[aria-label^="资源管理器"]').waitFor({ timeout: 60_000 });
  });
});

test('the walkthrough opens in Chinese, every step still open', { timeout: STEP_TIMEOUT_MS }, async () => {
  await step('walkthrough', async () => {
    // The workbench registers an extension's walkthrough a few seconds after the extension, and checks a step
    // off only for events after that: the tour starts once the walkthrough is listed.
    await openWalkthrough(page, WALKTHROUGH, { query: '打开演练', title: '欢迎: 打开演练...' }, 'tryDemo');
    const titles = await page.locator('button.getting-started-step .step-title').allTextContents();
    assert.deepEqual(titles.map((t) => t.trim()), ['试用演示', '登录华为云', '启动 Notebook', '跟踪训练作业日志', '保存镜像', '在 ModelArts 上运行代码', '查看作业仪表板']);
    for (const id of ['tryDemo', 'signIn', 'startNotebook', 'followLogs', 'saveImage', 'runFolder', 'jobDashboard']) assert.equal(await walkthroughStep(id).getAttribute('aria-checked'), 'false', id);
    // The step's markdown shows beside the steps when the editor is wide: without the side bar. VS Code picks
    // media/walkthrough/signIn.nls.zh-cn.md for this locale; it renders in a webview frame.
    await page.keyboard.press('Control+B');
    await walkthroughStep('signIn').click();
    await frameWithText(page, '我的凭证 → 访问密钥', 'the Chinese markdown of "登录华为云"');
    saveReadmePicture(await art.screenshot(page, 'walkthrough'), 'walkthrough-zh-cn.png');
    await page.keyboard.press('Control+B');
  });
});

test('the palette lists our commands by their Chinese titles; "ModelArts: 试用演示" starts the demo, notifies in Chinese and checks off its step', { timeout: STEP_TIMEOUT_MS }, async () => {
  await step('palette', async () => {
    await openContainer(page, 'ModelArts');
    // Signed out: the welcome view, from package.nls.zh-cn.json, offers the demo.
    await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: '试用演示' }).waitFor({ timeout: 60_000 });
    const row = await paletteRow('ModelArts: 试用', 'ModelArts: 试用演示');
    await art.screenshot(page, 'palette');
    await row.click();
    await notification(page, 'ModelArts 演示正在运行').waitFor({ timeout: 60_000 });
    await statusBarItem(page, 'ModelArts 演示').waitFor();
    await until('"试用演示" checked off', async () => (await walkthroughStep('tryDemo').getAttribute('aria-checked')) === 'true');
    assert.equal(await walkthroughStep('signIn').getAttribute('aria-checked'), 'false', 'the demo is no sign-in');
    await art.screenshot(page, 'demo-started');
  });
});

test('the tree shows its groups and statuses in Chinese', { timeout: STEP_TIMEOUT_MS }, async () => {
  await step('tree', async () => {
    await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
    await expandRow(treeRow(page, 'default', 1));
    for (const group of ['训练作业', 'Notebook', '工作流', '应用']) await treeRow(page, group, 2).waitFor();
    await expandRow(treeRow(page, '训练作业', 2));
    await expandRow(treeRow(page, 'Notebook', 2));
    await until('rows under the groups', async () => (await visibleRows(page)).filter((r) => r.level === 3).length > 5);
    const rows = await visibleRows(page);
    process.stdout.write(`# zh-cn rows: ${rows.map((r) => `${r.label} [${r.description}]`).join('; ')}\n`);
    // Durations read "35秒", "12分", "3小时 5分"; a notebook's lease "运行中 · 剩余 59分".
    assert.ok(rows.some((r) => /\d+(秒|分|小时|天)/.test(r.description)), 'durations are in Chinese');
    assert.ok(rows.some((r) => /^运行中 · 剩余 /.test(r.description)), 'the state and the lease countdown are in Chinese');
    assert.ok(!rows.some((r) => /^(Training Jobs|Notebooks|Workflows|Apps)$/.test(r.label)), 'no English group label');
    await resizeSideBar(page, 520);
    await page.mouse.move(1, 400);
    saveReadmePicture(await art.screenshot(page, 'tree'), 'zh-cn-tree.png');
  });
});

test('"ModelArts: 启动 Notebook" asks in Chinese, notifies "正在运行" and checks off "启动 Notebook"', { timeout: STEP_TIMEOUT_MS }, async () => {
  await step('notebook', async () => {
    const row = await paletteRow('ModelArts: 启动 Notebook', 'ModelArts: 启动 Notebook');
    await row.click();
    await pick(page, '要启动哪个 Notebook？', 'data-cleaning');
    await waitForQuickInput(page, '在此时间后自动停止 Notebook');
    await art.screenshot(page, 'notebook-duration');
    await pick(page, '在此时间后自动停止 Notebook', '1 小时');
    await notification(page, 'Notebook data-cleaning 正在运行。').waitFor({ timeout: 60_000 });
    await until('"启动 Notebook" checked off', async () => (await walkthroughStep('startNotebook').getAttribute('aria-checked')) === 'true', 30_000);
    assert.equal(await walkthroughStep('followLogs').getAttribute('aria-checked'), 'false');
    assert.match((await rowInfo(treeRow(page, 'data-cleaning', 3))).description, /^运行中/);
    await art.screenshot(page, 'notebook-running');
  });
});
