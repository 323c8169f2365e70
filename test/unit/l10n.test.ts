import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import * as validate from '../../src/api/validate';
import { bundleProblems, extractStrings, glossaryProblems, literalTCalls, nlsProblems, unextracted, type GlossaryTerm, type Source } from './helpers/l10nCheck';

// Every user-facing runtime string goes through `vscode.l10n.t('…')`, or `l10n.t('…')` where a module takes
// vscode.l10n as an argument; @vscode/l10n-dev extracts them from the sources and the Chinese bundle must have
// each one. Contributions go through package.nls.json, mirrored key by key in package.nls.zh-cn.json.

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = 'l10n/bundle.l10n.zh-cn.json';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
const sources: Source[] = tsFiles(join(ROOT, 'src')).map((file) => ({ path: relative(ROOT, file), text: readFileSync(file, 'utf8') }));
const bundle = readJson(BUNDLE);

/**
 * The reasons of the API's input checks (src/api has no UI and no l10n) that the save-image and tag input
 * boxes translate with a computed key: each bad input an input box can send, through the real checks.
 */
function inputBoxReasons(): Map<string, string> {
  const bad = ['', ' ', ' a', 'a ', 'A', '1a', 'a b', 'a/b', 'a*b', '_sys_a', 'a.', 'a._b', 'x'.repeat(65), 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(513)];
  const { validateImageName, validateImageNamespace, validateImageTag, validateImageDescription, validateTagKey, validateTagValue } = validate;
  const checks = { validateImageName, validateImageNamespace, validateImageTag, validateImageDescription, validateTagKey, validateTagValue };
  const reasons = new Map<string, string>();
  for (const [name, check] of Object.entries(checks)) {
    for (const input of bad) {
      const reason = check(input);
      if (reason !== undefined && !reasons.has(reason)) reasons.set(reason, `src/api/validate.ts ${name}`);
    }
  }
  return reasons;
}

describe('l10n: runtime strings', () => {
  let extracted: Map<string, string>;
  before(async () => {
    extracted = await extractStrings(sources);
  });

  it('@vscode/l10n-dev extracts the strings of every part, and every literal passed to a t() call', () => {
    for (const sample of ['How do you want to sign in?', 'Load more…', 'Training Jobs', '{0} failed: {1}{2}{3}', 'Stop Following Logs', 'Sign in to load {0}']) {
      assert.ok(extracted.has(sample), `extracts "${sample}"`);
    }
    const calls = literalTCalls(sources);
    assert.ok(calls.size > 400, `${calls.size} literal t() calls`);
    assert.deepEqual(unextracted(calls, extracted), []);
    assert.ok(extracted.size >= calls.size, `${extracted.size} extracted, ${calls.size} calls`);
  });

  it('the cross-check names a call the extractor cannot see (a file without the vscode import, this.l10n.t)', async () => {
    const fixture: Source[] = [
      { path: 'fixture/seen.ts', text: "import type * as vscode from 'vscode';\nexport const f = (l10n: typeof vscode.l10n): string => l10n.t('Seen {0}', 1);\n" },
      { path: 'fixture/unseen.ts', text: "export const g = (l10n: { t(m: string): string }): string => l10n.t('Not seen');\n" },
      { path: 'fixture/member.ts', text: "import * as vscode from 'vscode';\nexport class A { l10n = vscode.l10n; f(): string { return this.l10n.t('Via this'); } }\n" },
    ];
    const problems = unextracted(literalTCalls(fixture), await extractStrings(fixture));
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0], /^fixture\/unseen\.ts:1: "Not seen" is not found by @vscode\/l10n-dev/);
    assert.match(problems[1], /^fixture\/member\.ts:2: "Via this"/);
  });

  it(`${BUNDLE} translates every extracted string and every input-box reason, keeping placeholders and leading codicons`, () => {
    const reasons = inputBoxReasons();
    assert.ok(reasons.size >= 18, `${reasons.size} input-box reasons`);
    assert.deepEqual(bundleProblems(extracted, bundle, BUNDLE), []);
    assert.deepEqual(bundleProblems(reasons, bundle, BUNDLE), []);
  });

  it(`${BUNDLE} holds no string the sources no longer use`, () => {
    const used = new Set([...extracted.keys(), ...inputBoxReasons().keys()]);
    assert.ok(used.has('Training Jobs') && 'Training Jobs' in bundle, 'a used key is in both');
    assert.deepEqual(Object.keys(bundle).filter((key) => !used.has(key)), []);
  });

  it('the checker names a missing string, a lost placeholder and a lost codicon', async () => {
    const fixture: Source[] = [
      {
        path: 'fixture/actions.ts',
        text: "import * as vscode from 'vscode';\nvscode.l10n.t('Only in the fixture {0}', 1);\nvscode.l10n.t('Copied: {0}', 'x');\nvscode.l10n.t('$(cloud) {0} · {1}', 'a', 'b');\nvscode.l10n.t('Training Jobs');\n",
      },
    ];
    const fakeBundle = { ...bundle, 'Copied: {0}': '已复制', '$(cloud) {0} · {1}': '{0} · {1}' };
    assert.deepEqual(bundleProblems(await extractStrings(fixture), fakeBundle, BUNDLE), [
      `fixture/actions.ts: "Only in the fixture {0}" is missing from ${BUNDLE}`,
      `${BUNDLE}: "Copied: {0}" has placeholders {0}, its translation none`,
      `${BUNDLE}: "$(cloud) {0} · {1}" starts with $(cloud), its translation does not`,
    ]);
  });
});

