import { createHash } from 'node:crypto';
import { ObsFailure, noSuchBucket, noSuchKey, noSuchUpload } from './errors';

// The emulator's OBS data, in memory: buckets by name (every region), their objects and multipart uploads.
// Bytes are kept as the Buffers they arrived in (an object or part is never copied into one big Buffer), and
// every stored byte, objects and pending parts alike, counts against one cap.

/** Default cap on stored bytes: 1 GiB. */
export const DEFAULT_OBS_MAX_BYTES = 1024 * 1024 * 1024;
/** Buckets per account. */
export const MAX_BUCKETS = 100;

export interface StoredObject {
  key: string;
  chunks: Buffer[];
  size: number;
  /** Quoted hex MD5, or `"<md5 of the part MD5s>-<n>"` for a multipart upload. */
  etag: string;
  lastModified: number;
  contentType: string;
  /** `x-obs-meta-*` values by lower-case name without the prefix. */
  metadata: Record<string, string>;
  /** Cache-Control, Content-Disposition, … as sent: returned on GET and HEAD. */
  headers: Record<string, string>;
  /** The upload that made it, for a multipart object. */
  uploadId?: string;
}

export interface StoredPart {
  partNumber: number;
  chunks: Buffer[];
  size: number;
  /** Quoted hex MD5. */
  etag: string;
  lastModified: number;
}

export interface MultipartUpload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  contentType: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  parts: Map<number, StoredPart>;
}

export interface StoredBucket {
  name: string;
  region: string;
  created: number;
  objects: Map<string, StoredObject>;
  uploads: Map<string, MultipartUpload>;
  /** The keys in order, rebuilt on the next listing after a change. */
  sorted: string[] | undefined;
  /** The service's own bucket (training logs behind their links): reachable, but not in ListBuckets. */
  hidden?: true;
}

/** Quoted hex MD5 of some Buffers. */
export function quotedMd5(chunks: readonly Buffer[]): string {
  const hash = createHash('md5');
  for (const chunk of chunks) hash.update(chunk);
  return `"${hash.digest('hex')}"`;
}

