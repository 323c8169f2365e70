// The README the .vsix carries (the marketplace page and VS Code's extension page), made from README.md so
// that README.md stays the one source: its sections a user needs, chosen by their `## ` heading, and a closing
// list of the rest with links into the repository's README. Every `## ` heading must be named below as kept or
// left out, so a new section is a decision, not an accident.
//
// Relative links are rewritten here, as vsce would (the repository's blob/raw URLs from package.json's
// `repository`), but outside code only: vsce's own rewrite also changes `[text](command:…)` inside a code span.
// `npm run package` therefore hands this file to vsce with --no-rewrite-relative-links.
//
//   node scripts/marketplaceReadme.mjs [--out file] [--readme file] [--relative]
//     --out       where to write (default dist/README.md; never committed)
//     --readme    the README to read (default README.md)
//     --relative  keep relative links as README.md has them (to compare with vsce's rewrite)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The sections a user of the installed extension needs. */
export const KEPT = ['What it does', 'Install', 'Sign in', 'Demo mode', 'Using the explorer', 'Proxies', 'Troubleshooting', 'Privacy: what is stored where', 'Security'];
/** Sections that matter in the repository only: building, testing, measuring, the emulator's internals. */
export const LEFT_OUT = [/^Quick start\b/, 'Reliability', 'Performance', 'The emulator on its own', 'Developing', 'Scripts', 'Layout', 'The emulator and where the API reference is silent'];

const matches = (pattern, title) => (typeof pattern === 'string' ? pattern === title : pattern.test(title));

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to `-` (letters of any script kept). */
export function slug(title) {
  return title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The lines of a markdown text, each with whether it lies in a fenced code block. */
function linesWithFences(text) {
  let fence;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence ? undefined : marker;
      return { line, code: true };
    }
    return { line, code: fence !== undefined };
  });
}

/** Anchors of every heading of a markdown text, duplicates numbered as GitHub does. */
export function anchors(text) {
  const seen = new Map();
  const result = new Set();
  for (const { line, code } of linesWithFences(text)) {
    const title = code ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (title === undefined) continue;
    const base = slug(title);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

/** The preamble and the `## ` sections of a markdown text (fenced code never starts a section). */
function sections(text) {
  const result = [{ title: undefined, lines: [] }];
  for (const { line, code } of linesWithFences(text)) {
    const title = code ? undefined : /^##\s+(.*?)\s*$/.exec(line)?.[1];
    if (title !== undefined) result.push({ title, lines: [] });
    result.at(-1).lines.push(line);
  }
  return result;
}

/** The repository's URLs for files (blob) and images (raw), as vsce guesses them from package.json. */
export function repositoryUrls(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const project = /github(?:\.com\/|:)([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url ?? '')?.[1];
  if (!project) throw new Error(`package.json's repository (${url}) is not a GitHub repository: the README's relative links would have nowhere to point`);
  return { content: `https://github.com/${project}/blob/HEAD`, images: `https://github.com/${project}/raw/HEAD` };
}

/** Applies `rewrite` to the text of a line outside its code spans. */
function outsideCodeSpans(line, rewrite) {
  return line
    .split(/(`+[^`]*?`+)/)
    .map((part, i) => (i % 2 === 1 ? part : rewrite(part)))
    .join('');
}

/**
 * The marketplace README of `readme`: the kept sections, links resolved (see the file comment), and the
 * list of what the repository's README has besides. Throws on an unlisted section, a link to a missing
 * file or an anchor no heading has.
 */
export function marketplaceReadme(readme, pkg, { relative = false, fileExists = (path) => existsSync(join(root, path)) } = {}) {
  const all = sections(readme);
  const kept = [all[0]];
  const leftOut = [];
  for (const section of all.slice(1)) {
    if (KEPT.includes(section.title)) kept.push(section);
    else if (LEFT_OUT.some((pattern) => matches(pattern, section.title))) leftOut.push(section.title);
    else throw new Error(`README.md section "${section.title}" is neither kept nor left out: add it to KEPT or LEFT_OUT in scripts/marketplaceReadme.mjs`);
  }
  for (const title of KEPT) if (!kept.some((section) => section.title === title)) throw new Error(`README.md has no section "${title}"`);

  const urls = repositoryUrls(pkg);
  const readmeAnchors = anchors(readme);
  const body = kept.flatMap((section) => section.lines).join('\n').replace(/\n+$/, '');
  const keptAnchors = anchors(body);
  const inRepository = (anchor) => (relative ? `README.md#${anchor}` : `${urls.content}/README.md#${anchor}`);

  const link = (whole, bang, text, target) => {
    if (/^(https:|mailto:)/i.test(target)) return whole;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) throw new Error(`README.md links to ${target}: only https, mailto, files of the repository and headings`);
    if (target.startsWith('#')) {
      const anchor = target.slice(1);
      if (keptAnchors.has(anchor)) return whole;
      if (!readmeAnchors.has(anchor)) throw new Error(`README.md links to #${anchor}, which no heading has`);
      return `${bang}[${text}](${inRepository(anchor)})`;
    }
    const path = target.replace(/^\.\//, '').split('#')[0];
    if (!fileExists(path)) throw new Error(`README.md links to ${target}, which is not in the repository`);
    if (relative) return whole;
    return `${bang}[${text}](${bang ? urls.images : urls.content}/${target.replace(/^\.\//, '')})`;
  };
  const rewritten = linesWithFences(body)
    .map(({ line, code }) => (code ? line : outsideCodeSpans(line, (text) => text.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, link))))
    .join('\n');

  const more = leftOut.map((title) => `[${title.replace(/ \(.*\)$/, '')}](${inRepository(slug(title))})`).join(', ');
  const repository = relative ? 'README.md' : `${urls.content}/README.md`;
  return `${rewritten}

## More in the repository

This page has what you need to use the extension. The [README in the repository](${repository}) also has:
${more}.
`;
}

function main(argv) {
  const option = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const readmePath = resolve(root, option('--readme') ?? 'README.md');
  const out = resolve(root, option('--out') ?? join('dist', 'README.md'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const text = marketplaceReadme(readFileSync(readmePath, 'utf8'), pkg, { relative: argv.includes('--relative') });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`marketplaceReadme: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
