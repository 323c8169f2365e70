import { type ObsAnswer, type ObsCall, OWNER_ID, isoTime, xmlAnswer } from './call';
import { ObsFailure, invalidArgument, malformedXml } from './errors';
import { checkContentMd5, objectDetails, uploadLimit } from './objects';
import type { StoredBucket, StoredPart } from './store';
import { type XmlChild, childElements, childText, parseXmlRoot } from './xml';

// Multipart uploads: initiate, upload part (numbers 1–10000, parts kept as the Buffers they came in), complete
// (ascending parts, ETags quoted or not, every part but the last at least 100 KB), abort, list parts.

export const MIN_PART_BYTES = 100 * 1024;
export const MAX_PART_NUMBER = 10000;
const MAX_PARTS_PAGE = 1000;
const MAX_COMPLETE_BODY = 2 * 1024 * 1024;

export function initiateUpload(call: ObsCall, bucket: StoredBucket, key: string): ObsAnswer {
  const upload = call.store.initiate(bucket, key, call.now, objectDetails(call));
  return xmlAnswer(200, 'InitiateMultipartUploadResult', call.region, [
    ['Bucket', bucket.name],
    ['Key', key],
    ['UploadId', upload.uploadId],
  ]);
}

function partNumberOf(call: ObsCall): number {
  const raw = call.query.get('partNumber') ?? '';
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= MAX_PART_NUMBER)) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 'partNumber', raw);
  }
  return value;
}

export async function uploadPart(call: ObsCall, bucket: StoredBucket, key: string, uploadId: string): Promise<ObsAnswer> {
  const partNumber = partNumberOf(call);
  const upload = call.store.upload(bucket, key, uploadId);
  const limit = uploadLimit(call, upload.parts.get(partNumber)?.size ?? 0);
  const body = await call.body(limit.max, limit.tooLarge);
  checkContentMd5(call, body);
  // The upload may have been aborted or completed while the part was arriving.
  const current = call.store.upload(bucket, key, uploadId);
  const part: StoredPart = { partNumber, chunks: body.chunks, size: body.size, etag: `"${body.md5.toString('hex')}"`, lastModified: call.now };
  call.store.putPart(current, part);
  return { status: 200, headers: { ETag: part.etag } };
}

/** The parts a Complete body lists, in order, checked against the parts uploaded. */
function listedParts(call: ObsCall, root: ReturnType<typeof parseXmlRoot>, uploaded: ReadonlyMap<number, StoredPart>): StoredPart[] {
  if (!root || root.name !== 'CompleteMultipartUpload') throw malformedXml();
  const entries = childElements(root, 'Part');
  if (entries.length === 0) throw malformedXml();
  const parts: StoredPart[] = [];
  let previous = 0;
  for (const entry of entries) {
    const numberText = childText(entry, 'PartNumber')?.trim() ?? '';
    const etagText = childText(entry, 'ETag')?.trim();
    if (!/^\d+$/.test(numberText) || etagText === undefined) throw malformedXml();
    const partNumber = Number(numberText);
    if (partNumber <= previous) throw new ObsFailure(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
    previous = partNumber;
    const part = uploaded.get(partNumber);
    const wanted = etagText.replace(/"/g, '').toLowerCase();
    if (!part || part.etag.replace(/"/g, '') !== wanted) {
      throw new ObsFailure(400, 'InvalidPart', 'One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part\'s entity tag.', [
        ['UploadId', call.query.get('uploadId') ?? ''],
        ['PartNumber', partNumber],
        ['ETag', etagText],
      ]);
    }
    parts.push(part);
  }
  parts.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_BYTES) {
      throw new ObsFailure(400, 'EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size: every part but the last needs at least ${MIN_PART_BYTES} bytes.`, [
        ['PartNumber', part.partNumber],
        ['ProposedSize', part.size],
        ['MinSizeAllowed', MIN_PART_BYTES],
      ]);
    }
  });
  return parts;
}

export async function completeUpload(call: ObsCall, bucket: StoredBucket, key: string, uploadId: string): Promise<ObsAnswer> {
  call.store.upload(bucket, key, uploadId);
  const body = await call.body(MAX_COMPLETE_BODY, () => malformedXml());
  checkContentMd5(call, body);
  const upload = call.store.upload(bucket, key, uploadId);
  const parts = listedParts(call, parseXmlRoot(Buffer.concat(body.chunks)), upload.parts);
  const object = call.store.complete(bucket, upload, parts, call.now);
  return xmlAnswer(200, 'CompleteMultipartUploadResult', call.region, [
    ['Location', `/${bucket.name}/${key}`],
    ['Bucket', bucket.name],
    ['Key', key],
    ['ETag', object.etag],
  ]);
}

export function abortUpload(call: ObsCall, bucket: StoredBucket, key: string, uploadId: string): ObsAnswer {
  call.store.dropUpload(bucket, call.store.upload(bucket, key, uploadId));
  return { status: 204, headers: {} };
}

function intParam(call: ObsCall, name: string, fallback: number, min: number, max: number): number {
  const raw = call.query.get(name);
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw invalidArgument(`Invalid ${name}: ${raw}; expected an integer from ${min} to ${max}.`, name, raw);
  return value;
}

export function listParts(call: ObsCall, bucket: StoredBucket, key: string, uploadId: string): ObsAnswer {
  const upload = call.store.upload(bucket, key, uploadId);
  const maxParts = intParam(call, 'max-parts', MAX_PARTS_PAGE, 1, MAX_PARTS_PAGE);
  const marker = intParam(call, 'part-number-marker', 0, 0, MAX_PART_NUMBER);
  const all = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const parts = page.map((p): XmlChild => [
    'Part',
    [
      ['PartNumber', p.partNumber],
      ['LastModified', isoTime(p.lastModified)],
      ['ETag', p.etag],
      ['Size', p.size],
    ],
  ]);
  return xmlAnswer(200, 'ListPartsResult', call.region, [
    ['Bucket', bucket.name],
    ['Key', key],
    ['UploadId', uploadId],
    ['Initiator', [['ID', OWNER_ID]]],
    ['Owner', [['ID', OWNER_ID]]],
    ['StorageClass', 'STANDARD'],
    ['PartNumberMarker', marker],
    ['NextPartNumberMarker', page.length > 0 ? page[page.length - 1].partNumber : marker],
    ['MaxParts', maxParts],
    ['IsTruncated', truncated],
    ...parts,
  ]);
}
