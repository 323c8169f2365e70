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
  alias: { 'whatwg-url': './scripts/shims/whatwg-url.cjs' },
};

// Features loaded on first use, each a bundle of its own in dist/: the training job spec checker (when the
// first spec is checked), Connect via SSH, the OBS view and Run on ModelArts (their first use). The extension's `import('./specCheck')` and
// `import('./sshFeature')` become deferred requires of those files (plain require, not Node's ESM loader:
// `dynamic-import` is marked unsupported below).
const APART = [
  { name: 'specCheck', entry: 'src/commands/specs/specCheck.ts' },
  { name: 'sshFeature', entry: 'src/commands/notebooks/sshFeature.ts' },
  { name: 'obsFeature', entry: 'src/commands/obs/obsFeature.ts' },
  { name: 'runFeature', entry: 'src/commands/run/runFeature.ts' },
  { name: 'dashboardFeature', entry: 'src/commands/dashboard/dashboardFeature.ts' },
];
const featuresApart = {
  name: 'features-apart',
  setup(build) {
    const filter = new RegExp(`^\\./(${APART.map((f) => f.name).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `${args.path}.js`, external: true }));
  },
};

if (!testsOnly) await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    // `__dirname` of the bundle is dist/, where the lazily loaded yaml.js sits.
    alias: { ...common.alias, yaml: './scripts/shims/yaml-lazy.cjs' },
    plugins: [featuresApart],
    supported: { 'dynamic-import': false },
  }),
  ...APART.map((feature) =>
    esbuild.build({ ...common, entryPoints: [feature.entry], outfile: `dist/${feature.name}.js`, external: ['vscode'], alias: { ...common.alias, yaml: './scripts/shims/yaml-lazy.cjs' } }),
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
    outdir: 'dist',
  }),
  esbuild.build({
    bundle: true,
    minify: production,
    logLevel: common.logLevel,
    entryPoints: { dashboardView: 'src/dashboard/view/dashboard.css' },
    outdir: 'dist',
  }),
]);

if (testsOnly) {
  // Tests run as plain CommonJS files; each test file is transpiled on its own and keeps its imports.
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
  await Promise.all([transpile(listTs('src'), { supported: { 'dynamic-import': false } }), transpile(listTs('test'))]);
}
