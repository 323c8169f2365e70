// Text from the server (or from a file the user did not write) is data, never markup. VS Code renders some of
// what an extension shows: notifications and input-box messages turn `[label](command:…)` into a link that runs
// the command with its arguments (backslash escapes are not honoured there), QuickPick items and the status bar
// turn `$(name)` into an icon, tooltips are markdown, and every surface draws bidirectional overrides and other
// invisible characters as nothing, so one row could pretend to be another. One function per kind of surface
// makes such text inert there, escaping rather than deleting, and brands the result: the wrappers that show
// text (safeUi.ts) take only branded text, so raw server text does not compile there. No vscode here: unit tests
// run it in plain Node.

import type * as vscode from 'vscode';

declare const surfaceBrand: unique symbol;

/**
 * Where a text is shown; each renders differently.
 * - message: notifications, modal dialogs, progress notifications (links)
 * - pick: QuickPick items, the status bar's text, window progress (icons)
 * - prompt: an input box's prompt and validation messages (links and icons)
 * - label: plain one-line text: tree rows, QuickInput titles and placeholders, plain tooltips, screen-reader
 *   labels, tab and channel names
 * - markdown: markdown tooltips (links, icons, HTML, markup)
 * - line: a line of an output channel
 * - log: an event of the extension's log channel (a stack trace spans lines)
 * - inert: anything else (webview text, a language model tool's confirmation): every defence at once
 */
export type Surface = 'message' | 'pick' | 'prompt' | 'label' | 'markdown' | 'line' | 'log' | 'inert';

/** Text made inert for one surface. Only this module makes it: a cast to it elsewhere is the bug. */
export type SafeText<S extends Surface> = string & { readonly [surfaceBrand]: S };
export type MessageText = SafeText<'message'>;
export type PickText = SafeText<'pick'>;
export type PromptText = SafeText<'prompt'>;
export type LabelText = SafeText<'label'>;
export type MarkdownText = SafeText<'markdown'>;
export type LineText = SafeText<'line'>;
export type LogText = SafeText<'log'>;
export type InertText = SafeText<'inert'>;

/** The longest a value shows, per surface: more than any real name, message or solution; a megabyte is cut. */
export const MAX_CHARS: Readonly<Record<Surface, number>> = { message: 1000, pick: 500, prompt: 500, label: 500, markdown: 2000, line: 10_000, log: 20_000, inert: 10_000 };

// ---------------------------------------------------------------- the pieces

/** Controls, format characters (bidirectional overrides and isolates, zero-width ones), line and paragraph separators, lone surrogates. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Each invisible character as a visible escape (`\u202E`, `\n`), so no text can hide in it or reorder what follows. */
function showHidden(text: string): string {
  return text.replace(HIDDEN, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.codePointAt(0) ?? 0;
    const hex = code.toString(16).toUpperCase();
    return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
  });
}

/** Line breaks (and the blanks around them) and tabs as one space: a sentence on one line. */
function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|[\n\r\u0085\u2028\u2029])[ \t]*/g, ' ').replace(/\t/g, ' ');
}

/** At most `max` characters, then `…`; never cut inside a surrogate pair. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/**
 * `](` is where a markdown link's text meets its target: a space there is no link in VS Code's linked text
 * (notifications, input-box messages) nor in markdown, and the text still reads the same.
 */
function breakLinks(text: string): string {
  return text.replace(/\]\(/g, '] (');
}

/** The schemes that run something on their own; any other scheme only as `scheme://`. */
const SCHEME = /\b(command|file|https?|javascript|data|vbscript|mailto|vscode[\w.+-]*|[A-Za-z][A-Za-z0-9+.-]*(?=:\/\/)):(?=\S)/g;

/** `command:`, `https://`, `vscode://`… with a look-alike colon (U+2236): readable, and no longer a URI anywhere. */
function defuseSchemes(text: string): string {
  return text.replace(SCHEME, '$1\u2236');
}

/** VS Code's icon syntax; a leading backslash escapes it. */
const ICON = /(\\)?\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g;

/** `$(error)` as `\$(error)`, which the icon renderer shows as the text `$(error)`. */
function escapeIcons(text: string): string {
  return text.replace(ICON, (match, escaped: string | undefined) => (escaped ? match : `\\${match}`));
}

/** Escapes CommonMark punctuation so text renders as text; line breaks become spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, ' ');
}

// ---------------------------------------------------------------- one function per surface

const brand = <S extends Surface>(text: string): SafeText<S> => text as SafeText<S>;

/** Notifications, modal dialogs, progress notifications: one line, no link, no scheme, nothing hidden. */
export function messageText(raw: string): MessageText {
  return brand(defuseSchemes(breakLinks(showHidden(oneLine(cap(raw, MAX_CHARS.message))))));
}

/** QuickPick labels, descriptions and details, the status bar's text: no icon, nothing hidden (a line break shows as `\n`). */
export function pickText(raw: string): PickText {
  return brand(escapeIcons(showHidden(cap(raw, MAX_CHARS.pick))));
}

/** An input box's prompt and validation messages, which render both links and icons. */
export function promptText(raw: string): PromptText {
  return brand(escapeIcons(defuseSchemes(breakLinks(showHidden(oneLine(cap(raw, MAX_CHARS.prompt)))))));
}

