import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// Every string the explorer shows goes through its translator and has a Simplified Chinese entry with the
// same placeholders in the Chinese bundle.

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function translatedStrings(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sources(join(root, 'src', 'explorer')), ...sources(join(root, 'src', 'watch'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) found.add(m[1].replace(/\\'/g, "'"));
  }
  return found;
}

function translations(): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const file of ['l10n/bundle.l10n.zh-cn.json']) {
    const path = join(root, file);
    if (existsSync(path)) Object.assign(merged, JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>);
  }
  return merged;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('explorer l10n', () => {
  it('has a Chinese translation for every string, keeping its placeholders', () => {
    const used = translatedStrings();
    assert.ok(used.has('Load more…') && used.has('No training jobs'), 'the scan finds the strings');
    const zh = translations();
    for (const text of used) {
      assert.ok(typeof zh[text] === 'string' && zh[text] !== '', `no zh-cn for "${text}"`);
      assert.deepEqual(placeholders(zh[text]), placeholders(text), text);
    }
  });

  it('passes no user-facing string around the translator in the vscode-bound files', () => {
    for (const file of ['explorer.ts', 'treeProvider.ts']) {
      const text = readFileSync(join(root, 'src', 'explorer', file), 'utf8');
      for (const m of text.matchAll(/\b(?:showInformationMessage|showWarningMessage|setStatusBarMessage|placeHolder|prompt|title):?\s*\(?\s*'/g)) {
        assert.fail(`${file}: an untranslated literal at ${m.index}`);
      }
    }
  });
});
