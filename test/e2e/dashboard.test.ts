import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { saveReadmePicture } from './helpers/artifacts';
import { launchBrowser, openContainer, paletteRow, pick, quickPickRow, runCommand, statusBarItem, treeRow, until, withWorkbench } from './helpers/workbench';

// The job dashboard as a new user meets it in demo mode: Open Job Dashboard on a running demo job shows its
// header, its GPU and memory charts and its loss curve, whose points grow while the panel is open; the page's
// Content Security Policy allows no inline or remote script; the charts follow the theme (light, high
// contrast). Compare Training Jobs on two jobs overlays two series. Screenshots go to
// test-results/e2e/dashboard/, two also to media/screenshots/ (with MODELARTS_E2E_PICTURES=1).

const TEST_TIMEOUT_MS = 300_000;
// A GPU job of workspace "default" that keeps running for hours in the demo.
const RUNNING_JOB = 'pytorch-mnist-long-run';
const ENDED_JOB = 'resnet50-imagenet-baseline';

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The webview frame that holds the dashboard page with an element matching `selector`. */
async function dashboardFrame(page: Page, selector: string, timeoutMs = 60_000): Promise<Frame> {
  return until(
    `a dashboard page with ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        const found = await frame
          .locator(`#dashboard ${selector}`)
          .count()
          .catch(() => 0);
        if (found > 0) return frame;
      }
      return undefined;
    },
    timeoutMs,
  );
}

async function points(frame: Frame, chart: string): Promise<number> {
  const value = await frame.locator(`[data-chart="${chart}"]`).first().getAttribute('data-points', { timeout: 5_000 });
  return Number(value ?? '0');
}

