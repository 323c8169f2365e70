import { ObsFailure } from './errors';

// Which bucket and key a request names: from the Host (`<bucket>.obs.<region>.myhuaweicloud.com`, virtual-hosted)
// or from the first path segment (path-style, on a loopback name or the bare `obs.<region>…` service name, as the
// official SDK talks to an IP address). Also: which Host values the OBS listener answers at all.

const SERVICE_HOST = /^obs\.([a-z0-9-]+)\.myhuaweicloud\.com$/;
const BUCKET_HOST = /^(.+)\.obs\.([a-z0-9-]+)\.myhuaweicloud\.com$/;
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface ObsAddress {
  style: 'virtual' | 'path';
  /** The region the Host names; undefined on a loopback name. */
  hostRegion: string | undefined;
  /** Undefined for the service itself (ListBuckets). */
  bucket: string | undefined;
  /** The object key, decoded; undefined for a bucket-level request. */
  key: string | undefined;
  /** The key as it stands in the request line, still encoded (what the signature covers). */
  rawKey: string | undefined;
  /** The canonical resources a signature may cover (path-style bucket requests: with and without the `/`). */
  resources: string[];
}

/** The Host without its port, lower-cased. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}

function hostPort(host: string): string | undefined {
  const rest = host.startsWith('[') ? host.slice(host.indexOf(']') + 1) : host;
  const colon = rest.lastIndexOf(':');
  return colon < 0 ? undefined : rest.slice(colon + 1);
}

/**
 * Whether the OBS listener on `port` answers this Host: a loopback name (or the address it is bound to, or a
 * name a test gave) or an OBS service or bucket name, each with this port or none (the SDK sends no port).
 */
export function isOwnObsHost(host: string | undefined, port: number, boundHost: string, extraNames: readonly string[] = []): boolean {
  if (host === undefined) return false;
  const name = hostName(host);
  const given = hostPort(host);
  if (given !== undefined && given !== String(port)) return false;
  const bound = boundHost.includes(':') ? `[${boundHost.toLowerCase()}]` : boundHost.toLowerCase();
  if ([...LOOPBACK_NAMES, bound, ...extraNames.map((n) => n.toLowerCase())].includes(name)) return true;
  return SERVICE_HOST.test(name) || BUCKET_HOST.test(name);
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ObsFailure(400, 'InvalidURI', 'Couldn\'t parse the specified URI.');
  }
}

/** The bucket and key of a request; the Host was already judged by `isOwnObsHost`. */
export function obsAddress(host: string, rawPath: string): ObsAddress {
  const name = hostName(host);
  const virtual = BUCKET_HOST.exec(name);
  if (virtual) {
    const bucket = virtual[1];
    const rawKey = rawPath.length > 1 ? rawPath.slice(1) : undefined;
    const key = rawKey === undefined ? undefined : decodeKey(rawKey);
    return { style: 'virtual', hostRegion: virtual[2], bucket, key, rawKey, resources: [`/${bucket}${rawKey === undefined ? '/' : rawPath}`] };
  }
  const hostRegion = SERVICE_HOST.exec(name)?.[1];
  const segments = rawPath.split('/');
  const rawBucket = segments[1] ?? '';
  if (rawBucket === '') return { style: 'path', hostRegion, bucket: undefined, key: undefined, rawKey: undefined, resources: ['/'] };
  const bucket = decodeKey(rawBucket);
  const rawKeyPart = segments.slice(2).join('/');
  if (rawKeyPart === '') return { style: 'path', hostRegion, bucket, key: undefined, rawKey: undefined, resources: [`/${rawBucket}`, `/${rawBucket}/`] };
  return { style: 'path', hostRegion, bucket, key: decodeKey(rawKeyPart), rawKey: rawKeyPart, resources: [rawPath] };
}

