import { createHash } from 'node:crypto';
import { Agent, request as httpRequestRaw } from 'node:http';
import type { LookupFunction } from 'node:net';
import { encodeObsKey, obsAuthorization, type ObsSignatureScheme } from '../../../../src/api/obs/signer';
import type { RunningEmulator } from '../../../../src/emulator/server';
import type { AnyJson, HttpResult } from '../../helpers/emulatorHelpers';

// OBS requests against the emulator for the tests: signed by hand (path-style on 127.0.0.1 or virtual-hosted
// names), read back as text and parsed XML, and the official SDK (esdk-obs-nodejs) pointed at the emulator.

export interface ObsFetchOptions {
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** `path` (default): Host 127.0.0.1:<port>, `/bucket/key`; `virtual`: Host `<bucket>.obs.<region>.myhuaweicloud.com`. */
  style?: 'path' | 'virtual';
  region?: string;
  credentials?: { ak: string; sk: string; securityToken?: string };
  scheme?: ObsSignatureScheme;
  /** The Date header; default the real now. */
  date?: Date | string;
  /** Send without an Authorization header. */
  unsigned?: boolean;
  /** Change the request after signing (tampering tests). */
  tamper?: (wire: { path: string; headers: Record<string, string> }) => void;
  /** Add Content-MD5 of the body. */
  md5?: boolean;
}

export function md5Base64(body: string | Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

export function md5Hex(body: string | Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

function port(emu: RunningEmulator): number {
  return Number(new URL(emu.obsEndpoint).port);
}

/** A signed OBS request; `bucket` and `key` undefined for the service, `key` undefined for a bucket. */
export function obsFetch(emu: RunningEmulator, method: string, bucket: string | undefined, key: string | undefined, options: ObsFetchOptions = {}): Promise<HttpResult> {
  const style = options.style ?? 'path';
  const region = options.region ?? emu.region;
  const encodedKey = key === undefined ? undefined : encodeObsKey(key);
  let host: string;
  let path: string;
  let resource: string;
  if (style === 'virtual') {
    host = bucket === undefined ? `obs.${region}.myhuaweicloud.com:${port(emu)}` : `${bucket}.obs.${region}.myhuaweicloud.com:${port(emu)}`;
    path = encodedKey === undefined ? '/' : `/${encodedKey}`;
    resource = bucket === undefined ? '/' : `/${bucket}/${encodedKey ?? ''}`;
  } else {
    host = `127.0.0.1:${port(emu)}`;
    path = bucket === undefined ? '/' : encodedKey === undefined ? `/${bucket}` : `/${bucket}/${encodedKey}`;
    resource = path;
  }
  const query = options.query ?? '';
  const headers: Record<string, string> = { Host: host, ...options.headers };
  const date = options.date ?? new Date(emu.gatewayClock.now());
  headers.Date = typeof date === 'string' ? date : date.toUTCString();
  if (options.body !== undefined && options.md5) headers['Content-MD5'] = md5Base64(options.body);
  const credentials: { ak: string; sk: string; securityToken?: string } = options.credentials ?? emu.credentials;
  const prefix = (options.scheme ?? 'OBS') === 'OBS' ? 'x-obs-' : 'x-amz-';
  if (credentials.securityToken !== undefined) headers[`${prefix}security-token`] = credentials.securityToken;
  if (!options.unsigned) {
    headers.Authorization = obsAuthorization(credentials, { method, resource, query, headers, scheme: options.scheme ?? 'OBS' });
  }
  const wire = { path: query === '' ? path : `${path}?${query}`, headers };
  options.tamper?.(wire);
  return rawObs(emu, method, wire.path, wire.headers, options.body);
}

/** One request to the OBS listener as given (no signing). */
export function rawObs(emu: RunningEmulator, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const all = { ...headers };
    if (body !== undefined && !Object.keys(all).some((h) => h.toLowerCase() === 'content-length')) all['Content-Length'] = String(Buffer.byteLength(body));
    const req = httpRequestRaw({ host: '127.0.0.1', port: port(emu), method, path, headers: all, agent: false, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buffer, text: buffer.toString('utf8'), json: undefined });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The text of the first `<name>` in an XML answer (these tests read small documents). */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1];
}

export function xmlFields(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}

/** A DNS lookup that sends every name to 127.0.0.1 (virtual-hosted names reach the emulator). */
export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if (typeof options === 'object' && options.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

// The official SDK has no typings; tests call it loosely.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ObsClient = require('esdk-obs-nodejs') as new (options: Record<string, unknown>) => AnyJson;

export interface SdkOptions {
  style: 'path' | 'virtual';
  negotiation?: boolean;
  credentials?: { ak: string; sk: string; securityToken?: string };
}

/** The official SDK pointed at the emulator: path-style at 127.0.0.1 (AWS V2) or the region's name (OBS). */
export async function sdkClient(emu: RunningEmulator, options: SdkOptions): Promise<AnyJson> {
  const credentials: { ak: string; sk: string; securityToken?: string } = options.credentials ?? emu.credentials;
  const server = options.style === 'path' ? emu.obsEndpoint : `http://obs.${emu.region}.myhuaweicloud.com:${port(emu)}`;
  const client = new ObsClient({
    access_key_id: credentials.ak,
    secret_access_key: credentials.sk,
    security_token: credentials.securityToken,
    server,
    is_signature_negotiation: options.negotiation ?? false,
    http_agent: new Agent({ lookup: loopbackLookup }),
    max_retry_count: 0,
    timeout: 20,
  });
  // The constructor starts an asynchronous set-up it does not wait for.
  await new Promise((resolve) => setTimeout(resolve, 10));
  return client;
}
