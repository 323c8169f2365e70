import type { ModelArtsClient } from '../../../src/api/client';
import { ManualClock, scaledServiceClock, type Clock } from '../../../src/api/clock';
import type { WireInterceptor } from '../../../src/api/http';
import { MemoryLogger } from '../../../src/api/log';
import { createRedactor, type Redactor } from '../../../src/api/redact';
import { scaledClock } from '../../../src/emulator/framework';
import { startEmulator, type EmulatorOptions, type RecordedRequest, type RunningEmulator } from '../../../src/emulator/server';
import { NO_FILTER, type ExplorerFilter } from '../../../src/explorer/filters';
import { englishL10n } from '../../../src/common/translate';
import { ExplorerModel, type ExplorerModelOptions } from '../../../src/explorer/model';
import type { ExplorerNode, NodeView } from '../../../src/explorer/nodes/node';
import { emulatorClient } from './emulatorHelpers';

// The explorer's tree against the emulator on a ManualClock, with a stand-in for the TreeView: it asks for
// children like VS Code does (roots, then every expanded row) and records what the tree said changed.

export interface ExplorerRig {
  /** Real time (the client's, the gateway's, the tree's timers); the resources' too unless `timeScale` is given. */
  clock: ManualClock;
  /** The session's service clock. */
  serviceClock: Clock;
  emu: RunningEmulator;
  client: ModelArtsClient;
  model: ExplorerModel;
  log: MemoryLogger;
  redactor: Redactor;
  /** Every `changed` the tree sent, in order (undefined = the whole tree). */
  changes: Array<ExplorerNode | undefined>;
  setFilter(filter: ExplorerFilter): void;
  setPageSize(size: number): void;
  /** ModelArts requests served so far, as `METHOD path`, optionally only those matching. */
  served(match?: RegExp): string[];
  /** Requests served after `since` (an index into the request log). */
  servedSince(since: number, match?: RegExp): string[];
  mark(): number;
  /** The row of `parent` (undefined: the top) whose label is `label`; the parent counts as expanded. */
  row(parent: ExplorerNode | undefined, label: string): Promise<ExplorerNode>;
  labels(parent: ExplorerNode | undefined): Promise<string[]>;
  /** What VS Code does after `changed`: asks again for the children of every expanded row. */
  redraw(): Promise<ExplorerNode[]>;
  /** Moves virtual time in steps, letting debounced work and polls finish at each step. */
  runFor(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

function modelarts(r: RecordedRequest): boolean {
  return r.service === 'modelarts';
}

export async function startExplorerRig(
  options: {
    emulator?: EmulatorOptions;
    visible?: boolean;
    pageSize?: number;
    profile?: string;
    /** The session is the demo's (default: the emulator stands in for the cloud). */
    demo?: boolean;
    model?: Partial<ExplorerModelOptions>;
    /** As demo mode runs: the resources `timeScale` times faster than `clock`, the session reading them so. */
    timeScale?: number;
    /** The client's interceptor (one that rewrites the answers, say); made with the emulator's endpoint. */
    interceptor?: (endpoint: string) => WireInterceptor;
  } = {},
): Promise<ExplorerRig> {
  const clock = new ManualClock();
  const scale = options.timeScale;
  const resources = scale === undefined ? clock : scaledClock(scale, undefined, clock);
  const emu = await startEmulator({ port: 0, iamPort: 0, clock: resources, gatewayClock: clock, ...options.emulator });
  const serviceClock = scale === undefined ? clock : scaledServiceClock(emu.clock, scale, clock);
  const log = new MemoryLogger();
  const redactor = createRedactor();
  const client = emulatorClient(emu, clock, { redactor, ...(options.interceptor ? { interceptor: options.interceptor(emu.endpoint) } : {}) });
  let filter = NO_FILTER;
  let pageSize = options.pageSize ?? 10;
  const changes: Array<ExplorerNode | undefined> = [];
  const model = new ExplorerModel({
    // The emulator stands in for the cloud unless a test asks for demo mode.
    session: { profile: options.profile ?? 'default', region: emu.region, client, demo: options.demo ?? false, serviceClock },
    clock,
    l10n: englishL10n,
    log,
    redactor,
    // The unit tests read the plain view; the extension renders it into a TreeItem.
    render: (view: NodeView) => view,
    pageSize: () => pageSize,
    refreshIntervalMs: () => 5_000,
    filter: () => filter,
    changed: (node) => changes.push(node),
    visible: options.visible ?? true,
    ...options.model,
  });
  const served = (match?: RegExp): string[] =>
    emu.requests
      .filter(modelarts)
      .map((r) => `${r.method} ${r.path}`)
      .filter((line) => match === undefined || match.test(line));
  const labels = async (parent: ExplorerNode | undefined): Promise<string[]> => (await model.children(parent)).map((n) => n.view().label);
  const redraw = async (): Promise<ExplorerNode[]> => {
    const all: ExplorerNode[] = [];
    const visit = async (parent: ExplorerNode | undefined): Promise<void> => {
      const rows = await model.children(parent);
      all.push(...rows);
      for (const row of rows) if (model.isExpanded(row)) await visit(row);
    };
    await visit(undefined);
    return all;
  };
  return {
    clock,
    serviceClock,
    emu,
    client,
    model,
    log,
    redactor,
    changes,
    setFilter: (next) => {
      filter = next;
      model.filtersChanged();
    },
    setPageSize: (size) => {
      pageSize = size;
    },
    served,
    mark: () => emu.requests.filter(modelarts).length,
    servedSince: (since, match) => served().slice(since).filter((line) => match === undefined || match.test(line)),
    row: async (parent, label) => {
      const rows = await model.children(parent);
      const found = rows.find((n) => n.view().label === label);
      if (!found) throw new Error(`no row "${label}" under ${parent?.id ?? 'the top'}: ${rows.map((r) => r.view().label).join(', ')}`);
      return found;
    },
    labels,
    redraw,
    runFor: async (ms, stepMs = 1_000) => {
      for (let left = ms; left > 0; left -= stepMs) {
        await clock.advance(Math.min(stepMs, left));
        await model.idle();
      }
    },
    close: async () => {
      model.dispose();
      client.dispose();
      await emu.close();
    },
  };
}

/** Runs `run` with a fresh rig, and closes the rig afterwards whatever happens. */
export async function withRig(run: (rig: ExplorerRig) => Promise<void>, options: Parameters<typeof startExplorerRig>[0] = {}): Promise<void> {
  const rig = await startExplorerRig(options);
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

/** Every row under `parent`, each row with children expanded in turn, as a user opening the whole tree would. */
export async function expandAll(rig: ExplorerRig, parent: ExplorerNode | undefined, depth = 5): Promise<ExplorerNode[]> {
  const out: ExplorerNode[] = [];
  for (const row of await rig.model.children(parent)) {
    out.push(row);
    if (depth > 0 && row.view().collapsible !== 'none') out.push(...(await expandAll(rig, row, depth - 1)));
  }
  return out;
}
