// One run of Run on ModelArts, without the editor: scan the code folder, compare it with its OBS folder, upload
// what changed (deleting what is gone once the caller agrees), then submit the job. A cancel at any stage
// submits nothing; what was uploaded before it is kept in the record, so the next run does not send it again.
// Also where each folder's record and run history are kept. No vscode here.

import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ModelArtsClient } from '../../api/client';
import { abortedError } from '../../api/wire';
import { mirrorPrefixProblem, parseMirrorRecord, planMirror, runMirror, type MirrorPlan, type MirrorRecord, type MirrorResult } from '../../api/obs/mirror';
import { bootFileProblem, codeFolderLimitProblems, scanFolder, type CodeFolderProblem, type FolderScan } from '../../api/obs/mirrorScan';
import type { ObsClient, ObsObjectSummary, ObsProgress } from '../../api/obs/types';
import type { TrainingJob, TrainingJobCreateRequest } from '../../api/types';
import { runCreateRequest, type RunCode } from './runConfig';

export type RunStage = 'comparing' | 'uploading' | 'deleting' | 'submitting';

export interface RunFolderInput {
  modelArts: Pick<ModelArtsClient, 'trainingJobs'>;
  obs: ObsClient;
  /** The code folder, absolute. */
  root: string;
  code: RunCode;
  /** The checked run configuration. */
  spec: unknown;
  /** Relative to the code folder. */
  bootFile?: string;
  /** The workspace folder holding the code folder: its .gitignore files (and those between) apply too. */
  top?: string;
  record: MirrorRecord | undefined;
  /** The job's name for this run. */
  name: string;
  workspaceId?: string;
  /** Asked only when objects under the prefix are no longer local; the keys are sorted. */
  confirmDeletes(keys: readonly string[]): Promise<boolean>;
  /** Called with the record once the uploads end, finished or not: before the submit, so a failed submit keeps it. */
  saveRecord(record: MirrorRecord): Promise<void>;
  onStage?: (stage: RunStage, plan?: MirrorPlan) => void;
  onProgress?: (progress: ObsProgress) => void;
  signal?: AbortSignal;
}

export interface RunFolderOutcome {
  scan: FolderScan;
  plan: MirrorPlan;
  mirror: MirrorResult;
  request: TrainingJobCreateRequest;
  job: TrainingJob;
  /** Milliseconds of each stage. */
  timings: { compare: number; upload: number; submit: number };
}

/** A code folder ModelArts would not take, found before any request: each problem with its figures. */
export class CodeFolderRefusal extends Error {
  constructor(readonly problems: readonly CodeFolderProblem[]) {
    super(problems.map((problem) => problem.message).join(' '));
    this.name = 'CodeFolderRefusal';
  }
}

/** Scan the folder and list its OBS folder, then decide what to upload and delete; refuses before any request. */
export async function compareFolder(obs: ObsClient, input: Pick<RunFolderInput, 'root' | 'code' | 'record' | 'bootFile' | 'top' | 'signal'>): Promise<{ scan: FolderScan; plan: MirrorPlan }> {
  const { code, signal } = input;
  const prefixProblem = mirrorPrefixProblem(code.prefix);
  if (prefixProblem) throw new Error(prefixProblem);
  const scan = await scanFolder(input.root, { exclude: code.exclude, top: input.top, signal });
  const boot = input.bootFile === undefined ? undefined : await bootFileProblem(scan, input.bootFile);
  const problems = [...codeFolderLimitProblems(scan, code.prefix), ...(boot ? [boot] : [])];
  if (problems.length > 0) throw new CodeFolderRefusal(problems);
  const remote: ObsObjectSummary[] = [];
  for await (const object of obs.listAll(code.bucket, code.prefix, signal)) remote.push(object);
  const plan = await planMirror({ root: scan.root, files: scan.files, record: input.record, remote, bucket: code.bucket, prefix: code.prefix, client: obs, signal });
  return { scan, plan };
}

