import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { artifacts, type Artifacts } from './artifacts';
import { tools, type RunFolder, type RunningCodeServer } from './tools';

// One code-server instance with its own fresh profile, and the Playwright moves the e2e tests make in its
// workbench (activity bar, palette, quick input, tree rows, notifications). Selectors are VS Code 1.139's.

export interface WorkbenchOptions {
  /** Run-folder name prefix. */
  name: string;
  /** Install dist/modelarts-explorer.vsix into the profile. */
  installVsix: boolean;
  userSettings?: Record<string, unknown>;
  machineSettings?: Record<string, unknown>;
  /** Extra environment for code-server (and so the extension host). */
  env?: Record<string, string>;
  smokeTestDriver?: boolean;
  /** Runs on the fresh run folder after the .vsix is installed, before code-server starts (a language pack, say). */
  prepare?: (run: RunFolder) => void | Promise<void>;
  /** The workspace folder's `.vscode/settings.json`. */
  workspaceSettings?: Record<string, unknown>;
  /** Keeps workspace trust on: the folder opens in Restricted Mode unless trusted. */
  workspaceTrust?: boolean;
  /** More command-line arguments for code-server (e.g. `--log trace`). */
  args?: string[];
}

export interface Workbench {
  server: RunningCodeServer;
  run: RunFolder;
  /** An empty workspace folder inside the run folder. */
  folder: string;
  url(extra?: string): string;
  /** Stops code-server's process group and removes the run folder (kept when MODELARTS_E2E_KEEP=1). */
  dispose(): Promise<void>;
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const lib = await tools();
  const run = lib.createRunFolder(lib.paths.runs, options.name);
  const folder = join(run.dir, 'workspace');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'README.md'), '# ModelArts Explorer e2e workspace\n');
  if (options.workspaceSettings) {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify(options.workspaceSettings, null, 2)}\n`);
  }
  lib.writeUserSettings(run, options.userSettings ?? {});
  if (options.machineSettings) lib.writeMachineSettings(run, options.machineSettings);
  if (options.installVsix) lib.installExtension(lib.paths, run, lib.VSIX);
  await options.prepare?.(run);
  const server = await lib.startCodeServer(lib.paths, run, {
    env: options.env,
    smokeTestDriver: options.smokeTestDriver,
    workspaceTrust: options.workspaceTrust,
    args: options.args,
  });
  return {
    server,
    run,
    folder,
    url: (extra = '') => `${server.url}/?folder=${folder.split('/').map(encodeURIComponent).join('/')}${extra}`,
    async dispose() {
      await server.stop();
      if (process.env.MODELARTS_E2E_KEEP !== '1') rmSync(run.dir, { recursive: true, force: true });
    },
  };
}

/**
 * One test in a fresh profile with the .vsix installed: `body` gets the workbench page and the test's
 * artifacts. On a failure a screenshot is taken, and the notifications and output panel shown then join the
 * error; code-server's log is kept; everything is cleaned up whatever happens.
 */
export async function withWorkbench(
  browser: Browser,
  name: string,
  options: Omit<WorkbenchOptions, 'name' | 'installVsix'>,
  body: (page: Page, art: Artifacts) => Promise<void>,
): Promise<void> {
  const art = artifacts(name);
  const started = Date.now();
  let workbench: Workbench | undefined;
  let page: Page | undefined;
  try {
    workbench = await startWorkbench({ name, installVsix: true, ...options });
    page = await openWorkbench(browser, workbench.url());
    await body(page, art);
  } catch (error) {
    if (page) {
      await art.screenshot(page, 'failure').catch(() => undefined);
      const toasts = await page
        .locator('.notifications-toasts .notification-list-item-message')
        .allTextContents()
        .catch(() => []);
      const panel = await panelText(page).catch(() => '');
      if (error instanceof Error) {
        if (toasts.length > 0) error.message += `\nnotifications shown: ${JSON.stringify(toasts)}`;
        if (panel !== '') error.message += `\noutput panel: ${panel}`;
      }
    }
    throw error;
  } finally {
    if (workbench) writeFileSync(join(art.dir, 'code-server.log'), workbench.server.logText());
    await page?.close().catch(() => undefined);
    await workbench?.dispose();
    process.stdout.write(`# ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${art.dir}\n`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  const lib = await tools();
  return chromium.launch({ executablePath: lib.paths.chromium, args: [...lib.CHROMIUM_ARGS], timeout: 60_000 });
}

const VIEWPORT = { width: 1280, height: 800 };

