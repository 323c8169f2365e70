// The run configuration of Run on ModelArts, offline: its code block, the create request of one run (custom
// image or engine, workspace, what is dropped, the spec left as it was), job names, and the configuration file a
// first run writes: read back with the `yaml` package and checked by the spec checker with the contributed schema.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { bootFileOf, formatRunConfiguration, jobNameForFolder, newRunConfiguration, parseObsFolder, runCodeOf, runCreateRequest, runJobName, RUN_CONFIG_HINT, type RunAnswers, type RunCode } from '../../../../src/commands/run/runConfig';
import { checkSpecText, type JsonSchema } from '../../../../src/commands/specs/specCheck';
import { englishL10n as l10n } from '../../../../src/common/translate';

const root = join(__dirname, '..', '..', '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/training-job-spec.schema.json'), 'utf8')) as JsonSchema;

const CODE: RunCode = { folder: '.', bucket: 'demo-bucket', prefix: 'runs/my-project/', exclude: [] };
const CUSTOM_IMAGE = 'swr.cn-north-4.myhuaweicloud.com/demo-org/train:1.0';

/** A configuration as the checker passes it: a spec plus its code block and a `$schema` line. */
function configuration(engine: Record<string, unknown>, algorithm: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $schema: 'https://example.com/training-job-spec.schema.json',
    kind: 'job',
    metadata: { name: 'my-project', description: 'from the editor' },
    algorithm: { engine, boot_file: 'train.py', parameters: [{ name: 'epochs', value: '3' }], ...algorithm },
    spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
    code: { folder: '.', obs: 'obs://demo-bucket/runs/my-project/', exclude: ['data/'] },
  };
}

describe('run configuration: the code block', () => {
  it('parseObsFolder takes an OBS folder (never a bucket root, a file or another scheme)', () => {
    assert.deepEqual(parseObsFolder('obs://demo-bucket/runs/my-project/'), { bucket: 'demo-bucket', prefix: 'runs/my-project/' });
    assert.deepEqual(parseObsFolder('obs://b.c-d/x/'), { bucket: 'b.c-d', prefix: 'x/' });
    for (const url of ['obs://demo-bucket/', 'obs://demo-bucket', 'obs://demo-bucket/runs/file.py', 's3://demo-bucket/runs/', 'obs://Demo-Bucket/runs/', 'obs://demo-bucket//runs/', '/demo-bucket/runs/', 'obs://ab/x/']) {
      assert.equal(parseObsFolder(url), undefined, url);
    }
  });

  it('runCodeOf reads folder, OBS folder and exclude patterns; no code block or a bad OBS folder is none', () => {
    assert.deepEqual(runCodeOf({ code: { folder: 'src\\train\\', obs: 'obs://demo-bucket/a/b/', exclude: ['*.ckpt', '', 3, '  ', 'data/'] } }), {
      folder: 'src/train',
      bucket: 'demo-bucket',
      prefix: 'a/b/',
      exclude: ['*.ckpt', 'data/'],
    });
    assert.deepEqual(runCodeOf({ code: { obs: 'obs://demo-bucket/a/' } }), { folder: '.', bucket: 'demo-bucket', prefix: 'a/', exclude: [] }, 'the folder holding .modelarts/ by default');
    assert.equal(runCodeOf({ code: { folder: '/', obs: 'obs://demo-bucket/a/' } })?.folder, '.');
    for (const spec of [undefined, null, {}, { code: 'x' }, { code: [] }, { code: { folder: '.' } }, { code: { obs: 'obs://demo-bucket/' } }, { code: { obs: 42 } }]) {
      assert.equal(runCodeOf(spec), undefined, JSON.stringify(spec));
    }
  });

  it('bootFileOf is relative to the code folder, without a leading ./', () => {
    assert.equal(bootFileOf({ algorithm: { boot_file: './src/train.py' } }), 'src/train.py');
    assert.equal(bootFileOf({ algorithm: { boot_file: 'train.py' } }), 'train.py');
    for (const spec of [{}, { algorithm: {} }, { algorithm: { boot_file: '' } }, { algorithm: { boot_file: 1 } }]) assert.equal(bootFileOf(spec), undefined);
  });
});

