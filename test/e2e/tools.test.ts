import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifacts } from './helpers/artifacts';
import { answerDialogs } from './helpers/hostDialogs';
import { projectRoot } from './helpers/tools';
import { launchBrowser, startWorkbench, until, type Workbench } from './helpers/workbench';
import { DIALOGS_ENV, readJson, unexpectedDialogs } from '../host/dialogProtocol';
import { RUNNER_FILES_ENV, RUNNER_OUT_ENV, type RunnerResult } from '../host/runner';

// The language model tools' suite (test/host/tools.test.ts) in code-server's extension host, with its
// confirmation dialogs answered by Playwright. Not through `extensionTestsPath` as test/e2e/host.test.ts runs
// the other suites: with it the workbench's dialog service shows no dialog at all and takes every confirmation
// as confirmed. So ModelArts Explorer is installed from its .vsix and a small runner extension (test/host/runner.ts)
// is the one development extension (code-server loads only one): the runner runs mocha in the extension host and
// writes the result to a file, while the dialog answerer (test/e2e/helpers/hostDialogs.ts) presses what the suite
// asks for.

const TIMEOUT_MS = 300_000;
const SUITES = ['tools.test.js'];

test('language model tools suite passes in code-server, its dialogs answered by Playwright (test/host/tools.test.ts)', { timeout: TIMEOUT_MS }, async () => {
  const root = projectRoot();
  const runnerMain = join(__dirname, '..', 'host', 'runner.js');
  assert.ok(existsSync(join(root, 'dist', 'modelarts-explorer.vsix')), 'dist/modelarts-explorer.vsix is missing: run `npm run package` first');
  assert.ok(existsSync(runnerMain), `${runnerMain} is missing: run \`node esbuild.mjs --tests\` first`);
  const art = artifacts('tools');
  const dialogs = join(art.dir, 'dialogs');
  const resultFile = join(art.dir, 'result.json');
  const runner = join(art.dir, 'runner');
  const home = join(art.dir, 'home');
  for (const dir of [dialogs, runner, home]) mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(runner, 'package.json'),
    JSON.stringify({
      name: 'host-runner',
      publisher: 'modelarts-explorer-tests',
      version: '0.0.1',
      engines: { vscode: '^1.95.0' },
      activationEvents: ['onStartupFinished'],
      main: relative(runner, runnerMain),
    }),
  );

  let workbench: Workbench | undefined;
  let browser: Browser | undefined;
  const lines: string[] = [];
  try {
    workbench = await startWorkbench({
      name: 'tools',
      installVsix: true,
      smokeTestDriver: true,
      userSettings: { 'modelarts.pageSize': 10, 'modelarts.refresh.intervalSeconds': 2 },
      // More jobs than one page in workspace "default"; MODELARTS_HOST_GREP comes from this process's environment.
      env: { MODELARTS_EXPLORER_DEMO_JOBS: '25', [DIALOGS_ENV]: dialogs, [RUNNER_OUT_ENV]: resultFile, [RUNNER_FILES_ENV]: SUITES.join(','), HOME: home },
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
    page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
    const authority = `vscode-remote://127.0.0.1:${workbench.server.port}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', `${authority}${runner}`]]);
    const started = Date.now();
    await page.goto(workbench.url(`&payload=${encodeURIComponent(payload)}`));
    let done = false;
    const answering = answerDialogs(page, dialogs, () => done).catch((error: unknown) => {
      lines.push(`error: the dialog answerer stopped: ${error instanceof Error ? error.message : String(error)}`);
      return -1;
    });
    let result: RunnerResult;
    try {
      result = await until('the runner\'s result', () => Promise.resolve(readJson<RunnerResult>(resultFile)), TIMEOUT_MS - 60_000);
    } catch (error) {
      await art.screenshot(page, 'timeout').catch(() => undefined);
      throw error;
    } finally {
      done = true;
    }
    const answered = await answering;
    const unexpected = unexpectedDialogs(dialogs);
    process.stdout.write(`\n--- language model tools suite (${((Date.now() - started) / 1000).toFixed(1)} s, ${result.failures} failing) ---\n${result.report}\n${result.error ?? ''}\n---\n`);
    process.stdout.write(`[figure] dialogs answered: ${answered} as asked, ${unexpected.length} unasked (answered Cancel)${unexpected.length > 0 ? `: ${JSON.stringify(unexpected)}` : ''}\n`);
    assert.equal(result.error, undefined, 'the runner could not run the suite');
    assert.equal(result.failures, 0, 'the tools suite reported failures (see its report above)');
  } finally {
    writeFileSync(join(art.dir, 'workbench.log'), `${lines.join('\n')}\n`);
    if (workbench) writeFileSync(join(art.dir, 'code-server.log'), workbench.server.logText());
    await browser?.close();
    await workbench?.dispose();
  }
});