/** Picks a colour theme in the workbench's own picker, as a user does. */
async function setTheme(page: Page, label: string): Promise<void> {
  await (await paletteRow(page, 'Preferences: Color Theme', 'Preferences: Color Theme')).click();
  await pick(page, 'Select Color Theme', label);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The theme class of the workbench and of the dashboard page, for a failure's message. */
async function themeClasses(page: Page, frame: Frame): Promise<string> {
  const workbench = (await page.locator('.monaco-workbench').first().getAttribute('class')) ?? '';
  const body = (await frame.locator('body').getAttribute('class')) ?? '';
  return `workbench: ${workbench}; page: ${body}`;
}

test('Open Job Dashboard on a running demo job: charts and curves that grow, a strict CSP, themes; Compare overlays two jobs', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withWorkbench(
    browser,
    'dashboard',
    {},
    async (page, art) => {
      await openContainer(page, 'ModelArts');
      await page.locator('#workbench\\.parts\\.sidebar .welcome-view-content', { hasText: 'Try the Demo' }).waitFor({ timeout: 60_000 });
      await runCommand(page, 'ModelArts: Try the Demo');
      await treeRow(page, 'default', 1).waitFor({ timeout: 60_000 });
      await statusBarItem(page, 'ModelArts Demo').waitFor();

      await runCommand(page, 'ModelArts: Open Job Dashboard');
      await pick(page, 'Pick a training job', RUNNING_JOB);
      await page.locator('#workbench\\.parts\\.editor .tab', { hasText: `Dashboard: ${RUNNING_JOB}` }).waitFor({ timeout: 30_000 });
      const frame = await dashboardFrame(page, '[data-chart="curve:loss"]');

      // The header says what the job is, in words.
      await frame.locator('#dashboard [data-state]').first().waitFor();
      assert.equal(await frame.locator('#dashboard [data-state]').first().getAttribute('data-state'), 'Running');
      const header = (await frame.locator('#dashboard').textContent()) ?? '';
      assert.match(header, new RegExp(RUNNING_JOB));
      assert.match(header, /GPU/);

      // Resource charts from the metrics route: a GPU flavor shows its accelerator's series.
      await until('GPU utilization points', async () => (await points(frame, 'resource:gpuUtil')) > 0, 60_000);
      assert.ok((await points(frame, 'resource:cpuUsage')) > 0, 'CPU points');

      // The loss curve from the whole log, then growing with the follow: two later readings each add points.
      const first = await until('loss points', async () => {
        const n = await points(frame, 'curve:loss');
        return n > 0 ? n : undefined;
      }, 60_000);
      const second = await until('more loss points', async () => {
        const n = await points(frame, 'curve:loss');
        return n > first ? n : undefined;
      }, 90_000);
      const third = await until('still more loss points', async () => {
        const n = await points(frame, 'curve:loss');
        return n > second ? n : undefined;
      }, 90_000);
      assert.ok(third > second && second > first, `${first} < ${second} < ${third}`);
      await art.screenshot(page, 'dashboard-default-theme');

      // The page's policy: scripts by nonce only, nothing inline, nothing remote.
      const csp = (await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
      assert.match(csp, /default-src 'none'/);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1]?.trim() ?? '';
      assert.match(scriptSrc, /^'nonce-[A-Za-z0-9+/=]{20,}'$/, scriptSrc);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.doesNotMatch(csp.replace(/https:\/\/[*\w.-]*vscode-cdn\.net|https:\/\/[*\w.-]*vscode-resource[\w.-]*/g, ''), /https?:\/\//, csp);
      // Our page's one script is the bundle, carrying the policy's nonce (VS Code adds its own host script beside it).
      const ours = frame.locator('script[src*="dashboardView.js"]');
      assert.equal(await ours.count(), 1);
      const nonce = await ours.evaluate((script) => (script as unknown as { nonce: string }).nonce);
      assert.equal(`'nonce-${nonce}'`, scriptSrc);

      // Themes: the page takes VS Code's theme classes and the charts redraw.
      await setTheme(page, 'Dark Modern');
      await until('a dark page', async () => ((await frame.locator('body').getAttribute('class')) ?? '').includes('vscode-dark'), 30_000);
      await page.waitForTimeout(1_000);
      const dark = await art.screenshot(page, 'dashboard-dark');
      saveReadmePicture(dark, 'dashboard.png');
      await setTheme(page, 'Light Modern');
      await until('a light page', async () => ((await frame.locator('body').getAttribute('class')) ?? '').includes('vscode-light'), 30_000);
      await page.waitForTimeout(1_000);
      await art.screenshot(page, 'dashboard-light');
      await setTheme(page, 'Dark High Contrast');
      await until('a high contrast page', async () => ((await frame.locator('body').getAttribute('class')) ?? '').includes('vscode-high-contrast'), 30_000).catch(async (error: unknown) => {
        throw new Error(`${String(error)} (${await themeClasses(page, frame)})`);
      });
      await page.waitForTimeout(1_000);
      await art.screenshot(page, 'dashboard-high-contrast');
      await setTheme(page, 'Dark Modern');

      // Compare two jobs picked in the palette: one chart per curve, two series each.
      await runCommand(page, 'ModelArts: Compare Training Jobs');
      await page.locator('.quick-input-widget .quick-input-box input').waitFor();
      for (const job of [RUNNING_JOB, ENDED_JOB]) {
        await page.locator('.quick-input-widget .quick-input-box input').fill(job);
        // A click on a row of a multi-select pick ticks it.
        await quickPickRow(page, job).click();
        await until(`${job} ticked`, async () => (await quickPickRow(page, job).getAttribute('aria-checked')) === 'true', 10_000);
      }
      await page.locator('.quick-input-widget .quick-input-box input').fill('');
      await page.keyboard.press('Enter');
      const compared = await dashboardFrame(page, '[data-chart="compare:loss"]', 90_000);
      await until('two loss series', async () => (await compared.locator('[data-chart="compare:loss"]').first().getAttribute('data-series')) === '2', 60_000);
      const table = (await compared.locator('#dashboard table').first().textContent()) ?? '';
      assert.match(table, new RegExp(RUNNING_JOB));
      assert.match(table, new RegExp(ENDED_JOB));
      const shot = await art.screenshot(page, 'compare');
      saveReadmePicture(shot, 'compare.png');
    },
  );
});