describe('run configuration: the create request of one run', () => {
  it('an engine: code_dir and boot_file in OBS; the code block and $schema dropped; the workspace filled in; the spec unchanged', () => {
    const spec = configuration({ engine_id: 'pytorch-cp36-1.4.0-v2' });
    const before = structuredClone(spec);
    const request = runCreateRequest(spec, CODE, { name: 'my-project-20260102-030405', workspaceId: '0' });
    assert.deepEqual(request, {
      kind: 'job',
      metadata: { name: 'my-project-20260102-030405', description: 'from the editor', workspace_id: '0' },
      algorithm: {
        engine: { engine_id: 'pytorch-cp36-1.4.0-v2' },
        boot_file: '/demo-bucket/runs/my-project/train.py',
        code_dir: '/demo-bucket/runs/my-project/',
        parameters: [{ name: 'epochs', value: '3' }],
      },
      spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
    });
    assert.deepEqual(spec, before, 'the configuration is not changed');
    // The request is a copy: changing it leaves the configuration alone.
    (request.algorithm as { parameters: unknown[] }).parameters.push({ name: 'more' });
    assert.deepEqual(spec, before);
  });

  it('a workspace in the configuration wins over the current one; without either there is none', () => {
    const spec = configuration({ engine_id: 'pytorch-cp36-1.4.0-v2' });
    (spec.metadata as Record<string, unknown>).workspace_id = 'a'.repeat(32);
    assert.equal(runCreateRequest(spec, CODE, { name: 'n', workspaceId: '0' }).metadata.workspace_id, 'a'.repeat(32));
    const none = runCreateRequest(configuration({ engine_id: 'x' }), CODE, { name: 'n' });
    assert.equal(Object.hasOwn(none.metadata, 'workspace_id'), false);
  });

  it('a custom image: a command running the boot file in ${MA_JOB_DIR}/<last folder of the prefix>, no boot_file', () => {
    const spec = configuration({ image_url: CUSTOM_IMAGE });
    const before = structuredClone(spec);
    const request = runCreateRequest(spec, CODE, { name: 'n' });
    const algorithm = request.algorithm as Record<string, unknown>;
    assert.equal(algorithm.command, 'python ${MA_JOB_DIR}/my-project/train.py');
    assert.equal(Object.hasOwn(algorithm, 'boot_file'), false);
    assert.equal(algorithm.code_dir, '/demo-bucket/runs/my-project/');
    assert.deepEqual(algorithm.engine, { image_url: CUSTOM_IMAGE });
    assert.deepEqual(spec, before);
    assert.deepEqual(Object.keys(request).sort(), ['algorithm', 'kind', 'metadata', 'spec']);

    const shell = runCreateRequest(configuration({ image_url: CUSTOM_IMAGE }, { boot_file: './scripts/run.sh' }), { ...CODE, prefix: 'a/b/c/' }, { name: 'n' });
    assert.equal((shell.algorithm as Record<string, unknown>).command, 'bash ${MA_JOB_DIR}/c/scripts/run.sh');
    const own = runCreateRequest(configuration({ image_url: CUSTOM_IMAGE }, { command: 'sh /home/ma-user/start.sh' }), CODE, { name: 'n' });
    assert.equal((own.algorithm as Record<string, unknown>).command, 'sh /home/ma-user/start.sh', 'a command of its own is kept');
  });
});

