import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

// Every user-facing string of the extension goes through `vscode.l10n.t('…')` (or a translator `t('…')`
// handed to vscode-free modules) with an English literal; the Chinese bundle must have each one, with the
// same placeholders and leading codicons.

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const unescape = (literal: string): string => literal.replace(/\\(.)/g, '$1');

/** English literal → the file it was first seen in; the client and emulator have no UI strings. */
function runtimeStrings(): Map<string, string> {
  const found = new Map<string, string>();
  const files = sources(join(ROOT, 'src')).filter((file) => !/[\\/]src[\\/](api|emulator)[\\/]/.test(file));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")/g)) {
      const literal = unescape(match[1] ?? match[2] ?? '');
      if (!found.has(literal)) found.set(literal, relative(ROOT, file));
    }
  }
  return found;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('l10n: the Chinese runtime bundle', () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, unknown>;
  const strings = runtimeStrings();

  it('finds the strings of every part (the search works)', () => {
    for (const sample of ['How do you want to sign in?', 'Load more…', '{0} failed: {1}{2}{3}', 'Stop Following Logs']) {
      assert.ok(strings.has(sample), `finds "${sample}"`);
    }
    assert.ok(strings.size > 300, `${strings.size} strings`);
  });

  it('translates every string, keeping its placeholders and leading codicon', () => {
    const missing = [...strings].filter(([key]) => typeof bundle[key] !== 'string' || bundle[key] === '').map(([key, file]) => `${file}: ${key}`);
    assert.deepEqual(missing, []);
    for (const key of strings.keys()) {
      const zh = bundle[key] as string;
      assert.deepEqual(placeholders(zh), placeholders(key), key);
      const icon = /^\$\([a-z-~]+\)/.exec(key)?.[0];
      if (icon) assert.ok(zh.startsWith(icon), `${key}: keeps ${icon}`);
    }
  });
});
