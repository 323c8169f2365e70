import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// The README `npm run package` packs (scripts/marketplaceReadme.mjs): README.md's user sections, its links
// made absolute into the repository, the developer sections only linked. Checked here on the script's output
// for the README.md of the repository, and for altered copies of it.

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'marketplaceReadme.mjs');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'modelarts-marketplace-readme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** The script's output for this README text (exit status, text, error output). */
function generate(text: string, ...flags: string[]): { status: number | null; text: string; stderr: string } {
  const input = join(dir, `in-${++runs}.md`);
  const out = join(dir, `out-${runs}.md`);
  writeFileSync(input, text);
  const run = spawnSync(process.execPath, [SCRIPT, '--readme', input, '--out', out, ...flags], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, text: existsSync(out) ? readFileSync(out, 'utf8') : '', stderr: run.stderr };
}

/** Headings of a level, outside fenced code. */
function headings(text: string, level: number): string[] {
  let fenced = false;
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : new RegExp(`^#{${level}}\\s+(.*)$`).exec(line);
    if (m) found.push(m[1].trim());
  }
  return found;
}

/** GitHub's anchors for a text's headings (written apart from the script's, to check it). */
const anchorsOf = (text: string): Set<string> =>
  new Set([1, 2, 3, 4, 5, 6].flatMap((level) => headings(text, level)).map((title) => title.toLowerCase().replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '').replace(/ /g, '-')));