describe('run configuration: job names', () => {
  it('runJobName: <base>-<yyyymmdd>-<hhmmss> in local time, at most 64 characters', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    assert.equal(runJobName('my-project', at), 'my-project-20260102-030405');
    assert.equal(runJobName('x', new Date(2026, 11, 31, 23, 59, 59)), 'x-20261231-235959');
    const long = runJobName('a'.repeat(70), at);
    assert.equal(long.length, 64);
    assert.equal(long, `${'a'.repeat(48)}-20260102-030405`);
    assert.equal(runJobName('b'.repeat(48), at).length, 64, 'a base that just fits is kept whole');
    assert.equal(runJobName('b'.repeat(48), at), `${'b'.repeat(48)}-20260102-030405`);
  });

  it('jobNameForFolder keeps letters, digits, _ and -, at most 40, and names the rest "run"', () => {
    assert.equal(jobNameForFolder('my_project-2'), 'my_project-2');
    assert.equal(jobNameForFolder('My Project (v2)'), 'My-Project-v2');
    assert.equal(jobNameForFolder('  --über.code--  '), 'ber-code');
    assert.equal(jobNameForFolder('训练'), 'run');
    assert.equal(jobNameForFolder(''), 'run');
    assert.equal(jobNameForFolder('x'.repeat(60)), 'x'.repeat(40));
    for (const name of ['a b', '训练 code', 'x'.repeat(60), '...']) assert.match(runJobName(jobNameForFolder(name), new Date()), /^[A-Za-z0-9_-]{1,64}$/, name);
  });
});

describe('run configuration: the file a first run writes', () => {
  const answers = (engine: RunAnswers['engine'], outputs?: string): RunAnswers => ({
    name: 'my-project',
    workspaceId: '0',
    engine,
    flavorId: 'modelarts.vm.cpu.8u',
    nodeCount: 1,
    bootFile: 'train.py',
    folder: '.',
    bucket: 'demo-bucket',
    prefix: 'runs/my-project/',
    outputs,
  });
  const engines: Array<RunAnswers['engine']> = [{ engine_id: 'pytorch-cp36-1.4.0-v2' }, { engine_name: 'PyTorch', engine_version: 'PyTorch-1.4.0-python3.6-v2' }, { image_url: CUSTOM_IMAGE }];

  it('reads back as the same object with the yaml package, with the hint as comments and the code block resolvable', () => {
    for (const engine of engines) {
      const config = newRunConfiguration(answers(engine, 'obs://demo-bucket/outputs/'));
      const text = formatRunConfiguration(config);
      assert.ok(text.startsWith(`# ${RUN_CONFIG_HINT.split('\n')[0]}\n`), text);
      assert.deepEqual(parse(text), config);
      assert.deepEqual(runCodeOf(parse(text)), { folder: '.', bucket: 'demo-bucket', prefix: 'runs/my-project/', exclude: [] });
      assert.equal(bootFileOf(parse(text)), 'train.py');
    }
    const config = newRunConfiguration(answers(engines[0], 'obs://demo-bucket/outputs/'));
    assert.deepEqual((config.algorithm as Record<string, unknown>).outputs, [{ name: 'output', remote: { obs: { obs_url: '/demo-bucket/outputs/' } } }]);
    assert.equal(Object.hasOwn(newRunConfiguration(answers(engines[0])).algorithm as object, 'outputs'), false);
  });

  it('passes the spec checker: the code block accepted, an algorithm without code_dir (or command) accepted with one', () => {
    for (const engine of engines) {
      const text = formatRunConfiguration(newRunConfiguration(answers(engine, 'obs://demo-bucket/outputs/')));
      const result = checkSpecText(text, 'yaml', schema, l10n);
      assert.deepEqual(result.problems.map((p) => `${p.code}: ${p.message}`), [], text);
      assert.deepEqual(result.value, parse(text));
    }
  });

  it('the checker still refuses what the code block does not excuse: no boot file, and a code block of the wrong shape', () => {
    const config = newRunConfiguration(answers(engines[0]));
    delete (config.algorithm as Record<string, unknown>).boot_file;
    const problems = checkSpecText(formatRunConfiguration(config), 'yaml', schema, l10n).problems.map((p) => p.message);
    assert.notDeepEqual(problems.filter((message) => !message.includes('"code"')), [], problems.join('\n'));
    const wrong = newRunConfiguration(answers(engines[0]));
    wrong.code = 'obs://demo-bucket/runs/';
    assert.notDeepEqual(checkSpecText(formatRunConfiguration(wrong), 'yaml', schema, l10n).problems, []);
  });
});
