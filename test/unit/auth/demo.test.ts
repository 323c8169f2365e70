import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { after, before, describe, it } from 'node:test';
import { createClient } from '../../../src/api/client';
import { DEMO_TIME_SCALE, demoAutoStart, demoEmulatorOptions, emulatorBundlePath, loadEmulator } from '../../../src/auth/demo';
import { englishL10n as l10n } from '../../../src/common/translate';

// Demo mode loads the emulator from its own bundle at run time: the bundle must export startEmulator without
// starting the CLI, and the extension's code must not pull the emulator in.

const ROOT = join(__dirname, '..', '..', '..', '..');
const DIST_EMULATOR = join(ROOT, 'dist', 'emulator.js');
/** A string only the emulator's code contains (its demo secret key). */
const EMULATOR_MARKER = 'EmuDemoSecretKeyExample';

describe('demo emulator options', () => {
  it('loopback on free ports, no admin route, the demo seed and a fast clock', () => {
    assert.deepEqual(demoEmulatorOptions({}), {
      options: { host: '127.0.0.1', port: 0, iamPort: 0, seed: 'demo', timeScale: DEMO_TIME_SCALE, admin: false },
      problems: [],
    });
    // A notebook's 20 emulated seconds of STARTING take a few real seconds.
    assert.ok(20 / DEMO_TIME_SCALE <= 5);
  });

  it('adds MODELARTS_EXPLORER_DEMO_JOBS scale jobs; ignores a bad value with a reason', () => {
    assert.equal(demoEmulatorOptions({ MODELARTS_EXPLORER_DEMO_JOBS: '10000' }).options.jobs, 10_000);
    assert.equal(demoEmulatorOptions({ MODELARTS_EXPLORER_DEMO_JOBS: ' 0 ' }).options.jobs, 0);
    for (const bad of ['ten', '-5', '1.5', '2000000']) {
      const { options, problems } = demoEmulatorOptions({ MODELARTS_EXPLORER_DEMO_JOBS: bad });
      assert.equal(options.jobs, undefined, bad);
      assert.match(problems.join(), /MODELARTS_EXPLORER_DEMO_JOBS=.* ignored: it must be a whole number from 0 to 1000000/, bad);
    }
  });

  it('starts by itself only with MODELARTS_EXPLORER_DEMO=1 (or true)', () => {
    assert.equal(demoAutoStart({ MODELARTS_EXPLORER_DEMO: '1' }), true);
    assert.equal(demoAutoStart({ MODELARTS_EXPLORER_DEMO: 'true' }), true);
    assert.equal(demoAutoStart({ MODELARTS_EXPLORER_DEMO: '0' }), false);
    assert.equal(demoAutoStart({}), false);
  });
});

describe('demo emulator loading from dist/emulator.js', { timeout: 60_000 }, () => {
  let extensionPath = '';
  before(() => {
    // `node esbuild.mjs` as the brief and `npm run emulator` build it; when the extension bundle cannot be built
    // (another part mid-edit), the emulator bundle alone, with the same settings.
    try {
      execFileSync(process.execPath, ['esbuild.mjs', '--quiet'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      buildSync({ entryPoints: [join(ROOT, 'src/emulator/main.ts')], outfile: DIST_EMULATOR, bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'error' });
    }
    // A private copy laid out like an installed extension, so parallel test files rebuilding dist/ do not race.
    extensionPath = mkdtempSync(join(tmpdir(), 'modelarts-demo-'));
    mkdirSync(join(extensionPath, 'dist'));
    copyFileSync(DIST_EMULATOR, emulatorBundlePath(extensionPath));
  });
  after(() => rmSync(extensionPath, { recursive: true, force: true }));

  it('exports startEmulator, does not run the CLI when loaded, and serves the demo seed with scale jobs', async () => {
    // In a fresh process: a bundle that started its CLI on require would print and keep listening (timeout).
    const probe = `const m = require(${JSON.stringify(emulatorBundlePath(extensionPath))}); process.stdout.write(Object.keys(m).sort().join(','));`;
    const exported = execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 10_000 });
    assert.match(exported, /(^|,)startEmulator(,|$)/);
    assert.match(exported, /(^|,)parseArgs(,|$)/);

    const loaded = loadEmulator(emulatorBundlePath(extensionPath), l10n);
    assert.equal(typeof loaded.startEmulator, 'function');

    const { options } = demoEmulatorOptions({ MODELARTS_EXPLORER_DEMO_JOBS: '30' });
    const emu = await loaded.startEmulator(options);
    const client = createClient({ region: emu.region, endpoint: emu.endpoint, iamEndpoint: emu.iamEndpoint, credentials: { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk } });
    try {
      assert.match(emu.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      const workspaces = await client.workspaces.list().loadNext();
      assert.ok(workspaces.length >= 3, 'the demo seed');
      const jobs = client.trainingJobs.search({ pageSize: 50 });
      await jobs.loadNext();
      assert.ok((jobs.total ?? 0) >= 30, `scale jobs present (total ${String(jobs.total)})`);
    } finally {
      client.dispose();
      await emu.close();
    }
  });

  it('says clearly when the bundle is missing or is not the emulator', () => {
    assert.throws(() => loadEmulator(join(extensionPath, 'dist', 'nothing.js'), l10n), /The demo emulator is missing from this installation: .*nothing\.js was not found\./);
    const other = join(extensionPath, 'dist', 'other.js');
    writeFileSync(other, 'module.exports = { hello: 1 };');
    assert.throws(() => loadEmulator(other, l10n), /does not provide the demo emulator \(startEmulator is missing\)/);
    const broken = join(extensionPath, 'dist', 'broken.js');
    writeFileSync(broken, 'throw new Error("boom");');
    assert.throws(() => loadEmulator(broken, l10n), /could not be loaded from .*broken\.js: boom/);
  });

  it('keeps the emulator out of the extension code (the demo loader included)', () => {
    const bundle = (entry: string): { text: string; inputs: Record<string, { bytesInOutput: number }> } => {
      const result = buildSync({
        entryPoints: [join(ROOT, entry)],
        absWorkingDir: ROOT,
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'cjs',
        target: 'node18',
        external: ['vscode'],
        logLevel: 'error',
      });
      return { text: result.outputFiles[0].text, inputs: Object.values(result.metafile.outputs)[0].inputs };
    };
    const emulatorFiles = (inputs: Record<string, unknown>): string[] => Object.keys(inputs).filter((path) => path.startsWith('src/emulator/'));
    // Positive control: the search finds the emulator where it is.
    const emulator = bundle('src/emulator/main.ts');
    assert.ok(emulator.text.includes(EMULATOR_MARKER));
    assert.ok(emulatorFiles(emulator.inputs).length > 5);

    const auth = bundle('src/auth/sessionManager.ts');
    assert.deepEqual(emulatorFiles(auth.inputs), [], 'no emulator module in the sign-in code');
    assert.ok(!auth.text.includes(EMULATOR_MARKER));
    const authBytes = Object.entries(auth.inputs)
      .filter(([path]) => path.startsWith('src/auth/'))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
    assert.ok(authBytes < 80_000, `src/auth adds ${authBytes} bytes (unminified)`);
    const extension = join(ROOT, 'dist', 'extension.js');
    if (existsSync(extension)) assert.ok(!readFileSync(extension, 'utf8').includes(EMULATOR_MARKER), 'dist/extension.js has no emulator code');
  });
});
