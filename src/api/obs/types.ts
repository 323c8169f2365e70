// The OBS client's contract: what the OBS view, Run on ModelArts and the tests use. The client (client.ts)
// implements it; nothing here imports vscode.

import type { Pager } from '../paging';

/** Signing credentials for OBS: permanent AK/SK, or temporary ones with their security token. */
export interface ObsCredentials {
  ak: string;
  sk: string;
  securityToken?: string;
  /** Temporary credentials only: when they stop working (epoch ms). */
  expiresAtMs?: number;
}

/** Gives current credentials; for a token session, temporary ones from IAM, renewed before they expire. */
export type ObsCredentialSource = (signal?: AbortSignal) => Promise<ObsCredentials>;

export interface ObsBucket {
  name: string;
  /** ISO time. */
  creationDate: string;
  /** The bucket's region; requests for it go to that region's endpoint. */
  location: string;
  /** `OBJECT` or `POSIX` (parallel file system). */
  bucketType: string;
}

export interface ObsObjectSummary {
  key: string;
  size: number;
  /** Quoted hex MD5 (or `"<md5>-<parts>"` for a multipart upload), as the service sends it. */
  etag: string;
  /** ISO time. */
  lastModified: string;
  storageClass?: string;
}

/** One page of a listing with a delimiter: objects, and the "folders" (common prefixes, ending in the delimiter). */
export interface ObsListPage {
  objects: ObsObjectSummary[];
  prefixes: string[];
  truncated: boolean;
  /** The marker for the next page when truncated. */
  nextMarker?: string;
}

/** A row of a folder listing: a sub-folder (`prefix`) or an object. */
export type ObsListEntry = { kind: 'folder'; prefix: string } | ({ kind: 'object' } & ObsObjectSummary);

export interface ObsListRequest {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  marker?: string;
  /** 1–1000, default 1000. */
  maxKeys?: number;
  signal?: AbortSignal;
}

export interface ObsObjectHead {
  size: number;
  etag: string;
  lastModified: string;
  contentType: string;
  /** `x-obs-meta-*` headers, names without the prefix, lower-case. */
  metadata: Record<string, string>;
  /** Set when the object was made by a multipart upload. */
  uploadId?: string;
}

export interface ObsProgress {
  /** Bytes sent or received so far in this operation. */
  bytes: number;
  totalBytes: number;
  /** Files done so far (folder operations). */
  files?: number;
  totalFiles?: number;
}

export interface ObsTransferOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ObsProgress) => void;
}

export interface ObsPutOptions extends ObsTransferOptions {
  contentType?: string;
  /** Stored as `x-obs-meta-<name>`; US-ASCII. */
  metadata?: Readonly<Record<string, string>>;
}

export interface ObsMultipartOptions extends ObsPutOptions {
  /** Bytes per part, 100 KB–5 GB; default 8 MiB. */
  partSize?: number;
  /** Parts in flight at once; default 4. */
  parallel?: number;
}

/** A file to upload and the key it goes to. */
export interface ObsUploadItem {
  file: string;
  key: string;
}

export interface ObsDeleteResult {
  deleted: string[];
  errors: Array<{ key: string; code: string; message: string }>;
}

export interface ObsClient {
  /** Every bucket of the account (all regions). */
  listBuckets(signal?: AbortSignal): Promise<ObsBucket[]>;
  /** Creates a bucket in `region` (the client's region by default); the name is checked first. */
  createBucket(name: string, options?: { region?: string; signal?: AbortSignal }): Promise<void>;
  listObjects(request: ObsListRequest): Promise<ObsListPage>;
  /** A folder's entries (delimiter `/`), folders first on each page, `pageSize` per page. */
  folderPager(bucket: string, prefix: string, pageSize: number): Pager<ObsListEntry>;
  /** Every key under a prefix (no delimiter), page by page. */
  listAll(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObsObjectSummary>;
  /** Undefined when there is no such object. */
  headObject(bucket: string, key: string, signal?: AbortSignal): Promise<ObsObjectHead | undefined>;
  /** The object (or a byte range of it) in memory; refused past `maxBytes` before it is read. */
  getObject(bucket: string, key: string, options: { maxBytes: number; range?: { start: number; end?: number }; signal?: AbortSignal }): Promise<Buffer>;
  /** Streams the object to `file` (written beside it and renamed when complete). */
  downloadFile(bucket: string, key: string, file: string, options?: ObsTransferOptions): Promise<ObsObjectHead>;
  /** One PUT with Content-MD5, from memory or streamed from a file (≤ 5 GB). Resolves to the ETag. */
  putObject(bucket: string, key: string, body: Buffer | string | { file: string }, options?: ObsPutOptions): Promise<string>;
  /** A file of any size: one PUT when small, otherwise a multipart upload in parallel parts that resumes after a dropped connection and is aborted on cancel. */
  uploadFile(bucket: string, key: string, file: string, options?: ObsMultipartOptions): Promise<string>;
  /** Many files with a bound on parallel transfers; progress counts bytes and files. */
  uploadFiles(bucket: string, items: readonly ObsUploadItem[], options?: ObsMultipartOptions): Promise<void>;
  /** Every object under `prefix` into `folder`, keeping the relative paths. */
  downloadPrefix(bucket: string, prefix: string, folder: string, options?: ObsTransferOptions): Promise<{ files: number; bytes: number }>;
  /** Succeeds also when the key does not exist. */
  deleteObject(bucket: string, key: string, signal?: AbortSignal): Promise<void>;
  /** Batch delete, 1,000 keys a request. */
  deleteObjects(bucket: string, keys: readonly string[], signal?: AbortSignal): Promise<ObsDeleteResult>;
  /** Closes idle connections. */
  dispose(): void;
}
