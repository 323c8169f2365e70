import { DEMO_WORKSPACES, type FamilyOptions, type EmuJsonObject, newUuid } from '../framework';
import { leaseFor } from './params';
import { DEFAULT_DURATION_MS, DEMO_NOTEBOOK_IDS, type FlavorRecord, type ImageRecord, NOTEBOOK_TIMINGS, type NotebookRecord, SEED_IMAGE_ID, SEED_NOTEBOOK_ID } from './records';
import { imageRef } from './views';

// The notebooks family's seeded objects: built-in images, flavors, and the demo's notebooks (the seed
// manual's example among them). Data, placed relative to the emulator's start.

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const GPU_IMAGE = '278e88d1-5b71-4766-8502-b3ba72e824d9';

/** What seeding needs from the family. */
export interface NotebookSeedContext {
  opts: FamilyOptions;
  start: number;
  /** `swr.<region>.myhuaweicloud.com` */
  swr: string;
  urlFor(id: string): string;
  tokenOf(value: string): string;
}

function builtInImage(ctx: NotebookSeedContext, id: string, name: string, tag: string, arch: string, categories: string[], description: string, swrPath?: string): ImageRecord {
  return {
    id,
    name,
    namespace: 'atelier',
    tag,
    swr_path: swrPath ?? `${ctx.swr}/atelier/${name}:${tag}`,
    arch,
    type: 'BUILD_IN',
    dev_services: ['NOTEBOOK', 'SSH'],
    resource_categories: categories,
    service_type: 'DEV',
    status: 'ACTIVE',
    status_message: '',
    size: 5_242_880,
    create_at: 1_638_000_000_000,
    update_at: 1_638_000_000_000,
    visibility: 'PUBLIC',
    workspace_id: '0',
    description,
  };
}

export function seedImages(ctx: NotebookSeedContext): ImageRecord[] {
  const images = [
    // The seed manual's image, with its example SWR path.
    builtInImage(
      ctx,
      SEED_IMAGE_ID,
      'notebook2.0-mul-kernel-cpu-cp36',
      '3.3.2-release_v1',
      'x86_64',
      ['CPU'],
      'description',
      'swr.xxxxx.com/atelier/notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1',
    ),
    builtInImage(ctx, GPU_IMAGE, 'pytorch1.8-cuda10.2-cudnn7-ubuntu18.04', '2.0.0', 'x86_64', ['GPU', 'CPU'], 'PyTorch 1.8 with CUDA 10.2'),
    builtInImage(ctx, '3a6c4e2f-1d8b-4f7a-9c5e-0b2d4f6a8c1e', 'tensorflow2.1-cuda10.1-cudnn7-ubuntu18.04', '2.0.0', 'x86_64', ['GPU', 'CPU'], 'TensorFlow 2.1 with CUDA 10.1'),
    builtInImage(ctx, '4b7d5f3a-2e9c-4a8b-8d6f-1c3e5a7b9d2f', 'mindspore1.7.0-cann5.1.0-py3.7-euler2.8.3', '1.0.0', 'aarch64', ['ASCEND'], 'MindSpore 1.7 for Ascend'),
  ];
  if (ctx.opts.seed === 'demo') {
    images.push({
      id: '5c8e6a4b-3f0d-4b9c-9e7a-2d4f6b8c0e3a',
      name: 'my-pytorch-env',
      namespace: 'demo-team',
      tag: 'v1',
      swr_path: `${ctx.swr}/demo-team/my-pytorch-env:v1`,
      arch: 'x86_64',
      type: 'DEDICATED',
      origin: 'IMAGE_SAVE',
      dev_services: ['NOTEBOOK', 'SSH'],
      resource_categories: ['GPU', 'CPU'],
      service_type: 'DEV',
      status: 'ACTIVE',
      status_message: '',
      size: 7_340_032,
      create_at: ctx.start - 20 * DAY,
      update_at: ctx.start - 20 * DAY,
      visibility: 'PRIVATE',
      workspace_id: '0',
      description: 'PyTorch with project dependencies',
    });
  }
  return images;
}

type FlavorSpec = Omit<FlavorRecord, 'name' | 'billing' | 'feature' | 'storages' | 'evs_max_size' | 'grow_support_type'> & Partial<FlavorRecord>;

