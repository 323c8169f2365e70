import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dashboardViewStrings } from '../../../src/dashboard/viewStrings';
import { viewText } from '../../../src/dashboard/view/strings';

// The webview has no l10n of its own: the extension sends every string it shows, translated, and the view
// falls back to the English key. Each string the view's code writes must be in that map.

const ROOT = join(__dirname, '..', '..', '..', '..');
const VIEW = join(ROOT, 'src', 'dashboard', 'view');

/** The literal first arguments of the view's `t('…')` calls. */
function viewKeys(): Set<string> {
  const keys = new Set<string>();
  for (const name of readdirSync(VIEW).filter((file) => file.endsWith('.ts'))) {
    for (const match of readFileSync(join(VIEW, name), 'utf8').matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) keys.add(match[1].replace(/\\'/g, "'"));
  }
  return keys;
}

describe('dashboard view strings', () => {
  const translated = dashboardViewStrings({ t: (message: string) => `«${message}»` });

  it('maps each English string to its translation through l10n.t', () => {
    assert.ok(Object.keys(translated).length >= 25, `${Object.keys(translated).length} strings`);
    for (const [english, text] of Object.entries(translated)) assert.equal(text, `«${english}»`);
  });

  it('holds every string the view writes, and none it does not', () => {
    const used = viewKeys();
    assert.ok(used.has('Copy as CSV') && used.has('{0}: {1} points'), [...used].join(' | '));
    assert.deepEqual([...used].filter((key) => !(key in translated)), []);
    assert.deepEqual(Object.keys(translated).filter((key) => !used.has(key)), []);
  });

  it('the view substitutes placeholders (numbers in the locale) and falls back to the English key', () => {
    const zh = { '{0}: {1} points': '{0}：{1} 个点', 'Copy as CSV': '复制为 CSV' };
    assert.equal(viewText(zh, '{0}: {1} points', 'loss', 12), 'loss：12 个点');
    assert.equal(viewText(zh, 'Show Table'), 'Show Table');
    assert.equal(viewText({}, 'Showing the last {0} of {1} rows.', 1_000, 5_000), `Showing the last ${(1_000).toLocaleString()} of ${(5_000).toLocaleString()} rows.`);
    assert.equal(viewText({}, '{0} and {1}', 'one'), 'one and {1}', 'a missing argument leaves its placeholder');
    assert.equal(viewText({ toString: 'x' }, 'constructor'), 'constructor', 'only own keys count');
  });
});
