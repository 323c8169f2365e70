import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// No source file over 500 lines and no function over 100 (seed and catalog data aside), as measured by
// scripts/codeShape.mjs: a newcomer reads a module in one sitting.

const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'codeShape.mjs');

function shape(folder: string): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [SCRIPT, '--check', folder], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout };
}

describe('code shape', () => {
  it('src/ has no file over 500 lines and no function over 100', () => {
    const result = shape('src');
    assert.match(result.stdout, /^\d{3,} files under src/);
    assert.equal(result.status, 0, result.stdout);
  });

  it('a function over 100 lines is reported, and a seed table may be longer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelarts-shape-'));
    try {
      const body = Array.from({ length: 101 }, (_, i) => `  const v${i} = ${i};`).join('\n');
      writeFileSync(join(dir, 'long.ts'), `export function long(): void {\n${body}\n}\n`);
      writeFileSync(join(dir, 'seed.ts'), `export function table(): void {\n${body}\n}\n`);
      const result = shape(dir);
      assert.equal(result.status, 1);
      assert.match(result.stdout, /long\.ts:1 long: 103 lines/);
      assert.doesNotMatch(result.stdout, /over: .*seed\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
