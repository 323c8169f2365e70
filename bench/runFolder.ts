// Run on ModelArts on loopback: a 1,000-entry code folder (the most a code folder may hold: small files a few
// folders deep) already uploaded and unchanged, run again and again: the time from the call to the job
// submitted, and the compare stage alone (compareFolder: scan + limits + list + plan from the record), beside its floors: the bare scan,
// one listing of the prefix, the plan from the record with the listing in hand, and one job create alone.
// The emulator runs in a process of its own.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient } from '../src/api/client';
import { createObsClient } from '../src/api/obs/client';
import { planMirror, type MirrorRecord } from '../src/api/obs/mirror';
import { scanFolder } from '../src/api/obs/mirrorScan';
import type { ObsObjectSummary } from '../src/api/obs/types';
import { newRunConfiguration, runCodeOf, runCreateRequest } from '../src/commands/run/runConfig';
import { compareFolder, runFolder } from '../src/commands/run/runEngine';
import { emit, run, targetFromEnv } from './lib';

const RUNS = Number(process.env.BENCH_RUN_RUNS ?? 9);
const BUCKET = 'bench-run';
const PREFIX = 'runs/bench-project/';
/** 2 folders of 2 folders of 2 folders: 14 folders, 3 deep; with the files, 1,000 entries. */
const FOLDERS = ['a', 'b'].flatMap((x) => ['c', 'd'].flatMap((y) => ['e', 'f'].flatMap((z) => [x, `${x}/${y}`, `${x}/${y}/${z}`])));
const FOLDER_COUNT = new Set(FOLDERS).size;
const FILES = 1_000 - FOLDER_COUNT;

/** Small Python-like files spread over the folders, the boot file at the top. */
function makeFolder(root: string): number {
  const folders = [...new Set(FOLDERS)];
  for (const folder of folders) mkdirSync(join(root, folder), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < FILES; i++) {
    const path = i === 0 ? 'train.py' : join(folders[i % folders.length], `module_${i}.py`);
    const body = `# module ${i}\n${'x = 1\n'.repeat(5 + (i % 40))}`;
    writeFileSync(join(root, path), body);
    bytes += body.length;
  }
  return bytes;
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const result = await work();
  return [performance.now() - t0, result];
}

run(async () => {
  const target = targetFromEnv() as ReturnType<typeof targetFromEnv> & { obsEndpoint: string };
  const modelArts = createClient({ region: target.region, endpoint: target.endpoint, iamEndpoint: target.iamEndpoint, credentials: { kind: 'aksk', ak: target.ak, sk: target.sk }, projectId: target.projectId });
  const obs = createObsClient({ endpoint: target.obsEndpoint, region: target.region, credentials: () => Promise.resolve({ ak: target.ak, sk: target.sk }) });
  await obs.createBucket(BUCKET);
  const root = mkdtempSync(join(tmpdir(), 'run-bench-'));
  try {
    const bytes = makeFolder(root);
    const spec = newRunConfiguration({ name: 'bench-run', workspaceId: '0', engine: { engine_id: 'pytorch-cp36-1.4.0-v2' }, flavorId: 'modelarts.vm.cpu.8u', nodeCount: 1, bootFile: 'train.py', folder: '.', bucket: BUCKET, prefix: PREFIX });
    const code = runCodeOf(spec);
    if (!code) throw new Error('no code block');
    let record: MirrorRecord | undefined;
    let runs = 0;
    const runOnce = () =>
      runFolder({
        modelArts,
        obs,
        root,
        code,
        spec,
        bootFile: 'train.py',
        record,
        name: `bench-run-${++runs}`,
        workspaceId: '0',
        confirmDeletes: () => Promise.resolve(false),
        saveRecord: (saved) => {
          record = saved;
          return Promise.resolve();
        },
      });

    const [firstMs, first] = await timed(runOnce);
    if (first.mirror.uploaded !== FILES) throw new Error(`the first run uploaded ${first.mirror.uploaded} files, not ${FILES}`);

    // Unchanged runs, each from the call to the job submitted; the compare alone; the floors; interleaved.
    const unchangedMs: number[] = [];
    const stages = { compare: [] as number[], upload: [] as number[], submit: [] as number[] };
    const compareMs: number[] = [];
    const floors = { scan: [] as number[], list: [] as number[], plan: [] as number[], create: [] as number[] };
    await runOnce(); // warm-up
    for (let r = 0; r < RUNS; r++) {
      const [ms, outcome] = await timed(runOnce);
      if (outcome.mirror.uploaded !== 0 || outcome.plan.checks.heads !== 0 || outcome.plan.checks.hashed !== 0) throw new Error('an unchanged run did work');
      unchangedMs.push(ms);
      stages.compare.push(outcome.timings.compare);
      stages.upload.push(outcome.timings.upload);
      stages.submit.push(outcome.timings.submit);

      const [compare, prepared] = await timed(() => compareFolder(obs, { root, code, record, bootFile: 'train.py' }));
      if (prepared.plan.uploads.length !== 0) throw new Error('the compare found changes');
      compareMs.push(compare);

      const [scan, scanned] = await timed(() => scanFolder(root));
      floors.scan.push(scan);
      const [list, remote] = await timed(async () => {
        const objects: ObsObjectSummary[] = [];
        for await (const object of obs.listAll(BUCKET, PREFIX)) objects.push(object);
        return objects;
      });
      floors.list.push(list);
      const [plan] = await timed(() => planMirror({ root, files: scanned.files, record, remote, bucket: BUCKET, prefix: PREFIX }));
      floors.plan.push(plan);
      const [create] = await timed(() => modelArts.trainingJobs.create(runCreateRequest(spec, code, { name: `bench-create-${r}`, workspaceId: '0' })));
      floors.create.push(create);
    }

    // A new machine: no record, so each file's x-obs-meta-md5 is read with a HEAD and the file hashed.
    const coldCompareMs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const [ms, cold] = await timed(() => compareFolder(obs, { root, code, record: undefined, bootFile: 'train.py' }));
      if (cold.plan.uploads.length !== 0 || cold.plan.checks.heads !== FILES) throw new Error('the cold compare did not HEAD every file');
      coldCompareMs.push(ms);
    }
    emit({ files: FILES, folders: FOLDER_COUNT, bytes, firstRunMs: firstMs, unchangedMs, stages, compareMs, floors, coldCompareMs, runs: RUNS });
  } finally {
    rmSync(root, { recursive: true, force: true });
    modelArts.dispose();
    obs.dispose();
  }
});
