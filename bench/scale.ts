// How the explorer's cost grows with the size of what is in view, on a ManualClock against the in-process
// emulator (its scale seed with every job Running, so every row stays transitional and is polled):
//   BENCH_SCALE=poll        one workspace, 1,000 running jobs in one expanded list, every page shown: requests,
//                           CPU per poll tick and the time to render the list (rows' TreeItems built).
//   BENCH_SCALE=workspaces  10 workspaces x 1,000 running jobs, every jobs list expanded then collapsed:
//                           requests per tick and the heap (after a collection) before, expanded, collapsed.
// Run with `-r bench/vscodeResolve.cjs` (TreeItems are built with the `vscode` stand-in) and --expose-gc.
// CPU is the process's: it includes the in-process emulator answering the polls.

import { performance } from 'node:perf_hooks';
import { DEFAULT_SETTINGS } from '../src/common/settings';
import { LoadMoreNode } from '../src/explorer/nodes/loadMoreNode';
import type { ExplorerNode } from '../src/explorer/nodes/node';
import { renderTreeItem } from '../src/explorer/treeProvider';
import { startExplorerRig, type ExplorerRig } from '../test/unit/helpers/explorerRig';
import { emit, median, run } from './lib';

const JOBS = 1_000;
const PAGE_SIZE = DEFAULT_SETTINGS.pageSize;
/** Poll rounds measured after a first one left out (it runs while the code is still warming up). */
const TICKS = 6;
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);
const heapMB = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** The Training Jobs row of a workspace row. */
async function jobsGroup(rig: ExplorerRig, workspace: ExplorerNode): Promise<ExplorerNode> {
  const groups = await rig.model.children(workspace);
  const group = groups.find((g) => g.view().label === 'Training Jobs');
  if (!group) throw new Error(`no Training Jobs under ${workspace.id}: ${groups.map((g) => g.view().label).join(', ')}`);
  return group;
}

/** Expands `list` and clicks Load more until every row is shown; each row's TreeItem is built, as the view does. */
async function showAll(rig: ExplorerRig, list: ExplorerNode): Promise<{ rows: ExplorerNode[]; pages: number }> {
  let rows = await rig.model.children(list);
  let pages = 1;
  for (let more = rows.at(-1); more instanceof LoadMoreNode; more = rows.at(-1)) {
    await rig.model.loadMore(more);
    rows = await rig.model.children(list);
    pages++;
  }
  for (const row of rows) row.getTreeItem();
  return { rows, pages };
}

interface Tick {
  requests: number;
  cpuMs: number;
  wallMs: number;
  atMs: number;
}

/** Moves the clock a second at a time until `count` poll rounds ran; the requests and CPU of each round. */
async function pollTicks(rig: ExplorerRig, count: number, maxVirtualMs = 10 * 60_000): Promise<Tick[]> {
  const ticks: Tick[] = [];
  const start = rig.clock.now();
  while (ticks.length < count) {
    if (rig.clock.now() - start > maxVirtualMs) throw new Error(`${ticks.length} of ${count} poll rounds in ${maxVirtualMs / 1000} virtual s`);
    const rounds = rig.model.poller.rounds;
    const mark = rig.mark();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await rig.runFor(1_000, 1_000);
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    if (rig.model.poller.rounds === rounds) continue;
    ticks.push({ requests: rig.servedSince(mark).length, cpuMs: (used.user + used.system) / 1000, wallMs, atMs: rig.clock.now() - start });
  }
  return ticks;
}

const rigOptions = (workspaces: number): Parameters<typeof startExplorerRig>[0] => ({
  emulator: { seed: 'empty', jobs: JOBS, scaleRunning: true, scaleWorkspaces: workspaces },
  pageSize: PAGE_SIZE,
  model: { render: renderTreeItem },
});