/** Plain one-line text: tree labels and descriptions, QuickInput titles, plain tooltips, screen-reader labels, tab and channel names. */
export function labelText(raw: string): LabelText {
  return brand(showHidden(cap(raw, MAX_CHARS.label)));
}

/** A value in markdown (tooltips): every markdown character escaped, icons escaped, nothing hidden, one line. */
export function markdownText(raw: string): MarkdownText {
  return brand(escapeMarkdown(escapeIcons(showHidden(oneLine(cap(raw, MAX_CHARS.markdown))))));
}

/** One line of an output channel: an event stays one line, nothing hidden. */
export function lineText(raw: string): LineText {
  return brand(showHidden(cap(raw, MAX_CHARS.line)));
}

/**
 * An event of the extension's log channel, which stamps each event at the start of its first line: a stack
 * trace keeps its lines, each after the first indented, so no text can pass for an event of its own.
 */
export function logText(raw: string): LogText {
  return brand(
    cap(raw, MAX_CHARS.log)
      .split(/\r\n|\n/)
      .map((line, i) => (i === 0 ? showHidden(line) : `    ${showHidden(line)}`))
      .join('\n'),
  );
}

/** Any other surface (webview text, a language model tool's confirmation): no link, scheme, icon or hidden character. */
export function inertText(raw: string): InertText {
  return brand(escapeIcons(defuseSchemes(breakLinks(showHidden(cap(raw, MAX_CHARS.inert))))));
}

const NEUTRALISE: { readonly [S in Surface]: (raw: string) => SafeText<S> } = {
  message: messageText,
  pick: pickText,
  prompt: promptText,
  label: labelText,
  markdown: markdownText,
  line: lineText,
  log: logText,
  inert: inertText,
};

/** `raw` made inert for `surface`. */
export function neutralise<S extends Surface>(surface: S, raw: string): SafeText<S> {
  return (NEUTRALISE[surface] as (raw: string) => SafeText<S>)(raw);
}

/**
 * Markdown written here, with values already made safe: the literal parts are the extension's own markup
 * (`**`, `$(warning)`, line breaks), every interpolated value is MarkdownText (or a number).
 */
export function markdown(strings: TemplateStringsArray, ...values: Array<MarkdownText | number>): MarkdownText {
  return brand(strings.reduce((out, part, i) => `${out}${part}${i < values.length ? String(values[i]) : ''}`, ''));
}

// ---------------------------------------------------------------- the extension's own sentences

/** A sentence in the extension's words with the service's values still apart: each surface fills them in. */
export interface Words {
  /** The sentence for `surface`: the translated template, every value made inert for it. */
  for<S extends Surface>(surface: S): SafeText<S>;
}

/** A value in a sentence: strings are the service's (made inert), numbers and booleans are shown as they are. */
export type WordArg = string | number | boolean | Words;

export function isWords(value: unknown): value is Words {
  return typeof value === 'object' && value !== null && typeof (value as Words).for === 'function';
}

/** Placeholders for the values while the template is translated; private-use characters no translation has. */
const mark = (i: number): string => `\uE000${i}\uE001`;
const MARKS = /\uE000(\d+)\uE001/;

class Localized implements Words {
  constructor(
    private readonly l10n: typeof vscode.l10n,
    private readonly message: string,
    private readonly args: readonly WordArg[],
  ) {}

  for<S extends Surface>(surface: S): SafeText<S> {
    // Translated with markers in the placeholders: the template's own text and each value are told apart, so
    // only the values are neutralised (the template's `$(icon)` or `https://` stays), and in markdown the
    // template's text is escaped as text.
    const parts = this.l10n.t(this.message, ...this.args.map((_, i) => mark(i))).split(MARKS);
    let out = '';
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        out += surface === 'markdown' ? escapeMarkdown(part) : part;
        return;
      }
      const arg = this.args[Number(part)];
      out += arg === undefined ? '' : isWords(arg) ? arg.for(surface) : neutralise(surface, String(arg));
    });
    return brand(out);
  }
}

/**
 * `l10n.t` for sentences that carry the service's values: `t('Notebook {0} is running.', nb.name)` is Words,
 * which a wrapper renders for its surface. Name it `l10n` where it is used: @vscode/l10n-dev extracts the
 * strings of `l10n.t('…')` calls.
 */
export interface SafeL10n {
  t(message: string, ...args: WordArg[]): Words;
}

export function safeL10n(l10n: typeof vscode.l10n): SafeL10n {
  return { t: (message, ...args) => new Localized(l10n, message, args) };
}

/** Sentences side by side (`A. B.`), each rendered for the surface. */
export function joinWords(separator: string, ...parts: Words[]): Words {
  return {
    for: <S extends Surface>(surface: S): SafeText<S> => brand(parts.map((p) => p.for(surface)).join(surface === 'markdown' ? escapeMarkdown(separator) : separator)),
  };
}

/** One of the extension's own codicons (`$(cloud)`), on the surfaces that render icons; elsewhere nothing. */
export function icon(name: string): Words {
  if (!/^[a-z0-9-]+(?:~[a-z]+)?$/.test(name)) throw new Error(`not a codicon name: ${name}`);
  return { for: <S extends Surface>(surface: S): SafeText<S> => brand(surface === 'pick' || surface === 'prompt' || surface === 'markdown' ? `$(${name})` : '') };
}