export async function runFolder(input: RunFolderInput): Promise<RunFolderOutcome> {
  const { code, signal } = input;
  const started = performance.now();
  input.onStage?.('comparing');
  const { scan, plan } = await compareFolder(input.obs, input);
  const compared = performance.now();
  input.onStage?.('uploading', plan);
  let mirror: MirrorResult;
  try {
    mirror = await runMirror(plan, input.obs, {
      bucket: code.bucket,
      prefix: code.prefix,
      signal,
      onProgress: input.onProgress,
      confirmDeletes: async (keys) => {
        const yes = await input.confirmDeletes(keys);
        if (yes) input.onStage?.('deleting', plan);
        return yes;
      },
    });
  } finally {
    await input.saveRecord(plan.record);
  }
  const uploaded = performance.now();
  if (signal?.aborted) throw abortedError('Run on ModelArts', signal.reason);
  input.onStage?.('submitting', plan);
  if (signal?.aborted) throw abortedError('Run on ModelArts', signal.reason);
  const request = runCreateRequest(input.spec, code, { name: input.name, workspaceId: input.workspaceId });
  // Not cancellable once sent: a create cut off mid-flight may still have made the job, and "nothing was
  // submitted" must stay true.
  const job = await input.modelArts.trainingJobs.create(request);
  return { scan, plan, mirror, request, job, timings: { compare: compared - started, upload: uploaded - compared, submit: performance.now() - uploaded } };
}

// ---------------------------------------------------------------- what is kept per folder

export interface RunHistoryEntry {
  jobId: string;
  jobName: string;
  workspaceId?: string;
  /** Epoch ms. */
  submittedAt: number;
  uploaded: number;
  bytes: number;
}

export interface FolderRunState {
  record: MirrorRecord | undefined;
  /** Newest first. */
  history: RunHistoryEntry[];
  /** The prefixes whose deletions the user has agreed to once; later runs delete without asking. */
  deletesConfirmed: string[];
}

export const RUN_HISTORY_LIMIT = 10;

function parseHistory(value: unknown): RunHistoryEntry[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is RunHistoryEntry => typeof e === 'object' && e !== null && typeof (e as RunHistoryEntry).jobId === 'string' && typeof (e as RunHistoryEntry).jobName === 'string' && typeof (e as RunHistoryEntry).submittedAt === 'number')
    .map((e) => ({ jobId: e.jobId, jobName: e.jobName, ...(typeof e.workspaceId === 'string' ? { workspaceId: e.workspaceId } : {}), submittedAt: e.submittedAt, uploaded: Number(e.uploaded) || 0, bytes: Number(e.bytes) || 0 }))
    .slice(0, RUN_HISTORY_LIMIT);
}

/**
 * One JSON file per configuration in the extension's storage (never in the folder, which may be committed):
 * written whole to a temporary file and renamed, so two windows running the same folder never leave half a file.
 * The record only saves work: a stale one costs a HEAD per file, never a wrong skip.
 */
/** The last update of each state file in this process (whichever store made it): one file's updates run in turn. */
const stateUpdates = new Map<string, Promise<unknown>>();
let stateWrites = 0;

export class RunStateStore {
  constructor(private readonly directory: string) {}

  private file(configPath: string): string {
    return join(this.directory, `${createHash('sha256').update(configPath).digest('hex').slice(0, 24)}.json`);
  }

  async read(configPath: string): Promise<FolderRunState> {
    let raw: unknown;
    try {
      raw = JSON.parse(await fsp.readFile(this.file(configPath), 'utf8'));
    } catch {
      return { record: undefined, history: [], deletesConfirmed: [] };
    }
    const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    return {
      record: parseMirrorRecord(value.record),
      history: parseHistory(value.history),
      deletesConfirmed: Array.isArray(value.deletesConfirmed) ? value.deletesConfirmed.filter((p): p is string => typeof p === 'string') : [],
    };
  }

  update(configPath: string, change: (state: FolderRunState) => void): Promise<FolderRunState> {
    // Read, change and write in turn, so that two updates in one window neither lose each other's change nor
    // share a temporary file; the rename keeps two windows from leaving half a file.
    const file = this.file(configPath);
    const previous = stateUpdates.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(configPath, file, change));
    stateUpdates.set(file, next);
    const forget = (): void => {
      if (stateUpdates.get(file) === next) stateUpdates.delete(file);
    };
    next.then(forget, forget);
    return next;
  }

  private async write(configPath: string, file: string, change: (state: FolderRunState) => void): Promise<FolderRunState> {
    const state = await this.read(configPath);
    change(state);
    state.history = state.history.slice(0, RUN_HISTORY_LIMIT);
    await fsp.mkdir(this.directory, { recursive: true });
    const temporary = `${file}.${process.pid}.${++stateWrites}.tmp`;
    try {
      await fsp.writeFile(temporary, JSON.stringify({ version: 1, configPath, ...state }));
      await fsp.rename(temporary, file);
    } catch (error) {
      await fsp.rm(temporary, { force: true });
      throw error;
    }
    return state;
  }
}
