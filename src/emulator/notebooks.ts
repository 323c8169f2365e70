import {
  ApiFailure,
  DEMO_WORKSPACES,
  type EmuRequest,
  type EmuResponse,
  type FamilyOptions,
  type JsonObject,
  type ResourceFamily,
  type Router,
  intQuery,
  invalidParam,
  newUuid,
  objectBody,
  queryValue,
} from './framework';
import { swrOrganization } from './kit/swr';

// Notebooks v1 with their images and flavors (/v1/{project_id}/notebooks…, /v1/{project_id}/images…).

export const NOTEBOOK_STATUSES = [
  'INIT',
  'CREATING',
  'STARTING',
  'STOPPING',
  'DELETING',
  'RUNNING',
  'STOPPED',
  'SNAPSHOTTING',
  'CREATE_FAILED',
  'START_FAILED',
  'DELETE_FAILED',
  'ERROR',
  'DELETED',
  'FROZEN',
] as const;

/** Emulated durations of the transitions. */
export const NOTEBOOK_TIMINGS = {
  /** CREATING → STARTING. */
  createMs: 10_000,
  /** STARTING → RUNNING (or START_FAILED). */
  startMs: 20_000,
  /** STOPPING → STOPPED. */
  stopMs: 10_000,
  /** DELETING → gone. */
  deleteMs: 5_000,
  /** SNAPSHOTTING → RUNNING, and the saved image's INIT → … → ACTIVE. */
  snapshotMs: 15_000,
} as const;

export const MIN_DURATION_MS = 3_600_000;
export const MAX_DURATION_MS = 259_200_000;
const DEFAULT_DURATION_MS = 3_600_000;
const MAX_NOTEBOOKS = 100;
const MAX_TAGS = 20;

/** The notebook of the seed manual's example response. */
export const SEED_NOTEBOOK_ID = 'f9937afa-4451-42db-a76b-72d624749f66';
export const SEED_IMAGE_ID = 'e1a07296-22a8-4f05-8bc8-e936c8e54090';

/** Fixed ids of the demo notebooks, so tests and docs can name them. */
export const DEMO_NOTEBOOK_IDS = {
  pytorchDev: '1b6f0c1e-7d3a-4c55-9a1e-2f4b6c8d0e11',
  dataCleaning: '2c7a1d2f-8e4b-4d66-8b2f-3a5c7d9e1f22',
  quickStart: '3d8b2e3a-9f5c-4e77-9c3a-4b6d8e0f2a33',
  resnetFinetune: '4e9c3f4b-0a6d-4f88-8d4b-5c7e9f1a3b44',
  yoloLabeling: '5fad4a5c-1b7e-4a99-9e5c-6d8f0a2b4c55',
  bertEval: '6abe5b6d-2c8f-4baa-8f6d-7e9a1b3c5d66',
  llmSandbox: '7bcf6c7e-3d9a-4cbb-9a7e-8f0b2c4d6e77',
  legacyEnv: '8cd07d8f-4eab-4dcc-8b8f-9a1c3d5e7f88',
  tokenizerLab: '9de18e9a-5fbc-4edd-9c9a-0b2d4e6f8a99',
  colleagueShared: 'aef29fab-6acd-4fee-8dab-1c3e5f7a9baa',
} as const;

interface ImageRecord {
  id: string;
  name: string;
  namespace: string;
  tag: string;
  swr_path: string;
  arch: string;
  type: 'BUILD_IN' | 'DEDICATED';
  origin?: string;
  dev_services: string[];
  resource_categories: string[];
  service_type: string;
  status: string;
  status_message: string;
  size: number;
  create_at: number;
  update_at: number;
  visibility: string;
  workspace_id: string;
  description: string;
  /** Pending image transitions (create-image). */
  next?: { at: number; to: string };
}

interface FlavorRecord {
  id: string;
  name: string;
  arch: string;
  category: string;
  description: string;
  feature: string;
  free: boolean;
  sold_out: boolean;
  storages: string[];
  vcpus: number;
  /** KB, as the documented example shows it. */
  memory: number;
  gpu?: { gpu: number; gpu_memory: number; type: string };
  ascend?: { npu: number; npu_memory: number; type: string };
  billing: { code: string; unit_num: number };
  evs_max_size: number;
  grow_support_type: string[];
}

/**
 * As documented: `create_at` is the instance's creation, `update_at` the last start or renewal, and the auto-stop
 * comes at `create_at + duration` (the seed manual's example: duration = update_at − create_at + 1 h).
 */
interface Lease {
  create_at: number;
  update_at: number;
  /** ms from `create_at` to the auto-stop; -1 without auto-stop. */
  duration: number;
  enable: boolean;
  type: string;
}

interface NotebookRecord {
  id: string;
  name: string;
  description: string;
  status: string;
  fail_reason?: string;
  feature: string;
  flavor: string;
  workspace_id: string;
  url: string;
  token: string;
  image: { id: string; name: string; swr_path: string; tag: string; type: string; description: string };
  lease: Lease;
  volume: JsonObject;
  endpoints: Array<{ service: string; key_pair_names: string[] }>;
  tags: Array<{ key: string; value: string }>;
  owner: { id: string; name: string };
  create_at: number;
  update_at: number;
  /** Whether the current STARTING came from a create (failure then ends in CREATE_FAILED). */
  origin: 'create' | 'start';
  next?: { at: number; to: string };
  failNext?: string;
}

/** Where the SSH endpoints of running notebooks point, e.g. a real sshd on loopback for tests and the demo. */
export interface EmulatedSshEndpoint {
  host: string;
  port: number;
  /** The user named in the endpoint's address; default ma-user. */
  user?: string;
}

export interface NotebooksFamily extends ResourceFamily {
  /** The next start (or the running create) of this notebook ends in START_FAILED with `reason`. False when unknown. */
  failNextStart(id: string, reason?: string): boolean;
  /** Current status, or undefined when the notebook does not exist. */
  statusOf(id: string): string | undefined;
  /** Points every running notebook's SSH endpoint at `endpoint` (undefined: the default 127.0.0.1:22). */
  setSshEndpoint(endpoint: EmulatedSshEndpoint | undefined): void;
}

export interface NotebooksExtra {
  region?: string;
  workspaceExists?: (id: string) => boolean;
  /** Put before every notebook's token (the seed manual's fixed one too). */
  tokenPrefix?: string;
  sshEndpoint?: EmulatedSshEndpoint;
}

