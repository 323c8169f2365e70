import { DEMO_WORKSPACES, scaleWorkspaceIds, type FamilyOptions, type EmuJsonObject } from '../framework';
import { prng, stableUuid } from '../familyKit';
import type { Fate, JobDoc, JobPlan, TrainingSeedTarget } from './records';

// Training jobs of the demo seed: the seed manual's example jobs under their own ids and fields, jobs in
// every phase across the demo workspaces (some keep running and logging for hours), and the scale seed.

/** The manual's `GET /v2/{project_id}/training-jobs/{id}` example (Abnormal / CreateFailed). It never moves. */
export const MANUAL_ABNORMAL_JOB: JobDoc = {
  kind: 'job',
  metadata: {
    id: '3faf5c03-aaa1-4cbe-879d-24b05d997347',
    name: 'trainjob--py14_mem06-108',
    description: '',
    create_time: 1636447346315,
    workspace_id: '0',
    user_name: '',
  },
  status: {
    phase: 'Abnormal',
    secondary_phase: 'CreateFailed',
    duration: 0,
    start_time: 0,
    node_count_metrics: [
      [1636447746000, 0],
      [1636447755000, 0],
      [1636447756000, 0],
    ],
    tasks: ['worker-0'],
    running_records: [
      {
        start_at: 1701327093,
        end_at: 1701322341,
        start_type: 'init_or_rescheduled',
        end_recover: 'job_reschedule',
        end_reason: 'exit with 127',
        end_related_task: 'worker-2',
        end_recover_before_downgrade: 'npu_proc_restart',
      },
      { start_at: 1701323345, end_at: 1701325432, start_type: 'init_or_rescheduled', end_reason: 'job completed' },
    ],
  },
  algorithm: {
    code_dir: 'obs://test/economic_test/py_minist/',
    boot_file: 'obs://test/economic_test/py_minist/minist_common.py',
    inputs: [{ name: 'data_url', local_dir: '/home/ma-user/modelarts/inputs/data_url_0', remote: { obs: { obs_url: '/test/data/py_minist/' } } }],
    outputs: [{ name: 'train_url', local_dir: '/home/ma-user/modelarts/outputs/train_url_0', remote: { obs: { obs_url: '/test/train_output/' } } }],
    engine: { engine_id: 'pytorch-cp36-1.4.0-v2', engine_name: 'PyTorch', engine_version: 'PyTorch-1.4.0-python3.6-v2' },
  },
  spec: {
    resource: {
      flavor_id: 'modelarts.vm.pnt1.large.eco',
      node_count: 1,
      flavor_detail: {
        flavor_type: 'GPU',
        billing: { code: 'modelarts.vm.gpu.pnt1.eco', unit_num: 1 },
        flavor_info: { cpu: { arch: 'x86', core_num: 8 }, gpu: { unit_num: 1, memory: '8GB' }, memory: { size: 64, unit: 'GB' } },
      },
    },
  },
};

const constraint = (type: string): EmuJsonObject => ({ type, editable: true, required: true, sensitive: false, valid_type: 'None', valid_range: [] });

/** The manual's create response (`POST /v2/{project_id}/training-jobs`, 201): seeded in phase Creating. */
export const MANUAL_CREATED_JOB: JobDoc = {
  kind: 'job',
  metadata: {
    id: '425b7087-83de-49ed-9e40-5bb642be956f',
    name: 'TestModelArtsJob',
    description: 'This is a ModelArts job',
    create_time: 1637045545982,
    workspace_id: '0',
    user_name: '',
  },
  status: { phase: 'Creating', secondary_phase: 'Creating', duration: 0, start_time: 0, node_count_metrics: null, tasks: ['worker-0', 'server-0'] },
  algorithm: {
    id: '3f5d6706-7b67-408d-8ba0-ec08048c45ed',
    name: 'ttt-obs-gpu',
    code_dir: '/cn-north-4-rse/test/moxingtest-code/',
    boot_file: '/cn-north-4-rse/test/moxingtest-code/test_obs_gpu.py',
    parameters: [
      { name: 'input_dir', description: '', i18n_description: null, value: 's://cn-north-4-rse/test/moxingtest-dir/', constraint: constraint('String') },
      { name: 'input_file', description: '', i18n_description: null, value: 'obs://cn-north-4-rse/test/moxingtest/', constraint: constraint('String') },
      { name: 'large_file_method', description: '', i18n_description: null, value: '1', constraint: constraint('Integer') },
    ],
    engine: { engine_id: 'horovod-cp36-tf-1.16.2', engine_name: 'Horovod', engine_version: '0.16.2-TF-1.13.1-python3.6' },
    policies: {},
  },
  spec: {
    resource: {
      policy: 'regular',
      flavor_id: 'modelarts.p3.large.public.free',
      flavor_name: 'Computing GPU(Vnt1) instance',
      node_count: 1,
      flavor_detail: {
        flavor_type: 'GPU',
        billing: { code: 'modelarts.vm.gpu.free', unit_num: 1 },
        flavor_info: { cpu: { arch: 'x86', core_num: 8 }, gpu: { unit_num: 1, product_name: 'GP-Vnt1', memory: '32GB' }, memory: { size: 64, unit: 'GB' } },
      },
    },
    log_export_path: {},
  },
};

