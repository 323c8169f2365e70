import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// SDK-HMAC-SHA256, the AK/SK request signature of Huawei Cloud's API gateway.

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Query parameters in request order; a key may repeat. */
export type QueryPairs = ReadonlyArray<readonly [string, string]>;

export interface SigningInput {
  method: string;
  /** The request path as sent, without query, e.g. `/v1/{pid}/notebooks`. */
  path: string;
  query: QueryPairs;
  /** Headers to sign; names are matched case-insensitively. `host` and `x-sdk-date` must be present. */
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
}

export interface SigningKey {
  ak: string;
  sk: string;
}

export interface Signature {
  authorization: string;
  signedHeaders: string;
  signature: string;
  canonicalRequest: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const ALL_UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;

/** Percent-encodes everything except `A-Za-z0-9-_.~`, as the signer expects. */
export function encodeRfc3986(value: string): string {
  // Ids, paths and most query values need nothing: this runs for every segment of every request.
  if (ALL_UNRESERVED.test(value)) return value;
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) {
        out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
      }
    }
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The path decoded, each segment re-encoded, always ending in `/`. */
export function canonicalUri(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => encodeRfc3986(segment.includes('%') ? safeDecode(segment) : segment))
    .join('/');
  return encoded.endsWith('/') ? encoded : encoded + '/';
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pairs sorted by key, then value; both encoded; joined with `&`. */
export function canonicalQueryString(query: QueryPairs): string {
  return [...query]
    .sort(([ka, va], [kb, vb]) => compareCodeUnits(ka, kb) || compareCodeUnits(va, vb))
    .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
    .join('&');
}

/** The query string to put on the wire: the same encoding the signature uses, in request order. */
export function formatQueryString(query: QueryPairs): string {
  return query.map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`).join('&');
}

/** Parses a raw query string as a server sees it (`+` is a space, as form encoders send it). */
export function parseQueryString(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return [safeDecode(key.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))];
    });
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

let lastSdkDate = { second: Number.NaN, text: '' };

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatSdkDate(date: Date): string {
  // Every request is signed with it: the text changes once a second.
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSdkDate.second) lastSdkDate = { second, text: date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '') };
  return lastSdkDate.text;
}

/** Parses `YYYYMMDDTHHMMSSZ`; undefined when malformed. */
export function parseSdkDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const time = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(time) ? undefined : new Date(time);
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) map.set(name.toLowerCase(), value);
  return map;
}

/** Header names the signature covers: every header without `_`, lowercased and sorted. */
export function defaultSignedHeaders(headers: Readonly<Record<string, string>>): string[] {
  return signedNames(lowerCaseHeaders(headers));
}

function signedNames(lowered: ReadonlyMap<string, string>): string[] {
  return [...lowered.keys()].filter((name) => !name.includes('_')).sort(compareCodeUnits);
}

export function payloadHash(headers: Readonly<Record<string, string>>, body: string | Uint8Array | undefined): string {
  return payloadHashOf(lowerCaseHeaders(headers), body);
}

function payloadHashOf(lowered: ReadonlyMap<string, string>, body: string | Uint8Array | undefined): string {
  const declared = lowered.get('x-sdk-content-sha256');
  if (declared) return declared;
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return sha256Hex(body);
}

export function buildCanonicalRequest(input: SigningInput, signedHeaders: readonly string[]): string {
  return canonicalRequestOf(input, signedHeaders, lowerCaseHeaders(input.headers));
}

// The headers lowered once per signature: sign() passes the same map to every part.
function canonicalRequestOf(input: SigningInput, signedHeaders: readonly string[], headers: ReadonlyMap<string, string>): string {
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(headers.get(name) ?? '').trim()}\n`).join('');
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQueryString(input.query),
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHashOf(headers, input.body),
  ].join('\n');
}

export function stringToSign(sdkDate: string, canonicalRequest: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

export function hmacHex(sk: string, message: string): string {
  return createHmac('sha256', sk).update(message).digest('hex');
}

/** Signs the request. The caller adds `Authorization` to the headers it sends. */
export function sign(input: SigningInput, key: SigningKey, signedHeadersGiven?: readonly string[]): Signature {
  const lowered = lowerCaseHeaders(input.headers);
  const signedHeaders = signedHeadersGiven ?? signedNames(lowered);
  const sdkDate = lowered.get('x-sdk-date');
  if (!sdkDate) throw new Error('X-Sdk-Date header is required for signing');
  const canonicalRequest = canonicalRequestOf(input, signedHeaders, lowered);
  const signature = hmacHex(key.sk, stringToSign(sdkDate, canonicalRequest));
  const signedHeadersText = signedHeaders.join(';');
  return {
    authorization: `${SIGNING_ALGORITHM} Access=${key.ak}, SignedHeaders=${signedHeadersText}, Signature=${signature}`,
    signedHeaders: signedHeadersText,
    signature,
    canonicalRequest,
  };
}

export interface ParsedAuthorization {
  access: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`; undefined when it is not that. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header?.startsWith(SIGNING_ALGORITHM + ' ')) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(SIGNING_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const access = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!access || !signedHeaders || !signature) return undefined;
  return { access, signedHeaders: signedHeaders.split(';').filter(Boolean), signature };
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
