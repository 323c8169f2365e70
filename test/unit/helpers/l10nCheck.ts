import { getL10nJson } from '@vscode/l10n-dev';
import * as ts from 'typescript';

// The checks behind test/unit/l10n.test.ts, kept apart so the test can also run them on fixtures that must fail.

export interface Source {
  /** Relative path, used in messages. */
  path: string;
  text: string;
}

/** English string → the first file it is used in, as @vscode/l10n-dev extracts them (`vscode.l10n.t('…')`, `l10n.t('…')`). */
export async function extractStrings(sources: readonly Source[]): Promise<Map<string, string>> {
  const bundles = await Promise.all(sources.map((s) => getL10nJson([{ contents: s.text, extension: '.ts' }])));
  const found = new Map<string, string>();
  bundles.forEach((bundle, i) => {
    for (const key of Object.keys(bundle)) if (!found.has(key)) found.set(key, sources[i].path);
  });
  return found;
}

/**
 * Literal first arguments of every call to a function named `t` (`t('…')`, `l10n.t('…')`, `this.l10n.t('…')`),
 * found in the syntax tree: the extraction must cover each, or a string would silently stay English.
 */
export function literalTCalls(sources: readonly Source[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const source of sources) {
    const file = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const named = (ts.isIdentifier(callee) && callee.text === 't') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
        const first = node.arguments[0];
        if (named && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) && !found.has(first.text)) {
          const { line } = file.getLineAndCharacterOfPosition(first.getStart(file));
          found.set(first.text, `${source.path}:${line + 1}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

/** Calls the extractor does not see: a `t` that is not `vscode.l10n.t` or `l10n.t` in a file importing 'vscode'. */
export function unextracted(calls: ReadonlyMap<string, string>, extracted: ReadonlyMap<string, string>): string[] {
  return [...calls]
    .filter(([text]) => !extracted.has(text))
    .map(([text, where]) => `${where}: "${text}" is not found by @vscode/l10n-dev (call it as l10n.t('…') or vscode.l10n.t('…') in a file that imports 'vscode')`);
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
const commandLinks = (text: string): string[] => [...text.matchAll(/\(command:[^)\s]+\)/g)].map((m) => m[0]).sort();
const leadingIcon = (text: string): string | undefined => /^\$\([a-z-~]+\)/.exec(text)?.[0];
const same = (a: readonly string[], b: readonly string[]): boolean => a.join('\n') === b.join('\n');

/** One message per string the bundle lacks, leaves empty, or translates with other placeholders or another leading codicon. */
export function bundleProblems(strings: ReadonlyMap<string, string>, bundle: Record<string, unknown>, bundleName: string): string[] {
  const problems: string[] = [];
  for (const [key, where] of strings) {
    const zh = bundle[key];
    if (typeof zh !== 'string' || zh.trim() === '') {
      problems.push(`${where}: "${key}" is missing from ${bundleName}`);
      continue;
    }
    if (!same(placeholders(zh), placeholders(key))) problems.push(`${bundleName}: "${key}" has placeholders ${placeholders(key).join(' ')}, its translation ${placeholders(zh).join(' ') || 'none'}`);
    const icon = leadingIcon(key);
    if (icon && !zh.startsWith(icon)) problems.push(`${bundleName}: "${key}" starts with ${icon}, its translation does not`);
  }
  return problems;
}

/** package.nls.json against a translation: the same keys both ways, non-empty values, the same placeholders and command links. */
export function nlsProblems(en: Record<string, unknown>, zh: Record<string, unknown>, zhName: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(en)) if (!(key in zh)) problems.push(`${zhName} lacks ${key}`);
  for (const key of Object.keys(zh)) if (!(key in en)) problems.push(`${zhName} has ${key}, which package.nls.json does not`);
  for (const [key, value] of Object.entries(zh)) {
    const english = en[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${zhName}: ${key} is empty`);
      continue;
    }
    if (typeof english !== 'string') continue;
    if (!same(placeholders(value), placeholders(english))) problems.push(`${zhName}: ${key} has placeholders ${placeholders(value).join(' ') || 'none'}, package.nls.json ${placeholders(english).join(' ') || 'none'}`);
    if (!same(commandLinks(value), commandLinks(english))) problems.push(`${zhName}: ${key} links ${commandLinks(value).join(' ') || 'nothing'}, package.nls.json ${commandLinks(english).join(' ') || 'nothing'}`);
  }
  return problems;
}

export interface GlossaryTerm {
  english: RegExp;
  chinese: string;
  /** Entries (bundle keys or nls keys) where the English word means something else. */
  except?: readonly string[];
}

/** Each entry whose English names a term must use its Chinese term (URLs are left out: their words are not prose). */
export function glossaryProblems(entries: ReadonlyArray<{ id: string; english: string; chinese: string }>, terms: readonly GlossaryTerm[]): string[] {
  const problems: string[] = [];
  for (const { id, english, chinese } of entries) {
    const prose = english.replace(/https?:\/\/\S+/g, '');
    for (const term of terms) {
      if (term.english.test(prose) && !chinese.includes(term.chinese) && !term.except?.includes(id)) {
        problems.push(`${id}: "${english}" → "${chinese}" should say ${term.chinese}`);
      }
    }
  }
  return problems;
}
