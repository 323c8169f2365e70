// A small OBS on port 0 for the OBS client's tests: buckets, objects, listings, batch delete and multipart in
// memory, the OBS signature checked on every request, both addressing styles, and faults on demand (a reset
// mid-body, a lost answer, any canned reply), with a record of every request.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo, type LookupFunction, type Socket } from 'node:net';
import { obsAuthorization, obsSignaturesEqual, parseObsAuthorization } from '../../../src/api/obs/signer';

export const FAKE_AK = 'AKFAKEOBS000000000001';
export const FAKE_SK = 'SKfakeObsSecret0000000000000000000000001';
/** Endpoints look like `obs.<region>.fake-cloud.test`; `obsLookup` sends every such name to loopback. */
export const FAKE_DOMAIN = 'fake-cloud.test';

export interface ObsRecorded {
  method: string;
  host: string;
  /** The raw path as received (still encoded). */
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  bucket?: string;
  key?: string;
  bodyBytes: number;
}

export type FakeFault =
  /** Reset the connection as soon as the request's body starts arriving. */
  | { kind: 'reset-mid-body' }
  /** Reset the connection after reading the request, without doing anything. */
  | { kind: 'reset' }
  /** Do the work, then reset instead of answering. */
  | { kind: 'lose-answer' }
  /** Never answer. */
  | { kind: 'stall' }
  /** A canned answer; `chunked` sends no Content-Length. */
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean };

interface StoredObject {
  body: Buffer;
  etag: string;
  contentType: string;
  metadata: Record<string, string>;
  uploadId?: string;
  lastModified: string;
}

interface Upload {
  bucket: string;
  key: string;
  contentType: string;
  parts: Map<number, { body: Buffer; etag: string }>;
}

export interface FakeObs {
  readonly url: string;
  readonly port: number;
  readonly requests: ObsRecorded[];
  readonly buckets: Map<string, { location: string; objects: Map<string, StoredObject> }>;
  readonly uploads: Map<string, Upload>;
  /** Faults, looked up for every request before it is served. */
  fault?: (request: ObsRecorded) => FakeFault | undefined;
  /** A security token that requests must carry (temporary credentials). */
  requiredToken?: string;
  addBucket(name: string, location?: string): void;
  put(bucket: string, key: string, body: string | Buffer): void;
  close(): Promise<void>;
}

