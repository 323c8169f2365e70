// Notebooks: the instance, its lease, image, volume and endpoints, and the images and flavors to create one.

import type { OpenEnum, JsonObject, Parsed } from './common';

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
export type NotebookStatus = (typeof NOTEBOOK_STATUSES)[number];

export const LEASE_TYPES = ['TIMING', 'IDLE'] as const;
export type LeaseType = (typeof LEASE_TYPES)[number];

export const IMAGE_TYPES = ['BUILD_IN', 'DEDICATED'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const IMAGE_STATUSES = ['INIT', 'CREATING', 'CREATE_FAILED', 'ERROR', 'DELETED', 'ACTIVE'] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const VOLUME_CATEGORIES = ['SFS', 'EVS', 'OBS', 'OBSFS', 'EFS'] as const;
export type VolumeCategory = (typeof VOLUME_CATEGORIES)[number];

export const VOLUME_OWNERSHIPS = ['MANAGED', 'DEDICATED'] as const;
export type VolumeOwnership = (typeof VOLUME_OWNERSHIPS)[number];

export interface NotebookLease extends Parsed {
  /** ms epoch */
  create_at?: number;
  update_at?: number;
  /** ms from `create_at` (the instance's creation) to the auto-stop; -1 without auto-stop. */
  duration?: number;
  enable?: boolean;
  type?: OpenEnum<LeaseType>;
}

export interface NotebookImageRef {
  id?: string;
  name?: string;
  swr_path?: string;
  tag?: string;
  type?: OpenEnum<ImageType>;
  arch?: string;
  description?: string;
}

export interface NotebookVolume {
  category?: OpenEnum<VolumeCategory>;
  ownership?: OpenEnum<VolumeOwnership>;
  /** GB */
  capacity?: number;
  mount_path?: string;
  status?: string;
  uri?: string;
  id?: string;
}

export interface NotebookEndpoint {
  service?: string;
  dev_service?: string;
  uri?: string;
  key_pair_names?: string[];
  allowed_access_ips?: string[];
}

/** A notebook's SSH endpoint: the `endpoints[]` entry whose service (or dev_service) is SSH. */
export interface NotebookSshEndpoint {
  /** Absent until the instance runs; the format is not pinned down (see src/ssh/uri.ts). */
  uri?: string;
  keyPairNames: string[];
}

export interface NotebookActionProgress {
  step?: number;
  status?: string;
  description?: string;
}

export interface Notebook extends Parsed {
  id: string;
  name: string;
  description?: string;
  status?: OpenEnum<NotebookStatus>;
  fail_reason?: string;
  feature?: string;
  flavor?: string;
  workspace_id?: string;
  url?: string;
  /** Secret: redact before showing. */
  token?: string;
  ip?: string;
  user_id?: string;
  create_at?: number;
  update_at?: number;
  image?: NotebookImageRef;
  lease?: NotebookLease;
  volume?: NotebookVolume;
  endpoints?: NotebookEndpoint[];
  action_progress?: NotebookActionProgress[];
  pool?: { id?: string; name?: string };
  tags?: { key: string; value?: string }[];
}

export interface NotebookCreateRequest {
  name: string;
  image_id: string;
  volume: { category: string; ownership: string; capacity?: number } & JsonObject;
  flavor?: string;
  feature?: 'NOTEBOOK' | 'DEFAULT';
  description?: string;
  workspace_id?: string;
  pool_id?: string;
  /** Auto-stop in ms (1 h–72 h), or -1 for none. */
  duration?: number;
  lease?: { duration?: number; type?: LeaseType };
  [field: string]: unknown;
}

export interface NotebookImage extends Parsed {
  id: string;
  name: string;
  namespace?: string;
  tag?: string;
  swr_path?: string;
  arch?: string;
  type?: OpenEnum<ImageType>;
  origin?: string;
  dev_services?: string[];
  service_type?: string;
  status?: OpenEnum<ImageStatus>;
  status_message?: string;
  /** KB */
  size?: number;
  create_at?: number;
  update_at?: number;
  visibility?: string;
  workspace_id?: string;
  description?: string;
}

export interface NotebookFlavor extends Parsed {
  id: string;
  name?: string;
  arch?: string;
  category?: string;
  description?: string;
  feature?: string;
  free?: boolean;
  sold_out?: boolean;
  vcpus?: number;
  /** KB in the documented example. */
  memory?: number;
  storages?: string[];
  gpu?: JsonObject;
  billing?: JsonObject;
  evs_max_size?: number;
}
