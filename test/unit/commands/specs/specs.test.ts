// Training job specs: formats, the request body, job → spec export, clone naming, the contributed schema
// against the seed manual's create bodies, and specs submitted to the emulator (refused before any request
// when the checker finds a problem) and progressing on a ManualClock. The checker itself: actions.specCheck.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cloneJobSpec, exportJobSpec, fetchJobDocument, isSubmitFinal, submitOutcome, submitSpec } from '../../../../src/commands/specs/jobs';
import { SPEC_FILE_PATTERN, SpecError, cloneName, formatSpec, jobToSpec, specFileName, specFormatOf, templateSpec, toCreateRequest } from '../../../../src/commands/specs/spec';
import { checkSpec, checkSpecText, type JsonSchema } from '../../../../src/commands/specs/specCheck';
import type { ModelArtsClient } from '../../../../src/api/client';
import { ManualClock } from '../../../../src/api/clock';
import { englishL10n } from '../../../../src/common/translate';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/server';
import type { AnyJson } from '../../helpers/emulatorHelpers';
import { rejectsWith } from '../../helpers/fakeHttp';
import { settle } from '../../helpers/fakeServer';
import { WatchRegistry } from '../../../../src/watch/watcher';
import { emulatorClient } from '../../helpers/emulatorHelpers';
import { runnableSpec } from '../../helpers/specs';

