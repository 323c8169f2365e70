// The OBS client: `createObsClient` wires the wire (transport), the requester (addressing, signing, retries)
// and the operations of listing.ts, objects.ts, multipart.ts and transfers.ts behind the ObsClient contract.

import type { LookupFunction } from 'node:net';
import { systemClock, type Clock } from '../clock';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_TIMEOUT_MS, DEFAULT_USER_AGENT, type HttpTimeouts } from '../http';
import { noopLogger, redactingLogger, type Logger } from '../log';
import { createRedactor, type Redactor } from '../redact';
import { RetryBudget, resolveRetryOptions, type RetryOptions } from '../retry';
import { obsInputError } from './errors';
import { sendCreateBucket, folderPager, listAll, sendListBuckets, sendListObjects } from './listing';
import { DEFAULT_MULTIPART_THRESHOLD, uploadFile, type ObsUploadContext } from './multipart';
import { sendDeleteObject, sendDeleteObjects, downloadFile, sendGetObject, sendHeadObject, sendPutObject } from './objects';
import { ObsRequester } from './requester';
import { downloadPrefix, uploadFiles } from './transfers';
import type { ObsClient, ObsCredentialSource } from './types';
import { HttpWire } from '../wire';

export interface ObsClientOptions {
  /** `https://obs.<region>.myhuaweicloud.com`, another cloud's endpoint, or `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** The region of the endpoint: where new buckets go by default. */
  region: string;
  credentials: ObsCredentialSource;
  /** DNS lookup for host names (tests map bucket hosts to loopback). */
  lookup?: LookupFunction;
  /** Dates to sign and every backoff wait. */
  clock?: Clock;
  log?: Logger;
  /** Every credential the client uses is added here; it cleans log lines and error messages. */
  redactor?: Redactor;
  timeouts?: HttpTimeouts;
  retry?: RetryOptions;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /** The cap for XML answers (listings, errors); default 16 MiB. */
  maxResponseBytes?: number;
  userAgent?: string;
  /** Files larger than this go as multipart uploads; default 16 MiB. */
  multipartThreshold?: number;
  /** Files transferred at once by uploadFiles and downloadPrefix; default 4. */
  parallelFiles?: number;
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw obsInputError(`The OBS endpoint "${endpoint}" is not a URL.`, 'InvalidEndpoint');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw obsInputError(`The OBS endpoint "${endpoint}" must start with https:// or http://.`, 'InvalidEndpoint');
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw obsInputError(`The OBS endpoint "${url.host}" must be a bare address, without a path or credentials.`, 'InvalidEndpoint');
  }
  return url;
}

export function createObsClient(options: ObsClientOptions): ObsClient {
  const endpoint = parseEndpoint(options.endpoint);
  const redactor = options.redactor ?? createRedactor();
  const log = redactingLogger(options.log ?? noopLogger, redactor);
  const retry = resolveRetryOptions(options.retry);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const wire = new HttpWire({
    connectMs: options.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    readMs: options.timeouts?.readMs ?? DEFAULT_READ_TIMEOUT_MS,
    maxErrorBytes: maxResponseBytes,
    lookup: options.lookup,
    redactor,
  });
  const requester = new ObsRequester({
    endpoint,
    credentials: options.credentials,
    wire,
    clock: options.clock ?? systemClock,
    log,
    redactor,
    retry,
    budget: new RetryBudget(retry.budget),
    random: options.random ?? Math.random,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    maxResponseBytes,
  });
  const uploads: ObsUploadContext = { requester, redactor, log, multipartThreshold: options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD };
  const files = options.parallelFiles;
  return {
    listBuckets: (signal) => sendListBuckets(requester, redactor, signal),
    createBucket: (name, createOptions) => sendCreateBucket(requester, name, createOptions?.region ?? options.region, createOptions?.signal),
    listObjects: (request) => sendListObjects(requester, redactor, request),
    folderPager: (bucket, prefix, pageSize) => folderPager(requester, redactor, bucket, prefix, pageSize),
    listAll: (bucket, prefix, signal) => listAll(requester, redactor, bucket, prefix, signal),
    headObject: (bucket, key, signal) => sendHeadObject(requester, bucket, key, signal),
    getObject: (bucket, key, getOptions) => sendGetObject(requester, bucket, key, getOptions),
    downloadFile: (bucket, key, file, transfer) => downloadFile(requester, bucket, key, file, transfer),
    putObject: (bucket, key, body, putOptions) => sendPutObject(requester, bucket, key, body, putOptions),
    uploadFile: (bucket, key, file, uploadOptions) => uploadFile(uploads, bucket, key, file, uploadOptions),
    uploadFiles: (bucket, items, uploadOptions) => uploadFiles(uploads, bucket, items, { ...uploadOptions, files }),
    downloadPrefix: (bucket, prefix, folder, transfer) => downloadPrefix(uploads, bucket, prefix, folder, { ...transfer, files }),
    deleteObject: (bucket, key, signal) => sendDeleteObject(requester, bucket, key, signal),
    deleteObjects: (bucket, keys, signal) => sendDeleteObjects(requester, redactor, bucket, keys, signal),
    dispose: () => requester.dispose(),
  };
}
