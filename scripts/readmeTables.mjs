// The README's command and setting tables, generated from package.json and package.nls.json so they never
// drift from what the extension contributes. Rewrites what lies between the marker comments
// `<!-- commands:start -->` … `<!-- commands:end -->` and `<!-- settings:start -->` … `<!-- settings:end -->`.
//
//   node scripts/readmeTables.mjs                 rewrite README.md (npm run docs)
//   node scripts/readmeTables.mjs --check [file]  exit 1 when the file's tables differ from the generated ones
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));

/** `%key%` → its English text. */
const localize = (nls, value) => (typeof value === 'string' ? value.replace(/^%(.+)%$/, (_, key) => nls[key] ?? value) : value);

/** Table cell text: no line breaks, no pipes, no raw HTML (`<region>` would vanish on GitHub). */
const cell = (text) => String(text).replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Words for the context keys of `when` clauses, so a reader does not need to know them.
const CONDITIONS = [
  [/^modelarts\.signedIn$/, 'when signed in'],
  [/^!modelarts\.signedIn$/, 'when signed out'],
  [/^modelarts\.demoRunning$/, 'while the demo runs'],
  [/^!modelarts\.demoRunning$/, 'unless the demo runs'],
  [/editorLangId/, 'in a JSON or YAML editor'],
];

function paletteText(when) {
  if (when === undefined) return 'palette';
  if (when === 'false') return undefined;
  const clauses = when.split('&&').map((c) => c.trim().replace(/^\((.*)\)$/, '$1'));
  const words = clauses.map((clause) => CONDITIONS.find(([re]) => re.test(clause))?.[1] ?? `when \`${clause}\``);
  return `palette, ${words.join(', ')}`;
}

// Row kinds, from the contextValue tags matched in `viewItem =~ /;…;/`.
const ROW_KINDS = {
  resource: 'any resource',
  refreshable: 'any list or resource',
  workspace: 'workspace',
  trainingJob: 'training job',
  task: 'task',
  notebook: 'notebook',
  workflow: 'workflow',
  execution: 'execution',
  step: 'step',
  app: 'app',
  'group;trainingJobs': 'Training Jobs',
  'group;apps': 'Apps',
  obsBucket: 'bucket',
  obsFolder: 'OBS folder',
  obsObject: 'OBS object',
};

function rowKinds(when) {
  const kinds = [];
  for (const m of when.matchAll(/viewItem =~ \/;([A-Za-z]+)(?:;([A-Za-z]+))?/g)) {
    const kind = ROW_KINDS[`${m[1]};${m[2]}`] ?? ROW_KINDS[m[1]] ?? m[1];
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/** Where a command shows: the palette, the view's toolbar or menu, row buttons and menus, the editor title. */
function placesOf(command, menus) {
  const entries = (menu) => (menus[menu] ?? []).filter((entry) => entry.command === command);
  const places = [];
  const palette = entries('commandPalette')[0];
  const paletteWords = paletteText(palette?.when);
  if (paletteWords) places.push(paletteWords);
  for (const entry of entries('view/title')) {
    const place = entry.group?.startsWith('navigation') ? 'view toolbar' : 'view menu (…)';
    if (!places.includes(place)) places.push(place);
  }
  const rows = entries('view/item/context');
  const inline = rows.filter((e) => e.group?.startsWith('inline')).flatMap((e) => rowKinds(e.when ?? ''));
  const menu = rows.filter((e) => !e.group?.startsWith('inline')).flatMap((e) => rowKinds(e.when ?? ''));
  const unique = (list) => [...new Set(list)].join(', ');
  if (inline.length) places.push(`row button: ${unique(inline)}`);
  if (menu.length) places.push(`row menu: ${unique(menu)}`);
  if (entries('editor/title').length) places.push('editor title of a job spec');
  return places;
}

export function commandsTable(pkg, nls) {
  const menus = pkg.contributes.menus ?? {};
  const lines = ['| command | where | id |', '|---|---|---|'];
  for (const c of pkg.contributes.commands) {
    const title = `${c.category ? `${localize(nls, c.category)}: ` : ''}${localize(nls, c.title)}`;
    lines.push(`| ${cell(title)} | ${cell(placesOf(c.command, menus).join('; ') || 'clicking its row in the tree')} | \`${c.command}\` |`);
  }
  return lines.join('\n');
}

function valueText(value) {
  if (value === '') return 'empty';
  return `\`${JSON.stringify(value)}\``;
}

function constraints(prop) {
  const parts = [prop.type];
  if (prop.enum) parts.push(`one of ${prop.enum.join(', ')}`);
  if (prop.minimum !== undefined) parts.push(`at least ${prop.minimum}`);
  if (prop.maximum !== undefined) parts.push(`at most ${prop.maximum}`);
  return parts.join(', ');
}

export function settingsTable(pkg, nls) {
  const lines = ['| setting | type | default | scope | what it does |', '|---|---|---|---|---|'];
  for (const [key, prop] of Object.entries(pkg.contributes.configuration.properties)) {
    const description = localize(nls, prop.markdownDescription ?? prop.description ?? '');
    lines.push(`| \`${key}\` | ${cell(constraints(prop))} | ${cell(valueText(prop.default))} | ${prop.scope ?? 'window'} | ${cell(description)} |`);
  }
  return lines.join('\n');
}

const NOTE = '<!-- Generated from package.json by `npm run docs` (scripts/readmeTables.mjs): edit package.json, not this table. -->';

/** The README with each marked region replaced by its generated table. */
export function withTables(readme, pkg, nls) {
  const tables = { commands: commandsTable(pkg, nls), settings: settingsTable(pkg, nls) };
  let out = readme;
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} region`);
    out = `${out.slice(0, from + start.length)}\n${NOTE}\n${table}\n${out.slice(to)}`;
  }
  return out;
}

const args = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = args.includes('--check');
  const file = args.find((a) => !a.startsWith('--')) ?? join(root, 'README.md');
  const name = relative(process.cwd(), file) || file;
  const readme = readFileSync(file, 'utf8');
  const next = withTables(readme, readJson('package.json'), readJson('package.nls.json'));
  if (check) {
    if (next !== readme) {
      console.error(`${name}: the command or setting tables differ from package.json; run npm run docs`);
      process.exit(1);
    }
  } else if (next !== readme) {
    writeFileSync(file, next);
    console.log(`${name}: tables updated`);
  } else {
    console.log(`${name}: tables up to date`);
  }
}