const l10n = englishL10n;
const root = join(__dirname, '..', '..', '..', '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));
const seed = (name: string): Record<string, unknown> => readJson(`test/fixtures/seeds/${name}`) as Record<string, unknown>;

const schema = readJson('schemas/training-job-spec.schema.json') as JsonSchema;
const messages = (spec: unknown): string[] => checkSpec(spec, schema, l10n).map((f) => f.message);
/** A spec text's value, as Submit reads it (no problem allowed). */
const parsed = (text: string, format: 'json' | 'yaml' | undefined): unknown => {
  const result = checkSpecText(text, format, schema, l10n);
  assert.deepEqual(result.problems, []);
  return result.value;
};

describe('spec schema', () => {
  it('is draft-07 with descriptions on the main fields', () => {
    const raw = readJson('schemas/training-job-spec.schema.json') as { $schema: string; properties: Record<string, { description?: string }> };
    assert.equal(raw.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const key of ['kind', 'metadata', 'algorithm', 'spec']) assert.equal(typeof raw.properties[key]?.description, 'string', key);
  });

  it("the seed manual's two create bodies pass the checker; so do the filled template and an exported job", () => {
    for (const file of ['training-job.create.request-free-flavor.json', 'training-job.create.request-custom-image.json']) {
      assert.deepEqual(messages(seed(file)), [], file);
    }
    assert.deepEqual(messages(runnableSpec('my-job')), []);
    assert.deepEqual(messages(jobToSpec(seed('training-job.create.201.json'), l10n)), []);
    assert.deepEqual(messages(jobToSpec(seed('training-job.get.200.json'), l10n)), []);
  });

  it('refuses what the API refuses', () => {
    const body = seed('training-job.create.request-free-flavor.json');
    const broken = (change: (b: AnyJson) => void): string[] => {
      const copy: AnyJson = structuredClone(body);
      change(copy);
      return messages(copy);
    };
    assert.deepEqual(broken((b) => (b.kind = 'nope')), ['kind must be one of job, federated_pool_job, edge_job, hetero_job, mrs_job, autosearch_job, diag_job, visualization_job.']);
    assert.deepEqual(broken((b) => (b.metadata.name = 'has space')), ['metadata.name must be 1 to 64 letters, digits, "_" or "-".']);
    assert.deepEqual(broken((b) => delete b.metadata.name), ['metadata.name is required.']);
    assert.deepEqual(broken((b) => (b.spec.resource.node_count = 0)), ['spec.resource.node_count must be a whole number of at least 1.']);
    assert.deepEqual(broken((b) => delete b.algorithm.id), ['algorithm needs one of: id; boot_file + engine; engine.image_url + command; boot_file + engine.image_url; subscription_id + item_version_id.']);
    assert.deepEqual(broken((b) => delete b.spec), ['spec is required.']);
    assert.deepEqual(broken((b) => (b.spec.resource.node_cont = 2)), ['"node_cont" is not a key of spec.resource. Did you mean "node_count"?']);
  });
});

describe('spec files: format, parsing, checks', () => {
  it('format from the language id, then the file name; the schema pattern', () => {
    assert.equal(specFormatOf('json', 'Untitled-1'), 'json');
    assert.equal(specFormatOf('yaml', 'Untitled-1'), 'yaml');
    assert.equal(specFormatOf('plaintext', '/a/b.modelarts-job.yml'), 'yaml');
    assert.equal(specFormatOf('plaintext', '/a/b.txt'), undefined);
    assert.equal(specFileName('train-1', 'yaml'), 'train-1.modelarts-job.yaml');
    assert.ok(SPEC_FILE_PATTERN.test(specFileName('train-1', 'json')));
    assert.ok(!SPEC_FILE_PATTERN.test('train-1.json'));
  });

  it('YAML and JSON of the same spec parse to the same object; the filled template round-trips', () => {
    const spec = runnableSpec('round-trip');
    const yamlText = formatSpec(spec, 'yaml', 'Submit with "ModelArts: Submit Training Job".');
    assert.match(yamlText, /^# Submit with/);
    assert.ok(!yamlText.includes('$schema') && !formatSpec(spec, 'json').includes('$schema'));
    assert.deepEqual(parsed(yamlText, 'yaml'), spec);
    assert.deepEqual(parsed(formatSpec(spec, 'json'), 'json'), spec);
    assert.deepEqual(parsed(formatSpec(spec, 'json'), undefined), spec);
    assert.deepEqual(parsed(yamlText, undefined), spec);
  });

  it('the request drops $schema and takes the picked workspace only when the spec names none', () => {
    const request = toCreateRequest({ $schema: './x.json', ...runnableSpec('ws-job') }, 'a'.repeat(32));
    assert.ok(!('$schema' in request));
    assert.equal(request.metadata.workspace_id, 'a'.repeat(32));
    const own = toCreateRequest({ ...runnableSpec('ws-job'), metadata: { name: 'ws-job', workspace_id: '0' } }, 'a'.repeat(32));
    assert.equal(own.metadata.workspace_id, '0');
  });
});

describe('job → spec, clone naming', () => {
  it("the seed manual's 201 job becomes a submittable spec: no status, ids, times, user or flavor details", () => {
    const spec = jobToSpec(seed('training-job.create.201.json'), l10n);
    assert.deepEqual(spec, {
      kind: 'job',
      metadata: { name: 'TestModelArtsJob', workspace_id: '0', description: 'This is a ModelArts job' },
      algorithm: {
        id: '3f5d6706-7b67-408d-8ba0-ec08048c45ed',
        parameters: [
          { name: 'input_dir', value: 's://cn-north-4-rse/test/moxingtest-dir/' },
          { name: 'input_file', value: 'obs://cn-north-4-rse/test/moxingtest/' },
          { name: 'large_file_method', value: '1' },
        ],
      },
      spec: { resource: { flavor_id: 'modelarts.p3.large.public.free', node_count: 1 } },
    });
  });

  it('a code_dir job keeps its engine reference, inputs and outputs; environments become one map; tokens are dropped', () => {
    const job = structuredClone(seed('training-job.get.200.json')) as Record<string, Record<string, unknown>>;
    job.algorithm.environments = [{ A: '1' }, { B: '2' }];
    job.endpoints = { jupyter_lab: { url: 'https://x', token: 'TOKEN-not-in-spec' }, ssh: { key_pair_names: ['kp1'], task_urls: [{ task: 'worker-0', url: 'ssh://x' }] } };
    const spec = jobToSpec(job, l10n);
    const algorithm = spec.algorithm as Record<string, unknown>;
    assert.deepEqual(algorithm.engine, { engine_id: 'pytorch-cp36-1.4.0-v2' });
    assert.equal(algorithm.code_dir, 'obs://test/economic_test/py_minist/');
    assert.equal((algorithm.inputs as unknown[]).length, 1);
    assert.deepEqual(algorithm.environments, { A: '1', B: '2' });
    assert.deepEqual(spec.endpoints, { ssh: { key_pair_names: ['kp1'] } });
    assert.ok(!JSON.stringify(spec).includes('TOKEN-not-in-spec'));
    assert.ok(!('status' in spec));
    assert.deepEqual(messages(spec), []);
  });

  it('clone names: <name>-copy-N, the first free N, a copy of a copy counts on, at most 64 characters', () => {
    assert.equal(cloneName('train', []), 'train-copy-1');
    assert.equal(cloneName('train', ['train-copy-1', 'train-copy-2']), 'train-copy-3');
    assert.equal(cloneName('train-copy-1', ['train-copy-1']), 'train-copy-2');
    const long = 'x'.repeat(64);
    const name = cloneName(long, []);
    assert.equal(name.length, 64);
    assert.match(name, /^x+-copy-1$/);
  });
});

// ---------------------------------------------------------------- against the emulator

async function withEmulator(run: (rig: { emu: RunningEmulator; client: ModelArtsClient; clock: ManualClock; served: (m?: RegExp) => string[] }) => Promise<void>): Promise<void> {
  const clock = new ManualClock();
  const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock, seed: 'demo' });
  const client = emulatorClient(emu, clock);
  const served = (match?: RegExp): string[] =>
    emu.requests
      .filter((r) => r.service === 'modelarts')
      .map((r) => `${r.method} ${r.path}`)
      .filter((line) => match === undefined || match.test(line));
  try {
    await run({ emu, client, clock, served });
  } finally {
    client.dispose();
    await emu.close();
  }
}

