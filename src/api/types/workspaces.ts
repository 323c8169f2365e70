// Workspaces: their status and grants, and the quotas of a workspace.

import type { OpenEnum, Parsed } from './common';

export const WORKSPACE_STATUSES = ['NORMAL', 'CREATE_FAILED', 'DELETING', 'DELETE_FAILED'] as const;
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

export const WORKSPACE_AUTH_TYPES = ['PUBLIC', 'PRIVATE', 'INTERNAL'] as const;
export type WorkspaceAuthType = (typeof WORKSPACE_AUTH_TYPES)[number];

export interface WorkspaceGrant {
  user_id?: string;
  user_name?: string;
  user_type?: string;
}

export interface Workspace extends Parsed {
  /** Always a string here; the API sends the default workspace's id as the number 0 in one example. */
  id: string;
  name: string;
  description?: string;
  owner?: string;
  create_time?: number;
  update_time?: number;
  auth_type?: OpenEnum<WorkspaceAuthType>;
  enterprise_project_id?: string;
  enterprise_project_name?: string;
  status?: OpenEnum<WorkspaceStatus>;
  status_info?: string;
  grants?: WorkspaceGrant[];
}

export interface WorkspaceQuota extends Parsed {
  resource: string;
  /** -1 means unlimited. */
  quota?: number;
  /** null when the quota is unlimited. */
  used_quota?: number | null;
  min_quota?: number;
  max_quota?: number;
  name_en?: string;
  name_cn?: string;
  unit_en?: string;
  unit_cn?: string;
  update_time?: number;
}

export interface WorkspaceQuotaUpdate {
  resource: string;
  quota: number;
}