/** Sends every host name to 127.0.0.1 (both the callback shapes Node uses). */
export const obsLookup: LookupFunction = (_hostname, options, callback) => {
  if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

const md5Hex = (data: Buffer): string => createHash('md5').update(data).digest('hex');
const requestId = (): string => randomBytes(16).toString('hex').toUpperCase();
const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const urlEncode = (text: string): string => encodeURIComponent(text);

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId()}</RequestId></Error>`;
}

function sendXml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': String(Buffer.byteLength(body)), 'x-obs-request-id': requestId(), ...headers });
  res.end(body);
}

function sendError(res: ServerResponse, method: string, status: number, code: string, message: string): void {
  if (method === 'HEAD') {
    res.writeHead(status, { 'x-obs-request-id': requestId(), 'x-obs-error-code': code, 'x-obs-error-message': message });
    res.end();
    return;
  }
  sendXml(res, status, errorXml(code, message));
}

function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)));
  }
  return out;
}

/** Bucket and key from Host (virtual-hosted) or the path (path-style on an IP). */
function addressOf(host: string, rawPath: string): { bucket?: string; encodedKey: string } {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (isIP(name)) {
    const [, bucket = '', ...rest] = rawPath.split('/');
    return bucket ? { bucket, encodedKey: rest.join('/') } : { encodedKey: '' };
  }
  const match = /^(.+)\.obs\.[a-z0-9-]+\./.exec(name);
  return match ? { bucket: match[1], encodedKey: rawPath.slice(1) } : { encodedKey: '' };
}

export async function startFakeObs(): Promise<FakeObs> {
  const requests: ObsRecorded[] = [];
  const buckets: FakeObs['buckets'] = new Map();
  const uploads: FakeObs['uploads'] = new Map();
  const sockets = new Set<Socket>();

  const fake: FakeObs = {
    url: '',
    port: 0,
    requests,
    buckets,
    uploads,
    addBucket(name, location = 'cn-north-4') {
      buckets.set(name, { location, objects: new Map() });
    },
    put(bucket, key, body) {
      const data = Buffer.from(body);
      buckets.get(bucket)?.objects.set(key, { body: data, etag: `"${md5Hex(data)}"`, contentType: 'application/octet-stream', metadata: {}, lastModified: new Date().toISOString() });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((req, res) => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const rawQuery = q < 0 ? '' : raw.slice(q + 1);
    const host = req.headers.host ?? '';
    const { bucket, encodedKey } = addressOf(host, path);
    let key: string | undefined;
    try {
      key = encodedKey ? decodeURIComponent(encodedKey) : undefined;
    } catch {
      key = undefined;
    }
    const recorded: ObsRecorded = { method: req.method ?? 'GET', host, path, rawQuery, headers: req.headers, bucket, key, bodyBytes: 0 };
    requests.push(recorded);
    const fault = fake.fault?.(recorded);
    if (fault?.kind === 'reset-mid-body') {
      req.once('data', () => req.socket.resetAndDestroy());
      req.once('end', () => req.socket.resetAndDestroy());
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      recorded.bodyBytes += chunk.length;
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (fault?.kind === 'reset') return req.socket.resetAndDestroy();
      if (fault?.kind === 'stall') return;
      if (fault?.kind === 'reply') {
        const payload = fault.body ?? '';
        res.writeHead(fault.status, { ...(fault.chunked ? {} : { 'Content-Length': String(Buffer.byteLength(payload)) }), ...fault.headers });
        res.end(payload);
        return;
      }
      const target = fault?.kind === 'lose-answer' ? loseAnswer(res) : res;
      serve(fake, req, target, { bucket, encodedKey, key, rawQuery, body, path });
      if (fault?.kind === 'lose-answer') req.socket.resetAndDestroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, { url: `http://127.0.0.1:${port}`, port });
}

/** A response whose writes go nowhere: the work is done, the answer is lost. */
function loseAnswer(res: ServerResponse): ServerResponse {
  return new Proxy(res, {
    get(target, name) {
      if (name === 'writeHead' || name === 'end' || name === 'write') return () => target;
      return Reflect.get(target, name, target) as unknown;
    },
  });
}

interface Parsed {
  bucket?: string;
  encodedKey: string;
  key?: string;
  rawQuery: string;
  body: Buffer;
  path: string;
}

function checkSignature(fake: FakeObs, req: IncomingMessage, parsed: Parsed): string | undefined {
  const auth = parseObsAuthorization(req.headers.authorization);
  if (!auth || auth.scheme !== 'OBS') return 'AccessDenied';
  if (auth.ak !== FAKE_AK) return 'InvalidAccessKeyId';
  if (fake.requiredToken && req.headers['x-obs-security-token'] !== fake.requiredToken) return 'InvalidToken';
  const resource = parsed.bucket === undefined ? '/' : `/${parsed.bucket}/${parsed.encodedKey}`;
  const expected = obsAuthorization({ ak: FAKE_AK, sk: FAKE_SK }, { method: req.method ?? 'GET', resource, query: parsed.rawQuery, headers: req.headers });
  return obsSignaturesEqual(expected, req.headers.authorization ?? '') ? undefined : 'SignatureDoesNotMatch';
}

