import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ManualClock } from '../../../../src/api/clock';
import { DEMO_WORKSPACES } from '../../../../src/emulator/framework';
import { SEEDED_CODE_JOBS, trainScript } from '../../../../src/emulator/obs';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { TRAINING_TIMINGS } from '../../../../src/emulator/training';
import { missingBootFileMessage } from '../../../../src/emulator/training/bootFile';
import { signedFetch, startTestEmulator, type AnyJson } from '../../helpers/emulatorHelpers';
import { obsFetch, xmlFields } from './obsRig';

// A training job's code lives in the emulator's OBS: a created job whose code_dir and boot_file name OBS must
// find its boot file there, or it fails naming the obs path; its log starts with the boot file's first lines.
// The demo seed holds every object its jobs, workflows and the manual's examples name.

const PT = 'pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64';

function codeJob(name: string, algorithm: Record<string, unknown>): AnyJson {
  return {
    kind: 'job',
    metadata: { name, description: 'boot file check' },
    algorithm: { engine: { engine_id: PT }, ...algorithm },
    spec: { resource: { flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } },
  };
}

describe('training jobs and their boot file in OBS', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const script = ['import torch', 'print("boot file line 2")', '# line 3', '# line 4', '# line 5', '# line 6 is not shown', ''].join('\n');

  before(async () => {
    ({ emu, clock } = await startTestEmulator());
    const put = await obsFetch(emu, 'PUT', 'demo-bucket', 'boot-check/code/train.py', { body: script });
    assert.equal(put.status, 200, put.text);
  });
  after(() => emu.close());

  async function createJob(name: string, algorithm: Record<string, unknown>): Promise<string> {
    const res = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', { body: codeJob(name, algorithm) });
    assert.equal(res.status, 201, res.text);
    return res.json.metadata.id as string;
  }

  async function job(id: string): Promise<AnyJson> {
    const res = await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  }

  async function log(id: string): Promise<string> {
    const res = await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}/tasks/worker-0/logs/preview`);
    assert.equal(res.status, 200, res.text);
    return res.json.content as string;
  }

  it('a job whose boot file exists runs, and its log starts with the first five lines of the file', async () => {
    const forms: Array<[string, Record<string, unknown>]> = [
      ['boot-abs', { code_dir: '/demo-bucket/boot-check/code/', boot_file: '/demo-bucket/boot-check/code/train.py' }],
      ['boot-obs', { code_dir: 'obs://demo-bucket/boot-check/code/', boot_file: 'obs://demo-bucket/boot-check/code/train.py' }],
      ['boot-rel', { code_dir: 'obs://demo-bucket/boot-check/code/', boot_file: 'train.py' }],
      ['boot-rel-slashless', { code_dir: '/demo-bucket/boot-check/code', boot_file: './train.py' }],
    ];
    const ids = [];
    for (const [name, algorithm] of forms) ids.push(await createJob(name, algorithm));
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + 1000);
    for (const id of ids) {
      assert.equal((await job(id)).status.phase, 'Running');
      const content = await log(id);
      const head = script.split('\n').slice(0, 5).join('\n') + '\n';
      assert.ok(content.startsWith(head), content.slice(0, 300));
      assert.match(content.slice(head.length), /^\d{4}-\d\d-\d\d [\d:,]+ \[ModelArts Service Log\]INFO: initializing/);
      assert.ok(!content.includes('line 6'), 'only the first lines');
    }
  });

  it('a job whose boot file is missing fails with a message naming the obs path (in its status, events and log)', async () => {
    const id = await createJob('boot-missing', { code_dir: '/demo-bucket/boot-check/code/', boot_file: 'missing.py' });
    const wrongBucket = await createJob('boot-no-bucket', { code_dir: 'obs://no-such-bucket/code/', boot_file: 'obs://no-such-bucket/code/train.py' });
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.codeFailureMs + 1000);
    const message = missingBootFileMessage('demo-bucket', 'boot-check/code/missing.py');
    assert.equal(message, 'The boot file obs://demo-bucket/boot-check/code/missing.py does not exist in OBS.');
    const failed = await job(id);
    assert.equal(failed.status.phase, 'Failed');
    assert.equal(failed.status.task_statuses[0].message, message);
    const events = await signedFetch(emu, 'GET', `/v2/{pid}/training-jobs/${id}/events`);
    assert.ok(events.json.events.some((e: { message: string }) => e.message === message), events.text);
    const content = await log(id);
    assert.ok(content.includes(`ERROR: ${message}`), content);
    assert.ok(!content.includes('code download completed') && !content.includes('epoch'), content);
    assert.equal((await job(wrongBucket)).status.task_statuses[0].message, missingBootFileMessage('no-such-bucket', 'code/train.py'));
    // Uploading the file makes the same request run (the check reads OBS at create time).
    await obsFetch(emu, 'PUT', 'demo-bucket', 'boot-check/code/missing.py', { body: 'print("now here")\n' });
    const again = await createJob('boot-found-later', { code_dir: '/demo-bucket/boot-check/code/', boot_file: 'missing.py' });
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.codeFailureMs + 1000);
    assert.equal((await job(again)).status.phase, 'Running');
    assert.ok((await log(again)).startsWith('print("now here")\n'));
  });

  it('jobs without code_dir and boot_file are unaffected; the manual\'s code paths are seeded', async () => {
    const image = await signedFetch(emu, 'POST', '/v2/{pid}/training-jobs', {
      body: { ...codeJob('boot-image', {}), algorithm: { engine: { image_url: 'swr.example.com/team/train:1.0' }, command: 'python train.py' } },
    });
    assert.equal(image.status, 201, image.text);
    const manual = await createJob('manual-moxing', { code_dir: '/test/moxingtest-code/', boot_file: '/test/moxingtest-code/test_obs_gpu.py' });
    const rse = await createJob('manual-rse', { code_dir: '/cn-north-4-rse/test/moxingtest-code/', boot_file: '/cn-north-4-rse/test/moxingtest-code/test_obs_gpu.py' });
    const minist = await createJob('manual-minist', { code_dir: 'obs://test/economic_test/py_minist/', boot_file: 'obs://test/economic_test/py_minist/minist_common.py' });
    await clock.advance(TRAINING_TIMINGS.creatingMs + TRAINING_TIMINGS.pendingMs + TRAINING_TIMINGS.codeFailureMs + 1000);
    assert.equal((await job(image.json.metadata.id)).status.phase, 'Running');
    assert.ok((await log(image.json.metadata.id)).startsWith('20'), 'an image job\'s log starts with the platform lines');
    for (const id of [manual, rse, minist]) {
      assert.equal((await job(id)).status.phase, 'Running');
      assert.ok((await log(id)).startsWith('# test_obs_gpu') || (await log(id)).startsWith('# minist_common'));
    }
  });
});

describe('the demo seed of OBS', () => {
  it('holds the code of every seeded training job, the manual\'s objects and a bucket in another region; the empty seed has no bucket', async () => {
    const { emu } = await startTestEmulator();
    try {
      let checked = 0;
      for (const workspace of DEMO_WORKSPACES) {
        const res = await signedFetch(emu, 'POST', '/v2/{pid}/training-job-searches', { body: { workspace_id: workspace.id, limit: 50 } });
        assert.equal(res.status, 200, res.text);
        for (const item of res.json.items as AnyJson[]) {
          const { code_dir: codeDir, boot_file: bootFile } = item.algorithm;
          if (typeof codeDir !== 'string' || typeof bootFile !== 'string') continue;
          const m = /^(?:obs:\/)?\/([^/]+)\/(.+)$/.exec(bootFile);
          assert.ok(m, bootFile);
          assert.ok(emu.obs.readHead(m[1], m[2], 10) !== undefined, `${item.metadata.name}: ${bootFile} is in OBS`);
          checked++;
        }
      }
      assert.ok(checked >= SEEDED_CODE_JOBS.length, `${checked} boot files checked`);
      for (const job of SEEDED_CODE_JOBS) assert.equal(emu.obs.readHead('demo-bucket', `${job}/code/train.py`, 1 << 20)?.toString(), trainScript(job));
      for (const [bucket, key] of [['test', 'moxingtest-code/test_obs_gpu.py'], ['cn-north-4-rse', 'test/moxingtest-code/test_obs_gpu.py'], ['test-crq', 'train_output/'], ['cn-north-4-training-test', 'limou/ddp-demo-log/worker-0.log'], ['test', 'data/py_minist/train.csv'], ['demo-bucket', 'train-and-deploy/output/']]) {
        assert.ok(emu.obs.readHead(bucket, key, 1) !== undefined, `${bucket}/${key}`);
      }
      const listed = await obsFetch(emu, 'GET', undefined, undefined);
      assert.equal(listed.status, 200, listed.text);
      const locations = xmlFields(listed.text, 'Location');
      assert.ok(locations.includes('cn-north-4') && locations.includes('cn-east-3'), locations.join(','));
    } finally {
      await emu.close();
    }
    const { emu: empty } = await startTestEmulator({ seed: 'empty' });
    try {
      const listed = await obsFetch(empty, 'GET', undefined, undefined);
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(xmlFields(listed.text, 'Name'), []);
      assert.ok(listed.text.includes('<Buckets></Buckets>'), listed.text);
    } finally {
      await empty.close();
    }
  });
});
