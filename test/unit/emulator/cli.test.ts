import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { after, before, describe, it } from 'node:test';
import { UsageError, parseArgs } from '../../../src/emulator/main';
import { adminFetch, issueToken, signedFetch, type EmulatorTarget } from '../helpers/emulatorHelpers';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'emulator.js');

interface Running {
  child: ChildProcessWithoutNullStreams;
  firstLine: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Every emulator spawned here: a failed assertion must not leave one running (the test run would wait for it). */
const spawned = new Set<ChildProcessWithoutNullStreams>();

/** Spawns the bundled emulator and resolves with its first stdout line. */
function spawnEmulator(args: string[], ready = (out: string): boolean => out.includes('\n')): Promise<Running> {
  const child = spawn(process.execPath, [BUNDLE, ...args], { cwd: ROOT });
  spawned.add(child);
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ready line within 10 s; stderr: ${err}`));
    }, 10_000);
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready(out)) {
        clearTimeout(timer);
        resolve({ child, firstLine: out.slice(0, out.indexOf('\n')), stdout: () => out, stderr: () => err, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready; stderr: ${err}`));
    });
  });
}

describe('emulator CLI arguments', () => {
  it('parses every flag, with spaces or =', () => {
    assert.deepEqual(parseArgs(['--port', '8080', '--iam-port=8081', '--seed', 'empty', '--jobs', '10000', '--time-scale', '60', '--json']), {
      emulator: { port: 8080, iamPort: 8081, seed: 'empty', jobs: 10000, timeScale: 60 },
      json: true,
      help: false,
    });
    assert.deepEqual(parseArgs(['--running-jobs', '20', '--running-notebooks=5']), { emulator: { runningJobs: 20, runningNotebooks: 5 }, json: false, help: false });
    assert.deepEqual(parseArgs([]), { emulator: {}, json: false, help: false });
    assert.equal(parseArgs(['--help']).help, true);
  });

  it('rejects bad flags with a clear message', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'eighty'], /--port needs an integer from 0 to 65535/],
      [['--port', '70000'], /--port needs an integer/],
      [['--port'], /got nothing/],
      [['--seed', 'full'], /--seed must be demo or empty/],
      [['--jobs', '-1'], /--jobs needs an integer/],
      [['--running-jobs', '1001'], /--running-jobs needs an integer from 0 to 1000/],
      [['--time-scale', '0'], /--time-scale needs a positive number/],
      [['--json=yes'], /--json takes no value/],
      [['--verbose'], /unknown argument: --verbose/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(() => parseArgs(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
    }
  });
});

