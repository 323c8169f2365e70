import type { ResourceFamily } from '../framework';

// The records the workspaces family keeps, with its limits.

export interface EmuWorkspaceGrant {
  user_id?: string;
  user_name?: string;
  user_type: string;
}

export interface QuotaRecord {
  resource: string;
  quota: number;
  used_quota: number | null;
  min_quota: number;
  max_quota: number;
  name_en: string;
  name_cn: string;
  unit_en: string;
  unit_cn: string;
  update_time: number;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  description: string;
  owner: string;
  enterprise_project_id: string;
  enterprise_project_name: string;
  auth_type: string;
  create_time: number;
  update_time: number;
  status: string;
  status_info: string;
  grants: EmuWorkspaceGrant[];
  quotas: QuotaRecord[];
  /** Emulated time at which a DELETING workspace disappears. */
  goneAt?: number;
}

export interface WorkspacesFamily extends ResourceFamily {
  /** True for a workspace that exists (a DELETING one still does). */
  has(id: string): boolean;
}

/** A deleted workspace stays visible as DELETING for this long (emulated). */
export const WORKSPACE_DELETE_MS = 5_000;
export const MAX_WORKSPACES = 50;
export const AUTH_TYPES = ['PUBLIC', 'PRIVATE', 'INTERNAL'];
export const USER_TYPES = ['IAM', 'FEDERATE', 'AGENCY'];
export const SORT_KEYS = ['name', 'update_time', 'status'] as const;
/** The default workspace's enterprise project id, as the seed example shows it (masked). */
export const DEFAULT_EP_ID = '***b0091-887f-4839-9929-cbc884f1e***';
