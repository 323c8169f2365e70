// The job dashboard's first load through the real JobDashboard, client and streamFullLog: a running job in the
// emulator (same process, demo seed) whose task has 7 days of per-minute metrics (10,080 values a series, the
// emulator's metrics route answered with them) and a whole log of 1,000,000 lines (~1 in 10 with a step and
// loss/acc/lr, the rest what frameworks print around them) behind its log link, served by a plain loopback
// HTTP server standing in for OBS. Measured: the first frame (start() to header, resources and the first
// non-empty curves all posted), the whole log downloaded and parsed (lines/s), the longest event-loop block,
// and the heap kept after the load. Run with --expose-gc so heap figures are after a collection.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createClient } from '../src/api/client';
import { systemClock } from '../src/api/clock';
import { createRedactor } from '../src/api/redact';
import { englishL10n } from '../src/common/translate';
import { JobCurvesCache } from '../src/dashboard/jobCurves';
import { JobDashboard } from '../src/dashboard/jobDashboard';
import type { HostMessage } from '../src/dashboard/protocol';
import { startEmulator } from '../src/emulator/server';
import { MANUAL_SAVE_IMAGE_JOB_ID } from '../src/emulator/training/seed';
import { LOG_NOISE, emit, median, run } from './lib';

const LINES = Number(process.env.BENCH_DASHBOARD_LINES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 3);
const MINUTES = 7 * 24 * 60;
const JOB = MANUAL_SAVE_IMAGE_JOB_ID;
const TASK = 'worker-0';
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

/** A training log as frameworks print it: one line in ten carries a step and loss/acc/lr. */
function makeLog(lines: number): { log: Buffer; metricLines: number } {
  const noise = [
    ...LOG_NOISE,
    (i: number) => `2026-12-07 12:00:01 - INFO - [worker-0] batch time ${(i % 50) / 100} s, data time 0.01 s`,
  ];
  const parts: string[] = [];
  let metricLines = 0;
  for (let i = 0; i < lines; i++) {
    if (i % 10 === 9) {
      const step = (i + 1) / 10;
      const loss = 2.3 * Math.exp(-step / 30_000) + 0.05 + (i % 7) / 1000;
      parts.push(`2026-12-07 12:00:01 - INFO - [worker-0] step ${step} loss=${loss.toFixed(6)} acc=${(1 - loss / 3).toFixed(4)} lr=${(1e-3 * 0.5 ** Math.floor(step / 25_000)).toFixed(6)}`);
      metricLines++;
    } else parts.push(noise[i % noise.length](i));
  }
  return { log: Buffer.from(`${parts.join('\n')}\n`, 'utf8'), metricLines };
}

/** 7 days of a metric, -1 for a minute now and then (as the service has it). */
function metricBody(): unknown {
  const series = (base: number, spread: number) => Array.from({ length: MINUTES }, (_, i) => (i % 97 === 50 ? -1 : Math.round((base + spread * Math.sin(i / 30)) * 100) / 100));
  return {
    metrics: [
      { metric: 'cpuUsage', value: series(35, 10) },
      { metric: 'memUsage', value: series(60, 5) },
      { metric: 'gpuUtil', value: series(85, 10) },
      { metric: 'gpuMemUsage', value: series(70, 3) },
    ],
  };
}

/** The OBS object behind the log link: the whole log, with its length. */
function serveLog(log: Buffer): Promise<{ server: Server; origin: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((_request, res) => {
    requests++;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(log.length) });
    res.end(log);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests }));
  });
}

interface Run {
  firstFrameMs: number;
  headerMs: number;
  resourcesMs: number;
  firstCurvesMs: number;
  /** From "reading the whole log" to "read": the link, the download and the parse. */
  wholeLogMs: number;
  startMs: number;
  linesPerSec: number;
  lines: number;
  points: number;
  resourceValues: number;
  curvesMessages: number;
  maxEventLoopDelayMs: number;
  heapGrowthMB: number;
  heapAndBuffersGrowthMB: number;
  /** What letting go of the dashboard and its curves gave back: what the load held. */
  heldByLoadMB: number;
}

