// Run on ModelArts keeps an OBS prefix a mirror of a local folder: upload what changed, delete what is gone.
// What is "unchanged" is decided by a local record of each upload (size, mtime, MD5, ETag) and by the MD5 stored
// with each object as `x-obs-meta-md5`, never by comparing a file's MD5 with an ETag (a multipart ETag is not one).

import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { abortedError } from '../wire';
import { forEachBounded } from './bounded';
import { obsInputError } from './errors';
import { checkCodeFolder, codeFolderWarnings, scanFolder, type CodeFolderProblem, type FolderScan, type ScannedFile } from './mirrorScan';
import { FolderProgress } from './transfers';
import type { ObsClient, ObsDeleteResult, ObsMultipartOptions, ObsObjectSummary, ObsProgress } from './types';

/** The metadata name the file's base64 MD5 is stored under (`x-obs-meta-md5`). */
export const MIRROR_MD5_METADATA = 'md5';
const DEFAULT_CHECK_PARALLELISM = 8;
const DEFAULT_FILE_PARALLELISM = 4;
const BASE64_MD5 = /^[A-Za-z0-9+/]{22}==$/;

export interface MirrorRecordEntry {
  size: number;
  mtimeMs: number;
  /** Base64 MD5 of the content uploaded. */
  md5: string;
  /** The object's ETag after the upload, as OBS sent it. */
  etag: string;
}

/** What was uploaded from a folder to `bucket`/`prefix`; plain JSON, stored by the caller. */
export interface MirrorRecord {
  version: 1;
  bucket: string;
  prefix: string;
  /** By relative POSIX path; a null-prototype object, so that any path (even `__proto__`) is a plain key. */
  files: Record<string, MirrorRecordEntry>;
}

