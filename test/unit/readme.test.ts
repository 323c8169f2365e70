import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EVENTS_MAX, LIST_MAX_PAGE_SIZE, LOG_TAIL_MAX_BYTES, LOG_TAIL_MAX_LINES, TOOL_SPECS } from '../../src/tools/toolSpecs';

// The README's command and setting tables are generated from package.json (npm run docs): they must be what
// the script generates now, so they never drift from what the extension contributes.

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'readmeTables.mjs');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Exit code and error output of `readmeTables.mjs --check` on a README with this text. */
function check(text: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'modelarts-readme-'));
  try {
    const file = join(dir, 'README.md');
    writeFileSync(file, text);
    const run = spawnSync(process.execPath, [SCRIPT, '--check', file], { cwd: ROOT, encoding: 'utf8' });
    return { status: run.status, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const region = (name: string): string => readme.slice(readme.indexOf(`<!-- ${name}:start -->`), readme.indexOf(`<!-- ${name}:end -->`));

describe('README tables', () => {
  it('are what `npm run docs` generates from package.json', () => {
    const result = check(readme);
    assert.equal(result.status, 0, result.stderr);
  });

  it('list every contributed command and setting', () => {
    const commands = region('commands');
    const settings = region('settings');
    for (const { command } of pkg.contributes.commands as Array<{ command: string }>) assert.ok(commands.includes(`\`${command}\``), command);
    for (const key of Object.keys(pkg.contributes.configuration.properties as object)) assert.ok(settings.includes(`\`${key}\``), key);
  });

  it('the check fails on a table that drifted (positive control)', () => {
    const row = /^\| ModelArts: Sign In \|.*\n/m;
    assert.match(readme, row);
    const dropped = check(readme.replace(row, ''));
    assert.equal(dropped.status, 1);
    assert.match(dropped.stderr, /differ from package\.json; run npm run docs/);
    assert.equal(check(readme.replace('| `20` |', '| `10` |')).status, 1, 'a changed default');
    assert.equal(check(readme.replace('<!-- settings:end -->', '')).status, 1, 'a missing marker');
  });
});

describe('README: the language model tools', () => {
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const section = readme.slice(readme.indexOf('### Language model tools (agents)'), readme.indexOf('### Connect via SSH'));
  /** The section's first table: reference name → its row's cells. */
  const rows = new Map(
    [...section.matchAll(/^\| ([^|]+) \| `#([A-Za-z]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[2], { displayName: m[1], asks: m[4] }]),
  );

  it('has one row per tool: its display name, reference name and whether it asks first', () => {
    assert.ok(section.length > 1000, 'the section exists, between Commands and Connect via SSH');
    assert.equal(rows.size, TOOL_SPECS.length);
    for (const spec of TOOL_SPECS) {
      const row = rows.get(spec.referenceName);
      assert.ok(row, `#${spec.referenceName}`);
      assert.equal(row.displayName, nls[spec.displayNameKey.slice(1, -1)], spec.name);
      assert.match(row.asks, spec.confirms ? /^yes: / : /^no$/, spec.name);
    }
  });

  it('names every tool that asks first in the "Always Allow" table, and states the caps the tools enforce', () => {
    const allowed = section.slice(section.indexOf('**"Always Allow".**'));
    const confirming = TOOL_SPECS.filter((spec) => spec.confirms);
    assert.equal(confirming.length, 5);
    for (const spec of confirming) assert.match(allowed, new RegExp(`^  \\| ${nls[spec.displayNameKey.slice(1, -1)]} \\| `, 'm'), spec.name);
    for (const spec of TOOL_SPECS.filter((s) => !s.confirms)) assert.doesNotMatch(allowed, new RegExp(`^  \\| ${nls[spec.displayNameKey.slice(1, -1)]} \\| `, 'm'), spec.name);
    const row = (reference: string): string => section.split('\n').find((line) => line.startsWith('| ') && line.includes(`\`#${reference}\``)) ?? '';
    assert.match(row('modelartsLogTail'), new RegExp(`at most ${LOG_TAIL_MAX_LINES} lines and ${LOG_TAIL_MAX_BYTES / 1024} KB`));
    assert.match(row('modelartsEvents'), new RegExp(`at most ${EVENTS_MAX}\\)`));
    assert.match(row('modelartsList'), new RegExp(`at most ${LIST_MAX_PAGE_SIZE},`));
    assert.match(section, /VS Code 1\.95 or newer/);
    assert.match(section, /illustrative only/);
  });
});