describe('emulator CLI process', () => {
  after(() => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  before(() => {
    // Bundles dist/emulator.js (and dist/extension.js) the way `npm run emulator` does; when the extension
    // bundle cannot be built, the emulator bundle alone is enough here.
    try {
      execFileSync(process.execPath, ['esbuild.mjs', '--quiet'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      buildSync({ entryPoints: [join(ROOT, 'src/emulator/main.ts')], outfile: BUNDLE, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
    }
  });

  it('prints exactly one JSON line when ready, serves signed requests, and exits 0 on SIGTERM', async () => {
    const run = await spawnEmulator(['--json', '--port', '0']);
    const ready = JSON.parse(run.firstLine) as Record<string, string>;
    assert.deepEqual(Object.keys(ready), ['endpoint', 'iamEndpoint', 'obsEndpoint', 'region', 'projectId', 'ak', 'sk', 'username', 'password', 'domain', 'adminToken']);
    assert.match(ready.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.iamEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.obsEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const probe = await fetch(`${ready.obsEndpoint}/?apiversion`, { method: 'HEAD' });
    assert.equal(probe.headers.get('x-obs-api'), '3.0', 'the OBS listener answers');
    const target: EmulatorTarget = {
      endpoint: ready.endpoint,
      iamEndpoint: ready.iamEndpoint,
      projectId: ready.projectId,
      region: ready.region,
      credentials: { ak: ready.ak, sk: ready.sk, username: ready.username, password: ready.password, domain: ready.domain },
      clock: { now: () => Date.now() },
    };
    const res = await signedFetch(target, 'GET', '/v1/{pid}/workspaces');
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.workspaces.length >= 3);
    assert.ok((await issueToken(target)).length > 0);
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0);
    assert.equal(run.stdout(), `${run.firstLine}\n`, 'nothing else on stdout');
    await assert.rejects(signedFetch(target, 'GET', '/v1/{pid}/workspaces'), /ECONNREFUSED/);
  });

  it('prints a summary without --json, serves the empty seed, and exits 0 on SIGINT', async () => {
    const run = await spawnEmulator(['--seed', 'empty'], (out) => out.includes('Press Ctrl+C to stop.\n'));
    assert.equal(run.firstLine, 'ModelArts emulator ready');
    const endpoint = /ModelArts endpoint\s+(\S+)/.exec(run.stdout())?.[1];
    assert.ok(endpoint, run.stdout());
    assert.match(run.stdout(), /OBS endpoint\s+http:\/\/127\.0\.0\.1:\d+ /);
    const adminToken = /X-Admin-Token: (\S+)/.exec(run.stdout())?.[1];
    assert.ok(adminToken, run.stdout());
    const health = await fetch(`${endpoint}/__admin/health`, { headers: { 'X-Admin-Token': adminToken } });
    assert.equal(health.status, 200);
    const target: EmulatorTarget = {
      endpoint: endpoint,
      iamEndpoint: '',
      projectId: ((await health.json()) as { projectId: string }).projectId,
      region: 'cn-north-4',
      credentials: { ak: 'EMUDEMOAKEXAMPLE0001', sk: 'EmuDemoSecretKeyExample00000000000000001', username: '', password: '', domain: '' },
      clock: { now: () => Date.now() },
    };
    const workspaces = await signedFetch(target, 'GET', '/v1/{pid}/workspaces');
    assert.deepEqual(workspaces.json.workspaces.map((w: { id: string }) => w.id), ['0']);
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 0);
  });

  it('[Q25] the --json line carries a new admin token each run, and the admin route wants it', async () => {
    const runs = [await spawnEmulator(['--json', '--port', '0']), await spawnEmulator(['--json', '--port', '0'])];
    try {
      const [first, second] = runs.map((run) => JSON.parse(run.firstLine) as Record<string, string>);
      assert.match(first.adminToken ?? '', /^[0-9a-f]{64}$/, runs[0].firstLine);
      assert.notEqual(first.adminToken, second.adminToken);
      const target = { endpoint: first.endpoint, adminToken: first.adminToken };
      assert.equal((await adminFetch(target, 'GET', '/__admin/health')).status, 200);
      const refused = await adminFetch(target, 'GET', '/__admin/health', { headers: { 'X-Admin-Token': second.adminToken } });
      assert.equal(refused.status, 401, refused.text);
      assert.equal((await adminFetch(target, 'GET', '/__admin/health', { headers: { 'X-Admin-Token': '' } })).status, 401);
    } finally {
      for (const run of runs) run.child.kill('SIGTERM');
      await Promise.all(runs.map((run) => run.exit));
    }
  });

  it('exits 2 with a message on stderr for a bad flag', () => {
    let status: number | null = null;
    let stderr = '';
    let stdout = '';
    try {
      execFileSync(process.execPath, [BUNDLE, '--port', 'abc'], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const e = error as { status: number | null; stderr: Buffer; stdout: Buffer };
      status = e.status;
      stderr = e.stderr.toString();
      stdout = e.stdout.toString();
    }
    assert.equal(status, 2);
    assert.match(stderr, /--port needs an integer/);
    assert.match(stderr, /Usage:/);
    assert.equal(stdout, '');
  });
});