export function emptyMirrorRecord(bucket: string, prefix: string): MirrorRecord {
  return { version: 1, bucket, prefix, files: Object.create(null) as Record<string, MirrorRecordEntry> };
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSafePath(path: string): boolean {
  return path !== '' && !path.startsWith('/') && path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function parseEntry(value: unknown): MirrorRecordEntry | undefined {
  if (!isRecordObject(value)) return undefined;
  const { size, mtimeMs, md5, etag } = value;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  if (typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) return undefined;
  if (typeof md5 !== 'string' || !BASE64_MD5.test(md5) || typeof etag !== 'string' || etag === '') return undefined;
  return { size, mtimeMs, md5, etag };
}

/** A stored record read back, or undefined for anything that is not one (then every file is checked against OBS). */
export function parseMirrorRecord(value: unknown): MirrorRecord | undefined {
  if (!isRecordObject(value) || value.version !== 1) return undefined;
  const { bucket, prefix, files } = value;
  if (typeof bucket !== 'string' || bucket === '' || typeof prefix !== 'string' || mirrorPrefixProblem(prefix) || !isRecordObject(files)) return undefined;
  const record = emptyMirrorRecord(bucket, prefix);
  for (const [path, raw] of Object.entries(files)) {
    const entry = parseEntry(raw);
    if (!entry || !isSafePath(path)) return undefined;
    record.files[path] = entry;
  }
  return record;
}

/** Why `prefix` cannot be a mirror's prefix: the mirror deletes what it does not hold, so never a bucket's root. */
export function mirrorPrefixProblem(prefix: string): string | undefined {
  if (prefix === '' || prefix === '/') return 'A folder is mirrored to a folder of the bucket, never to the bucket itself.';
  if (!prefix.endsWith('/') || !isSafePath(prefix.slice(0, -1))) return `The OBS folder "${prefix}" must be a path like "runs/my-project/" (no leading "/", ending in "/").`;
  return undefined;
}

export interface PlannedUpload {
  path: string;
  key: string;
  size: number;
}

export interface MirrorPlan {
  root: string;
  bucket: string;
  prefix: string;
  uploads: PlannedUpload[];
  /** Files whose content is already there. */
  skipped: number;
  /** Keys under the prefix with no local file any more. */
  deletes: string[];
  /** Bytes to upload. */
  bytes: number;
  warnings: CodeFolderProblem[];
  /** Unchanged files, and the last upload of each file still to send; runMirror adds each upload as it finishes. */
  record: MirrorRecord;
  /** Work done to decide: files hashed and objects read with HEAD. */
  checks: { hashed: number; heads: number };
}

export interface MirrorPlanInput {
  /** The folder the files are relative to. */
  root: string;
  files: readonly ScannedFile[];
  /** Ignored when it is for another bucket or prefix. */
  record: MirrorRecord | undefined;
  /** Every object under the prefix (`listAll`). */
  remote: Iterable<ObsObjectSummary>;
  bucket: string;
  prefix: string;
  /** Reads `x-obs-meta-md5` for files the record does not vouch for; without it, they are uploaded. */
  client?: Pick<ObsClient, 'headObject'>;
  /** Hashes and HEADs at once (default 8). */
  parallel?: number;
  signal?: AbortSignal;
}

/** Base64 MD5 of a whole file, streamed; a cancel is the same `aborted` error as the client's. */
async function fileMd5(file: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('md5');
  try {
    for await (const chunk of createReadStream(file, { signal })) hash.update(chunk as Buffer);
  } catch (error) {
    if (signal?.aborted) throw abortedError('OBS', signal.reason);
    throw error;
  }
  return hash.digest('base64');
}

/** ETags as sent, quotes or not (a PUT's header and a listing's XML need not agree on them). */
function sameEtag(a: string, b: string): boolean {
  return a.replace(/^"|"$/g, '') === b.replace(/^"|"$/g, '');
}

type Verdict = { upload: true } | { upload: false; entry: MirrorRecordEntry };
const UPLOAD: Verdict = { upload: true };

class Planner {
  readonly checks = { hashed: 0, heads: 0 };
  private readonly remote = new Map<string, ObsObjectSummary>();
  private readonly record: MirrorRecord | undefined;

  constructor(private readonly input: MirrorPlanInput) {
    for (const object of input.remote) this.remote.set(object.key, object);
    const record = input.record;
    this.record = record && record.bucket === input.bucket && record.prefix === input.prefix ? record : undefined;
  }

  private async md5(file: ScannedFile, signal: AbortSignal): Promise<string> {
    this.checks.hashed++;
    return fileMd5(join(this.input.root, file.path), signal);
  }

  async decide(file: ScannedFile, signal: AbortSignal): Promise<Verdict> {
    const key = this.input.prefix + file.path;
    const remote = this.remote.get(key);
    if (!remote) return UPLOAD;
    const known = this.record && Object.hasOwn(this.record.files, file.path) ? this.record.files[file.path] : undefined;
    if (known && sameEtag(known.etag, remote.etag)) {
      // The object is still the one this record uploaded: the record alone decides.
      if (known.size === file.size && known.mtimeMs === file.mtimeMs) return { upload: false, entry: known };
      if (known.size !== file.size) return UPLOAD;
      const md5 = await this.md5(file, signal);
      return md5 === known.md5 ? { upload: false, entry: { ...known, mtimeMs: file.mtimeMs } } : UPLOAD;
    }
    // No record of it (another machine uploaded it), or the object changed since: the MD5 stored with it decides.
    if (remote.size !== file.size || !this.input.client) return UPLOAD;
    this.checks.heads++;
    const head = await this.input.client.headObject(this.input.bucket, key, signal);
    const stored = head?.metadata[MIRROR_MD5_METADATA];
    if (!head || !stored || head.size !== file.size) return UPLOAD;
    const md5 = await this.md5(file, signal);
    return md5 === stored ? { upload: false, entry: { size: file.size, mtimeMs: file.mtimeMs, md5, etag: head.etag } } : UPLOAD;
  }

  previous(path: string): MirrorRecordEntry | undefined {
    return this.record && Object.hasOwn(this.record.files, path) ? this.record.files[path] : undefined;
  }

  deletes(files: readonly ScannedFile[]): string[] {
    const local = new Set(files.map((file) => this.input.prefix + file.path));
    // Keys ending in "/" are folder markers, not files: left alone.
    return [...this.remote.keys()].filter((key) => key.startsWith(this.input.prefix) && !key.endsWith('/') && !local.has(key)).sort();
  }
}

/** Which files to upload and which objects under the prefix to delete; reads only what it must (see Planner.decide). */
export async function planMirror(input: MirrorPlanInput): Promise<MirrorPlan> {
  const prefixProblem = mirrorPrefixProblem(input.prefix);
  if (prefixProblem) throw obsInputError(prefixProblem, 'InvalidPrefix');
  const planner = new Planner(input);
  const verdicts: Verdict[] = new Array<Verdict>(input.files.length);
  await forEachBounded(input.files.length, input.parallel ?? DEFAULT_CHECK_PARALLELISM, input.signal, async (index, signal) => {
    verdicts[index] = await planner.decide(input.files[index], signal);
  });
  const record = emptyMirrorRecord(input.bucket, input.prefix);
  const uploads: PlannedUpload[] = [];
  for (const [index, file] of input.files.entries()) {
    const verdict = verdicts[index];
    // A file still to send keeps its last upload's entry: true of the object until the new one replaces it.
    const entry = verdict.upload ? planner.previous(file.path) : verdict.entry;
    if (entry) record.files[file.path] = entry;
    if (verdict.upload) uploads.push({ path: file.path, key: input.prefix + file.path, size: file.size });
  }
  return {
    root: input.root,
    bucket: input.bucket,
    prefix: input.prefix,
    uploads,
    skipped: input.files.length - uploads.length,
    deletes: planner.deletes(input.files),
    bytes: uploads.reduce((sum, upload) => sum + upload.size, 0),
    warnings: codeFolderWarnings(input.files),
    record,
    checks: planner.checks,
  };
}

export interface PrepareMirrorOptions {
  root: string;
  bucket: string;
  prefix: string;
  record: MirrorRecord | undefined;
  /** Must be inside the folder and uploaded (absolute, or relative to the root). */
  bootFile?: string;
  /** Patterns excluded beyond the ignore files (see scanFolder). */
  exclude?: readonly string[];
  signal?: AbortSignal;
}

/** Scan, refuse what breaks the code folder limits (before any request), list the prefix, plan. */
export async function prepareMirror(client: ObsClient, options: PrepareMirrorOptions): Promise<{ scan: FolderScan; plan: MirrorPlan }> {
  const prefixProblem = mirrorPrefixProblem(options.prefix);
  if (prefixProblem) throw obsInputError(prefixProblem, 'InvalidPrefix');
  const scan = await scanFolder(options.root, { signal: options.signal, exclude: options.exclude });
  await checkCodeFolder(scan, { bootFile: options.bootFile, prefix: options.prefix });
  const remote: ObsObjectSummary[] = [];
  for await (const object of client.listAll(options.bucket, options.prefix, options.signal)) remote.push(object);
  const plan = await planMirror({ root: scan.root, files: scan.files, record: options.record, remote, bucket: options.bucket, prefix: options.prefix, client, signal: options.signal });
  return { scan, plan };
}

export interface MirrorRunOptions extends Pick<ObsMultipartOptions, 'partSize' | 'parallel'> {
  bucket: string;
  prefix: string;
  /** Asked only when there is something to delete; the keys are sorted. */
  confirmDeletes(keys: readonly string[]): Promise<boolean>;
  /** Bytes and files of the uploads. */
  onProgress?: (progress: ObsProgress) => void;
  signal?: AbortSignal;
  /** Files uploaded at once (default 4). */
  files?: number;
}

export interface MirrorResult {
  uploaded: number;
  skipped: number;
  deleted: number;
  /** Bytes uploaded. */
  bytes: number;
  /** The plan's record, brought up to date. */
  record: MirrorRecord;
  /** Deletions OBS refused. */
  deleteErrors: ObsDeleteResult['errors'];
}

function sameFile(a: { size: number; mtimeMs: number }, b: { size: number; mtimeMs: number }): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** One file up with its MD5 as metadata; its record entry only if the file did not change meanwhile. */
async function uploadOne(client: ObsClient, plan: MirrorPlan, upload: PlannedUpload, options: MirrorRunOptions & { signal: AbortSignal; onBytes: (bytes: number) => void }): Promise<number | undefined> {
  const file = join(plan.root, upload.path);
  const before = await fsp.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!before) {
    // Gone since the plan: nothing to send, and its old entry no longer describes a local file.
    delete plan.record.files[upload.path];
    return undefined;
  }
  const md5 = await fileMd5(file, options.signal);
  const etag = await client.uploadFile(plan.bucket, upload.key, file, {
    metadata: { [MIRROR_MD5_METADATA]: md5 },
    partSize: options.partSize,
    parallel: options.parallel,
    signal: options.signal,
    onProgress: (progress) => options.onBytes(progress.bytes),
  });
  const after = await fsp.stat(file);
  // Changed while it was read: the MD5 may not be the content sent, so let the next run send it again.
  if (sameFile(before, after)) plan.record.files[upload.path] = { size: before.size, mtimeMs: before.mtimeMs, md5, etag };
  else delete plan.record.files[upload.path];
  return before.size;
}

/**
 * Uploads what the plan says (updating `plan.record` as each file finishes, so that a cancelled or failed run
 * keeps what it finished), then deletes the plan's leftovers if `confirmDeletes` agrees.
 */
export async function runMirror(plan: MirrorPlan, client: ObsClient, options: MirrorRunOptions): Promise<MirrorResult> {
  if (options.bucket !== plan.bucket || options.prefix !== plan.prefix) throw obsInputError(`The plan is for ${plan.bucket}/${plan.prefix}, not ${options.bucket}/${options.prefix}.`, 'InvalidInput');
  const progress = new FolderProgress(plan.bytes, plan.uploads.length, options.onProgress);
  let uploaded = 0;
  let bytes = 0;
  await forEachBounded(plan.uploads.length, options.files ?? DEFAULT_FILE_PARALLELISM, options.signal, async (index, signal) => {
    const sent = await uploadOne(client, plan, plan.uploads[index], { ...options, signal, onBytes: (done) => progress.file(index, done) });
    progress.fileDone(index, sent ?? 0);
    if (sent === undefined) return;
    uploaded++;
    bytes += sent;
  });
  const result: MirrorResult = { uploaded, skipped: plan.skipped, deleted: 0, bytes, record: plan.record, deleteErrors: [] };
  if (plan.deletes.length === 0 || !(await options.confirmDeletes(plan.deletes))) return result;
  const outcome = await client.deleteObjects(plan.bucket, plan.deletes, options.signal);
  return { ...result, deleted: outcome.deleted.length, deleteErrors: outcome.errors };
}
