import type { EmuJsonObject } from '../framework';

// Fixed catalogues the training family serves and validates against: flavors, engines, algorithms,
// dedicated pools and event categories. Entries used by the seed manual's examples carry the manual's values.

export type FlavorType = 'CPU' | 'GPU' | 'Ascend';

export interface FlavorDetail {
  flavor_type: FlavorType;
  billing: { code: string; unit_num: number };
  flavor_info: EmuJsonObject;
}

export interface Flavor {
  flavor_id: string;
  flavor_name: string;
  max_num: number;
  /** What a job's `spec.resource.flavor_detail` shows. */
  detail: FlavorDetail;
  pool_id?: string;
  /** The job doc omits `flavor_name` for this flavor, as the manual's job using it does. */
  omitNameInJob?: boolean;
}

const cpu = (core_num: number, arch = 'x86'): EmuJsonObject => ({ arch, core_num });
const mem = (size: number): EmuJsonObject => ({ size, unit: 'GB' });

export const FLAVORS: readonly Flavor[] = [
  {
    flavor_id: 'modelarts.vm.cpu.2u',
    flavor_name: 'Computing CPU(2U) instance',
    max_num: 1,
    detail: { flavor_type: 'CPU', billing: { code: 'modelarts.vm.cpu.2u', unit_num: 1 }, flavor_info: { cpu: cpu(2), memory: mem(8) } },
  },
  {
    flavor_id: 'modelarts.vm.cpu.8u',
    flavor_name: 'Computing CPU(8U) instance',
    max_num: 16,
    detail: { flavor_type: 'CPU', billing: { code: 'modelarts.vm.cpu.8u', unit_num: 1 }, flavor_info: { cpu: cpu(8), memory: mem(32) } },
  },
  {
    flavor_id: 'modelarts.p3.large.public.free',
    flavor_name: 'Computing GPU(Vnt1) instance',
    max_num: 1,
    detail: {
      flavor_type: 'GPU',
      billing: { code: 'modelarts.vm.gpu.free', unit_num: 1 },
      flavor_info: { cpu: cpu(8), gpu: { unit_num: 1, product_name: 'GP-Vnt1', memory: '32GB' }, memory: mem(64) },
    },
  },
  {
    flavor_id: 'modelarts.vm.pnt1.large.eco',
    flavor_name: 'Computing GPU(Pnt1) instance',
    max_num: 1,
    omitNameInJob: true,
    detail: {
      flavor_type: 'GPU',
      billing: { code: 'modelarts.vm.gpu.pnt1.eco', unit_num: 1 },
      flavor_info: { cpu: cpu(8), gpu: { unit_num: 1, memory: '8GB' }, memory: mem(64) },
    },
  },
  {
    flavor_id: 'modelarts.p3.large.ex',
    flavor_name: 'Computing GPU(Vnt1) 1*32GB instance',
    max_num: 16,
    detail: {
      flavor_type: 'GPU',
      billing: { code: 'modelarts.vm.gpu.v100', unit_num: 1 },
      flavor_info: { cpu: cpu(8), gpu: { unit_num: 1, product_name: 'GP-Vnt1', memory: '32GB' }, memory: mem(64) },
    },
  },
  {
    flavor_id: 'modelarts.p3.4xlarge.ex',
    flavor_name: 'Computing GPU(Vnt1) 4*32GB instance',
    max_num: 16,
    detail: {
      flavor_type: 'GPU',
      billing: { code: 'modelarts.vm.gpu.v100.4', unit_num: 1 },
      flavor_info: { cpu: cpu(32), gpu: { unit_num: 4, product_name: 'GP-Vnt1', memory: '32GB' }, memory: mem(256) },
    },
  },
  {
    flavor_id: 'modelarts.bm.npu.arm.8snt9b.d',
    flavor_name: 'Ascend: 8*Ascend-snt9b(64GB) | ARM: 192vCPUs 1536GB',
    max_num: 8,
    detail: {
      flavor_type: 'Ascend',
      billing: { code: 'modelarts.bm.npu.snt9b.8', unit_num: 1 },
      flavor_info: { cpu: cpu(192, 'arm'), npu: { unit_num: '8', product_name: 'Ascend-snt9b', memory: '64GB' }, memory: mem(1536) },
    },
  },
  {
    flavor_id: 'modelarts.pool.visual.xlarge',
    flavor_name: 'Dedicated pool GPU(Pnt1) xlarge',
    max_num: 8,
    pool_id: 'poolfaf38d76',
    detail: {
      flavor_type: 'GPU',
      billing: { code: 'modelarts.pool.visual.xlarge', unit_num: 1 },
      flavor_info: { cpu: cpu(8), gpu: { unit_num: 1, product_name: 'GP-Pnt1', memory: '16GB' }, memory: mem(32) },
    },
  },
];

