// Spec text to value, with where each key and value sits (a position map keyed by path) and the syntax
// problems at their offsets. JSON is read by a small scanner of our own: no dependency (jsonc-parser would
// add about 11 KB to a bundle near its bar), and its messages are ours to word and translate. YAML uses the
// `yaml` library's node ranges; the library is its own bundle, loaded on the first YAML spec. No vscode here.

import type * as vscode from 'vscode';
import { parseDocument } from 'yaml';
import { isRecord } from '../../api/parse';

export type SpecFormat = 'json' | 'yaml';
export type SpecPath = ReadonlyArray<string | number>;

/** What kind of problem a diagnostic reports (its `code`). */
export type ProblemCode = 'syntax' | 'unknown-key' | 'type' | 'required' | 'value' | 'placeholder';

/** One problem of a spec text: offsets into the text, end exclusive. */
export interface SpecProblem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** Where a value sits, and its key when it has one. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly keyStart?: number;
  readonly keyEnd?: number;
}

export interface ParsedSpec {
  /** Undefined when the text has syntax problems. */
  readonly value: unknown;
  readonly spans: ReadonlyMap<string, Span>;
  readonly problems: readonly SpecProblem[];
}

export const pathKey = (path: SpecPath): string => JSON.stringify(path);

class JsonStop extends Error {
  constructor(
    readonly at: number,
    readonly why: string,
  ) {
    super(why);
  }
}

const JSON_LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scanJson(text: string, l10n: typeof vscode.l10n): ParsedSpec {
  const spans = new Map<string, Span>();
  const problems: SpecProblem[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const fail = (why: string, at = i): never => {
    throw new JsonStop(at, why);
  };
  const string = (): string => {
    const start = i++;
    while (text.charAt(i) !== '"') {
      if (i >= text.length) fail(l10n.t('This text has no closing double quote.'), start);
      if (text.charCodeAt(i) < 0x20) fail(l10n.t('Text in double quotes cannot hold a line break: close it with " or write \\n.'));
      if (text[i] === '\\') {
        i++;
        const ok = text[i] === 'u' ? /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5)) : text.charAt(i) !== '' && '"\\/bfnrt'.includes(text.charAt(i));
        if (!ok) fail(l10n.t('Unknown escape after a backslash: write \\\\ for a backslash.'), i - 1);
      }
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: Array<string | number>, key?: readonly [number, number]): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      const seen = new Set<string>();
      // The loop is entered only when the object is not empty, so a "}" met inside it follows a comma.
      if (text[i] !== '}') {
        for (;;) {
          ws();
          if (text[i] !== '"') fail(text[i] === '}' ? l10n.t('Remove the comma before "}".') : l10n.t('Expected a key in double quotes.'));
          const keyStart = i;
          const name = string();
          const keyEnd = i;
          if (seen.has(name)) problems.push({ code: 'syntax', start: keyStart, end: keyEnd, message: l10n.t('The key "{0}" appears twice here: keep one.', name) });
          seen.add(name);
          ws();
          if (text[i] !== ':') fail(l10n.t('Expected ":" after the key.'));
          i++;
          value([...path, name], [keyStart, keyEnd]);
          ws();
          if (text[i] === '}') break;
          if (text[i] !== ',') fail(l10n.t('Expected "," or "}".'));
          i++;
        }
      }
      i++;
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] !== ']') {
        for (let n = 0; ; n++) {
          ws();
          if (text[i] === ']') fail(l10n.t('Remove the comma before "]".'));
          value([...path, n]);
          ws();
          if (text[i] === ']') break;
          if (text[i] !== ',') fail(l10n.t('Expected "," or "]".'));
          i++;
        }
      }
      i++;
    } else if (c === '"') string();
    else {
      JSON_LITERAL.lastIndex = i;
      const literal = JSON_LITERAL.exec(text);
      if (!literal) fail(i < text.length ? l10n.t('Expected a value: an object, a list, text in double quotes, a number, true, false or null.') : l10n.t('The text ends where a value is expected.'));
      else i += literal[0].length;
    }
    spans.set(pathKey(path), key ? { start, end: i, keyStart: key[0], keyEnd: key[1] } : { start, end: i });
  };
  try {
    value([]);
    ws();
    if (i < text.length) fail(l10n.t('Unexpected text after the end of the spec.'));
  } catch (stop) {
    if (!(stop instanceof JsonStop)) throw stop;
    problems.push({ code: 'syntax', start: stop.at, end: Math.min(stop.at + 1, text.length), message: stop.why });
  }
  return { value: problems.length === 0 ? (JSON.parse(text) as unknown) : undefined, spans, problems };
}

/** The parts of the yaml library's nodes read here (its type guards are not part of the lazy bundle's face). */
interface YamlNodeLike {
  range?: readonly [number, number, number] | null;
  items?: unknown[];
  value?: unknown;
}

function yamlSpans(root: unknown): Map<string, Span> {
  const spans = new Map<string, Span>();
  const visit = (node: unknown, path: Array<string | number>, key?: YamlNodeLike): void => {
    if (!isRecord(node)) {
      // A key with nothing after it (`metadata:`) has no value node: its key stands for it.
      if (key?.range) spans.set(pathKey(path), { start: key.range[0], end: key.range[1], keyStart: key.range[0], keyEnd: key.range[1] });
      return;
    }
    const n = node as YamlNodeLike;
    const range = n.range ?? [0, 0, 0];
    spans.set(pathKey(path), key?.range ? { start: range[0], end: range[1], keyStart: key.range[0], keyEnd: key.range[1] } : { start: range[0], end: range[1] });
    if (!Array.isArray(n.items)) return;
    n.items.forEach((item, index) => {
      // A mapping's items are pairs (with a key); a sequence's are nodes.
      if (isRecord(item) && 'key' in item) {
        const pairKey = item.key as YamlNodeLike | null;
        const keyValue = pairKey?.value;
        // As toJS names a mapping's keys: text as it is, numbers and booleans as they print.
        const name = typeof keyValue === 'string' ? keyValue : JSON.stringify(keyValue ?? null);
        visit(item.value, [...path, name], pairKey ?? undefined);
      } else visit(item, [...path, index]);
    });
  };
  visit(root, []);
  return spans;
}

function scanYaml(text: string, l10n: typeof vscode.l10n): ParsedSpec {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const problems: SpecProblem[] = doc.errors.map((error) => {
    const start = Math.min(error.pos[0], text.length);
    return {
      code: 'syntax' as const,
      start,
      end: Math.min(Math.max(error.pos[1], start + 1), text.length),
      message: l10n.t('Not valid YAML: {0}', error.message.split('\n')[0] ?? error.message),
    };
  });
  const spans = yamlSpans(doc.contents);
  if (problems.length > 0) return { value: undefined, spans, problems };
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, spans, problems };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { value: undefined, spans, problems: [{ code: 'syntax', start: 0, end: Math.min(1, text.length), message: l10n.t('Not valid YAML: {0}', message) }] };
  }
}

/** Without a format: JSON when the text starts like JSON, YAML otherwise. */
export function parseSpecSource(text: string, format: SpecFormat | undefined, l10n: typeof vscode.l10n): ParsedSpec {
  if (text.trim() === '') return { value: undefined, spans: new Map(), problems: [{ code: 'syntax', start: 0, end: text.length, message: l10n.t('The spec is empty.') }] };
  const json = format === 'json' || (format === undefined && /^\s*[{[]/.test(text));
  return json ? scanJson(text, l10n) : scanYaml(text, l10n);
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
