// One request function for ModelArts and IAM: signing or token, timeouts, retries, parsing, errors.
// (Contract first; the client follows below it. Its parts: httpUrl.ts builds the URL, httpHeaders.ts signs,
// wire.ts talks to the network, httpErrors.ts reads the answer, retry.ts decides on another attempt.)

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
// The client

import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from './clock';
import type { AuthProvider } from './credentials';
import { ModelArtsError, isModelArtsError } from './errors';
import { InFlightCalls } from './inFlightCalls';
import { errorFromResponse, parseSuccessBody } from './httpErrors';
import { attemptHeaders, type SigningContext } from './httpHeaders';
import { buildQueryPairs, buildRequestUrl, describeForLog } from './httpUrl';
import { logs, noopLogger, redactingLogger, type Logger } from './log';
import { createRedactor, type Redactor } from './redact';
import { RetryBudget, decideRetry, resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retry';
import { abortedError, HttpWire, networkError, type WireRequest, type WireResponse } from './wire';

export { findErrorFields } from './httpErrors';
export { buildQueryPairs, buildRequestUrl } from './httpUrl';

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
  /** Sees every request and its answer on the way (tests put a hostile or a recording server here). */
  interceptor?: WireInterceptor;
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

export type WireInterceptor = (request: WireRequest, send: (request: WireRequest) => Promise<WireResponse>) => Promise<WireResponse>;

export interface ModelArtsHttpClient extends HttpClient {
  /** Closes idle keep-alive connections. The client stays usable. */
  dispose(): void;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_USER_AGENT = 'modelarts-explorer';

export function createHttpClient(options: HttpClientOptions): ModelArtsHttpClient {
  const redactor = options.redactor ?? createRedactor();
  const retry = resolveRetryOptions(options.retry);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const wire = new HttpWire({
    connectMs: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    readMs: options.timeouts?.readMs ?? DEFAULT_READ_TIMEOUT_MS,
    maxErrorBytes: maxBytes,
    redactor,
  });
  const send = (request: WireRequest): Promise<WireResponse> => wire.send(request);
  const interceptor = options.interceptor;
  const client = new Client({
    endpoints: { modelarts: options.endpoint, iam: options.iamEndpoint },
    wire,
    exchange: interceptor ? (request) => interceptor(request, send) : send,
    maxBytes,
    signing: {
      auth: options.auth,
      redactor,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      projectIdFor: async (signal) => (typeof options.projectId === 'function' ? options.projectId(signal) : options.projectId),
    },
    clock: options.clock ?? systemClock,
    redactor,
    log: redactingLogger(options.log ?? noopLogger, redactor),
    retry,
    budget: new RetryBudget(retry.budget),
    random: options.random ?? Math.random,
  });
  return { send: (request) => client.send(request), dispose: () => client.dispose() };
}

interface ClientParts {
  endpoints: { modelarts: string; iam: string };
  wire: HttpWire;
  /** The wire's send, through the interceptor when there is one. */
  exchange: (request: WireRequest) => Promise<WireResponse>;
  maxBytes: number;
  signing: SigningContext;
  clock: Clock;
  redactor: Redactor;
  log: Logger;
  retry: ResolvedRetryOptions;
  budget: RetryBudget;
  random: () => number;
}

/** One call as sent every attempt. */
interface Call {
  request: ApiRequest;
  service: 'modelarts' | 'iam';
  serviceName: string;
  url: string;
  parsedUrl: URL;
  /** What is signed. */
  body: string | undefined;
  /** What is sent. */
  payload: Buffer | undefined;
  idempotent: boolean;
  authenticate: boolean;
  /** `GET /v1/…?limit=10 [notebooks.list]` for the debug log. */
  label: () => string;
}

type Attempt<T> = { response: ApiResponse<T> } | { error: ModelArtsError; retryAfter?: string };

class Client {
  private readonly inFlight = new InFlightCalls();

  constructor(private readonly parts: ClientParts) {}

  send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    return this.inFlight.run(request.signal, (signal) => this.sendCall<T>(this.describe(request), signal));
  }

  dispose(): void {
    this.inFlight.closeAll(new Error('The client was disposed.'));
    this.parts.wire.dispose();
  }

  private describe(request: ApiRequest): Call {
    const service = request.service ?? 'modelarts';
    const pairs = buildQueryPairs(request.query);
    const url = buildRequestUrl(this.parts.endpoints[service], request.path, pairs);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    let label: string | undefined;
    return {
      request,
      service,
      serviceName: service === 'iam' ? 'IAM' : 'ModelArts',
      url,
      parsedUrl: new URL(url),
      body,
      payload: body === undefined ? undefined : Buffer.from(body, 'utf8'),
      idempotent: request.idempotent ?? request.method === 'GET',
      authenticate: request.authenticate ?? true,
      // Built only when a debug line is written.
      label: () => (label ??= `${request.method} ${describeForLog(request.path, pairs)}${request.operation ? ` [${request.operation}]` : ''}`),
    };
  }

  /** Attempts until one succeeds, fails for good, or the retries allowed are spent. */
  private async sendCall<T>(call: Call, signal: AbortSignal): Promise<ApiResponse<T>> {
    const { log, clock, signing } = this.parts;
    let attempt = 0;
    let retries = 0;
    let replayed = false;
    for (;;) {
      if (signal.aborted) throw abortedError(call.serviceName, signal.reason);
      const { headers, sentAuth } = await attemptHeaders(signing, call.request, { url: call.parsedUrl, service: call.service, body: call.body, authenticate: call.authenticate }, signal);
      // Authorising may have waited for IAM: a call cancelled meanwhile sends nothing.
      if (signal.aborted) throw abortedError(call.serviceName, signal.reason);

      attempt++;
      const outcome = await this.attempt<T>(call, headers, signal, attempt);
      if ('response' in outcome) return outcome.response;
      const { error, retryAfter } = outcome;

      if (error.status === 401 && call.authenticate && !replayed && signing.auth.onUnauthorized(error, sentAuth)) {
        // The gateway refused the credentials before the service saw the call: one replay is safe, even for POST.
        replayed = true;
        log.debug(`${call.label()}: credentials refused (${error.code}); replaying once with fresh credentials`);
        continue;
      }
      const { retry: options, budget, random } = this.parts;
      const decision = decideRetry({ error, attempt: attempt - (replayed ? 1 : 0), retries, idempotent: call.idempotent, retryAfter, nowMs: clock.now(), options, budget, random });
      if (decision.action === 'fail') {
        if (attempt > 1 || decision.error.kind === 'throttled') log.debug(`${call.label()}: giving up (${decision.reason})`);
        throw decision.error;
      }
      retries++;
      log.debug(`${call.label()}: retry ${retries} in ${decision.delayMs} ms (${decision.reason}, after ${error.status ? `HTTP ${error.status}` : error.code})`);
      try {
        await clock.sleep(decision.delayMs, signal);
      } catch (cause) {
        throw abortedError(call.serviceName, cause);
      }
    }
  }

  /** One attempt: the response, or the error to decide on (thrown when no retry could help). */
  private async attempt<T>(call: Call, headers: Record<string, string>, signal: AbortSignal, attempt: number): Promise<Attempt<T>> {
    const { log, redactor, exchange, maxBytes } = this.parts;
    const { request, serviceName, label } = call;
    const debug = logs(log, 'debug');
    const input: WireRequest = { service: serviceName, method: request.method, url: call.parsedUrl, headers, body: call.payload, sink: { kind: 'memory', maxBytes }, signal };
    const started = performance.now();
    try {
      const raw = await exchange(input);
      const ms = Math.round(performance.now() - started);
      const requestId = raw.headers['x-request-id'] || undefined;
      if (debug) log.debug(`${label()} → ${raw.status} in ${ms} ms (request id ${requestId ?? 'none'}, attempt ${attempt})`);
      if (raw.status >= 200 && raw.status < 300) {
        const body = parseSuccessBody(raw, request.responseType ?? 'json', serviceName, redactor) as T;
        this.parts.budget.onSuccess();
        return { response: { status: raw.status, headers: raw.headers, body, requestId } };
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
      return { error: errorFromResponse(raw, redactor, this.parts.clock.now()), retryAfter: raw.headers['retry-after'] };
    } catch (caught) {
      const error = isModelArtsError(caught) ? caught : networkError(caught, call.parsedUrl.host, redactor);
      if (error.kind === 'aborted') {
        log.debug(`${label()} → cancelled (attempt ${attempt})`);
        throw error;
      }
      if (error.kind !== 'http') {
        log.debug(`${label()} → ${error.kind} after ${Math.round(performance.now() - started)} ms: ${error.message} (attempt ${attempt})`);
      }
      if (error.kind === 'invalid-response') throw error;
      return { error };
    }
  }
}