/** The job the manual's save-image example targets: Running with task worker-0 for three emulated days. */
export const MANUAL_SAVE_IMAGE_JOB_ID = '2cd88daa-31a4-40a8-a58f-d186b0e93e4f';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const plan = (runMs: number, pendingMs = 20_000, creatingMs = 5_000): JobPlan => ({ creatingMs, pendingMs, runMs });

function codeJob(name: string, workspaceId: string, flavorId: string, engineId: string, nodeCount = 1, description = ''): EmuJsonObject {
  return {
    kind: 'job',
    metadata: { name, description, workspace_id: workspaceId },
    algorithm: {
      code_dir: `/demo-bucket/${name}/code/`,
      boot_file: `/demo-bucket/${name}/code/train.py`,
      engine: { engine_id: engineId },
      inputs: [{ name: 'data_url', remote: { obs: { obs_url: `/demo-bucket/${name}/data/` } } }],
      outputs: [{ name: 'train_url', remote: { obs: { obs_url: `/demo-bucket/${name}/output/` } } }],
    },
    spec: { resource: { flavor_id: flavorId, node_count: nodeCount } },
  };
}

function algorithmJob(name: string, workspaceId: string, algorithmId: string, flavorId: string, description = ''): EmuJsonObject {
  return {
    kind: 'job',
    metadata: { name, description, workspace_id: workspaceId },
    algorithm: { id: algorithmId },
    spec: { resource: { flavor_id: flavorId, node_count: 1 } },
  };
}

const PT = 'pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64';
const TF = 'tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64';
const MS = 'mindspore_1.7.0-cann_5.1.0-py_3.7-euler_2.8.3-aarch64';

export function seedTraining(target: TrainingSeedTarget, opts: FamilyOptions): void {
  const t0 = opts.clock.now();
  if (opts.seed === 'demo') seedDemo(target, t0);
  if (opts.scaleJobs > 0) {
    for (const workspaceId of scaleWorkspaceIds(opts)) seedScale(target, t0, opts.scaleJobs, opts.userName, workspaceId, opts.scaleRunning ?? false);
  }
  if ((opts.runningJobs ?? 0) > 0) seedRunning(target, t0, opts.runningJobs ?? 0, opts.userName);
  target.runDue(t0);
}