const FLAVOR_SPECS: readonly FlavorSpec[] = [
  { id: 'modelarts.vm.cpu.2u', arch: 'x86_64', category: 'CPU', description: 'CPU: 2 vCPUs 8 GB', free: false, sold_out: false, vcpus: 2, memory: 8_388_608 },
  { id: 'modelarts.vm.cpu.8u', arch: 'x86_64', category: 'CPU', description: 'CPU: 8 vCPUs 32 GB', free: false, sold_out: false, vcpus: 8, memory: 33_554_432 },
  {
    id: 'modelarts.vm.cpu.free',
    arch: 'x86_64',
    category: 'CPU',
    description: 'CPU: 1 vCPU 4 GB (free)',
    feature: 'DEFAULT',
    free: true,
    sold_out: false,
    vcpus: 1,
    memory: 4_194_304,
  },
  {
    id: 'modelarts.vm.gpu.t4',
    arch: 'x86_64',
    category: 'GPU',
    description: 'GPU: 1*T4(16GB) | CPU: 8 vCPUs 32 GB',
    free: false,
    sold_out: false,
    vcpus: 8,
    memory: 33_554_432,
    gpu: { gpu: 1, gpu_memory: 16, type: 'T4' },
  },
  {
    id: 'modelarts.vm.gpu.pnt004',
    arch: 'x86_64',
    category: 'GPU',
    description: 'GPU: 1*pnt004(16GB) | CPU: 8 vCPUs 64 GB',
    free: false,
    sold_out: true,
    vcpus: 8,
    memory: 67_108_864,
    gpu: { gpu: 1, gpu_memory: 16, type: 'pnt004' },
  },
  {
    id: 'modelarts.bm.npu.arm.snt9b.d',
    arch: 'aarch64',
    category: 'ASCEND',
    description: 'Ascend: 1*snt9b(32GB) | ARM: 24 vCPUs 192 GB',
    free: false,
    sold_out: false,
    vcpus: 24,
    memory: 201_326_592,
    ascend: { npu: 1, npu_memory: 32, type: 'snt9b' },
  },
];

/** The flavors notebooks may run on, each a fresh copy. */
export function seedFlavors(): FlavorRecord[] {
  return FLAVOR_SPECS.map((f) => ({
    name: f.id,
    billing: { code: f.id, unit_num: 1 },
    feature: 'NOTEBOOK',
    storages: ['EFS', 'EVS', 'OBS', 'OBSFS'],
    evs_max_size: 4096,
    grow_support_type: ['EVS'],
    ...structuredClone(f),
  }));
}

interface NotebookSpec {
  id: string;
  name: string;
  status: string;
  workspace: string;
  flavor?: string;
  imageId?: string;
  description?: string;
  ageDays: number;
  /** Lease: started this long ago, with this duration (-1 = no auto-stop). */
  leaseStartedAgoMs?: number;
  leaseMs?: number;
  failReason?: string;
  ssh?: boolean;
  owner?: { id: string; name: string };
  tags?: Array<{ key: string; value: string }>;
  volume?: EmuJsonObject;
}

const [WS0, VISION, NLP] = DEMO_WORKSPACES;
const IDS = DEMO_NOTEBOOK_IDS;

