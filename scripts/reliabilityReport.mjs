// Reliability report: maps the tests tagged [Q<n>] onto the checks of the quality bar (reliability and
// security, checks 1–29), from the unit tests' TAP (run here, or read from test-results/unit.tap with
// --from-results) and the end-to-end run's TAP (test-results/e2e.tap, with the extension-host suite's report).
// Prints a markdown table and writes it to test-results/reliability.md.
// Exits non-zero when a tagged test fails (or the run itself fails); a check without a test is reported, not failed.
//
//   node scripts/reliabilityReport.mjs [--from-results] [--readme]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Short titles of the checks (a paraphrase of the quality bar). */
const CHECKS = {
  1: '429 with Retry-After: 2 ×3, then 200: 4 requests, waits ≥ 2 s',
  2: 'Retry-After: HTTP-date, past, garbage, over the 30 s cap; cancel during a wait',
  3: '503 ×10 on a GET: ≤ 4 requests, jittered growing delays, request id',
  4: 'POST actions on 500/reset: 1 request, then re-read; 4xx/501: no retry',
  5: 'Stalled server, refused connection, reset mid-body: timeouts, clear error',
  6: 'Retry budget: 50 parallel GETs on 503: ≤ 100 requests',
  7: 'Refresh storm: in-flight GETs coalesced, ≤ 8 in flight',
  8: 'Token expiry with 10 calls in flight: 1 token request, 1 replay each',
  9: 'IAM unreachable, wrong password, clock skew: clear errors, no loop',
  10: 'SecretStorage throws: clear error, no fallback storage',
  11: 'Malformed / HTML / empty / oversized bodies, error shapes: one error class',
  12: 'One malformed item: only that node marked, text escaped',
  13: '10,000 jobs: first page after 1 request, Load more appends, double-click 1 request',
  14: 'Refresh during a load: no duplicate rows, stale answers dropped',
  15: 'Polling: transitional nodes in view only, watches to final state, idle 0 requests, 429 backs off',
  16: 'Log follow dropped at line 500: resumes from cursor, lines once, backs off, stops at job end',
  17: 'Log flood: output capped, batched appends; heap and event-loop figures',
  18: 'Cancel, close, deactivate: no request after the abort',
  19: 'Canary secrets: 0 hits in outputs, positive control found',
  20: 'Hostile workspace / unknown endpoint host: 0 requests, asked first',
  21: 'TLS never weakened; proxies through VS Code',
  22: 'Inputs validated before any request, reason in the input box',
  23: 'Destructive or billable actions ask for confirmation',
  24: 'Server text is never a link, a command or an icon in anything VS Code renders',
  25: 'The emulator answers only its own client: admin token, own Host, no Origin, JSON only; off in demo mode',
  26: 'SSH files always valid for OpenSSH: quoted paths, %%, unsafe values refused, checked with ssh -G first',
  27: 'Two windows writing the hosts file at once lose nothing',
  28: 'A hand-edited hosts file never stops Connect via SSH',
  29: 'Notebook hosts never inherit agent or X11 forwarding from Host *',
};

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

