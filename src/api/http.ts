// One request function for ModelArts and IAM: signing or token, timeouts, retries, parsing, errors.
// (Contract first; the implementation follows below it.)

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface ApiRequest {
  method: HttpMethod;
  /** Path with the project id already in it, e.g. `/v1/<pid>/notebooks`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** Serialised as JSON; `undefined` sends no body. */
  body?: unknown;
  /** Safe to send again after a failure. Defaults to true for GET only; reads sent as POST set it. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** ModelArts (default) or IAM endpoint. */
  service?: 'modelarts' | 'iam';
  headers?: Readonly<Record<string, string>>;
  /** False for calls that authenticate themselves (the IAM token request). Default true. */
  authenticate?: boolean;
  /** A short name for logs, e.g. `notebooks.start`. */
  operation?: string;
  /** `json` (default): the body is parsed as JSON. `text`: the body is returned as a string (log previews). */
  responseType?: 'json' | 'text';
}

export interface ApiResponse<T> {
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: T;
  requestId: string | undefined;
}

export interface HttpClient {
  send<T>(request: ApiRequest): Promise<ApiResponse<T>>;
}

// ---------------------------------------------------------------------------------------------------------
// Implementation

import type * as nodeHttp from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RequestInit, Response } from 'node-fetch';
import { systemClock, type Clock } from './clock';
import { loadTransport } from './transport';
import type { AuthProvider } from './credentials';
import { ModelArtsError, isModelArtsError } from './errors';
import { noopLogger, redactingLogger, type Logger } from './log';
import { createRedactor, type Redactor } from './redact';
import { RetryBudget, decideRetry, parseRetryAfter, resolveRetryOptions, type RetryOptions } from './retry';
import { formatQueryString, type QueryPairs } from './signer';

export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpTimeouts {
  /** Socket connect; default 10 s. */
  connectMs?: number;
  /** Silence while waiting for the headers or the next piece of the body; default 30 s. */
  readMs?: number;
}

export interface HttpClientOptions {
  /** ModelArts base URL, e.g. `https://modelarts.cn-north-4.myhuaweicloud.com`. */
  endpoint: string;
  /** IAM base URL, e.g. `https://iam.cn-north-4.myhuaweicloud.com`. */
  iamEndpoint: string;
  auth: AuthProvider;
  /** Sent as `X-Project-Id` on ModelArts calls signed with AK/SK, as the SDK does. */
  projectId?: string | ((signal?: AbortSignal) => Promise<string>);
  fetch?: FetchFunction;
  /** Every backoff wait goes through `clock.sleep`. */
  clock?: Clock;
  log?: Logger;
  /** Secrets registered here are removed from error messages and log lines. */
  redactor?: Redactor;
  timeouts?: HttpTimeouts;
  retry?: RetryOptions;
  /** Bodies beyond this are refused while streaming; default 16 MiB. */
  maxResponseBytes?: number;
  userAgent?: string;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

export interface ModelArtsHttpClient extends HttpClient {
  /** Closes idle keep-alive connections. The client stays usable. */
  dispose(): void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_USER_AGENT = 'modelarts-explorer';

/** Query keys whose values are never secret and are logged as they are; every other value is logged as `***`. */
const LOG_SAFE_QUERY_KEYS = new Set([
  'limit',
  'offset',
  'status',
  'type',
  'duration',
  'sort_by',
  'sort_key',
  'sort_dir',
  'order',
  'workspace_id',
  'workspaceId',
  'phase',
  'nocatalog',
  'page',
  'per_page',
  'feature',
]);

/** Query values as pairs in order: arrays repeat the key, booleans are `true`/`false`, undefined and null are left out. */
export function buildQueryPairs(query: Readonly<Record<string, QueryValue>> | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!query) return pairs;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number)[]) pairs.push([key, String(item)]);
    } else {
      pairs.push([key, String(value)]);
    }
  }
  return pairs;
}

