import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

// The reliability report reads two kinds of results: node's TAP, and the extension-host suite's mocha report
// that reaches the e2e TAP as comment lines.

interface Parsed {
  tests: Array<{ name: string; ok: boolean; skipped: boolean }>;
  figures: Array<{ check: number; text: string }>;
}

interface ReportModule {
  parseTap: (tap: string) => Parsed;
  tagsOf: (name: string) => number[];
}

async function load(): Promise<ReportModule> {
  const url = pathToFileURL(join(__dirname, '..', '..', '..', 'scripts', 'reliabilityReport.mjs')).href;
  return (await import(url)) as ReportModule;
}

describe('reliability report', () => {
  it('reads node TAP tests, figures, and mocha lines carried as comments', async () => {
    const { parseTap, tagsOf } = await load();
    const tap = [
      'TAP version 13',
      '# Subtest: retry',
      '    ok 1 - [Q1] four requests',
      '    not ok 2 - [Q3] five hundreds',
      '    # [figure Q6] 70 requests [<= 100]',
      '# --- extension-host suite (31.0 s, exit 1) ---',
      '#   Actions in the extension host (demo)',
      '#     ✔ [Q23] declining sends nothing (812ms)',
      '#     1) [Q18] deactivate(): no request after it',
      '#     ✔ Follow Logs streams',
      '# [figure Q18] deactivate() returned in 12.0 ms [< 2 s]',
      '#   1) Deactivate in the extension host',
      'ok 1 - extension-host suite passes in code-server (test/host)',
    ].join('\n');
    const { tests, figures } = parseTap(tap);
    assert.deepEqual(
      tests.map((t) => [t.name, t.ok]),
      [
        ['[Q1] four requests', true],
        ['[Q3] five hundreds', false],
        ['[Q23] declining sends nothing', true],
        ['[Q18] deactivate(): no request after it', false],
        ['Follow Logs streams', true],
        ['extension-host suite passes in code-server (test/host)', true],
      ],
    );
    assert.deepEqual(figures, [
      { check: 6, text: '70 requests [<= 100]' },
      { check: 18, text: 'deactivate() returned in 12.0 ms [< 2 s]' },
    ]);
    assert.deepEqual(tagsOf('[Q2][Q18] cancel'), [2, 18]);
    assert.deepEqual(tagsOf('cancel [Q2]'), []);
  });
});
