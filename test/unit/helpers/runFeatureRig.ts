import { RecordingChannel, shown } from './vscodeStandIn';
import { RunUri } from './runStandIn';
import { mkdtempSync, promises as fsp, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import { MemoryLogger } from '../../../src/api/log';
import { createRedactor } from '../../../src/api/redact';
import type { ActionDeps } from '../../../src/commands/actionDeps';
import { createRunFeature, type RunFeature, type RunHost } from '../../../src/commands/run/runFeature';
import { RUN_CONFIG_FILE, RUN_CONFIG_FOLDER } from '../../../src/commands/run/runConfig';
import { RunStateStore, type FolderRunState } from '../../../src/commands/run/runEngine';
import { checkSpecText, type JsonSchema } from '../../../src/commands/specs/specCheck';
import type { SpecDiagnostics } from '../../../src/commands/specs/specDiagnostics';
import type { JobTarget } from '../../../src/commands/training/jobTargets';
import { pickWorkspace, type JobRef } from '../../../src/commands/workspace/pickers';
import type { ExtensionLogger } from '../../../src/common/logger';
import type { ActiveSession } from '../../../src/common/session';
import { englishL10n } from '../../../src/common/translate';
import type { WalkthroughMilestone as Milestone } from '../../../src/common/walkthrough';
import type { RunningEmulator } from '../../../src/emulator/server';
import { OutputStreams } from '../../../src/watch/streams';
import { WatchRegistry } from '../../../src/watch/watcher';
import { emulatorClient, startTestEmulator } from './emulatorHelpers';
import { ROOT } from './manifest';
import { workbench } from './runStandIn';

// Run on ModelArts (src/commands/run/runFeature.ts) built as the extension builds it (src/commands/table.ts), in
// plain Node on the stand-ins, against the emulator with its OBS, over a temporary folder.

export { inChinese, RunUri, workbench, type ProgressRun } from './runStandIn';

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'training-job-spec.schema.json'), 'utf8')) as JsonSchema;
/** Whether the schema knows a run configuration's code block (until it does, a configuration is checked for syntax only). */
export const SCHEMA_KNOWS_CODE = typeof schema.properties?.code === 'object';

/** The Problems panel's checker without the panel: the real checker on the document's text. */
function specChecker(): SpecDiagnostics {
  const check = (document: vscode.TextDocument) => Promise.resolve(checkSpecText(document.getText(), 'yaml', SCHEMA_KNOWS_CODE ? schema : {}, englishL10n));
  return { check, adopt: () => undefined, schema: () => Promise.resolve(schema), dispose: () => undefined };
}

/** `new Date()` and `Date.now()` an offset ahead of the real time, the offset moved on by the test. */
function shiftedWallClock(): { advance(ms: number): void; restore(): void } {
  const RealDate = Date;
  let offset = 0;
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [number]));
    }

    static override now(): number {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  return {
    advance: (ms) => void (offset += ms),
    restore: () => void (globalThis.Date = RealDate),
  };
}

export interface RunRig {
  emu: RunningEmulator;
  clock: ManualClock;
  client: ModelArtsClient;
  session: ActiveSession;
  feature: RunFeature;
  /**
   * Runs the command (`args` as the workbench passes them) a second after the last run, as a user's runs are:
   * a job's name has the second it was run in, and the service refuses a second job of the same name.
   */
  run(...args: unknown[]): Promise<void>;
  host: RunHost;
  watches: WatchRegistry;
  /** The `ModelArts: Uploads` channel. */
  uploads: RecordingChannel;
  /** What Follow Logs was asked to follow. */
  followed: JobTarget[];
  /** Open Outputs in OBS calls. */
  outputsOpened: JobRef[];
  /** Walkthrough milestones reached. */
  milestones: Milestone[];
  /** A temporary folder for the test's code folders. */
  temp: string;
  /** Makes `<temp>/<name>` with these files (path → content) and opens it as the only workspace folder. */
  openFolder(name: string, files: Record<string, string | Buffer>): Promise<RunUri>;
  configUri(folder: RunUri): RunUri;
  /** The record and history kept for the folder's configuration. */
  state(folder: RunUri): Promise<FolderRunState>;
  /** Requests the emulator served: OBS ones, and training jobs created. */
  obsRequests(): number;
  jobsCreated(): number;
  /** The objects under an OBS folder of the emulator, by key. */
  objects(bucket: string, prefix: string): Map<string, { metadata: Record<string, string>; size: number }>;
  close(): Promise<void>;
}

