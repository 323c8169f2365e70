// Workspaces (`/v1/{pid}/workspaces`): list, get, quotas.

import { Pager } from './paging';
import { FieldReader, compact, expectObject, listItems, readCount } from './parse';
import { ResourceClient, definedQuery, responseInfo } from './resource';
import {
  WORKSPACE_AUTH_TYPES,
  WORKSPACE_STATUSES,
  type SortOrder,
  type Workspace,
  type WorkspaceGrant,
  type WorkspaceQuota,
  type WorkspaceQuotaUpdate,
} from './types';
import { ensureValid, validateId, validatePageSize, validateQuotaValue } from './validate';

export function parseWorkspace(value: unknown): Workspace {
  const r = new FieldReader(value);
  const grants = r.records('grants')?.map((g): WorkspaceGrant => {
    const gr = new FieldReader(g, r.problems, 'grants.');
    return compact({ user_id: gr.string('user_id'), user_name: gr.string('user_name'), user_type: gr.string('user_type') });
  });
  return r.finish<Workspace>({
    id: r.requiredString('id'),
    name: r.label('name'),
    description: r.string('description'),
    owner: r.string('owner'),
    create_time: r.number('create_time'),
    update_time: r.number('update_time'),
    auth_type: r.enumValue('auth_type', WORKSPACE_AUTH_TYPES, { caseInsensitive: true }),
    enterprise_project_id: r.string('enterprise_project_id'),
    enterprise_project_name: r.string('enterprise_project_name'),
    status: r.enumValue('status', WORKSPACE_STATUSES, { required: true }),
    status_info: r.string('status_info'),
    grants,
  });
}

export function parseWorkspaceQuota(value: unknown): WorkspaceQuota {
  const r = new FieldReader(value);
  const used = r.obj.used_quota;
  return r.finish<WorkspaceQuota>({
    resource: r.requiredString('resource'),
    quota: r.number('quota'),
    used_quota: used === null ? null : r.number('used_quota'),
    min_quota: r.number('min_quota'),
    max_quota: r.number('max_quota'),
    name_en: r.string('name_en'),
    name_cn: r.string('name_cn'),
    unit_en: r.string('unit_en'),
    unit_cn: r.string('unit_cn'),
    update_time: r.number('update_time'),
  });
}

export interface WorkspaceListOptions {
  /** Default 20; the API allows up to 1000. */
  pageSize?: number;
  /** Fuzzy match. */
  name?: string;
  sortBy?: 'name' | 'update_time' | 'status';
  order?: SortOrder;
  enterpriseProjectId?: string;
  filterAccessible?: boolean;
}

export class WorkspacesApi extends ResourceClient {
  /** `offset` is a page index here; `total_count` is the total. */
  list(options: WorkspaceListOptions = {}): Pager<Workspace> {
    const pageSize = options.pageSize ?? 20;
    ensureValid(validatePageSize(pageSize, { min: 1, max: 1000 }));
    return new Pager<Workspace>(async ({ page, limit, signal }) => {
      const response = await this.call('workspaces.list', 'GET', 'v1', ['workspaces'], {
        query: definedQuery({
          offset: page,
          limit,
          name: options.name,
          sort_by: options.sortBy,
          order: options.order,
          enterprise_project_id: options.enterpriseProjectId,
          filter_accessible: options.filterAccessible,
        }),
        signal,
      });
      const { envelope, items } = listItems(response.body, 'workspaces', 'workspaces.list', responseInfo(response));
      return { items: items.map(parseWorkspace), total: readCount(envelope, 'total_count') };
    }, pageSize);
  }

  async get(workspaceId: string, signal?: AbortSignal): Promise<Workspace> {
    this.checkIds(['workspace id', workspaceId]);
    const response = await this.call('workspaces.get', 'GET', 'v1', ['workspaces', workspaceId], { signal });
    expectObject(response.body, 'workspaces.get', responseInfo(response));
    return parseWorkspace(response.body);
  }

  async getQuotas(workspaceId: string, signal?: AbortSignal): Promise<WorkspaceQuota[]> {
    this.checkIds(['workspace id', workspaceId]);
    const response = await this.call('workspaces.getQuotas', 'GET', 'v1', ['workspaces', workspaceId, 'quotas'], { signal });
    return listItems(response.body, 'quotas', 'workspaces.getQuotas', responseInfo(response)).items.map(parseWorkspaceQuota);
  }

  /**
   * Sets quotas; answers the updated list. With `current` (from getQuotas), each value is also checked
   * against that quota's min/max before sending.
   */
  async updateQuotas(
    workspaceId: string,
    quotas: readonly WorkspaceQuotaUpdate[],
    options: { current?: readonly WorkspaceQuota[] } = {},
    signal?: AbortSignal,
  ): Promise<WorkspaceQuota[]> {
    this.checkIds(['workspace id', workspaceId]);
    ensureValid(quotas.length === 0 ? 'No quota to update.' : undefined);
    for (const q of quotas) {
      const limits = options.current?.find((c) => c.resource === q.resource);
      ensureValid(validateId('quota resource', q.resource), validateQuotaValue(q.quota, limits ?? {}));
    }
    const response = await this.call('workspaces.updateQuotas', 'PUT', 'v1', ['workspaces', workspaceId, 'quotas'], {
      body: { quotas: quotas.map((q) => ({ resource: q.resource, quota: q.quota })) },
      signal,
    });
    return listItems(response.body, 'quotas', 'workspaces.updateQuotas', responseInfo(response)).items.map(parseWorkspaceQuota);
  }
}