async function showWorkbench(page: Page, url: string): Promise<Page> {
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

/** Opens the workbench and waits until it is laid out. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  return showWorkbench(await browser.newPage({ viewport: VIEWPORT }), url);
}

/**
 * A browser whose profile is the folder `dir` (so what the workbench stores in it can be searched afterwards),
 * allowed to use the clipboard.
 */
export async function launchBrowserWithProfile(dir: string): Promise<BrowserContext> {
  const lib = await tools();
  return chromium.launchPersistentContext(dir, {
    executablePath: lib.paths.chromium,
    args: [...lib.CHROMIUM_ARGS],
    timeout: 60_000,
    viewport: VIEWPORT,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}

/** Opens the workbench in the context's first page. */
export async function openWorkbenchIn(context: BrowserContext, url: string): Promise<Page> {
  return showWorkbench(context.pages()[0] ?? (await context.newPage()), url);
}

/**
 * The whole text of the active editor's model (not just the rendered lines): select all and copy, then read
 * the clipboard (needs the clipboard permissions of launchBrowserWithProfile).
 */
export async function activeEditorText(page: Page): Promise<string> {
  // Page-side code as text: the tests compile without the DOM library.
  await page.evaluate("navigator.clipboard.writeText('')");
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  const text = await until('the editor text on the clipboard', async () => (await page.evaluate<string>('navigator.clipboard.readText()')) || undefined);
  // Collapses the selection again, so screenshots show the document plainly.
  await page.keyboard.press('Control+Home');
  return text;
}

export function activityItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item a.action-label[aria-label="${title}"]`);
}

/** Shows a view container from the activity bar (clicking an already active one would hide the side bar). */
export async function openContainer(page: Page, title: string): Promise<void> {
  const item = activityItem(page, title);
  await item.waitFor({ timeout: 60_000 });
  const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  if (!checked) await item.click();
}

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');
const quickInputBox = (page: Page): Locator => quickInput(page).locator('.quick-input-box input');

/** Runs a command from the palette by its full title ("ModelArts: Try the Demo"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await quickInputBox(page).waitFor({ state: 'visible' });
  await quickInputBox(page).fill(`>${title}`);
  await quickPickRow(page, title).waitFor();
  await page.keyboard.press('Enter');
}

/** Types `>query` into the palette and waits for the row titled `title` (which may differ, e.g. translated). */
export async function paletteRow(page: Page, query: string, title: string): Promise<Locator> {
  await page.keyboard.press('F1');
  await quickInputBox(page).waitFor({ state: 'visible' });
  await quickInputBox(page).fill(`>${query}`);
  const row = quickPickRow(page, title);
  await row.waitFor();
  return row;
}

/** A step button of an open walkthrough (its id ends in `#<step id>`). */
export function walkthroughStep(page: Page, id: string): Locator {
  return page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
}

/**
 * Opens the walkthrough titled `title` through the palette command (`command` as the palette shows it in this
 * language). The workbench registers an extension's walkthrough a few seconds after the extension, and checks a
 * step off only for events after that: this waits until it is listed.
 */
export async function openWalkthrough(page: Page, title: string, command: { query: string; title: string }, firstStep: string): Promise<void> {
  await until(
    `"${title}" among the walkthroughs`,
    async () => {
      await (await paletteRow(page, command.query, command.title)).click();
      const listed = await quickPickRow(page, title)
        .waitFor({ timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (!listed) await page.keyboard.press('Escape');
      return listed;
    },
    60_000,
  );
  await quickPickRow(page, title).click();
  await walkthroughStep(page, firstStep).waitFor({ timeout: 60_000 });
}

/** The text of the first frame (the walkthrough's markdown renders in a webview) that contains `text`. */
export async function frameWithText(page: Page, text: string, what: string): Promise<void> {
  await until(
    what,
    async () => {
      for (const frame of page.frames()) {
        const body = await frame.locator('body').textContent({ timeout: 500 }).catch(() => '');
        if (body?.includes(text)) return true;
      }
      return false;
    },
    30_000,
  );
}

/**
 * Types a path into code-server's own file dialog and presses its accept button until the dialog closes. The
 * dialog first lists its start folder and may reset the box while it does, and it ignores a press while it is
 * still listing the typed path's folder: so the path is typed once the start folder is listed, typed again
 * whenever the box no longer holds it, and each press waits for the path's own row.
 */
export async function chooseInFileDialog(page: Page, path: string, accept: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await widget.locator('.monaco-button', { hasText: accept }).waitFor({ timeout: 30_000 });
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: '..' }).first().waitFor({ timeout: 30_000 });
  for (let attempt = 1; attempt <= 5; attempt++) {
    if (!(await widget.isVisible())) return;
    if ((await input.inputValue()) !== path) await input.fill(path);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: basename(path) }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_000);
    if ((await input.inputValue()) !== path) continue;
    await widget.locator('.monaco-button', { hasText: accept }).click();
    if (await widget.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false)) return;
    process.stdout.write(`# the file dialog was still open after press ${attempt} of "${accept}"\n`);
  }
  throw new Error(`the file dialog stayed open after 5 presses of "${accept}" (it shows: ${JSON.stringify(await widget.locator('.quick-input-message, .quick-input-box input').allTextContents())})`);
}

