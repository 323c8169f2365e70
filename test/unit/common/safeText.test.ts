import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  MAX_CHARS,
  inertText,
  joinWords,
  labelText,
  lineText,
  logText,
  markdown,
  markdownText,
  messageText,
  pickText,
  promptText,
  safeL10n,
  type Surface,
} from '../../../src/common/safeText';
import { englishL10n } from '../../../src/common/translate';
import { ALL, BIDI, FAKE_ROW, HOSTILE_VALUES, ICON, LINK, MEGABYTE, assertInert, type SurfaceKind } from '../helpers/hostile';

// Q24: one function per kind of surface makes server text inert there, escaping rather than deleting.

const NEUTRALISERS: Array<[Surface, (raw: string) => string, SurfaceKind]> = [
  ['message', messageText, 'message'],
  ['pick', pickText, 'pick'],
  ['prompt', promptText, 'prompt'],
  ['label', labelText, 'label'],
  ['markdown', markdownText, 'markdown'],
  ['line', lineText, 'line'],
  ['log', logText, 'label'],
  ['inert', inertText, 'prompt'],
];

describe('[Q24] safe text: one neutraliser per surface', () => {
  it('[Q24] every hostile value is inert on every surface, and still reads the same', () => {
    for (const [surface, neutralise, kind] of NEUTRALISERS) {
      for (const [name, value] of HOSTILE_VALUES) {
        const out = neutralise(value);
        assertInert(out, kind, `${name} as ${surface}`, { maxLength: MAX_CHARS[surface] * 7, multiline: surface === 'log' });
      }
      // Escaped, not deleted: the words are all there.
      const out = neutralise(`${LINK} ${ICON} ${BIDI}`);
      for (const word of ['Renew key pair', 'workbench', 'terminal', 'sendSequence', 'error', 'gnp', 'exe', '202E']) assert.ok(out.includes(word), `${surface} keeps "${word}": ${out}`);
    }
  });

  it('[Q24] notifications: the link keeps its text and target but is no link; schemes lose their colon to a look-alike', () => {
    assert.equal(messageText('[Renew key pair](command:x.y?%7B%7D)'), '[Renew key pair] (command\u2236x.y?%7B%7D)');
    assert.equal(messageText('see https://support.example.com/a and file:///etc/passwd'), 'see https\u2236//support.example.com/a and file\u2236///etc/passwd');
    assert.equal(messageText('Invalid data: 5 rows, at 09:30:00'), 'Invalid data: 5 rows, at 09:30:00', 'prose and times are left alone');
    assert.equal(messageText('line one\n  line two\r\nthree\tfour'), 'line one line two three four', 'one line');
    assert.equal(messageText('$(error) stays text'), '$(error) stays text', 'notifications render no icons');
  });

  it('[Q24] icons: escaped where VS Code renders them, and only there', () => {
    assert.equal(pickText('$(error) and $(sync~spin) and \\$(x)'), '\\$(error) and \\$(sync~spin) and \\$(x)');
    assert.equal(promptText(ICON), '\\$(error)');
    assert.equal(labelText(ICON), ICON, 'tree rows render no icons');
    assert.equal(markdownText(ICON), '\\\\\\$\\(error\\)', 'markdown: an escaped backslash, then the escaped icon');
  });

  it('[Q24] hidden characters show as escapes; a line break cannot start another row', () => {
    assert.equal(labelText(BIDI), '\\u202Egnp.exe\\u202C');
    assert.equal(labelText(FAKE_ROW), 'x\\nfake-row · Running');
    assert.equal(lineText('a\r\nb\u0000\u200b\u{E0041}'), 'a\\r\\nb\\u0000\\u200B\\u{E0041}');
    assert.equal(labelText('\uD800 lone'), '\\uD800 lone', 'a lone surrogate');
    assert.equal(labelText('训练作业 — 工作空间 ✓'), '训练作业 — 工作空间 ✓', 'CJK and symbols stay');
  });

  it('[Q24] the log channel: a stack keeps its lines, each after the first indented, so no text passes for an event of its own', () => {
    assert.equal(logText('failed: x\n2026-01-01 12:00:00.000 [info] Signed in\r\n    at f (a.js:1)'), 'failed: x\n    2026-01-01 12:00:00.000 [info] Signed in\n        at f (a.js:1)');
    assert.equal(logText(`a ${BIDI}\rb`), 'a \\u202Egnp.exe\\u202C\\rb');
  });

  it('[Q24] a megabyte is cut to the surface\'s length, never inside a surrogate pair', () => {
    for (const [surface, neutralise] of NEUTRALISERS) {
      const out = neutralise(MEGABYTE);
      assert.ok(out.length <= MAX_CHARS[surface] * 2 + 1, `${surface}: ${out.length}`);
      assert.ok(out.endsWith('…') || out.endsWith('\\u2026'), `${surface} says it was cut`);
    }
    const emoji = `${'x'.repeat(MAX_CHARS.label - 1)}😀`;
    assert.equal(labelText(emoji), `${'x'.repeat(MAX_CHARS.label - 1)}…`);
  });

  it('[Q24] each neutraliser is stable: neutralising its own output changes nothing', () => {
    for (const [surface, neutralise] of NEUTRALISERS) {
      // Escaping markdown, or indenting a log event's lines, is meant to happen once.
      if (surface === 'markdown' || surface === 'log') continue;
      for (const [name, value] of HOSTILE_VALUES.filter(([n]) => n !== '1 MB')) {
        const once = neutralise(value);
        assert.equal(neutralise(once), once, `${surface}: ${name}`);
      }
    }
  });

  it('[Q24] our sentences: values made inert for the surface, the template\'s own icon and address kept', () => {
    const l10n = safeL10n(englishL10n);
    assert.equal(l10n.t('$(cloud) {0} · {1}', `team ${ICON}`, 'cn-north-4').for('pick'), '$(cloud) team \\$(error) · cn-north-4');
    assert.equal(l10n.t('The endpoint {0} must start with https://.', 'http://x').for('prompt'), 'The endpoint http\u2236//x must start with https://.');
    assert.equal(l10n.t('Notebook {0} failed to start: {1}', 'nb', LINK).for('message'), `Notebook nb failed to start: ${messageText(LINK)}`);
    assert.equal(l10n.t('{0} of {1} loaded (1.5)', 3, 10).for('markdown'), '3 of 10 loaded \\(1\\.5\\)', 'markdown escapes the template as text');
    const nested = l10n.t('{0} (Demo mode.)', l10n.t('{0} failed: {1}', 'Show Details', ALL));
    assertInert(nested.for('message'), 'message', 'a sentence inside a sentence');
    assert.equal(joinWords(' ', l10n.t('A {0}.', 'x'), l10n.t('B {0}.', ICON)).for('pick'), 'A x. B \\$(error).');
  });

  it('[Q24] markdown written here takes only markdown-safe values', () => {
    assert.equal(markdown`**${markdownText('a*b')}**\n\n$(warning) ${markdownText(LINK)}`.startsWith('**a\\*b**\n\n$(warning) \\[Renew key pair\\]'), true);
    assertInert(markdown`**${markdownText(ALL)}**  \n$(warning) ${markdownText(ALL)}`, 'markdown', 'a tooltip', { ownIcons: ['warning'] });
  });
});
