// Single objects: HEAD, GET into memory or into a file, PUT from memory or a file (always with Content-MD5),
// DELETE, and the batch delete (1,000 keys a request).

import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { dirname, extname } from 'node:path';
import { abortedError } from '../wire';
import type { Redactor } from '../redact';
import { obsErrorFromResponse, obsInputError } from './errors';
import { OBS_MAX_DELETE_KEYS, OBS_MAX_PUT_BYTES, objectKeyProblem } from './limits';
import { decodeListed, xmlBodyOf } from './listing';
import type { ObsRequester } from './requester';
import type { ObsDeleteResult, ObsObjectHead, ObsPutOptions, ObsTransferOptions } from './types';
import type { WireResponse } from '../wire';
import { escapeObsXml, xmlCanCarry, xmlChildren, xmlText } from './xml';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.py': 'text/x-python',
  '.sh': 'text/x-sh',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.json': 'application/json',
  '.ipynb': 'application/x-ipynb+json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.zip': 'application/zip',
  '.tar': 'application/x-tar',
  '.gz': 'application/gzip',
  '.tgz': 'application/gzip',
  '.pdf': 'application/pdf',
};

/** The Content-Type stored with an object: from its key's extension, `application/octet-stream` otherwise. */
export function contentTypeForKey(key: string): string {
  return MIME_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
}

export function md5Base64(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

/** Base64 MD5 of `length` bytes of a file from `start`, streamed (never the whole file in memory). */
export async function fileMd5Base64(file: string, start: number, length: number, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  if (length > 0) {
    const stream = createReadStream(file, { start, end: start + length - 1, signal });
    try {
      for await (const chunk of stream) hash.update(chunk as Buffer);
    } catch (error) {
      // The stream's own AbortError is not the client's: a cancel is the same `aborted` error wherever it lands.
      if (signal?.aborted) throw abortedError('OBS', signal.reason);
      throw error;
    }
  }
  return hash.digest('base64');
}

/** `length` bytes of a file from `start`, read into `into` (its start); a file that cannot give them is an input error. */
export async function readFileRange(file: string, start: number, length: number, into: Buffer): Promise<Buffer> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, 'r');
    const buffer = into.subarray(0, length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) throw new Error('the file is shorter than when the upload started');
      filled += bytesRead;
    }
    return buffer;
  } catch (error) {
    throw obsInputError(`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}`, 'LocalFileError');
  } finally {
    await handle?.close();
  }
}

export function checkKey(key: string): void {
  const problem = objectKeyProblem(key);
  if (problem) throw obsInputError(problem, 'InvalidObjectKey');
}

/** `x-obs-meta-*` headers; names and values must be US-ASCII (OBS does not decode anything else). */
export function metadataHeaders(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (!/^[A-Za-z0-9-_]+$/.test(name)) throw obsInputError(`The metadata name "${name}" may hold only letters, digits, "-" and "_".`);
    if (!/^[\x20-\x7E]*$/.test(value)) throw obsInputError(`The value of metadata "${name}" must be printable US-ASCII.`);
    // Trimmed, as the service stores and signs it.
    headers[`x-obs-meta-${name.toLowerCase()}`] = value.trim();
  }
  return headers;
}

export function headOf(headers: Readonly<Record<string, string>>): ObsObjectHead {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.startsWith('x-obs-meta-')) metadata[name.slice('x-obs-meta-'.length)] = value;
  const range = /\/(\d+)\s*$/.exec(headers['content-range'] ?? '');
  return {
    size: Number(range?.[1] ?? headers['content-length'] ?? 0) || 0,
    etag: headers.etag ?? '',
    lastModified: headers['last-modified'] ?? '',
    contentType: headers['content-type'] ?? '',
    metadata,
    ...(headers['x-obs-uploadid'] ? { uploadId: headers['x-obs-uploadid'] } : {}),
  };
}

export async function sendHeadObject(requester: ObsRequester, bucket: string, key: string, signal?: AbortSignal): Promise<ObsObjectHead | undefined> {
  checkKey(key);
  const raw = await requester.send({ method: 'HEAD', bucket, key, idempotent: true, signal, acceptStatus: [404], operation: 'obs.headObject' });
  if (raw.status !== 404) return headOf(raw.headers);
  // A missing bucket is an error, not a missing object.
  if (raw.headers['x-obs-error-code'] === 'NoSuchBucket') throw obsErrorFromResponse(raw, requester.redactor, requester.now());
  return undefined;
}

export async function sendGetObject(requester: ObsRequester, bucket: string, key: string, options: { maxBytes: number; range?: { start: number; end?: number }; signal?: AbortSignal }): Promise<Buffer> {
  checkKey(key);
  const headers: Record<string, string> = {};
  if (options.range) headers.Range = `bytes=${options.range.start}-${options.range.end ?? ''}`;
  const raw = await requester.send({ method: 'GET', bucket, key, headers, idempotent: true, signal: options.signal, sink: { kind: 'memory', maxBytes: options.maxBytes }, operation: 'obs.getObject' });
  return raw.body;
}