/** A row of the OBS view labelled exactly `label`, optionally at a given depth (1 = buckets). */
export function obsRow(page: Page, label: string, level?: number): Locator {
  return page
    .locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*OBS/ }) })
    .locator(`.monaco-list-row[role="treeitem"]${level === undefined ? '' : `[aria-level="${level}"]`}`, { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

/** A QuickPick row labelled exactly `label`. */
export function quickPickRow(page: Page, label: string): Locator {
  return quickInput(page)
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
}

/** Polls `probe` (run in Node, typically reading locators) until it returns a value other than undefined/false. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for a QuickPick or InputBox showing `text` as its title, placeholder or prompt. */
export async function waitForQuickInput(page: Page, text: string): Promise<void> {
  await quickInputBox(page).waitFor({ state: 'visible' });
  await until(`a quick input showing "${text}"`, async () => {
    const parts = await quickInput(page).evaluate((widget) => {
      const input = widget.querySelector('.quick-input-box input');
      return [
        input?.getAttribute('placeholder') ?? '',
        input?.getAttribute('aria-label') ?? '',
        widget.querySelector('.quick-input-title')?.textContent ?? '',
        widget.querySelector('.quick-input-message')?.textContent ?? '',
      ];
    });
    return parts.some((p) => p.includes(text));
  });
}

/** Answers an InputBox: replaces its value and presses Enter. */
export async function answerInput(page: Page, prompt: string, value: string): Promise<void> {
  await waitForQuickInput(page, prompt);
  await quickInputBox(page).fill(value);
  await page.keyboard.press('Enter');
}

/** Picks a QuickPick item by label. */
export async function pick(page: Page, prompt: string, label: string): Promise<void> {
  await waitForQuickInput(page, prompt);
  await quickInputBox(page).fill(label);
  await quickPickRow(page, label).waitFor();
  await quickPickRow(page, label).click();
}

/** The side bar's tree rows (the ModelArts container shows only our view). */
export function treeRows(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"]');
}

/** The tree row labelled exactly `label`, optionally at a given depth (1 = workspaces). */
export function treeRow(page: Page, label: string, level?: number): Locator {
  const rows = level === undefined ? treeRows(page) : page.locator(`#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"][aria-level="${level}"]`);
  return rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) }).first();
}

export interface RowInfo {
  label: string;
  description: string;
  level: number;
  setSize: number;
  expanded: boolean | undefined;
}

export async function rowInfo(row: Locator): Promise<RowInfo> {
  return row.evaluate((el) => ({
    label: el.querySelector('.label-name')?.textContent?.trim() ?? '',
    description: el.querySelector('.label-description')?.textContent?.trim() ?? '',
    level: Number(el.getAttribute('aria-level')),
    setSize: Number(el.getAttribute('aria-setsize')),
    expanded: el.hasAttribute('aria-expanded') ? el.getAttribute('aria-expanded') === 'true' : undefined,
  }));
}

/** All rendered rows (the list is virtual: only rows in view are in the DOM). */
export async function visibleRows(page: Page): Promise<RowInfo[]> {
  const rows = await treeRows(page).all();
  return Promise.all(rows.map((row) => rowInfo(row)));
}

/** Expands a collapsed row by clicking its twistie, and waits until it reports expanded. */
export async function expandRow(row: Locator): Promise<void> {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) === 'true') return;
  await row.locator('.monaco-tl-twistie').click();
  await row.page().waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 30_000 });
}

