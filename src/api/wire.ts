// One request over Node's http(s), for ModelArts, IAM and OBS alike (the modules are loaded on first use, and
// VS Code's proxy support applies to them): a keep-alive agent of our own, connect and read timeouts (Node has
// no connect timeout), cancellation, a body sent from memory or streamed from a file range, and a response read
// into memory under a cap or streamed into a file (through a temporary name). Every failure becomes a
// ModelArtsError saying what happened to the connection.

import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import type * as nodeHttp from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { ModelArtsError, isModelArtsError } from './errors';
import { isRecord, oneLine } from './httpErrors';
import type { Redactor } from './redact';
import { loadNodeHttp } from './transport';

export type WireMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

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

/** A failed connection as a ModelArtsError: whether it was never made, or lost on the way (by error code). */
export function networkError(error: unknown, host: string, redactor: Redactor): ModelArtsError {
  const code = errorCode(error) ?? 'ENETWORK';
  const known = NETWORK_MESSAGES[code];
  const message = known ? known(host) : `Network error talking to ${host}: ${oneLine(redactor.redact(errorText(error)), 200)}`;
  return new ModelArtsError({ kind: 'network', code, message, cause: error });
}

/** A body from memory, or `length` bytes of a file from `start` (re-opened for every attempt). */
export type WireBody = Buffer | { file: string; start: number; length: number };

/**
 * Where a successful body goes: memory (refused past `maxBytes`), or a file written whole or not at all (past
 * its `maxBytes`, when given, refused and the file never appears).
 */
export type ResponseSink =
  | { kind: 'memory'; maxBytes: number }
  | { kind: 'file'; file: string; maxBytes?: number }
  // Each chunk as it arrives (a log parsed while it downloads); a body cut short ends in an error all the same.
  | { kind: 'stream'; onData: (chunk: Buffer) => void; maxBytes?: number };

export interface WireRequest {
  /** Named in messages: `ModelArts`, `IAM`, `OBS`. */
  service: string;
  method: WireMethod;
  url: URL;
  headers: Record<string, string>;
  body?: WireBody;
  sink: ResponseSink;
  signal: AbortSignal;
  /** Bytes of this attempt so far: sent for a request body, received for a file download (with its length). */
  onProgress?: (bytes: number, totalBytes?: number) => void;
}

export interface WireResponse {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body read into memory (empty when it went to a file). */
  body: Buffer;
}

export interface WireOptions {
  connectMs: number;
  readMs: number;
  /** The cap for bodies read into memory that are not the caller's (errors). */
  maxErrorBytes: number;
  lookup?: LookupFunction;
  redactor: Redactor;
}

type FailureReason = 'caller' | 'read-timeout' | 'connect-timeout' | 'too-large' | 'incomplete' | 'file-changed';

/** A local file could not be read or written: no retry can help, and it is not the service's fault. */
class LocalFileProblem extends Error {
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(errorText(cause));
  }
}

function localFileError(problem: LocalFileProblem, redactor: Redactor): ModelArtsError {
  const code = (problem.cause as { code?: unknown } | undefined)?.code;
  return new ModelArtsError({
    kind: 'invalid-input',
    code: typeof code === 'string' ? code : 'LocalFileError',
    message: `Could not use the local file ${problem.file}: ${oneLine(redactor.redact(problem.message), 200)}`,
    cause: problem.cause,
  });
}