const STEP_DESCRIPTIONS = ['Preparing storage', 'Preparing compute resources', 'Configuring network', 'Initializing the instance'];

function progressFor(status: string): JsonObject[] {
  const steps = ((): string[] => {
    switch (status) {
      case 'CREATING':
      case 'INIT':
        return ['PROCESSING', 'WAITING', 'WAITING', 'WAITING'];
      case 'STARTING':
        return ['COMPLETED', 'COMPLETED', 'PROCESSING', 'WAITING'];
      case 'RUNNING':
      case 'SNAPSHOTTING':
        return ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED'];
      case 'START_FAILED':
      case 'CREATE_FAILED':
        return ['COMPLETED', 'FAILED', 'WAITING', 'WAITING'];
      default:
        return [];
    }
  })();
  return steps.map((s, i) => ({ status: s, step: i + 1, description: STEP_DESCRIPTIONS[i] }));
}

/** A request value as text for messages and lenient string fields (numbers become their digits). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function notFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.6309', `Notebook instance ${id} does not exist.`);
}

function durationFailure(raw: unknown): ApiFailure {
  return new ApiFailure(
    400,
    'ModelArts.6346',
    `Invalid auto-stop duration ${text(raw)}: it must be from ${MIN_DURATION_MS} to ${MAX_DURATION_MS} ms (1 h to 72 h), or -1 for no auto-stop.`,
  );
}

/** Parses a lease duration in ms: -1 (no auto-stop) or within 1 h–72 h. */
export function parseDuration(raw: unknown): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw durationFailure(raw);
  if (value === -1) return -1;
  if (value < MIN_DURATION_MS || value > MAX_DURATION_MS) throw durationFailure(raw);
  return value;
}

function parseLeaseType(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') return 'TIMING';
  const upper = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (upper !== 'TIMING' && upper !== 'IDLE') throw invalidParam(`Invalid type: ${text(raw)}; expected TIMING or IDLE.`);
  return upper;
}

/**
 * The lease of an instance created at `createdAt` and started (or renewed) at `now` for `requested` ms
 * (-1: no auto-stop): the SDK's lease request counts its duration from now, so it ends at `now + requested`.
 */
function leaseFor(createdAt: number, now: number, requested: number, type: string): Lease {
  const enable = requested !== -1;
  return { create_at: createdAt, update_at: now, duration: enable ? now - createdAt + requested : -1, enable, type };
}

function leaseJson(lease: Lease): JsonObject {
  return { create_at: lease.create_at, duration: lease.duration, enable: lease.enable, type: lease.type, update_at: lease.update_at };
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const TAG_KEY_PATTERN = /^[^=*<>\\,|/]{1,36}$/;
const TAG_VALUE_PATTERN = /^[^=*<>\\,|/]{0,43}$/;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw invalidParam('name is required.');
  if (!NAME_PATTERN.test(name)) throw invalidParam(`Invalid name: ${name}; use at most 128 letters, digits, "-" or "_".`);
  return name;
}

function checkDescription(description: unknown): string {
  if (description === undefined || description === null) return '';
  if (typeof description !== 'string') throw invalidParam('description must be a string.');
  if (description.length > 512) throw invalidParam('description must be at most 512 characters.');
  if (/[&<>"'/]/.test(description)) throw invalidParam('description may not contain any of & < > " \' /.');
  return description;
}

function pageShape<T>(items: readonly T[], offset: number, limit: number, firstPage = 0): JsonObject {
  return {
    current: Math.floor(offset / limit) + firstPage,
    pages: Math.ceil(items.length / limit),
    size: limit,
    total: items.length,
    data: items.slice(offset, offset + limit),
  };
}

function sortDir(request: EmuRequest): 1 | -1 {
  const raw = (queryValue(request, 'sort_dir') || 'DESC').toUpperCase();
  if (raw !== 'ASC' && raw !== 'DESC') throw invalidParam(`Invalid sort_dir: ${raw}; expected ASC or DESC.`);
  return raw === 'ASC' ? 1 : -1;
}

function compareBy<T>(keys: ReadonlyArray<(item: T) => string | number>, dir: 1 | -1): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x < y) return -dir;
      if (x > y) return dir;
    }
    return 0;
  };
}

