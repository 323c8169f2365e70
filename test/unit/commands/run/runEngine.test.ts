// One run of Run on ModelArts against the emulator (ModelArts and OBS on a manual clock, real clients, temporary
// folders): what a first, second and third run send and submit, what the job then runs, the ignore files and
// code.exclude, a boot file missing in OBS, a cancel at each stage, deletions, and the per-folder state file.

import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ModelArtsClient } from '../../../../src/api/client';
import type { ManualClock } from '../../../../src/api/clock';
import { createObsClient } from '../../../../src/api/obs/client';
import { emptyMirrorRecord, parseMirrorRecord, type MirrorRecord } from '../../../../src/api/obs/mirror';
import type { ObsClient } from '../../../../src/api/obs/types';
import { newRunConfiguration, runCodeOf, runCreateRequest, runJobName, type RunCode } from '../../../../src/commands/run/runConfig';
import { RUN_HISTORY_LIMIT, RunStateStore, runFolder, type RunFolderInput, type RunStage } from '../../../../src/commands/run/runEngine';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { TRAINING_TIMINGS } from '../../../../src/emulator/training';
import { emulatorClient, startTestEmulator } from '../../helpers/emulatorHelpers';
import { failure } from '../../helpers/fakeServer';
import { tempFolder } from '../../api/obs/obsRig';

const PREFIX = 'runs/my-project/';
const TRAIN_PY = 'print("training my-project")\nimport os\n';

function write(root: string, files: Record<string, string>): void {
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  }
}

/** A run configuration as a first run writes it, for `bucket`. */
function configurationFor(bucket: string, exclude: string[] = []): { spec: Record<string, unknown>; code: RunCode } {
  const spec = newRunConfiguration({
    name: 'my-project',
    workspaceId: '0',
    engine: { engine_id: 'pytorch-cp36-1.4.0-v2' },
    flavorId: 'modelarts.vm.cpu.8u',
    nodeCount: 1,
    bootFile: 'train.py',
    folder: '.',
    bucket,
    prefix: PREFIX,
  });
  (spec.code as { exclude: string[] }).exclude = exclude;
  const code = runCodeOf(spec);
  assert.ok(code);
  return { spec, code };
}

