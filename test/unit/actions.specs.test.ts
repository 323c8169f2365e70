// Training job specs: parsing (JSON and YAML) with errors naming the path, the local checks, job → spec
// export, clone naming, the contributed schema against the seed manual's create bodies, and an exported
// spec submitted to the emulator and progressing on a ManualClock.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { cloneJobSpec, exportJobSpec, fetchJobDocument, isSubmitFinal, submitOutcome, submitSpec } from '../../src/actions/specs/jobs';
import {
  SPEC_FILE_PATTERN,
  SpecError,
  checkSpec,
  cloneName,
  formatSpec,
  jsonErrorOffset,
  jobToSpec,
  parseSpecText,
  specFileName,
  specFormatOf,
  templateSpec,
  toCreateRequest,
} from '../../src/actions/specs/spec';
import type { ModelArtsClient } from '../../src/api/client';
import { ManualClock } from '../../src/api/clock';
import { englishL10n } from '../../src/common/translate';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server';
import type { AnyJson } from './helpers/emulatorHelpers';
import { rejectsWith } from './helpers/fakeHttp';
import { settle } from './helpers/fakeServer';
import { WatchRegistry } from '../../src/watch/watcher';
import { emulatorClient } from './helpers/emulatorHelpers';

const l10n = englishL10n;
const root = join(__dirname, '..', '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));
const seed = (name: string): Record<string, unknown> => readJson(`test/fixtures/seeds/${name}`) as Record<string, unknown>;

// ---------------------------------------------------------------- a tiny JSON Schema walker
// Only the keywords the schema uses: type, required, properties, additionalProperties (schema), items,
// enum, pattern, minLength, maxLength, minimum, maxProperties, anyOf, oneOf, $ref to #/definitions.

type Schema = Record<string, unknown>;

function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function validate(schema: Schema, value: unknown, rootSchema: Schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/definitions/', '');
    return validate((rootSchema.definitions as Record<string, Schema>)[name], value, rootSchema, path);
  }
  const errors: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((ty) => typeOk(value, ty))) return [`${path}: expected ${types.join('|')}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: not in enum`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: pattern`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${path}: minLength`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${path}: maxLength`);
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: minimum`);
  if (typeOk(value, 'object')) {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in obj)) errors.push(`${path}.${key}: required`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (props[key]) errors.push(...validate(props[key], v, rootSchema, `${path}.${key}`));
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties as Schema, v, rootSchema, `${path}.${key}`));
    }
    if (typeof schema.maxProperties === 'number' && Object.keys(obj).length > schema.maxProperties) errors.push(`${path}: maxProperties`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items as Schema, v, rootSchema, `${path}[${i}]`)));
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((s) => validate(s, value, rootSchema, path).length === 0)) errors.push(`${path}: anyOf`);
  if (Array.isArray(schema.oneOf) && (schema.oneOf as Schema[]).filter((s) => validate(s, value, rootSchema, path).length === 0).length !== 1) errors.push(`${path}: oneOf`);
  return errors;
}

const schema = readJson('schemas/training-job-spec.schema.json') as Schema;
const schemaErrors = (value: unknown): string[] => validate(schema, value, schema);

