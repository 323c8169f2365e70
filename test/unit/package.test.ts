import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { PackageManager, listFiles } from '@vscode/vsce';
import { transformSync } from 'esbuild';
import { jsonStrings } from './helpers/manifest';

// What `npm run package` puts in the .vsix, read with vsce's own file listing (the same .vscodeignore
// rules, without building a package), and the marketplace metadata of package.json. The bundles must be
// built first (`npm run build`; `npm test` does it); the marketplace README is made here as `npm run package`
// makes it.

const ROOT = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The only files a .vsix may hold (vsce adds its own manifest files around them). */
const ALLOWED: readonly RegExp[] = [
  /^dist\/(extension|emulator|yaml|specCheck|sshFeature|dailyLoop)\.js$/,
  /^dist\/webview\/dashboardView\.(js|css)$/,
  /^media\/(?!screenshots\/)[^/]+(\/[^/]+)*$/,
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
  /^schemas\/[^/]+\.json$/,
  /^dist\/README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
];

const outsideAllowlist = (files: readonly string[]): string[] => files.filter((file) => !ALLOWED.some((re) => re.test(file)));

/** The README `npm run package` packs (`--readme-path`): README.md's user sections, made by scripts/marketplaceReadme.mjs. */
const README_PATH = 'dist/README.md';

// vsce's listFiles hands its options to the packager, which reads `readmePath` (its public typings omit it);
// the listing holding dist/README.md, which .vscodeignore leaves out, shows that it was read.
const list = (cwd: string): Promise<string[]> => {
  const options = { cwd, packageManager: PackageManager.None, readmePath: README_PATH };
  return listFiles(options);
};

/** Files package.json points at (entry point, icons, schemas, walkthrough media): each must ship. */
function referencedFiles(value: unknown): Set<string> {
  return new Set(jsonStrings(value).flatMap((text) => /^(?:\.\/)?((?:dist|media|schemas|l10n)\/[^\s*]+\.[a-z]+)$/.exec(text)?.[1] ?? []));
}

/**
 * A .vsix is a zip: each file deflated, plus about 100 bytes of headers per file and vsce's two XML files. The
 * bundles are counted minified, as `npm run package` builds them, whichever build dist/ holds now.
 */
function estimatedVsixBytes(files: readonly string[]): number {
  const shipped = (file: string): Buffer => {
    const bytes = readFileSync(join(ROOT, file));
    return /^dist\/.+\.js$/.test(file) ? Buffer.from(transformSync(bytes.toString('utf8'), { minify: true, loader: 'js', format: 'cjs' }).code) : bytes;
  };
  return files.reduce((sum, file) => sum + deflateRawSync(shipped(file), { level: 9 }).length + 100 + 2 * file.length, 4_000);
}

function write(dir: string, file: string, text = 'x'): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