function seedDemo(target: TrainingSeedTarget, t0: number): void {
  const [ws0, vision, nlp] = DEMO_WORKSPACES.map((w) => w.id);

  target.seedFixedJob({
    doc: MANUAL_ABNORMAL_JOB,
    history: [
      { phase: 'Creating', at: MANUAL_ABNORMAL_JOB.metadata.create_time },
      { phase: 'Abnormal', at: 1636447756000 },
    ],
    events: [
      { time: MANUAL_ABNORMAL_JOB.metadata.create_time, level: 'Info', message: 'Training job is being created.', source: 'Job' },
      { time: 1636447756000, level: 'Error', message: 'Failed to create the training job: [worker-0] exit with 127.', source: 'Job' },
    ],
    reference: true,
  });
  target.seedReferenceJob(MANUAL_CREATED_JOB, t0, 'Completed', plan(10 * MINUTE, 15_000));

  const job = (
    name: string,
    body: EmuJsonObject,
    createdAgo: number,
    fate: Fate,
    p: JobPlan,
    extra: { id?: string; terminateAgo?: number; tags?: Array<{ key: string; value: string }> } = {},
  ): void => {
    target.seedJob({
      id: extra.id ?? stableUuid(`training-demo/${name}`),
      body,
      createTime: t0 - createdAgo,
      fate,
      plan: p,
      ...(extra.tags ? { tags: extra.tags } : {}),
      ...(extra.terminateAgo !== undefined ? { terminateAt: t0 - extra.terminateAgo } : {}),
    });
  };

  // Workspace "default".
  job('pytorch-mnist-long-run', codeJob('pytorch-mnist-long-run', ws0, 'modelarts.p3.large.ex', PT, 1, 'Long run: save its image, follow its logs'), 40 * MINUTE, 'Completed', plan(72 * HOUR), {
    id: MANUAL_SAVE_IMAGE_JOB_ID,
    tags: [
      { key: '111', value: 'v2' },
      { key: 'k3', value: 'v2' },
      { key: 'team', value: 'vision' },
    ],
  });
  job('resnet50-imagenet-baseline', algorithmJob('resnet50-imagenet-baseline', ws0, 'b0f3c4a2-5d1e-4f7a-9c8b-2e6d1a0f9b31', 'modelarts.p3.4xlarge.ex'), 5 * HOUR, 'Completed', plan(45 * MINUTE, 2 * MINUTE), {
    tags: [{ key: 'project', value: 'imagenet' }],
  });
  job('bert-finetune-fail-oom', algorithmJob('bert-finetune-fail-oom', ws0, '7d2e9f10-3c4b-4a5d-8e6f-0a1b2c3d4e5f', 'modelarts.p3.large.ex'), 3 * HOUR, 'Failed', plan(12 * MINUTE));
  job('gpt2-lora-stopped', codeJob('gpt2-lora-stopped', ws0, 'modelarts.p3.large.ex', PT), 2 * HOUR, 'Completed', plan(3 * HOUR), { terminateAgo: 80 * MINUTE });
  job('unet-segmentation', codeJob('unet-segmentation', ws0, 'modelarts.p3.large.ex', PT), 25 * MINUTE, 'Completed', plan(2 * HOUR));
  job('yolov5-detect-queued', codeJob('yolov5-detect-queued', ws0, 'modelarts.p3.4xlarge.ex', PT), 1 * MINUTE, 'Completed', plan(40 * MINUTE, 20 * MINUTE));
  job('cpu-feature-extract', codeJob('cpu-feature-extract', ws0, 'modelarts.vm.cpu.8u', TF), 0, 'Completed', plan(15 * MINUTE, 30_000, 20_000));

  // Workspace "vision-team".
  job('vision-cls-efficientnet', codeJob('vision-cls-efficientnet', vision, 'modelarts.p3.4xlarge.ex', PT, 2), 50 * MINUTE, 'Completed', plan(6 * HOUR));
  job('vision-det-fasterrcnn', codeJob('vision-det-fasterrcnn', vision, 'modelarts.p3.large.ex', PT), 26 * HOUR, 'Completed', plan(4 * HOUR, 5 * MINUTE));
  job('vision-seg-deeplab-fail', codeJob('vision-seg-deeplab-fail', vision, 'modelarts.p3.large.ex', TF), 7 * HOUR, 'Failed', plan(20 * MINUTE));
  job('vision-augment', codeJob('vision-augment', vision, 'modelarts.vm.cpu.8u', PT), 0, 'Completed', plan(10 * MINUTE, 45_000, 30_000));

  // Workspace "nlp-research".
  job('nlp-llama-sft', codeJob('nlp-llama-sft', nlp, 'modelarts.bm.npu.arm.8snt9b.d', MS, 2, 'Supervised fine-tuning on Ascend'), 35 * MINUTE, 'Completed', plan(8 * HOUR));
  job('nlp-tokenizer-build', codeJob('nlp-tokenizer-build', nlp, 'modelarts.vm.cpu.8u', TF), 30 * HOUR, 'Completed', plan(25 * MINUTE));
  job('nlp-distill-stopping', codeJob('nlp-distill-stopping', nlp, 'modelarts.p3.large.ex', PT), 90 * MINUTE, 'Completed', plan(5 * HOUR), { terminateAgo: 1_000 });
  job('nlp-ner-pending', codeJob('nlp-ner-pending', nlp, 'modelarts.p3.large.ex', TF), 2 * MINUTE, 'Failed', plan(30 * MINUTE, 30 * MINUTE));
}

