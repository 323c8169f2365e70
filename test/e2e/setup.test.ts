import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { projectRoot, tools, type Tools } from './helpers/tools';

// The code-server install runs inside `npm test` / `npm run demo`, under an outer npm on the machine's Node 20.
// That npm hands its own description to every child (npm_config_user_agent naming node/v20, its node-gyp, its
// prefix), and an inner npm takes those variables as its configuration. code-server's postinstall reads the
// Node version from npm_config_user_agent and refuses anything but 24. A stand-in package runs the same check
// here, installed the way the setup installs code-server, in seconds instead of minutes.

type InstallEnv = (base: NodeJS.ProcessEnv, node24Root: string) => NodeJS.ProcessEnv;

const POSTINSTALL = `#!/usr/bin/env sh
set -eu
# The check code-server's postinstall.sh makes, then what really ran this script.
major=$(echo "$npm_config_user_agent" | sed -n 's/.*node\\/v\\([^.]*\\).*/\\1/p')
if [ "$major" != "24" ]; then
  echo "ERROR: stand-in requires node v24, npm_config_user_agent says v$major" >&2
  exit 1
fi
node -e 'require("fs").writeFileSync(process.env.STANDIN_REPORT, JSON.stringify({ node: process.version, agent: process.env.npm_config_user_agent, nodedir: process.env.npm_config_nodedir }))'
`;

describe('setup: the code-server install under an outer npm run on Node 20', () => {
  let t: Tools;
  let installEnv: InstallEnv;
  let dir: string;
  let tarball: string;
  // What `npm run …` on Node 20 puts in its scripts' environment (as read on this machine's npm 11).
  const outer: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_config_prefix: '/usr',
    npm_config_local_prefix: projectRoot(),
    npm_config_nodedir: '/usr',
    npm_node_execpath: '/usr/bin/node',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_lifecycle_event: 'test',
    NODE: '/usr/bin/node',
  };

  before(async () => {
    t = await tools();
    ({ codeServerInstallEnv: installEnv } = (await import(pathToFileURL(join(projectRoot(), 'scripts', 'lib', 'setup.mjs')).href)) as { codeServerInstallEnv: InstallEnv });
    dir = mkdtempSync(join(tmpdir(), 'modelarts-setup-'));
    const pkg = join(dir, 'standin');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'code-server-standin', version: '1.0.0', scripts: { postinstall: 'sh ./postinstall.sh' } }));
    writeFileSync(join(pkg, 'postinstall.sh'), POSTINSTALL);
    const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr);
    tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  function install(env: NodeJS.ProcessEnv, name: string): { status: number | null; output: string; report?: { node: string; agent: string; nodedir: string } } {
    const prefix = join(dir, name);
    const report = join(dir, `${name}.json`);
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, tarball], {
      env: { ...env, STANDIN_REPORT: report },
      encoding: 'utf8',
      timeout: 120_000,
    });
    let parsed;
    try {
      parsed = JSON.parse(readFileSync(report, 'utf8')) as { node: string; agent: string; nodedir: string };
    } catch {
      parsed = undefined;
    }
    return { status: result.status, output: `${result.stdout}${result.stderr}`, report: parsed };
  }

  it('with the outer variables left in place (as before the fix), the version check sees Node 20 and fails', () => {
    const { PATH, ...rest } = outer;
    const naive = { ...rest, PATH: `${join(t.paths.node24Root, 'bin')}:${PATH ?? ''}`, npm_config_nodedir: t.paths.node24Root, npm_config_dangerously_allow_all_scripts: 'true' };
    const result = install(naive, 'naive');
    assert.notEqual(result.status, 0, 'the install fails');
    assert.match(result.output, /requires node v24, npm_config_user_agent says v20/);
  });

  it('with the setup\'s environment, the install runs on Node 24 and its scripts see Node 24', () => {
    const result = install(installEnv(outer, t.paths.node24Root), 'fixed');
    assert.equal(result.status, 0, result.output);
    assert.ok(result.report, 'the postinstall script ran');
    assert.match(result.report.node, /^v24\./);
    assert.match(result.report.agent, /node\/v24\./);
    assert.equal(result.report.nodedir, t.paths.node24Root, 'native modules build against Node 24\'s headers');
  });

  it('keeps what the user configured and drops only what describes the outer npm', () => {
    const env = installEnv({ ...outer, npm_config_registry: 'https://registry.example.test/', HTTPS_PROXY: 'http://proxy.example.test:3128' }, t.paths.node24Root);
    assert.equal(env.npm_config_registry, 'https://registry.example.test/');
    assert.equal(env.HTTPS_PROXY, 'http://proxy.example.test:3128');
    for (const key of ['npm_config_user_agent', 'npm_config_node_gyp', 'npm_config_prefix', 'npm_config_local_prefix', 'npm_node_execpath', 'npm_execpath', 'npm_lifecycle_event', 'NODE']) {
      assert.equal(env[key], undefined, `${key} is dropped`);
    }
    assert.ok(env.PATH?.startsWith(join(t.paths.node24Root, 'bin')), 'Node 24 is first on PATH');
  });
});