/** Undoes the escaping node's TAP reporter applies to test names. */
function unescapeName(text) {
  return text.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/**
 * Reads TAP output: every test line (ok / not ok) with its name, and the `[figure Q<n>]` comment lines.
 * @returns {{ tests: Array<{ name: string, ok: boolean, skipped: boolean }>, figures: Array<{ check: number, text: string }> }}
 */
export function parseTap(tap) {
  const tests = [];
  const figures = [];
  for (const line of tap.split(/\r?\n/)) {
    const test = /^\s*(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (test) {
      tests.push({ name: unescapeName(test[2]), ok: test[1] === 'ok', skipped: test[3] !== undefined });
      continue;
    }
    const figure = /^\s*#\s*\[figure Q(\d+)\]\s*(.*)$/.exec(line);
    if (figure) {
      figures.push({ check: Number(figure[1]), text: figure[2].trim() });
      continue;
    }
    // The extension-host suite runs inside one e2e test; its mocha report arrives as TAP comments.
    const passed = /^\s*#\s+[✔✓]\s+(.*?)(?:\s+\(\d+ms\))?\s*$/.exec(line);
    if (passed) {
      tests.push({ name: passed[1], ok: true, skipped: false });
      continue;
    }
    const failed = /^\s*#\s+\d+\)\s+(\[Q\d+\].*?)\s*$/.exec(line);
    if (failed) tests.push({ name: failed[1], ok: false, skipped: false });
  }
  return { tests, figures };
}

/** The check numbers a test name starts with: "[Q4][Q18] …" → [4, 18]. */
export function tagsOf(name) {
  const lead = /^((?:\[Q\d+\]\s*)+)/.exec(name);
  return lead ? [...lead[1].matchAll(/\[Q(\d+)\]/g)].map((m) => Number(m[1])) : [];
}

function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function report({ tests, figures }, sourceNote) {
  const rows = [];
  let failedTagged = 0;
  const tagged = tests.filter((t) => tagsOf(t.name).length > 0);
  for (const [n, title] of Object.entries(CHECKS).map(([k, v]) => [Number(k), v])) {
    const mine = tagged.filter((t) => tagsOf(t.name).includes(n));
    const failed = mine.filter((t) => !t.ok);
    const ran = mine.filter((t) => t.ok && !t.skipped);
    const result = mine.length === 0 ? 'no test' : failed.length > 0 ? 'fail' : ran.length > 0 ? 'pass' : 'skipped';
    const names = failed.length > 0 ? `${mine.length} (failing: ${failed.map((t) => t.name).join('; ')})` : String(mine.length);
    const figs = figures.filter((f) => f.check === n).map((f) => f.text).join('<br>');
    rows.push(`| ${n} | ${cell(title)} | ${cell(names)} | ${result} | ${cell(figs)} |`);
  }
  failedTagged = tagged.filter((t) => !t.ok).length;
  const unknown = [...new Set(tagged.flatMap((t) => tagsOf(t.name)).filter((n) => !(n in CHECKS)))];
  const lines = [
    '# Reliability report',
    '',
    `Tests: ${tests.filter((t) => t.ok).length} ok, ${tests.filter((t) => !t.ok).length} not ok (TAP lines, suites included); ` +
      `tagged tests: ${tagged.length}, failing: ${failedTagged}; ${sourceNote}.`,
    `Node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}.`,
    '',
    '| check | title | tests | result | figures |',
    '|---|---|---|---|---|',
    ...rows,
  ];
  if (unknown.length > 0) lines.push('', `Tags naming no check: ${unknown.map((n) => `Q${n}`).join(', ')}.`);
  return { markdown: lines.join('\n') + '\n', failedTagged, tagged: tagged.length };
}

const UNIT_TAP = join(root, 'test-results', 'unit.tap');
const E2E_TAP = join(root, 'test-results', 'e2e.tap');

/** The unit tests' TAP: from the file `npm run test:unit` wrote (--from-results), or by running them. */
function unitTap(fromResults) {
  if (fromResults) {
    if (!existsSync(UNIT_TAP)) fatal(`${UNIT_TAP} is missing: run npm run test:unit first`);
    return { tap: readFileSync(UNIT_TAP, 'utf8'), status: 0 };
  }
  const build = run(process.execPath, ['esbuild.mjs', '--tests', '--quiet']);
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    fatal('the test build failed');
  }
  const tests = run(process.execPath, ['--test', '--test-reporter=tap', 'out/test/unit/']);
  return { tap: tests.stdout, status: tests.status, stderr: tests.stderr };
}

function fatal(message) {
  console.error(`reliability report: ${message}`);
  process.exit(2);
}

/** Puts the table (without its heading) between the README's reliability markers. */
function writeIntoReadme(markdown) {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- reliability:start -->';
  const end = '<!-- reliability:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) fatal(`README.md has no ${start} … ${end} region`);
  const body = markdown.replace(/^# Reliability report\n\n/, '');
  writeFileSync(path, `${readme.slice(0, from + start.length)}\n${body}${readme.slice(to)}`);
  console.log('README.md: reliability table updated.');
}

function main() {
  const fromResults = process.argv.includes('--from-results');
  const unit = unitTap(fromResults);
  const parsed = parseTap(unit.tap);
  if (parsed.tests.length === 0) {
    process.stderr.write(unit.tap + (unit.stderr ?? ''));
    fatal('no TAP test lines were found');
  }
  // The end-to-end run (real VS Code) carries the checks only it can make: required with --from-results.
  let e2eNote = 'end-to-end results: none (run npm run test:e2e first)';
  if (existsSync(E2E_TAP)) {
    const e2e = parseTap(readFileSync(E2E_TAP, 'utf8'));
    parsed.tests.push(...e2e.tests);
    parsed.figures.push(...e2e.figures);
    e2eNote = `end-to-end results: ${e2e.tests.length} tests and extension-host tests (test-results/e2e.tap)`;
  } else if (fromResults) {
    fatal(`${E2E_TAP} is missing: run npm run test:e2e first`);
  }
  const { markdown, failedTagged, tagged } = report(parsed, e2eNote);
  process.stdout.write(markdown);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(join(root, 'test-results', 'reliability.md'), markdown);
  console.log(`\nWritten to test-results/reliability.md (${tagged} tagged tests).`);
  if (process.argv.includes('--readme')) writeIntoReadme(markdown);
  if (failedTagged > 0) {
    console.error(`${failedTagged} tagged test(s) failed.`);
    process.exit(1);
  }
  // Untagged failures do not decide this report, but are worth a line.
  if (unit.status !== 0) console.error('Note: the unit suite had failures outside the tagged tests.');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