export const FLAVORS_BY_ID: ReadonlyMap<string, Flavor> = new Map(FLAVORS.map((f) => [f.flavor_id, f]));

/** Dedicated pools a job may name in `spec.resource.pool_id`. */
export const POOLS: ReadonlySet<string> = new Set(['poolfaf38d76', 'pool-vision-a100']);

/** The flavor list item as `GET /training-job-flavors` serves it. */
export function flavorListItem(f: Flavor): EmuJsonObject {
  return {
    flavor_id: f.flavor_id,
    flavor_name: f.flavor_name,
    flavor_type: f.detail.flavor_type,
    billing: f.detail.billing,
    flavor_info: { max_num: f.max_num, ...f.detail.flavor_info },
    ...(f.pool_id ? { pool_id: f.pool_id } : {}),
    attributes: {},
  };
}

export interface Engine {
  engine_id: string;
  engine_name: string;
  engine_version: string;
  v1_compatible: boolean;
  run_user: string;
  image_info: { cpu_image_url: string; gpu_image_url: string; image_version: string };
}

const image = (cpuImage: string, gpuImage: string, version: string): Engine['image_info'] => ({
  cpu_image_url: cpuImage,
  gpu_image_url: gpuImage,
  image_version: version,
});

export const ENGINES: readonly Engine[] = [
  {
    engine_id: 'horovod-cp36-tf-1.16.2',
    engine_name: 'Horovod',
    engine_version: '0.16.2-TF-1.13.1-python3.6',
    v1_compatible: true,
    run_user: '1102',
    image_info: image('aip/horovod_tensorflow:0.16.2-tf-1.13.1-cpu', 'aip/horovod_tensorflow:0.16.2-tf-1.13.1-gpu', '0.16.2'),
  },
  {
    engine_id: 'pytorch-cp36-1.4.0-v2',
    engine_name: 'PyTorch',
    engine_version: 'PyTorch-1.4.0-python3.6-v2',
    v1_compatible: true,
    run_user: '1102',
    image_info: image('aip/pytorch_1_4:train-cpu-v2', 'aip/pytorch_1_4:train-gpu-v2', '1.4.0-v2'),
  },
  {
    engine_id: 'caffe-1.0.0-python2.7',
    engine_name: 'Caffe',
    engine_version: 'Caffe-1.0.0-python2.7',
    v1_compatible: true,
    run_user: '1102',
    image_info: image('aip/caffe_1_0_0:cpu', 'aip/caffe_1_0_0:gpu', '1.0.0'),
  },
  {
    engine_id: 'tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64',
    engine_name: 'TensorFlow',
    engine_version: 'tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64',
    v1_compatible: false,
    run_user: '1000',
    image_info: image('', 'atelier/tensorflow_2_1:tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64', '2.1.0'),
  },
  {
    engine_id: 'pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64',
    engine_name: 'PyTorch',
    engine_version: 'pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64',
    v1_compatible: false,
    run_user: '1000',
    image_info: image('', 'atelier/pytorch_1_8:pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64', '1.8.0'),
  },
  {
    engine_id: 'mindspore_1.7.0-cann_5.1.0-py_3.7-euler_2.8.3-aarch64',
    engine_name: 'MindSpore',
    engine_version: 'mindspore_1.7.0-cann_5.1.0-py_3.7-euler_2.8.3-aarch64',
    v1_compatible: false,
    run_user: '1000',
    image_info: image('', 'atelier/mindspore_1_7:mindspore_1.7.0-cann_5.1.0-py_3.7-euler_2.8.3-aarch64', '1.7.0'),
  },
];

export const ENGINES_BY_ID: ReadonlyMap<string, Engine> = new Map(ENGINES.map((e) => [e.engine_id, e]));

