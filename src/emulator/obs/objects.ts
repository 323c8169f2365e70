import { encodeObsKey } from '../../api/obs/signer';
import { type ObsAnswer, type ObsCall, type ReadBody, xmlAnswer } from './call';
import { ObsFailure, malformedXml } from './errors';
import type { StoredBucket, StoredObject } from './store';
import { type XmlChild, childElements, childText, parseXmlRoot } from './xml';

// Object operations: PutObject (Content-MD5, metadata, the 5 GB limit and the byte cap), GetObject and
// HeadObject (Range, conditions, response-* overrides), DeleteObject and DeleteObjects.

/** The most one PUT (or one part) may carry. */
export const MAX_SINGLE_UPLOAD = 5 * 1024 * 1024 * 1024;
/** The most keys one key may have, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
const MAX_DELETE_KEYS = 1000;
const MAX_DELETE_BODY = 2 * 1024 * 1024;
/** Headers stored with an object and returned on GET and HEAD. */
const KEPT_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

function header(call: ObsCall, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `x-obs-meta-*` (or `x-amz-meta-*`) values by lower-case name without the prefix; other details kept. */
export function objectDetails(call: ObsCall): { contentType: string; metadata: Record<string, string>; headers: Record<string, string> } {
  const metaPrefix = `${call.headerPrefix}meta-`;
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const name of Object.keys(call.headers)) {
    if (name.startsWith(metaPrefix)) metadata[name.slice(metaPrefix.length)] = (header(call, name) ?? '').trim();
    if (KEPT_HEADERS.includes(name)) headers[name] = header(call, name) ?? '';
  }
  return { contentType: header(call, 'content-type') ?? 'application/octet-stream', metadata, headers };
}

/** Fails with 400 BadDigest when a sent Content-MD5 does not match the body (InvalidDigest when unreadable). */
export function checkContentMd5(call: ObsCall, body: ReadBody, required = false): void {
  const sent = header(call, 'content-md5');
  if (sent === undefined) {
    if (required) throw new ObsFailure(400, 'MissingRequiredHeader', 'Missing required header for this request: Content-MD5.');
    return;
  }
  const decoded = Buffer.from(sent, 'base64');
  if (decoded.length !== 16 || decoded.toString('base64') !== sent.trim()) throw new ObsFailure(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  if (!decoded.equals(body.md5)) throw new ObsFailure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
}

/** The limit and the failure for an upload of at most 5 GB that must also fit under the byte cap. */
export function uploadLimit(call: ObsCall, replacing: number): { max: number; tooLarge: (size: number) => Error } {
  const room = Math.max(0, call.store.maxBytes - call.store.usedBytes + replacing);
  const max = Math.min(MAX_SINGLE_UPLOAD, room);
  const tooLarge = (size: number): Error => {
    if (size > MAX_SINGLE_UPLOAD) return new ObsFailure(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed object size (5 GB).');
    call.store.ensureRoom(size, replacing);
    return new ObsFailure(403, 'InsufficientStorageSpace', 'Insufficient storage space.');
  };
  return { max, tooLarge };
}

export async function putObject(call: ObsCall, bucket: StoredBucket, key: string): Promise<ObsAnswer> {
  const replacing = bucket.objects.get(key)?.size ?? 0;
  const limit = uploadLimit(call, replacing);
  const body = await call.body(limit.max, limit.tooLarge);
  checkContentMd5(call, body);
  const object: StoredObject = {
    key,
    chunks: body.chunks,
    size: body.size,
    etag: `"${body.md5.toString('hex')}"`,
    lastModified: call.now,
    ...objectDetails(call),
  };
  call.store.putObject(bucket, object);
  return { status: 200, headers: { ETag: object.etag } };
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end] inclusive; undefined to ignore (absent, malformed, several ranges). */
function rangeOf(text: string | undefined, size: number): [number, number] | undefined {
  const m = text === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(text.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(size);
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw invalidRange(size);
  return [start, end];
}

function invalidRange(size: number): ObsFailure {
  return new ObsFailure(416, 'InvalidRange', 'The requested range cannot be satisfied.', [['ActualObjectSize', size]], { 'Content-Range': `bytes */${size}` });
}

/** The Buffers of bytes [start, end] of an object, sharing its memory. */
function sliceChunks(chunks: readonly Buffer[], start: number, end: number): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end + 1 - offset, chunk.length);
    if (from < to) out.push(chunk.subarray(from, to));
    offset += chunk.length;
    if (offset > end) break;
  }
  return out;
}

