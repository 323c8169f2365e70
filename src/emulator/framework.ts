import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { stableUuid } from './familyKit';

// The pieces every emulated resource family builds on: requests, responses, errors, routes, time.

export type EmuJsonObject = Record<string, unknown>;

export interface EmuRequest {
  method: string;
  /** Path without query, as received. */
  path: string;
  /** Path parameters by the names used in the route pattern (`{training_job_id}` -> `training_job_id`). */
  params: Readonly<Record<string, string>>;
  /** Decoded query pairs in request order. */
  query: ReadonlyArray<readonly [string, string]>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the body is empty. Invalid JSON never reaches a handler. */
  body: unknown;
  rawBody: Buffer;
  /** Emulated time, ms since the epoch. */
  now: number;
}

export interface EmuResponse {
  status: number;
  /** Serialised as JSON unless undefined (empty body). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: EmuRequest) => EmuResponse;

/** An error answer with a documented body: `{error_code, error_msg[, error_solution]}`. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: EmuJsonObject = {},
  ) {
    super(message);
  }

  toBody(): EmuJsonObject {
    return { error_code: this.code, error_msg: this.message, ...this.extra };
  }
}

/** 400 invalid parameter, the code the emulator uses where the reference names none (see README). */
export function invalidParam(message: string, code = 'ModelArts.0107'): ApiFailure {
  return new ApiFailure(400, code, message);
}

export function queryValue(request: EmuRequest, name: string): string | undefined {
  return request.query.find(([key]) => key === name)?.[1];
}

export function queryValues(request: EmuRequest, name: string): string[] {
  return request.query.filter(([key]) => key === name).map(([, value]) => value);
}

/** Parses an optional non-negative integer query parameter, or fails with 400. */
export function intQuery(request: EmuRequest, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = queryValue(request, name);
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParam(`Invalid ${name}: ${raw}; expected an integer from ${min} to ${max}.`);
  }
  return value;
}

/** The body as an object, or 400 when it is missing or not an object. */
export function objectBody(request: EmuRequest, code = 'ModelArts.0101'): EmuJsonObject {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiFailure(400, code, 'The request body must be a JSON object.');
  }
  return body as EmuJsonObject;
}

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'match'; handler: RouteHandler; params: Record<string, string>; pattern: string }
  | { kind: 'none' };

