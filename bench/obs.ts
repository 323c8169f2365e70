// OBS on loopback: uploading one 200 MB file with our client (multipart, parallel parts) beside the floor (the
// same bytes sent as bare streaming PUTs, pre-signed, as many in flight as our parts), the peak memory of our
// upload, and listing a 100,000-object bucket page by page. The emulator runs in a process of its own.

import { createReadStream, mkdtempSync, rmSync, writeSync, openSync, closeSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomFillSync } from 'node:crypto';
import { createObsClient } from '../src/api/obs/client';
import { obsAuthorization } from '../src/api/obs/signer';
import { emit, run, targetFromEnv } from './lib';

const FILE_MB = Number(process.env.BENCH_OBS_FILE_MB ?? 200);
const PART_BYTES = 8 * 1024 * 1024;
const PARALLEL = 4;
const RUNS = Number(process.env.BENCH_OBS_RUNS ?? 3);
const LIST_OBJECTS = Number(process.env.BENCH_OBS_LIST_OBJECTS ?? 100_000);

function writeFile(path: string, bytes: number): void {
  const chunk = randomFillSync(Buffer.alloc(PART_BYTES));
  const fd = openSync(path, 'w');
  for (let written = 0; written < bytes; written += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
  closeSync(fd);
}

/** The floor: each part-sized slice of the file streamed by a bare http.request PUT, PARALLEL at once. */
async function floorUpload(endpoint: URL, key: { ak: string; sk: string }, bucket: string, file: string, bytes: number, agent: http.Agent): Promise<void> {
  const slices = Array.from({ length: Math.ceil(bytes / PART_BYTES) }, (_, i) => i);
  const put = (i: number): Promise<void> => {
    const path = `/${bucket}/floor/part-${i}`;
    const length = Math.min(PART_BYTES, bytes - i * PART_BYTES);
    const headers: Record<string, string> = { Date: new Date().toUTCString(), 'Content-Type': 'application/octet-stream', 'Content-Length': String(length) };
    headers.Authorization = obsAuthorization(key, { method: 'PUT', resource: path, query: '', headers });
    return new Promise((resolve, reject) => {
      const request = http.request({ host: endpoint.hostname, port: endpoint.port, method: 'PUT', path, headers, agent }, (response) => {
        response.resume();
        response.once('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`floor PUT ${response.statusCode ?? 0}`))));
      });
      request.once('error', reject);
      createReadStream(file, { start: i * PART_BYTES, end: i * PART_BYTES + length - 1 }).pipe(request);
    });
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < slices.length) await put(next++);
    }),
  );
}

run(async () => {
  const target = targetFromEnv() as ReturnType<typeof targetFromEnv> & { obsEndpoint: string };
  const key = { ak: target.ak, sk: target.sk };
  const client = createObsClient({ endpoint: target.obsEndpoint, region: target.region, credentials: () => Promise.resolve(key) });
  const bucket = 'bench-upload';
  await client.createBucket(bucket);
  const dir = mkdtempSync(join(tmpdir(), 'obs-bench-'));
  const file = join(dir, 'big.bin');
  const bytes = FILE_MB * 1024 * 1024;
  writeFile(file, bytes);
  const agent = new http.Agent({ keepAlive: true });
  const endpoint = new URL(target.obsEndpoint);
  const oursMBps: number[] = [];
  const floorMBps: number[] = [];
  let peakRssGrowthMB = 0;
  try {
    for (let r = 0; r < RUNS; r++) {
      // Interleaved, so that both see the same machine.
      let t0 = performance.now();
      await floorUpload(endpoint, key, bucket, file, bytes, agent);
      floorMBps.push(FILE_MB / ((performance.now() - t0) / 1000));

      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      t0 = performance.now();
      await client.uploadFile(bucket, `ours/big-${r}.bin`, file, { partSize: PART_BYTES, parallel: PARALLEL });
      oursMBps.push(FILE_MB / ((performance.now() - t0) / 1000));
      clearInterval(sampler);
      peakRssGrowthMB = Math.max(peakRssGrowthMB, (peak - baseline) / 1024 / 1024);
      await client.deleteObject(bucket, `ours/big-${r}.bin`);
    }
    await client.deleteObjects(bucket, Array.from({ length: Math.ceil(bytes / PART_BYTES) }, (_, i) => `floor/part-${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 100,000 empty objects, then listed 1,000 a page.
  const listBucket = 'bench-list';
  await client.createBucket(listBucket);
  let made = 0;
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (made < LIST_OBJECTS) {
        const n = made++;
        await client.putObject(listBucket, `data/${String(n).padStart(6, '0')}.json`, '');
      }
    }),
  );
  const fillSeconds = (performance.now() - t1) / 1000;
  const pageTimes: number[] = [];
  let listed = 0;
  let marker: string | undefined;
  const t2 = performance.now();
  for (;;) {
    const p0 = performance.now();
    const page = await client.listObjects({ bucket: listBucket, prefix: 'data/', marker, maxKeys: 1000 });
    pageTimes.push(performance.now() - p0);
    listed += page.objects.length;
    if (!page.truncated) break;
    marker = page.nextMarker;
  }
  const listSeconds = (performance.now() - t2) / 1000;
  client.dispose();
  agent.destroy();
  emit({ fileMB: FILE_MB, partMB: PART_BYTES / 1024 / 1024, parallel: PARALLEL, oursMBps, floorMBps, peakRssGrowthMB, memoryBoundMB: (PART_BYTES * PARALLEL) / 1024 / 1024, listObjects: LIST_OBJECTS, fillSeconds, listed, pages: pageTimes.length, listSeconds, pageMs: pageTimes });
});
