import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// Check 21 of the reliability table: TLS is never weakened anywhere in the shipped code.

const ROOT = join(__dirname, '..', '..', '..');
const WEAKENING = /NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized\s*:\s*false|checkServerIdentity\s*:\s*\(\)\s*=>\s*undefined/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('TLS', () => {
  it('[Q21] no source file or shim weakens certificate checks', () => {
    // Positive control: the pattern finds each way of switching the checks off.
    for (const planted of ['process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"', 'new Agent({ rejectUnauthorized: false })', 'checkServerIdentity: () => undefined']) {
      assert.match(planted, WEAKENING);
    }
    const scanned = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'scripts', 'shims'))];
    assert.ok(scanned.length > 50, `${scanned.length} files scanned`);
    const hits = scanned.filter((file) => WEAKENING.test(readFileSync(file, 'utf8')));
    assert.deepEqual(hits, []);
    console.log(`[figure Q21] ${scanned.length} files scanned, 0 weaken TLS`);
  });
});
