import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

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
