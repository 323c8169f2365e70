// Our requests against the official OBS Node.js SDK's (esdk-obs-nodejs, devDependency) for the same operations:
// both clients talk to one recording loopback server with the same date, and the Authorization headers (and
// the paths as sent) must be equal. Keys with & < spaces + % control characters and non-ASCII, metadata, and
// temporary credentials with a security token.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, Agent, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { createObsClient } from '../../../../src/api/obs/client';
import { obsStringToSign } from '../../../../src/api/obs/signer';
import type { ObsClient } from '../../../../src/api/obs/types';
import { parseObsXml, xmlChildren, xmlText } from '../../../../src/api/obs/xml';
import { obsLookup } from '../../helpers/fakeObs';
import { InstantClock, tempFolder } from './obsRig';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface SdkResult {
  CommonMsg: { Status: number; Code?: string; Message?: string };
}
type SdkCall = (params: Record<string, unknown>) => Promise<SdkResult>;
interface SdkClient {
  [operation: string]: SdkCall | (() => void);
}
type SdkConstructor = new (options: Record<string, unknown>) => SdkClient;

const FIXED = Date.UTC(2024, 0, 2, 3, 4, 5);
const UPLOAD_ID = '00000163D40171ED8DF4050919BD02B8';
const AK = 'AKEXAMPLE0000000000';
const SK = 'SKexample0000000000000000000000000000000';
const TOKEN = 'SECURITYTOKENEXAMPLE+/=';

const KEYS = ['plain.txt', 'a&b.txt', 'x<y>z.txt', 'with space/and+plus.txt', '100%.txt', 'ctl\u0001\u001f\ttab', 'new\nline', '数据/模型 ü é.bin', "q'(!*)~.txt", 'deep/a/b/c/'];

/** Answers what each client needs to carry on, and records every request. */
async function startRecorder(): Promise<{ port: number; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = req.url ?? '/';
      let xml = '';
      if (req.method === 'GET' && /^\/(\?|$)/.test(url)) {
        xml = /^(obs\.)/.test(req.headers.host ?? '') ? '<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>' : '<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>';
      } else if (url.includes('?uploads')) xml = `<InitiateMultipartUploadResult><UploadId>${UPLOAD_ID}</UploadId></InitiateMultipartUploadResult>`;
      else if (url.includes('?delete')) xml = '<DeleteResult/>';
      else if (req.method === 'POST') xml = '<CompleteMultipartUploadResult><ETag>"x-2"</ETag></CompleteMultipartUploadResult>';
      const etag = `"${createHash('md5').update(body).digest('hex')}"`;
      res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'Content-Type': 'application/xml', ETag: etag, 'Content-Length': String(Buffer.byteLength(xml)) });
      res.end(req.method === 'HEAD' ? undefined : xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs `work` with `new Date()` fixed, as the SDK reads the time that way. */
async function atFixedDate<T>(work: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(FIXED);
      else super(...(args as [string]));
    }
    static override now(): number {
      return FIXED;
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
  }
}

async function sdkClient(port: number, token: string | undefined): Promise<SdkClient> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK is CommonJS without typings
  const ObsSdk = require('esdk-obs-nodejs') as SdkConstructor;
  const agent = new Agent({ lookup: obsLookup });
  const client = new ObsSdk({
    access_key_id: token ? 'TEMPAKEXAMPLE' : AK,
    secret_access_key: token ? 'TEMPSKexample' : SK,
    ...(token ? { security_token: token } : {}),
    server: `http://obs.cn-north-4.myhuaweicloud.com:${port}`,
    signature: 'obs',
    is_signature_negotiation: false,
    http_agent: agent,
    max_retry_count: 0,
  });
  // Its constructor finishes setting up one tick later.
  await new Promise<void>((resolve) => setTimeout(resolve, 5));
  return client;
}

function ourClient(port: number, token: string | undefined): ObsClient {
  return createObsClient({
    endpoint: `http://obs.cn-north-4.myhuaweicloud.com:${port}`,
    region: 'cn-north-4',
    credentials: () => Promise.resolve(token ? { ak: 'TEMPAKEXAMPLE', sk: 'TEMPSKexample', securityToken: token } : { ak: AK, sk: SK }),
    lookup: obsLookup,
    clock: new InstantClock(FIXED),
    multipartThreshold: 150 * 1024,
  });
}

