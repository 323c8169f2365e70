import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

// No two layers export the same name: a reader who meets `SaveImageJob` or `NOTEBOOK_STATUSES` knows which one
// it is without opening the import (the emulator's own types carry an `Emu` prefix).

const ROOT = join(__dirname, '..', '..', '..');

/** The names a TypeScript source exports by declaration. */
export function exportedNames(text: string): string[] {
  const pattern = /^export (?:declare )?(?:abstract )?(?:async )?(?:const|let|function\*?|class|interface|type|enum) ([A-Za-z_$][\w$]*)/gm;
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

/** Names exported by more than one layer (the first folder under src/), each with the files. */
export function sharedAcrossLayers(files: ReadonlyArray<{ path: string; text: string }>): string[] {
  const layersByName = new Map<string, Map<string, string>>();
  for (const { path, text } of files) {
    const parts = path.split('/');
    const layer = parts.length > 2 ? parts[1] : path;
    for (const name of exportedNames(text)) {
      const layers = layersByName.get(name) ?? new Map<string, string>();
      layers.set(layer, path);
      layersByName.set(name, layers);
    }
  }
  return [...layersByName].filter(([, layers]) => layers.size > 1).map(([name, layers]) => `${name}: ${[...layers.values()].join(', ')}`);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('exported names', () => {
  it('no name is exported by two layers of src/', () => {
    const files = sources(join(ROOT, 'src')).map((path) => ({ path: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));
    assert.ok(files.length > 100, `${files.length} files read`);
    assert.ok(files.reduce((n, f) => n + exportedNames(f.text).length, 0) > 500, 'the exports were found');
    assert.deepEqual(sharedAcrossLayers(files), []);
  });

  it('a name two layers share is caught; one layer may reuse its own names', () => {
    const found = sharedAcrossLayers([
      { path: 'src/api/types.ts', text: 'export interface SaveImageJob {}\nexport const LOCAL = 1;' },
      { path: 'src/emulator/training/saveImage.ts', text: 'export type SaveImageJob = {};' },
      { path: 'src/api/other.ts', text: 'export function LOCAL() {}' },
    ]);
    assert.deepEqual(found, ['SaveImageJob: src/api/types.ts, src/emulator/training/saveImage.ts']);
  });
});