const SCALE_MODELS = ['resnet50', 'bert-base', 'yolov5', 'gpt2-lora', 'unet', 'vit-b16', 'wav2vec', 't5-small'];
const SCALE_FLAVORS = ['modelarts.vm.cpu.8u', 'modelarts.p3.large.ex', 'modelarts.p3.4xlarge.ex', 'modelarts.vm.cpu.2u'];

/**
 * N jobs in `workspaceId`, one a minute back from now, with varied names, flavors and fates. They share
 * their algorithm and spec objects (never mutated), so 10,000 of them cost little memory. `running`: every job
 * runs for 30 days from a minute or more before `t0`, none ends or is terminated.
 */
function seedScale(target: TrainingSeedTarget, t0: number, count: number, userName: string, workspaceId: string, running: boolean): void {
  const random = prng(0x5ca1e);
  const algorithms = SCALE_MODELS.map((m) => ({
    code_dir: `/scale-bucket/${m}/code/`,
    boot_file: `/scale-bucket/${m}/code/train.py`,
    engine: { engine_id: PT, engine_name: 'PyTorch', engine_version: PT },
  }));
  const specs = SCALE_FLAVORS.map((flavorId) => ({ resource: { policy: 'regular', flavor_id: flavorId, node_count: 1 } }));
  for (let i = 0; i < count; i++) {
    const m = i % SCALE_MODELS.length;
    const f = Math.floor(random() * SCALE_FLAVORS.length);
    const createTime = t0 - (count - i) * MINUTE;
    const doc: JobDoc = {
      kind: 'job',
      metadata: {
        id: stableUuid(workspaceId === '0' ? `training-scale/${i}` : `training-scale/${workspaceId}/${i}`),
        name: `scale-${SCALE_MODELS[m]}-${String(i).padStart(5, '0')}`,
        description: '',
        create_time: createTime,
        workspace_id: workspaceId,
        user_name: userName,
      },
      status: { phase: 'Creating', secondary_phase: 'Creating', duration: 0, start_time: 0, node_count_metrics: null, tasks: ['worker-0'] },
      algorithm: algorithms[m],
      spec: specs[f],
    };
    const roll = random();
    const fate: Fate = roll < 0.2 ? 'Failed' : 'Completed';
    const p = plan(Math.floor((5 + random() * 115) * MINUTE), Math.floor(random() * 5 * MINUTE));
    if (running) {
      // Created at least a minute ago, out of Creating in 5 s: Running at `t0`, and for 30 days.
      target.seedScaleJob(doc, fate, plan(30 * 24 * HOUR, 0));
      continue;
    }
    const terminateAt = roll > 0.9 ? createTime + p.creatingMs + p.pendingMs + Math.floor(p.runMs / 2) : undefined;
    target.seedScaleJob(doc, fate, p, terminateAt);
  }
}

/** How long `--running-jobs` jobs run: longer than any session that watches them (a soak, a bench). */
export const RUNNING_SEED_RUN_MS = 30 * 24 * HOUR;

/**
 * N jobs in workspace "0", started a minute before the emulator, that stay Running for 30 emulated days: a
 * steady view of running jobs for measurements that must not see them end.
 */
function seedRunning(target: TrainingSeedTarget, t0: number, count: number, userName: string): void {
  const algorithm = { code_dir: '/scale-bucket/running/code/', boot_file: '/scale-bucket/running/code/train.py', engine: { engine_id: PT, engine_name: 'PyTorch', engine_version: PT } };
  const spec = { resource: { policy: 'regular', flavor_id: 'modelarts.vm.cpu.8u', node_count: 1 } };
  const createTime = t0 - MINUTE;
  for (let i = 0; i < count; i++) {
    const doc: JobDoc = {
      kind: 'job',
      metadata: {
        id: stableUuid(`training-running/${i}`),
        name: `running-${String(i).padStart(3, '0')}`,
        description: '',
        create_time: createTime + i,
        workspace_id: '0',
        user_name: userName,
      },
      status: { phase: 'Creating', secondary_phase: 'Creating', duration: 0, start_time: 0, node_count_metrics: null, tasks: ['worker-0'] },
      algorithm,
      spec,
    };
    target.seedScaleJob(doc, 'Completed', { creatingMs: 1_000, pendingMs: 1_000, runMs: RUNNING_SEED_RUN_MS });
  }
}
