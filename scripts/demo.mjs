// `npm run demo`: packages the extension, installs it into a fresh code-server profile (under the e2e cache
// folder) and serves VS Code in the browser with the demo started on activation (MODELARTS_EXPLORER_DEMO=1).
// Runs until Ctrl+C, then stops code-server's whole process group. With --smoke (CI): opens the URL in
// Chromium, waits for the first row of the ModelArts tree, prints how long everything took and exits.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRunFolder, installExtension, startCodeServer, writeUserSettings } from './lib/codeServer.mjs';
import { CHROMIUM_ARGS, PROJECT_ROOT, VSIX, e2ePaths } from './lib/paths.mjs';
import { SetupError, ensureE2eTools } from './lib/setup.mjs';

const { sshdMissing, startSshd } = createRequire(import.meta.url)('./lib/sshd.cjs');

const USAGE = `Usage: npm run demo [-- --port N] [-- --jobs N] [-- --smoke]

  --port N   serve on 127.0.0.1:N (default: a free port)
  --jobs N   add N training jobs to workspace "default" (e.g. 10000, to try "Load more…")
  --smoke    open the demo in headless Chromium, wait for the first tree row, then stop and exit 0`;

function fail(message) {
  process.stderr.write(`\ndemo: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const options = { port: undefined, jobs: undefined, smoke: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    const integer = (max) => {
      const raw = value();
      const n = Number(raw);
      if (raw === undefined || raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) fail(`${flag} needs a whole number from 0 to ${max}, got ${raw ?? 'nothing'}\n${USAGE}`);
      return n;
    };
    if (flag === '--port') options.port = integer(65535);
    else if (flag === '--jobs') options.jobs = integer(1_000_000);
    else if (flag === '--smoke' && inline === undefined) options.smoke = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument: ${argv[i]}\n${USAGE}`);
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const say = (line) => process.stdout.write(`demo  ${line}\n`);
const started = Date.now();
const since = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

// One demo at a time: the next one replaces the profile folder.
const lock = join(e2ePaths().cache, 'demo.lock');
const otherDemo = (() => {
  try {
    const other = JSON.parse(readFileSync(lock, 'utf8'));
    // A live process that is still a demo (pids get reused).
    return readFileSync(`/proc/${other.pid}/cmdline`, 'utf8').includes('demo.mjs') ? other : undefined;
  } catch {
    return undefined;
  }
})();
if (otherDemo) fail(`another demo is running (pid ${otherDemo.pid})${otherDemo.url ? `: ${otherDemo.url}` : ''}\nStop it with Ctrl+C first.`);
mkdirSync(dirname(lock), { recursive: true });
writeFileSync(lock, JSON.stringify({ pid: process.pid }));
process.on('exit', () => rmSync(lock, { force: true }));

say('packaging the extension (npm run package)');
const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
if (pack.status !== 0) fail(`npm run package failed (${pack.error?.message ?? `exit ${pack.status}`})`);

let paths;
const setupStarted = Date.now();
try {
  paths = ensureE2eTools({ log: (line) => say(`setup: ${line}`) });
} catch (error) {
  fail(error instanceof SetupError ? error.message : String(error));
}
const setupTime = since(setupStarted);

// A fresh profile each time, so the demo always starts signed out of everything but the demo.
const run = createRunFolder(paths.cache, 'demo', { exact: true });
const folder = join(run.dir, 'modelarts-demo');
mkdirSync(folder, { recursive: true });
writeFileSync(
  join(folder, 'README.md'),
  '# ModelArts Explorer demo\n\nOpen the ModelArts view in the activity bar. The demo runs a built-in ModelArts emulator\n' +
    'on this machine with seeded workspaces, training jobs, notebooks and workflows; no Huawei Cloud account is used.\n',
);
writeUserSettings(run, { 'workbench.startupEditor': 'readme' });
try {
  installExtension(paths, run, VSIX);
} catch (error) {
  fail(error.message);
}

// A home folder of the demo's own: what Connect via SSH writes (~/.ssh/modelarts_config, the Include line,
// known hosts) stays in the run folder, and the user's own ~/.ssh is never touched by a demo.
const home = join(run.dir, 'home');
mkdirSync(home, { recursive: true });
const env = { MODELARTS_EXPLORER_DEMO: '1', HOME: home };
if (options.jobs !== undefined) env.MODELARTS_EXPLORER_DEMO_JOBS = String(options.jobs);

// "Connect via SSH" on the demo notebooks reaches a real sshd on this computer, when openssh-server is here.
let sshd;
const noSshd = sshdMissing();
if (noSshd) {
  say(`Connect via SSH: no local sshd (${noSshd}); the demo notebooks get no SSH endpoint.`);
} else {
  try {
    sshd = await startSshd({ dir: join(run.dir, 'sshd') });
    env.MODELARTS_EXPLORER_DEMO_SSH = `${sshd.user}@${sshd.host}:${sshd.port}`;
    // However the demo ends (Ctrl+C exits from the code-server helper), sshd ends with it.
    const pidFile = join(run.dir, 'sshd', 'sshd.pid');
    process.on('exit', () => {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // Already gone.
      }
    });
  } catch (error) {
    say(`Connect via SSH: the local sshd did not start (${error.message}); the demo notebooks get no SSH endpoint.`);
  }
}
let server;
try {
  server = await startCodeServer(paths, run, { port: options.port, env });
} catch (error) {
  fail(error.message);
}