/** 304 or 412 when a condition fails, undefined when the request goes on. */
function conditionAnswer(call: ObsCall, object: StoredObject): ObsAnswer | undefined {
  const ifMatch = header(call, 'if-match');
  const ifNoneMatch = header(call, 'if-none-match');
  const modifiedSince = Date.parse(header(call, 'if-modified-since') ?? '');
  const unmodifiedSince = Date.parse(header(call, 'if-unmodified-since') ?? '');
  const tags = (text: string): string[] => text.split(',').map((t) => t.trim().replace(/^"|"$/g, ''));
  const etag = object.etag.replace(/"/g, '');
  const seconds = Math.floor(object.lastModified / 1000) * 1000;
  const failed = (condition: string): ObsFailure => new ObsFailure(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [['Condition', condition]]);
  if (ifMatch !== undefined && !tags(ifMatch).some((t) => t === '*' || t === etag)) throw failed('If-Match');
  if (ifMatch === undefined && Number.isFinite(unmodifiedSince) && seconds > unmodifiedSince) throw failed('If-Unmodified-Since');
  if (ifNoneMatch !== undefined && tags(ifNoneMatch).some((t) => t === '*' || t === etag)) return { status: 304, headers: { ETag: object.etag } };
  if (ifNoneMatch === undefined && Number.isFinite(modifiedSince) && seconds <= modifiedSince) return { status: 304, headers: { ETag: object.etag } };
  return undefined;
}

/** GET and HEAD of an object: its headers, and for GET its bytes or the range asked for. */
export function getObject(call: ObsCall, bucket: StoredBucket, key: string, withBody: boolean): ObsAnswer {
  const object = call.store.object(bucket, key);
  const conditional = conditionAnswer(call, object);
  if (conditional) return conditional;
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    ETag: object.etag,
    'Last-Modified': new Date(object.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(object.headers)) headers[name] = value;
  for (const [name, value] of Object.entries(object.metadata)) headers[`${call.headerPrefix}meta-${name}`] = value;
  if (object.uploadId) headers['x-obs-uploadId'] = object.uploadId;
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = call.query.get(param);
    if (value !== undefined && withBody) headers[name] = value;
  }
  const range = rangeOf(header(call, 'range'), object.size);
  if (!range) {
    if (!withBody) return { status: 200, headers: { ...headers, 'Content-Length': String(object.size) } };
    return { status: 200, headers, body: object.chunks };
  }
  const [start, end] = range;
  headers['Content-Range'] = `bytes ${start}-${end}/${object.size}`;
  if (!withBody) return { status: 206, headers: { ...headers, 'Content-Length': String(end - start + 1) } };
  return { status: 206, headers, body: sliceChunks(object.chunks, start, end) };
}

export function deleteObject(call: ObsCall, bucket: StoredBucket, key: string): ObsAnswer {
  call.store.deleteObject(bucket, key);
  return { status: 204, headers: {} };
}

/** POST /?delete: up to 1000 keys, Content-MD5 required; Quiet reports failures only. */
export async function deleteObjects(call: ObsCall, bucket: StoredBucket): Promise<ObsAnswer> {
  const body = await call.body(MAX_DELETE_BODY, () => malformedXml());
  checkContentMd5(call, body, true);
  const root = parseXmlRoot(Buffer.concat(body.chunks));
  if (!root || root.name !== 'Delete') throw malformedXml();
  const quiet = childText(root, 'Quiet')?.trim().toLowerCase() === 'true';
  const urlEncoded = childText(root, 'EncodingType')?.trim() === 'url';
  const objects = childElements(root, 'Object');
  if (objects.length === 0) throw malformedXml();
  if (objects.length > MAX_DELETE_KEYS) throw new ObsFailure(400, 'MalformedXML', `A delete request names at most ${MAX_DELETE_KEYS} objects; this one names ${objects.length}.`);
  const keys = objects.map((o) => {
    const raw = childText(o, 'Key');
    if (raw === undefined || raw === '') throw malformedXml();
    let key = raw;
    if (urlEncoded) {
      try {
        key = decodeURIComponent(raw.replace(/\+/g, '%20'));
      } catch {
        throw malformedXml();
      }
    }
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw keyTooLong();
    return key;
  });
  const deleted: XmlChild[] = [];
  for (const key of keys) {
    call.store.deleteObject(bucket, key);
    if (!quiet) deleted.push(['Deleted', [['Key', urlEncoded ? encodeObsKey(key) : key]]]);
  }
  return xmlAnswer(200, 'DeleteResult', call.region, deleted);
}

export function keyTooLong(): ObsFailure {
  return new ObsFailure(400, 'KeyTooLongError', `Your key is too long: at most ${MAX_KEY_BYTES} bytes.`);
}

