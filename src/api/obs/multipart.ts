// A file of any size: one PUT when small; otherwise initiate → parts streamed from the file in parallel (each
// retried alone when its connection drops) → complete with the parts in ascending order. A cancelled or failed
// upload is aborted, so no object and no stored parts are left behind.

import { promises as fsp } from 'node:fs';
import { ModelArtsError, isModelArtsError } from '../errors';
import type { Logger } from '../log';
import type { Redactor } from '../redact';
import { forEachBounded } from './bounded';
import { invalidObsBody, obsInputError } from './errors';
import { OBS_MAX_PUT_BYTES, partSizeFor } from './limits';
import { xmlBodyOf } from './listing';
import { checkKey, contentTypeForKey, readFileRange, sendHeadObject, md5Base64, metadataHeaders, sendPutObject } from './objects';
import type { ObsRequester } from './requester';
import type { ObsMultipartOptions } from './types';
import { escapeObsXml, parseObsXml, xmlText } from './xml';

export const DEFAULT_MULTIPART_THRESHOLD = 16 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_PART_PARALLELISM = 4;
const MAX_PART_PARALLELISM = 16;

export interface ObsUploadContext {
  requester: ObsRequester;
  redactor: Redactor;
  log: Logger;
  /** Files above this many bytes go in parts. */
  multipartThreshold: number;
}

interface Part {
  number: number;
  start: number;
  length: number;
}

/** The parts of a file of `size` bytes cut in `partSize` pieces, numbered from 1. */
export function planParts(size: number, partSize: number): Part[] {
  const parts: Part[] = [];
  for (let start = 0, number = 1; start < size; start += partSize, number++) parts.push({ number, start, length: Math.min(partSize, size - start) });
  return parts;
}

export function completeBody(etags: ReadonlyArray<{ number: number; etag: string }>): Buffer {
  const parts = [...etags]
    .sort((a, b) => a.number - b.number)
    .map((part) => `<Part><PartNumber>${part.number}</PartNumber><ETag>${escapeObsXml(part.etag)}</ETag></Part>`)
    .join('');
  return Buffer.from(`<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`, 'utf8');
}

export async function uploadFile(context: ObsUploadContext, bucket: string, key: string, file: string, options: ObsMultipartOptions = {}): Promise<string> {
  checkKey(key);
  const size = (await fsp.stat(file)).size;
  if (size <= context.multipartThreshold && size <= OBS_MAX_PUT_BYTES) return sendPutObject(context.requester, bucket, key, { file }, options);
  const partSize = partSizeFor(size, options.partSize ?? DEFAULT_PART_SIZE);
  if (partSize === undefined) throw obsInputError(`The file is too large for OBS (${size} bytes): an object holds at most 10,000 parts of 5 GB.`, 'EntityTooLarge');
  const parallel = Math.min(MAX_PART_PARALLELISM, Math.max(1, Math.floor(options.parallel ?? DEFAULT_PART_PARALLELISM)));
  const upload = new MultipartUpload(context, bucket, key, file, size, partSize, options);
  await upload.initiate();
  try {
    const etags = await upload.sendParts(planParts(size, partSize), parallel);
    return await upload.complete(etags);
  } catch (error) {
    await upload.abort(error);
    throw error;
  }
}

class MultipartUpload {
  private uploadId = '';
  private bytesDone = 0;
  private readonly inFlight = new Map<number, number>();
  /** Part buffers reused from part to part: at most `parallel` of them ever exist. */
  private readonly freeBuffers: Buffer[] = [];

  constructor(
    private readonly context: ObsUploadContext,
    private readonly bucket: string,
    private readonly key: string,
    private readonly file: string,
    private readonly size: number,
    private readonly partBytes: number,
    private readonly options: ObsMultipartOptions,
  ) {}

  async initiate(): Promise<void> {
    const { requester, redactor } = this.context;
    const raw = await requester.send({
      method: 'POST',
      bucket: this.bucket,
      key: this.key,
      query: [['uploads', undefined]],
      headers: metadataHeaders(this.options.metadata),
      contentType: this.options.contentType ?? contentTypeForKey(this.key),
      // A second initiate would leave an orphan upload behind: not resent.
      idempotent: false,
      signal: this.options.signal,
      operation: 'obs.initiateMultipartUpload',
    });
    const uploadId = xmlText(xmlBodyOf(raw, 'InitiateMultipartUploadResult', redactor), 'UploadId');
    if (!uploadId) throw invalidObsBody(raw, 'the new multipart upload without an UploadId', redactor);
    this.uploadId = uploadId;
  }

  private report(): void {
    let bytes = this.bytesDone;
    for (const sent of this.inFlight.values()) bytes += sent;
    this.options.onProgress?.({ bytes, totalBytes: this.size });
  }

