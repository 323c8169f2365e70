import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelArtsError } from '../../../src/api/errors';
import { bucketNameProblem, objectKeyProblem } from '../../../src/api/obs/limits';
import type { ObsBucket, ObsClient, ObsDeleteResult, ObsListEntry, ObsListPage, ObsListRequest, ObsMultipartOptions, ObsObjectHead, ObsObjectSummary, ObsPutOptions, ObsTransferOptions, ObsUploadItem } from '../../../src/api/obs/types';
import { Pager } from '../../../src/api/paging';

// An in-memory OBS behind the client's contract (src/api/obs/types.ts), for the view's and the commands'
// tests: buckets in regions, objects listed as OBS lists them (sorted keys, prefix, delimiter, marker,
// truncation), the documented errors for bad names, missing buckets and injected failures, cancellation.

interface StoredObject {
  body: Buffer;
  lastModified: string;
}

interface StoredBucket {
  info: ObsBucket;
  objects: Map<string, StoredObject>;
}

function obsError(status: number, code: string, message: string): ModelArtsError {
  return new ModelArtsError({ kind: 'http', status, code, message, requestId: '0123456789ABCDEF0123456789ABCDEF' });
}

function aborted(): ModelArtsError {
  return new ModelArtsError({ kind: 'aborted', message: 'The request was cancelled.' });
}

export class FakeObs implements ObsClient {
  readonly buckets = new Map<string, StoredBucket>();
  /** Every call, as `method bucket key`. */
  readonly calls: string[] = [];
  /** The next call of a method fails with this error (once). */
  readonly failNext = new Map<string, Error>();
  /** Time for new objects (ISO). */
  now = '2026-12-07T01:30:00.000Z';
  /** Called before each file of uploadFiles (a test cancels in it). */
  beforeUploadFile: ((item: ObsUploadItem) => void) | undefined;
  disposed = false;

  constructor(readonly region = 'cn-north-4') {}

  addBucket(name: string, location = this.region, bucketType = 'OBJECT'): this {
    this.buckets.set(name, { info: { name, location, bucketType, creationDate: '2026-01-02T03:04:05.000Z' }, objects: new Map() });
    return this;
  }