/** The engine fields a job's algorithm shows. */
export function engineRef(e: Engine): EmuJsonObject {
  return { engine_id: e.engine_id, engine_name: e.engine_name, engine_version: e.engine_version };
}

export interface AlgorithmParameter {
  name: string;
  value: string;
  type: 'String' | 'Integer' | 'Float' | 'Boolean';
}

/** Algorithms a job may name by `algorithm.id` (the "my algorithms" list of the account). */
export interface Algorithm {
  id: string;
  name: string;
  code_dir: string;
  boot_file: string;
  engine: Engine;
  parameters: AlgorithmParameter[];
}

const engine = (id: string): Engine => {
  const found = ENGINES_BY_ID.get(id);
  if (!found) throw new Error(`unknown engine ${id}`);
  return found;
};

export const ALGORITHMS: readonly Algorithm[] = [
  {
    id: '3f5d6706-7b67-408d-8ba0-ec08048c45ed',
    name: 'ttt-obs-gpu',
    code_dir: '/cn-north-4-rse/test/moxingtest-code/',
    boot_file: '/cn-north-4-rse/test/moxingtest-code/test_obs_gpu.py',
    engine: engine('horovod-cp36-tf-1.16.2'),
    parameters: [
      { name: 'input_dir', value: 's://cn-north-4-rse/test/moxingtest-dir/', type: 'String' },
      { name: 'input_file', value: 'obs://cn-north-4-rse/test/moxingtest/', type: 'String' },
      { name: 'large_file_method', value: '1', type: 'Integer' },
    ],
  },
  {
    id: 'b0f3c4a2-5d1e-4f7a-9c8b-2e6d1a0f9b31',
    name: 'resnet50-imagenet',
    code_dir: '/demo-bucket/algorithms/resnet50/',
    boot_file: '/demo-bucket/algorithms/resnet50/train.py',
    engine: engine('pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64'),
    parameters: [
      { name: 'epochs', value: '20', type: 'Integer' },
      { name: 'batch_size', value: '128', type: 'Integer' },
      { name: 'lr', value: '0.1', type: 'Float' },
    ],
  },
  {
    id: '7d2e9f10-3c4b-4a5d-8e6f-0a1b2c3d4e5f',
    name: 'bert-base-finetune',
    code_dir: '/demo-bucket/algorithms/bert/',
    boot_file: '/demo-bucket/algorithms/bert/run_classifier.py',
    engine: engine('tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64'),
    parameters: [
      { name: 'max_seq_length', value: '128', type: 'Integer' },
      { name: 'learning_rate', value: '2e-5', type: 'Float' },
    ],
  },
];

export const ALGORITHMS_BY_ID: ReadonlyMap<string, Algorithm> = new Map(ALGORITHMS.map((a) => [a.id, a]));

/** One parameter as a job doc shows it (the manual's 201 example). */
export function jobParameter(p: AlgorithmParameter, value: string): EmuJsonObject {
  return {
    name: p.name,
    description: '',
    i18n_description: null,
    value,
    constraint: { type: p.type, editable: true, required: true, sensitive: false, valid_type: 'None', valid_range: [] },
  };
}

export const EVENT_CATEGORIES: readonly EmuJsonObject[] = [
  { id: 'JobStarted', name: 'Job started', description: 'The training job started running.', notification: true },
  { id: 'JobCompleted', name: 'Job completed', description: 'The training job completed.', notification: true },
  { id: 'JobFailed', name: 'Job failed', description: 'The training job failed.', notification: true },
  { id: 'JobTerminated', name: 'Job terminated', description: 'The training job was terminated.', notification: true },
  { id: 'JobRestarted', name: 'Job restarted', description: 'The training job was restarted after a fault.', notification: false },
  { id: 'JobHanged', name: 'Job suspected hung', description: 'The training job shows no progress.', notification: false },
  { id: 'JobPreempted', name: 'Job preempted', description: 'The training job was preempted.', notification: false },
];

export const KINDS: ReadonlySet<string> = new Set([
  'job',
  'federated_pool_job',
  'edge_job',
  'hetero_job',
  'mrs_job',
  'autosearch_job',
  'diag_job',
  'visualization_job',
]);
