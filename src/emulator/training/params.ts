import { ApiFailure, queryValue, type EmuRequest, type EmuJsonObject } from '../framework';
import { isObject, stringAt } from '../familyKit';
import type { JobDoc, Tag } from './records';

// Reading training requests: the training service's error answers, typed parameters, tags, and the body
// of a job search turned into paging, sorting and filter predicates.

export const SEARCH_DEFAULT_LIMIT = 10;
export const SEARCH_MAX_LIMIT = 50;
export const MAX_TAGS_PER_JOB = 20;

const TAG_FORBIDDEN = /[=*<>\\,|/]/;
const SORT_KEYS: ReadonlySet<string> = new Set(['create_time', 'name', 'phase', 'duration']);
const FILTER_KEYS: ReadonlySet<string> = new Set(['name', 'phase', 'create_time', 'kind', 'user_id', 'algorithm_name', 'runtime_type']);
const OPERATORS: ReadonlySet<string> = new Set(['like', 'in', 'not', 'between']);

/** 400 InvalidParam of the training service. */
export function badParam(message: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.2788', message);
}

/** 400 for an action the object's state does not allow (the reference names no code). */
export function wrongState(message: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.0107', message);
}

/** The documented not-found answer. */
export function jobNotFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.2775', `Training job (ID: ${id}) not found.`);
}

/** 400 InvalidJsonBody: the body is not a JSON object. */
export function badJson(): ApiFailure {
  return new ApiFailure(400, 'ModelArts.2787', 'The request body is not a valid JSON object.');
}

/** An integer field of a JSON body; numeric strings are accepted as the SDKs sometimes send them. */
export function intField(body: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const raw = body[key];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badParam(`Invalid ${key}: ${JSON.stringify(raw)}; expected an integer from ${min} to ${max}.`);
  }
  return value;
}

export function intQueryParam(request: EmuRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = queryValue(request, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badParam(`Invalid ${name}: ${raw}; expected an integer from ${min} to ${max}.`);
  }
  return value;
}

/** A time query value: ms since the epoch, or an ISO date. */
export function timeQuery(request: EmuRequest, name: string): number | undefined {
  const raw = queryValue(request, name);
  if (raw === undefined || raw === '') return undefined;
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw badParam(`Invalid ${name}: ${raw}; expected ms since the epoch or an ISO date.`);
  return value;
}

/** Drops empty strings and nulls from a small echoed object (the manual's 201 shows `log_export_path: {}`). */
export function withoutEmpty(obj: Record<string, unknown>): EmuJsonObject {
  const out: EmuJsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === '' || value === null || value === undefined) continue;
    out[key] = value;
  }
  return out;
}

/** The `tags` of a tag create or delete body. */
export function parseTags(body: unknown, requireValue: boolean): Tag[] {
  if (!isObject(body)) throw badJson();
  const tags = body.tags;
  if (!Array.isArray(tags) || tags.length === 0) throw badParam('Invalid tags: a non-empty array of {key, value} is required.');
  if (tags.length > MAX_TAGS_PER_JOB) throw badParam(`Invalid tags: at most ${MAX_TAGS_PER_JOB} tags per request.`);
  return tags.map((tag: unknown, i): Tag => {
    if (!isObject(tag)) throw badParam(`Invalid tags[${i}]: expected an object with key and value.`);
    const key = tag.key;
    if (typeof key !== 'string' || key.trim().length === 0 || key.length > 128 || TAG_FORBIDDEN.test(key)) {
      throw badParam(`Invalid tags[${i}].key: 1 to 128 characters, none of = * < > \\ , | /.`);
    }
    const value = tag.value ?? '';
    if (typeof value !== 'string' || value.length > 255 || TAG_FORBIDDEN.test(value) || (requireValue && tag.value === undefined)) {
      throw badParam(`Invalid tags[${i}].value: ${requireValue ? 'required, ' : ''}at most 255 characters, none of = * < > \\ , | /.`);
    }
    return { key, value };
  });
}

/** What a search predicate looks at. */
export interface SearchableJob {
  doc: JobDoc;
  userId: string;
  tags: Tag[];
}

export type JobPredicate = (job: SearchableJob) => boolean;

export interface SearchQuery {
  offset: number;
  limit: number;
  sortBy: string;
  order: 'asc' | 'desc';
  workspaceId: string;
  predicates: JobPredicate[];
  groupBy: string;
  trainType: string;
}

