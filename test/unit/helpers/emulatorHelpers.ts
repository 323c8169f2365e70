import { request as httpRequestRaw, type IncomingHttpHeaders } from 'node:http';
import { createClient, type ModelArtsClient } from '../../../src/api/client';
import { ManualClock, type Clock } from '../../../src/api/clock';
import type { ConnectionOptions } from '../../../src/api/connection';
import { formatQueryString, formatSdkDate, sign, type QueryPairs } from '../../../src/api/signer';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/server';

// Real-HTTP helpers for emulator tests: signed requests (ours and the official SDK signer), tokens, raw calls.

/** What a test needs to know about a running emulator (RunningEmulator satisfies it). */
export interface EmulatorTarget {
  endpoint: string;
  iamEndpoint: string;
  projectId: string;
  region: string;
  credentials: { ak: string; sk: string; username: string; password: string; domain: string };
  /** The resources' clock. */
  clock: { now(): number };
  /** The gateway's clock, which requests are signed with; default `clock`. */
  gatewayClock?: { now(): number };
  /** The admin route's token (`X-Admin-Token`); undefined when the route is off. */
  adminToken?: string;
}

// Test bodies are read field by field; `any` keeps those reads short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json: AnyJson;
}

export interface RawRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** One HTTP request with node:http; resolves with the whole answer, rejects on a socket error or timeout. */
export function httpRequest(url: string, init: RawRequest): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    // Node frames a GET/DELETE body only with an explicit length.
    if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['Content-Length'] = String(Buffer.byteLength(init.body));
    }
    const req = httpRequestRaw(url, { method: init.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) {
          reject(new Error('response incomplete'));
          return;
        }
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: AnyJson;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
    });
    req.on('error', reject);
    if (init.timeoutMs !== undefined) {
      req.setTimeout(init.timeoutMs, () => req.destroy(new Error(`timeout after ${init.timeoutMs} ms`)));
    }
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** Replaces `{pid}` / `{project_id}` with the emulator's project id. */
export function expandPath(emu: EmulatorTarget, path: string): string {
  return path.replace(/\{pid\}|\{project_id\}/g, emu.projectId);
}

export type QueryInput = QueryPairs | Readonly<Record<string, string | number | boolean | readonly string[]>>;

export function queryPairs(query: QueryInput | undefined): Array<[string, string]> {
  if (!query) return [];
  if (Array.isArray(query)) return (query as QueryPairs).map(([k, v]) => [k, v]);
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(query as Record<string, string | number | boolean | readonly string[]>)) {
    if (Array.isArray(value)) for (const v of value as readonly string[]) pairs.push([key, v]);
    else pairs.push([key, String(value)]);
  }
  return pairs;
}

/** The request as it will go on the wire, after signing: tests tamper with it to break signatures. */
export interface WireRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

export interface SignedFetchOptions {
  query?: QueryInput;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  /** Extra headers, signed too (unless their name contains `_`). */
  headers?: Record<string, string>;
  service?: 'modelarts' | 'iam';
  /** Defaults to the emulator's permanent AK/SK. */
  credentials?: { ak: string; sk: string; securityToken?: string };
  /** X-Sdk-Date; defaults to the emulator gateway's now. */
  date?: Date | string;
  /** Sends `X-Project-Id: <project id>` (signed). */
  projectHeader?: boolean;
  /** Explicit SignedHeaders list (lower case); defaults to every header without `_`. */
  signedHeaders?: string[];
  /** Changes the request after signing, before sending. */
  tamper?: (wire: WireRequest) => void;
  timeoutMs?: number;
}

function bodyText(body: unknown): string | Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  return JSON.stringify(body);
}

function baseUrl(emu: EmulatorTarget, service: 'modelarts' | 'iam' | undefined): string {
  return service === 'iam' ? emu.iamEndpoint : emu.endpoint;
}

function send(base: string, wire: WireRequest, timeoutMs: number | undefined): Promise<HttpResult> {
  const url = base + wire.path + (wire.rawQuery ? `?${wire.rawQuery}` : '');
  return httpRequest(url, { method: wire.method, headers: wire.headers, body: wire.body, timeoutMs });
}

/** The time a client signs with: the gateway's. */
function signingNow(emu: EmulatorTarget): number {
  return (emu.gatewayClock ?? emu.clock).now();
}