describe('l10n: package.nls.zh-cn.json', () => {
  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');

  it('has every key of package.nls.json and no other, each non-empty, with the same placeholders and command links', () => {
    assert.ok(Object.keys(en).length > 50, `${Object.keys(en).length} keys`);
    assert.deepEqual(nlsProblems(en, zh, 'package.nls.zh-cn.json'), []);
  });

  it('the comparison names a missing key, an extra key, an empty value and a lost link', () => {
    const broken: Record<string, unknown> = { ...zh, 'extra.key': '多余', 'command.signIn': ' ' };
    delete broken['command.signOut'];
    broken['viewsWelcome.signedOut'] = String(zh['viewsWelcome.signedOut']).replace('(command:modelarts.demo.start)', '');
    assert.deepEqual(nlsProblems(en, broken, 'zh.json'), [
      'zh.json lacks command.signOut',
      'zh.json has extra.key, which package.nls.json does not',
      'zh.json: command.signIn is empty',
      'zh.json: viewsWelcome.signedOut links (command:modelarts.signIn), package.nls.json (command:modelarts.demo.start) (command:modelarts.signIn)',
    ]);
  });
});

describe('l10n: one Chinese term for each ModelArts term', () => {
  // The words of Huawei Cloud's Chinese console. A ModelArts workspace is 工作空间; VS Code's own workspace is 工作区.
  const terms: GlossaryTerm[] = [
    { english: /training jobs?\b/i, chinese: '训练作业' },
    { english: /workspaces?\b/i, chinese: '工作空间', except: ['Manage Workspace Trust', 'config.endpoint', 'config.iamEndpoint', 'config.obsEndpoint', 'config.ssh.hostsFile', 'capabilities.untrustedWorkspaces'] },
    { english: /workflows?\b/i, chinese: '工作流' },
    { english: /notebooks?\b/i, chinese: 'Notebook' },
    { english: /subscri/i, chinese: '订阅' },
    { english: /quota/i, chinese: '配额' },
    { english: /\bimages?\b/i, chinese: '镜像' },
    { english: /\bapps?\b/i, chinese: '应用' },
    { english: /\bprofiles?\b/i, chinese: '配置文件' },
    { english: /\baccount\b/i, chinese: '账号' },
    { english: /\bcredentials?\b/i, chinese: '凭据' },
    { english: /\bendpoint/i, chinese: '终端节点' },
    { english: /\bregion/i, chinese: '区域' },
    { english: /\bsign in\b/i, chinese: '登录' },
    { english: /\bdemo\b/i, chinese: '演示' },
  ];
  const en = readJson('package.nls.json');
  const zh = readJson('package.nls.zh-cn.json');
  const entries = [
    ...Object.entries(bundle).map(([key, value]) => ({ id: key, english: key, chinese: String(value) })),
    ...Object.keys(en).map((key) => ({ id: key, english: String(en[key]), chinese: String(zh[key]) })),
  ];

  it('the bundle and package.nls.zh-cn.json use the glossary, and the same English reads the same in both', () => {
    assert.deepEqual(glossaryProblems(entries, terms), []);
    const differing = Object.keys(en).filter((key) => String(en[key]) in bundle && bundle[String(en[key])] !== zh[key]);
    assert.deepEqual(differing.map((key) => `${key}: "${String(en[key])}" is "${String(zh[key])}" here, "${String(bundle[String(en[key])])}" in ${BUNDLE}`), []);
    assert.ok(entries.length > 450, `${entries.length} entries`);
  });

  it('names an entry that strays from the glossary', () => {
    const stray = [
      { id: 'a', english: 'No workspaces', chinese: '没有工作区' },
      { id: 'b', english: 'Account name', chinese: '帐号名' },
      { id: 'c', english: 'See https://console.huaweicloud.com/modelarts/?region=x#/training', chinese: '见 https://console.huaweicloud.com/modelarts/?region=x#/training' },
    ];
    assert.deepEqual(glossaryProblems(stray, terms), ['a: "No workspaces" → "没有工作区" should say 工作空间', 'b: "Account name" → "帐号名" should say 账号']);
  });
});
