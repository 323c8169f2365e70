import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The extension bundle stays lean: the emulator and the YAML library live in bundles of their own,
// loaded only when the demo starts or a spec is read. (`npm test` builds dist/ before the unit tests.)

const dist = join(__dirname, '..', '..', '..', 'dist');
const read = (name: string): string => {
  const file = join(dist, name);
  assert.ok(existsSync(file), `${file} is missing: run npm run build first`);
  return readFileSync(file, 'utf8');
};

describe('bundles', () => {
  it('keeps the emulator and the YAML library out of dist/extension.js', () => {
    const extension = read('extension.js');
    const emulator = read('emulator.js');
    const yaml = read('yaml.js');
    // Positive controls: each marker is in its own bundle.
    assert.ok(emulator.includes('verify aksk signature fail'));
    assert.ok(yaml.includes('Implicit map keys need to be followed by map values'));
    assert.ok(!extension.includes('verify aksk signature fail'), 'no emulator code in the extension bundle');
    assert.ok(!extension.includes('Implicit map keys need to be followed by map values'), 'no YAML library in the extension bundle');
    assert.ok(!extension.includes('punycode'), "no whatwg-url/tr46 tables (node-fetch uses Node's URL)");
  });

  it('reports the extension bundle size', () => {
    const bytes = statSync(join(dist, 'extension.js')).size;
    assert.ok(bytes > 10_000, 'the bundle holds the extension');
    console.log(`dist/extension.js: ${(bytes / 1024).toFixed(1)} KB`);
  });
});