export function createNotebooksFamily(opts: FamilyOptions, extra: NotebooksExtra = {}): NotebooksFamily {
  const region = extra.region ?? 'cn-north-4';
  const tokenOf = (value: string): string => `${extra.tokenPrefix ?? ''}${value}`;
  const start = opts.clock.now();
  const hour = 3600_000;
  const day = 24 * hour;
  const swr = `swr.${region}.myhuaweicloud.com`;
  const notebooks = new Map<string, NotebookRecord>();
  const images = new Map<string, ImageRecord>();

  // ---- images ------------------------------------------------------------------------------------------
  const builtIn = (id: string, name: string, tag: string, arch: string, categories: string[], description: string, swrPath?: string): void => {
    images.set(id, {
      id,
      name,
      namespace: 'atelier',
      tag,
      swr_path: swrPath ?? `${swr}/atelier/${name}:${tag}`,
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
    });
  };
  // The seed manual's image, with its example SWR path.
  builtIn(
    SEED_IMAGE_ID,
    'notebook2.0-mul-kernel-cpu-cp36',
    '3.3.2-release_v1',
    'x86_64',
    ['CPU'],
    'description',
    'swr.xxxxx.com/atelier/notebook2.0-mul-kernel-cpu-cp36:3.3.2-release_v1',
  );
  builtIn('278e88d1-5b71-4766-8502-b3ba72e824d9', 'pytorch1.8-cuda10.2-cudnn7-ubuntu18.04', '2.0.0', 'x86_64', ['GPU', 'CPU'], 'PyTorch 1.8 with CUDA 10.2');
  builtIn('3a6c4e2f-1d8b-4f7a-9c5e-0b2d4f6a8c1e', 'tensorflow2.1-cuda10.1-cudnn7-ubuntu18.04', '2.0.0', 'x86_64', ['GPU', 'CPU'], 'TensorFlow 2.1 with CUDA 10.1');
  builtIn('4b7d5f3a-2e9c-4a8b-8d6f-1c3e5a7b9d2f', 'mindspore1.7.0-cann5.1.0-py3.7-euler2.8.3', '1.0.0', 'aarch64', ['ASCEND'], 'MindSpore 1.7 for Ascend');
  if (opts.seed === 'demo') {
    images.set('5c8e6a4b-3f0d-4b9c-9e7a-2d4f6b8c0e3a', {
      id: '5c8e6a4b-3f0d-4b9c-9e7a-2d4f6b8c0e3a',
      name: 'my-pytorch-env',
      namespace: 'demo-team',
      tag: 'v1',
      swr_path: `${swr}/demo-team/my-pytorch-env:v1`,
      arch: 'x86_64',
      type: 'DEDICATED',
      origin: 'IMAGE_SAVE',
      dev_services: ['NOTEBOOK', 'SSH'],
      resource_categories: ['GPU', 'CPU'],
      service_type: 'DEV',
      status: 'ACTIVE',
      status_message: '',
      size: 7_340_032,
      create_at: start - 20 * day,
      update_at: start - 20 * day,
      visibility: 'PRIVATE',
      workspace_id: '0',
      description: 'PyTorch with project dependencies',
    });
  }

  // ---- flavors -----------------------------------------------------------------------------------------
  const flavors: FlavorRecord[] = [];
  const flavor = (f: Omit<FlavorRecord, 'name' | 'billing' | 'feature' | 'storages' | 'evs_max_size' | 'grow_support_type'> & Partial<FlavorRecord>): void => {
    flavors.push({
      name: f.id,
      billing: { code: f.id, unit_num: 1 },
      feature: 'NOTEBOOK',
      storages: ['EFS', 'EVS', 'OBS', 'OBSFS'],
      evs_max_size: 4096,
      grow_support_type: ['EVS'],
      ...f,
    });
  };
  flavor({ id: 'modelarts.vm.cpu.2u', arch: 'x86_64', category: 'CPU', description: 'CPU: 2 vCPUs 8 GB', free: false, sold_out: false, vcpus: 2, memory: 8_388_608 });
  flavor({ id: 'modelarts.vm.cpu.8u', arch: 'x86_64', category: 'CPU', description: 'CPU: 8 vCPUs 32 GB', free: false, sold_out: false, vcpus: 8, memory: 33_554_432 });
  flavor({
    id: 'modelarts.vm.cpu.free',
    arch: 'x86_64',
    category: 'CPU',
    description: 'CPU: 1 vCPU 4 GB (free)',
    feature: 'DEFAULT',
    free: true,
    sold_out: false,
    vcpus: 1,
    memory: 4_194_304,
  });
  flavor({
    id: 'modelarts.vm.gpu.t4',
    arch: 'x86_64',
    category: 'GPU',
    description: 'GPU: 1*T4(16GB) | CPU: 8 vCPUs 32 GB',
    free: false,
    sold_out: false,
    vcpus: 8,
    memory: 33_554_432,
    gpu: { gpu: 1, gpu_memory: 16, type: 'T4' },
  });
  flavor({
    id: 'modelarts.vm.gpu.pnt004',
    arch: 'x86_64',
    category: 'GPU',
    description: 'GPU: 1*pnt004(16GB) | CPU: 8 vCPUs 64 GB',
    free: false,
    sold_out: true,
    vcpus: 8,
    memory: 67_108_864,
    gpu: { gpu: 1, gpu_memory: 16, type: 'pnt004' },
  });
  flavor({
    id: 'modelarts.bm.npu.arm.snt9b.d',
    arch: 'aarch64',
    category: 'ASCEND',
    description: 'Ascend: 1*snt9b(32GB) | ARM: 24 vCPUs 192 GB',
    free: false,
    sold_out: false,
    vcpus: 24,
    memory: 201_326_592,
    ascend: { npu: 1, npu_memory: 32, type: 'snt9b' },
  });

  const findFlavor = (id: string): FlavorRecord | undefined => flavors.find((f) => f.id === id);

  // ---- notebooks ---------------------------------------------------------------------------------------
  const imageRef = (img: ImageRecord): NotebookRecord['image'] => ({
    id: img.id,
    name: img.name,
    swr_path: img.swr_path,
    tag: img.tag,
    type: img.type,
    description: img.description,
  });

  const urlFor = (id: string): string => `https://authoring-modelarts-${region}.huaweicloud.com/${id}/lab`;

  interface SeedSpec {
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
    volume?: JsonObject;
  }

  const seedNotebook = (s: SeedSpec): void => {
    const img = images.get(s.imageId ?? SEED_IMAGE_ID)!;
    const createdAt = start - s.ageDays * day;
    const leaseStart = start - (s.leaseStartedAgoMs ?? 3 * hour);
    notebooks.set(s.id, {
      id: s.id,
      name: s.name,
      description: s.description ?? '',
      status: s.status,
      ...(s.failReason ? { fail_reason: s.failReason } : {}),
      feature: 'NOTEBOOK',
      flavor: s.flavor ?? 'modelarts.vm.cpu.2u',
      workspace_id: s.workspace,
      url: urlFor(s.id),
      token: tokenOf(newUuid()),
      image: imageRef(img),
      lease: leaseFor(createdAt, leaseStart, s.leaseMs ?? DEFAULT_DURATION_MS, 'TIMING'),
      volume: s.volume ?? { category: 'EVS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 5 },
      endpoints: s.ssh ? [{ service: 'SSH', key_pair_names: ['KeyPair-demo'] }] : [],
      tags: s.tags ?? [],
      owner: s.owner ?? { id: opts.userId, name: opts.userName },
      create_at: createdAt,
      update_at: Math.min(start, leaseStart),
      origin: 'start',
    });
  };

  if (opts.seed === 'demo') {
    // The seed manual's notebook, field for field. Its times are placed so that its start (`update_at`) is the
    // emulator's start: `create_at` lies the manual's gap (2727212 ms) before it and `duration` (6327212 ms,
    // that gap plus the 1 h requested) is kept, so it stops one hour after the emulator starts instead of
    // years ago.
    notebooks.set(SEED_NOTEBOOK_ID, {
      id: SEED_NOTEBOOK_ID,
      name: 'notebooks_test',
      description: 'api-test',
      status: 'STARTING',
      feature: 'NOTEBOOK',
      flavor: 'modelarts.vm.cpu.2u',
      workspace_id: '0',
      url: 'https://authoring-modelarts-xxxxx.xxxxx.com/f9937afa-4451-42db-a76b-72d624749f66/lab',
      token: tokenOf('5cc60e8b-8772-7690-efd6-a5874ca387c0'),
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
    });
    const [ws0, vision, nlp] = DEMO_WORKSPACES;
    const ids = DEMO_NOTEBOOK_IDS;
    const gpuImage = '278e88d1-5b71-4766-8502-b3ba72e824d9';
    seedNotebook({
      id: ids.pytorchDev,
      name: 'pytorch-dev',
      status: 'RUNNING',
      workspace: ws0.id,
      flavor: 'modelarts.vm.gpu.t4',
      imageId: gpuImage,
      description: 'Model prototyping',
      ageDays: 14,
      leaseStartedAgoMs: 2 * hour,
      leaseMs: 4 * hour,
      ssh: true,
      tags: [{ key: 'team', value: 'vision' }],
    });
    seedNotebook({ id: ids.dataCleaning, name: 'data-cleaning', status: 'STOPPED', workspace: ws0.id, ageDays: 30, leaseStartedAgoMs: 5 * day });
    // Stops on its own in 12 minutes: shows the lease countdown and the "about to stop" warning.
    seedNotebook({
      id: ids.quickStart,
      name: 'quick-start',
      status: 'RUNNING',
      workspace: ws0.id,
      ageDays: 3,
      leaseStartedAgoMs: hour - 12 * 60_000,
      leaseMs: hour,
    });
    seedNotebook({
      id: ids.resnetFinetune,
      name: 'resnet-finetune',
      status: 'RUNNING',
      workspace: vision.id,
      flavor: 'modelarts.vm.gpu.t4',
      imageId: gpuImage,
      ageDays: 9,
      leaseStartedAgoMs: 26 * hour,
      leaseMs: -1,
      ssh: true,
      volume: { category: 'EFS', ownership: 'MANAGED', mount_path: '/home/ma-user/work/', capacity: 50 },
      tags: [{ key: 'team', value: 'vision' }, { key: 'cost-center', value: 'rd-42' }],
    });
    seedNotebook({ id: ids.yoloLabeling, name: 'yolo-labeling', status: 'STOPPED', workspace: vision.id, flavor: 'modelarts.vm.cpu.8u', ageDays: 40 });
    seedNotebook({
      id: ids.bertEval,
      name: 'bert-eval',
      status: 'START_FAILED',
      workspace: nlp.id,
      flavor: 'modelarts.vm.gpu.pnt004',
      imageId: gpuImage,
      ageDays: 12,
      failReason: 'Insufficient resources: flavor modelarts.vm.gpu.pnt004 is sold out. Try another flavor or retry later.',
    });
    seedNotebook({
      id: ids.llmSandbox,
      name: 'llm-sandbox',
      status: 'CREATE_FAILED',
      workspace: nlp.id,
      flavor: 'modelarts.bm.npu.arm.snt9b.d',
      imageId: '4b7d5f3a-2e9c-4a8b-8d6f-1c3e5a7b9d2f',
      ageDays: 1,
      failReason: 'Failed to create the EVS volume: the storage quota of the project is exhausted.',
    });
    seedNotebook({
      id: ids.legacyEnv,
      name: 'legacy-env',
      status: 'ERROR',
      workspace: ws0.id,
      ageDays: 300,
      failReason: 'The instance is abnormal: the container exited unexpectedly.',
    });
    seedNotebook({ id: ids.tokenizerLab, name: 'tokenizer-lab', status: 'STOPPED', workspace: nlp.id, flavor: 'modelarts.vm.cpu.8u', ageDays: 5 });
    // A colleague's instance: only in /notebooks/all.
    seedNotebook({
      id: ids.colleagueShared,
      name: 'shared-analysis',
      status: 'RUNNING',
      workspace: ws0.id,
      ageDays: 2,
      leaseStartedAgoMs: hour,
      leaseMs: 8 * hour,
      owner: { id: '0f1e2d3c4b5a46978899aabbccddeeff', name: 'alice' },
    });
  }

  let sshEndpoint = extra.sshEndpoint;
  /** In the console's form: `ssh://ma-user@host:port`. */
  const sshUri = (): string => {
    const { host, port, user } = sshEndpoint ?? { host: '127.0.0.1', port: 22 };
    return `ssh://${user ?? 'ma-user'}@${host.includes(':') ? `[${host}]` : host}:${port}`;
  };

  const notebookJson = (nb: NotebookRecord): JsonObject => {
    const running = nb.status === 'RUNNING';
    const out: JsonObject = {
      id: nb.id,
      name: nb.name,
      description: nb.description,
      status: nb.status,
    };
    if (nb.fail_reason) out.fail_reason = nb.fail_reason;
    Object.assign(out, {
      feature: nb.feature,
      flavor: nb.flavor,
      workspace_id: nb.workspace_id,
      url: nb.url,
      token: nb.token,
      image: { ...nb.image },
      lease: leaseJson(nb.lease),
      volume: { ...nb.volume },
      // The address exists only while the instance runs.
      endpoints: nb.endpoints.map((e) =>
        running && e.service === 'SSH'
          ? { service: e.service, uri: sshUri(), key_pair_names: [...e.key_pair_names] }
          : { service: e.service, key_pair_names: [...e.key_pair_names] },
      ),
      action_progress: progressFor(nb.status),
      tags: nb.tags.map((t) => ({ ...t })),
      user: { id: nb.owner.id, name: nb.owner.name },
      create_at: nb.create_at,
      update_at: nb.update_at,
    });
    return out;
  };

  const find = (id: string): NotebookRecord => {
    const nb = notebooks.get(id);
    if (!nb) throw notFound(id);
    return nb;
  };

  // ---- time --------------------------------------------------------------------------------------------
  const due = (nb: NotebookRecord): { at: number; to: string } | undefined => {
    if (nb.next) return nb.next;
    if (nb.status === 'RUNNING' && nb.lease.enable && nb.lease.duration > 0) return { at: nb.lease.create_at + nb.lease.duration, to: 'STOPPING' };
    return undefined;
  };

  const applyTransition = (nb: NotebookRecord, at: number, to: string): void => {
    nb.next = undefined;
    nb.update_at = at;
    switch (to) {
      case 'STARTING':
        nb.status = 'STARTING';
        nb.next = { at: at + NOTEBOOK_TIMINGS.startMs, to: 'RUNNING' };
        break;
      case 'RUNNING':
        if (nb.failNext !== undefined) {
          nb.status = nb.origin === 'create' ? 'CREATE_FAILED' : 'START_FAILED';
          nb.fail_reason = nb.failNext;
          nb.failNext = undefined;
        } else {
          nb.status = 'RUNNING';
          delete nb.fail_reason;
        }
        break;
      case 'STOPPING':
        nb.status = 'STOPPING';
        nb.next = { at: at + NOTEBOOK_TIMINGS.stopMs, to: 'STOPPED' };
        break;
      case 'STOPPED':
        nb.status = 'STOPPED';
        break;
      case 'GONE':
        notebooks.delete(nb.id);
        break;
      default:
        nb.status = to;
    }
  };

  const advanceImages = (now: number): void => {
    for (const img of images.values()) {
      while (img.next && img.next.at <= now) {
        const { at, to } = img.next;
        img.next = undefined;
        img.status = to;
        img.update_at = at;
        if (to === 'CREATING') img.next = { at: img.create_at + NOTEBOOK_TIMINGS.snapshotMs, to: 'ACTIVE' };
      }
    }
  };

  // ---- handlers ----------------------------------------------------------------------------------------
  const listNotebooks =
    (all: boolean) =>
    (request: EmuRequest): EmuResponse => {
      const offset = intQuery(request, 'offset', 0);
      const limit = intQuery(request, 'limit', 10, 1, 1000);
      const dir = sortDir(request);
      const sortKeys = (queryValue(request, 'sort_key') || 'create_at').split(',').map((k) => k.trim()).filter(Boolean);
      const allowed: Record<string, (nb: NotebookRecord) => string | number> = {
        create_at: (nb) => nb.create_at,
        update_at: (nb) => nb.update_at,
        name: (nb) => nb.name,
        status: (nb) => nb.status,
        flavor: (nb) => nb.flavor,
        id: (nb) => nb.id,
      };
      for (const key of sortKeys) {
        if (!allowed[key]) throw new ApiFailure(400, 'ModelArts.6303', `Invalid sort field: ${key}; use one of ${Object.keys(allowed).join(', ')}.`);
      }
      const status = queryValue(request, 'status');
      if (status && !(NOTEBOOK_STATUSES as readonly string[]).includes(status)) throw invalidParam(`Invalid status: ${status}.`);
      const name = queryValue(request, 'name')?.toLowerCase();
      if (name !== undefined && name.length > 128) throw invalidParam('name must be at most 128 characters.');
      const workspaceId = queryValue(request, 'workspace_id') || queryValue(request, 'workspaceId');
      const feature = (queryValue(request, 'feature') || 'NOTEBOOK').toUpperCase();
      const flavorFilter = queryValue(request, 'flavor');
      const imageFilter = queryValue(request, 'image_id');
      const idFilter = queryValue(request, 'id');
      const items = [...notebooks.values()]
        .filter(
          (nb) =>
            (all || nb.owner.id === opts.userId) &&
            nb.feature === feature &&
            (!status || nb.status === status) &&
            (!name || nb.name.toLowerCase().includes(name)) &&
            (!workspaceId || nb.workspace_id === workspaceId) &&
            (!flavorFilter || nb.flavor === flavorFilter) &&
            (!imageFilter || nb.image.id === imageFilter) &&
            (!idFilter || nb.id === idFilter),
        )
        .sort(compareBy(sortKeys.map((k) => allowed[k]), dir));
      const page = pageShape(items, offset, limit);
      page.data = (page.data as NotebookRecord[]).map(notebookJson);
      return { status: 200, body: page };
    };

  const parseVolume = (raw: unknown): JsonObject => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParam('volume is required: {"category","ownership"}.');
    const v = raw as JsonObject;
    const category = typeof v.category === 'string' ? v.category.toUpperCase() : '';
    if (!['EVS', 'OBS', 'OBSFS', 'EFS'].includes(category)) throw invalidParam('volume.category is required: EVS, OBS, OBSFS or EFS.');
    const ownership = typeof v.ownership === 'string' ? v.ownership.toUpperCase() : '';
    if (ownership !== 'MANAGED' && ownership !== 'DEDICATED') throw invalidParam('volume.ownership is required: MANAGED or DEDICATED.');
    if (ownership === 'DEDICATED' && category !== 'EFS') throw invalidParam('volume.ownership DEDICATED is only allowed for EFS.');
    const volume: JsonObject = { category, ownership, mount_path: typeof v.mount_path === 'string' ? v.mount_path : '/home/ma-user/work/' };
    if (category === 'EVS' || category === 'EFS') {
      const capacity = v.capacity ?? (category === 'EVS' ? 5 : 50);
      if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > 4096) throw invalidParam('volume.capacity must be an integer from 1 to 4096 (GB).');
      volume.capacity = capacity;
    }
    if (typeof v.uri === 'string') volume.uri = v.uri;
    if (typeof v.id === 'string') volume.id = v.id;
    return volume;
  };

  const parseEndpoints = (raw: unknown): NotebookRecord['endpoints'] => {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw invalidParam('endpoints must be an array.');
    return raw.map((e: unknown, i) => {
      const item = (typeof e === 'object' && e !== null ? e : {}) as JsonObject;
      const service = typeof item.service === 'string' ? item.service.toUpperCase() : '';
      if (service !== 'SSH' && service !== 'NOTEBOOK') throw invalidParam(`endpoints[${i}].service must be NOTEBOOK or SSH.`);
      const keys = Array.isArray(item.key_pair_names) ? item.key_pair_names.filter((k): k is string => typeof k === 'string') : [];
      return { service, key_pair_names: keys };
    });
  };

  const create = (request: EmuRequest): EmuResponse => {
    const body = objectBody(request);
    const name = checkName(body.name);
    const description = checkDescription(body.description);
    if (typeof body.image_id !== 'string' || body.image_id === '') throw invalidParam('image_id is required.');
    const img = images.get(body.image_id);
    if (!img) throw invalidParam(`The image ${body.image_id} does not exist.`);
    const volume = parseVolume(body.volume);
    const flavorId = body.flavor === undefined ? 'modelarts.vm.cpu.2u' : body.flavor;
    if (typeof flavorId !== 'string' || !findFlavor(flavorId)) throw invalidParam(`The flavor ${text(flavorId)} does not exist.`);
    const feature = body.feature === undefined ? 'NOTEBOOK' : text(body.feature).toUpperCase();
    if (feature !== 'NOTEBOOK' && feature !== 'DEFAULT') throw invalidParam('feature must be NOTEBOOK or DEFAULT.');
    const workspaceId = body.workspace_id ?? '0';
    if (typeof workspaceId !== 'string' || !/^(0|[a-z0-9]{32})$/.test(workspaceId)) throw invalidParam('workspace_id must be "0" or 32 characters [a-z0-9].');
    if (extra.workspaceExists && !extra.workspaceExists(workspaceId)) throw new ApiFailure(400, 'ModelArts.7005', `workspace:${workspaceId} not existed`);
    const leaseBody = (typeof body.lease === 'object' && body.lease !== null ? body.lease : {}) as JsonObject;
    const rawDuration = body.duration ?? leaseBody.duration;
    const duration = rawDuration === undefined ? DEFAULT_DURATION_MS : parseDuration(rawDuration);
    const type = parseLeaseType(leaseBody.type);
    const endpoints = parseEndpoints(body.endpoints);
    const own = [...notebooks.values()].filter((nb) => nb.owner.id === opts.userId).length;
    if (own >= MAX_NOTEBOOKS) throw new ApiFailure(400, 'ModelArts.6302', `The number of notebook instances has reached the limit (${MAX_NOTEBOOKS}).`);
    const id = newUuid();
    const nb: NotebookRecord = {
      id,
      name,
      description,
      status: 'CREATING',
      feature,
      flavor: flavorId,
      workspace_id: workspaceId,
      url: urlFor(id),
      token: tokenOf(newUuid()),
      image: imageRef(img),
      lease: leaseFor(request.now, request.now, duration, type),
      volume,
      endpoints,
      tags: [],
      owner: { id: opts.userId, name: opts.userName },
      create_at: request.now,
      update_at: request.now,
      origin: 'create',
      next: { at: request.now + NOTEBOOK_TIMINGS.createMs, to: 'STARTING' },
    };
    notebooks.set(id, nb);
    return { status: 200, body: notebookJson(nb) };
  };

  const get = (request: EmuRequest): EmuResponse => ({ status: 200, body: notebookJson(find(request.params.id)) });

  const update = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    const body = objectBody(request);
    const name = body.name === undefined ? undefined : checkName(body.name);
    const description = body.description === undefined ? undefined : checkDescription(body.description);
    const flavorId = body.flavor;
    const imageId = body.image_id;
    const needsStopped = (flavorId !== undefined && flavorId !== nb.flavor) || (imageId !== undefined && imageId !== nb.image.id);
    if (needsStopped && nb.status !== 'STOPPED') {
      throw new ApiFailure(400, 'ModelArts.6357', `The instance is ${nb.status}; stop it before changing its flavor or image.`);
    }
    let newFlavor: FlavorRecord | undefined;
    if (flavorId !== undefined) {
      newFlavor = typeof flavorId === 'string' ? findFlavor(flavorId) : undefined;
      if (!newFlavor) throw invalidParam(`The flavor ${text(flavorId)} does not exist.`);
      if (newFlavor.arch !== findFlavor(nb.flavor)?.arch) throw invalidParam(`The flavor ${newFlavor.id} cannot replace ${nb.flavor}: a different architecture.`);
    }
    let newImage: ImageRecord | undefined;
    if (imageId !== undefined) {
      newImage = typeof imageId === 'string' ? images.get(imageId) : undefined;
      if (!newImage) throw invalidParam(`The image ${text(imageId)} does not exist.`);
    }
    if (body.storage_new_size !== undefined) {
      const size = body.storage_new_size;
      const current = typeof nb.volume.capacity === 'number' ? nb.volume.capacity : 0;
      if (nb.volume.category !== 'EVS') throw invalidParam('storage_new_size applies to EVS volumes only.');
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= current || size > 4096) {
        throw invalidParam(`storage_new_size must be an integer greater than ${current} and at most 4096 (GB).`);
      }
      nb.volume.capacity = size;
    }
    if (name !== undefined) nb.name = name;
    if (description !== undefined) nb.description = description;
    if (newFlavor) nb.flavor = newFlavor.id;
    if (newImage) nb.image = imageRef(newImage);
    if (body.endpoints !== undefined) nb.endpoints = parseEndpoints(body.endpoints);
    nb.update_at = request.now;
    return { status: 200, body: notebookJson(nb) };
  };

  const remove = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    if (nb.status === 'DELETING') throw new ApiFailure(400, 'ModelArts.6357', 'The instance is already DELETING.');
    // Running instances may be deleted directly, as Terraform does.
    nb.status = 'DELETING';
    nb.update_at = request.now;
    nb.next = { at: request.now + NOTEBOOK_TIMINGS.deleteMs, to: 'GONE' };
    return { status: 200, body: notebookJson(nb) };
  };

  const startNotebook = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    if (nb.status === 'RUNNING') throw new ApiFailure(400, 'ModelArts.6305', `The instance ${nb.id} is already running.`);
    if (nb.status === 'STARTING') throw new ApiFailure(400, 'ModelArts.6306', `The instance ${nb.id} is starting.`);
    if (nb.status !== 'STOPPED' && nb.status !== 'START_FAILED') {
      throw new ApiFailure(400, 'ModelArts.6357', `The instance is ${nb.status}; only a STOPPED or START_FAILED instance can be started.`);
    }
    const rawDuration = queryValue(request, 'duration');
    const duration = rawDuration === undefined || rawDuration === '' ? DEFAULT_DURATION_MS : parseDuration(rawDuration);
    const type = parseLeaseType(queryValue(request, 'type'));
    nb.status = 'STARTING';
    delete nb.fail_reason;
    nb.origin = 'start';
    // The creation time stays; the lease now runs `duration` from this start.
    nb.lease = leaseFor(nb.lease.create_at, request.now, duration, type);
    nb.update_at = request.now;
    nb.next = { at: request.now + NOTEBOOK_TIMINGS.startMs, to: 'RUNNING' };
    return { status: 200, body: notebookJson(nb) };
  };

  const stopNotebook = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    if (nb.status === 'STOPPED' || nb.status === 'START_FAILED') throw new ApiFailure(400, 'ModelArts.6307', `The instance ${nb.id} is already stopped.`);
    if (nb.status === 'STOPPING') throw new ApiFailure(400, 'ModelArts.6308', `The instance ${nb.id} is stopping.`);
    if (nb.status !== 'RUNNING' && nb.status !== 'STARTING') {
      throw new ApiFailure(400, 'ModelArts.6357', `The instance is ${nb.status}; only a RUNNING or STARTING instance can be stopped.`);
    }
    applyTransition(nb, request.now, 'STOPPING');
    return { status: 200, body: notebookJson(nb) };
  };

  const getLease = (request: EmuRequest): EmuResponse => ({ status: 200, body: leaseJson(find(request.params.id).lease) });

  const renewLease = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    if (nb.status !== 'RUNNING') throw new ApiFailure(400, 'ModelArts.6327', `The instance is ${nb.status}; only a RUNNING instance's lease can be renewed.`);
    const body = request.body === undefined ? {} : objectBody(request);
    const queryDuration = queryValue(request, 'duration');
    const fromQuery = queryDuration !== undefined && queryDuration !== '';
    const rawDuration = fromQuery ? queryDuration : body.duration;
    if (rawDuration === undefined) throw invalidParam('duration is required (query or body), in ms.');
    const duration = parseDuration(rawDuration);
    // The query duration wins over the body and forces TIMING.
    const type = fromQuery ? 'TIMING' : body.type === undefined ? nb.lease.type : parseLeaseType(body.type);
    // The SDK's lease request counts the duration from now: the auto-stop moves to now + duration, whatever
    // was left (a renewal may bring it closer). parseDuration has already held it to 1–72 h.
    nb.lease = leaseFor(nb.lease.create_at, request.now, duration, type);
    nb.update_at = request.now;
    return { status: 200, body: leaseJson(nb.lease) };
  };

  const createImage = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    const body = objectBody(request);
    const name = body.name;
    if (typeof name !== 'string' || !/^[a-z0-9._-]{1,128}$/.test(name)) throw invalidParam('name is required: at most 128 lowercase letters, digits, "-", "_" or ".".');
    const namespace = swrOrganization(body.namespace, invalidParam);
    const tag = body.tag === undefined ? 'latest' : text(body.tag);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(tag)) throw invalidParam('tag must be at most 64 letters, digits, "-", "_" or ".".');
    const description = body.description === undefined ? '' : text(body.description);
    if (description.length > 512) throw invalidParam('description must be at most 512 characters.');
    if (nb.status !== 'RUNNING') throw new ApiFailure(400, 'ModelArts.6327', `The instance is ${nb.status}; only a RUNNING instance can be saved as an image.`);
    const img: ImageRecord = {
      id: newUuid(),
      name,
      namespace,
      tag,
      swr_path: `${swr}/${namespace}/${name}:${tag}`,
      arch: findFlavor(nb.flavor)?.arch ?? 'x86_64',
      type: 'DEDICATED',
      origin: 'IMAGE_SAVE',
      dev_services: ['NOTEBOOK', 'SSH'],
      resource_categories: [findFlavor(nb.flavor)?.category ?? 'CPU'],
      service_type: 'DEV',
      status: 'INIT',
      status_message: '',
      size: 0,
      create_at: request.now,
      update_at: request.now,
      visibility: 'PRIVATE',
      workspace_id: typeof body.workspace_id === 'string' ? body.workspace_id : nb.workspace_id,
      description,
      next: { at: request.now + 1000, to: 'CREATING' },
    };
    images.set(img.id, img);
    nb.status = 'SNAPSHOTTING';
    nb.update_at = request.now;
    nb.next = { at: request.now + NOTEBOOK_TIMINGS.snapshotMs, to: 'RUNNING' };
    return { status: 200, body: imageJson(img) };
  };

  const imageJson = (img: ImageRecord): JsonObject => {
    const { next: _next, ...fields } = img;
    return { ...fields, dev_services: [...img.dev_services], resource_categories: [...img.resource_categories] };
  };

  const listImages = (request: EmuRequest): EmuResponse => {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 200, 1, 1000);
    const dir = sortDir(request);
    const type = (queryValue(request, 'type') || 'BUILD_IN').toUpperCase();
    if (type !== 'BUILD_IN' && type !== 'DEDICATED') throw invalidParam('type must be BUILD_IN or DEDICATED.');
    const filtered = filterImages(request).filter((img) => img.type === type);
    const sortKey = queryValue(request, 'sort_key') || 'create_at';
    const keyFns: Record<string, (img: ImageRecord) => string | number> = {
      create_at: (img) => img.create_at,
      update_at: (img) => img.update_at,
      name: (img) => img.name,
      tag: (img) => img.tag,
    };
    const keys = sortKey.split(',').map((k) => k.trim());
    for (const key of keys) if (!keyFns[key]) throw invalidParam(`Invalid sort_key: ${key}; use one of ${Object.keys(keyFns).join(', ')}.`);
    filtered.sort(compareBy([...keys.map((k) => keyFns[k]), (img: ImageRecord) => img.id], dir));
    const page = pageShape(filtered, offset, limit);
    page.data = (page.data as ImageRecord[]).map(imageJson);
    return { status: 200, body: page };
  };

  const filterImages = (request: EmuRequest): ImageRecord[] => {
    const name = queryValue(request, 'name');
    const fuzzy = queryValue(request, 'name_fuzzy_match')?.toLowerCase() !== 'false';
    const namespace = queryValue(request, 'namespace');
    const serviceType = queryValue(request, 'service_type');
    const workspaceId = queryValue(request, 'workspace_id');
    return [...images.values()].filter(
      (img) =>
        (!name || (fuzzy ? img.name.includes(name) : img.name === name)) &&
        (!namespace || img.namespace === namespace) &&
        (!serviceType || img.service_type === serviceType.toUpperCase()) &&
        (!workspaceId || img.type === 'BUILD_IN' || img.workspace_id === workspaceId),
    );
  };

  const getImage = (request: EmuRequest): EmuResponse => {
    const img = images.get(request.params.image_id);
    if (!img) throw invalidParam(`The image ${request.params.image_id} does not exist.`);
    return { status: 200, body: imageJson(img) };
  };

  const imageGroups = (request: EmuRequest): EmuResponse => {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 200, 1, 1000);
    const type = queryValue(request, 'type')?.toUpperCase();
    const groups = new Map<string, { name: string; namespace: string; create_at: number; update_at: number; version_count: number }>();
    for (const img of filterImages(request)) {
      if (type && img.type !== type) continue;
      const key = `${img.namespace}/${img.name}`;
      const group = groups.get(key);
      if (group) {
        group.version_count += 1;
        group.create_at = Math.min(group.create_at, img.create_at);
        group.update_at = Math.max(group.update_at, img.update_at);
      } else {
        groups.set(key, { name: img.name, namespace: img.namespace, create_at: img.create_at, update_at: img.update_at, version_count: 1 });
      }
    }
    const items = [...groups.values()].sort((a, b) => b.update_at - a.update_at || (a.name < b.name ? -1 : 1));
    return { status: 200, body: pageShape(items, offset, limit) };
  };

  const flavorJson = (f: FlavorRecord): JsonObject => ({ ...f, storages: [...f.storages], billing: { ...f.billing } });

  const flavorPage = (request: EmuRequest, items: FlavorRecord[]): EmuResponse => {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 100, 1, 1000);
    const dir = queryValue(request, 'sort_dir') ? sortDir(request) : 1;
    const sortKey = queryValue(request, 'sort_key') || 'id';
    const keyFns: Record<string, (f: FlavorRecord) => string | number> = { id: (f) => f.id, name: (f) => f.name, vcpus: (f) => f.vcpus, memory: (f) => f.memory };
    if (!keyFns[sortKey]) throw invalidParam(`Invalid sort_key: ${sortKey}; use one of ${Object.keys(keyFns).join(', ')}.`);
    const sorted = [...items].sort(compareBy([keyFns[sortKey]], dir));
    // The documented flavor example counts pages from 1 (notebook lists count from 0).
    const page = pageShape(sorted.map(flavorJson), offset, limit, 1);
    page.flavors = page.data;
    return { status: 200, body: page };
  };

  const listFlavors = (request: EmuRequest): EmuResponse => {
    const category = queryValue(request, 'category')?.toUpperCase();
    const feature = queryValue(request, 'feature')?.toUpperCase();
    return flavorPage(
      request,
      flavors.filter((f) => (!category || f.category === category) && (!feature || f.feature === feature)),
    );
  };

  const switchableFlavors = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.id);
    const current = findFlavor(nb.flavor);
    return flavorPage(
      request,
      flavors.filter((f) => f.id !== nb.flavor && f.arch === current?.arch && f.feature === nb.feature),
    );
  };

  const parseTags = (request: EmuRequest, needValue: boolean): Array<{ key: string; value: string }> => {
    const body = objectBody(request);
    if (!Array.isArray(body.tags) || body.tags.length === 0) throw invalidParam('tags is required: [{"key","value"}].');
    return body.tags.map((t: unknown, i) => {
      const tag = (typeof t === 'object' && t !== null ? t : {}) as JsonObject;
      if (typeof tag.key !== 'string' || !TAG_KEY_PATTERN.test(tag.key)) {
        throw invalidParam(`tags[${i}].key must be 1 to 36 characters without = * < > \\ , | /.`);
      }
      const value = tag.value === undefined ? '' : tag.value;
      if (typeof value !== 'string' || !TAG_VALUE_PATTERN.test(value) || (needValue && tag.value === undefined)) {
        throw invalidParam(`tags[${i}].value must be 0 to 43 characters without = * < > \\ , | /.`);
      }
      return { key: tag.key, value };
    });
  };

  const createTags = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.resource_id);
    const tags = parseTags(request, true);
    const merged = new Map(nb.tags.map((t) => [t.key, t.value]));
    for (const t of tags) merged.set(t.key, t.value);
    if (merged.size > MAX_TAGS) throw invalidParam(`A notebook can have at most ${MAX_TAGS} tags.`);
    nb.tags = [...merged].map(([key, value]) => ({ key, value }));
    return { status: 204 };
  };

  const deleteTags = (request: EmuRequest): EmuResponse => {
    const nb = find(request.params.resource_id);
    const keys = new Set(parseTags(request, false).map((t) => t.key));
    nb.tags = nb.tags.filter((t) => !keys.has(t.key));
    return { status: 204 };
  };

  const listTags = (request: EmuRequest): EmuResponse => {
    const workspaceId = queryValue(request, 'workspace_id');
    const byKey = new Map<string, Set<string>>();
    for (const nb of notebooks.values()) {
      if (nb.owner.id !== opts.userId || (workspaceId && nb.workspace_id !== workspaceId)) continue;
      for (const t of nb.tags) {
        if (!byKey.has(t.key)) byKey.set(t.key, new Set());
        byKey.get(t.key)!.add(t.value);
      }
    }
    const tags = [...byKey].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, values]) => ({ key, values: [...values].sort() }));
    return { status: 200, body: { tags } };
  };

  return {
    register(router: Router): void {
      const nb = '/v1/{project_id}/notebooks';
      router
        .add('GET', nb, listNotebooks(false))
        .add('POST', nb, create)
        .add('GET', `${nb}/all`, listNotebooks(true))
        .add('GET', `${nb}/flavors`, listFlavors)
        .add('GET', `${nb}/tags`, listTags)
        .add('GET', `${nb}/{id}`, get)
        .add('PUT', `${nb}/{id}`, update)
        .add('DELETE', `${nb}/{id}`, remove)
        .add('POST', `${nb}/{id}/start`, startNotebook)
        .add('POST', `${nb}/{id}/stop`, stopNotebook)
        .add('GET', `${nb}/{id}/lease`, getLease)
        .add('PATCH', `${nb}/{id}/lease`, renewLease)
        .add('POST', `${nb}/{id}/create-image`, createImage)
        .add('GET', `${nb}/{id}/flavors`, switchableFlavors)
        .add('POST', `${nb}/{resource_id}/tags/create`, createTags)
        .add('DELETE', `${nb}/{resource_id}/tags/delete`, deleteTags)
        .add('GET', '/v1/{project_id}/images', listImages)
        .add('GET', '/v1/{project_id}/images/group', imageGroups)
        .add('GET', '/v1/{project_id}/images/{image_id}', getImage);
    },
    advance(now: number): void {
      for (const nb of [...notebooks.values()]) {
        for (let step = 0; step < 10; step++) {
          const next = due(nb);
          if (!next || next.at > now) break;
          applyTransition(nb, next.at, next.to);
          if (!notebooks.has(nb.id)) break;
        }
      }
      advanceImages(now);
    },
    failNextStart(id: string, reason?: string): boolean {
      const nb = notebooks.get(id);
      if (!nb) return false;
      nb.failNext = reason ?? 'Failed to start the instance: insufficient resources in the pool. Retry later or choose another flavor.';
      return true;
    },
    statusOf: (id) => notebooks.get(id)?.status,
    setSshEndpoint(endpoint) {
      sshEndpoint = endpoint;
    },
  };
}