/** An ObsClient that is the real one except for the methods given. */
function wrapObs(real: ObsClient, overrides: Partial<ObsClient>): ObsClient {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof ObsClient];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('Run on ModelArts: runFolder against the emulator', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let modelArts: ModelArtsClient;
  let obs: ObsClient;
  let buckets = 0;
  let runs = 0;

  before(async () => {
    ({ emu, clock } = await startTestEmulator({ obsPort: 0 }));
    modelArts = emulatorClient(emu, clock, { retry: { maxAttempts: 1 } });
    // Signed on the emulator's clock, which is its gateway's too.
    obs = createObsClient({ endpoint: emu.obsEndpoint, region: emu.region, credentials: () => Promise.resolve({ ak: emu.credentials.ak, sk: emu.credentials.sk }), clock });
  });
  after(async () => {
    modelArts.dispose();
    obs.dispose();
    await emu.close();
  });

  const newBucket = async (): Promise<string> => {
    const name = `run-engine-${++buckets}`;
    await obs.createBucket(name);
    return name;
  };
  const keysIn = (bucket: string): string[] => [...emu.obs.bucket(bucket).objects.keys()].sort();
  const bodyOf = (bucket: string, key: string): string => Buffer.concat(emu.obs.object(emu.obs.bucket(bucket), key).chunks).toString();
  const obsPuts = (): number => emu.requests.filter((r) => r.service === 'obs' && r.method === 'PUT').length;
  const requestCount = (): number => emu.requests.length;
  const jobCreates = (): number => emu.requests.filter((r) => r.service === 'modelarts' && r.method === 'POST' && /\/training-jobs$/.test(r.path)).length;
  const jobsNamed = async (name: string): Promise<string[]> => (await modelArts.trainingJobs.search({ name, workspaceId: '0', pageSize: 50 }).loadNext()).map((job) => job.metadata.name);
  const uniqueName = (): string => `my-project-${++runs}`;

  interface RunOptions extends Partial<RunFolderInput> {
    root: string;
    spec: Record<string, unknown>;
    code: RunCode;
  }

  /** One run with every question answered yes unless told; what it sent, asked and saved. */
  async function run(options: RunOptions) {
    const puts = obsPuts();
    const creates = jobCreates();
    const start = requestCount();
    const stages: RunStage[] = [];
    const asked: Array<readonly string[]> = [];
    const saved: MirrorRecord[] = [];
    const outcome = await runFolder({
      modelArts,
      obs,
      bootFile: 'train.py',
      record: undefined,
      name: uniqueName(),
      workspaceId: '0',
      confirmDeletes: (keys) => (asked.push(keys), Promise.resolve(true)),
      saveRecord: (record) => (saved.push(structuredClone(record)), Promise.resolve()),
      onStage: (stage) => stages.push(stage),
      ...options,
    });
    const sent = emu.requests.slice(start).map((r) => `${r.service} ${r.method}`);
    return { outcome, puts: obsPuts() - puts, creates: jobCreates() - creates, sent, stages, asked, saved };
  }

  test('a first run uploads everything and submits the job that runs it; a second sends nothing; one changed file is one PUT', async (t) => {
    const root = tempFolder(t);
    const state = new RunStateStore(tempFolder(t));
    const configPath = join(root, '.modelarts', 'run.modelarts-job.yaml');
    const bucket = await newBucket();
    const { spec, code } = configurationFor(bucket);
    write(root, { 'train.py': TRAIN_PY, 'lib/util.py': 'x = 1\n', 'lib/deep/data.json': '{"a":1}' });
    const saveRecord = async (record: MirrorRecord): Promise<void> => {
      await state.update(configPath, (s) => (s.record = record));
    };
    const name = runJobName('my-project', new Date(clock.now()));
    assert.match(name, /^my-project-\d{8}-\d{6}$/);

    const first = await run({ root, spec, code, name, saveRecord });
    assert.deepEqual(first.stages, ['comparing', 'uploading', 'submitting']);
    assert.deepEqual([first.outcome.mirror.uploaded, first.puts, first.creates], [3, 3, 1]);
    assert.equal(first.outcome.mirror.bytes, TRAIN_PY.length + 6 + 7);
    assert.deepEqual(keysIn(bucket), [`${PREFIX}lib/deep/data.json`, `${PREFIX}lib/util.py`, `${PREFIX}train.py`]);
    const job = await modelArts.trainingJobs.get(first.outcome.job.metadata.id);
    assert.equal(job.metadata.name, name);
    assert.equal(job.algorithm?.code_dir, `/${bucket}/${PREFIX}`);
    assert.equal(job.algorithm?.boot_file, `/${bucket}/${PREFIX}train.py`);
    assert.deepEqual(await jobsNamed(name), [name]);

    // The job runs the code uploaded: its log starts with the boot file's first lines, and it completes.
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs);
    assert.equal((await modelArts.trainingJobs.get(job.metadata.id)).status.phase, 'Running');
    const preview = await modelArts.trainingJobs.getLogPreview(job.metadata.id, 'worker-0');
    assert.ok(preview.content.startsWith(TRAIN_PY), preview.content.slice(0, 200));
    await clock.advance(TRAINING_TIMINGS.runningMs);
    const ended = await modelArts.trainingJobs.get(job.metadata.id);
    assert.equal(ended.status.phase, 'Completed');
    assert.deepEqual(ended.status.task_statuses?.map((s) => s.message), ['']);

    const stored = await state.read(configPath);
    assert.deepEqual(Object.keys(stored.record?.files ?? {}).sort(), ['lib/deep/data.json', 'lib/util.py', 'train.py']);
    const second = await run({ root, spec, code, record: stored.record, saveRecord });
    assert.deepEqual([second.outcome.mirror.uploaded, second.outcome.mirror.skipped, second.outcome.mirror.bytes, second.puts, second.creates], [0, 3, 0, 0, 1]);
    assert.deepEqual([second.outcome.plan.checks.hashed, second.outcome.plan.checks.heads], [0, 0], 'the record alone decided');
    assert.deepEqual(second.asked, [], 'nothing to delete, nothing asked');
    assert.deepEqual(second.sent, ['obs GET', 'modelarts POST'], 'one listing and the create, nothing else');

    write(root, { 'lib/util.py': 'x = 22\n' });
    const third = await run({ root, spec, code, record: (await state.read(configPath)).record, saveRecord });
    assert.deepEqual([third.outcome.mirror.uploaded, third.outcome.mirror.bytes, third.puts, third.creates], [1, 7, 1, 1]);
    assert.equal(bodyOf(bucket, `${PREFIX}lib/util.py`), 'x = 22\n');
    assert.ok(third.outcome.timings.compare >= 0 && third.outcome.timings.upload >= 0 && third.outcome.timings.submit >= 0);
  });

  test('.gitignore, .modelartsignore and code.exclude say what is not uploaded', async (t) => {
    const root = tempFolder(t);
    const bucket = await newBucket();
    write(root, {
      'train.py': TRAIN_PY,
      '.gitignore': '*.log\n__pycache__/\n',
      '.modelartsignore': 'secrets/\n',
      'run.log': 'log',
      '__pycache__/train.cpython-310.pyc': 'pyc',
      'secrets/key.txt': 'key',
      'data/train.csv': 'a,b',
      'checkpoints/model.ckpt': 'ckpt',
      'src/model.py': 'model',
    });
    const excluded = configurationFor(bucket, ['data/', '*.ckpt']);
    const first = await run({ root, ...excluded });
    assert.deepEqual(keysIn(bucket), ['.gitignore', '.modelartsignore', 'src/model.py', 'train.py'].map((path) => PREFIX + path));
    assert.equal(first.puts, 4);
    // Without code.exclude, what it kept out is uploaded (the ignore files still hold).
    const all = configurationFor(bucket);
    const second = await run({ root, ...all, record: first.saved.at(-1) });
    assert.deepEqual([second.puts, second.outcome.mirror.skipped], [2, 4]);
    assert.deepEqual(keysIn(bucket), ['.gitignore', '.modelartsignore', 'checkpoints/model.ckpt', 'data/train.csv', 'src/model.py', 'train.py'].map((path) => PREFIX + path));
  });

  test('a boot file missing in OBS fails the job with the service’s message; the same request on the uploaded folder does not', async (t) => {
    const root = tempFolder(t);
    const bucket = await newBucket();
    const { spec, code } = configurationFor(bucket);
    write(root, { 'train.py': TRAIN_PY });
    const uploaded = await run({ root, spec, code });
    const never: RunCode = { ...code, prefix: 'runs/never-uploaded/' };
    const missing = await modelArts.trainingJobs.create(runCreateRequest(spec, never, { name: uniqueName(), workspaceId: '0' }));
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.codeFailureMs);
    const failed = await modelArts.trainingJobs.get(missing.metadata.id);
    assert.equal(failed.status.phase, 'Failed');
    const message = failed.status.task_statuses?.[0]?.message ?? '';
    assert.match(message, /does not exist in OBS/);
    assert.ok(message.includes(`obs://${bucket}/runs/never-uploaded/train.py`), message);
    const fine = await modelArts.trainingJobs.get(uploaded.outcome.job.metadata.id);
    assert.equal(fine.status.phase, 'Running');
    assert.deepEqual(fine.status.task_statuses ?? [], []);
  });

  test('a cancel while comparing, while uploading or just before the submit submits nothing; the record keeps what was finished', async (t) => {
    const root = tempFolder(t);
    const bucket = await newBucket();
    const { spec, code } = configurationFor(bucket);
    write(root, { 'train.py': TRAIN_PY, 'lib/a.py': 'a = 1\n', 'lib/b.py': 'b = 2\n', 'data/last.json': '{"last":true}' });

    // While comparing: the listing is under way.
    const comparing = new AbortController();
    const listing = wrapObs(obs, {
      listAll: (b, prefix, signal) => {
        comparing.abort();
        return obs.listAll(b, prefix, signal);
      },
    });
    const name = uniqueName();
    const before1 = { puts: obsPuts(), creates: jobCreates() };
    const saved: MirrorRecord[] = [];
    const saveRecord = (record: MirrorRecord): Promise<void> => (saved.push(structuredClone(record)), Promise.resolve());
    const stopped = await failure(run({ root, spec, code, obs: listing, name, signal: comparing.signal, saveRecord }));
    assert.equal(stopped.kind, 'aborted');
    assert.deepEqual([obsPuts() - before1.puts, jobCreates() - before1.creates, saved.length], [0, 0, 0], 'nothing finished, nothing to save');

    // While uploading: data/last.json is cancelled once the three others are in OBS.
    const uploading = new AbortController();
    let finished = 0;
    let othersDone: () => void = () => undefined;
    const others = new Promise<void>((resolve) => (othersDone = resolve));
    const slow = wrapObs(obs, {
      uploadFile: async (b, key, file, options) => {
        if (key.endsWith('data/last.json')) {
          await others;
          uploading.abort();
          return obs.uploadFile(b, key, file, options);
        }
        const etag = await obs.uploadFile(b, key, file, options);
        if (++finished === 3) othersDone();
        return etag;
      },
    });
    const cancelled = await failure(run({ root, spec, code, obs: slow, name, signal: uploading.signal, saveRecord }));
    assert.equal(cancelled.kind, 'aborted');
    assert.equal(jobCreates() - before1.creates, 0);
    assert.deepEqual(keysIn(bucket), ['lib/a.py', 'lib/b.py', 'train.py'].map((path) => PREFIX + path));
    assert.deepEqual(Object.keys(saved.at(-1)?.files ?? {}).sort(), ['lib/a.py', 'lib/b.py', 'train.py'], 'exactly the files finished');

    // Just before the submit: everything is uploaded, then the cancel comes (as the record is saved).
    const late = new AbortController();
    const afterUpload = await failure(
      run({ root, spec, code, name, record: saved.at(-1), signal: late.signal, saveRecord: (record) => (late.abort(), saveRecord(record)) }),
    );
    assert.equal(afterUpload.kind, 'aborted');
    assert.deepEqual(Object.keys(saved.at(-1)?.files ?? {}).sort(), ['data/last.json', 'lib/a.py', 'lib/b.py', 'train.py']);
    assert.equal(keysIn(bucket).length, 4);

    // At the submit itself: the stage is announced, the request never leaves.
    const atSubmit = new AbortController();
    const submitStages: RunStage[] = [];
    const noSubmit = await failure(
      run({ root, spec, code, name, record: saved.at(-1), signal: atSubmit.signal, saveRecord, onStage: (stage) => (submitStages.push(stage), stage === 'submitting' && atSubmit.abort()) }),
    );
    assert.equal(noSubmit.kind, 'aborted');
    assert.deepEqual(submitStages, ['comparing', 'uploading', 'submitting']);
    assert.equal(jobCreates() - before1.creates, 0, 'no create request at all');
    assert.deepEqual(await jobsNamed(name), []);

    // The same run, not cancelled: nothing left to send, and the job appears.
    const done = await run({ root, spec, code, name, record: saved.at(-1), saveRecord });
    assert.deepEqual([done.puts, done.outcome.mirror.skipped, done.creates], [0, 4, 1]);
    assert.deepEqual(await jobsNamed(name), [name]);
  });

  test('objects no longer local: kept when the deletion is declined, deleted when agreed; no question when nothing is to delete', async (t) => {
    const root = tempFolder(t);
    const bucket = await newBucket();
    const { spec, code } = configurationFor(bucket);
    write(root, { 'train.py': TRAIN_PY, 'old/a.py': 'a', 'old/b.py': 'b' });
    const first = await run({ root, spec, code });
    assert.deepEqual(first.asked, []);
    rmSync(join(root, 'old'), { recursive: true });
    const declined = await run({ root, spec, code, record: first.saved.at(-1), confirmDeletes: (keys) => (first.asked.push(keys), Promise.resolve(false)) });
    assert.deepEqual(first.asked, [[`${PREFIX}old/a.py`, `${PREFIX}old/b.py`]]);
    assert.deepEqual([declined.outcome.mirror.deleted, declined.creates, keysIn(bucket).length], [0, 1, 3], 'kept, and the job submitted all the same');
    assert.ok(!declined.stages.includes('deleting'));
    const agreed = await run({ root, spec, code, record: declined.saved.at(-1) });
    assert.deepEqual(agreed.asked, [[`${PREFIX}old/a.py`, `${PREFIX}old/b.py`]]);
    assert.deepEqual([agreed.outcome.mirror.deleted, agreed.puts, agreed.creates], [2, 0, 1]);
    assert.deepEqual(agreed.stages, ['comparing', 'uploading', 'deleting', 'submitting']);
    assert.deepEqual(keysIn(bucket), [`${PREFIX}train.py`]);
    const after = await run({ root, spec, code, record: agreed.saved.at(-1) });
    assert.deepEqual([after.asked, after.outcome.mirror.deleted], [[], 0]);
  });
});

