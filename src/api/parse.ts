// Tolerant readers for untrusted JSON. One odd item is marked (`problems`) and kept, never thrown:
// the tree marks that row and shows the rest. Only a body whose overall shape is unusable throws.

import { ModelArtsError } from './errors';
import type { JsonObject, OpenEnum, Parsed } from './types';

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops keys whose value is undefined, so parsed objects hold only what the API sent. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Reads the fields of one object and collects what is wrong with them. Nested readers share the list
 * and prefix their field names (`lease.type`), so a problem says where it is.
 */
export class FieldReader {
  readonly obj: JsonObject;

  constructor(
    value: unknown,
    readonly problems: string[] = [],
    private readonly prefix = '',
  ) {
    if (isRecord(value)) {
      this.obj = value;
    } else {
      this.obj = {};
      problems.push(prefix ? `${prefix.slice(0, -1)} is not an object` : 'not an object');
    }
  }

  private name(key: string): string {
    return `${this.prefix}${key}`;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  /** A string; a number or boolean is turned into its text (ids come as numbers in places). */
  string(key: string): string | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.problems.push(`${this.name(key)} is not a string`);
    return undefined;
  }

  /** A string the item cannot do without (an id, a name): '' and a problem when missing. */
  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === '') {
      if (!this.has(key) || value === '') this.problems.push(`missing ${this.name(key)}`);
      return '';
    }
    return value;
  }

  /**
   * A display name the item cannot do without. None of the services allows `<` or `>` in names, so a
   * name carrying markup is marked as malformed (the view still shows it, escaped).
   */
  label(key: string): string;
  label(key: string, required: false): string | undefined;
  label(key: string, required = true): string | undefined {
    const value = required ? this.requiredString(key) : this.string(key);
    if (value !== undefined && /[<>]/.test(value)) this.problems.push(`${this.name(key)} contains markup`);
    return value;
  }

  number(key: string): number | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    this.problems.push(`${this.name(key)} is not a number`);
    return undefined;
  }

  boolean(key: string): boolean | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.problems.push(`${this.name(key)} is not a boolean`);
    return undefined;
  }

  /** An array of strings; numbers are turned into text, other entries dropped with a problem. */
  strings(key: string): string[] | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.problems.push(`${this.name(key)} is not a list`);
      return undefined;
    }
    const out: string[] = [];
    for (const entry of value as unknown[]) {
      if (typeof entry === 'string') out.push(entry);
      else if (typeof entry === 'number') out.push(String(entry));
      else this.problems.push(`${this.name(key)} has a non-text entry`);
    }
    return out;
  }

  record(key: string): JsonObject | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (isRecord(value)) return value;
    this.problems.push(`${this.name(key)} is not an object`);
    return undefined;
  }

  /** A list of objects, kept as received; entries that are not objects are dropped with a problem. */
  records(key: string): JsonObject[] | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.problems.push(`${this.name(key)} is not a list`);
      return undefined;
    }
    const list = value as unknown[];
    const out = list.filter(isRecord);
    if (out.length !== list.length) this.problems.push(`${this.name(key)} has a non-object entry`);
    return out;
  }

  /**
   * Name → value pairs given as one map or as a list of maps (`algorithm.environments`: one map in the
   * reference's request, a list of maps in its response model); later entries win. Numbers and booleans
   * become text; other values and entries are dropped with a problem.
   */
  variables(key: string): Record<string, string> | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    const maps: unknown[] = Array.isArray(value) ? value : [value];
    const out: Record<string, string> = {};
    for (const map of maps) {
      if (!isRecord(map)) {
        this.problems.push(`${this.name(key)} is not a map or a list of maps`);
        continue;
      }
      for (const [name, entry] of Object.entries(map)) {
        if (typeof entry === 'string') out[name] = entry;
        else if (typeof entry === 'number' || typeof entry === 'boolean') out[name] = String(entry);
        else this.problems.push(`${this.name(key)}.${name} is not text`);
      }
    }
    return out;
  }

  /** The raw array (for lists whose items have their own parser); undefined when absent. */
  array(key: string): unknown[] | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value as unknown[];
    this.problems.push(`${this.name(key)} is not a list`);
    return undefined;
  }

  /**
   * A value of a documented enum. An undocumented value is kept as received and recorded; with
   * `caseInsensitive`, a known value in another case (the docs write `public`, `timing`) maps to the
   * documented spelling without a problem.
   */
  enumValue<T extends string>(
    key: string,
    known: readonly T[],
    options: { required?: boolean; caseInsensitive?: boolean } = {},
  ): OpenEnum<T> | undefined {
    const value = this.string(key);
    if (value === undefined || value === '') {
      if (options.required) this.problems.push(`missing ${this.name(key)}`);
      return undefined;
    }
    if ((known as readonly string[]).includes(value)) return value;
    if (options.caseInsensitive) {
      const match = known.find((k) => k.toLowerCase() === value.toLowerCase());
      if (match !== undefined) return match;
    }
    this.problems.push(`unknown ${this.name(key)} '${describe(value)}'`);
    return value;
  }

  /** A reader over a nested object sharing this reader's problems; undefined when the field is absent. */
  nested(key: string): FieldReader | undefined {
    const value = this.obj[key];
    if (value === undefined || value === null) return undefined;
    return new FieldReader(value, this.problems, `${this.name(key)}.`);
  }

  /** Puts the problems (if any) on the finished item and drops undefined fields. */
  finish<T extends Parsed>(item: T): T {
    compact(item);
    if (this.problems.length > 0) item.problems = [...this.problems];
    return item;
  }
}

// ---------------------------------------------------------------- envelopes

export interface ResponseInfo {
  status?: number;
  requestId?: string;
}

export function invalidResponse(operation: string, message: string, response?: ResponseInfo): ModelArtsError {
  return new ModelArtsError({
    kind: 'invalid-response',
    status: response?.status,
    requestId: response?.requestId,
    message: `${operation}: ${message}`,
  });
}

/** The body as an object, or an 'invalid-response' error naming the operation. */
export function expectObject(body: unknown, operation: string, response?: ResponseInfo): JsonObject {
  if (isRecord(body)) return body;
  throw invalidResponse(operation, `expected a JSON object, got ${body === undefined || body === '' ? 'an empty body' : describe(body)}`, response);
}

/**
 * The items of a list answer. The envelope must be an object and `key` a list; a missing list is read as
 * empty only when the envelope's own count says there is nothing (some services omit empty arrays).
 */
export function listItems(
  body: unknown,
  key: string,
  operation: string,
  response?: ResponseInfo,
  countKeys: readonly string[] = ['total', 'count', 'total_count'],
): { envelope: JsonObject; items: unknown[] } {
  const envelope = expectObject(body, operation, response);
  const items = envelope[key];
  if (Array.isArray(items)) return { envelope, items: items as unknown[] };
  if ((items === undefined || items === null) && countKeys.some((k) => envelope[k] === 0)) return { envelope, items: [] };
  throw invalidResponse(operation, `expected '${key}' to be a list`, response);
}

/** A non-negative integer count from the envelope, or undefined. */
export function readCount(envelope: JsonObject, key: string): number | undefined {
  const value = envelope[key];
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