  /** Sends every part, `parallel` at once; the first failure stops the others. */
  async sendParts(parts: readonly Part[], parallel: number): Promise<Array<{ number: number; etag: string }>> {
    const etags: Array<{ number: number; etag: string }> = [];
    await forEachBounded(parts.length, parallel, this.options.signal, async (index, signal) => {
      const part = parts[index];
      etags.push({ number: part.number, etag: await this.sendPart(part, signal) });
    });
    return etags;
  }

  private async sendPart(part: Part, signal: AbortSignal): Promise<string> {
    // Read once, hashed and sent from memory (resent from it too): reading the file twice, once for
    // Content-MD5 and once to send, halved the throughput on loopback. Memory stays part size × parallel.
    const buffer = this.freeBuffers.pop() ?? Buffer.allocUnsafe(this.partBytes);
    this.inFlight.set(part.number, 0);
    try {
      const body = await readFileRange(this.file, part.start, part.length, buffer);
      const contentMd5 = md5Base64(body);
      const raw = await this.context.requester.send({
        method: 'PUT',
        bucket: this.bucket,
        key: this.key,
        query: [
          ['partNumber', String(part.number)],
          ['uploadId', this.uploadId],
        ],
        body,
        contentMd5,
        // No Content-Type: the object's was given at initiate (the official SDK sends none either).
        // A part with Content-MD5 overwrites itself: safe to resend, and only this part is.
        idempotent: true,
        signal,
        onProgress: (bytes) => {
          this.inFlight.set(part.number, bytes);
          this.report();
        },
        operation: 'obs.uploadPart',
      });
      const etag = raw.headers.etag;
      if (!etag) throw invalidObsBody(raw, `part ${part.number} without an ETag`, this.context.redactor);
      this.bytesDone += part.length;
      return etag;
    } finally {
      this.inFlight.delete(part.number);
      this.freeBuffers.push(buffer);
      this.report();
    }
  }

  /** Completes the upload; after a lost answer the object's `x-obs-uploadId` says whether it was done. */
  async complete(etags: ReadonlyArray<{ number: number; etag: string }>): Promise<string> {
    const { requester, redactor } = this.context;
    const body = completeBody(etags);
    try {
      const raw = await requester.send({
        method: 'POST',
        bucket: this.bucket,
        key: this.key,
        query: [['uploadId', this.uploadId]],
        body,
        contentMd5: md5Base64(body),
        // The official SDK's body and headers, plus Content-MD5 (the service checks it when sent).
        idempotent: false,
        signal: this.options.signal,
        operation: 'obs.completeMultipartUpload',
      });
      return this.etagOfCompletion(raw.body, raw.status, raw.headers['x-obs-request-id'], redactor) ?? raw.headers.etag ?? '';
    } catch (error) {
      if (!isModelArtsError(error) || !completionMayHaveHappened(error)) throw error;
      const head = await sendHeadObject(requester, this.bucket, this.key, this.options.signal);
      if (head?.uploadId === this.uploadId) {
        this.context.log.debug(`obs.completeMultipartUpload: the answer was lost (${error.code}), but the object carries this upload's id: completed`);
        return head.etag;
      }
      throw error;
    }
  }

  /** A 200 whose body is an `<Error>` (the service failed after it started answering) is a failure. */
  private etagOfCompletion(body: Buffer, status: number, requestId: string | undefined, redactor: Redactor): string | undefined {
    let root;
    try {
      root = parseObsXml(body.toString('utf8'));
    } catch {
      return undefined;
    }
    if (root.name === 'Error') {
      throw new ModelArtsError({ kind: 'http', status, code: xmlText(root, 'Code') || 'InternalError', message: redactor.redact(xmlText(root, 'Message') || 'OBS could not complete the multipart upload.'), requestId: requestId || xmlText(root, 'RequestId') });
    }
    return xmlText(root, 'ETag') || undefined;
  }

  /** Aborts the upload on the service (so its parts are not kept), whatever made it fail; never throws. */
  async abort(cause: unknown): Promise<void> {
    if (!this.uploadId) return;
    try {
      // Its own signal: the caller's is usually the one that was just cancelled.
      await this.context.requester.send({
        method: 'DELETE',
        bucket: this.bucket,
        key: this.key,
        query: [['uploadId', this.uploadId]],
        idempotent: true,
        acceptStatus: [404],
        operation: 'obs.abortMultipartUpload',
      });
    } catch (error) {
      const reason = isModelArtsError(cause) ? cause.code : 'error';
      this.context.log.warn(`obs.abortMultipartUpload after ${reason}: ${isModelArtsError(error) ? error.toString() : String(error)}`);
    }
  }
}

/** A 5xx, a timeout or a lost connection after the request was sent: the service may have completed it. */
function completionMayHaveHappened(error: ModelArtsError): boolean {
  return error.kind === 'timeout' || error.kind === 'network' || (error.kind === 'http' && error.status >= 500);
}