const md5 = (data: Buffer | string): string => createHash('md5').update(data).digest('base64');

/** A recording server, the official SDK and our client pointed at it, and `call` for the SDK at the fixed date. */
async function crossCheckRig(t: TestContext, token: string | undefined) {
  const recorder = await startRecorder();
  t.after(() => recorder.close());
  const folder = tempFolder(t);
  const sdk = await sdkClient(recorder.port, token);
  const ours = ourClient(recorder.port, token);
  t.after(() => ours.dispose());
  const call = (name: string, params: Record<string, unknown>): Promise<SdkResult> => atFixedDate(() => (sdk[name] as SdkCall).call(sdk, params));
  return { recorder, folder, ours, call };
}

describe('OBS signatures: ours equal the official SDK’s for the same requests', () => {
  for (const token of [undefined, TOKEN]) {
    test(`object operations for ${KEYS.length} awkward keys ${token ? 'with temporary credentials' : 'with permanent AK/SK'}`, async (t) => {
      const { recorder, folder, ours, call } = await crossCheckRig(t, token);
      const file = join(folder, 'body.py');
      writeFileSync(file, 'print("hi")\n');
      let compared = 0;
      const same = async (what: string, sdkSide: () => Promise<unknown>, ourSide: () => Promise<unknown>): Promise<void> => {
        const start = recorder.requests.length;
        await sdkSide();
        const theirs = recorder.requests.slice(start);
        await ourSide();
        const mine = recorder.requests.slice(start + theirs.length);
        assert.equal(theirs.length, 1, `${what}: one SDK request`);
        assert.equal(mine.length, 1, `${what}: one request of ours`);
        assert.equal(mine[0].headers.date, theirs[0].headers.date, `${what}: same date`);
        assert.equal(mine[0].url.split('?')[0], theirs[0].url.split('?')[0], `${what}: same path`);
        assert.equal(mine[0].headers.authorization, theirs[0].headers.authorization, `${what}: same Authorization`);
        compared++;
      };
      for (const key of KEYS) {
        await same(`PUT ${JSON.stringify(key)}`, () => call('putObject', { Bucket: 'my-bucket', Key: key, SourceFile: file, ContentType: 'text/x-python', ContentMD5: md5('print("hi")\n'), Metadata: { origin: 'vscode', 'two-words': 'a b' } }), () => ours.putObject('my-bucket', key, { file }, { contentType: 'text/x-python', metadata: { origin: 'vscode', 'two-words': ' a b ' } }));
        await same(`GET ${JSON.stringify(key)}`, () => call('getObject', { Bucket: 'my-bucket', Key: key }), () => ours.getObject('my-bucket', key, { maxBytes: 100 }));
        await same(`GET range ${JSON.stringify(key)}`, () => call('getObject', { Bucket: 'my-bucket', Key: key, Range: 'bytes=2-9' }), () => ours.getObject('my-bucket', key, { maxBytes: 100, range: { start: 2, end: 9 } }));
        await same(`HEAD ${JSON.stringify(key)}`, () => call('getObjectMetadata', { Bucket: 'my-bucket', Key: key }), () => ours.headObject('my-bucket', key));
        await same(`DELETE ${JSON.stringify(key)}`, () => call('deleteObject', { Bucket: 'my-bucket', Key: key }), () => ours.deleteObject('my-bucket', key));
      }
      await same('ListBuckets', () => call('listBuckets', {}), () => ours.listBuckets());
      await same('ListObjects', () => call('listObjects', { Bucket: 'my-bucket', Prefix: 'a b/&', Delimiter: '/', Marker: 'a b/&x', MaxKeys: 10, EncodingType: 'url' }), () => ours.listObjects({ bucket: 'my-bucket', prefix: 'a b/&', delimiter: '/', marker: 'a b/&x', maxKeys: 10 }));
      await same('CreateBucket', () => call('createBucket', { Bucket: 'new-bucket', Location: 'cn-east-3' }), () => ours.createBucket('new-bucket', { region: 'cn-east-3' }));
      // The SDK writes `<`, `>` and CR into its XML unescaped (a malformed body), and XML cannot carry control
      // characters at all (we send those batches URL-encoded): the batch compared leaves them out.
      const keys = KEYS.filter((key) => !/[<>\r\u0001\u001f]/.test(key));
      await same('DeleteObjects', () => call('deleteObjects', { Bucket: 'my-bucket', Quiet: false, Objects: keys.map((Key) => ({ Key })) }), () => ours.deleteObjects('my-bucket', keys));
      assert.equal(compared, KEYS.length * 5 + 4);
      const start = recorder.requests.length;
      await call('deleteObjects', { Bucket: 'my-bucket', Quiet: false, Objects: [{ Key: 'x<y>z.txt' }] });
      await ours.deleteObjects('my-bucket', ['x<y>z.txt']);
      const [sdkBody, ourBody] = recorder.requests.slice(start).map((r) => r.body.toString('utf8'));
      assert.throws(() => parseObsXml(sdkBody), 'the SDK’s body for a key with < is not XML');
      assert.deepEqual(xmlChildren(parseObsXml(ourBody), 'Object').map((o) => xmlText(o, 'Key')), ['x<y>z.txt']);
    });

    test(`multipart requests ${token ? 'with temporary credentials' : 'with permanent AK/SK'}: initiate, parts and abort equal; complete differs only by our Content-MD5`, async (t) => {
      const { recorder, folder, ours, call } = await crossCheckRig(t, token);
      const file = join(folder, 'big.bin');
      const data = Buffer.alloc(300 * 1024, 5);
      data.fill(6, 200 * 1024);
      writeFileSync(file, data);
      const key = '模型/ckpt & <1>.bin';

      await ours.uploadFile('my-bucket', key, file, { partSize: 200 * 1024, parallel: 1, contentType: 'application/octet-stream', metadata: { origin: 'vscode' } });
      const mine = recorder.requests.splice(0);
      assert.deepEqual(mine.map((r) => `${r.method} ${r.url.split('?')[1] ?? ''}`), ['POST uploads', `PUT partNumber=1&uploadId=${UPLOAD_ID}`, `PUT partNumber=2&uploadId=${UPLOAD_ID}`, `POST uploadId=${UPLOAD_ID}`]);

      await call('initiateMultipartUpload', { Bucket: 'my-bucket', Key: key, ContentType: 'application/octet-stream', Metadata: { origin: 'vscode' } });
      for (const [index, part] of [[0, 200 * 1024], [200 * 1024, 100 * 1024]].entries()) {
        await call('uploadPart', { Bucket: 'my-bucket', Key: key, PartNumber: index + 1, UploadId: UPLOAD_ID, SourceFile: file, Offset: part[0], PartSize: part[1], ContentMD5: md5(data.subarray(part[0], part[0] + part[1])) });
      }
      const etags = mine.slice(1, 3).map((r) => `"${createHash('md5').update(r.body).digest('hex')}"`);
      await call('completeMultipartUpload', { Bucket: 'my-bucket', Key: key, UploadId: UPLOAD_ID, Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) });
      const theirs = recorder.requests.splice(0);
      for (let i = 0; i < 3; i++) {
        assert.equal(mine[i].url, theirs[i].url, `request ${i}: same path and query`);
        assert.equal(mine[i].headers.authorization, theirs[i].headers.authorization, `request ${i}: same Authorization`);
      }
      // Complete: the same body and resource; we add Content-MD5 (the service checks it), so only that line differs.
      assert.deepEqual(mine[3].body, theirs[3].body);
      assert.equal(mine[3].url, theirs[3].url);
      const stringToSign = (r: Recorded): string => obsStringToSign({ method: r.method, resource: `/my-bucket${r.url.split('?')[0]}`, query: r.url.split('?')[1] ?? '', headers: r.headers });
      assert.equal(stringToSign(mine[3]).replace(String(mine[3].headers['content-md5']), ''), stringToSign(theirs[3]));

      // Abort: a complete refused for good makes us abort; the SDK's abort must sign the same.
      recorder.requests.splice(0);
      await call('abortMultipartUpload', { Bucket: 'my-bucket', Key: key, UploadId: UPLOAD_ID });
      const controller = new AbortController();
      await assert.rejects(ours.uploadFile('my-bucket', key, file, { partSize: 200 * 1024, signal: controller.signal, onProgress: (p) => p.bytes > 0 && controller.abort() }));
      const abortTheirs = recorder.requests[0];
      const abortMine = recorder.requests.find((r, i) => i > 0 && r.method === 'DELETE');
      assert.equal(abortMine?.url, abortTheirs.url);
      assert.equal(abortMine?.headers.authorization, abortTheirs.headers.authorization);
    });
  }
});
