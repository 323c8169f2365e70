import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';

// Q24, made hard to forget: the extension shows text in VS Code's UI only through the wrappers of
// src/common/safeUi.ts, and those take only text made inert for their surface, so raw server text does not
// compile there.

const ROOT = join(__dirname, '..', '..', '..', '..');
const WRAPPERS = 'src/common/safeUi.ts';

/** vscode.window's functions that show text VS Code renders (links, icons). */
const RESTRICTED = new Set([
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'showQuickPick',
  'createQuickPick',
  'showInputBox',
  'createInputBox',
  'createStatusBarItem',
  'setStatusBarMessage',
  'withProgress',
]);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line name` for every use of a restricted function (`vscode.window.showErrorMessage`, `window.withProgress`…). */
function restrictedUses(files: readonly string[]): string[] {
  const uses: string[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && RESTRICTED.has(node.name.text) && /\bwindow$/.test(node.expression.getText(file))) {
        const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
        uses.push(`${relative(ROOT, path)}:${line + 1} ${node.getText(file)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return uses;
}

describe('[Q24] the safe wrappers are the only way to show text', () => {
  it('[Q24] src calls vscode.window\'s message, pick, input, progress and status-bar functions only in the wrappers', () => {
    const files = tsFiles(join(ROOT, 'src'));
    const all = restrictedUses(files);
    const outside = all.filter((use) => !use.startsWith(`${WRAPPERS}:`));
    assert.deepEqual(outside, [], `${outside.length} calls outside ${WRAPPERS}: call its wrappers instead:\n${outside.join('\n')}`);
    // The scan finds them where they are allowed (so it works).
    assert.ok(all.some((use) => use.startsWith(`${WRAPPERS}:`) && use.includes('showErrorMessage')), `the wrappers call vscode.window.showErrorMessage: ${all.slice(0, 5).join(', ')}`);
  });

  it('[Q24] raw server text passed to a wrapper does not compile; text made inert for the surface does', () => {
    const dir = join(ROOT, 'out', 'q24-typecheck');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const good = [
      `void showInformation(l10n.t('Notebook {0} is running.', nb.name), l10n.t('Open'));`,
      `void showError(messageText(nb.name), { modal: true, detail: l10n.t('{0}', nb.name) });`,
      `void showPick([{ label: pickText(nb.name), description: l10n.t('{0}', nb.name), detail: pickText(nb.id) }], { placeHolder: labelText(nb.name) });`,
      `void showInput({ title: labelText(nb.name), prompt: promptText(nb.name), validateInput: (v) => (v ? undefined : promptText(nb.name)) });`,
      `new SafeStatusItem('x', 1, 100, labelText('n')).update({ text: l10n.t('$(cloud) {0}', nb.name), tooltip: labelText(nb.name), command: 'c' });`,
      `const tip: MarkdownText = markdown\`**\${markdownText(nb.name)}**\`; void tip;`,
    ];
    const bad = [
      `void showInformation(nb.name);`,
      `void showError(vscode.l10n.t('Notebook {0} failed', nb.name));`,
      `void showWarning(l10n.t('Stop {0}?', nb.name), { modal: true, detail: nb.name });`,
      `void showInformation(l10n.t('x'), nb.name);`,
      `void showPick([{ label: nb.name }]);`,
      `void showPick([{ label: pickText(nb.name), detail: nb.id }]);`,
      `void showInput({ prompt: nb.name });`,
      `void showInput({ prompt: promptText('x'), validateInput: () => nb.name });`,
      `new SafeStatusItem('x', 1, 100, labelText('n')).update({ text: nb.name, tooltip: labelText(nb.name), command: 'c' });`,
      `void showInformation(labelText(nb.name));`,
      `void withNotificationProgress({ title: nb.name }, () => Promise.resolve());`,
      `void setStatusMessage(nb.name, 1);`,
      `const tip: MarkdownText = markdown\`**\${nb.name}**\`; void tip;`,
    ];
    const header = [
      `import * as vscode from 'vscode';`,
      `import { labelText, markdown, markdownText, messageText, pickText, promptText, safeL10n, type MarkdownText } from '../../src/common/safeText';`,
      `import { SafeStatusItem, setStatusMessage, showError, showInformation, showInput, showPick, showWarning, withNotificationProgress } from '../../src/common/safeUi';`,
      `declare const nb: { name: string; id: string };`,
      `const l10n = safeL10n(vscode.l10n);`,
    ];
    // Each snippet in a block of its own, so their names do not clash.
    const lines = [...header, ...[...good, ...bad].map((line) => `{ ${line} }`)];
    const fixture = join(dir, 'fixture.ts');
    writeFileSync(fixture, `${lines.join('\n')}\n`);
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => readFileSync(path, 'utf8'));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram([fixture], { ...options, noEmit: true, noUnusedLocals: false });
    const errorLines = new Map<number, string>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (d.file?.fileName !== fixture.replace(/\\/g, '/') && d.file?.fileName !== fixture) {
        assert.fail(`an error outside the fixture: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
      const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
      errorLines.set(line, ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 160));
    }
    const compiles = (i: number): boolean => !errorLines.has(i);
    for (let i = 0; i < header.length; i++) assert.ok(compiles(i), `${header[i]}\n  ${errorLines.get(i)}`);
    for (let i = 0; i < good.length; i++) assert.ok(compiles(header.length + i), `compiles: ${good[i]}\n  ${errorLines.get(header.length + i)}`);
    const compiled = bad.filter((_, i) => compiles(header.length + good.length + i));
    assert.deepEqual(compiled, [], 'raw text must not compile');
    console.log(`[figure Q24] type check: ${bad.length} ways of passing raw server text to a wrapper refused by the compiler, ${good.length} safe ones accepted`);
  });
});