/** Reads a `training-job-searches` body (page-index offset, limit 1–50, sort, order, workspace, filters, tags). */
export function parseSearch(request: EmuRequest): SearchQuery {
  const body = request.body === undefined ? {} : request.body;
  if (!isObject(body)) throw badJson();
  // The reference's example also sends `?limit=` in the query; the body wins when both are present.
  const queryLimit = intQueryParam(request, 'limit', SEARCH_DEFAULT_LIMIT, 1, SEARCH_MAX_LIMIT);
  const offset = intField(body, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = intField(body, 'limit', queryLimit, 1, SEARCH_MAX_LIMIT);
  const sortBy = body.sort_by === undefined || body.sort_by === '' ? 'create_time' : body.sort_by;
  if (typeof sortBy !== 'string' || !SORT_KEYS.has(sortBy)) {
    throw new ApiFailure(400, 'ModelArts.2790', `Unsupported sort_by: ${JSON.stringify(sortBy)}. Supported: ${[...SORT_KEYS].join(', ')}.`);
  }
  const order = body.order === undefined || body.order === '' ? 'desc' : body.order;
  if (order !== 'asc' && order !== 'desc') throw badParam(`Invalid order: ${JSON.stringify(order)}; expected asc or desc.`);
  const workspaceId = body.workspace_id === undefined || body.workspace_id === '' ? '0' : body.workspace_id;
  if (typeof workspaceId !== 'string') throw badParam('Invalid workspace_id: expected a string.');
  return {
    offset,
    limit,
    sortBy,
    order,
    workspaceId,
    predicates: [...filterPredicates(body.filters), ...tagPredicates(body.tags)],
    groupBy: typeof body.group_by === 'string' ? body.group_by : '',
    trainType: typeof body.train_type === 'string' ? body.train_type : '',
  };
}

function filterPredicates(filters: unknown): JobPredicate[] {
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters)) throw badParam('Invalid filters: expected an array.');
  return filters.map((filter: unknown, i) => {
    if (!isObject(filter)) throw badParam(`Invalid filters[${i}]: expected {key, operator, value}.`);
    const key = filter.key;
    if (typeof key !== 'string' || !FILTER_KEYS.has(key)) {
      throw new ApiFailure(400, 'ModelArts.2789', `Unsupported filter key: ${String(key)}. Supported: ${[...FILTER_KEYS].join(', ')}.`);
    }
    const operator = filter.operator;
    if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
      throw badParam(`Invalid filters[${i}].operator: ${String(operator)}; expected like, in, not or between.`);
    }
    const raw = filter.value;
    if (!Array.isArray(raw) || raw.length === 0 || raw.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      throw badParam(`Invalid filters[${i}].value: a non-empty array of strings is required.`);
    }
    const values = raw.map((v) => String(v as string | number));
    const field = (job: SearchableJob): string | number => {
      const doc = job.doc;
      switch (key) {
        case 'name':
          return doc.metadata.name;
        case 'phase':
          return doc.status.phase;
        case 'create_time':
          return doc.metadata.create_time;
        case 'kind':
          return doc.kind;
        case 'user_id':
          return job.userId;
        case 'algorithm_name':
          return stringAt(doc.algorithm, 'name') ?? '';
        default:
          return stringAt(doc.spec, 'runtime_type') ?? '';
      }
    };
    if (operator === 'between') {
      const bounds = values.map(Number);
      if (bounds.length !== 2 || bounds.some((b) => !Number.isFinite(b)) || key !== 'create_time') {
        throw badParam(`Invalid filters[${i}]: between takes two numbers and applies to create_time.`);
      }
      return (job) => {
        const v = field(job) as number;
        return v >= bounds[0] && v <= bounds[1];
      };
    }
    const lowered = values.map((v) => v.toLowerCase());
    if (operator === 'like') return (job) => lowered.some((v) => String(field(job)).toLowerCase().includes(v));
    if (operator === 'in') return (job) => lowered.includes(String(field(job)).toLowerCase());
    return (job) => !lowered.includes(String(field(job)).toLowerCase());
  });
}

function tagPredicates(tags: unknown): JobPredicate[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags) || tags.length > 10) throw badParam('Invalid tags: an array of at most 10 {key, values} filters.');
  return tags.map((tag: unknown, i) => {
    if (!isObject(tag) || typeof tag.key !== 'string') throw badParam(`Invalid tags[${i}]: {key, values} expected.`);
    const key = tag.key;
    const values = Array.isArray(tag.values) ? tag.values.map((v) => String(v as string)) : [];
    return (job: SearchableJob) => job.tags.some((t) => t.key === key && (values.length === 0 || values.includes(t.value)));
  });
}
