// The one checker of training job specs, used by the Problems panel and by Submit alike: it reads the
// contributed JSON schema itself (schemas/training-job-spec.schema.json), so the editor's schema validation and
// ours cannot disagree, and adds what a schema cannot say: the template's placeholders, and how code_dir,
// boot_file and the code block of a run configuration go together. Each problem names its
// path in words a user acts on and, for a spec text, sits on the offending key or value. No vscode here.

import type * as vscode from 'vscode';
import { isRecord } from '../../api/parse';
import { isRunConfiguration } from './spec';
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
    case '^obs://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/([^/]+/)+$':
      return l10n.t('{0} must be an OBS folder such as obs://my-bucket/runs/my-project/code/: a bucket name, at least one folder, and a final "/".', path);
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
  findings.push(...codeFindings(spec, l10n));
  // A branch of anyOf may repeat what the main walk found.
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${pathKey(f.path)} ${f.message}`;
    const fresh = !seen.has(id);
    seen.add(id);
    return fresh;
  });
}

/** `obs://bucket/a/` or `/bucket/a` as `bucket/a/`, to compare folders; undefined for any other text. */
function obsFolderKey(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const bare = /^obs:\/\//i.test(url) ? url.slice('obs://'.length) : url.startsWith('/') ? url.slice(1) : undefined;
  if (!bare) return undefined;
  const slash = bare.indexOf('/');
  // Bucket names are lower case; keys are not.
  const key = slash < 0 ? bare.toLowerCase() : bare.slice(0, slash).toLowerCase() + bare.slice(slash);
  return key.endsWith('/') ? key : `${key}/`;
}

const isAbsolutePath = (path: string): boolean => path.startsWith('/') || /^[A-Za-z]:/.test(path);

/** Whether "a/../../b" climbs above where it starts. */
function leavesFolder(path: string): boolean {
  let depth = 0;
  for (const segment of path.split('/')) {
    if (segment === '..') depth--;
    else if (segment !== '' && segment !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * What the schema cannot say about the code: a plain spec's boot_file lies in its code_dir, so it needs one; a
 * run configuration (a spec with a code block) has no code_dir, since Run on ModelArts sets it from code.obs, and
 * its paths are local ones inside its folder. Outputs inside code.obs would be deleted by the next run's mirror.
 */
function codeFindings(spec: unknown, l10n: typeof vscode.l10n): SpecFinding[] {
  if (!isRecord(spec)) return [];
  const out: SpecFinding[] = [];
  const add = (path: SpecPath, message: string, on: 'key' | 'value' = 'value'): void => void out.push({ code: 'value', path, message, on });
  const algorithm = isRecord(spec.algorithm) ? spec.algorithm : {};
  const bootFile = typeof algorithm.boot_file === 'string' && algorithm.boot_file !== '' ? algorithm.boot_file : undefined;
  if (!isRunConfiguration(spec)) {
    // A code key that is not an object is the schema's to report; the rules below would only add noise.
    if (spec.code === undefined && bootFile !== undefined && !hasOwn(algorithm, 'code_dir')) {
      add(['algorithm', 'boot_file'], l10n.t('algorithm.boot_file needs algorithm.code_dir, the OBS folder that holds it; or, to upload a local folder with "Run on ModelArts", a code block with code.obs.'), 'key');
    }
    // The schema lets a custom image take a boot file instead of a command, for run configurations, whose run
    // writes the command; the service itself needs the command.
    const engine = isRecord(algorithm.engine) ? algorithm.engine : {};
    if (spec.code === undefined && bootFile !== undefined && hasOwn(engine, 'image_url') && !hasOwn(algorithm, 'command')) {
      out.push({ code: 'required', path: ['algorithm'], on: 'key', message: l10n.t('algorithm.command is required with a custom image (algorithm.engine.image_url): only a run configuration runs its boot_file without one.') });
    }
    return out;
  }
  const code = spec.code as Record<string, unknown>;
  if (hasOwn(algorithm, 'code_dir')) add(['algorithm', 'code_dir'], l10n.t('algorithm.code_dir must be left out of a run configuration: Run on ModelArts sets it from code.obs.'), 'key');
  if (bootFile !== undefined) {
    const at: SpecPath = ['algorithm', 'boot_file'];
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(bootFile)) add(at, l10n.t('algorithm.boot_file is a path inside code.folder in a run configuration, such as train.py, not an OBS path or a URL: Run on ModelArts builds the OBS path from code.obs.'));
    else if (bootFile.includes('\\')) add(at, l10n.t('{0} must separate folders with "/", not "\\".', displayPath(at)));
    else if (isAbsolutePath(bootFile)) add(at, l10n.t('algorithm.boot_file must be relative to code.folder, such as train.py or src/train.py, not start with "/" or a drive letter.'));
    else if (bootFile.split('/').includes('..')) add(at, l10n.t('algorithm.boot_file must lie inside code.folder: a ".." segment is not allowed.'));
  }
  if (typeof code.folder === 'string') {
    const at: SpecPath = ['code', 'folder'];
    if (code.folder.includes('\\')) add(at, l10n.t('{0} must separate folders with "/", not "\\".', displayPath(at)));
    else if (isAbsolutePath(code.folder)) add(at, l10n.t('code.folder must be relative to the folder that holds .modelarts, such as . or src, not start with "/" or a drive letter.'));
    else if (leavesFolder(code.folder)) add(at, l10n.t('code.folder must not lead out of the folder that holds .modelarts with "..".'));
  }
  if (Array.isArray(code.exclude)) {
    // The schema refuses an empty entry; a blank one would be ignored as a blank .gitignore line.
    code.exclude.forEach((pattern, i) => {
      if (typeof pattern === 'string' && pattern !== '' && pattern.trim() === '') add(['code', 'exclude', i], l10n.t('{0} must not be blank.', displayPath(['code', 'exclude', i])));
    });
  }
  // Only for a folder below a bucket: a bucket root or other text is the schema's to report, not a mirror.
  const mirror = typeof code.obs === 'string' && /^obs:\/\/[^/]+\/([^/]+\/)+$/.test(code.obs) ? obsFolderKey(code.obs) : undefined;
  if (mirror !== undefined) {
    const inMirror = (url: unknown): boolean => obsFolderKey(url)?.startsWith(mirror) === true;
    const outputs = Array.isArray(algorithm.outputs) ? algorithm.outputs : [];
    outputs.forEach((output, i) => {
      const obs = isRecord(output) && isRecord(output.remote) && isRecord(output.remote.obs) ? output.remote.obs : undefined;
      const at: SpecPath = ['algorithm', 'outputs', i, 'remote', 'obs', 'obs_url'];
      if (obs && inMirror(obs.obs_url)) add(at, l10n.t('{0} lies inside code.obs, which each run replaces with a copy of the local folder: what the job writes there would be deleted. Choose an OBS folder outside code.obs.', displayPath(at)));
    });
    const logs = isRecord(spec.spec) && isRecord(spec.spec.log_export_path) ? spec.spec.log_export_path : undefined;
    const at: SpecPath = ['spec', 'log_export_path', 'obs_url'];
    if (logs && inMirror(logs.obs_url)) add(at, l10n.t('{0} lies inside code.obs, which each run replaces with a copy of the local folder: what the job writes there would be deleted. Choose an OBS folder outside code.obs.', displayPath(at)));
  }
  return out;
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
