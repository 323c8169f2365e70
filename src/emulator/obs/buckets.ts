import { encodeObsKey } from '../../api/obs/signer';
import { bucketNameProblem } from '../../api/obs/limits';
import { type ObsAnswer, type ObsCall, OWNER_ID, isoTime, xmlAnswer } from './call';
import { ObsFailure, invalidArgument, malformedXml } from './errors';
import type { StoredBucket } from './store';
import { type XmlChild, childText, escapeXml, parseXmlRoot } from './xml';

// Bucket-level operations: ListBuckets (every region), CreateBucket, HeadBucket, bucket location, DeleteBucket
// and ListObjects (prefix, delimiter, marker, max-keys, encoding-type=url).

const MAX_XML_BODY = 64 * 1024;
const MAX_KEYS = 1000;

export function listBuckets(call: ObsCall): ObsAnswer {
  const buckets = call.store.bucketList().map((b): XmlChild => [
    'Bucket',
    [
      ['Name', b.name],
      ['CreationDate', isoTime(b.created)],
      ['Location', b.region],
      ['BucketType', 'OBJECT'],
    ],
  ]);
  return xmlAnswer(200, 'ListAllMyBucketsResult', call.region, [
    ['Owner', [['ID', OWNER_ID]]],
    ['Buckets', buckets],
  ]);
}

export async function createBucket(call: ObsCall, name: string): Promise<ObsAnswer> {
  const problem = bucketNameProblem(name);
  if (problem) throw new ObsFailure(400, 'InvalidBucketName', `The specified bucket is not valid: ${problem}`, [['BucketName', name]]);
  const body = await call.body(MAX_XML_BODY, () => malformedXml());
  let region = call.region;
  if (body.size > 0) {
    const root = parseXmlRoot(Buffer.concat(body.chunks));
    if (!root || root.name !== 'CreateBucketConfiguration') throw malformedXml();
    const location = childText(root, 'Location')?.trim();
    if (location) {
      if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(location)) throw new ObsFailure(400, 'InvalidLocationConstraint', `The specified location constraint is not valid: ${location}.`);
      region = location;
    }
  }
  call.store.createBucket(name, region, call.now);
  return { status: 200, headers: { Location: `/${name}` } };
}

export function headBucket(bucket: StoredBucket): ObsAnswer {
  return { status: 200, headers: { 'x-obs-bucket-location': bucket.region, 'x-obs-bucket-type': 'OBJECT' } };
}

export function bucketLocation(call: ObsCall, bucket: StoredBucket): ObsAnswer {
  const xmlns = `http://obs.${call.region}.myhuaweicloud.com/doc/2015-06-30/`;
  const body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Location xmlns="${xmlns}">${escapeXml(bucket.region)}</Location>`;
  return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: Buffer.from(body, 'utf8') };
}

export function deleteBucket(call: ObsCall, bucket: StoredBucket): ObsAnswer {
  if (bucket.objects.size > 0 || bucket.uploads.size > 0) {
    throw new ObsFailure(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', [['BucketName', bucket.name]]);
  }
  call.store.deleteBucketRecord(bucket.name);
  return { status: 204, headers: {} };
}

function maxKeysOf(call: ObsCall): number {
  const raw = call.query.get('max-keys');
  if (raw === undefined || raw === '') return MAX_KEYS;
  if (!/^-?\d+$/.test(raw)) throw invalidArgument(`Invalid max-keys: ${raw}`, 'max-keys', raw);
  const value = Number(raw);
  // Out of range counts as the default, as the reference says.
  return value >= 1 && value <= MAX_KEYS ? value : MAX_KEYS;
}

/** Index of the first key after `target` (or at it, when `inclusive`), keys being in byte order. */
function boundOf(keys: readonly string[], target: string, inclusive: boolean): number {
  const wanted = Buffer.from(target, 'utf8');
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const order = Buffer.compare(Buffer.from(keys[mid], 'utf8'), wanted);
    if (order < 0 || (order === 0 && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface ListingPage {
  keys: string[];
  prefixes: string[];
  truncated: boolean;
  nextMarker: string | undefined;
}

function pageOf(keys: readonly string[], prefix: string, delimiter: string, marker: string, maxKeys: number): ListingPage {
  const page: ListingPage = { keys: [], prefixes: [], truncated: false, nextMarker: undefined };
  // The keys under a prefix are one run in byte order: start at the later of the prefix and the marker.
  const start = Math.max(boundOf(keys, prefix, true), boundOf(keys, marker, false));
  let last: string | undefined;
  for (let i = start; i < keys.length; i++) {
    const key = keys[i];
    if (!key.startsWith(prefix)) break;
    let rolled: string | undefined;
    if (delimiter !== '') {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) rolled = key.slice(0, at + delimiter.length);
    }
    if (rolled !== undefined && (rolled === last || (marker !== '' && marker.startsWith(rolled)))) continue;
    if (page.keys.length + page.prefixes.length >= maxKeys) {
      page.truncated = true;
      break;
    }
    if (rolled !== undefined) page.prefixes.push(rolled);
    else page.keys.push(key);
    last = rolled ?? key;
  }
  if (page.truncated) page.nextMarker = last;
  return page;
}

export function listObjects(call: ObsCall, bucket: StoredBucket): ObsAnswer {
  const prefix = call.query.get('prefix') ?? '';
  const delimiter = call.query.get('delimiter') ?? '';
  const marker = call.query.get('marker') ?? '';
  const encodingType = call.query.get('encoding-type');
  if (encodingType !== undefined && encodingType !== 'url') throw invalidArgument(`Invalid Encoding Method specified in Request: ${encodingType}`, 'encoding-type', encodingType);
  const maxKeys = maxKeysOf(call);
  const page = pageOf(call.store.sortedKeys(bucket), prefix, delimiter, marker, maxKeys);
  const out = (text: string): string => (encodingType === 'url' ? encodeObsKey(text) : text);
  const contents = page.keys.map((key): XmlChild => {
    const object = bucket.objects.get(key)!;
    return [
      'Contents',
      [
        ['Key', out(key)],
        ['LastModified', isoTime(object.lastModified)],
        ['ETag', object.etag],
        ['Size', object.size],
        ['Owner', [['ID', OWNER_ID]]],
        ['StorageClass', 'STANDARD'],
      ],
    ];
  });
  return xmlAnswer(
    200,
    'ListBucketResult',
    call.region,
    [
      ['Name', bucket.name],
      ['Prefix', out(prefix)],
      ['Marker', out(marker)],
      page.nextMarker === undefined ? undefined : ['NextMarker', out(page.nextMarker)],
      ['MaxKeys', maxKeys],
      delimiter === '' ? undefined : ['Delimiter', out(delimiter)],
      ['IsTruncated', page.truncated],
      encodingType === undefined ? undefined : ['EncodingType', encodingType],
      ...contents,
      ...page.prefixes.map((p): XmlChild => ['CommonPrefixes', [['Prefix', out(p)]]]),
    ],
    { 'x-obs-bucket-location': bucket.region },
  );
}
