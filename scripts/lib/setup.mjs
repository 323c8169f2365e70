// Installs what the end-to-end tests and the demo need, once per machine: Debian's Chromium (plus the headers
// code-server's native modules build against), Node 24 from npm, and code-server from npm built by that Node.
// Every step checks first and is skipped when already done.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CHROMIUM, CODE_SERVER_VERSION, NODE_PACKAGE, NODE_VERSION, e2ePaths } from './paths.mjs';

export class SetupError extends Error {}

const seconds = (start) => `${((Date.now() - start) / 1000).toFixed(1)} s`;

/** Runs a command with inherited output; throws SetupError naming the step when it fails. */
function run(step, command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new SetupError(`${step}: could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const how = result.signal ? `signal ${result.signal}` : `exit code ${result.status}`;
    throw new SetupError(`${step}: \`${command} ${args.join(' ')}\` failed with ${how}`);
  }
}

function debInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function nodeVersion(binary) {
  if (!existsSync(binary)) return undefined;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The OpenSSH server and client the SSH tests run against (a real sshd on loopback). */
export const SSH_PACKAGES = [
  { pkg: 'openssh-server', present: () => existsSync('/usr/sbin/sshd') },
  { pkg: 'openssh-client', present: () => onPath('ssh') && onPath('ssh-keygen') },
];

/** Installs the Debian packages of `wanted` whose `present()` says no: with apt-get as root, else through sudo -n. */
function ensureAptPackages(log, wanted) {
  const missing = wanted.filter((w) => !w.present()).map((w) => w.pkg);
  if (missing.length === 0) {
    log(`debian packages: present (${wanted.map((w) => w.pkg).join(', ')})`);
    return;
  }
  if (!onPath('apt-get')) throw new SetupError(`missing ${missing.join(', ')} and no apt-get here: install them with your package manager`);
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) {
    throw new SetupError(`missing ${missing.join(', ')}: run as root or install them: apt-get update && apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // sudo drops the environment: pass DEBIAN_FRONTEND through env(1).
  const apt = (step, args) =>
    root ? run(step, 'apt-get', args, { env }) : run(step, 'sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args]);
  const start = Date.now();
  log(`debian packages: installing ${missing.join(', ')}`);
  // A fresh machine has an empty package list: update before installing.
  apt('apt-get update', ['update']);
  apt('apt-get install', ['install', '-y', ...missing]);
  const still = wanted.filter((w) => !w.present()).map((w) => w.pkg);
  if (still.length > 0) throw new SetupError(`apt-get installed ${missing.join(', ')} but ${still.join(', ')} is still not usable`);
  log(`debian packages: done in ${seconds(start)}`);
}

/**
 * Debian packages: the browser, gssapi.h for code-server's kerberos module, a C++ toolchain, a CJK font, and
 * the OpenSSH server the SSH tests (the extension-host and UI ones too) connect to.
 */
function ensureDebianPackages(log, { withFonts }) {
  const wanted = [
    { pkg: 'chromium', present: () => existsSync(CHROMIUM) },
    { pkg: 'libkrb5-dev', present: () => debInstalled('libkrb5-dev') },
    { pkg: 'make', present: () => onPath('make') },
    { pkg: 'g++', present: () => onPath('g++') },
    { pkg: 'python3', present: () => onPath('python3') },
    ...SSH_PACKAGES,
  ];
  // Chinese text renders as boxes in screenshots without it; small (about 5 MB).
  if (withFonts) wanted.push({ pkg: 'fonts-wqy-microhei', present: () => debInstalled('fonts-wqy-microhei') });
  ensureAptPackages(log, wanted);
}

/**
 * Makes sure the OpenSSH server and client are installed (the unit tests start sshd; `npm test` runs this first).
 * @param {{ log?: (line: string) => void }} [options]
 */
export function ensureSshTools(options = {}) {
  const log = options.log ?? ((line) => process.stdout.write(`setup:sshd  ${line}\n`));
  if (process.platform !== 'linux') throw new SetupError(`the SSH test setup supports Linux only (this is ${process.platform})`);
  ensureAptPackages(log, SSH_PACKAGES);
}

/** Node 24 from the npm package (ships bin/node and the headers native modules build against). */
function ensureNode24(log, paths) {
  const want = `v${NODE_VERSION}`;
  const have = nodeVersion(paths.node);
  if (have === want) {
    log(`node ${want}: present (${paths.node})`);
    return;
  }
  const start = Date.now();
  log(`node ${want}: installing ${NODE_PACKAGE}@${NODE_VERSION} into ${paths.node24Prefix}${have ? ` (found ${have})` : ''}`);
  mkdirSync(paths.node24Prefix, { recursive: true });
  run('install Node 24', 'npm', ['install', '--no-audit', '--no-fund', '--prefix', paths.node24Prefix, `${NODE_PACKAGE}@${NODE_VERSION}`]);
  const now = nodeVersion(paths.node);
  if (now !== want) throw new SetupError(`install Node 24: ${paths.node} reports ${now ?? 'nothing'}, expected ${want}`);
  log(`node ${want}: done in ${seconds(start)}`);
}

function installedCodeServer(paths) {
  try {
    const marker = JSON.parse(readFileSync(paths.csMarker, 'utf8'));
    const pkg = JSON.parse(readFileSync(join(paths.csPrefix, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    return marker.codeServer === CODE_SERVER_VERSION && marker.node === NODE_VERSION && pkg.version === CODE_SERVER_VERSION && existsSync(paths.csEntry);
  } catch {
    return false;
  }
}

/**
 * Variables that an outer `npm run` (npm on the machine's Node) sets for its scripts and that describe that npm
 * and that Node. An inner `npm install` reads every `npm_config_*` variable as its own configuration, so left in
 * place they would speak for the wrong Node: code-server's postinstall reads the Node version from
 * `npm_config_user_agent` and refuses Node 20, and node-gyp would be the outer npm's. Configuration the user
 * chose (registry, proxy, cafile) is kept: the inner npm reads it from the same npmrc files.
 */
const OUTER_NPM_VARIABLES = new Set([
  'npm_config_user_agent',
  'npm_config_node_gyp',
  'npm_config_npm_version',
  'npm_config_nodedir',
  'npm_config_prefix',
  'npm_config_global_prefix',
  'npm_config_local_prefix',
  'npm_config_call',
  'npm_execpath',
  'npm_node_execpath',
  'npm_command',
  'node',
  'init_cwd',
]);

/**
 * The environment for installing code-server: the caller's, less what an outer npm set for itself, with Node 24
 * first on PATH and its headers for native modules.
 * @param {NodeJS.ProcessEnv} base
 * @param {string} node24Root
 * @returns {NodeJS.ProcessEnv}
 */
export function codeServerInstallEnv(base, node24Root) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    const lower = key.toLowerCase();
    if (value === undefined || OUTER_NPM_VARIABLES.has(lower) || lower.startsWith('npm_lifecycle_') || lower.startsWith('npm_package_')) continue;
    env[key] = value;
  }
  return {
    ...env,
    PATH: `${join(node24Root, 'bin')}${delimiter}${base.PATH ?? ''}`,
    // The machine's npmrc may name another Node's headers (nodedir=/usr): build for Node 24's ABI.
    npm_config_nodedir: node24Root,
    npm_config_dangerously_allow_all_scripts: 'true',
  };
}

/** code-server from npm, its native modules compiled by Node 24 against Node 24's headers. */
function ensureCodeServer(log, paths) {
  if (installedCodeServer(paths)) {
    log(`code-server ${CODE_SERVER_VERSION}: present (${paths.csPrefix})`);
    return;
  }
  const start = Date.now();
  log(`code-server ${CODE_SERVER_VERSION}: installing into ${paths.csPrefix} (compiles native modules, about 80 s on 2 cores)`);
  // A half-finished install (interrupted build) is not trusted: start over.
  rmSync(paths.csPrefix, { recursive: true, force: true });
  mkdirSync(paths.csPrefix, { recursive: true });
  const env = codeServerInstallEnv(process.env, paths.node24Root);
  run('install code-server', 'npm', ['install', '--no-audit', '--no-fund', '--prefix', paths.csPrefix, `code-server@${CODE_SERVER_VERSION}`], { env });
  if (!existsSync(paths.csEntry)) throw new SetupError(`install code-server: ${paths.csEntry} is missing after npm install`);
  // Its own config and XDG folders: code-server otherwise writes ~/.config/code-server and ~/.local/share.
  const check = join(paths.cache, 'runs', 'setup-check');
  mkdirSync(check, { recursive: true });
  writeFileSync(join(check, 'config.yaml'), 'auth: none\n');
  const version = spawnSync(paths.node, [paths.csEntry, '--config', join(check, 'config.yaml'), '--version'], {
    encoding: 'utf8',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: check, XDG_CONFIG_HOME: check, XDG_CACHE_HOME: check, TMPDIR: check },
  });
  rmSync(check, { recursive: true, force: true });
  if (version.status !== 0 || !version.stdout.includes(`${CODE_SERVER_VERSION} `)) {
    throw new SetupError(`install code-server: \`code-server --version\` failed: ${`${version.stdout}\n${version.stderr}`.trim().slice(0, 2000)}`);
  }
  writeFileSync(paths.csMarker, `${JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, at: new Date().toISOString() })}\n`);
  log(`code-server ${CODE_SERVER_VERSION}: done in ${seconds(start)}`);
}

/**
 * Makes sure Chromium, Node 24 and code-server are installed; returns their paths.
 * @param {{ log?: (line: string) => void, withFonts?: boolean, cache?: string }} [options]
 */
export function ensureE2eTools(options = {}) {
  const log = options.log ?? ((line) => process.stdout.write(`setup:e2e  ${line}\n`));
  const paths = e2ePaths(options.cache);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(`the end-to-end setup supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const start = Date.now();
  log(`cache ${paths.cache}`);
  mkdirSync(paths.cache, { recursive: true });
  ensureDebianPackages(log, { withFonts: options.withFonts ?? true });
  ensureNode24(log, paths);
  ensureCodeServer(log, paths);
  log(`ready in ${seconds(start)}`);
  return paths;
}