function serve(fake: FakeObs, req: IncomingMessage, res: ServerResponse, parsed: Parsed): void {
  const method = req.method ?? 'GET';
  const refused = checkSignature(fake, req, parsed);
  if (refused) return sendError(res, method, 403, refused, 'The request signature we calculated does not match the signature you provided.');
  const md5 = req.headers['content-md5'];
  if (typeof md5 === 'string' && createHash('md5').update(parsed.body).digest('base64') !== md5) return sendError(res, method, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
  const query = parseQuery(parsed.rawQuery);
  if (parsed.bucket === undefined) return listBuckets(fake, res);
  const bucket = fake.buckets.get(parsed.bucket);
  if (method === 'PUT' && !parsed.key && query.size === 0) {
    if (bucket) return sendError(res, method, 409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
    const location = /<Location>([^<]*)<\/Location>/.exec(parsed.body.toString())?.[1] ?? 'cn-north-4';
    fake.addBucket(parsed.bucket, location);
    return sendXml(res, 200, '');
  }
  if (!bucket) return sendError(res, method, 404, 'NoSuchBucket', 'The specified bucket does not exist');
  const headers = { 'x-obs-bucket-location': bucket.location };
  if (!parsed.key) {
    if (method === 'GET') return listObjects(bucket.objects, query, res, headers);
    if (method === 'POST' && query.has('delete')) return deleteMany(bucket.objects, parsed.body, res);
    return sendError(res, method, 405, 'MethodNotAllowed', 'Specified method is not supported.');
  }
  serveObject(fake, { name: parsed.bucket, ...bucket }, parsed.key, method, query, req, res, parsed.body);
}

function listBuckets(fake: FakeObs, res: ServerResponse): void {
  const rows = [...fake.buckets].map(([name, b]) => `<Bucket><Name>${name}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate><Location>${b.location}</Location><BucketType>OBJECT</BucketType></Bucket>`).join('');
  sendXml(res, 200, `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://obs.example/doc/2015-06-30/"><Owner><ID>x</ID></Owner><Buckets>${rows}</Buckets></ListAllMyBucketsResult>`);
}

function listObjects(objects: Map<string, StoredObject>, query: Map<string, string>, res: ServerResponse, headers: Record<string, string>): void {
  const prefix = query.get('prefix') ?? '';
  const marker = query.get('marker') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Number(query.get('max-keys') ?? 1000) || 1000);
  const enc = query.get('encoding-type') === 'url' ? urlEncode : escapeXml;
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > marker).sort();
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    if (common !== undefined && common <= marker) continue;
    if (common !== undefined && prefixes.includes(common)) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      last = common;
    } else {
      const o = objects.get(key)!;
      contents.push(`<Contents><Key>${enc(key)}</Key><LastModified>${o.lastModified}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
      last = key;
    }
  }
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://obs.example/doc/2015-06-30/"><Name>b</Name><Prefix>${enc(prefix)}</Prefix><Marker>${enc(marker)}</Marker>` +
    `<MaxKeys>${maxKeys}</MaxKeys>${delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : ''}<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextMarker>${enc(last)}</NextMarker>` : ''}` +
    `${query.get('encoding-type') === 'url' ? '<EncodingType>url</EncodingType>' : ''}${contents.join('')}${prefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`).join('')}</ListBucketResult>`;
  sendXml(res, 200, body, headers);
}

function deleteMany(objects: Map<string, StoredObject>, body: Buffer, res: ServerResponse): void {
  const text = body.toString('utf8');
  const encoded = /<EncodingType>url<\/EncodingType>/.test(text);
  const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#13;/g, '\r').replace(/&amp;/g, '&');
  const keys = [...text.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => (encoded ? decodeURIComponent(m[1]) : unescape(m[1])));
  if (keys.length > 1000) return sendXml(res, 400, errorXml('MalformedXML', 'More than 1000 keys.'));
  for (const key of keys) objects.delete(key);
  const rows = keys.map((key) => `<Deleted><Key>${encoded ? urlEncode(key) : escapeXml(key)}</Key></Deleted>`).join('');
  sendXml(res, 200, `<?xml version="1.0" encoding="UTF-8"?><DeleteResult>${rows}</DeleteResult>`);
}

function objectHeaders(o: StoredObject): Record<string, string> {
  const headers: Record<string, string> = { ETag: o.etag, 'Content-Type': o.contentType, 'Last-Modified': new Date(o.lastModified).toUTCString(), 'x-obs-request-id': requestId() };
  for (const [name, value] of Object.entries(o.metadata)) headers[`x-obs-meta-${name}`] = value;
  if (o.uploadId) headers['x-obs-uploadId'] = o.uploadId;
  return headers;
}

function serveObject(fake: FakeObs, bucket: { name: string; objects: Map<string, StoredObject> }, key: string, method: string, query: Map<string, string>, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const uploadId = query.get('uploadId');
  if (method === 'POST' && query.has('uploads')) {
    const id = randomBytes(16).toString('hex').toUpperCase();
    fake.uploads.set(id, { bucket: bucket.name, key, contentType: String(req.headers['content-type'] ?? ''), parts: new Map() });
    return sendXml(res, 200, `<InitiateMultipartUploadResult><Bucket>${bucket.name}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
  }
  if (uploadId !== undefined) {
    const upload = fake.uploads.get(uploadId);
    if (!upload || upload.key !== key) return sendError(res, method, 404, 'NoSuchUpload', 'The specified upload does not exist.');
    if (method === 'PUT') {
      const etag = `"${md5Hex(body)}"`;
      upload.parts.set(Number(query.get('partNumber')), { body, etag });
      res.writeHead(200, { ETag: etag, 'Content-Length': '0', 'x-obs-request-id': requestId() });
      return void res.end();
    }
    if (method === 'DELETE') {
      fake.uploads.delete(uploadId);
      res.writeHead(204, { 'x-obs-request-id': requestId() });
      return void res.end();
    }
    if (method === 'POST') return complete(fake, bucket.objects, uploadId, upload, body, res);
  }
  const object = bucket.objects.get(key);
  if (method === 'PUT') {
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (name.startsWith('x-obs-meta-')) metadata[name.slice(11)] = String(value);
    const stored = { body, etag: `"${md5Hex(body)}"`, contentType: String(req.headers['content-type'] ?? ''), metadata, lastModified: new Date().toISOString() };
    bucket.objects.set(key, stored);
    res.writeHead(200, { ETag: stored.etag, 'Content-Length': '0', 'x-obs-request-id': requestId() });
    return void res.end();
  }
  if (method === 'DELETE') {
    bucket.objects.delete(key);
    res.writeHead(204, { 'x-obs-request-id': requestId() });
    return void res.end();
  }
  if (!object) return sendError(res, method, 404, 'NoSuchKey', 'The specified key does not exist.');
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  const start = range ? Number(range[1]) : 0;
  const end = range && range[2] ? Math.min(Number(range[2]), object.body.length - 1) : object.body.length - 1;
  const slice = object.body.subarray(start, end + 1);
  const headers = { ...objectHeaders(object), 'Content-Length': String(method === 'HEAD' ? object.body.length : slice.length) };
  if (range) Object.assign(headers, { 'Content-Range': `bytes ${start}-${end}/${object.body.length}` });
  res.writeHead(range ? 206 : 200, headers);
  res.end(method === 'HEAD' ? undefined : slice);
}

function complete(fake: FakeObs, objects: Map<string, StoredObject>, uploadId: string, upload: Upload, body: Buffer, res: ServerResponse): void {
  const listed = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag>/g)].map((m) => ({ number: Number(m[1]), etag: m[2].replace(/&quot;/g, '"') }));
  for (let i = 1; i < listed.length; i++) if (listed[i].number <= listed[i - 1].number) return sendXml(res, 400, errorXml('InvalidPartOrder', 'The parts are not in ascending order.'));
  const bodies: Buffer[] = [];
  for (const part of listed) {
    const stored = upload.parts.get(part.number);
    if (!stored || stored.etag.replace(/"/g, '') !== part.etag.replace(/"/g, '')) return sendXml(res, 400, errorXml('InvalidPart', `Part ${part.number} is missing or its ETag differs.`));
    bodies.push(stored.body);
  }
  const md5s = Buffer.concat(listed.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
  const etag = `"${md5Hex(md5s)}-${listed.length}"`;
  objects.set(upload.key, { body: Buffer.concat(bodies), etag, contentType: upload.contentType, metadata: {}, uploadId, lastModified: new Date().toISOString() });
  fake.uploads.delete(uploadId);
  sendXml(res, 200, `<CompleteMultipartUploadResult><Location>/${upload.bucket}/${escapeXml(upload.key)}</Location><Bucket>${upload.bucket}</Bucket><Key>${escapeXml(upload.key)}</Key><ETag>${etag}</ETag></CompleteMultipartUploadResult>`);
}
