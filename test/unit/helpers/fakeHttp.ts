// A recording HttpClient for the typed-call tests: every request is kept, replies are scripted per route.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ApiRequest, ApiResponse, HttpClient } from '../../../src/api/http';
import { ModelArtsError } from '../../../src/api/errors';

export const PID = '0123456789abcdef0123456789abcdef';
export const projectId = (): Promise<string> => Promise.resolve(PID);

export interface ReplyInit {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  requestId?: string;
}

export type FakeReply = ReplyInit | Error;
export type Responder = (request: ApiRequest) => FakeReply | Promise<FakeReply>;

interface Route {
  method: string;
  path: string | RegExp;
  responder: Responder;
  once: boolean;
}

export class FakeHttp implements HttpClient {
  readonly requests: ApiRequest[] = [];
  private readonly routes: Route[] = [];

  /** Answers every matching request (after any `once` replies for it are used up). */
  on(method: string, path: string | RegExp, reply: FakeReply | Responder): this {
    this.routes.push({ method, path, responder: toResponder(reply), once: false });
    return this;
  }

  /** Answers the next matching request only. Once-replies are tried before persistent ones. */
  once(method: string, path: string | RegExp, reply: FakeReply | Responder): this {
    this.routes.push({ method, path, responder: toResponder(reply), once: true });
    return this;
  }

  async send<T>(request: ApiRequest): Promise<ApiResponse<T>> {
    this.requests.push(request);
    const matches = (r: Route): boolean =>
      r.method === request.method && (typeof r.path === 'string' ? r.path === request.path : r.path.test(request.path));
    const route = this.routes.find((r) => r.once && matches(r)) ?? this.routes.find((r) => !r.once && matches(r));
    if (!route) throw new Error(`FakeHttp: no reply for ${request.method} ${request.path}`);
    if (route.once) this.routes.splice(this.routes.indexOf(route), 1);
    const reply = await route.responder(request);
    if (reply instanceof Error) throw reply;
    return { status: reply.status ?? 200, headers: reply.headers ?? {}, body: reply.body as T, requestId: reply.requestId };
  }

  /** Requests sent, optionally only those with this method (and path). */
  count(method?: string, path?: string): number {
    return this.requests.filter((r) => (method === undefined || r.method === method) && (path === undefined || r.path === path)).length;
  }

  get last(): ApiRequest {
    const request = this.requests[this.requests.length - 1];
    if (!request) throw new Error('FakeHttp: no request was sent');
    return request;
  }
}

function toResponder(reply: FakeReply | Responder): Responder {
  return typeof reply === 'function' ? reply : () => reply;
}

export function httpError(status: number, code: string, message = `failed with ${status}`): ModelArtsError {
  return new ModelArtsError({ kind: 'http', status, code, message, requestId: 'req-1' });
}

export function networkError(kind: 'network' | 'timeout' = 'network'): ModelArtsError {
  return new ModelArtsError({ kind, message: kind === 'network' ? 'socket hang up' : 'read timeout' });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The repository's copy of a seed example (test/fixtures/seeds), parsed. */
export function readSeed(name: string): unknown {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'seeds', name);
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as unknown;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`seed fixture ${name} not found above ${__dirname}`);
    dir = parent;
  }
}

/** Expects `promise` to reject with a ModelArtsError of `kind`; returns it. */
export async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<ModelArtsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelArtsError && error.kind === kind) return error;
    throw new Error(`expected a ModelArtsError of kind ${kind}, got ${String(error)}`);
  }
  throw new Error(`expected a ModelArtsError of kind ${kind}, but it resolved`);
}

/** Runs `fn` and expects it to throw (sync) a ModelArtsError of `kind`. */
export function throwsWith(fn: () => unknown, kind: string): ModelArtsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelArtsError && error.kind === kind) return error;
    throw new Error(`expected a ModelArtsError of kind ${kind}, got ${String(error)}`);
  }
  throw new Error(`expected a ModelArtsError of kind ${kind}, but nothing was thrown`);
}
