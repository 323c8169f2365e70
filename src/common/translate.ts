// Modules that run in plain Node (unit tests) take VS Code's l10n namespace as an argument and call
// `l10n.t(…)`: the extension passes `vscode.l10n` itself, tests pass `englishL10n`. Such a module imports
// vscode for types only (`import type * as vscode from 'vscode'`), which also lets @vscode/l10n-dev find
// its strings: the extractor reads `l10n.t(…)` only in files that import 'vscode'.

import type * as vscode from 'vscode';

type Arg = string | number | boolean;

/** Fills `{0}`, `{1}`… the way `vscode.l10n.t` does for the English source strings. */
function formatMessage(message: string, ...args: Arg[]): string {
  return message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const i = Number(index);
    return i < args.length ? String(args[i]) : match;
  });
}

function formatNamed(message: string, args: Record<string, unknown>): string {
  return message.replace(/\{([^{}]+)\}/g, (match, name: string) => (name in args ? String(args[name]) : match));
}

function englishT(first: string | { message: string; args?: Arg[] | Record<string, unknown> }, ...rest: unknown[]): string {
  const message = typeof first === 'string' ? first : first.message;
  const args = typeof first === 'string' ? (rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : rest) : first.args;
  if (args === undefined) return message;
  return Array.isArray(args) ? formatMessage(message, ...(args as Arg[])) : formatNamed(message, args as Record<string, unknown>);
}

/** `vscode.l10n` as it behaves with no bundle loaded (English). */
export const englishL10n: typeof vscode.l10n = { t: englishT, bundle: undefined, uri: undefined };