async function pollTick1000(): Promise<void> {
  const rig = await startExplorerRig(rigOptions(1));
  try {
    const [workspace] = await rig.model.children(undefined);
    const list = await jobsGroup(rig, workspace);
    await rig.model.idle();
    // Expand → every row's TreeItem built: one page, then all of them (Load more until the end).
    const f0 = performance.now();
    const firstRows = await rig.model.children(list);
    for (const row of firstRows) row.getTreeItem();
    const firstPageMs = performance.now() - f0;
    const renderStart = rig.mark();
    const a0 = performance.now();
    const { rows, pages } = await showAll(rig, list);
    const allPagesMs = firstPageMs + (performance.now() - a0);
    const renderRequests = rig.servedSince(renderStart).length + 1;
    // The redraw alone (what a `changed` costs once loaded): children again and every TreeItem, no request.
    const redrawMs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const r0 = performance.now();
      for (const row of await rig.model.children(list)) row.getTreeItem();
      redrawMs.push(performance.now() - r0);
    }
    const jobRows = rows.filter((r) => r.view().contextValue?.includes('trainingJob')).length;
    await rig.model.idle();
    // The first round is kicked by the loads above; count from a clean mark.
    const [warmUp] = await pollTicks(rig, 1);
    const ticks = await pollTicks(rig, TICKS);
    const perTick = ticks.map((t) => t.requests);
    const byKind = rig.servedSince(0).slice(-ticks.at(-1)!.requests).reduce<Record<string, number>>((acc, line) => {
      const kind = line.replace(/[0-9a-f-]{36}/g, '{id}');
      acc[kind] = (acc[kind] ?? 0) + 1;
      return acc;
    }, {});
    emit({
      jobs: JOBS,
      pageSize: PAGE_SIZE,
      rowsShown: jobRows,
      pagesShown: pages,
      expectedRequestsPerTick: pages,
      requestsPerTick: perTick,
      lastTickRequestsByKind: byKind,
      warmUpTick: warmUp,
      cpuMsPerTick: ticks.map((t) => t.cpuMs),
      cpuMsPerTickMedian: median(ticks.map((t) => t.cpuMs)),
      wallMsPerTick: ticks.map((t) => t.wallMs),
      tickAtVirtualMs: ticks.map((t) => t.atMs),
      renderFirstPageMs: firstPageMs,
      renderAllPagesMs: allPagesMs,
      renderRequests,
      redrawMs,
      redrawMedianMs: median(redrawMs),
    });
  } finally {
    await rig.close();
  }
}

async function workspaces10x1000(): Promise<void> {
  const WORKSPACES = 10;
  const heapBeforeRig = heapMB();
  const rig = await startExplorerRig(rigOptions(WORKSPACES));
  try {
    const workspaces = await rig.model.children(undefined);
    if (workspaces.length !== WORKSPACES) throw new Error(`${workspaces.length} workspaces`);
    await rig.model.idle();
    // The emulator's request log would count in the heap: emptied before each sample (no mark spans one).
    const heapNow = (): number => {
      rig.emu.requests.length = 0;
      return heapMB();
    };
    const heapBefore = heapNow();
    let rowsShown = 0;
    let pagesShown = 0;
    for (const ws of workspaces) {
      const list = await jobsGroup(rig, ws);
      const { rows, pages } = await showAll(rig, list);
      rowsShown += rows.length;
      pagesShown += pages;
    }
    await rig.model.idle();
    const expandedTicks = await pollTicks(rig, 2);
    const heapExpanded = heapNow();
    for (const ws of workspaces) rig.model.setExpanded(ws, false);
    // Let the round in flight when collapsing finish before counting.
    await rig.runFor(60_000, 5_000);
    rig.emu.requests.length = 0;
    const collapsed = rig.mark();
    const cpu = process.cpuUsage();
    await rig.runFor(5 * 60_000, 5_000);
    const used = process.cpuUsage(cpu);
    const collapsedRequests = rig.servedSince(collapsed).length;
    const heapCollapsed = heapNow();
    emit({
      workspaces: WORKSPACES,
      jobsPerWorkspace: JOBS,
      pageSize: PAGE_SIZE,
      rowsShown,
      pagesShown,
      expandedRequestsPerTick: expandedTicks.map((t) => t.requests),
      expandedCpuMsPerTick: expandedTicks.map((t) => t.cpuMs),
      collapsedRequestsIn5VirtualMinutes: collapsedRequests,
      collapsedCpuMsIn5VirtualMinutes: (used.user + used.system) / 1000,
      pollTargetsCollapsed: rig.model.pollTargets().length,
      heapMB: { beforeRig: heapBeforeRig, before: heapBefore, expanded: heapExpanded, collapsed: heapCollapsed },
      note: 'heap after gc, the emulator (in this process, holding the 10,000 jobs) included, its request log emptied first; "before": the workspaces listed, nothing expanded',
    });
  } finally {
    await rig.close();
  }
}

run(async () => {
  const part = process.env.BENCH_SCALE ?? 'poll';
  if (part === 'poll') await pollTick1000();
  else if (part === 'workspaces') await workspaces10x1000();
  else throw new Error(`BENCH_SCALE=${part}: poll or workspaces`);
});