describe('package: the .vsix contents', () => {
  before(() => {
    const made = spawnSync(process.execPath, [join(ROOT, 'scripts', 'marketplaceReadme.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
  });

  it('ships only the bundles, media without screenshots, manifest and nls files, l10n, schemas, README, CHANGELOG and LICENSE', async () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'extension.js')), 'dist/extension.js is missing: run npm run build first');
    const files = await list(ROOT);
    assert.deepEqual(outsideAllowlist(files), []);
    // Every feature bundle esbuild.mjs builds apart is loaded at run time: each must ship.
    const apart = [...readFileSync(join(ROOT, 'esbuild.mjs'), 'utf8').matchAll(/\{ name: '([A-Za-z]+)', entry: '[^']+'(?:, bundle: '([A-Za-z]+)')? \}/g)].map((m) => `dist/${m[2] ?? m[1]}.js`);
    assert.ok(apart.includes('dist/sshFeature.js') && apart.includes('dist/dailyLoop.js') && apart.length === 6, apart.join(', '));
    for (const required of [...apart, 'dist/extension.js', 'dist/emulator.js', 'dist/yaml.js', 'dist/webview/dashboardView.js', 'dist/webview/dashboardView.css', 'package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', README_PATH, 'CHANGELOG.md', 'LICENSE']) {
      assert.ok(files.includes(required), `ships ${required}`);
    }
    // The whole README.md stays out: its developer sections matter only in the repository.
    assert.ok(!files.includes('README.md'), 'README.md stays out');
    assert.ok(statSync(join(ROOT, 'README.md')).size > statSync(join(ROOT, README_PATH)).size, 'control: README.md exists and is the larger');
    const referenced = [...referencedFiles(pkg)];
    // Positive control: the search sees the entry point, the icon and the spec schema.
    for (const sample of ['dist/extension.js', 'media/icon.png', 'schemas/training-job-spec.schema.json']) assert.ok(referenced.includes(sample), `finds ${sample}`);
    for (const file of referenced) assert.ok(files.includes(file), `package.json refers to ${file}: it must ship`);
    assert.ok(!files.some((file) => file.startsWith('media/screenshots/')), 'README screenshots stay out');
    assert.ok(existsSync(join(ROOT, 'media', 'screenshots', 'demo-tree.png')), 'control: the screenshots exist, so their absence above means something');
  });

  it('the allowlist check fails on files a weaker .vscodeignore lets in (positive control)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelarts-vsix-'));
    try {
      copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
      copyFileSync(join(ROOT, '.vscodeignore'), join(dir, '.vscodeignore'));
      const planted = ['src/extension.ts', 'test/unit/x.test.ts', 'dist/extension.js.map', 'out/src/x.js', 'media/screenshots/demo-tree.png', '.vscode/settings.json', 'bench/results.json', 'scripts/drawIcon.mjs', 'tsconfig.json'];
      for (const file of [...planted, 'README.md', 'dist/extension.js', 'media/icon.png', README_PATH]) write(dir, file);
      assert.deepEqual((await list(dir)).sort(), [README_PATH, 'dist/extension.js', 'media/icon.png', 'package.json']);
      // Without the leading `**`, everything planted would ship, and the check says so.
      writeFileSync(join(dir, '.vscodeignore'), readFileSync(join(ROOT, '.vscodeignore'), 'utf8').replace(/^\*\*$/m, ''));
      assert.deepEqual(outsideAllowlist(await list(dir)).sort(), [...planted, 'README.md'].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stays under the 400 KB bar (estimated from the listed files; the packaged file when present)', async () => {
    const files = await list(ROOT);
    const bytes = estimatedVsixBytes(files);
    assert.ok(bytes > 50_000, 'the estimate counts the bundles');
    assert.ok(bytes < 400 * 1024, `${(bytes / 1024).toFixed(1)} KB`);
    const vsix = join(ROOT, 'dist', 'modelarts-explorer.vsix');
    const built = existsSync(vsix) ? `; dist/modelarts-explorer.vsix: ${(statSync(vsix).size / 1024).toFixed(1)} KB` : '';
    console.log(`.vsix: ${files.length} files, about ${(bytes / 1024).toFixed(1)} KB${built}`);
  });
});

describe('package: marketplace metadata', () => {
  const CATEGORIES = ['Programming Languages', 'Snippets', 'Linters', 'Themes', 'Debuggers', 'Formatters', 'Keymaps', 'SCM Providers', 'Other', 'Extension Packs', 'Language Packs', 'Data Science', 'Machine Learning', 'Visualization', 'Notebooks', 'Education', 'Testing', 'AI', 'Chat'];

  it('has a 128x128 PNG icon', () => {
    const png = readFileSync(join(ROOT, pkg.icon));
    assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('names the gallery banner, categories, keywords, repository, bugs, homepage, license and pricing', () => {
    assert.match(pkg.displayName, /^ModelArts Explorer$/);
    assert.match(pkg.galleryBanner.color, /^#[0-9A-Fa-f]{6}$/);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
    for (const category of pkg.categories) assert.ok(CATEGORIES.includes(category), `category ${category}`);
    assert.ok(pkg.keywords.length > 5 && pkg.keywords.length <= 30, `${pkg.keywords.length} keywords (the marketplace keeps at most 30 tags)`);
    assert.equal(new Set(pkg.keywords).size, pkg.keywords.length, 'no keyword twice');
    const repo = `https://github.com/${pkg.publisher}/${pkg.name}`;
    assert.deepEqual(pkg.repository, { type: 'git', url: `${repo}.git` });
    assert.equal(pkg.bugs.url, `${repo}/issues`);
    assert.equal(pkg.homepage, `${repo}#readme`);
    assert.equal(pkg.license, 'MIT');
    assert.match(readFileSync(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.equal(pkg.pricing, 'Free');
  });
});