const SEED_JOB_ID = '425b7087-83de-49ed-9e40-5bb642be956f';
const TIMEOUT = { timeout: 30_000 };

describe('specs against the emulator', TIMEOUT, () => {
  it("the seed manual's 201 job, exported and renamed, is accepted, and runs as time passes", () =>
    withEmulator(async ({ client, clock, served }) => {
      const raw = await fetchJobDocument(client, SEED_JOB_ID);
      assert.equal((raw.metadata as { name: string }).name, 'TestModelArtsJob');
      const spec = jobToSpec(seed('training-job.create.201.json'), l10n);
      (spec.metadata as { name: string }).name = 'TestModelArtsJob-copy-1';
      // Through YAML and back, as a user's file would go.
      const text = formatSpec(spec, 'yaml', 'hint');
      const { job, request } = await submitSpec(client, parsed(text, 'yaml'), schema, l10n);
      assert.equal(request.metadata.name, 'TestModelArtsJob-copy-1');
      assert.equal(job.status.phase, 'Creating');
      assert.equal(job.algorithm?.id, '3f5d6706-7b67-408d-8ba0-ec08048c45ed');
      assert.equal(isSubmitFinal(job), false);
      assert.equal(served(/^POST .*\/training-jobs$/).length, 1);
      await clock.advance(6_000);
      assert.equal((await client.trainingJobs.get(job.metadata.id)).status.phase, 'Pending');
      await clock.advance(11_000);
      const running = await client.trainingJobs.get(job.metadata.id);
      assert.equal(running.status.phase, 'Running');
      assert.equal(isSubmitFinal(running), true);
      assert.deepEqual(submitOutcome(running, l10n), { ok: true, message: 'Training job TestModelArtsJob-copy-1 is running.' });
    }));

  it('a submitted job is watched until it runs: one final answer, then no more reads', () =>
    withEmulator(async ({ client, clock, served }) => {
      const watches = new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
      try {
        const { job } = await submitSpec(client, runnableSpec('watched-job'), schema, l10n, '0');
        const phases: string[] = [];
        const watch = watches.watch(`trainingJob:${job.metadata.id}:submitted`, (signal) => client.trainingJobs.get(job.metadata.id, signal), isSubmitFinal, {
          onUpdate: (fresh) => phases.push(fresh.status.phase ?? ''),
        });
        const result = await settle(watch.done, clock);
        assert.equal(result.status, 'final');
        if (result.status !== 'final') return;
        assert.equal(result.value.status.phase, 'Running');
        assert.equal(phases[phases.length - 1], 'Running');
        assert.ok(phases.includes('Pending') || phases.includes('Creating'), phases.join());
        const reads = served(new RegExp(`^GET .*/training-jobs/${job.metadata.id}$`)).length;
        assert.equal(reads, phases.length);
        assert.equal(watches.has(`trainingJob:${job.metadata.id}:submitted`), false);
        await clock.advance(60_000);
        assert.equal(served(new RegExp(`^GET .*/training-jobs/${job.metadata.id}$`)).length, reads, 'no read after the final state');
      } finally {
        watches.dispose();
      }
    }));

  it('Submit refuses a spec with errors or placeholders and sends nothing; the same spec fixed sends one create', () =>
    withEmulator(async ({ client, served }) => {
      // As Submit reads the document: the template as New Training Job Spec writes it, with an unknown key.
      const text = formatSpec({ ...templateSpec('checked-first'), priority: 3 }, 'yaml', 'hint');
      const checked = checkSpecText(text, 'yaml', schema, l10n);
      assert.deepEqual(
        checked.problems.map((p) => p.code),
        ['placeholder', 'placeholder', 'placeholder', 'unknown-key'],
      );
      await assert.rejects(
        submitSpec(client, checked.value, schema, l10n, '0'),
        (e: unknown) => e instanceof SpecError && e.problems.length === 4 && e.problems.some((p) => p.includes('<organization>')),
      );
      await assert.rejects(submitSpec(client, { kind: 'job' }, schema, l10n), (e: unknown) => e instanceof SpecError && e.problems.includes('metadata is required.'));
      const bad = { ...runnableSpec('checked-first'), metadata: {} };
      await assert.rejects(submitSpec(client, bad, schema, l10n), (e: unknown) => e instanceof SpecError && e.message === 'metadata.name is required.');
      const noNodes = structuredClone(runnableSpec('checked-first')) as { spec: { resource: { node_count?: number } } };
      delete noNodes.spec.resource.node_count;
      await assert.rejects(submitSpec(client, noNodes, schema, l10n), /spec\.resource\.node_count is required\./);
      assert.equal(served(/training-jobs/).length, 0, 'no request for a refused spec');
      // The same text fixed: the placeholders replaced and the stranger removed.
      const fixed = text.replace('<organization>/<image>:<tag>', 'demo-org/train:1.0').replace(/^priority: 3\n/m, '');
      const ok = checkSpecText(fixed, 'yaml', schema, l10n);
      assert.deepEqual(ok.problems, []);
      const { job } = await submitSpec(client, ok.value, schema, l10n, '0');
      assert.equal(job.metadata.workspace_id, '0');
      assert.equal(served(/^POST .*\/training-jobs$/).length, 1);
    }));

  it("every job of the demo exports as a spec the checker accepts (the schema's closed objects fit what the service echoes)", () =>
    withEmulator(async ({ client }) => {
      const jobs = await client.trainingJobs.search({ pageSize: 50 }).loadNext();
      assert.ok(jobs.length >= 3, `${jobs.length} jobs`);
      for (const job of jobs) {
        const spec = await exportJobSpec(client, job.metadata.id, l10n);
        assert.deepEqual(messages(spec), [], job.metadata.name);
      }
      // Positive control: an echoed field outside the schema would be named.
      const raw = await fetchJobDocument(client, jobs[0].metadata.id);
      (raw.spec as Record<string, unknown>).echoed_only = { x: 1 };
      assert.deepEqual(messages(jobToSpec(raw, l10n)), ['"echoed_only" is not a key of spec, which takes: resource, volumes, log_export_path, auto_stop, schedule_policy, log_export_config, notification, runtime_type, custom_metrics, output_model, asset_model, asset_id, reserved_time, retention.']);
    }));

  it('export of a seeded job resubmits as is once renamed; clone picks a free -copy-N name', () =>
    withEmulator(async ({ client }) => {
      const exported = await exportJobSpec(client, SEED_JOB_ID, l10n);
      assert.equal((exported.metadata as { name: string }).name, 'TestModelArtsJob');
      assert.ok(!('status' in exported));
      const first = await cloneJobSpec(client, SEED_JOB_ID, l10n);
      assert.equal((first.metadata as { name: string }).name, 'TestModelArtsJob-copy-1');
      await submitSpec(client, first, schema, l10n);
      const second = await cloneJobSpec(client, SEED_JOB_ID, l10n);
      assert.equal((second.metadata as { name: string }).name, 'TestModelArtsJob-copy-2');
      const { job } = await submitSpec(client, second, schema, l10n);
      assert.equal(job.status.phase, 'Creating');
      await rejectsWith(exportJobSpec(client, '00000000-0000-0000-0000-000000000000', l10n), 'http');
    }));

  it('environments: the emulator answers the documented list of maps; Export as Spec and Clone give one map, which submits again', () =>
    withEmulator(async ({ client }) => {
      const { job } = await submitSpec(client, seed('training-job.create.request-custom-image.json'), schema, l10n);
      const raw = await fetchJobDocument(client, job.metadata.id);
      assert.deepEqual((raw.algorithm as AnyJson).environments, [{ NCCL_DEBUG: 'INFO' }, { NCCL_IB_DISABLE: '0' }]);
      assert.deepEqual(job.algorithm?.environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
      const exported = await exportJobSpec(client, job.metadata.id, l10n);
      assert.deepEqual((exported.algorithm as AnyJson).environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
      const clone = await cloneJobSpec(client, job.metadata.id, l10n);
      assert.deepEqual((clone.algorithm as AnyJson).environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
      const { job: cloned } = await submitSpec(client, clone, schema, l10n);
      assert.deepEqual((await client.trainingJobs.get(cloned.metadata.id)).algorithm?.environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
    }));

  it('a failed job gives an error notification naming the reason', () => {
    const failed = { metadata: { id: 'j', name: 'bad-job' }, status: { phase: 'Failed', tasks: [], task_statuses: [{ task: 'worker-0', exit_code: 1, message: 'exit code 1' }] } } as const;
    assert.deepEqual(submitOutcome(structuredClone(failed) as never, l10n), { ok: false, message: 'Training job bad-job failed: exit code 1' });
  });
});

