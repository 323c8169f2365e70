import { createHmac, timingSafeEqual } from 'node:crypto';

// The OBS request signature (`Authorization: OBS ak:sig`) and the AWS V2 form OBS also accepts
// (`AWS ak:sig`, the same algorithm over `x-amz-` headers). Shared by the client and the emulator.

export type ObsSignatureScheme = 'OBS' | 'AWS';

/** The query keys OBS signs (its documented list); every other parameter (prefix, marker, …) is not signed. */
export const OBS_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'CDNNotifyConfiguration', 'acl', 'append', 'attname', 'backtosource', 'cors', 'customdomain', 'delete',
  'deletebucket', 'directcoldaccess', 'encryption', 'inventory', 'length', 'lifecycle', 'location', 'logging',
  'metadata', 'modify', 'name', 'notification', 'partNumber', 'policy', 'position', 'quota', 'rename',
  'replication', 'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires', 'restore', 'storageClass',
  'storagePolicy', 'storageinfo', 'tagging', 'torrent', 'truncate', 'uploadId', 'uploads', 'versionId',
  'versioning', 'versions', 'website', 'x-image-process', 'x-image-save-bucket', 'x-image-save-object',
  'x-obs-security-token', 'object-lock', 'retention', 'mirrorBackToSource', 'obscompresspolicy', 'orchestration',
]);

export interface ObsSigningInput {
  method: string;
  /**
   * The canonical resource's path: `/` for ListBuckets, `/{bucket}/` for a bucket, `/{bucket}/{encoded key}`
   * for an object, the key exactly as encoded in the request line (see `encodeObsKey`).
   */
  resource: string;
  /** The raw query string as sent, without `?` (values still encoded). */
  query: string;
  /** Every request header; names are matched case-insensitively, repeated values given as an array. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  scheme?: ObsSignatureScheme;
}

export interface ObsSigningKey {
  ak: string;
  sk: string;
}

function headerPrefix(scheme: ObsSignatureScheme): string {
  return scheme === 'OBS' ? 'x-obs-' : 'x-amz-';
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return value;
  }
}

function headerValues(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** The signed sub-resources of a raw query, decoded and sorted: `?acl`, `?partNumber=1&uploadId=…`, or ''. */
export function canonicalSubresources(query: string): string {
  const seen = new Map<string, string | undefined>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    // Only the first of repeated keys is signed (and used by the service).
    if (!OBS_SIGNED_SUBRESOURCES.has(key) || seen.has(key)) continue;
    const value = eq < 0 ? undefined : safeDecode(part.slice(eq + 1));
    seen.set(key, value);
  }
  if (seen.size === 0) return '';
  const keys = [...seen.keys()].sort();
  return '?' + keys.map((key) => (seen.get(key) ? `${key}=${seen.get(key) ?? ''}` : key)).join('&');
}

/** StringToSign: verb, Content-MD5, Content-Type, Date (empty when `x-obs-date` is sent), headers, resource. */
export function obsStringToSign(input: ObsSigningInput): string {
  const scheme = input.scheme ?? 'OBS';
  const prefix = headerPrefix(scheme);
  const byName = new Map<string, string[]>();
  for (const [rawName, value] of Object.entries(input.headers)) {
    const name = rawName.toLowerCase();
    const values = headerValues(value);
    if (values.length === 0) continue;
    byName.set(name, [...(byName.get(name) ?? []), ...values]);
  }
  const first = (name: string): string => byName.get(name)?.[0] ?? '';
  const signedDate = byName.has(`${prefix}date`) ? '' : first('date');
  const canonicalHeaders = [...byName.keys()]
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => `${name}:${(byName.get(name) ?? []).map((v) => v.trim()).join(',')}\n`)
    .join('');
  return [input.method.toUpperCase(), first('content-md5'), first('content-type'), signedDate, canonicalHeaders + input.resource + canonicalSubresources(input.query)].join('\n');
}

export function obsSignatureOf(sk: string, stringToSign: string): string {
  return createHmac('sha1', sk).update(stringToSign, 'utf8').digest('base64');
}

/** The `Authorization` header value for a request. */
export function obsAuthorization(key: ObsSigningKey, input: ObsSigningInput): string {
  return `${input.scheme ?? 'OBS'} ${key.ak}:${obsSignatureOf(key.sk, obsStringToSign(input))}`;
}

/** `OBS ak:sig` or `AWS ak:sig` taken apart; undefined for anything else. */
export function parseObsAuthorization(value: string | undefined): { scheme: ObsSignatureScheme; ak: string; signature: string } | undefined {
  const match = /^(OBS|AWS) ([^:\s]+):(\S+)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return { scheme: match[1] as ObsSignatureScheme, ak: match[2] ?? '', signature: match[3] ?? '' };
}

/** Constant-time comparison of two base64 signatures. */
export function obsSignaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * An object key as it goes into the request path and the signed resource: UTF-8 percent-encoded, `/` kept,
 * and `!*'()` encoded too, as the official SDKs do.
 */
export function encodeObsKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!*'()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** The query parameters of V2 query-string authentication (a presigned link) for OBS and AWS V2. */
export const OBS_QUERY_AUTH_KEYS = { OBS: 'AccessKeyId', AWS: 'AWSAccessKeyId' } as const;

/**
 * StringToSign of a presigned link: the header form's, with `Expires` (seconds since the epoch) where the Date
 * goes; a temporary AK's `x-obs-security-token` rides in the query, where it is a signed sub-resource.
 */
export function obsQueryStringToSign(input: ObsSigningInput & { expires: number }): string {
  const headers: Record<string, string | readonly string[] | undefined> = {};
  const prefix = headerPrefix(input.scheme ?? 'OBS');
  for (const [name, value] of Object.entries(input.headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'date' && lower !== `${prefix}date`) headers[lower] = value;
  }
  headers.date = String(input.expires);
  return obsStringToSign({ ...input, headers });
}

/**
 * A presigned GET link's query (`AccessKeyId=…&Expires=…&Signature=…`, then `extra`), the V2 query-string
 * authentication OBS documents; `resource` is `/{bucket}/{encoded key}`.
 */
export function presignedObsQuery(key: ObsSigningKey & { securityToken?: string }, resource: string, expires: number, extra: ReadonlyArray<readonly [string, string]> = []): string {
  const pairs: [string, string][] = extra.map(([k, v]) => [k, v]);
  if (key.securityToken !== undefined) pairs.push(['x-obs-security-token', key.securityToken]);
  const extraQuery = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const signature = obsSignatureOf(key.sk, obsQueryStringToSign({ method: 'GET', resource, query: extraQuery, headers: {}, expires }));
  const auth = `AccessKeyId=${encodeURIComponent(key.ak)}&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
  return extraQuery === '' ? auth : `${auth}&${extraQuery}`;
}
