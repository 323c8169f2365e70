// The one checker of training job specs, used by the Problems panel and by Submit alike: it reads the
// contributed JSON schema itself (schemas/training-job-spec.schema.json), so the editor's schema validation and
// ours cannot disagree, and adds what a schema cannot say: the template's placeholders. Each problem names its
// path in words a user acts on and, for a spec text, sits on the offending key or value. No vscode here.

import type * as vscode from 'vscode';
import { isRecord } from '../../api/parse';
import { lineOf, parseSpecSource, pathKey, type ProblemCode, type Span, type SpecFormat, type SpecPath, type SpecProblem } from './specSource';

/** The part of JSON Schema (draft-07) the spec schema uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxProperties?: number;
  anyOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
}

/** Keywords the checker enforces, and those that only annotate; a unit test fails on any other in the schema. */
export const CHECKED_KEYWORDS = ['$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'maxProperties', 'anyOf', 'definitions'];
export const ANNOTATION_KEYWORDS = ['$schema', '$id', 'title', 'description', 'default'];

/** A problem of a spec value, by path; `on` says whether a text position is the key's or the value's. */
export interface SpecFinding {
  readonly code: ProblemCode;
  readonly path: SpecPath;
  readonly message: string;
  readonly on: 'key' | 'value';
  /** The placeholder text inside the value, for a placeholder. */
  readonly placeholder?: string;
}

/** Template placeholders: `<word>` inside a string value. */
const PLACEHOLDER = /<[A-Za-z][\w.-]*>/g;

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** `algorithm.inputs[0].name`. */
export function displayPath(path: SpecPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function typeWord(type: string, l10n: typeof vscode.l10n): string {
  switch (type) {
    case 'string':
      return l10n.t('text');
    case 'integer':
      return l10n.t('a whole number');
    case 'number':
      return l10n.t('a number');
    case 'boolean':
      return l10n.t('true or false');
    case 'object':
      return l10n.t('keys with values');
    case 'array':
      return l10n.t('a list');
    default:
      return l10n.t('empty (null)');
  }
}

/** What was found instead: the value itself when it is short and simple, its kind otherwise. */
function foundWord(value: unknown, l10n: typeof vscode.l10n): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeWord(typeOf(value), l10n);
}

/** Patterns of the schema in words; a unit test fails when the schema has a pattern this does not word. */
export function patternMessage(pattern: string, path: string, l10n: typeof vscode.l10n): string | undefined {
  switch (pattern) {
    case '^[A-Za-z0-9_-]{1,64}$':
      return l10n.t('{0} must be 1 to 64 letters, digits, "_" or "-".', path);
    case '^(0|[a-z0-9]{32})$':
      return l10n.t('{0} must be "0" or a 32-character workspace id.', path);
    default:
      return undefined;
  }
}

/** What to put in place of a template placeholder; a unit test fails when the template has one without words. */
export function placeholderHint(placeholder: string, l10n: typeof vscode.l10n): string | undefined {
  switch (placeholder) {
    case '<organization>':
      return l10n.t('your SWR organization');
    case '<image>':
      return l10n.t('the name of your image');
    case '<tag>':
      return l10n.t('the image version, e.g. 1.0');
    default:
      return undefined;
  }
}

/** The closest known key, when the unknown one looks like a misspelling of it. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length] ?? Infinity;
  };
  const lower = key.toLowerCase().replace(/-/g, '_');
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d <= Math.max(1, Math.floor(candidate.length / 4)) && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

/** Every problem of a spec value: what the schema refuses, and placeholders left from the template. */
export function checkSpec(spec: unknown, schema: JsonSchema, l10n: typeof vscode.l10n): SpecFinding[] {
  const resolve = (s: JsonSchema): JsonSchema => (s.$ref ? (schema.definitions?.[s.$ref.replace('#/definitions/', '')] ?? {}) : s);

  const walk = (given: JsonSchema, value: unknown, path: SpecPath, out: SpecFinding[]): void => {
    const s = resolve(given);
    const at = displayPath(path);
    const add = (code: ProblemCode, message: string, on: 'key' | 'value' = 'value', where = path): void => void out.push({ code, path: where, message, on });
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => typeMatches(value, t))) {
        const expected = types.map((t) => typeWord(t, l10n)).join(' / ');
        add('type', path.length === 0 ? l10n.t('A training job spec must be keys with values, not {0}.', foundWord(value, l10n)) : l10n.t('{0} must be {1}, not {2}.', at, expected, foundWord(value, l10n)));
        return;
      }
    }
    if (s.enum && !s.enum.includes(value)) add('value', l10n.t('{0} must be one of {1}.', at, s.enum.map(String).join(', ')));
    if (typeof value === 'string') {
      // One message per text: the first rule it breaks.
      const worded = s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value) ? (patternMessage(s.pattern, at, l10n) ?? l10n.t('{0} must match {1}.', at, s.pattern)) : undefined;
      const tooShort = s.minLength !== undefined && value.length < s.minLength ? (s.minLength === 1 ? l10n.t('{0} must not be empty.', at) : l10n.t('{0} must be at least {1} characters long.', at, s.minLength)) : undefined;
      const tooLong = s.maxLength !== undefined && value.length > s.maxLength ? l10n.t('{0} must be at most {1} characters long.', at, s.maxLength) : undefined;
      const message = worded ?? tooShort ?? tooLong;
      if (message) add('value', message);
    }
    if (typeof value === 'number') {
      if (s.minimum !== undefined && value < s.minimum) add('value', s.type === 'integer' ? l10n.t('{0} must be a whole number of at least {1}.', at, s.minimum) : l10n.t('{0} must be at least {1}.', at, s.minimum));
      if (s.maximum !== undefined && value > s.maximum) add('value', l10n.t('{0} must be at most {1}.', at, s.maximum));
    }
    if (isRecord(value)) {
      for (const key of s.required ?? []) if (!hasOwn(value, key)) add('required', l10n.t('{0} is required.', displayPath([...path, key])), 'key');
      const known = Object.keys(s.properties ?? {});
      for (const [key, item] of Object.entries(value)) {
        const sub = s.properties && hasOwn(s.properties, key) ? s.properties[key] : undefined;
        if (sub) walk(sub, item, [...path, key], out);
        else if (isRecord(s.additionalProperties)) walk(s.additionalProperties, item, [...path, key], out);
        else if (s.additionalProperties === false) {
          const where = path.length === 0 ? l10n.t('a training job spec') : at;
          const near = closestKey(key, known);
          add(
            'unknown-key',
            near ? l10n.t('"{0}" is not a key of {1}. Did you mean "{2}"?', key, where, near) : l10n.t('"{0}" is not a key of {1}, which takes: {2}.', key, where, known.join(', ')),
            'key',
            [...path, key],
          );
        }
      }
      if (s.maxProperties !== undefined && Object.keys(value).length > s.maxProperties) add('value', l10n.t('{0} may hold at most {1} entries.', at, s.maxProperties), 'key');
    }
    if (Array.isArray(value) && s.items) {
      const items = s.items;
      value.forEach((item, i) => walk(items, item, [...path, i], out));
    }
    if (s.anyOf) {
      const tries = s.anyOf.map((branch) => {
        const found: SpecFinding[] = [];
        walk(branch, value, path, found);
        const present = isRecord(value) ? (branch.required ?? []).filter((key) => hasOwn(value, key)).length : 0;
        return { branch, found, present };
      });
      if (tries.every((t) => t.found.length > 0)) {
        // The alternative the user started on (most of its keys given) says what is missing; with none
        // started, the message lists the alternatives.
        const best = [...tries].sort((a, b) => b.present - a.present || a.found.length - b.found.length)[0];
        if (best && best.present > 0) out.push(...best.found);
        else {
          const alternatives = s.anyOf.map((branch) =>
            (branch.required ?? []).map((key) => {
              const inner = branch.properties?.[key]?.required;
              return inner?.length === 1 ? `${key}.${inner[0]}` : key;
            }),
          );
          add('required', l10n.t('{0} needs one of: {1}.', at, alternatives.map((keys) => keys.join(' + ')).join('; ')), 'key');
        }
      }
    }
  };

  const findings: SpecFinding[] = [];
  walk(schema, spec, [], findings);
  const placeholders = (value: unknown, path: SpecPath): void => {
    if (typeof value === 'string') {
      for (const [placeholder] of value.matchAll(PLACEHOLDER)) {
        const hint = placeholderHint(placeholder, l10n) ?? l10n.t('your own value');
        findings.push({ code: 'placeholder', path, on: 'value', placeholder, message: l10n.t('Replace the placeholder {0} in {1} with {2}.', placeholder, displayPath(path), hint) });
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => placeholders(item, [...path, i]));
    // Descriptions are free text, where "<b>" or "<none>" may well be meant.
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) if (key !== 'description') placeholders(item, [...path, key]);
  };
  placeholders(spec, []);
  // A branch of anyOf may repeat what the main walk found.
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${pathKey(f.path)} ${f.message}`;
    const fresh = !seen.has(id);
    seen.add(id);
    return fresh;
  });
}

export interface SpecCheck {
  /** The parsed spec; undefined when the text has syntax problems. */
  readonly value: unknown;
  /** Sorted by position. */
  readonly problems: readonly SpecProblem[];
}

/** The offsets a finding points at: its key or value, the nearest ancestor's when it has no position of its own. */
function locate(finding: SpecFinding, spans: ReadonlyMap<string, Span>, text: string): { start: number; end: number } {
  let path = finding.path;
  let span = spans.get(pathKey(path));
  while (!span && path.length > 0) {
    path = path.slice(0, -1);
    span = spans.get(pathKey(path));
  }
  if (!span) return { start: 0, end: Math.min(1, text.length) };
  const own = path.length === finding.path.length;
  if (own && finding.placeholder) {
    const inside = text.slice(span.start, span.end).indexOf(finding.placeholder);
    if (inside >= 0) return { start: span.start + inside, end: span.start + inside + finding.placeholder.length };
  }
  const onKey = finding.on === 'key' || !own || span.end <= span.start;
  if (onKey && span.keyStart !== undefined && span.keyEnd !== undefined) return { start: span.keyStart, end: span.keyEnd };
  // A whole object or list would underline many lines: its first line stands for it.
  const lineEnd = text.indexOf('\n', span.start);
  return { start: span.start, end: lineEnd > span.start && lineEnd < span.end ? lineEnd : Math.max(span.end, Math.min(span.start + 1, text.length)) };
}

/** Checks a spec text: syntax problems alone when it does not parse, otherwise every finding at its position. */
export function checkSpecText(text: string, format: SpecFormat | undefined, schema: JsonSchema, l10n: typeof vscode.l10n): SpecCheck {
  const parsed = parseSpecSource(text, format, l10n);
  if (parsed.problems.length > 0) return { value: undefined, problems: parsed.problems };
  const problems = checkSpec(parsed.value, schema, l10n).map((finding) => ({ code: finding.code, message: finding.message, ...locate(finding, parsed.spans, text) }));
  return { value: parsed.value, problems: problems.sort((a, b) => a.start - b.start) };
}

/** Submit's refusal: how many problems, the first few with their lines, and how many more. */
export function refusalMessage(problems: readonly SpecProblem[], text: string, l10n: typeof vscode.l10n, shown = 3): string {
  const listed = problems.slice(0, shown).map((p) => l10n.t('Line {0}: {1}', lineOf(text, p.start), p.message));
  if (problems.length > shown) listed.push(l10n.t('…and {0} more.', problems.length - shown));
  return l10n.t('Not submitted: the spec has {0} problem(s). {1}', problems.length, listed.join(' '));
}