function headersOf(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function bodyLength(body: WireBody | undefined): number {
  if (body === undefined) return 0;
  return Buffer.isBuffer(body) ? body.length : body.length;
}

/** A sibling name for a download in progress: `<file>.part-<random>`. */
export function temporaryNameFor(file: string): string {
  return `${file}.part-${randomBytes(6).toString('hex')}`;
}

export class HttpWire {
  private agents: { http: nodeHttp.Agent; https: nodeHttp.Agent } | undefined;

  constructor(private readonly options: WireOptions) {}

  /** Closes idle keep-alive connections; the wire stays usable. */
  dispose(): void {
    this.agents?.http.destroy();
    this.agents?.https.destroy();
    this.agents = undefined;
  }

  private agentFor(url: URL): nodeHttp.Agent {
    if (!this.agents) {
      const { http, https } = loadNodeHttp();
      this.agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
    }
    return url.protocol === 'https:' ? this.agents.https : this.agents.http;
  }

  /** One request and its response; every failure becomes a ModelArtsError. */
  async send(input: WireRequest): Promise<WireResponse> {
    if (input.signal.aborted) throw abortedError(input.service, input.signal.reason);
    const state = new Attempt(this.options, input);
    try {
      const request = this.start(input, state);
      const response = await state.responseOf(request);
      const headers = headersOf(response);
      const ok = response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300;
      const status = response.statusCode ?? 0;
      const statusText = response.statusMessage ?? '';
      if (ok && input.sink.kind === 'file' && input.method !== 'HEAD') {
        await state.saveTo(response, headers, input.sink.file);
        return { status, statusText, headers, body: Buffer.alloc(0) };
      }
      if (ok && input.sink.kind === 'stream' && input.method !== 'HEAD') {
        await state.streamTo(response, headers, input.sink.onData);
        return { status, statusText, headers, body: Buffer.alloc(0) };
      }
      const cap = ok && input.sink.kind === 'memory' ? input.sink.maxBytes : this.options.maxErrorBytes;
      const body = input.method === 'HEAD' ? Buffer.alloc(0) : await state.readAll(response, headers, cap);
      // An answer that came before the whole body was sent (an early refusal): the connection cannot be reused.
      if (!request.writableFinished) request.destroy();
      return { status, statusText, headers, body };
    } catch (error) {
      throw state.errorFor(error);
    } finally {
      await state.finish();
    }
  }

  private start(input: WireRequest, state: Attempt): ClientRequest {
    const { http, https } = loadNodeHttp();
    const url = input.url;
    const headers: Record<string, string> = { ...input.headers };
    if (input.body !== undefined || input.method === 'PUT' || input.method === 'POST') headers['Content-Length'] = String(bodyLength(input.body));
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const request = (url.protocol === 'https:' ? https : http).request({
      protocol: url.protocol,
      hostname,
      port: url.port || undefined,
      path: url.pathname + url.search,
      method: input.method,
      headers,
      agent: this.agentFor(url),
      ...(this.options.lookup && isIP(hostname) === 0 ? { lookup: this.options.lookup } : {}),
    });
    state.attach(request);
    const body = input.body;
    if (body === undefined || bodyLength(body) === 0) request.end();
    else if (Buffer.isBuffer(body)) {
      request.end(body);
      request.once('finish', () => input.onProgress?.(body.length));
    } else state.streamFile(request, body);
    return request;
  }
}

/** The timers, failure reason and temporary file of one attempt. */
class Attempt {
  private reason: FailureReason | undefined;
  private request: ClientRequest | undefined;
  private readTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private temporary: string | undefined;
  private fileProblem: LocalFileProblem | undefined;
  private readonly onAbort = (): void => this.fail('caller');

  constructor(
    private readonly options: WireOptions,
    private readonly input: WireRequest,
  ) {
    input.signal.addEventListener('abort', this.onAbort, { once: true });
    this.armReadTimer();
  }

  private fail(why: FailureReason, problem?: LocalFileProblem): void {
    this.reason ??= why;
    if (problem) this.fileProblem ??= problem;
    this.request?.destroy(new Error(why));
  }

  private armReadTimer(): void {
    if (this.readTimer) this.readTimer.refresh();
    else this.readTimer = setTimeout(() => this.fail('read-timeout'), this.options.readMs);
  }

  attach(request: ClientRequest): void {
    this.request = request;
    if (this.reason) request.destroy(new Error(this.reason));
    request.once('socket', (socket: Socket) => {
      // A pooled keep-alive socket is already connected; only a new one is timed.
      if (!socket.connecting) return;
      this.connectTimer = setTimeout(() => this.fail('connect-timeout'), this.options.connectMs);
      socket.once('connect', () => clearTimeout(this.connectTimer));
    });
  }

  streamFile(request: ClientRequest, body: { file: string; start: number; length: number }): void {
    const stream = createReadStream(body.file, { start: body.start, end: body.start + body.length - 1 });
    let sent = 0;
    stream.on('data', (chunk: Buffer | string) => {
      sent += chunk.length;
      this.armReadTimer();
      this.input.onProgress?.(sent);
    });
    stream.once('error', (error) => this.fail('file-changed', new LocalFileProblem(body.file, error)));
    stream.once('end', () => {
      if (sent !== body.length) this.fail('file-changed', new LocalFileProblem(body.file, new Error(`the file is shorter than expected (${sent} of ${body.length} bytes); it changed while being sent`)));
    });
    request.once('close', () => stream.destroy());
    stream.pipe(request);
  }

  responseOf(request: ClientRequest): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', (response: IncomingMessage) => {
        this.armReadTimer();
        // Errors after the headers surface through the body's reading; this keeps them from being unhandled.
        request.on('error', () => undefined);
        response.on('error', () => undefined);
        resolve(response);
      });
      request.once('error', reject);
    });
  }

  /** The whole body, within `cap`; a body cut short is `incomplete`, never a bare reset. */
  readAll(response: IncomingMessage, headers: Record<string, string>, cap: number): Promise<Buffer> {
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > cap) {
      this.fail('too-large');
      return Promise.reject(new Error('too-large'));
    }
    // Listeners rather than an async iterator: most answers are one small chunk, and this is every API call.
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (piece: Buffer) => {
        if (this.reason) return;
        received += piece.length;
        if (received > cap) {
          this.fail('too-large');
          return;
        }
        chunks.push(piece);
        this.armReadTimer();
      });
      response.once('end', () => {
        if (!response.complete) this.fail('incomplete');
        if (this.reason) reject(new Error(this.reason));
        else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
      });
      response.once('close', () => {
        if (response.complete && !this.reason) return;
        this.fail('incomplete');
        reject(new Error(this.reason));
      });
    });
  }

  /** Reads the body chunk by chunk into `onData` (awaited when it returns a promise), within the sink's cap. */
  async streamTo(response: IncomingMessage, headers: Record<string, string>, onData: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    const declared = Number(headers['content-length']);
    const cap = this.input.sink.kind === 'memory' ? undefined : this.input.sink.maxBytes;
    if (cap !== undefined && Number.isFinite(declared) && declared > cap) this.fail('too-large');
    let received = 0;
    try {
      for await (const chunk of response) {
        if (this.reason) break;
        const piece = chunk as Buffer;
        received += piece.length;
        if (cap !== undefined && received > cap) {
          this.fail('too-large');
          break;
        }
        this.armReadTimer();
        this.input.onProgress?.(received, Number.isFinite(declared) ? declared : undefined);
        const wait = onData(piece);
        if (wait) await wait;
      }
    } catch (error) {
      // A connection closed mid-body is an incomplete answer, whatever Node calls it.
      if (this.reason || response.complete) throw error;
    }
    if (!response.complete || (Number.isFinite(declared) && declared !== received)) this.fail('incomplete');
    if (this.reason) throw new Error(this.reason);
  }

  async saveTo(response: IncomingMessage, headers: Record<string, string>, file: string): Promise<void> {
    const temporary = temporaryNameFor(file);
    this.temporary = temporary;
    const out: WriteStream = createWriteStream(temporary, { flags: 'wx' });
    const written = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', (error) => reject(new LocalFileProblem(file, error)));
    });
    written.catch(() => undefined);
    try {
      await this.streamTo(response, headers, (piece) => (out.write(piece) ? undefined : Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), written])));
      out.end();
      await written;
      await fsp.rename(temporary, file).catch((error: unknown) => {
        throw new LocalFileProblem(file, error);
      });
      this.temporary = undefined;
    } finally {
      if (!out.closed) {
        // A stream destroyed while its file is still opening creates the file afterwards: wait for its close,
        // so the temporary name is removed after it exists, not before.
        const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
        out.destroy();
        await closed;
      }
    }
  }

  errorFor(error: unknown): ModelArtsError {
    const { readMs, connectMs, redactor } = this.options;
    const host = this.input.url.host;
    if (isModelArtsError(error)) return error;
    if (this.fileProblem) return localFileError(this.fileProblem, redactor);
    if (error instanceof LocalFileProblem) return localFileError(error, redactor);
    switch (this.reason) {
      case 'caller':
        return abortedError(this.input.service, error);
      case 'read-timeout':
        return new ModelArtsError({ kind: 'timeout', code: 'ETIMEDOUT', message: `${this.input.service} (${host}) did not answer within ${formatSeconds(readMs)}.` });
      case 'connect-timeout':
        return new ModelArtsError({ kind: 'timeout', code: 'ETIMEDOUT', message: `Could not connect to ${host} within ${formatSeconds(connectMs)}.` });
      case 'too-large': {
        const cap = this.input.sink.maxBytes ?? this.options.maxErrorBytes;
        return new ModelArtsError({ kind: 'invalid-response', code: 'ResponseTooLarge', message: `${this.input.service} sent a response larger than ${formatMegabytes(cap)}; it was refused.` });
      }
      case 'incomplete':
        return new ModelArtsError({ kind: 'network', code: 'ECONNRESET', message: `The connection to ${host} closed before the response was complete.` });
      default:
        return networkError(error, host, redactor);
    }
  }

  /** Clears the timers, stops listening to the caller, and removes a temporary file left by a failure. */
  async finish(): Promise<void> {
    clearTimeout(this.readTimer);
    clearTimeout(this.connectTimer);
    this.input.signal.removeEventListener('abort', this.onAbort);
    const temporary = this.temporary;
    this.temporary = undefined;
    if (temporary) await fsp.rm(temporary, { force: true }).catch(() => undefined);
  }
}