export async function startRunRig(): Promise<RunRig> {
  shown.clear();
  workbench.clear();
  // The emulator's OBS checks a signature's age against its clock: start it at the real time.
  const { emu, clock } = await startTestEmulator({ start: Date.now(), port: 0, iamPort: 0, obsPort: 0 });
  const client = emulatorClient(emu, clock, { obsEndpoint: emu.obsEndpoint, retry: { maxAttempts: 1 } });
  const session: ActiveSession = { profile: 'test', region: emu.region, client, demo: false, serviceClock: clock };
  const temp = mkdtempSync(join(tmpdir(), 'modelarts-run-feature-'));
  const watches = new WatchRegistry({ clock, baseIntervalMs: () => 1_000, maxMs: 1_000 });
  const streams = new OutputStreams();
  const milestones: Milestone[] = [];
  const log = Object.assign(new MemoryLogger(), { channel: undefined, show: () => undefined }) as unknown as ExtensionLogger;
  const deps = {
    context: { globalStorageUri: RunUri.file(join(temp, 'storage')) },
    sessions: { current: session, onDidChange: () => ({ dispose: () => undefined }) },
    explorer: { model: undefined, view: { selection: [], reveal: () => Promise.resolve() } },
    log,
    redactor: createRedactor(),
    watches,
    streams,
    walkthrough: { reached: (milestone: Milestone) => void milestones.push(milestone) },
  } as unknown as ActionDeps;
  const uploads = new RecordingChannel('ModelArts: Uploads');
  const followed: JobTarget[] = [];
  const outputsOpened: JobRef[] = [];
  const host: RunHost = {
    deps,
    diagnostics: specChecker(),
    followLog: (target) => {
      followed.push(target);
      return Promise.resolve();
    },
    openOutputs: (job) => {
      outputsOpened.push(job);
      return Promise.resolve();
    },
    uploads: () => uploads,
    pickWorkspace: (s, placeHolder) => pickWorkspace(deps, s, undefined, placeHolder),
    jobRow: () => undefined,
    jobsGroup: () => undefined,
  };
  const feature = createRunFeature(host);
  const wallClock = shiftedWallClock();
  const store = new RunStateStore(join(temp, 'storage', 'runs'));
  const configUri = (folder: RunUri): RunUri => RunUri.joinPath(folder, RUN_CONFIG_FOLDER, RUN_CONFIG_FILE);
  return {
    emu,
    clock,
    client,
    session,
    feature,
    run: (...args) => {
      wallClock.advance(1_000);
      return feature.run(args);
    },
    host,
    watches,
    uploads,
    followed,
    outputsOpened,
    milestones,
    temp,
    openFolder: async (name, files) => {
      const root = join(temp, name);
      const folders = new Set([root, ...Object.keys(files).map((path) => posix.dirname(join(root, path)))]);
      for (const folder of folders) await fsp.mkdir(folder, { recursive: true });
      await Promise.all(Object.entries(files).map(([path, content]) => fsp.writeFile(join(root, path), content)));
      const uri = RunUri.file(root);
      workbench.folders = [{ uri, name, index: 0 }];
      return uri;
    },
    configUri,
    state: (folder) => store.read(configUri(folder).fsPath),
    obsRequests: () => emu.requests.filter((r) => r.service === 'obs').length,
    jobsCreated: () => emu.requests.filter((r) => r.service === 'modelarts' && r.method === 'POST' && /\/training-jobs$/.test(r.path)).length,
    objects: (bucket, prefix) => {
      const stored = emu.obs.findBucket(bucket);
      const found = new Map<string, { metadata: Record<string, string>; size: number }>();
      for (const [key, object] of stored?.objects ?? []) if (key.startsWith(prefix)) found.set(key.slice(prefix.length), { metadata: object.metadata, size: object.size });
      return found;
    },
    close: async () => {
      feature.dispose();
      wallClock.restore();
      watches.dispose();
      streams.dispose();
      client.dispose();
      await emu.close();
      workbench.clear();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}
