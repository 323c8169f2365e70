// Emulator throughput: a few concurrent clients (ours, each its own connection) sending signed GETs to the
// emulator running in its own process, for a fixed time; and the floor beside it: a bare Node http server in its
// own process answering every request with the same bytes, on the same clients. The emulator stands in for the
// cloud in every test and in the demo: its cost above the floor is our test suite's cost.

import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createClient } from '../src/api/client';
import { emit, median, run, targetFromEnv, type EmulatorTarget } from './lib';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Requests a second that CLIENTS clients get from `endpoint` for DURATION_MS, each waiting for its answer. */
async function measure(target: EmulatorTarget, endpoint: string): Promise<number> {
  const clients = Array.from({ length: CLIENTS }, () =>
    createClient({
      region: target.region,
      endpoint,
      iamEndpoint: target.iamEndpoint,
      credentials: { kind: 'aksk', ak: target.ak, sk: target.sk },
      projectId: target.projectId,
    }),
  );
  const get = async (i: number): Promise<void> => {
    const r = await clients[i].connection.http.send({ method: 'GET', path: `/v1/${target.projectId}/workspaces`, query: { limit: 1 } });
    if (r.status !== 200) throw new Error(`status ${r.status}`);
  };
  // Warm every connection first.
  for (let k = 0; k < 50; k++) await Promise.all(clients.map((_, i) => get(i)));
  let done = 0;
  const t0 = performance.now();
  const end = t0 + DURATION_MS;
  await Promise.all(
    clients.map(async (_, i) => {
      while (performance.now() < end) {
        await get(i);
        done++;
      }
    }),
  );
  const elapsed = performance.now() - t0;
  for (const c of clients) c.dispose();
  return (done / elapsed) * 1000;
}

/** A bare http server in a process of its own that answers every request with `body` as JSON. */
function startBareServer(body: string): Promise<{ endpoint: string; stop(): void }> {
  const script = `
    const http = require('node:http');
    const body = Buffer.from(process.env.BARE_BODY, 'utf8');
    const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': body.length, 'X-Request-Id': 'bare' });
        res.end(body);
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, BARE_BODY: body }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => {
      const { port } = JSON.parse(chunk.toString('utf8')) as { port: number };
      resolve({ endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() });
    });
  });
}

run(async () => {
  const target = targetFromEnv();
  // The bytes the emulator answers, for the bare server to answer the same.
  const sample = createClient({ region: target.region, endpoint: target.endpoint, iamEndpoint: target.iamEndpoint, credentials: { kind: 'aksk', ak: target.ak, sk: target.sk }, projectId: target.projectId });
  const answer = await sample.connection.http.send({ method: 'GET', path: `/v1/${target.projectId}/workspaces`, query: { limit: 1 } });
  sample.dispose();
  const bare = await startBareServer(JSON.stringify(answer.body));
  const emulator: number[] = [];
  const floor: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first.
      if (round % 2 === 0) {
        emulator.push(await measure(target, target.endpoint));
        floor.push(await measure(target, bare.endpoint));
      } else {
        floor.push(await measure(target, bare.endpoint));
        emulator.push(await measure(target, target.endpoint));
      }
    }
  } finally {
    bare.stop();
  }
  const ratios = emulator.map((r, i) => r / floor[i]);
  emit({ clients: CLIENTS, durationMs: DURATION_MS, reqPerSec: median(emulator), runs: emulator, floorReqPerSec: floor, ratios, medianRatio: median(ratios) });
});
