import type { EmuJsonObject, ResourceFamily } from '../framework';

// The records the notebooks family keeps, its timings and limits, and the fixed ids of its seeded objects.

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
export const DEFAULT_DURATION_MS = 3_600_000;
export const MAX_NOTEBOOKS = 100;
export const MAX_TAGS = 20;

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

export interface ImageRecord {
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

export interface FlavorRecord {
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
export interface Lease {
  create_at: number;
  update_at: number;
  /** ms from `create_at` to the auto-stop; -1 without auto-stop. */
  duration: number;
  enable: boolean;
  type: string;
}

export interface NotebookRecord {
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
  volume: EmuJsonObject;
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