run(async () => {
  const { log, metricLines } = makeLog(LINES);
  const obs = await serveLog(log);
  const emu = await startEmulator({ port: 0, iamPort: 0, seed: 'demo' });
  emu.faults.add({ path: `/metrics/${TASK}$`, status: 200, body: metricBody() });
  emu.faults.add({ path: `/tasks/${TASK}/logs/url$`, status: 200, body: { obs_url: `${obs.origin}/training-logs/${JOB}/${TASK}.log?Expires=9999999999&Signature=bench` } });
  const redactor = createRedactor();
  const client = createClient({
    region: emu.region,
    endpoint: emu.endpoint,
    iamEndpoint: emu.iamEndpoint,
    credentials: { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk },
    projectId: emu.projectId,
    obsEndpoint: obs.origin,
    redactor,
  });
  const runs: Run[] = [];
  try {
    // Warm-up (connections, the code paths), discarded.
    await client.trainingJobs.get(JOB);
    for (let r = 0; r < RUNS; r++) {
      gc();
      const memoryBefore = process.memoryUsage();
      const delay = monitorEventLoopDelay({ resolution: 1 });
      const at: Partial<Record<'header' | 'resources' | 'curves' | 'reading' | 'read', number>> = {};
      let curvesMessages = 0;
      const t0 = performance.now();
      const post = (message: HostMessage): void => {
        const now = performance.now() - t0;
        if (message.type === 'header' || message.type === 'resources') at[message.type] ??= now;
        if (message.type === 'curves') {
          curvesMessages++;
          if (message.series.some((s) => s.x.length > 0)) at.curves ??= now;
        }
        if (message.type === 'status' && /^Reading the whole log/.test(message.text)) at.reading ??= now;
        if (message.type === 'status' && /^Read the whole log/.test(message.text)) at.read ??= now;
        if (message.type === 'status' && message.level !== 'info') throw new Error(`dashboard: ${message.text}`);
      };
      let cache: JobCurvesCache | undefined = new JobCurvesCache();
      let dashboard: JobDashboard | undefined = new JobDashboard({
        session: { profile: 'bench', client, serviceClock: systemClock },
        jobId: JOB,
        post,
        l10n: englishL10n,
        clock: systemClock,
        intervalMs: () => 3_600_000,
        patterns: () => [],
        logs: { has: () => false, listen: () => ({ dispose: () => undefined }) },
        logKey: (profile, jobId, task) => `logs:${profile}:${jobId}/${task}`,
        cache,
        place: { region: emu.region, endpoint: obs.origin },
        redactor,
        log: { warn: (text) => process.stderr.write(`${text}\n`), info: () => undefined },
        describe: (error) => (error instanceof Error ? error.message : String(error)),
      });
      delay.enable();
      await dashboard.start();
      const startMs = performance.now() - t0;
      delay.disable();
      dashboard.dispose();
      const logBytesRead = dashboard.stats.logBytesRead;
      const { header, resources, curves, reading, read } = at;
      if (header === undefined || resources === undefined || curves === undefined || reading === undefined || read === undefined) throw new Error(`missing messages: ${JSON.stringify(at)}`);
      const stats = { ...cache.take(`logs:bench:${JOB}/${TASK}`, []).curves.parser.stats };
      if (stats.lines !== LINES || stats.linesWithMetrics !== metricLines) throw new Error(`read ${stats.lines} lines, ${stats.linesWithMetrics} with metrics; expected ${LINES}, ${metricLines}`);
      if (logBytesRead !== log.length) throw new Error(`read ${logBytesRead} of ${log.length} bytes`);
      gc();
      const memoryAfter = process.memoryUsage();
      cache = undefined;
      dashboard = undefined;
      // The last request's socket lets go of its listeners a moment after the load: then collect.
      await new Promise((resolve) => setTimeout(resolve, 50));
      gc();
      const memoryReleased = process.memoryUsage();
      const held = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.arrayBuffers;
      const wholeLogMs = read - reading;
      runs.push({
        firstFrameMs: Math.max(header, resources, curves),
        headerMs: header,
        resourcesMs: resources,
        firstCurvesMs: curves,
        wholeLogMs,
        startMs,
        linesPerSec: (LINES / wholeLogMs) * 1000,
        lines: stats.lines,
        points: stats.points,
        resourceValues: MINUTES * 4,
        curvesMessages,
        maxEventLoopDelayMs: delay.max / 1e6,
        heapGrowthMB: (memoryAfter.heapUsed - memoryBefore.heapUsed) / 1024 ** 2,
        heapAndBuffersGrowthMB: (held(memoryAfter) - held(memoryBefore)) / 1024 ** 2,
        heldByLoadMB: (held(memoryAfter) - held(memoryReleased)) / 1024 ** 2,
      });
    }
  } finally {
    client.dispose();
    await emu.close();
    await new Promise((resolve) => obs.server.close(resolve));
  }
  emit({
    lines: LINES,
    logMB: log.length / 1024 ** 2,
    metricLines,
    metricMinutes: MINUTES,
    logRequests: obs.requests(),
    runs,
    firstFrameMs: runs.map((r) => r.firstFrameMs),
    linesPerSec: runs.map((r) => r.linesPerSec),
    heapAndBuffersGrowthMB: runs.map((r) => r.heapAndBuffersGrowthMB),
    medianFirstFrameMs: median(runs.map((r) => r.firstFrameMs)),
    medianLinesPerSec: median(runs.map((r) => r.linesPerSec)),
    maxHeapGrowthMB: Math.max(...runs.map((r) => r.heapAndBuffersGrowthMB)),
    heldByLoadMB: runs.map((r) => r.heldByLoadMB),
    maxEventLoopDelayMs: runs.map((r) => r.maxEventLoopDelayMs),
  });
});