  put(bucket: string, key: string, body: string | Buffer = ''): this {
    this.bucket(bucket).objects.set(key, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), lastModified: this.now });
    return this;
  }

  keys(bucket: string): string[] {
    return [...this.bucket(bucket).objects.keys()].sort();
  }

  text(bucket: string, key: string): string | undefined {
    return this.bucket(bucket).objects.get(key)?.body.toString('utf8');
  }

  private call(method: string, ...parts: string[]): void {
    this.calls.push([method, ...parts].join(' '));
    const failure = this.failNext.get(method);
    if (failure) {
      this.failNext.delete(method);
      throw failure;
    }
  }

  private bucket(name: string): StoredBucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw obsError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
    return bucket;
  }

  private summary(key: string, o: StoredObject): ObsObjectSummary {
    return { key, size: o.body.length, etag: `"${o.body.length.toString(16).padStart(32, '0')}"`, lastModified: o.lastModified, storageClass: 'STANDARD' };
  }

  listBuckets(signal?: AbortSignal): Promise<ObsBucket[]> {
    return this.async(() => {
      if (signal?.aborted) throw aborted();
      this.call('listBuckets');
      return [...this.buckets.values()].map((b) => ({ ...b.info }));
    });
  }

  createBucket(name: string, options: { region?: string; signal?: AbortSignal } = {}): Promise<void> {
    return this.async(() => {
      this.call('createBucket', name, options.region ?? this.region);
      const problem = bucketNameProblem(name);
      if (problem) throw new ModelArtsError({ kind: 'invalid-input', code: 'InvalidBucketName', message: problem });
      if (this.buckets.has(name)) throw obsError(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
      this.addBucket(name, options.region ?? this.region);
    });
  }

  listObjects(request: ObsListRequest): Promise<ObsListPage> {
    return this.async(() => {
      if (request.signal?.aborted) throw aborted();
      this.call('listObjects', request.bucket, request.prefix ?? '', request.marker ?? '');
      const prefix = request.prefix ?? '';
      const max = request.maxKeys ?? 1000;
      const page: ObsListPage = { objects: [], prefixes: [], truncated: false };
      let last: string | undefined;
      for (const key of this.keys(request.bucket)) {
        if (!key.startsWith(prefix) || (request.marker !== undefined && key <= request.marker)) continue;
        const cut = request.delimiter ? key.indexOf(request.delimiter, prefix.length) : -1;
        const folder = cut >= 0 ? key.slice(0, cut + 1) : undefined;
        if (folder !== undefined && (page.prefixes.includes(folder) || (request.marker !== undefined && folder <= request.marker))) continue;
        if (page.objects.length + page.prefixes.length >= max) {
          page.truncated = true;
          if (last !== undefined) page.nextMarker = last;
          break;
        }
        if (folder !== undefined) {
          page.prefixes.push(folder);
          last = folder;
        } else {
          page.objects.push(this.summary(key, this.bucket(request.bucket).objects.get(key) as StoredObject));
          last = key;
        }
      }
      return page;
    });
  }

  folderPager(bucket: string, prefix: string, pageSize: number): Pager<ObsListEntry> {
    const markers: Array<string | undefined> = [undefined];
    return new Pager<ObsListEntry>(async ({ page, signal }) => {
      const result = await this.listObjects({ bucket, prefix, delimiter: '/', maxKeys: pageSize, ...(markers[page] === undefined ? {} : { marker: markers[page] }), ...(signal ? { signal } : {}) });
      markers[page + 1] = result.nextMarker;
      const items: ObsListEntry[] = [...result.prefixes.map((p): ObsListEntry => ({ kind: 'folder', prefix: p })), ...result.objects.map((o): ObsListEntry => ({ kind: 'object', ...o }))];
      return { items, hasMore: result.truncated };
    }, pageSize);
  }

  async *listAll(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObsObjectSummary> {
    let marker: string | undefined;
    for (;;) {
      const page = await this.listObjects({ bucket, prefix, maxKeys: 1000, ...(marker === undefined ? {} : { marker }), ...(signal ? { signal } : {}) });
      yield* page.objects;
      if (!page.truncated) return;
      marker = page.nextMarker;
    }
  }

  headObject(bucket: string, key: string): Promise<ObsObjectHead | undefined> {
    return this.async(() => {
      this.call('headObject', bucket, key);
      const o = this.bucket(bucket).objects.get(key);
      if (!o) return undefined;
      const s = this.summary(key, o);
      return { size: s.size, etag: s.etag, lastModified: s.lastModified, contentType: 'application/octet-stream', metadata: {} };
    });
  }

  getObject(bucket: string, key: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Buffer> {
    return this.async(() => {
      this.call('getObject', bucket, key);
      const o = this.bucket(bucket).objects.get(key);
      if (!o) throw obsError(404, 'NoSuchKey', 'The specified key does not exist.');
      if (o.body.length > options.maxBytes) throw new ModelArtsError({ kind: 'invalid-response', message: `The object is larger than ${options.maxBytes} bytes.` });
      return Buffer.from(o.body);
    });
  }

  async downloadFile(bucket: string, key: string, file: string, options: ObsTransferOptions = {}): Promise<ObsObjectHead> {
    this.call('downloadFile', bucket, key);
    if (options.signal?.aborted) throw aborted();
    const o = this.bucket(bucket).objects.get(key);
    if (!o) throw obsError(404, 'NoSuchKey', 'The specified key does not exist.');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.part`, o.body);
    await rename(`${file}.part`, file);
    options.onProgress?.({ bytes: o.body.length, totalBytes: o.body.length });
    return { size: o.body.length, etag: this.summary(key, o).etag, lastModified: o.lastModified, contentType: 'application/octet-stream', metadata: {} };
  }

  async putObject(bucket: string, key: string, body: Buffer | string | { file: string }, options: ObsPutOptions = {}): Promise<string> {
    this.call('putObject', bucket, key);
    if (options.signal?.aborted) throw aborted();
    const problem = objectKeyProblem(key);
    if (problem) throw new ModelArtsError({ kind: 'invalid-input', code: 'InvalidObjectKey', message: problem });
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : await readFile(body.file);
    this.put(bucket, key, bytes);
    return this.summary(key, { body: bytes, lastModified: this.now }).etag;
  }

  uploadFile(bucket: string, key: string, file: string, options: ObsMultipartOptions = {}): Promise<string> {
    return this.putObject(bucket, key, { file }, options);
  }

  async uploadFiles(bucket: string, items: readonly ObsUploadItem[], options: ObsMultipartOptions = {}): Promise<void> {
    this.call('uploadFiles', bucket, String(items.length));
    this.bucket(bucket);
    const sizes = await Promise.all(items.map(async (i) => (await readFile(i.file)).length));
    const totalBytes = sizes.reduce((a, b) => a + b, 0);
    let bytes = 0;
    let files = 0;
    for (const [i, item] of items.entries()) {
      this.beforeUploadFile?.(item);
      if (options.signal?.aborted) throw aborted();
      await this.putObject(bucket, item.key, { file: item.file });
      bytes += sizes[i] ?? 0;
      files++;
      options.onProgress?.({ bytes, totalBytes, files, totalFiles: items.length });
    }
  }

  async downloadPrefix(bucket: string, prefix: string, folder: string, options: ObsTransferOptions = {}): Promise<{ files: number; bytes: number }> {
    this.call('downloadPrefix', bucket, prefix);
    let files = 0;
    let bytes = 0;
    for await (const o of this.listAll(bucket, prefix)) {
      if (options.signal?.aborted) throw aborted();
      if (o.key.endsWith('/')) continue;
      const body = this.bucket(bucket).objects.get(o.key)?.body ?? Buffer.alloc(0);
      const file = join(folder, ...o.key.slice(prefix.length).split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, body);
      files++;
      bytes += body.length;
      options.onProgress?.({ bytes, totalBytes: bytes, files });
    }
    return { files, bytes };
  }

  deleteObject(bucket: string, key: string): Promise<void> {
    return this.async(() => {
      this.call('deleteObject', bucket, key);
      this.bucket(bucket).objects.delete(key);
    });
  }

  deleteObjects(bucket: string, keys: readonly string[], signal?: AbortSignal): Promise<ObsDeleteResult> {
    return this.async(() => {
      if (signal?.aborted) throw aborted();
      this.call('deleteObjects', bucket, String(keys.length));
      const objects = this.bucket(bucket).objects;
      for (const key of keys) objects.delete(key);
      return { deleted: [...keys], errors: [] };
    });
  }

  dispose(): void {
    this.disposed = true;
  }

  /** Answers on a later turn, as a network call does. */
  private async async<T>(run: () => T): Promise<T> {
    await Promise.resolve();
    return run();
  }
}