/** Markdown links and images outside fenced code and code spans. */
function links(text: string): Array<{ image: boolean; target: string }> {
  let fenced = false;
  const found: Array<{ image: boolean; target: string }> = [];
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const prose = line.replace(/`+[^`]*?`+/g, '');
    for (const m of prose.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)) found.push({ image: m[1] === '!', target: m[2] });
  }
  return found;
}

const project = /github\.com\/([^/]+\/[^/]+?)(?:\.git)?$/.exec(pkg.repository.url)![1];
const CONTENT = `https://github.com/${project}/blob/HEAD/`;
const IMAGES = `https://github.com/${project}/raw/HEAD/`;

const USER_SECTIONS = ['What it does', 'Install', 'Sign in', 'Demo mode', 'Using the explorer', 'Proxies', 'Troubleshooting', 'Privacy: what is stored where', 'Security'];
const USER_SUBSECTIONS = ['In Chinese (简体中文)', 'Getting started walkthrough', 'The OBS view', 'Run your code on ModelArts', "Watch a job's dashboard", 'Commands', 'Language model tools (agents)', 'Connect via SSH', 'Settings'];
const DEVELOPER_SECTIONS = ['Reliability', 'Performance', 'The emulator on its own', 'Developing', 'Scripts', 'Layout', 'The emulator and where the API reference is silent'];

describe('marketplace README (npm run package)', () => {
  const result = generate(readme);

  it('keeps the sections a user needs, in README order, and leaves out the developer ones', () => {
    assert.equal(result.status, 0, result.stderr);
    const sections = headings(result.text, 2);
    assert.deepEqual(sections, [...USER_SECTIONS, 'More in the repository']);
    const subsections = headings(result.text, 3);
    for (const title of USER_SUBSECTIONS) assert.ok(subsections.includes(title), `keeps ### ${title}`);
    // Control: README.md has every section, so their absence from the output is the script's doing.
    const source = headings(readme, 2);
    for (const title of [...USER_SECTIONS, ...DEVELOPER_SECTIONS]) assert.ok(source.includes(title), `README.md has ## ${title}`);
    assert.ok(source.some((title) => title.startsWith('Quick start')));
    for (const title of DEVELOPER_SECTIONS) assert.ok(!sections.includes(title), `leaves out ## ${title}`);
    assert.ok(!sections.some((title) => title.startsWith('Quick start')));
    for (const marker of ['<!-- reliability:start -->', 'npm run bench', '## Layout']) {
      assert.ok(readme.includes(marker) && !result.text.includes(marker), marker);
    }
    // The generated tables come along whole.
    for (const marker of ['<!-- commands:start -->', '<!-- commands:end -->', '<!-- settings:start -->', '<!-- settings:end -->']) assert.ok(result.text.includes(marker), marker);
    const bytes = Buffer.byteLength(result.text);
    assert.ok(bytes < Buffer.byteLength(readme) * 0.7, `${bytes} bytes`);
    console.log(`marketplace README: ${(bytes / 1024).toFixed(1)} KB of README.md's ${(Buffer.byteLength(readme) / 1024).toFixed(1)} KB`);
  });

  it('points to each left-out section in the repository', () => {
    const more = result.text.slice(result.text.indexOf('## More in the repository'));
    for (const title of DEVELOPER_SECTIONS) {
      const anchor = [...anchorsOf(`## ${title}`)][0];
      assert.ok(more.includes(`](${CONTENT}README.md#${anchor})`), title);
    }
    assert.match(more, /\]\(https:\/\/github\.com\/[^)]+README\.md#quick-start[^)]*\)/);
  });

  it('has no relative link left: each one reaches a heading of the page, a file or heading of the repository, or an https page', () => {
    const page = anchorsOf(result.text);
    const repository = anchorsOf(readme);
    const found = links(result.text);
    assert.ok(found.length > 20, `${found.length} links`);
    let inPage = 0;
    let images = 0;
    for (const { image, target } of found) {
      if (target.startsWith('#')) {
        assert.ok(!image);
        assert.ok(page.has(target.slice(1)), `${target} is a heading of the page`);
        inPage++;
      } else if (image) {
        // vsce's own rule for a marketplace page: https images, no SVG.
        assert.ok(target.startsWith(IMAGES), target);
        assert.ok(!/\.svg$/i.test(target), target);
        assert.ok(existsSync(join(ROOT, target.slice(IMAGES.length))), `${target}: the file is in the repository`);
        images++;
      } else if (target.startsWith(CONTENT)) {
        const [path, anchor] = target.slice(CONTENT.length).split('#');
        assert.ok(existsSync(join(ROOT, path)), `${target}: the file is in the repository`);
        if (anchor !== undefined && path === 'README.md') assert.ok(repository.has(anchor), `${target}: README.md has that heading`);
      } else {
        assert.match(target, /^(https:|mailto:)/, target);
      }
    }
    assert.ok(inPage > 3 && images > 5, `${inPage} in-page links, ${images} images`);
    // README.md itself links its screenshots relatively; those became repository URLs.
    assert.ok(links(readme).some(({ image, target }) => image && target.startsWith('media/')));
    // A link into a left-out section (Security's "checks of Reliability") now leads to the repository's README.
    assert.ok(readme.includes('](#reliability)') && !result.text.includes('](#reliability)'));
    assert.ok(result.text.includes(`](${CONTENT}README.md#reliability)`));
  });

  it('rewrites links as vsce would, except inside code spans, where vsce would change the text shown', async () => {
    // What vsce's own readme rewrite makes of the same selection with relative links (its default).
    const relative = generate(readme, '--relative');
    assert.equal(relative.status, 0, relative.stderr);
    const { ReadmeProcessor } = createRequire(__filename)('@vscode/vsce/out/package') as {
      ReadmeProcessor: new (manifest: unknown, options: object) => { onFile(file: { path: string; contents: Buffer }): Promise<{ contents: Buffer }> };
    };
    const processed = await new ReadmeProcessor(pkg, {}).onFile({ path: 'extension/readme.md', contents: Buffer.from(relative.text) });
    const byVsce = processed.contents.toString('utf8').split('\n');
    const ours = result.text.split('\n');
    assert.equal(byVsce.length, ours.length);
    const differing = ours.flatMap((line, i) => (line === byVsce[i] ? [] : [{ ours: line, vsce: byVsce[i] }]));
    // vsce rewrites `[Renew key pair](command:…)` inside a code span as if it were a link; the page must show it
    // as written.
    assert.ok(differing.length > 0, 'control: vsce changes some line');
    for (const { ours: line, vsce } of differing) {
      assert.match(vsce, /`[^`]*\]\(https:\/\/github\.com\/[^)]*\/blob\/HEAD\/command:/, `only code spans differ:\n${line}\n${vsce}`);
      assert.match(line, /`\[Renew key pair\]\(command:…\)`/);
    }
  });

  it('fails, naming the cause, on a section it was not told about, a missing file or an unknown anchor', () => {
    const unknown = generate(readme.replace('## Proxies', '## Something new\n\ntext\n\n## Proxies'));
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /"Something new" is neither kept nor left out/);
    const missingFile = generate(readme.replace('media/screenshots/demo-tree.png', 'media/screenshots/no-such.png'));
    assert.equal(missingFile.status, 1);
    assert.match(missingFile.stderr, /no-such\.png, which is not in the repository/);
    const missingAnchor = generate(readme.replace('](#troubleshooting)', '](#no-such-heading)'));
    assert.equal(missingAnchor.status, 1);
    assert.match(missingAnchor.stderr, /#no-such-heading, which no heading has/);
    const removed = generate(readme.replace('## Troubleshooting', '### Troubleshooting'));
    assert.equal(removed.status, 1);
    assert.match(removed.stderr, /no section "Troubleshooting"/);
  });

  it('is what `npm run package` hands to vsce, which then rewrites nothing', () => {
    const script: string = pkg.scripts.package;
    const generateAt = script.indexOf('node scripts/marketplaceReadme.mjs');
    const packAt = script.indexOf('vsce package');
    assert.ok(generateAt >= 0 && generateAt < packAt, script);
    assert.match(script.slice(packAt), /--readme-path dist\/README\.md\b/);
    assert.match(script.slice(packAt), /--no-rewrite-relative-links\b/);
    assert.match(readFileSync(join(ROOT, '.gitignore'), 'utf8'), /^dist\/$/m, 'dist/ is never committed');
  });
});