/** A request signed with the project's own signer (src/api/signer.ts). */
export function signedFetch(emu: EmulatorTarget, method: string, path: string, options: SignedFetchOptions = {}): Promise<HttpResult> {
  const base = baseUrl(emu, options.service);
  const fullPath = expandPath(emu, path);
  const query = queryPairs(options.query);
  const body = bodyText(options.body);
  const date = options.date instanceof Date ? formatSdkDate(options.date) : (options.date ?? formatSdkDate(new Date(signingNow(emu))));
  const headers: Record<string, string> = { host: new URL(base).host, 'X-Sdk-Date': date };
  if (body !== undefined) headers['Content-Type'] = 'application/json;charset=UTF-8';
  if (options.projectHeader) headers['X-Project-Id'] = emu.projectId;
  const credentials: { ak: string; sk: string; securityToken?: string } = options.credentials ?? emu.credentials;
  if (credentials.securityToken !== undefined) headers['X-Security-Token'] = credentials.securityToken;
  Object.assign(headers, options.headers);
  const signature = sign({ method, path: fullPath, query, headers, body }, credentials, options.signedHeaders);
  const wire: WireRequest = {
    method,
    path: fullPath,
    rawQuery: formatQueryString(query),
    headers: { ...headers, Authorization: signature.authorization },
    body,
  };
  options.tamper?.(wire);
  return send(base, wire, options.timeoutMs);
}

interface SdkSigner {
  sign(
    request: { method: string; endpoint: string; headers: Record<string, string>; queryParams?: Record<string, string | string[]>; data?: unknown },
    credential: { getAk(): string; getSk(): string },
  ): Record<string, string>;
}

let sdkSigner: SdkSigner | undefined;

function officialSigner(): SdkSigner {
  // Loaded lazily so suites that never sign with the official SDK do not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdkSigner ??= (require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as { AKSKSigner: SdkSigner }).AKSKSigner;
  return sdkSigner;
}

export interface SdkSignedFetchOptions {
  query?: Record<string, string | string[]>;
  /** Sent as JSON.stringify(data): the bytes the official signer hashes. */
  data?: unknown;
  headers?: Record<string, string>;
  service?: 'modelarts' | 'iam';
  credentials?: { ak: string; sk: string; securityToken?: string };
  date?: Date;
  tamper?: (wire: WireRequest) => void;
  timeoutMs?: number;
}

/** A request signed by the official Huawei Cloud Node SDK signer (AKSKSigner.sign). */
export function sdkSignedFetch(emu: EmulatorTarget, method: string, path: string, options: SdkSignedFetchOptions = {}): Promise<HttpResult> {
  const base = baseUrl(emu, options.service);
  const fullPath = expandPath(emu, path);
  const query = options.query ?? {};
  const pairs = queryPairs(query);
  const rawQuery = formatQueryString(pairs);
  const headers: Record<string, string> = {
    'X-Sdk-Date': formatSdkDate(options.date ?? new Date(signingNow(emu))),
    ...options.headers,
  };
  if (options.data !== undefined) headers['Content-Type'] ??= 'application/json';
  const credentials: { ak: string; sk: string; securityToken?: string } = options.credentials ?? emu.credentials;
  if (credentials.securityToken !== undefined) headers['X-Security-Token'] = credentials.securityToken;
  const signed = officialSigner().sign(
    { method, endpoint: base + fullPath + (rawQuery ? `?${rawQuery}` : ''), headers, queryParams: query, data: options.data },
    { getAk: () => credentials.ak, getSk: () => credentials.sk },
  );
  const wire: WireRequest = {
    method,
    path: fullPath,
    rawQuery,
    headers: signed,
    body: options.data === undefined ? undefined : JSON.stringify(options.data),
  };
  options.tamper?.(wire);
  return send(base, wire, options.timeoutMs);
}

export interface TokenFetchOptions {
  query?: QueryInput;
  body?: unknown;
  headers?: Record<string, string>;
  service?: 'modelarts' | 'iam';
  timeoutMs?: number;
}

