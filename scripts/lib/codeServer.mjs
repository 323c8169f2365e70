// Runs code-server for the end-to-end tests and the demo: a run folder per instance (profile, extensions,
// XDG folders, temp files, log), user and machine settings, `--install-extension`, a detached start on a free
// loopback port, a health wait, and a stop that kills the whole process group (the extension host and the
// file watcher are children: killing only code-server's pid would orphan them).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** User settings that keep the workbench quiet: no start page, no chat, no update or telemetry calls. */
export const QUIET_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
});

/**
 * @typedef {object} RunFolder
 * @property {string} dir            the run folder
 * @property {string} userDataDir    `--user-data-dir`
 * @property {string} extensionsDir  `--extensions-dir`
 * @property {string} config         `--config`
 * @property {string} log            code-server's stdout and stderr
 * @property {Record<string, string>} env  XDG_* and TMPDIR inside the run folder
 */

/**
 * A fresh run folder under `parent` (a new unique one, or exactly `parent/name` emptied when `exact`).
 * @param {string} parent
 * @param {string} name
 * @param {{ exact?: boolean }} [options]
 * @returns {RunFolder}
 */
export function createRunFolder(parent, name, options = {}) {
  mkdirSync(parent, { recursive: true });
  let dir;
  if (options.exact) {
    dir = join(parent, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  } else {
    dir = mkdtempSync(join(parent, `${name}-`));
  }
  const env = {
    XDG_DATA_HOME: join(dir, 'xdg', 'data'),
    XDG_CONFIG_HOME: join(dir, 'xdg', 'config'),
    XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
    TMPDIR: join(dir, 'tmp'),
  };
  for (const path of Object.values(env)) mkdirSync(path, { recursive: true });
  const run = {
    dir,
    userDataDir: join(dir, 'user-data'),
    extensionsDir: join(dir, 'extensions'),
    config: join(dir, 'config.yaml'),
    log: join(dir, 'code-server.log'),
    env,
  };
  mkdirSync(run.extensionsDir, { recursive: true });
  writeFileSync(run.config, 'auth: none\ncert: false\n');
  writeUserSettings(run, {});
  return run;
}

/** Removes run folders left by runs that were killed before they could clean up (older than `maxAgeMs`). */
export function pruneRunFolders(parent, maxAgeMs = 6 * 3600_000) {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const dir = join(parent, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > maxAgeMs) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}

function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** `<user-data-dir>/User/settings.json`: the quiet settings plus `extra`. */
export function writeUserSettings(run, extra) {
  writeJson(join(run.userDataDir, 'User', 'settings.json'), { ...QUIET_SETTINGS, ...extra });
}

/** `<user-data-dir>/Machine/settings.json`: where machine-scoped settings (the endpoints) belong. */
export function writeMachineSettings(run, settings) {
  writeJson(join(run.userDataDir, 'Machine', 'settings.json'), settings);
}

/** The environment code-server runs with: no marketplace, XDG and temp inside the run folder. */
function serverEnv(run, extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // From a VS Code terminal, VSCODE_IPC_HOOK_CLI would make code-server hand the request to that window.
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key.startsWith('NODE_TEST') || value === undefined) continue;
    env[key] = value;
  }
  return { ...env, ...run.env, EXTENSIONS_GALLERY: '{}', ...extra };
}

function baseArgs(paths, run) {
  return [paths.csEntry, '--config', run.config, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir];
}

/**
 * Installs a .vsix into the run folder's extensions dir.
 * @param {import('./paths.mjs').E2ePaths} paths
 * @param {RunFolder} run
 * @param {string} vsix
 */
export function installExtension(paths, run, vsix) {
  if (!existsSync(vsix)) throw new Error(`no extension package at ${vsix}: run \`npm run package\` first`);
  const result = spawnSync(paths.node, [...baseArgs(paths, run), '--install-extension', vsix, '--force'], {
    env: serverEnv(run, {}),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error || result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} failed (exit ${result.status ?? result.error?.message}): ${output.slice(-2000)}`);
  }
  return output;
}

/** A port the OS reports free on 127.0.0.1 right now (`port` 0: any). Rejects when `port` is taken. */
export function freePort(port = 0) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error) => reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is in use`) : error));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(chosen));
    });
  });
}