describe('Run on ModelArts: the per-folder state file', () => {
  const record = (): MirrorRecord => {
    const r = emptyMirrorRecord('demo-bucket', PREFIX);
    r.files['train.py'] = { size: 3, mtimeMs: 1_700_000_000_123.5, md5: '1B2M2Y8AsgTpgAmY7PhCfg==', etag: '"d41d8cd98f00b204e9800998ecf8427e"' };
    return r;
  };
  const entry = (i: number) => ({ jobId: `job-${i}`, jobName: `my-project-${i}`, workspaceId: '0', submittedAt: 1_700_000_000_000 + i, uploaded: i, bytes: i * 10 });

  test('round-trips record, history and confirmed deletions; each configuration has a file of its own', async (t) => {
    const dir = tempFolder(t);
    const store = new RunStateStore(join(dir, 'state'));
    const empty = await store.read('/ws/a/.modelarts/run.modelarts-job.yaml');
    assert.deepEqual(empty, { record: undefined, history: [], deletesConfirmed: [] }, 'nothing stored yet');
    await store.update('/ws/a/.modelarts/run.modelarts-job.yaml', (s) => {
      s.record = record();
      s.history.unshift(entry(1));
      s.deletesConfirmed.push(PREFIX);
    });
    const back = await new RunStateStore(join(dir, 'state')).read('/ws/a/.modelarts/run.modelarts-job.yaml');
    assert.deepEqual(JSON.parse(JSON.stringify(back)), { record: JSON.parse(JSON.stringify(record())), history: [entry(1)], deletesConfirmed: [PREFIX] });
    assert.ok(parseMirrorRecord(back.record), 'a record the mirror takes');
    assert.deepEqual(await store.read('/ws/b/.modelarts/run.modelarts-job.yaml'), { record: undefined, history: [], deletesConfirmed: [] });
    assert.equal(readdirSync(join(dir, 'state')).length, 1, 'one file, no temporary left');
  });

  test('a corrupt or foreign file reads as empty, keeping what is valid', async (t) => {
    const dir = tempFolder(t);
    const store = new RunStateStore(dir);
    const path = '/ws/a/.modelarts/run.modelarts-job.yaml';
    await store.update(path, (s) => (s.history = [entry(1)]));
    const [file] = readdirSync(dir);
    const stored = readFileSync(join(dir, file), 'utf8');
    assert.equal((await store.read(path)).history.length, 1);
    writeFileSync(join(dir, file), stored.slice(0, stored.length >> 1));
    assert.deepEqual(await store.read(path), { record: undefined, history: [], deletesConfirmed: [] }, 'half a file');
    for (const text of ['null', '[]', '"text"', '{"record":{"version":2},"history":"x","deletesConfirmed":[1,"p/"]}']) {
      writeFileSync(join(dir, file), text);
      const read = await store.read(path);
      assert.equal(read.record, undefined, text);
      assert.deepEqual(read.history, [], text);
      assert.deepEqual(read.deletesConfirmed, text.includes('"p/"') ? ['p/'] : [], text);
    }
    writeFileSync(join(dir, file), JSON.stringify({ history: [entry(1), { jobId: 3 }, entry(2)] }));
    assert.deepEqual((await store.read(path)).history.map((e) => e.jobId), ['job-1', 'job-2'], 'an entry of the wrong shape is dropped');
  });

  test(`history keeps the newest ${RUN_HISTORY_LIMIT}`, async (t) => {
    const store = new RunStateStore(tempFolder(t));
    const path = '/ws/a/.modelarts/run.modelarts-job.yaml';
    for (let i = 1; i <= RUN_HISTORY_LIMIT + 3; i++) await store.update(path, (s) => s.history.unshift(entry(i)));
    const history = (await store.read(path)).history;
    assert.equal(history.length, RUN_HISTORY_LIMIT);
    assert.deepEqual([history[0].jobId, history.at(-1)?.jobId], [`job-${RUN_HISTORY_LIMIT + 3}`, 'job-4']);
  });

  test('concurrent updates, from one store or two, leave one valid file holding every change and no temporary file', async (t) => {
    const dir = tempFolder(t);
    const stores = [new RunStateStore(dir), new RunStateStore(dir)];
    const path = '/ws/a/.modelarts/run.modelarts-job.yaml';
    // Of different lengths, so that two writes into one file would show.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        stores[i % 2].update(path, (s) => {
          s.record = record();
          s.history.unshift({ ...entry(i), jobName: 'x'.repeat(1 + i * 40) });
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status), Array<string>(8).fill('fulfilled'));
    const files = readdirSync(dir);
    assert.equal(files.length, 1, files.join(', '));
    const raw = JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as { history: Array<{ jobId: string }> };
    assert.deepEqual(raw.history.map((e) => e.jobId), [7, 6, 5, 4, 3, 2, 1, 0].map((i) => `job-${i}`));
    assert.ok((await stores[0].read(path)).record);
    // A failed update (its change throws) leaves the file as it was and the next one goes on.
    await assert.rejects(stores[0].update(path, () => { throw new Error('no'); }), /no/);
    const next = await stores[1].update(path, (s) => s.history.unshift(entry(8)));
    assert.equal(next.history.length, 9);
  });
});