const url = `${server.url}/?folder=${folder.split('/').map(encodeURIComponent).join('/')}`;
writeFileSync(lock, JSON.stringify({ pid: process.pid, url }));

if (options.smoke) {
  let code = 0;
  try {
    const row = await firstTreeRow(url, run.dir);
    say(`smoke: the ModelArts tree shows "${row}" ${since(started)} after the start (setup ${setupTime})`);
  } catch (error) {
    say(`smoke FAILED: ${error.message}\nProfile and logs: ${run.dir}`);
    code = 1;
  }
  await server.stop();
  await sshd?.stop();
  process.exit(code);
}

process.stdout.write(
  [
    '',
    `ModelArts Explorer demo is running (ready ${since(started)} after the start). Open:`,
    '',
    `    ${url}`,
    '',
    'Click the ModelArts icon in the activity bar: the demo starts on activation (status bar: "ModelArts Demo").',
    ...(sshd
      ? [
          `Connect via SSH: notebooks pytorch-dev and resnet-finetune are served by a local sshd (port ${sshd.port}); when asked for the key file, give ${sshd.clientKey}`,
          `  (the demo's home folder is ${home}: its SSH files go there, not into your ~/.ssh)`,
        ]
      : []),
    `Profile and logs: ${run.dir}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n'),
);

// Ctrl+C and SIGTERM stop code-server's process group and exit (scripts/lib/codeServer.mjs); only a crash
// is reported here.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!interrupted) say('stopping code-server…');
    interrupted = true;
  });
}
const how = await server.exited;
await sshd?.stop();
if (!interrupted) {
  await server.stop();
  fail(`code-server stopped by itself (${how}); its log: ${run.log}`);
}

/**
 * What a user does first: open the URL and look at the ModelArts view. Resolves with the first tree row's text
 * (a workspace; an error or sign-in row fails), with a screenshot in the run folder either way.
 */
async function firstTreeRow(pageUrl, dir) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: paths.chromium, args: [...CHROMIUM_ARGS], timeout: 60_000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(pageUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The demo starts on activation and reveals its view (the side bar's title turns to ModelArts); the first
    // workspace row follows.
    const sideBar = page.locator('#workbench\\.parts\\.sidebar');
    const row = sideBar.locator('.monaco-list-row[role="treeitem"][aria-level="1"]').first();
    try {
      await sideBar.locator('.composite.title h2', { hasText: /^\s*modelarts\b/i }).waitFor({ timeout: 120_000 });
      await row.waitFor({ timeout: 120_000 });
      const text = (await row.getAttribute('aria-label')) ?? (await row.textContent()) ?? '';
      if (/sign in|failed|error/i.test(text)) throw new Error(`the first tree row is not a workspace: "${text}"`);
      return text;
    } finally {
      await page.screenshot({ path: join(dir, 'smoke.png') }).catch(() => undefined);
    }
  } finally {
    await browser.close();
  }
}