/** The demo's notebooks besides the seed manual's: one of each state worth showing. */
const DEMO_NOTEBOOKS: readonly NotebookSpec[] = [
  {
    id: IDS.pytorchDev,
    name: 'pytorch-dev',
    status: 'RUNNING',
    workspace: WS0.id,
    flavor: 'modelarts.vm.gpu.t4',
    imageId: GPU_IMAGE,
    description: 'Model prototyping',
    ageDays: 14,
    leaseStartedAgoMs: 2 * HOUR,
    leaseMs: 4 * HOUR,
    ssh: true,
    tags: [{ key: 'team', value: 'vision' }],
  },
  { id: IDS.dataCleaning, name: 'data-cleaning', status: 'STOPPED', workspace: WS0.id, ageDays: 30, leaseStartedAgoMs: 5 * DAY },
  // Stops on its own in 12 minutes: shows the lease countdown and the "about to stop" warning.
  { id: IDS.quickStart, name: 'quick-start', status: 'RUNNING', workspace: WS0.id, ageDays: 3, leaseStartedAgoMs: HOUR - 12 * 60_000, leaseMs: HOUR },
  {
    id: IDS.resnetFinetune,
    name: 'resnet-finetune',
    status: 'RUNNING',
    workspace: VISION.id,
    flavor: 'modelarts.vm.gpu.t4',
    imageId: GPU_IMAGE,
    ageDays: 9,
    leaseStartedAgoMs: 26 * HOUR,
    leaseMs: -1,
    ssh: true,
    volume: { category: 'EFS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 50 },
    tags: [{ key: 'team', value: 'vision' }, { key: 'cost-center', value: 'rd-42' }],
  },
  { id: IDS.yoloLabeling, name: 'yolo-labeling', status: 'STOPPED', workspace: VISION.id, flavor: 'modelarts.vm.cpu.8u', ageDays: 40 },
  {
    id: IDS.bertEval,
    name: 'bert-eval',
    status: 'START_FAILED',
    workspace: NLP.id,
    flavor: 'modelarts.vm.gpu.pnt004',
    imageId: GPU_IMAGE,
    ageDays: 12,
    failReason: 'Insufficient resources: flavor modelarts.vm.gpu.pnt004 is sold out. Try another flavor or retry later.',
  },
  {
    id: IDS.llmSandbox,
    name: 'llm-sandbox',
    status: 'CREATE_FAILED',
    workspace: NLP.id,
    flavor: 'modelarts.bm.npu.arm.snt9b.d',
    imageId: '4b7d5f3a-2e9c-4a8b-8d6f-1c3e5a7b9d2f',
    ageDays: 1,
    failReason: 'Failed to create the EVS volume: the storage quota of the project is exhausted.',
  },
  {
    id: IDS.legacyEnv,
    name: 'legacy-env',
    status: 'ERROR',
    workspace: WS0.id,
    ageDays: 300,
    failReason: 'The instance is abnormal: the container exited unexpectedly.',
  },
  { id: IDS.tokenizerLab, name: 'tokenizer-lab', status: 'STOPPED', workspace: NLP.id, flavor: 'modelarts.vm.cpu.8u', ageDays: 5 },
  // A colleague's instance: only in /notebooks/all.
  {
    id: IDS.colleagueShared,
    name: 'shared-analysis',
    status: 'RUNNING',
    workspace: WS0.id,
    ageDays: 2,
    leaseStartedAgoMs: HOUR,
    leaseMs: 8 * HOUR,
    owner: { id: '0f1e2d3c4b5a46978899aabbccddeeff', name: 'alice' },
  },
];

function demoNotebook(ctx: NotebookSeedContext, images: ReadonlyMap<string, ImageRecord>, s: NotebookSpec): NotebookRecord {
  const img = images.get(s.imageId ?? SEED_IMAGE_ID)!;
  const createdAt = ctx.start - s.ageDays * DAY;
  const leaseStart = ctx.start - (s.leaseStartedAgoMs ?? 3 * HOUR);
  return {
    id: s.id,
    name: s.name,
    description: s.description ?? '',
    status: s.status,
    ...(s.failReason ? { fail_reason: s.failReason } : {}),
    feature: 'NOTEBOOK',
    flavor: s.flavor ?? 'modelarts.vm.cpu.2u',
    workspace_id: s.workspace,
    url: ctx.urlFor(s.id),
    token: ctx.tokenOf(newUuid()),
    image: imageRef(img),
    lease: leaseFor(createdAt, leaseStart, s.leaseMs ?? DEFAULT_DURATION_MS, 'TIMING'),
    volume: s.volume ? structuredClone(s.volume) : { category: 'EVS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 5 },
    endpoints: s.ssh ? [{ service: 'SSH', key_pair_names: ['KeyPair-demo'] }] : [],
    tags: s.tags ? s.tags.map((t) => ({ ...t })) : [],
    owner: s.owner ?? { id: ctx.opts.userId, name: ctx.opts.userName },
    create_at: createdAt,
    update_at: Math.min(ctx.start, leaseStart),
    origin: 'start',
  };
}

/**
 * The seed manual's notebook, field for field. Its times are placed so that its start (`update_at`) is the
 * emulator's start: `create_at` lies the manual's gap (2727212 ms) before it and `duration` (6327212 ms,
 * that gap plus the 1 h requested) is kept, so it stops one hour after the emulator starts instead of
 * years ago.
 */
function manualNotebook(ctx: NotebookSeedContext, images: ReadonlyMap<string, ImageRecord>): NotebookRecord {
  const { start, opts } = ctx;
  return {
    id: SEED_NOTEBOOK_ID,
    name: 'notebooks_test',
    description: 'api-test',
    status: 'STARTING',
    feature: 'NOTEBOOK',
    flavor: 'modelarts.vm.cpu.2u',
    workspace_id: '0',
    url: 'https://authoring-modelarts-xxxxx.xxxxx.com/f9937afa-4451-42db-a76b-72d624749f66/lab',
    token: ctx.tokenOf('5cc60e8b-8772-7690-efd6-a5874ca387c0'),
    image: imageRef(images.get(SEED_IMAGE_ID)!),
    lease: { create_at: start - (1638844471727 - 1638841744515), update_at: start, duration: 6327212, enable: true, type: 'TIMING' },
    volume: { category: 'EFS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 50 },
    endpoints: [],
    tags: [],
    owner: { id: opts.userId, name: opts.userName },
    create_at: start - (1638844471727 - 1638841744515),
    update_at: start,
    origin: 'start',
    next: { at: start + NOTEBOOK_TIMINGS.startMs, to: 'RUNNING' },
  };
}

/** The demo seed's notebooks (none for the empty seed), in the order the original list held them. */
export function seedNotebooks(ctx: NotebookSeedContext, images: ReadonlyMap<string, ImageRecord>): NotebookRecord[] {
  const running = Array.from({ length: ctx.opts.runningNotebooks ?? 0 }, (_, i) =>
    demoNotebook(ctx, images, { id: newUuid(), name: `running-nb-${String(i).padStart(3, '0')}`, status: 'RUNNING', workspace: '0', ageDays: 1, leaseStartedAgoMs: HOUR, leaseMs: -1 }),
  );
  if (ctx.opts.seed !== 'demo') return running;
  return [manualNotebook(ctx, images), ...DEMO_NOTEBOOKS.map((s) => demoNotebook(ctx, images, s)), ...running];
}
