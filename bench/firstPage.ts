// First page of a 10,000-job workspace with 100 ms injected on every ModelArts request: the requests the
// expansion of "Training Jobs" sends and the time until its rows are there. A fresh emulator and tree per run.

import { performance } from 'node:perf_hooks';
import { startExplorerRig } from '../test/unit/helpers/explorerRig';
import { emit, median, run } from './lib';

const JOBS = 10_000;
const LATENCY_MS = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAGE_SIZE = 20; // the default of modelarts.pageSize

run(async () => {
  const times: number[] = [];
  const requests: number[] = [];
  let rowsShown = 0;
  let sent: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const rig = await startExplorerRig({ emulator: { seed: 'empty', jobs: JOBS }, pageSize: PAGE_SIZE });
    try {
      const ws = await rig.row(undefined, 'default');
      const jobs = await rig.row(ws, 'Training Jobs');
      rig.emu.faults.add({ service: 'modelarts', latencyMs: LATENCY_MS });
      const mark = rig.mark();
      const t0 = performance.now();
      const rows = await rig.model.children(jobs);
      times.push(performance.now() - t0);
      await rig.model.idle();
      sent = rig.servedSince(mark);
      requests.push(sent.length);
      rowsShown = rows.filter((r) => /^scale-/.test(r.view().label)).length;
      if (rowsShown !== PAGE_SIZE) throw new Error(`expected ${PAGE_SIZE} job rows, got ${rowsShown}`);
    } finally {
      await rig.close();
    }
  }
  emit({ jobs: JOBS, latencyMs: LATENCY_MS, pageSize: PAGE_SIZE, rowsShown, times, requests, requestsSent: sent, medianMs: median(times) });
});
