import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// Every user-facing string of src/auth goes through `t(...)` / `vscode.l10n.t(...)` with an English literal;
// the Chinese bundle must have each one, with the same placeholders.

const ROOT = join(__dirname, '..', '..', '..');

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, '$1');
}

/** The first argument of every `t('…')` call in src/auth. */
function authStrings(): Map<string, string> {
  const found = new Map<string, string>();
  const dir = join(ROOT, 'src', 'auth');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) found.set(unescape(match[1]), file);
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('auth strings in l10n/bundle.l10n.zh-cn.json', () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, unknown>;
  const strings = authStrings();

  it('finds the strings (the search works)', () => {
    assert.ok(strings.has('How do you want to sign in?'));
    assert.ok(strings.has('Could not store the credentials in the system keychain: {0}'));
    assert.ok(strings.size > 60, `${strings.size} strings`);
  });

  it('has a Chinese translation for each, with the same placeholders and codicons', () => {
    const missing = [...strings.keys()].filter((key) => typeof bundle[key] !== 'string' || bundle[key] === '');
    assert.deepEqual(missing, []);
    for (const key of strings.keys()) {
      const zh = bundle[key] as string;
      assert.deepEqual(placeholders(zh), placeholders(key), key);
      const icon = /^\$\([a-z-]+\)/.exec(key)?.[0];
      if (icon) assert.ok(zh.startsWith(icon), `${key}: keeps ${icon}`);
    }
  });
});
