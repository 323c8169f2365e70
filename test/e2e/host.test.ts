import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { artifacts } from './helpers/artifacts';
import { projectRoot } from './helpers/tools';
import { launchBrowser, startWorkbench, type Workbench } from './helpers/workbench';
import { sshdSkip, startSshd, type TestSshd } from '../unit/helpers/sshd';

// Runs the extension-host suite (test/host, the index @vscode/test-electron would run on a desktop) inside
// code-server: the workbench takes extensionDevelopmentPath and extensionTestsPath from the URL payload
// (enable-smoke-test-driver) and reports the host's console and exit code through two page functions.

const TIMEOUT_MS = 180_000;

test('extension-host suite passes in code-server (test/host)', { timeout: TIMEOUT_MS }, async () => {
  const root = projectRoot();
  const index = join(__dirname, '..', 'host', 'index.js');
  assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/extension.js is missing: run `node esbuild.mjs` first');
  assert.ok(existsSync(index), `${index} is missing: run \`node esbuild.mjs --tests\` first`);
  const art = artifacts('host');

  let workbench: Workbench | undefined;
  let browser: Browser | undefined;
  let sshd: TestSshd | undefined;
  const lines: string[] = [];
  try {
    // The SSH suite connects the demo to a real sshd; HOME is a folder of the run, so ~/.ssh is its own.
    const home = join(art.dir, 'home');
    mkdirSync(home, { recursive: true });
    if (!sshdSkip()) sshd = await startSshd();
    const ssh: Record<string, string> = sshd
      ? { MODELARTS_EXPLORER_DEMO_SSH: `${sshd.user}@${sshd.host}:${sshd.port}`, MODELARTS_HOST_SSH_KEY: sshd.clientKey, HOME: home }
      : { HOME: home };
    workbench = await startWorkbench({
      name: 'host',
      installVsix: false,
      smokeTestDriver: true,
      // Small pages so "Load more" shows; a short refresh interval so the idle check covers several ticks.
      userSettings: { 'modelarts.pageSize': 10, 'modelarts.refresh.intervalSeconds': 2 },
      // More jobs than one page in workspace "default".
      env: { MODELARTS_EXPLORER_DEMO_JOBS: '25', ...ssh },
    });
    browser = await launchBrowser();
    // Clipboard permissions: the SSH suite reads back the command it copied.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
    let exitWith: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      exitWith = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs?: Array<{ relativePath: string; contents: string }>) => {
      // The workbench's and the extension host's log files, kept with the other artifacts.
      for (const log of logs ?? []) {
        const path = join(art.dir, 'logs', log.relativePath.replace(/\.\.+/g, '_'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, log.contents);
      }
      exitWith(code);
    });
    // The host's console arrives as console.log arguments (a format string first), mixed with workbench logs.
    await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
      const text = Array.isArray(message) ? format(...(message as unknown[])) : String(message);
      lines.push(level === 'info' ? text : `${level}: ${text}`);
    });
    page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));

    const authority = `vscode-remote://127.0.0.1:${workbench.server.port}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `${authority}${root}`],
      ['extensionTestsPath', `${authority}${index}`],
    ]);
    const started = Date.now();
    await page.goto(workbench.url(`&payload=${encodeURIComponent(payload)}`));

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the extension-host suite did not finish in time')), TIMEOUT_MS - 30_000);
    });
    let code: number;
    try {
      code = await Promise.race([exited, deadline]);
    } catch (error) {
      await art.screenshot(page, 'timeout').catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const report = hostReport(lines);
    process.stdout.write(`\n--- extension-host suite (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code}) ---\n${report}\n---\n`);
    assert.equal(code, 0, 'the extension-host suite reported failures (see its report above)');
  } finally {
    // The whole workbench log, for when the report above is not enough.
    writeFileSync(join(art.dir, 'workbench.log'), `${lines.join('\n')}\n`);
    if (workbench) writeFileSync(join(art.dir, 'code-server.log'), workbench.server.logText());
    await browser?.close();
    await workbench?.dispose();
    await sshd?.stop();
  }
});

/**
 * Mocha's report (its lines are indented), the figures and errors, from the suite's first title on; the
 * workbench's own log lines (never indented) are left out.
 */
function hostReport(lines: readonly string[]): string {
  // Every suite's title says where it runs; the first one starts mocha's report.
  const start = lines.findIndex((line) => line.includes(' in the extension host'));
  if (start < 0) return lines.join('\n');
  const keep = (line: string): boolean => line === '' || /^\s/.test(line) || line.startsWith('[figure') || line.startsWith('error:');
  return [...lines.slice(0, start).filter((line) => line.startsWith('[figure') || line.startsWith('error:')), ...lines.slice(start).filter(keep)].join('\n');
}
