// A scripted HTTP server on port 0 for the client tests: canned answers, resets, stalls, streamed bodies,
// and a record of every request it saw.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { flushMicrotasks, type ManualClock } from '../../../src/api/clock';
import type { AuthProvider } from '../../../src/api/credentials';
import { ModelArtsError } from '../../../src/api/errors';
import { prng } from '../../../src/emulator/familyKit';

export interface RecordedRequest {
  index: number;
  method: string;
  /** Path without query, as received. */
  path: string;
  /** The raw query string without `?`, as received. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: string | Buffer | object }
  /** Destroys the connection with a TCP reset before any answer. */
  | { kind: 'reset' }
  /** Never answers (until the server closes). */
  | { kind: 'stall' }
  /** Sends the status, headers and `body`, then resets (`reset`), closes cleanly (`close`) or goes silent (`stall`). */
  | { kind: 'partial'; status?: number; headers?: Record<string, string>; body: string; then: 'reset' | 'close' | 'stall' }
  /** Streams `totalBytes` of filler JSON, honouring back-pressure; `declareLength` sends Content-Length. */
  | { kind: 'stream'; status?: number; totalBytes: number; declareLength?: boolean };

export type Responder = Reply | ((request: RecordedRequest) => Reply | Promise<Reply>);

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /**
   * Connections accepted. Each attempt of a client opens one, even one it gives up on before the server has read
   * its request (a starved event loop can run the client's timeout first), so attempts are counted here.
   */
  readonly connections: number;
  /** Bytes of body written by `stream` replies. */
  readonly streamedBytes: number;
  /** Queues answers, used in order; after the queue, `otherwise` answers. */
  reply(...responders: Responder[]): this;
  otherwise(responder: Responder): this;
  /** Resolves once `count` requests have arrived (event driven, no polling of time). */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

function send(res: ServerResponse, reply: { status?: number; headers?: Record<string, string>; body?: string | Buffer | object }): void {
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...reply.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}

export async function startFakeServer(): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const queue: Responder[] = [];
  let fallback: Responder = { status: 200, body: {} };
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let streamedBytes = 0;
  let connections = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      const recorded: RecordedRequest = {
        index: requests.length,
        method: req.method ?? 'GET',
        path: q < 0 ? raw : raw.slice(0, q),
        rawQuery: q < 0 ? '' : raw.slice(q + 1),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const responder = queue.length > 0 ? queue.shift()! : fallback;
      void Promise.resolve(typeof responder === 'function' ? responder(recorded) : responder).then((reply) => answer(reply, res));
    });
  });

  const answer = (reply: Reply, res: ServerResponse): void => {
    const socket = res.socket;
    if (!socket) return;
    if ('kind' in reply) {
      switch (reply.kind) {
        case 'reset':
          socket.resetAndDestroy();
          return;
        case 'stall':
          return;
        case 'partial': {
          res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(reply.body) + 1000), ...reply.headers });
          res.write(reply.body, () => {
            if (reply.then === 'reset') socket.resetAndDestroy();
            else if (reply.then === 'close') socket.destroy();
          });
          return;
        }
        case 'stream': {
          const headers: Record<string, string> = { 'Content-Type': 'application/json' };
          if (reply.declareLength) headers['Content-Length'] = String(reply.totalBytes);
          res.writeHead(reply.status ?? 200, headers);
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          let written = 0;
          const pump = (): void => {
            while (written < reply.totalBytes && !res.destroyed) {
              const piece = chunk.subarray(0, Math.min(chunk.length, reply.totalBytes - written));
              written += piece.length;
              streamedBytes += piece.length;
              if (!res.write(piece)) {
                res.once('drain', pump);
                return;
              }
            }
            if (!res.destroyed) res.end();
          };
          pump();
          return;
        }
      }
    }
    send(res, reply);
  };

  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get streamedBytes() {
      return streamedBytes;
    },
    get connections() {
      return connections;
    },
    reply(...responders) {
      queue.push(...responders);
      return this;
    },
    otherwise(responder) {
      fallback = responder;
      return this;
    },
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** A port on which nothing listens: connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface BlackHole {
  port: number;
  close(): void;
}

/**
 * A port where TCP connects never complete: a child process listens with a backlog of 1 and blocks without
 * accepting; once filler connections fill the queue, the kernel drops further SYNs.
 */
export async function blackHolePort(): Promise<BlackHole> {
  const script =
    "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{" +
    "process.stdout.write(String(s.address().port)+'\\n',()=>Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0))})";
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim())));
    child.once('error', reject);
  });
  // The child blocks right after printing its port; fill the accept queue until a connect stays pending.
  const fillers: Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  return {
    port,
    close() {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    },
  };
}

/**
 * Settles `promise` while letting a ManualClock run every wait it asks for: real I/O proceeds in real time,
 * backoff waits pass in virtual time. No real sleeps.
 */
export async function settle<T>(promise: Promise<T>, clock: ManualClock): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  watched.catch(() => undefined);
  for (let i = 0; i < 1_000_000 && !done; i++) {
    if (clock.pending > 0) await clock.runAll();
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await flushMicrotasks();
  return watched;
}

/** Runs until `condition` holds, yielding to I/O between checks; fails after many rounds. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 1_000_000; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** An auth provider with a fixed token, for tests about transport and retries rather than credentials. */
export function staticTokenAuth(token = 'static-test-token'): AuthProvider {
  return { kind: 'token', authorize: () => Promise.resolve({ 'X-Auth-Token': token }), onUnauthorized: () => false };
}

/** A seeded PRNG (mulberry32), so random tests repeat exactly. */
export const seededRandom = prng;

/** Fails the file's run when any promise rejection goes unhandled while its tests run. */
export function failOnUnhandledRejections(after: (fn: () => void) => void, message: string): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  after(() => {
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], message);
  });
}

/** The error a request failed with; fails when it succeeded or threw something other than ModelArtsError. */
export async function failure(promise: Promise<unknown>): Promise<ModelArtsError> {
  return promise.then(
    () => assert.fail('expected the request to fail'),
    (e: unknown) => {
      assert.ok(e instanceof ModelArtsError, `one error class, got ${String(e)}`);
      return e;
    },
  );
}
