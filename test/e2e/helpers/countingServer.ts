import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback HTTP server that only counts: what a hostile setting would point the extension at. It answers
// every request 404 in the gateway's error shape, so a client that does reach it fails at once, without retries.

export interface CountingServer {
  url: string;
  /** Every request received, in order. */
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

export async function startCountingServer(): Promise<CountingServer> {
  const requests: CountingServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '?', path: (req.url ?? '/').split('?')[0] ?? '/' });
    req.resume();
    const body = JSON.stringify({ error_code: 'APIGW.0101', error_msg: 'counting server: not an API', request_id: String(requests.length) });
    res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