export async function downloadFile(requester: ObsRequester, bucket: string, key: string, file: string, options: ObsTransferOptions = {}): Promise<ObsObjectHead> {
  checkKey(key);
  await fsp.mkdir(dirname(file), { recursive: true });
  const raw = await requester.send({
    method: 'GET',
    bucket,
    key,
    idempotent: true,
    signal: options.signal,
    sink: { kind: 'file', file },
    onProgress: (bytes, totalBytes) => options.onProgress?.({ bytes, totalBytes: totalBytes ?? bytes }),
    operation: 'obs.downloadFile',
  });
  return headOf(raw.headers);
}

export type ObsPutBody = Buffer | string | { file: string };

export async function sendPutObject(requester: ObsRequester, bucket: string, key: string, body: ObsPutBody, options: ObsPutOptions = {}): Promise<string> {
  checkKey(key);
  const headers = metadataHeaders(options.metadata);
  let payload: Buffer | { file: string; start: number; length: number };
  let contentMd5: string;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    contentMd5 = md5Base64(payload);
  } else {
    const size = (await fsp.stat(body.file)).size;
    payload = { file: body.file, start: 0, length: size };
    contentMd5 = await fileMd5Base64(body.file, 0, size, options.signal);
  }
  const totalBytes = Buffer.isBuffer(payload) ? payload.length : payload.length;
  if (totalBytes > OBS_MAX_PUT_BYTES) throw obsInputError(`One upload holds at most 5 GB; use a multipart upload for ${totalBytes} bytes.`, 'EntityTooLarge');
  const raw = await requester.send({
    method: 'PUT',
    bucket,
    key,
    headers,
    body: payload,
    contentMd5,
    contentType: options.contentType ?? contentTypeForKey(key),
    // With Content-MD5 the service stores exactly these bytes or refuses them: sending again is safe.
    idempotent: true,
    signal: options.signal,
    onProgress: (bytes) => options.onProgress?.({ bytes, totalBytes }),
    operation: 'obs.putObject',
  });
  return raw.headers.etag ?? '';
}

export async function sendDeleteObject(requester: ObsRequester, bucket: string, key: string, signal?: AbortSignal): Promise<void> {
  checkKey(key);
  // 204 also for a missing key; a 404 means the bucket is missing.
  await requester.send({ method: 'DELETE', bucket, key, idempotent: true, signal, operation: 'obs.deleteObject' });
}

/** The `<Delete>` body of one batch; keys XML cannot carry (control characters) go URL-encoded. */
export function deleteBody(keys: readonly string[]): { body: Buffer; encoded: boolean } {
  const encoded = keys.some((key) => !xmlCanCarry(key));
  const objects = keys.map((key) => `<Object><Key>${encoded ? encodeURIComponent(key) : escapeObsXml(key)}</Key></Object>`).join('');
  // The official SDK's body, byte for byte.
  const body = `<Delete><Quiet>false</Quiet>${encoded ? '<EncodingType>url</EncodingType>' : ''}${objects}</Delete>`;
  return { body: Buffer.from(body, 'utf8'), encoded };
}

function deleteResultOf(raw: WireResponse, encoded: boolean, redactor: Redactor, result: ObsDeleteResult): void {
  const root = xmlBodyOf(raw, 'DeleteResult', redactor);
  for (const node of xmlChildren(root, 'Deleted')) result.deleted.push(decodeListed(xmlText(node, 'Key') ?? '', encoded));
  for (const node of xmlChildren(root, 'Error')) {
    result.errors.push({ key: decodeListed(xmlText(node, 'Key') ?? '', encoded), code: xmlText(node, 'Code') ?? '', message: xmlText(node, 'Message') ?? '' });
  }
}

export async function sendDeleteObjects(requester: ObsRequester, redactor: Redactor, bucket: string, keys: readonly string[], signal?: AbortSignal): Promise<ObsDeleteResult> {
  for (const key of keys) checkKey(key);
  const result: ObsDeleteResult = { deleted: [], errors: [] };
  for (let start = 0; start < keys.length; start += OBS_MAX_DELETE_KEYS) {
    const { body, encoded } = deleteBody(keys.slice(start, start + OBS_MAX_DELETE_KEYS));
    const raw = await requester.send({
      method: 'POST',
      bucket,
      query: [['delete', undefined]],
      body,
      contentMd5: md5Base64(body),
      // No Content-Type, as the official SDKs and the documented request send it (the signature covers it).
      // Deleting twice deletes the same keys: safe to resend.
      idempotent: true,
      signal,
      operation: 'obs.deleteObjects',
    });
    deleteResultOf(raw, encoded, redactor, result);
  }
  return result;
}
