// One request and its response body over Node's http(s), with the connect and read timeouts and the size cap
// node-fetch does not have; every failure becomes a ModelArtsError saying what happened to the connection.

import type * as nodeHttp from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestInit, Response } from 'node-fetch';
import { ModelArtsError, isModelArtsError } from './errors';
import type { HttpMethod } from './http';
import { isRecord, oneLine, type RawResponse } from './httpErrors';
import type { Redactor } from './redact';
import { loadTransport } from './transport';

export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

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

export interface ExchangeInput {
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

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export function formatMegabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

export function abortedError(service: string, cause?: unknown): ModelArtsError {
  return new ModelArtsError({ kind: 'aborted', message: `The ${service} request was cancelled.`, cause });
}

export interface TransportOptions {
  fetch: FetchFunction;
  connectMs: number;
  readMs: number;
  maxBytes: number;
  redactor: Redactor;
}

/** The agents and limits every exchange of one client shares. */
export class Exchanger {
  private readonly slot: ObserverSlot = { next: undefined };
  // Made with the first request, like the modules they come from.
  private agents: { http: nodeHttp.Agent; https: nodeHttp.Agent } | undefined;

  constructor(private readonly options: TransportOptions) {}

  /** Closes idle keep-alive connections. */
  dispose(): void {
    this.agents?.http.destroy();
    this.agents?.https.destroy();
  }

  private readonly agentFor = (url: URL): nodeHttp.Agent => {
    if (!this.agents) {
      const { http, https } = loadTransport();
      this.agents = {
        http: observedAgent(new http.Agent(globalAgentOptions(http.globalAgent)), this.slot),
        https: observedAgent(new https.Agent(globalAgentOptions(https.globalAgent)), this.slot),
      };
    }
    return url.protocol === 'https:' ? this.agents.https : this.agents.http;
  };

  /** One request and its response body, with timers; every failure becomes a ModelArtsError. */
  async exchange(input: ExchangeInput): Promise<RawResponse> {
    const { readMs, connectMs, maxBytes } = this.options;
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

    try {
      if (input.signal?.aborted) throw abortedError(input.service);
      armReadTimer();
      const response = await this.start(input, controller.signal, observe);
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
      let received = 0;
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
      throw this.transportError(error, reason, input, host);
    } finally {
      settled = true;
      clearTimeout(readTimer);
      clearTimeout(connectTimer);
      input.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** Starts the fetch, handing its ClientRequest to `observe` through the agent. */
  private start(input: ExchangeInput, signal: AbortSignal, observe: RequestObserver): Promise<Response> {
    this.slot.next = observe;
    try {
      return this.options.fetch(input.url, {
        method: input.method,
        headers: input.headers,
        body: input.body,
        signal,
        agent: this.agentFor,
        // Redirects would carry X-Auth-Token to another host; the API never redirects.
        redirect: 'manual',
      });
    } finally {
      this.slot.next = undefined;
    }
  }

  transportError(error: unknown, reason: FailureReason | undefined, input: ExchangeInput, host: string): ModelArtsError {
    const { readMs, connectMs, maxBytes, redactor } = this.options;
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
    return networkError(error, host, redactor);
  }
}

/** A failed connection as a ModelArtsError: whether it was never made, or lost on the way (by error code). */
export function networkError(error: unknown, host: string, redactor: Redactor): ModelArtsError {
  const code = errorCode(error) ?? 'ENETWORK';
  const known = NETWORK_MESSAGES[code];
  const message = known ? known(host) : `Network error talking to ${host}: ${oneLine(redactor.redact(errorText(error)), 200)}`;
  return new ModelArtsError({ kind: 'network', code, message, cause: error });
}