/** A request authenticated with `X-Auth-Token`. */
export function tokenFetch(emu: EmulatorTarget, token: string, method: string, path: string, options: TokenFetchOptions = {}): Promise<HttpResult> {
  const body = bodyText(options.body);
  const headers: Record<string, string> = { 'X-Auth-Token': token, ...options.headers };
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const wire: WireRequest = { method, path: expandPath(emu, path), rawQuery: formatQueryString(queryPairs(options.query)), headers, body };
  return send(baseUrl(emu, options.service), wire, options.timeoutMs);
}

/** An unauthenticated request (IAM token issue, negative tests). */
export function plainFetch(
  emu: EmulatorTarget,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; service?: 'modelarts' | 'iam'; query?: QueryInput; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const body = bodyText(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const wire: WireRequest = { method, path: expandPath(emu, path), rawQuery: formatQueryString(queryPairs(options.query)), headers, body };
  return send(baseUrl(emu, options.service), wire, options.timeoutMs);
}

/**
 * A request to the admin route as its own client sends it: the emulator's `X-Admin-Token`, a JSON body.
 * `headers` are added last (a test replaces or removes the token with them: an empty value drops the header).
 */
export function adminFetch(
  emu: Pick<EmulatorTarget, 'endpoint' | 'adminToken'>,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const body = bodyText(options.body);
  const headers: Record<string, string> = {};
  if (emu.adminToken !== undefined) headers['X-Admin-Token'] = emu.adminToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, options.headers);
  for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name];
  const wire: WireRequest = { method, path, rawQuery: '', headers, body };
  return send(emu.endpoint, wire, options.timeoutMs);
}

/** The password-method token request body, project-scoped by region name unless told otherwise. */
export function passwordAuthBody(
  emu: EmulatorTarget,
  overrides: { name?: string; password?: string; domain?: string; scope?: unknown } = {},
): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: overrides.name ?? emu.credentials.username,
            password: overrides.password ?? emu.credentials.password,
            domain: { name: overrides.domain ?? emu.credentials.domain },
          },
        },
      },
      scope: overrides.scope ?? { project: { name: emu.region } },
    },
  };
}

/** Signs in with the demo user's password; returns the X-Subject-Token. */
export async function issueToken(emu: EmulatorTarget): Promise<string> {
  const res = await plainFetch(emu, 'POST', '/v3/auth/tokens', { service: 'iam', body: passwordAuthBody(emu) });
  const token = res.headers['x-subject-token'];
  if (res.status !== 201 || typeof token !== 'string') throw new Error(`token request failed: ${res.status} ${res.text}`);
  return token;
}

/**
 * An emulator on free loopback ports driven by a ManualClock (2026-01-01T00:00:00Z unless given), which is the
 * gateway's clock too unless `gatewayClock` is given: in these tests the manual clock is everyone's real time.
 */
export async function startTestEmulator(options: EmulatorOptions & { start?: number } = {}): Promise<{ emu: RunningEmulator; clock: ManualClock }> {
  const { start, ...rest } = options;
  const clock = new ManualClock(start);
  const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock, ...rest });
  return { emu, clock };
}

/** What a client needs to reach an emulator: a RunningEmulator, or one running in a worker thread. */
export type EmulatorAddress = Pick<RunningEmulator, 'region' | 'endpoint' | 'iamEndpoint' | 'projectId'> & { credentials: { ak: string; sk: string } };

/** How our client reaches the emulator: its endpoints and AK/SK, on the test's clock (plus `extra`). */
export function emulatorConnection(emu: EmulatorAddress, clock: Clock, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    region: emu.region,
    endpoint: emu.endpoint,
    iamEndpoint: emu.iamEndpoint,
    credentials: { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk },
    projectId: emu.projectId,
    clock,
    ...extra,
  };
}

/** Our client, signed in to the emulator with its AK/SK. */
export function emulatorClient(emu: EmulatorAddress, clock: Clock, extra: Partial<ConnectionOptions> = {}): ModelArtsClient {
  return createClient(emulatorConnection(emu, clock, extra));
}

/** Moves emulated time; the emulator applies due transitions on its next request. */
export async function advance(clock: ManualClock, ms: number): Promise<void> {
  await clock.advance(ms);
}

/** The requests the emulator served for the API (admin calls excluded). */
export function apiRequests(emu: RunningEmulator): RunningEmulator['requests'] {
  return emu.requests.filter((r) => r.service !== 'admin');
}
