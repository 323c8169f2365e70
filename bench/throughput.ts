// Emulator throughput: a few concurrent clients (ours, each its own connection) sending signed GETs to the
// emulator running in its own process, for a fixed time.

import { performance } from 'node:perf_hooks';
import { createClient } from '../src/api/client';
import { emit, run, targetFromEnv } from './lib';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);

run(async () => {
  const target = targetFromEnv();
  const clients = Array.from({ length: CLIENTS }, () =>
    createClient({
      region: target.region,
      endpoint: target.endpoint,
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
  emit({ clients: CLIENTS, requests: done, elapsedMs: elapsed, reqPerSec: (done / elapsed) * 1000 });
});
