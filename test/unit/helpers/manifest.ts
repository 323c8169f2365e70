import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The contributions of one area of commands, read back from package.json and its nls files.

export const ROOT = join(__dirname, '..', '..', '..', '..');

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T;

interface MenuEntry {
  command: string;
  when: string;
  group: string;
}

export interface AreaContributions {
  commands: Array<{ command: string; title: string }>;
  menus: { 'view/item/context': MenuEntry[] };
  /** English title → Chinese title. */
  zh: Record<string, string>;
}

export function contributionsOf(commandPrefixes: readonly string[]): AreaContributions {
  const pkg = readJson<{ contributes: { commands: Array<{ command: string; title: string }>; menus: Record<string, MenuEntry[]> } }>('package.json');
  const en = readJson<Record<string, string>>('package.nls.json');
  const zhCn = readJson<Record<string, string>>('package.nls.zh-cn.json');
  const inArea = (id: string): boolean => commandPrefixes.some((prefix) => id.startsWith(prefix));
  const key = (title: string): string => title.replace(/^%|%$/g, '');
  const commands = pkg.contributes.commands.filter((c) => inArea(c.command)).map((c) => ({ command: c.command, title: en[key(c.title)] ?? c.title }));
  const zh: Record<string, string> = {};
  for (const c of pkg.contributes.commands.filter((x) => inArea(x.command))) {
    const title = en[key(c.title)];
    const translated = zhCn[key(c.title)];
    if (title && translated) zh[title] = translated;
  }
  return { commands, menus: { 'view/item/context': (pkg.contributes.menus['view/item/context'] ?? []).filter((m) => inArea(m.command)) }, zh };
}

/** Every string value in a JSON document (package.json), depth first. */
export function jsonStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(jsonStrings);
  return [];
}

/** The Chinese runtime bundle. */
export function zhBundle(): Record<string, string> {
  return readJson<Record<string, string>>('l10n/bundle.l10n.zh-cn.json');
}

/** Whether a `view == … && (viewItem =~ /a/ || viewItem =~ /b/)` menu clause shows for a row's context value. */
export function menuShows(when: string, contextValue: string): boolean {
  assert.ok(when.startsWith('view == modelarts.explorer && '), when);
  const regexes = [...when.matchAll(/viewItem =~ \/([^/]+)\//g)].map((m) => new RegExp(m[1]));
  assert.ok(regexes.length > 0, when);
  if (regexes.length > 1) assert.ok(/&& \(viewItem =~ .*\)$/.test(when), `every || parenthesised: ${when}`);
  return regexes.some((r) => r.test(contextValue));
}
