// Run configurations (.modelarts/run.modelarts-job.yaml): a training job spec with a code block, checked by the
// spec checker like any spec, plus what the schema cannot say: a plain spec's boot_file needs its code_dir, a run
// configuration has none and names its boot file and folder as local relative paths, and its outputs stay out of
// the OBS folder each run mirrors. Each rule is shown failing on its path and passing once the value is right.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatSpec, isRunConfiguration } from '../../../../src/commands/specs/spec';
import { checkSpec, checkSpecText, type JsonSchema } from '../../../../src/commands/specs/specCheck';
import { englishL10n as l10n } from '../../../../src/common/translate';
import { RUN_CONFIGURATION, runnableSpec } from '../../helpers/specs';

const root = join(__dirname, '..', '..', '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/training-job-spec.schema.json'), 'utf8')) as JsonSchema;

type Json = Record<string, unknown>;

/** The problems of a YAML text: the text each sits on and its message. */
function problems(text: string): Array<[string, string]> {
  return checkSpecText(text, 'yaml', schema, l10n).problems.map((p) => [text.slice(p.start, p.end), p.message]);
}

function runConfiguration(): Json {
  const parsed = checkSpecText(RUN_CONFIGURATION, 'yaml', schema, l10n).value;
  assert.ok(isRunConfiguration(parsed));
  return structuredClone(parsed) as Json;
}

const algorithmOf = (spec: Json): Json => spec.algorithm as Json;
const codeOf = (spec: Json): Json => spec.code as Json;
const messages = (spec: unknown): string[] => checkSpec(spec, schema, l10n).map((f) => `${f.path.join('.')}: ${f.message}`);