describe('spec schema', () => {
  it('is draft-07 with descriptions on the main fields', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const props = schema.properties as Record<string, Schema>;
    for (const key of ['kind', 'metadata', 'algorithm', 'spec']) assert.equal(typeof props[key]?.description, 'string', key);
  });

  it("the seed manual's two create bodies validate; so do the template and an exported job", () => {
    for (const file of ['training-job.create.request-free-flavor.json', 'training-job.create.request-custom-image.json']) {
      assert.deepEqual(schemaErrors(seed(file)), [], file);
      assert.deepEqual(checkSpec(seed(file), l10n), [], file);
    }
    assert.deepEqual(schemaErrors(templateSpec('my-job')), []);
    assert.deepEqual(schemaErrors(jobToSpec(seed('training-job.create.201.json'), l10n)), []);
    assert.deepEqual(schemaErrors(jobToSpec(seed('training-job.get.200.json'), l10n)), []);
  });

  it('refuses what the API refuses (the walker can fail)', () => {
    const body = seed('training-job.create.request-free-flavor.json');
    const broken = (change: (b: AnyJson) => void): string[] => {
      const copy: AnyJson = structuredClone(body);
      change(copy);
      return schemaErrors(copy);
    };
    assert.deepEqual(broken((b) => (b.kind = 'nope')), ['$.kind: not in enum']);
    assert.deepEqual(broken((b) => (b.metadata.name = 'has space')), ['$.metadata.name: pattern']);
    assert.deepEqual(broken((b) => delete b.metadata.name), ['$.metadata.name: required']);
    assert.deepEqual(broken((b) => (b.spec.resource.node_count = 0)), ['$.spec.resource.node_count: minimum']);
    assert.deepEqual(broken((b) => delete b.algorithm.id), ['$.algorithm: anyOf']);
    assert.deepEqual(broken((b) => delete b.spec), ['$.spec: required']);
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

  it('YAML and JSON of the same spec parse to the same object; the template round-trips', () => {
    const spec = templateSpec('round-trip');
    const yamlText = formatSpec(spec, 'yaml', 'Submit with "ModelArts: Submit Training Job".');
    assert.match(yamlText, /^# Submit with/);
    assert.ok(!yamlText.includes('$schema') && !formatSpec(spec, 'json').includes('$schema'));
    assert.deepEqual(parseSpecText(yamlText, 'yaml', l10n), spec);
    assert.deepEqual(parseSpecText(formatSpec(spec, 'json'), 'json', l10n), spec);
    assert.deepEqual(parseSpecText(formatSpec(spec, 'json'), undefined, l10n), spec);
    assert.deepEqual(parseSpecText(yamlText, undefined, l10n), spec);
    assert.deepEqual(checkSpec(spec, l10n), []);
  });

  it('syntax errors name the line and column', () => {
    const yamlError = assert.throws(() => parseSpecText('kind: job\nmetadata:\n  name: [a\n', 'yaml', l10n), SpecError);
    void yamlError;
    assert.throws(() => parseSpecText('kind: job\nmetadata:\n  name: [a\n', 'yaml', l10n), /^SpecError: Line \d+, column \d+: /);
    assert.throws(() => parseSpecText('kind: job\nkind: edge_job\n', 'yaml', l10n), /Line 2, column 1: .*[Mm]ap keys must be unique/);
    assert.throws(() => parseSpecText('{\n  "kind": "job",\n  "metadata": }', 'json', l10n), /Line 3, column \d+: /);
    assert.throws(() => parseSpecText('   ', 'yaml', l10n), /The spec is empty\./);
  });

  it('the JSON error locator agrees with JSON.parse on valid and invalid texts', () => {
    const texts = ['{}', '{"a":[1,2,{"b":null}]}', '"x\\"y"', '-1.5e3', '{"a":}', '[1,]', '{"a":1} x', '01', '{"a" 1}', '"\u0001"'];
    for (const text of texts) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      assert.equal(jsonErrorOffset(text) === undefined, valid, text);
    }
    assert.equal(jsonErrorOffset('{"a":}'), 5);
  });

  it('local checks name each failing path', () => {
    assert.deepEqual(checkSpec([], l10n), ['The spec must be an object (a JSON object or a YAML mapping).']);
    assert.deepEqual(checkSpec({}, l10n), ['kind is required.', 'metadata is required.', 'algorithm is required.', 'spec is required.']);
    const spec = parse(`
kind: job
metadata: { workspace_id: "1" }
algorithm:
  code_dir: obs://b/code/
  boot_file: obs://b/code/train.py
  inputs: [{ name: data }]
spec:
  resource: { node_count: 0 }
`) as unknown;
    assert.deepEqual(checkSpec(spec, l10n), [
      'metadata.name is required.',
      'metadata.workspace_id must be "0" or a 32-character workspace id.',
      'algorithm.engine.engine_id is required with code_dir and boot_file (or engine_name with engine_version).',
      'algorithm.inputs[0].remote is required.',
      'spec.resource.node_count must be a whole number of at least 1.',
      'spec.resource.flavor_id is required (or spec.resource.pool_id).',
    ]);
    assert.deepEqual(checkSpec({ ...templateSpec('x'), kind: 'batch' }, l10n), ['kind must be one of job, federated_pool_job, edge_job, hetero_job, mrs_job, autosearch_job, diag_job, visualization_job.']);
    const noAlgorithm = { ...templateSpec('x'), algorithm: { parameters: [] } };
    assert.match(checkSpec(noAlgorithm, l10n)[0] ?? '', /^algorithm needs one of: id; code_dir with boot_file; engine.image_url with command; subscription_id with item_version_id\.$/);
  });

  it('the request drops $schema and takes the picked workspace only when the spec names none', () => {
    const request = toCreateRequest({ $schema: './x.json', ...templateSpec('ws-job') }, l10n, 'a'.repeat(32));
    assert.ok(!('$schema' in request));
    assert.equal(request.metadata.workspace_id, 'a'.repeat(32));
    const own = toCreateRequest({ ...templateSpec('ws-job'), metadata: { name: 'ws-job', workspace_id: '0' } }, l10n, 'a'.repeat(32));
    assert.equal(own.metadata.workspace_id, '0');
    assert.throws(() => toCreateRequest({ kind: 'job' }, l10n), (e: unknown) => e instanceof SpecError && e.problems.includes('metadata is required.'));
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
    assert.deepEqual(checkSpec(spec, l10n), []);
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
      const { job, request } = await submitSpec(client, parseSpecText(text, 'yaml', l10n), l10n);
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
        const { job } = await submitSpec(client, templateSpec('watched-job'), l10n, '0');
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

  it('a spec with a problem sends nothing; the same spec fixed sends one create', () =>
    withEmulator(async ({ client, served }) => {
      const spec = templateSpec('checked-first');
      const bad = { ...spec, metadata: {} };
      await assert.rejects(submitSpec(client, bad, l10n), (e: unknown) => e instanceof SpecError && e.message === 'metadata.name is required.');
      const noNodes = structuredClone(spec) as { spec: { resource: { node_count?: number } } };
      delete noNodes.spec.resource.node_count;
      await assert.rejects(submitSpec(client, noNodes, l10n), /spec\.resource\.node_count is required\./);
      assert.equal(served(/training-jobs$/).length, 0);
      const { job } = await submitSpec(client, spec, l10n, '0');
      assert.equal(job.metadata.workspace_id, '0');
      assert.equal(served(/^POST .*\/training-jobs$/).length, 1);
    }));

  it('export of a seeded job resubmits as is once renamed; clone picks a free -copy-N name', () =>
    withEmulator(async ({ client }) => {
      const exported = await exportJobSpec(client, SEED_JOB_ID, l10n);
      assert.equal((exported.metadata as { name: string }).name, 'TestModelArtsJob');
      assert.ok(!('status' in exported));
      const first = await cloneJobSpec(client, SEED_JOB_ID, l10n);
      assert.equal((first.metadata as { name: string }).name, 'TestModelArtsJob-copy-1');
      await submitSpec(client, first, l10n);
      const second = await cloneJobSpec(client, SEED_JOB_ID, l10n);
      assert.equal((second.metadata as { name: string }).name, 'TestModelArtsJob-copy-2');
      const { job } = await submitSpec(client, second, l10n);
      assert.equal(job.status.phase, 'Creating');
      await rejectsWith(exportJobSpec(client, '00000000-0000-0000-0000-000000000000', l10n), 'http');
    }));

  it('environments: the emulator answers the documented list of maps; Export as Spec and Clone give one map, which submits again', () =>
    withEmulator(async ({ client }) => {
      const { job } = await submitSpec(client, seed('training-job.create.request-custom-image.json'), l10n);
      const raw = await fetchJobDocument(client, job.metadata.id);
      assert.deepEqual((raw.algorithm as AnyJson).environments, [{ NCCL_DEBUG: 'INFO' }, { NCCL_IB_DISABLE: '0' }]);
      assert.deepEqual(job.algorithm?.environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
      const exported = await exportJobSpec(client, job.metadata.id, l10n);
      assert.deepEqual((exported.algorithm as AnyJson).environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
      const clone = await cloneJobSpec(client, job.metadata.id, l10n);
      assert.deepEqual((clone.algorithm as AnyJson).environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
      const { job: cloned } = await submitSpec(client, clone, l10n);
      assert.deepEqual((await client.trainingJobs.get(cloned.metadata.id)).algorithm?.environments, { NCCL_DEBUG: 'INFO', NCCL_IB_DISABLE: '0' });
    }));

  it('a failed job gives an error notification naming the reason', () => {
    const failed = { metadata: { id: 'j', name: 'bad-job' }, status: { phase: 'Failed', tasks: [], task_statuses: [{ task: 'worker-0', exit_code: 1, message: 'exit code 1' }] } } as const;
    assert.deepEqual(submitOutcome(structuredClone(failed) as never, l10n), { ok: false, message: 'Training job bad-job failed: exit code 1' });
  });
});