/** Drags the sash on the side bar's right edge so the side bar is `width` pixels wide (roomier screenshots). */
export async function resizeSideBar(page: Page, width: number): Promise<void> {
  const sideBar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!sideBar) throw new Error('the side bar is not shown');
  const edge = sideBar.x + sideBar.width;
  const sashes = await page.locator('.monaco-sash.vertical').all();
  for (const sash of sashes) {
    const box = await sash.boundingBox();
    if (!box || Math.abs(box.x + box.width / 2 - edge) > 8 || box.height < sideBar.height / 2) continue;
    const x = box.x + box.width / 2;
    const y = sideBar.y + sideBar.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (width - sideBar.width), y, { steps: 5 });
    await page.mouse.up();
    // Off the sash, so its hover highlight goes.
    await page.mouse.move(x + (width - sideBar.width) + 200, y);
    return;
  }
  throw new Error('no sash found on the side bar\'s edge');
}

/**
 * Runs a context-menu entry of `row` (right-click, then the entry). The menu ignores a click that comes right
 * after it opened, so the entry is focused by hovering and run with Enter.
 */
export async function runContextMenu(row: Locator, entry: string): Promise<void> {
  const page = row.page();
  await row.click({ button: 'right' });
  const item = page.locator('.context-view .monaco-menu li.action-item').filter({ has: page.locator('a.action-menu-item', { hasText: entry }) }).first();
  await item.hover();
  await until(`the menu entry "${entry}" to take focus`, async () => (await item.getAttribute('class'))?.includes('focused'));
  await page.keyboard.press('Enter');
  await item.waitFor({ state: 'detached' });
  // Away from the tree, so no row's hover shows in screenshots.
  await page.mouse.move(1, (page.viewportSize()?.height ?? 800) / 2);
}

/**
 * The lines the output panel renders (a virtual list: the visible ones), top to bottom. Soft-wrapped lines
 * come as several entries, so callers look for short fragments.
 */
export async function panelText(page: Page): Promise<string> {
  return page.locator('#workbench\\.parts\\.panel .monaco-editor .view-lines').first().evaluate((el) => {
    const lines = [...el.querySelectorAll('.view-line')].map((line) => ({ top: parseFloat((line as unknown as { style: { top: string } }).style.top) || 0, text: line.textContent ?? '' }));
    return lines
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, ' '))
      .join('\n');
  });
}

/** Waits until the output panel shows `text`; returns the panel's text then. */
export async function panelShows(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  return until(
    `the output panel to show ${String(text)}`,
    async () => {
      const shown = await panelText(page);
      return (typeof text === 'string' ? shown.includes(text) : text.test(shown)) && shown;
    },
    timeoutMs,
  );
}

/** The channel the output panel shows (its channel picker). */
export async function panelChannel(page: Page): Promise<string> {
  return page
    .locator('#workbench\\.parts\\.panel select.monaco-select-box')
    .first()
    .evaluate((el) => {
      const select = el as unknown as { options: ArrayLike<{ text: string }>; selectedIndex: number };
      return select.options[select.selectedIndex]?.text ?? '';
    });
}

/** A notification toast containing `text`. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
}

/** What a modal dialog showed. */
export interface DialogShown {
  message: string;
  detail: string;
  /** Button labels in screen order (code-server 4.139 on Linux: "Cancel" left of the primary button). */
  buttons: string[];
}

/**
 * Waits for the workbench's modal dialog (`.monaco-dialog-box`), presses the button labelled exactly `button`
 * and waits until the dialog is gone; returns what it showed. One case: a language model tool invoked with
 * `vscode.lm.invokeTool` outside a chat (no toolInvocationToken) whose `prepareInvocation` returns
 * `confirmationMessages`: the title is the message, the body (markdown shown as plain text) the detail, and the
 * buttons are "Cancel" and "Yes", with no "always allow" choice.
 */
export async function answerDialog(page: Page, button: string, timeoutMs = 30_000): Promise<DialogShown> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: timeoutMs });
  const shown = await dialog.evaluate((el) => ({
    message: el.querySelector('.dialog-message-text')?.textContent?.trim() ?? '',
    detail: el.querySelector('.dialog-message-detail')?.textContent?.trim() ?? '',
    buttons: [...el.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => b.textContent?.trim() ?? ''),
  }));
  if (!shown.buttons.includes(button)) throw new Error(`the dialog "${shown.message}" has no button "${button}" (it has ${JSON.stringify(shown.buttons)})`);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) }).click();
  await dialog.waitFor({ state: 'detached' });
  return shown;
}

/** A status-bar entry containing `text`. */
export function statusBarItem(page: Page, text: string): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: text }).first();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