function byteOrder(a: string, b: string): number {
  // Keys are listed in the byte order of their UTF-8 form, as OBS does.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export class ObsStore {
  private readonly buckets = new Map<string, StoredBucket>();
  private used = 0;
  private nextUpload = 1;

  constructor(readonly maxBytes: number = DEFAULT_OBS_MAX_BYTES) {}

  /** Bytes held by objects and pending parts. */
  get usedBytes(): number {
    return this.used;
  }

  /** The account's buckets, without the service's hidden ones. */
  bucketList(): StoredBucket[] {
    return [...this.buckets.values()].filter((b) => !b.hidden).sort((a, b) => a.created - b.created || (a.name < b.name ? -1 : 1));
  }

  findBucket(name: string): StoredBucket | undefined {
    return this.buckets.get(name);
  }

  bucket(name: string): StoredBucket {
    const found = this.buckets.get(name);
    if (!found) throw noSuchBucket(name);
    return found;
  }

  createBucket(name: string, region: string, now: number): StoredBucket {
    const existing = this.buckets.get(name);
    if (existing) throw new ObsFailure(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', [['BucketName', name]]);
    if (this.bucketList().length >= MAX_BUCKETS) throw new ObsFailure(400, 'TooManyBuckets', `You have attempted to create more buckets than allowed (${MAX_BUCKETS}).`);
    const bucket: StoredBucket = { name, region, created: now, objects: new Map(), uploads: new Map(), sorted: undefined };
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** Forgets an empty bucket (DeleteBucket checks it is empty). */
  deleteBucketRecord(name: string): void {
    this.buckets.delete(name);
  }

  object(bucket: StoredBucket, key: string): StoredObject {
    const found = bucket.objects.get(key);
    if (!found) throw noSuchKey(key);
    return found;
  }

  /** Fails with 403 InsufficientStorageSpace unless `incoming` more bytes fit (`freed` leave at the same time). */
  ensureRoom(incoming: number, freed = 0): void {
    if (this.used - freed + incoming > this.maxBytes) {
      throw new ObsFailure(403, 'InsufficientStorageSpace', `Insufficient storage space: the emulator keeps at most ${this.maxBytes} bytes of objects and parts in memory.`);
    }
  }

  putObject(bucket: StoredBucket, object: StoredObject): void {
    const old = bucket.objects.get(object.key);
    this.ensureRoom(object.size, old?.size ?? 0);
    this.used += object.size - (old?.size ?? 0);
    if (!old) bucket.sorted = undefined;
    bucket.objects.set(object.key, object);
  }

  deleteObject(bucket: StoredBucket, key: string): boolean {
    const old = bucket.objects.get(key);
    if (!old) return false;
    this.used -= old.size;
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    return true;
  }

  sortedKeys(bucket: StoredBucket): string[] {
    bucket.sorted ??= [...bucket.objects.keys()].sort(byteOrder);
    return bucket.sorted;
  }

  // ---- multipart ----

  initiate(bucket: StoredBucket, key: string, now: number, details: Pick<MultipartUpload, 'contentType' | 'metadata' | 'headers'>): MultipartUpload {
    // 32 upper-case hex characters, like the service's upload ids.
    const uploadId = createHash('md5').update(`${bucket.name}/${key}/${now}/${this.nextUpload++}/${Math.random()}`).digest('hex').toUpperCase();
    const upload: MultipartUpload = { uploadId, bucket: bucket.name, key, initiated: now, parts: new Map(), ...details };
    bucket.uploads.set(uploadId, upload);
    return upload;
  }

  upload(bucket: StoredBucket, key: string, uploadId: string): MultipartUpload {
    const found = bucket.uploads.get(uploadId);
    if (!found || found.key !== key) throw noSuchUpload(uploadId);
    return found;
  }

  putPart(upload: MultipartUpload, part: StoredPart): void {
    const old = upload.parts.get(part.partNumber);
    this.ensureRoom(part.size, old?.size ?? 0);
    this.used += part.size - (old?.size ?? 0);
    upload.parts.set(part.partNumber, part);
  }

  /** Drops an upload and its parts' bytes (abort, or after Complete took the parts it listed). */
  dropUpload(bucket: StoredBucket, upload: MultipartUpload): void {
    for (const part of upload.parts.values()) this.used -= part.size;
    upload.parts.clear();
    bucket.uploads.delete(upload.uploadId);
  }

  /**
   * Completes an upload with the listed parts: their Buffers become the object's (no copy), parts not listed
   * are dropped, and the upload is gone.
   */
  complete(bucket: StoredBucket, upload: MultipartUpload, parts: readonly StoredPart[], now: number): StoredObject {
    const chunks = parts.flatMap((p) => p.chunks);
    const size = parts.reduce((sum, p) => sum + p.size, 0);
    const md5s = parts.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex'));
    const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}"`;
    const object: StoredObject = { key: upload.key, chunks, size, etag, lastModified: now, contentType: upload.contentType, metadata: upload.metadata, headers: upload.headers, uploadId: upload.uploadId };
    // The listed parts' bytes move to the object: count them once.
    for (const part of parts) upload.parts.delete(part.partNumber);
    for (const part of parts) this.used -= part.size;
    this.dropUpload(bucket, upload);
    const old = bucket.objects.get(object.key);
    this.used += object.size - (old?.size ?? 0);
    if (!old) bucket.sorted = undefined;
    bucket.objects.set(object.key, object);
    return object;
  }

  // ---- for seeds, the training family and tests ----

  /** Stores a small object at once (seeds, tests). */
  seedObject(bucketName: string, key: string, body: string | Buffer, now: number, contentType = 'application/octet-stream'): void {
    const bucket = this.bucket(bucketName);
    const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.putObject(bucket, { key, chunks: [data], size: data.length, etag: quotedMd5([data]), lastModified: now, contentType, metadata: {}, headers: {} });
  }

  /**
   * Writes an object of the service's own into a hidden bucket (made on first use, outside the bucket count):
   * a training task's whole log behind its temporary link. A previous version is replaced.
   */
  putServiceObject(bucketName: string, region: string, key: string, chunks: Buffer[], now: number, contentType: string): void {
    let bucket = this.buckets.get(bucketName);
    if (!bucket) {
      bucket = { name: bucketName, region, created: now, objects: new Map(), uploads: new Map(), sorted: undefined, hidden: true };
      this.buckets.set(bucketName, bucket);
    }
    const size = chunks.reduce((sum, c) => sum + c.length, 0);
    this.putObject(bucket, { key, chunks, size, etag: quotedMd5(chunks), lastModified: now, contentType, metadata: {}, headers: {} });
  }

  /** The first `maxBytes` of an object, or undefined when the bucket or object is missing. */
  readHead(bucketName: string, key: string, maxBytes: number): Buffer | undefined {
    const object = this.buckets.get(bucketName)?.objects.get(key);
    if (!object) return undefined;
    const out: Buffer[] = [];
    let left = maxBytes;
    for (const chunk of object.chunks) {
      if (left <= 0) break;
      out.push(chunk.subarray(0, left));
      left -= Math.min(left, chunk.length);
    }
    return Buffer.concat(out);
  }
}
