// Buckets and listings: ListBuckets (which also teaches the client each bucket's region), CreateBucket, one
// page of ListObjects (asked URL-encoded, answered decoded), a folder pager that keeps each page's marker, and
// a walk over every key under a prefix.

import type { Redactor } from '../redact';
import { Pager, type Page, type PageRequest } from '../paging';
import { invalidObsBody, obsInputError } from './errors';
import { bucketNameProblem } from './limits';
import type { ObsRequester } from './requester';
import type { ObsBucket, ObsListEntry, ObsListPage, ObsListRequest, ObsObjectSummary } from './types';
import type { WireResponse } from '../wire';
import { escapeObsXml, parseObsXml, xmlChild, xmlChildren, xmlText, type ObsXmlNode } from './xml';

export const MAX_KEYS_PER_PAGE = 1000;

/** The root element of a 2xx XML body, which must be `expected`. */
export function xmlBodyOf(raw: WireResponse, expected: string, redactor: Redactor): ObsXmlNode {
  let root: ObsXmlNode | undefined;
  try {
    root = parseObsXml(raw.body.toString('utf8'));
  } catch {
    root = undefined;
  }
  if (!root || root.name !== expected) throw invalidObsBody(raw, `with ${expected}`, redactor);
  return root;
}

/** A URL-encoded value from a listing asked with `encoding-type=url` (`+` is a space there, `%2B` a plus). */
export function decodeListed(value: string, encoded: boolean): string {
  if (!encoded) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

export async function sendListBuckets(requester: ObsRequester, redactor: Redactor, signal?: AbortSignal): Promise<ObsBucket[]> {
  const raw = await requester.send({ method: 'GET', idempotent: true, signal, operation: 'obs.listBuckets' });
  const root = xmlBodyOf(raw, 'ListAllMyBucketsResult', redactor);
  const buckets = xmlChildren(xmlChild(root, 'Buckets'), 'Bucket').map(
    (node): ObsBucket => ({
      name: xmlText(node, 'Name') ?? '',
      creationDate: xmlText(node, 'CreationDate') ?? '',
      location: xmlText(node, 'Location') ?? '',
      bucketType: xmlText(node, 'BucketType') || 'OBJECT',
    }),
  );
  for (const bucket of buckets) requester.rememberLocation(bucket.name, bucket.location);
  return buckets.filter((bucket) => bucket.name !== '');
}

export async function sendCreateBucket(requester: ObsRequester, name: string, region: string, signal?: AbortSignal): Promise<void> {
  const problem = bucketNameProblem(name);
  if (problem) throw obsInputError(problem, 'InvalidBucketName');
  if (!/^[a-z0-9-]+$/.test(region)) throw obsInputError(`"${region}" is not a region name.`);
  const body = Buffer.from(`<CreateBucketConfiguration><Location>${escapeObsXml(region)}</Location></CreateBucketConfiguration>`);
  // The request goes to the new bucket's own region.
  requester.rememberLocation(name, region);
  // Not resent blindly: after a lost answer a second PUT says BucketAlreadyOwnedByYou.
  // No Content-Type, as the official SDKs send it.
  await requester.send({ method: 'PUT', bucket: name, body, idempotent: false, signal, operation: 'obs.createBucket' });
}

function summaryOf(node: ObsXmlNode, encoded: boolean): ObsObjectSummary {
  const storageClass = xmlText(node, 'StorageClass');
  return {
    key: decodeListed(xmlText(node, 'Key') ?? '', encoded),
    size: Number(xmlText(node, 'Size') ?? 0) || 0,
    etag: xmlText(node, 'ETag') ?? '',
    lastModified: xmlText(node, 'LastModified') ?? '',
    ...(storageClass ? { storageClass } : {}),
  };
}

export async function sendListObjects(requester: ObsRequester, redactor: Redactor, request: ObsListRequest): Promise<ObsListPage> {
  const maxKeys = Math.min(MAX_KEYS_PER_PAGE, Math.max(1, Math.floor(request.maxKeys ?? MAX_KEYS_PER_PAGE)));
  const query: Array<[string, string | undefined]> = [];
  if (request.prefix) query.push(['prefix', request.prefix]);
  if (request.marker) query.push(['marker', request.marker]);
  query.push(['max-keys', String(maxKeys)]);
  if (request.delimiter) query.push(['delimiter', request.delimiter]);
  query.push(['encoding-type', 'url']);
  const raw = await requester.send({ method: 'GET', bucket: request.bucket, query, idempotent: true, signal: request.signal, operation: 'obs.listObjects' });
  const root = xmlBodyOf(raw, 'ListBucketResult', redactor);
  // We asked for URL encoding; a service that ignores it says so by leaving EncodingType out.
  const encoded = (xmlText(root, 'EncodingType') ?? '').toLowerCase() === 'url';
  const objects = xmlChildren(root, 'Contents').map((node) => summaryOf(node, encoded));
  const prefixes = xmlChildren(root, 'CommonPrefixes')
    .map((node) => decodeListed(xmlText(node, 'Prefix') ?? '', encoded))
    .filter((prefix) => prefix !== '');
  const truncated = (xmlText(root, 'IsTruncated') ?? '').toLowerCase() === 'true';
  let nextMarker = xmlText(root, 'NextMarker') ? decodeListed(xmlText(root, 'NextMarker') ?? '', encoded) : undefined;
  if (truncated && !nextMarker) {
    // Without NextMarker, the last key or prefix returned is where the next page starts.
    const last = [...objects.map((o) => o.key), ...prefixes].sort().pop();
    nextMarker = last;
  }
  return { objects, prefixes, truncated: truncated && nextMarker !== undefined, ...(truncated && nextMarker ? { nextMarker } : {}) };
}

/**
 * A folder's entries, `pageSize` per page, sub-folders first on each page. Each page's marker is kept, so a
 * failed "Load more" can be tried again from the same place.
 */
export function folderPager(requester: ObsRequester, redactor: Redactor, bucket: string, prefix: string, pageSize: number): Pager<ObsListEntry> {
  const markers = new Map<number, string | undefined>([[0, undefined]]);
  const fetchPage = async (request: PageRequest): Promise<Page<ObsListEntry>> => {
    const page = await sendListObjects(requester, redactor, { bucket, prefix, delimiter: '/', marker: markers.get(request.page), maxKeys: request.limit, signal: request.signal });
    if (page.truncated) markers.set(request.page + 1, page.nextMarker);
    const folders = page.prefixes.map((p): ObsListEntry => ({ kind: 'folder', prefix: p }));
    // The folder's own placeholder object (`a/` in `a/`) is the folder itself, not an entry of it.
    const objects = page.objects.filter((o) => o.key !== prefix).map((o): ObsListEntry => ({ kind: 'object', ...o }));
    return { items: [...folders, ...objects], hasMore: page.truncated };
  };
  return new Pager(fetchPage, Math.min(MAX_KEYS_PER_PAGE, Math.max(1, Math.floor(pageSize))));
}

/** Every object under a prefix (no delimiter), page by page. */
export async function* listAll(requester: ObsRequester, redactor: Redactor, bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObsObjectSummary> {
  let marker: string | undefined;
  for (;;) {
    const page = await sendListObjects(requester, redactor, { bucket, prefix, marker, signal });
    yield* page.objects;
    if (!page.truncated || page.nextMarker === undefined || page.nextMarker === marker) return;
    marker = page.nextMarker;
  }
}