/** The URL as sent: base + path, and the query in exactly the encoding the signature covers. */
export function buildRequestUrl(base: string, path: string, query: QueryPairs): string {
  const root = base.replace(/\/+$/, '');
  const rest = path.startsWith('/') ? path : `/${path}`;
  const search = formatQueryString(query);
  return search ? `${root}${rest}?${search}` : `${root}${rest}`;
}

/** Path and query for logs: values of keys that might carry a secret become `***`. */
export function describeForLog(path: string, query: QueryPairs): string {
  if (query.length === 0) return path;
  const shown = query.map(([key, value]) => [key, LOG_SAFE_QUERY_KEYS.has(key) ? value : '***'] as const);
  return `${path}?${shown.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function formatMegabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

/** One line, at most `max` characters. */
export function oneLine(text: string, max = 500): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A short, redacted, one-line excerpt of a body, with HTML tags taken out. */
export function bodySnippet(text: string, redactor: Redactor, max = 200): string {
  let plain = text;
  if (/^\s*</.test(plain)) {
    plain = plain
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ');
  }
  // Redact before cutting, so a cut never leaves half a secret the redactor cannot recognise.
  return oneLine(redactor.redact(oneLine(plain, 4096)), max);
}

interface RawResponse {
  status: number;
  statusText: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

interface ErrorFields {
  code?: string;
  message?: string;
  solution?: string;
  requestId?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const CODE_MESSAGE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['error_code', 'error_msg'],
  ['error_code', 'error_message'],
  ['errorCode', 'errorMsg'],
  ['code', 'message'],
];
const MESSAGE_KEYS = ['error_msg', 'error_message', 'errorMsg', 'message'];

/** The documented error shapes, in the order the SDK tries them, then nested objects (`{error:{code,message}}`). */
export function findErrorFields(value: unknown, depth = 0): ErrorFields | undefined {
  if (!isRecord(value) || depth > 3) return undefined;
  const extra = {
    solution: text(value.error_solution) ?? text(value.errorSolution) ?? text(value.solution),
    requestId: text(value.request_id) ?? text(value.requestId),
  };
  for (const [codeKey, messageKey] of CODE_MESSAGE_PAIRS) {
    const code = text(value[codeKey]);
    const message = text(value[messageKey]);
    if (code !== undefined && message !== undefined) return { code, message, ...extra };
  }
  for (const child of Object.values(value)) {
    const nested = findErrorFields(child, depth + 1);
    if (nested) return { ...nested, requestId: nested.requestId ?? extra.requestId, solution: nested.solution ?? extra.solution };
  }
  // A message without a code, or a code without a message: still better than the raw body.
  const message = MESSAGE_KEYS.map((key) => text(value[key])).find((m) => m !== undefined) ?? text(value.title);
  const code = text(value.error_code) ?? text(value.errorCode);
  if (message !== undefined || code !== undefined) return { code, message, ...extra };
  return undefined;
}

function tryParseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.replace(/^\uFEFF/, '')) as unknown };
  } catch {
    return { ok: false };
  }
}

function decodeBody(body: Buffer): string {
  return body.toString('utf8');
}

const CLOCK_SKEW = /signature expired/i;

/** Maps an error status and its body to one ModelArtsError. */
export function errorFromResponse(raw: RawResponse, redactor: Redactor, nowMs = Date.now()): ModelArtsError {
  const bodyText = decodeBody(raw.body);
  const parsed = bodyText.trim() ? tryParseJson(bodyText) : ({ ok: false } as const);
  const fields = parsed.ok ? findErrorFields(parsed.value) : undefined;
  const requestId = raw.headers['x-request-id'] || fields?.requestId || raw.headers['x-iam-trace-id'] || undefined;
  const code = fields?.code ?? String(raw.status);
  let message = fields?.message
    ? oneLine(redactor.redact(fields.message))
    : bodyText.trim()
      ? bodySnippet(bodyText, redactor)
      : oneLine(raw.statusText || `HTTP ${raw.status}`);
  if (raw.status === 401 && CLOCK_SKEW.test(message)) {
    const times = /signature time:\s*([^,]+),\s*server time:\s*([^\s,]+)/i.exec(message);
    message =
      "The request signature was refused as expired: check that this computer's clock, date and time zone are correct" +
      (times ? ` (signature time ${times[1].trim()}, server time ${times[2].trim()})` : '') +
      '.';
  }
  const retryAfterMs = parseRetryAfter(raw.headers['retry-after'], nowMs);
  return new ModelArtsError({
    kind: 'http',
    status: raw.status,
    code,
    message,
    solution: fields?.solution ? oneLine(redactor.redact(fields.solution)) : undefined,
    requestId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}

/** Parses a 2xx body: empty is undefined; JSON is parsed whatever the Content-Type says; anything else is refused. */
export function parseSuccessBody(raw: RawResponse, responseType: 'json' | 'text', service: string, redactor: Redactor): unknown {
  const bodyText = decodeBody(raw.body);
  if (responseType === 'text') return bodyText;
  if (bodyText.trim() === '') return undefined;
  const parsed = tryParseJson(bodyText);
  if (parsed.ok) return parsed.value;
  const type = raw.headers['content-type'];
  throw new ModelArtsError({
    kind: 'invalid-response',
    status: raw.status,
    code: 'InvalidResponse',
    message: `${service} answered with a body that is not valid JSON${type ? ` (${oneLine(type, 80)})` : ''}: ${bodySnippet(bodyText, redactor)}`,
    requestId: raw.headers['x-request-id'] || undefined,
  });
}

// ---- transport ---------------------------------------------------------------------------------------------

type RequestObserver = (request: ClientRequest) => void;
interface ObserverSlot {
  next: RequestObserver | undefined;
}
interface AgentInternals {
  addRequest(request: ClientRequest, options: unknown): void;
}

/**
 * Node's agents have no connect timeout, and node-fetch does not expose the ClientRequest, so a body cut short
 * by a closed connection would otherwise hang until the read timeout. These agents keep the options and
 * behaviour of Node's global agents (pooling, keep-alive, TLS defaults: nothing is weakened) and only hand the
 * ClientRequest of the call being started to that call. VS Code's proxy support patches http(s).request and,
 * in its default mode, puts its own agent in place of any agent given: proxies keep working there, and only
 * these two checks fall back to the read timeout.
 */
function observedAgent<A extends nodeHttp.Agent>(agent: A, slot: ObserverSlot): A {
  const internals = agent as unknown as Partial<AgentInternals>;
  if (typeof internals.addRequest !== 'function') return agent;
  const original = internals.addRequest.bind(agent);
  internals.addRequest = (request: ClientRequest, options: unknown): void => {
    const observe = slot.next;
    slot.next = undefined;
    observe?.(request);
    original(request, options);
  };
  return agent;
}

function globalAgentOptions(agent: nodeHttp.Agent): nodeHttp.AgentOptions {
  const options = (agent as unknown as { options?: nodeHttp.AgentOptions }).options;
  return { ...(options ?? { keepAlive: true }) };
}

type FailureReason = 'caller' | 'read-timeout' | 'connect-timeout' | 'too-large' | 'incomplete';

interface ExchangeInput {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  service: string;
}

/** What a failed connection means, by error code: whether it was never made, or lost on the way. */
const NETWORK_MESSAGES: Readonly<Record<string, (host: string) => string>> = {
  ECONNREFUSED: (host) => `Could not connect to ${host}: connection refused.`,
  ENOTFOUND: (host) => `Could not connect to ${host}: the host name could not be resolved.`,
  EAI_AGAIN: (host) => `Could not connect to ${host}: the host name could not be resolved (DNS did not answer).`,
  ENETUNREACH: (host) => `Could not connect to ${host}: the network is unreachable.`,
  EHOSTUNREACH: (host) => `Could not connect to ${host}: the host is unreachable.`,
  ETIMEDOUT: (host) => `Could not connect to ${host}: the connection timed out.`,
  ECONNRESET: (host) => `The connection to ${host} was reset.`,
  EPIPE: (host) => `The connection to ${host} was closed while sending.`,
  ERR_STREAM_PREMATURE_CLOSE: (host) => `The connection to ${host} closed before the response was complete.`,
};

function errorCode(error: unknown): string | undefined {
  if (!isRecord(error)) return undefined;
  const code = error.code ?? (isRecord(error.cause) ? error.cause.code : undefined);
  return typeof code === 'string' ? code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createHttpClient(options: HttpClientOptions): ModelArtsHttpClient {
  const fetchImpl: FetchFunction = options.fetch ?? ((url, init) => loadTransport().fetch(url, init));
  const clock = options.clock ?? systemClock;
  const redactor = options.redactor ?? createRedactor();
  const log = redactingLogger(options.log ?? noopLogger, redactor);
  const connectMs = options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const readMs = options.timeouts?.readMs ?? DEFAULT_READ_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const retryOptions = resolveRetryOptions(options.retry);
  const budget = new RetryBudget(retryOptions.budget);
  const random = options.random ?? Math.random;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const auth = options.auth;

  const slot: ObserverSlot = { next: undefined };
  // Made with the first request, like the modules they come from.
  let agents: { http: nodeHttp.Agent; https: nodeHttp.Agent } | undefined;
  const agentFor = (url: URL): nodeHttp.Agent => {
    if (!agents) {
      const { http, https } = loadTransport();
      agents = {
        http: observedAgent(new http.Agent(globalAgentOptions(http.globalAgent)), slot),
        https: observedAgent(new https.Agent(globalAgentOptions(https.globalAgent)), slot),
      };
    }
    return url.protocol === 'https:' ? agents.https : agents.http;
  };

  const projectIdFor = async (signal: AbortSignal | undefined): Promise<string | undefined> =>
    typeof options.projectId === 'function' ? options.projectId(signal) : options.projectId;

  const abortedError = (service: string, cause?: unknown): ModelArtsError =>
    new ModelArtsError({ kind: 'aborted', message: `The ${service} request was cancelled.`, cause });

  /** One request and its response body, with timers; every failure becomes a ModelArtsError. */
  async function exchange(input: ExchangeInput): Promise<RawResponse> {
    const host = new URL(input.url).host;
    const controller = new AbortController();
    let reason: FailureReason | undefined;
    const fail = (why: FailureReason): void => {
      reason ??= why;
      controller.abort();
    };
    const onCallerAbort = (): void => fail('caller');
    input.signal?.addEventListener('abort', onCallerAbort, { once: true });

    let readTimer: NodeJS.Timeout | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    const armReadTimer = (): void => {
      clearTimeout(readTimer);
      readTimer = setTimeout(() => fail('read-timeout'), readMs);
    };
    let settled = false;
    const observe: RequestObserver = (request) => {
      request.once('socket', (socket: Socket) => {
        // A pooled keep-alive socket is already connected; only a new one is timed (TCP connect).
        if (!socket.connecting) return;
        connectTimer = setTimeout(() => fail('connect-timeout'), connectMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      request.once('response', (response: IncomingMessage) => {
        response.once('close', () => {
          if (!response.complete && !settled) fail('incomplete');
        });
      });
    };

    let received = 0;
    try {
      if (input.signal?.aborted) throw abortedError(input.service);
      armReadTimer();
      let pending: Promise<Response>;
      slot.next = observe;
      try {
        pending = fetchImpl(input.url, {
          method: input.method,
          headers: input.headers,
          body: input.body,
          signal: controller.signal,
          agent: agentFor,
          // Redirects would carry X-Auth-Token to another host; the API never redirects.
          redirect: 'manual',
        });
      } finally {
        slot.next = undefined;
      }
      const response = await pending;
      armReadTimer();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      // node-fetch emits 'error' on the body when aborted after the headers; this keeps that from being unhandled.
      response.body.on('error', () => undefined);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) fail('too-large');
      const chunks: Buffer[] = [];
      if (!reason) {
        for await (const chunk of response.body) {
          const piece = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          received += piece.length;
          if (received > maxBytes) {
            fail('too-large');
            break;
          }
          chunks.push(piece);
          armReadTimer();
        }
      }
      if (reason) throw new Error(reason);
      settled = true;
      return { status: response.status, statusText: response.statusText, headers, body: Buffer.concat(chunks, received) };
    } catch (error) {
      throw transportError(error, reason, input, host);
    } finally {
      settled = true;
      clearTimeout(readTimer);
      clearTimeout(connectTimer);
      input.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  function transportError(error: unknown, reason: FailureReason | undefined, input: ExchangeInput, host: string): ModelArtsError {
    if (isModelArtsError(error)) return error;
    switch (reason) {
      case 'caller':
        return abortedError(input.service, error);
      case 'read-timeout':
        return new ModelArtsError({ kind: 'timeout', code: 'ETIMEDOUT', message: `${input.service} did not answer within ${formatSeconds(readMs)}.` });
      case 'connect-timeout':
        return new ModelArtsError({ kind: 'timeout', code: 'ETIMEDOUT', message: `Could not connect to ${host} within ${formatSeconds(connectMs)}.` });
      case 'too-large':
        return new ModelArtsError({
          kind: 'invalid-response',
          code: 'ResponseTooLarge',
          message: `${input.service} sent a response larger than ${formatMegabytes(maxBytes)}; it was refused.`,
        });
      case 'incomplete':
        return new ModelArtsError({
          kind: 'network',
          code: 'ECONNRESET',
          message: `The connection to ${host} closed before the response was complete.`,
        });
      default:
        break;
    }
    const code = errorCode(error) ?? 'ENETWORK';
    const known = NETWORK_MESSAGES[code];
    const message = known ? known(host) : `Network error talking to ${host}: ${oneLine(redactor.redact(errorText(error)), 200)}`;
    return new ModelArtsError({ kind: 'network', code, message, cause: error });
  }

  function withHeader(headers: Record<string, string>, name: string, value: string): void {
    const lower = name.toLowerCase();
    for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) delete headers[key];
    headers[name] = value;
  }

  // Each call's own controller, aborted by the caller's signal or by dispose(): a disposed client sends nothing
  // more, whoever still holds it (a poll that wakes after deactivation). Plain listeners rather than
  // AbortSignal.any, which on the Node versions VS Code ships keeps every combined signal alive for as long as
  // the client's own signal lives.
  const calls = new Set<AbortController>();
  let disposedReason: Error | undefined;

  async function send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    const controller = new AbortController();
    const caller = request.signal;
    const forward = (): void => controller.abort(caller?.reason);
    if (disposedReason) controller.abort(disposedReason);
    else if (caller?.aborted) forward();
    else caller?.addEventListener('abort', forward, { once: true });
    calls.add(controller);
    try {
      return await sendCall<T>(request, controller.signal);
    } finally {
      calls.delete(controller);
      caller?.removeEventListener('abort', forward);
    }
  }

  async function sendCall<T>(request: ApiRequest, signal: AbortSignal): Promise<ApiResponse<T>> {
    const service = request.service ?? 'modelarts';
    const serviceName = service === 'iam' ? 'IAM' : 'ModelArts';
    const pairs = buildQueryPairs(request.query);
    const url = buildRequestUrl(service === 'iam' ? options.iamEndpoint : options.endpoint, request.path, pairs);
    const parsedUrl = new URL(url);
    const bodyText = request.body === undefined ? undefined : JSON.stringify(request.body);
    const idempotent = request.idempotent ?? request.method === 'GET';
    const authenticate = request.authenticate ?? true;
    const label = `${request.method} ${describeForLog(request.path, pairs)}${request.operation ? ` [${request.operation}]` : ''}`;

    let attempt = 0;
    let retries = 0;
    let replayed = false;
    for (;;) {
      if (signal?.aborted) throw abortedError(serviceName, signal.reason);
      const headers: Record<string, string> = {
        'Content-Type': bodyText === undefined ? 'application/json' : 'application/json;charset=UTF-8',
        'User-Agent': userAgent,
      };
      for (const [name, value] of Object.entries(request.headers ?? {})) withHeader(headers, name, value);
      let sentAuth: Record<string, string> = {};
      if (authenticate) {
        if (auth.kind === 'aksk' && service === 'modelarts') {
          const projectId = await projectIdFor(signal);
          if (projectId) withHeader(headers, 'X-Project-Id', projectId);
        }
        try {
          sentAuth = await auth.authorize({ method: request.method, url: parsedUrl, headers: { ...headers }, body: bodyText }, signal);
        } catch (caught) {
          if (isModelArtsError(caught)) throw caught;
          throw new ModelArtsError({ kind: 'auth', message: `Could not authorise the request: ${oneLine(redactor.redact(errorText(caught)), 200)}`, cause: caught });
        }
        for (const [name, value] of Object.entries(sentAuth)) withHeader(headers, name, value);
      }
      // Authorising may have waited for IAM: a call cancelled meanwhile sends nothing.
      if (signal?.aborted) throw abortedError(serviceName, signal.reason);

      attempt++;
      const started = performance.now();
      let error: ModelArtsError;
      let retryAfter: string | undefined;
      try {
        const raw = await exchange({ url, method: request.method, headers, body: bodyText, signal, service: serviceName });
        const ms = Math.round(performance.now() - started);
        const requestId = raw.headers['x-request-id'] || undefined;
        log.debug(`${label} → ${raw.status} in ${ms} ms (request id ${requestId ?? 'none'}, attempt ${attempt})`);
        if (raw.status >= 200 && raw.status < 300) {
          const body = parseSuccessBody(raw, request.responseType ?? 'json', serviceName, redactor) as T;
          budget.onSuccess();
          return { status: raw.status, headers: raw.headers, body, requestId };
        }
        if (raw.status >= 300 && raw.status < 400) {
          throw new ModelArtsError({
            kind: 'invalid-response',
            status: raw.status,
            code: 'UnexpectedRedirect',
            message: `${serviceName} answered with an unexpected redirect (HTTP ${raw.status}); it was not followed.`,
            requestId,
          });
        }
        error = errorFromResponse(raw, redactor, clock.now());
        retryAfter = raw.headers['retry-after'];
      } catch (caught) {
        error = isModelArtsError(caught) ? caught : transportError(caught, undefined, { url, method: request.method, headers, body: bodyText, signal, service: serviceName }, parsedUrl.host);
        if (error.kind === 'aborted') {
          log.debug(`${label} → cancelled (attempt ${attempt})`);
          throw error;
        }
        if (error.kind !== 'http') {
          log.debug(`${label} → ${error.kind} after ${Math.round(performance.now() - started)} ms: ${error.message} (attempt ${attempt})`);
        }
        if (error.kind === 'invalid-response') throw error;
      }

      if (error.status === 401 && authenticate && !replayed && auth.onUnauthorized(error, sentAuth)) {
        // The gateway refused the credentials before the service saw the call: one replay is safe, even for POST.
        replayed = true;
        log.debug(`${label}: credentials refused (${error.code}); replaying once with fresh credentials`);
        continue;
      }
      const decision = decideRetry({ error, attempt: attempt - (replayed ? 1 : 0), retries, idempotent, retryAfter, nowMs: clock.now(), options: retryOptions, budget, random });
      if (decision.action === 'fail') {
        if (attempt > 1 || decision.error.kind === 'throttled') log.debug(`${label}: giving up (${decision.reason})`);
        throw decision.error;
      }
      retries++;
      log.debug(`${label}: retry ${retries} in ${decision.delayMs} ms (${decision.reason}, after ${error.status ? `HTTP ${error.status}` : error.code})`);
      try {
        await clock.sleep(decision.delayMs, signal);
      } catch (cause) {
        throw abortedError(serviceName, cause);
      }
    }
  }

  return {
    send,
    dispose(): void {
      disposedReason = new Error('The client was disposed.');
      for (const call of calls) call.abort(disposedReason);
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
}
