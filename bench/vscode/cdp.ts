// A bare Chrome DevTools Protocol client for a Node inspector (the extension host started with
// `inspect-extensions`): the global WebSocket of Node 22+, or of Node 20 with `--experimental-websocket`.

interface MessageEventLike {
  data: unknown;
}
interface WebSocketLike {
  addEventListener(type: 'open' | 'error' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  send(data: string): void;
  close(): void;
}
type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface CdpSession {
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): void;
}

export interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/** Connects to the first target of the inspector on 127.0.0.1:`port`. */
export async function connectInspector(port: number, timeoutMs = 15_000): Promise<CdpSession> {
  const WebSocketImpl = (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!WebSocketImpl) throw new Error('no global WebSocket in this Node (Node 20 needs --experimental-websocket)');
  const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(timeoutMs) })).json()) as Array<{ webSocketDebuggerUrl?: string }>;
  const url = list[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`the inspector on port ${port} lists no target`);
  const socket = new WebSocketImpl(url);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the inspector's WebSocket did not open in ${timeoutMs} ms`)), timeoutMs);
    socket.addEventListener('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.addEventListener('error', () => {
      clearTimeout(timer);
      reject(new Error(`the inspector's WebSocket ${url} failed`));
    });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id!);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the inspector closed the connection'));
    pending.clear();
  });
  return {
    send: <T>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method}: no answer from the inspector in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** The JS heap in use after a full collection. */
export async function heapAfterGc(session: CdpSession): Promise<HeapUsage> {
  await session.send('HeapProfiler.collectGarbage');
  return session.send<HeapUsage>('Runtime.getHeapUsage');
}

/** The pid of the process the inspector belongs to (to check it is the one whose CPU time is read). */
export async function inspectedPid(session: CdpSession): Promise<number> {
  const reply = await session.send<{ result: { value?: unknown } }>('Runtime.evaluate', { expression: 'process.pid', returnByValue: true });
  const pid = Number(reply.result.value);
  if (!Number.isInteger(pid)) throw new Error(`process.pid in the inspected process read ${JSON.stringify(reply.result.value)}`);
  return pid;
}
