// The folder mirror of Run on ModelArts against the emulator's OBS, with a real client and temporary folders:
// what a first and a second run send, changed and touched files, the ignore files, deletions and their
// confirmation, the code folder limits before any request, a new machine (no record), multipart objects, cancel.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { createObsClient, type ObsClientOptions } from '../../../../src/api/obs/client';
import { emptyMirrorRecord, parseMirrorRecord, planMirror, prepareMirror, runMirror, type MirrorRecord, type MirrorRunOptions } from '../../../../src/api/obs/mirror';
import { checkCodeFolder, scanFolder } from '../../../../src/api/obs/mirrorScan';
import type { ObsClient } from '../../../../src/api/obs/types';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/server';
import { failure } from '../../helpers/fakeServer';
import { InstantClock, patterned, tempFolder } from './obsRig';

const MB = 1024 * 1024;
const PREFIX = 'runs/project/';

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  }
}

const md5Base64 = (body: string | Buffer): string => createHash('md5').update(body).digest('base64');

describe('folder mirror against the emulator', () => {
  let emu: RunningEmulator;
  const clients: ObsClient[] = [];
  let buckets = 0;
  before(async () => {
    emu = await startEmulator({ port: 0, iamPort: 0, obsPort: 0 });
  });
  after(async () => {
    for (const client of clients) client.dispose();
    await emu.close();
  });
  const clientFor = (options: Partial<ObsClientOptions> = {}): ObsClient => {
    const client = createObsClient({
      endpoint: emu.obsEndpoint,
      region: emu.region,
      credentials: () => Promise.resolve({ ak: emu.credentials.ak, sk: emu.credentials.sk }),
      clock: new InstantClock(),
      ...options,
    });
    clients.push(client);
    return client;
  };
  const newBucket = async (client: ObsClient): Promise<string> => {
    const name = `mirror-${++buckets}`;
    await client.createBucket(name);
    return name;
  };
  const obsRequests = (): RunningEmulator['requests'] => emu.requests.filter((r) => r.service === 'obs');
  const keysIn = (bucket: string): string[] => [...emu.obs.bucket(bucket).objects.keys()].sort();
  const bodyOf = (bucket: string, key: string): string => Buffer.concat(emu.obs.object(emu.obs.bucket(bucket), key).chunks).toString();

  /** One whole run (scan, plan, upload, delete); the requests it sent by method. */
  async function mirror(client: ObsClient, root: string, bucket: string, record: MirrorRecord | undefined, run: Partial<MirrorRunOptions> = {}) {
    const start = obsRequests().length;
    const { plan } = await prepareMirror(client, { root, bucket, prefix: PREFIX, record });
    const result = await runMirror(plan, client, { bucket, prefix: PREFIX, confirmDeletes: () => Promise.resolve(true), ...run });
    const sent = obsRequests().slice(start);
    const count = (method: string): number => sent.filter((r) => r.method === method).length;
    return { plan, result, puts: count('PUT'), heads: count('HEAD'), posts: count('POST') };
  }

  test('a first run uploads everything with its MD5; a second sends no PUT; one changed file is one PUT; a touched file is hashed, not sent', async (t) => {
    const root = tempFolder(t);
    const client = clientFor();
    const bucket = await newBucket(client);
    write(root, { 'train.py': 'print("hi")\n', 'lib/util.py': 'x = 1\n', 'lib/deep/data.json': '{"a":1}', 'empty.txt': '' });
    const first = await mirror(client, root, bucket, undefined);
    assert.deepEqual([first.result.uploaded, first.result.skipped, first.puts], [4, 0, 4]);
    assert.equal(first.result.bytes, 12 + 6 + 7);
    assert.deepEqual(keysIn(bucket), ['runs/project/empty.txt', 'runs/project/lib/deep/data.json', 'runs/project/lib/util.py', 'runs/project/train.py']);
    const stored = emu.obs.object(emu.obs.bucket(bucket), 'runs/project/train.py');
    assert.equal(stored.metadata.md5, md5Base64('print("hi")\n'), 'x-obs-meta-md5');
    assert.deepEqual(first.result.record.files['train.py'], { size: 12, mtimeMs: first.plan.record.files['train.py'].mtimeMs, md5: md5Base64('print("hi")\n'), etag: stored.etag });

    const record = parseMirrorRecord(JSON.parse(JSON.stringify(first.result.record)));
    assert.ok(record, 'the record survives JSON');
    const second = await mirror(client, root, bucket, record);
    assert.deepEqual([second.result.uploaded, second.result.skipped, second.result.bytes, second.puts, second.heads, second.plan.checks.hashed], [0, 4, 0, 0, 0, 0]);

    write(root, { 'lib/util.py': 'x = 2\n' });
    utimesSync(join(root, 'lib/util.py'), new Date(), new Date(Date.now() + 5000));
    const touched = join(root, 'train.py');
    utimesSync(touched, new Date(), new Date(Date.now() + 10_000));
    const third = await mirror(client, root, bucket, second.result.record);
    assert.deepEqual([third.result.uploaded, third.puts, third.heads, third.plan.checks.hashed], [1, 1, 0, 2], 'the edit is sent; the touched file is hashed and kept');
    assert.equal(bodyOf(bucket, 'runs/project/lib/util.py'), 'x = 2\n');
    const fourth = await mirror(client, root, bucket, third.result.record);
    assert.deepEqual([fourth.puts, fourth.plan.checks.hashed], [0, 0], 'the touched file’s new mtime was recorded');
  });

  test('.gitignore (root and nested, relative to their folder), .modelartsignore, .git and .modelarts, symbolic links', async (t) => {
    const root = tempFolder(t);
    write(root, {
      '.gitignore': '*.log\n/build/\ncache/\n',
      '.modelartsignore': 'secrets.txt\n!kept.log\n',
      'train.py': 'a',
      'run.log': 'a',
      'kept.log': 'a',
      'secrets.txt': 'a',
      'build/out.bin': 'a',
      'src/build/keep.py': 'a',
      'src/cache/x.bin': 'a',
      'src/.gitignore': '/local.txt\n!debug.log\n',
      'src/local.txt': 'a',
      'src/debug.log': 'a',
      'src/other.log': 'a',
      'local.txt': 'a',
      '.git/HEAD': 'a',
      '.modelarts/run.modelarts-job.yaml': 'a',
      'src/sub/.git': 'gitdir: elsewhere',
      'src/sub/mod.py': 'a',
    });
    symlinkSync(join(root, 'train.py'), join(root, 'link.py'));
    const scan = await scanFolder(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['.gitignore', '.modelartsignore', 'kept.log', 'local.txt', 'src/.gitignore', 'src/build/keep.py', 'src/debug.log', 'src/sub/mod.py', 'train.py'],
    );
    assert.deepEqual([scan.folders, scan.links], [3, ['link.py']], 'src, src/build, src/sub; the link listed, not followed');

    const client = clientFor();
    const bucket = await newBucket(client);
    await mirror(client, root, bucket, undefined);
    assert.deepEqual(keysIn(bucket), scan.files.map((f) => PREFIX + f.path));
  });

  test('a file deleted locally: its object deleted after confirmDeletes(true), kept on false; no question when nothing is to delete', async (t) => {
    const root = tempFolder(t);
    const client = clientFor();
    const bucket = await newBucket(client);
    write(root, { 'a.py': 'a', 'old/b.py': 'b', 'old/c.py': 'c' });
    const asked: Array<readonly string[]> = [];
    const first = await mirror(client, root, bucket, undefined, { confirmDeletes: (keys) => (asked.push(keys), Promise.resolve(true)) });
    assert.equal(asked.length, 0, 'nothing to delete, nothing asked');
    rmSync(join(root, 'old'), { recursive: true });
    const declined = await mirror(client, root, bucket, first.result.record, { confirmDeletes: (keys) => (asked.push(keys), Promise.resolve(false)) });
    assert.deepEqual(asked, [['runs/project/old/b.py', 'runs/project/old/c.py']]);
    assert.equal(declined.result.deleted, 0);
    assert.equal(keysIn(bucket).length, 3, 'kept');
    assert.deepEqual(Object.keys(declined.result.record.files), ['a.py'], 'the record holds local files only');
    const accepted = await mirror(client, root, bucket, declined.result.record);
    assert.deepEqual([accepted.result.deleted, accepted.puts], [2, 0]);
    assert.deepEqual(keysIn(bucket), ['runs/project/a.py']);
  });

  test('limits: over 1,000 files and folders, over 5 GB, and the boot file outside, missing or ignored are refused before any request', async (t) => {
    const client = clientFor();
    const many = tempFolder(t);
    for (let i = 0; i < 995; i++) write(many, { [`d${i % 7}/f${i}.py`]: '' });
    const start = obsRequests().length;
    const tooMany = await failure(prepareMirror(client, { root: many, bucket: 'demo-bucket', prefix: PREFIX, record: undefined }));
    assert.equal(tooMany.code, 'TooManyEntries');
    assert.match(tooMany.message, /1,002 files and folders .*995 files, 7 folders.* at most 1,000/);
    rmSync(join(many, 'd6'), { recursive: true });
    const fits = await scanFolder(many);
    assert.equal(fits.files.length + fits.folders, 853 + 6);
    assert.deepEqual(await checkCodeFolder(fits), [], 'within the limits, no warning');

    const big = tempFolder(t);
    write(big, { 'train.py': 'a', 'weights.bin': '' });
    truncateSync(join(big, 'weights.bin'), 60 * MB);
    const warned = await checkCodeFolder(await scanFolder(big), { bootFile: 'train.py' });
    assert.deepEqual(warned.map((w) => [w.code, w.found, w.limit]), [['LargerThanRecommended', 60 * MB + 1, 50 * MB]]);
    assert.match(warned[0].message, /60 MB.* 50 MB/);
    truncateSync(join(big, 'weights.bin'), 5 * 1024 * MB);
    const tooLarge = await failure(prepareMirror(client, { root: big, bucket: 'demo-bucket', prefix: PREFIX, record: undefined }));
    assert.equal(tooLarge.code, 'TooLarge');
    assert.match(tooLarge.message, /5120 MB .*at most 5120 MB \(5 GB\)/);

    const folder = tempFolder(t);
    write(folder, { 'code/train.py': 'a', 'code/.gitignore': 'scratch.py\n', 'code/scratch.py': 'a', 'outside.py': 'a' });
    const code = join(folder, 'code');
    const refusals: Array<[string, string]> = [];
    for (const bootFile of [join(folder, 'outside.py'), '../outside.py', 'missing.py', 'scratch.py']) {
      const error = await failure(prepareMirror(client, { root: code, bucket: 'demo-bucket', prefix: PREFIX, record: undefined, bootFile }));
      refusals.push([error.code, error.message]);
    }
    assert.deepEqual(refusals.map(([c]) => c), ['BootFileOutside', 'BootFileOutside', 'BootFileMissing', 'BootFileIgnored']);
    assert.match(refusals[0][1], /outside\.py is not inside the folder/);
    assert.match(refusals[3][1], /scratch\.py is excluded/);
    assert.equal(obsRequests().length, start, 'no request for any of them');
    const accepted = await prepareMirror(client, { root: code, bucket: 'demo-bucket', prefix: PREFIX, record: undefined, bootFile: join(code, 'train.py') });
    assert.deepEqual(accepted.plan.uploads.map((u) => u.path), ['.gitignore', 'train.py']);
    assert.ok(obsRequests().length > start, 'the accepted folder was listed');
  });

  test('a new machine (no record): the x-obs-meta-md5 of each object decides; an object replaced by other bytes is sent again', async (t) => {
    const root = tempFolder(t);
    const client = clientFor();
    const bucket = await newBucket(client);
    write(root, { 'a.py': 'alpha', 'b.py': 'bravo', 'c.py': 'charlie' });
    await mirror(client, root, bucket, undefined);
    await client.putObject(bucket, `${PREFIX}b.py`, 'BRAVO', { metadata: { md5: md5Base64('BRAVO') } });
    const again = await mirror(client, root, bucket, undefined);
    assert.deepEqual([again.plan.checks.heads, again.result.skipped, again.result.uploaded, again.puts], [3, 2, 1, 1]);
    assert.equal(bodyOf(bucket, `${PREFIX}b.py`), 'bravo');
    assert.deepEqual(Object.keys(again.result.record.files).sort(), ['a.py', 'b.py', 'c.py'], 'a record again');
    // A record for another prefix is no record.
    const elsewhere = { ...again.result.record, prefix: 'runs/other/' };
    assert.equal((await mirror(client, root, bucket, elsewhere)).plan.checks.heads, 3);
  });

  test('a multipart object (ETag "<md5>-<parts>") is not sent again, with or without the record', async (t) => {
    const root = tempFolder(t);
    const client = clientFor({ multipartThreshold: MB });
    const bucket = await newBucket(client);
    const data = patterned(3 * MB + 17, 3);
    write(root, { 'model.bin': data, 'train.py': 'x' });
    const first = await mirror(client, root, bucket, undefined, { partSize: MB });
    assert.equal(first.posts, 2, 'initiate and complete');
    const etag = first.result.record.files['model.bin'].etag;
    assert.match(etag, /-4"$/);
    assert.notEqual(etag.replace(/"/g, ''), createHash('md5').update(data).digest('hex'), 'the ETag is not the file’s MD5');
    const withRecord = await mirror(client, root, bucket, first.result.record);
    assert.deepEqual([withRecord.puts, withRecord.posts, withRecord.result.uploaded], [0, 0, 0]);
    const withoutRecord = await mirror(client, root, bucket, undefined);
    assert.deepEqual([withoutRecord.puts, withoutRecord.posts, withoutRecord.result.uploaded, withoutRecord.heads], [0, 0, 0, 2]);
  });

  test('cancel mid-run: the part in flight is aborted, the record holds exactly the files finished, nothing is deleted', async (t) => {
    const root = tempFolder(t);
    const client = clientFor({ multipartThreshold: MB });
    const bucket = await newBucket(client);
    await client.putObject(bucket, `${PREFIX}stale.py`, 'gone locally');
    write(root, { 'a.py': 'aaaa', 'b.py': 'bbbb', 'c.bin': patterned(4 * MB, 9), 'd.py': 'dddd' });
    const { plan } = await prepareMirror(client, { root, bucket, prefix: PREFIX, record: undefined });
    assert.deepEqual(plan.deletes, [`${PREFIX}stale.py`]);
    const controller = new AbortController();
    let asked = false;
    const cancelled = await failure(
      runMirror(plan, client, {
        bucket,
        prefix: PREFIX,
        files: 1,
        partSize: MB,
        parallel: 1,
        signal: controller.signal,
        confirmDeletes: () => ((asked = true), Promise.resolve(true)),
        onProgress: (p) => p.bytes > 8 + 2 * MB && controller.abort(),
      }),
    );
    assert.equal(cancelled.kind, 'aborted');
    assert.equal(asked, false);
    assert.deepEqual(Object.keys(plan.record.files), ['a.py', 'b.py']);
    for (const path of ['a.py', 'b.py']) assert.equal(plan.record.files[path].etag, emu.obs.object(emu.obs.bucket(bucket), PREFIX + path).etag);
    assert.deepEqual(keysIn(bucket), [`${PREFIX}a.py`, `${PREFIX}b.py`, `${PREFIX}stale.py`]);
    assert.equal(emu.obs.bucket(bucket).uploads.size, 0, 'the multipart upload was aborted');
    const resumed = await mirror(client, root, bucket, parseMirrorRecord(JSON.parse(JSON.stringify(plan.record))), { partSize: MB });
    assert.deepEqual([resumed.result.skipped, resumed.result.uploaded, resumed.result.deleted, resumed.heads], [2, 2, 1, 0]);
  });

  test('a file removed between the plan and the run is skipped, not an error; the others go', async (t) => {
    const root = tempFolder(t);
    const client = clientFor();
    const bucket = await newBucket(client);
    write(root, { 'a.py': 'a', 'b.py': 'b' });
    const { plan } = await prepareMirror(client, { root, bucket, prefix: PREFIX, record: undefined });
    assert.equal(plan.uploads.length, 2);
    rmSync(join(root, 'a.py'));
    const result = await runMirror(plan, client, { bucket, prefix: PREFIX, confirmDeletes: () => Promise.resolve(true) });
    assert.equal(result.uploaded, 1);
    assert.deepEqual(keysIn(bucket), [`${PREFIX}b.py`]);
    assert.deepEqual(Object.keys(result.record.files), ['b.py']);
  });

  test('figure: planning a 1,000-file folder with nothing changed', async (t) => {
    const root = tempFolder(t);
    const client = clientFor();
    const bucket = await newBucket(client);
    for (let i = 0; i < 1000; i++) write(root, { [`f${String(i).padStart(4, '0')}.py`]: `print(${i})\n` });
    const first = await mirror(client, root, bucket, undefined);
    assert.equal(first.result.uploaded, 1000);
    let started = performance.now();
    const { plan } = await prepareMirror(client, { root, bucket, prefix: PREFIX, record: first.result.record });
    const withRecord = performance.now() - started;
    assert.deepEqual([plan.uploads.length, plan.checks.hashed, plan.checks.heads], [0, 0, 0]);
    // The same in its three steps.
    started = performance.now();
    const scan = await scanFolder(root);
    const scanned = performance.now();
    const remote = [];
    for await (const object of client.listAll(bucket, PREFIX)) remote.push(object);
    const listed = performance.now();
    await planMirror({ root, files: scan.files, record: first.result.record, remote, bucket, prefix: PREFIX });
    const steps = `scan ${Math.round(scanned - started)} ms, list ${Math.round(listed - scanned)} ms, compare ${Math.round(performance.now() - listed)} ms`;
    started = performance.now();
    const cold = await prepareMirror(client, { root, bucket, prefix: PREFIX, record: undefined });
    const withoutRecord = performance.now() - started;
    assert.deepEqual([cold.plan.uploads.length, cold.plan.checks.heads], [0, 1000]);
    t.diagnostic(`1,000 files unchanged: scan + list + plan ${Math.round(withRecord)} ms with the record (${steps}), ${Math.round(withoutRecord)} ms without (1,000 HEADs)`);
  });
});

describe('mirror record and plan, offline', () => {
  test('parseMirrorRecord keeps a record and rejects anything else', () => {
    const good = { version: 1, bucket: 'b', prefix: 'p/', files: { 'a/x.py': { size: 1, mtimeMs: 2.5, md5: md5Base64('x'), etag: '"e"' } } };
    assert.deepEqual(JSON.parse(JSON.stringify(parseMirrorRecord(good))), good);
    const bad: unknown[] = [
      null,
      [],
      'text',
      { ...good, version: 2 },
      { ...good, bucket: '' },
      { ...good, prefix: '' },
      { ...good, prefix: 'no-slash' },
      { ...good, files: [] },
      { ...good, files: { '../x': good.files['a/x.py'] } },
      { ...good, files: { 'a/x.py': { ...good.files['a/x.py'], md5: 'abc' } } },
      { ...good, files: { 'a/x.py': { ...good.files['a/x.py'], size: -1 } } },
      { ...good, files: { 'a/x.py': { ...good.files['a/x.py'], etag: '' } } },
    ];
    for (const value of bad) assert.equal(parseMirrorRecord(value), undefined, JSON.stringify(value));
    const proto = parseMirrorRecord(JSON.parse(`{"version":1,"bucket":"b","prefix":"p/","files":{"__proto__":${JSON.stringify(good.files['a/x.py'])}}}`));
    assert.deepEqual(Object.keys(proto?.files ?? {}), ['__proto__'], 'a path like any other');
  });

  test('a scan stops at its ceiling and the refusal says "more than"', async (t) => {
    const root = tempFolder(t);
    for (let i = 0; i < 12; i++) write(root, { [`f${i}.py`]: '' });
    const full = await scanFolder(root);
    assert.deepEqual([full.files.length, full.truncated], [12, false]);
    const cut = await scanFolder(root, { ceiling: 10 });
    assert.deepEqual([cut.files.length, cut.truncated], [10, true]);
    await assert.rejects(checkCodeFolder(cut), /more than 10 files and folders/);
  });

  test('exclude patterns of the run configuration join .modelartsignore; a blank pattern excludes nothing', async (t) => {
    const root = tempFolder(t);
    write(root, { 'train.py': '', 'data/a.csv': '', 'model.ckpt': '', 'notes.md': '', '.modelartsignore': 'notes.md\n' });
    const paths = async (exclude?: string[]) => (await scanFolder(root, { exclude })).files.map((file) => file.path);
    assert.deepEqual(await paths(), ['.modelartsignore', 'data/a.csv', 'model.ckpt', 'train.py']);
    assert.deepEqual(await paths(['data/', '*.ckpt', '  ']), ['.modelartsignore', 'train.py']);
    assert.deepEqual(await paths(['*.ckpt', '!model.ckpt']), ['.modelartsignore', 'data/a.csv', 'model.ckpt', 'train.py']);
  });

  test('a code folder below the workspace folder: the .gitignore files above it apply, relative to where they sit', async (t) => {
    const top = tempFolder(t);
    write(top, { '.gitignore': 'data/\n/src/local.py\n*.log\n', 'src/.gitignore': '!keep.log\n', 'src/train.py': '', 'src/data/a.csv': '', 'src/local.py': '', 'src/run.log': '', 'src/keep.log': '', 'src/sub/local.py': '' });
    const paths = async (options: { top?: string }) => (await scanFolder(join(top, 'src'), options)).files.map((file) => file.path);
    assert.deepEqual(await paths({}), ['.gitignore', 'data/a.csv', 'keep.log', 'local.py', 'run.log', 'sub/local.py', 'train.py']);
    assert.deepEqual(await paths({ top }), ['.gitignore', 'keep.log', 'sub/local.py', 'train.py']);
    // A "top" that is not above the root changes nothing.
    assert.deepEqual(await paths({ top: join(top, 'src', 'sub') }), await paths({}));
  });

  test('the prefix is a folder of the bucket, never its root', async () => {
    for (const prefix of ['', '/', 'a', '/a/', 'a//b/', 'a/../b/']) {
      const error = await failure(planMirror({ root: '.', files: [], record: undefined, remote: [], bucket: 'b', prefix }));
      assert.equal(error.code, 'InvalidPrefix', prefix);
    }
    const plan = await planMirror({ root: '.', files: [], record: emptyMirrorRecord('b', 'a/b/'), remote: [{ key: 'a/b/x', size: 1, etag: '"e"', lastModified: '' }, { key: 'a/b/sub/', size: 0, etag: '"e"', lastModified: '' }], bucket: 'b', prefix: 'a/b/' });
    assert.deepEqual(plan.deletes, ['a/b/x'], 'a folder marker is left alone');
  });
});