function healthy(url) {
  return new Promise((resolve) => {
    const req = get(`${url}/healthz`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

// ---- process groups: everything started here is stopped on exit, Ctrl+C or SIGTERM ----

const groups = new Set();
let hooked = false;

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    // EPERM: the group exists but belongs to someone else; only ESRCH means gone.
    return error.code === 'EPERM';
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function hookExit() {
  if (hooked) return;
  hooked = true;
  // Last resort when the process ends without stopping what it started.
  process.on('exit', () => {
    for (const pid of groups) signalGroup(pid, 'SIGKILL');
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      const code = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
      // A second signal while stopping: no more grace.
      if (stopping) process.exit(code);
      stopping = true;
      Promise.all([...groups].map((pid) => stopGroup(pid))).finally(() => process.exit(code));
    });
  }
}

/**
 * Starts a detached process in its own process group and remembers it for the exit hooks.
 * @returns {import('node:child_process').ChildProcess}
 */
export function spawnGroup(command, args, options) {
  hookExit();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) groups.add(child.pid);
  return child;
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when no process of the group is left. */
export async function stopGroup(pid, graceMs = 3_000) {
  if (pid === undefined) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    const hard = Date.now() + 5_000;
    while (groupAlive(pid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
  }
  groups.delete(pid);
}

/**
 * @typedef {object} RunningCodeServer
 * @property {string} url    http://127.0.0.1:<port>
 * @property {number} port
 * @property {number} pid    leader of its process group
 * @property {RunFolder} run
 * @property {() => string} logText  what code-server has printed so far
 * @property {Promise<string>} exited  settles with how code-server ended (exit code or signal)
 * @property {() => Promise<void>} stop  kills the process group; safe to call twice
 */

/**
 * Starts code-server detached on 127.0.0.1 and waits until /healthz answers.
 * @param {import('./paths.mjs').E2ePaths} paths
 * @param {RunFolder} run
 * `workspaceTrust`: keeps VS Code's workspace trust on (no `--disable-workspace-trust`), so a folder can open in
 * Restricted Mode; `args`: more command-line arguments (e.g. `--log trace`).
 * @param {{ port?: number, env?: Record<string, string>, smokeTestDriver?: boolean, workspaceTrust?: boolean, args?: string[], timeoutMs?: number }} [options]
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer(paths, run, options = {}) {
  if (!existsSync(paths.csEntry)) throw new Error(`code-server is not installed at ${paths.csEntry}: run \`npm run setup:e2e\``);
  // Checked first even when given: /healthz would otherwise be answered by whatever holds the port.
  const port = await freePort(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  const args = [
    ...baseArgs(paths, run),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(options.args ?? []),
  ];
  // Lets the workbench take an extension-development payload from the URL (extension-host tests).
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const out = openSync(run.log, 'a');
  let child;
  try {
    child = spawnGroup(paths.node, args, { cwd: run.dir, env: serverEnv(run, options.env ?? {}), stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  const pid = child.pid;
  const logText = () => (existsSync(run.log) ? readFileSync(run.log, 'utf8') : '');
  let exited;
  const exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ?? `exit code ${code}`;
      resolve(exited);
    });
    child.once('error', (error) => {
      exited = error.message;
      resolve(exited);
    });
  });
  let stopped;
  const stop = () => (stopped ??= stopGroup(pid));
  try {
    if (pid === undefined) throw new Error('code-server did not start');
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      if (exited) throw new Error(`code-server ended (${exited}) before it was ready`);
      // Its own "listening" line too: /healthz alone could be answered by whoever took the port first.
      if (logText().includes(`listening on ${url}/`) && (await healthy(url))) break;
      if (Date.now() > deadline) throw new Error(`code-server did not answer ${url}/healthz in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- ${run.log} ---\n${logText().slice(-3000)}`);
  }
  return { url, port, pid, run, logText, exited: exitedPromise, stop };
}