/**
 * Routes by method and pattern. Patterns use `{name}` for one path segment, e.g.
 * `/v2/{project_id}/training-jobs/{training_job_id}`. A literal segment wins over a parameter
 * (`/notebooks/flavors` before `/notebooks/{id}`) because literal routes are tried first.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((segment) => {
        const m = /^\{(\w+)\}$/.exec(segment);
        if (m) {
          names.push(m[1]);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern, regex: new RegExp(`^${source}/?$`), names, handler });
    // Literal-heavy routes first, so `/notebooks/flavors` is not taken for `/notebooks/{id}`.
    this.routes.sort((a, b) => a.names.length - b.names.length);
    return this;
  }

  match(method: string, path: string): RouteMatch {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]);
      });
      return { kind: 'match', handler: route.handler, params, pattern: route.pattern };
    }
    return { kind: 'none' };
  }

  /** Every registered route as `METHOD pattern`, for the route table tests. */
  list(): string[] {
    return this.routes.map((r) => `${r.method} ${r.pattern}`);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Emulated time. `timeScale` emulated seconds pass per real second; a manual clock moves only when told. */
export interface EmuClock {
  now(): number;
}

/** The real time: what the gateway judges signatures and tokens against. */
export const realClock: EmuClock = { now: () => Date.now() };

/** `timeScale` ms per ms of `base` (the real clock unless given), starting at `start`. */
export function scaledClock(timeScale: number, start?: number, base: EmuClock = realClock): EmuClock {
  const baseStart = base.now();
  const origin = start ?? baseStart;
  return { now: () => origin + Math.round((base.now() - baseStart) * timeScale) };
}

export function newUuid(): string {
  return randomUUID();
}

/** 32 lower-case hex characters, as workspace ids and request ids are. */
export function newHexId(): string {
  return randomBytes(16).toString('hex');
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** `2022-06-17T17:08:16.910190+08:00`: workflow times are RFC 3339 with microseconds and an offset. */
export function rfc3339China(ms: number): string {
  const shifted = new Date(ms + CHINA_OFFSET_MS).toISOString(); // 2022-06-17T09:08:16.910Z
  return `${shifted.slice(0, 23)}000+08:00`;
}

/** `2022-06-17 17:08:17`: the time prefix of workflow event strings. */
export function eventTimeChina(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2022-11-26T16:01:36+08:00`: training event times. */
export function isoSecondsChina(ms: number): string {
  return `${new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** A family of emulated resources: its routes, its seeds, and the time-driven part of its state. */
export interface ResourceFamily {
  /** Registers the family's routes. Patterns start with `/v1/{project_id}` or `/v2/{project_id}`. */
  register(router: Router): void;
  /** Applies every transition due at or before `now`, in order. Called before each request. */
  advance(now: number): void;
}

export type SeedKind = 'demo' | 'empty';

/** The ids of the workspaces holding the scale seed's jobs: "0" first, then the extra ones. */
export function scaleWorkspaceIds(opts: Pick<FamilyOptions, 'scaleWorkspaces'>): string[] {
  const count = Math.max(1, Math.floor(opts.scaleWorkspaces ?? 1));
  return Array.from({ length: count }, (_, k) => (k === 0 ? '0' : stableUuid(`workspace-scale/${k}`).replaceAll('-', '')));
}

/** What every family is built with. */
export interface FamilyOptions {
  clock: EmuClock;
  seed: SeedKind;
  /** Extra training jobs for the scale seed (`--jobs N`), in workspace "0" (and in each scale workspace). */
  scaleJobs: number;
  /** The scale seed's jobs all keep running (for days) instead of ending within two hours. */
  scaleRunning?: boolean;
  /** Workspaces holding the scale seed's jobs: "0" and `scaleWorkspaces - 1` more (`scale-01`, …). Default 1. */
  scaleWorkspaces?: number;
  /** Training jobs (`--running-jobs N`) and notebooks (`--running-notebooks N`) in workspace "0" that stay Running. */
  runningJobs?: number;
  runningNotebooks?: number;
  projectId: string;
  /** The IAM user the emulator signs in as; owner of seeded objects. */
  userName: string;
  userId: string;
  /** OBS's objects, for what a family reads from them (a training job's boot file); absent in some tests. */
  obs?: ObsReader;
  /** Where a training task's whole log goes for its temporary link (the emulator's OBS); absent in some tests. */
  logLinks?: LogLinks;
}

/** Publishes a task's whole log as an OBS object and answers a presigned link to it. */
export interface LogLinks {
  /** Stores `chunks` under `key`; the link carries `extra` query parameters (signed sub-resources). */
  publish(key: string, chunks: Buffer[], now: number, extra: ReadonlyArray<readonly [string, string]>): string;
}

/** What a family may read of OBS. */
export interface ObsReader {
  /** The first `maxBytes` of an object, or undefined when the bucket or the object does not exist. */
  readHead(bucket: string, key: string, maxBytes: number): Buffer | undefined;
}

/** Demo workspaces, fixed so every family can place its seeded objects in them. */
export const DEMO_WORKSPACES = [
  { id: '0', name: 'default' },
  { id: '7c4a2f1e9b3d4e6f8a0b1c2d3e4f5a6b', name: 'vision-team' },
  { id: 'e1f2a3b4c5d64e7f8091a2b3c4d5e6f7', name: 'nlp-research' },
] as const;

/** The code for a body that is not valid JSON: training routes document InvalidJsonBody, the rest 0101. */
export function badJsonCode(path: string): string {
  return /^\/v2\/[^/]+\/(training-|modelarts-training-job|modelarts-trainJob)/.test(path) ? 'ModelArts.2787' : 'ModelArts.0101';
}

/** Pages of an array: `offset` is a page index (workspaces, training searches, apps). */
export function pageByIndex<T>(items: readonly T[], pageIndex: number, limit: number): T[] {
  const start = pageIndex * limit;
  return start >= items.length ? [] : items.slice(start, start + limit);
}
