import { type ObsAnswer, type ObsCall, isoTime, xmlAnswer } from './call';
import { ObsFailure, invalidArgument } from './errors';
import { objectDetails } from './objects';
import type { StoredBucket, StoredObject } from './store';

// CopyObject (PUT with x-obs-copy-source): what a rename is on an object bucket (copy, then delete). The copy
// shares the source's Buffers (they are never changed in place) but counts against the byte cap again.

function header(call: ObsCall, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `/bucket/key` (URL-encoded, the leading `/` optional) → bucket and decoded key. */
function copySource(text: string): { bucket: string; key: string } {
  const m = /^\/?([^/]+)\/(.+)$/.exec(text.split('?')[0]);
  let key: string | undefined;
  try {
    key = m ? decodeURIComponent(m[2]) : undefined;
  } catch {
    key = undefined;
  }
  if (!m || key === undefined) throw invalidArgument(`Invalid copy source: ${text}`, 'x-obs-copy-source', text);
  return { bucket: m[1], key };
}

function checkCopyConditions(call: ObsCall, source: StoredObject): void {
  const prefix = `${call.headerPrefix}copy-source-`;
  const etag = source.etag.replace(/"/g, '');
  const tags = (name: string): string[] | undefined => header(call, `${prefix}${name}`)?.split(',').map((t) => t.trim().replace(/^"|"$/g, ''));
  const time = (name: string): number => Date.parse(header(call, `${prefix}${name}`) ?? '');
  const seconds = Math.floor(source.lastModified / 1000) * 1000;
  const failed = (condition: string): ObsFailure => new ObsFailure(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', [['Condition', `${prefix}${condition}`]]);
  const ifMatch = tags('if-match');
  if (ifMatch && !ifMatch.includes(etag)) throw failed('if-match');
  const ifNoneMatch = tags('if-none-match');
  if (ifNoneMatch?.includes(etag)) throw failed('if-none-match');
  if (seconds > time('if-unmodified-since')) throw failed('if-unmodified-since');
  if (seconds <= time('if-modified-since')) throw failed('if-modified-since');
}

export async function copyObject(call: ObsCall, bucket: StoredBucket, key: string, sourceText: string): Promise<ObsAnswer> {
  const body = await call.body(0, () => new ObsFailure(400, 'MaxMessageLengthExceeded', 'A copy request takes no body.'));
  if (body.size > 0) throw new ObsFailure(400, 'MaxMessageLengthExceeded', 'A copy request takes no body.');
  const from = copySource(sourceText);
  const source = call.store.object(call.store.bucket(from.bucket), from.key);
  checkCopyConditions(call, source);
  const directive = header(call, `${call.headerPrefix}metadata-directive`) ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument(`Unknown metadata directive: ${directive}`, 'x-obs-metadata-directive', directive);
  const details = directive === 'REPLACE' ? objectDetails(call) : { contentType: source.contentType, metadata: { ...source.metadata }, headers: { ...source.headers } };
  const copy: StoredObject = { key, chunks: source.chunks, size: source.size, etag: source.etag, lastModified: call.now, ...details };
  call.store.putObject(bucket, copy);
  return xmlAnswer(200, 'CopyObjectResult', call.region, [
    ['LastModified', isoTime(copy.lastModified)],
    ['ETag', copy.etag],
  ]);
}
