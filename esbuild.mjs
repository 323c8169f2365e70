// Builds the extension bundle, the separate emulator bundle and (with --tests) the unit tests.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const args = new Set(argv);
const production = args.has('--production');
const quiet = args.has('--quiet');
// --tests transpiles src and test into --outdir (default out/) without bundling.
const testsOnly = args.has('--tests');
const outdir = argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'out';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  logLevel: quiet ? 'error' : 'info',
};

// Features loaded on first use, each a bundle of its own in dist/: the training job spec checker (when the
// first spec is checked), Connect via SSH, the OBS view and Run on ModelArts (their first use). The extension's `import('./specCheck')` and
// `import('./sshFeature')` become deferred requires of those files (plain require, not Node's ESM loader:
// `dynamic-import` is marked unsupported below).
// The OBS view, Run on ModelArts and the job dashboard share one bundle, dist/dailyLoop.js: they share the OBS
// client, the spec code and the UI helpers, and one bundle for the three is a third smaller than three.
const APART = [
  { name: 'specCheck', entry: 'src/commands/specs/specCheck.ts' },
  { name: 'sshFeature', entry: 'src/commands/notebooks/sshFeature.ts' },
  { name: 'obsFeature', entry: 'src/commands/obs/obsFeature.ts', bundle: 'dailyLoop' },
  { name: 'runFeature', entry: 'src/commands/run/runFeature.ts', bundle: 'dailyLoop' },
  { name: 'dashboardFeature', entry: 'src/commands/dashboard/dashboardFeature.ts', bundle: 'dailyLoop' },
  { name: 'toolsFeature', entry: 'src/commands/tools/toolsFeature.ts', bundle: 'dailyLoop' },
];
const bundleOf = (feature) => feature.bundle ?? feature.name;
const BUNDLES = [...new Set(APART.map(bundleOf))].map((name) => ({ name, entries: APART.filter((f) => bundleOf(f) === name).map((f) => f.entry) }));
const featuresApart = {
  name: 'features-apart',
  setup(build) {
    const filter = new RegExp(`^\\./(${APART.map((f) => f.name).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${bundleOf(APART.find((f) => `./${f.name}` === args.path))}.js`, external: true }));
  },
};
/** One feature bundle: its entry, or for several features one module that re-exports them all. */
const bundleEntry = (bundle) =>
  bundle.entries.length === 1
    ? { entryPoints: bundle.entries }
    : { stdin: { contents: bundle.entries.map((entry) => `export * from './${entry}';`).join('\n'), resolveDir: '.', sourcefile: `${bundle.name}.ts`, loader: 'ts' } };

// Libraries in bundles of their own, required on first use by every bundle that needs them: `__dirname` of a
// bundle is dist/, where they sit. YAML with the first spec parsed.
const LAZY_LIBRARIES = { yaml: './scripts/shims/yaml-lazy.cjs' };

if (!testsOnly) await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    // `__dirname` of the bundle is dist/, where the lazily loaded yaml.js sits.
    alias: LAZY_LIBRARIES,
    plugins: [featuresApart],
    supported: { 'dynamic-import': false },
  }),
  ...BUNDLES.map((bundle) =>
    esbuild.build({ ...common, ...bundleEntry(bundle), outfile: `dist/${bundle.name}.js`, external: ['vscode'], alias: LAZY_LIBRARIES }),
  ),
  esbuild.build({ ...common, entryPoints: ['scripts/shims/yaml-entry.cjs'], outfile: 'dist/yaml.js' }),
  esbuild.build({ ...common, entryPoints: ['src/emulator/main.ts'], outfile: 'dist/emulator.js' }),
  // The job dashboard's webview page: a browser bundle with uPlot inside, and its stylesheet (uPlot's included).
  esbuild.build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    sourcemap: !production,
    minify: production,
    logLevel: common.logLevel,
    entryPoints: { dashboardView: 'src/dashboard/view/main.ts' },
    outdir: 'dist/webview',
  }),
  esbuild.build({
    bundle: true,
    minify: production,
    logLevel: common.logLevel,
    entryPoints: { dashboardView: 'src/dashboard/view/dashboard.css' },
    outdir: 'dist/webview',
  }),
]);

if (testsOnly) {
  // Tests run as plain CommonJS files; each test file is transpiled on its own and keeps its imports. The
  // VS Code bench's parsers (bench/vscode) come along for their unit tests.
  const listTs = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listTs(path);
      return path.endsWith('.ts') ? [path] : [];
    });
  rmSync(outdir, { recursive: true, force: true });
  const transpile = (entryPoints, options = {}) =>
    esbuild.build({
      entryPoints,
      outdir,
      outbase: '.',
      bundle: false,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      sourcemap: 'inline',
      logLevel: quiet ? 'error' : 'warning',
      ...options,
    });
  // As in the bundle, src's `import('./specCheck')` is a deferred require (Node's ESM loader would want the
  // file's extension); tests keep real dynamic imports, of .mjs files.
  await Promise.all([transpile(listTs('src'), { supported: { 'dynamic-import': false } }), transpile([...listTs('test'), ...listTs('bench/vscode')])]);
}