describe('run configurations: the code block in the spec schema and checker', () => {
  it('a valid run configuration has no problem, in YAML and in JSON, with each kind of engine', () => {
    assert.deepEqual(problems(RUN_CONFIGURATION), []);
    const spec = runConfiguration();
    assert.deepEqual(checkSpecText(formatSpec(spec, 'json'), 'json', schema, l10n).problems, []);
    const byId = runConfiguration();
    algorithmOf(byId).engine = { engine_id: 'pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64' };
    algorithmOf(byId).boot_file = 'src/train.py';
    codeOf(byId).folder = './project/../project';
    // A custom image with a command, or with a boot file alone (the run writes the command).
    const customImage = runConfiguration();
    delete algorithmOf(customImage).boot_file;
    algorithmOf(customImage).engine = { image_url: 'swr.cn-north-4.myhuaweicloud.com/demo-org/train:1.0' };
    algorithmOf(customImage).command = 'python /home/ma-user/modelarts/user-job-dir/code/train.py';
    const customImageBootFile = runConfiguration();
    algorithmOf(customImageBootFile).engine = { image_url: 'swr.cn-north-4.myhuaweicloud.com/demo-org/train:1.0' };
    const minimal = runConfiguration();
    delete algorithmOf(minimal).outputs;
    minimal.code = { obs: 'obs://my-bucket/code/' };
    for (const valid of [byId, customImage, customImageBootFile, minimal]) assert.deepEqual(messages(valid), [], JSON.stringify(valid));
  });

  it('isRunConfiguration: a spec with a code object, and nothing else', () => {
    assert.equal(isRunConfiguration(runConfiguration()), true);
    assert.equal(isRunConfiguration(runnableSpec('plain')), false);
    assert.equal(isRunConfiguration({ ...runnableSpec('odd'), code: 'obs://my-bucket/code/' }), false);
    assert.equal(isRunConfiguration(undefined), false);
    assert.equal(isRunConfiguration([{ code: {} }]), false);
  });

  it('a plain spec: boot_file without code_dir is an error on boot_file; with code_dir the spec passes', () => {
    const plain = (codeDir: string): string =>
      `kind: job\nmetadata: { name: plain }\nalgorithm:\n${codeDir}  boot_file: obs://my-bucket/code/train.py\n  engine: { engine_id: pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64 }\nspec:\n  resource: { flavor_id: modelarts.vm.cpu.2u, node_count: 1 }\n`;
    assert.deepEqual(problems(plain('')), [
      ['boot_file', 'algorithm.boot_file needs algorithm.code_dir, the OBS folder that holds it; or, to upload a local folder with "Run on ModelArts", a code block with code.obs.'],
    ]);
    assert.deepEqual(problems(plain('  code_dir: obs://my-bucket/code/\n')), []);
    // A code key that is not an object: the schema says so, and nothing about boot_file is added.
    assert.deepEqual(
      problems(`${plain('')}code: obs://my-bucket/code/\n`).map(([, message]) => message),
      ['code must be keys with values, not "obs://my-bucket/code/".'],
    );
  });

  it('a plain spec: a custom image needs its command; only a run configuration may give a boot_file alone', () => {
    const image = 'swr.cn-north-4.myhuaweicloud.com/demo-org/train:1.0';
    const plain = (command: string): string =>
      `kind: job\nmetadata: { name: plain }\nalgorithm:\n  code_dir: obs://my-bucket/code/\n  boot_file: obs://my-bucket/code/train.py\n${command}  engine: { image_url: ${image} }\nspec:\n  resource: { flavor_id: modelarts.vm.cpu.2u, node_count: 1 }\n`;
    assert.deepEqual(problems(plain('')), [['algorithm', 'algorithm.command is required with a custom image (algorithm.engine.image_url): only a run configuration runs its boot_file without one.']]);
    assert.deepEqual(problems(plain('  command: python ${MA_JOB_DIR}/code/train.py\n')), []);
    // Without a boot file either, the schema asks for the command, as it did before run configurations.
    const bare = runnableSpec('bare');
    delete algorithmOf(bare).command;
    assert.deepEqual(messages(bare), ['algorithm: algorithm.command is required.']);
  });

  it('a run configuration: code_dir is refused on its key, because the run sets it', () => {
    const text = RUN_CONFIGURATION.replace('  boot_file: train.py\n', '  code_dir: obs://my-bucket/elsewhere/\n  boot_file: train.py\n');
    assert.deepEqual(problems(text), [['code_dir', 'algorithm.code_dir must be left out of a run configuration: Run on ModelArts sets it from code.obs.']]);
  });

  it('a run configuration: boot_file is a relative path inside code.folder', () => {
    const refused: Array<[string, string]> = [
      ['obs://my-bucket/modelarts-runs/my-project/code/train.py', 'algorithm.boot_file is a path inside code.folder in a run configuration, such as train.py, not an OBS path or a URL: Run on ModelArts builds the OBS path from code.obs.'],
      ['https://example.com/train.py', 'algorithm.boot_file is a path inside code.folder in a run configuration, such as train.py, not an OBS path or a URL: Run on ModelArts builds the OBS path from code.obs.'],
      ['/my-bucket/code/train.py', 'algorithm.boot_file must be relative to code.folder, such as train.py or src/train.py, not start with "/" or a drive letter.'],
      ['C:/project/train.py', 'algorithm.boot_file must be relative to code.folder, such as train.py or src/train.py, not start with "/" or a drive letter.'],
      ['../train.py', 'algorithm.boot_file must lie inside code.folder: a ".." segment is not allowed.'],
      ['src/../train.py', 'algorithm.boot_file must lie inside code.folder: a ".." segment is not allowed.'],
      ['src\\train.py', 'algorithm.boot_file must separate folders with "/", not "\\".'],
    ];
    for (const [bootFile, message] of refused) {
      const text = RUN_CONFIGURATION.replace('boot_file: train.py', `boot_file: ${JSON.stringify(bootFile)}`);
      assert.deepEqual(problems(text), [[JSON.stringify(bootFile), message]], bootFile);
    }
    for (const bootFile of ['train.py', 'src/train.py', './src/train.py', 'my..file.py']) {
      const spec = runConfiguration();
      algorithmOf(spec).boot_file = bootFile;
      assert.deepEqual(messages(spec), [], bootFile);
    }
  });

  it('a run configuration: code.folder is relative and stays inside the folder that holds .modelarts', () => {
    const refused: Array<[string, string]> = [
      ['/home/me/project', 'code.folder must be relative to the folder that holds .modelarts, such as . or src, not start with "/" or a drive letter.'],
      ['D:/project', 'code.folder must be relative to the folder that holds .modelarts, such as . or src, not start with "/" or a drive letter.'],
      ['..', 'code.folder must not lead out of the folder that holds .modelarts with "..".'],
      ['src/../../other', 'code.folder must not lead out of the folder that holds .modelarts with "..".'],
      ['src\\model', 'code.folder must separate folders with "/", not "\\".'],
      ['', 'code.folder must not be empty.'],
    ];
    for (const [folder, message] of refused) {
      const text = RUN_CONFIGURATION.replace('folder: .', `folder: ${JSON.stringify(folder)}`);
      assert.deepEqual(problems(text), [[JSON.stringify(folder), message]], folder);
    }
    for (const folder of ['.', './', 'src', 'src/model/', 'src/../lib']) {
      const spec = runConfiguration();
      codeOf(spec).folder = folder;
      assert.deepEqual(messages(spec), [], folder);
    }
  });

  it('a run configuration: code.exclude holds patterns, none empty or blank', () => {
    const text = RUN_CONFIGURATION.replace('exclude: ["data/", "*.ckpt"]', 'exclude: ["data/", "", "   ", 7]');
    assert.deepEqual(problems(text), [
      ['""', 'code.exclude[1] must not be empty.'],
      ['"   "', 'code.exclude[2] must not be blank.'],
      ['7', 'code.exclude[3] must be text, not 7.'],
    ]);
  });

  it('a run configuration: code.obs is an OBS folder below a bucket, and required', () => {
    const worded = 'code.obs must be an OBS folder such as obs://my-bucket/runs/my-project/code/: a bucket name, at least one folder, and a final "/".';
    for (const obs of ['obs://my-bucket/', 'obs://my-bucket/code', '/my-bucket/code/', 's3://my-bucket/code/', 'obs://My-Bucket/code/', 'obs://my-bucket//code/']) {
      const text = RUN_CONFIGURATION.replace('obs: obs://my-bucket/modelarts-runs/my-project/code/', `obs: ${JSON.stringify(obs)}`);
      assert.deepEqual(problems(text), [[JSON.stringify(obs), worded]], obs);
    }
    const none = runConfiguration();
    delete codeOf(none).obs;
    assert.deepEqual(messages(none), ['code: code.obs is required.']);
    const stranger = runConfiguration();
    codeOf(stranger).excludes = ['x'];
    assert.deepEqual(messages(stranger), ['code.excludes: "excludes" is not a key of code. Did you mean "exclude"?']);
  });

  it('a run configuration: outputs and the log export folder must not lie inside code.obs, which each run mirrors', () => {
    const inside = (at: string): string => `${at} lies inside code.obs, which each run replaces with a copy of the local folder: what the job writes there would be deleted. Choose an OBS folder outside code.obs.`;
    const spec = runConfiguration();
    algorithmOf(spec).outputs = [
      { name: 'outside', remote: { obs: { obs_url: 'obs://my-bucket/modelarts-runs/my-project/output/' } } },
      { name: 'sibling', remote: { obs: { obs_url: 'obs://my-bucket/modelarts-runs/my-project/code-output/' } } },
      { name: 'parent', remote: { obs: { obs_url: 'obs://my-bucket/modelarts-runs/' } } },
      { name: 'other-bucket', remote: { obs: { obs_url: 'obs://other-bucket/modelarts-runs/my-project/code/' } } },
      { name: 'same', remote: { obs: { obs_url: 'obs://my-bucket/modelarts-runs/my-project/code/' } } },
      { name: 'below', remote: { obs: { obs_url: 'obs://my-bucket/modelarts-runs/my-project/code/out/' } } },
      { name: 'path-form', remote: { obs: { obs_url: '/my-bucket/modelarts-runs/my-project/code/out' } } },
      { name: 'dataset', remote: { dataset: { id: 'ds-1', obs_url: 'obs://my-bucket/modelarts-runs/my-project/code/ds/' } } },
    ];
    (spec.spec as Json).log_export_path = { obs_url: 'obs://my-bucket/modelarts-runs/my-project/code/logs/' };
    const text = formatSpec(spec, 'yaml');
    assert.deepEqual(problems(text), [
      ['obs://my-bucket/modelarts-runs/my-project/code/', inside('algorithm.outputs[4].remote.obs.obs_url')],
      ['obs://my-bucket/modelarts-runs/my-project/code/out/', inside('algorithm.outputs[5].remote.obs.obs_url')],
      ['/my-bucket/modelarts-runs/my-project/code/out', inside('algorithm.outputs[6].remote.obs.obs_url')],
      ['obs://my-bucket/modelarts-runs/my-project/code/logs/', inside('spec.log_export_path.obs_url')],
    ]);
    // The same outputs in a plain spec are its own business: nothing is mirrored there.
    const plain = structuredClone(spec);
    delete plain.code;
    algorithmOf(plain).code_dir = 'obs://my-bucket/modelarts-runs/my-project/code/';
    algorithmOf(plain).boot_file = 'obs://my-bucket/modelarts-runs/my-project/code/train.py';
    assert.deepEqual(messages(plain), []);
  });

  it('every key of the code block has a description for the editor to show on hover', () => {
    const code = schema.properties?.code as JsonSchema & { description?: string };
    assert.ok(code.description?.includes('run configuration'));
    for (const [key, sub] of Object.entries(code.properties ?? {})) assert.ok((sub as { description?: string }).description, key);
    assert.deepEqual(Object.keys(code.properties ?? {}), ['folder', 'obs', 'exclude']);
  });
});
