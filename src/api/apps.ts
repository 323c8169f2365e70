// APIG apps for ModelArts app authentication (`/v1/{pid}/app-auth/apps`): list, create, get.

import { Pager } from './paging';
import { FieldReader, expectObject, listItems, readCount } from './parse';
import { ResourceClient, definedQuery, responseInfo } from './resource';
import { APP_TYPES, type App, type AppCreateRequest, type SortOrder } from './types';
import { ensureValid, validateAppName, validateAppRemark, validatePageSize, validateWorkspaceId } from './validate';

export function parseApp(value: unknown): App {
  const r = new FieldReader(value);
  return r.finish<App>({
    app_id: r.requiredString('app_id'),
    app_name: r.label('app_name'),
    app_remark: r.string('app_remark'),
    app_key: r.string('app_key'),
    app_secret: r.string('app_secret'),
    app_codes: r.strings('app_codes'),
    app_type: r.enumValue('app_type', APP_TYPES),
    bounded_api_count: r.number('bounded_api_count'),
    created_at: r.number('created_at'),
    updated_at: r.number('updated_at'),
    project_id: r.string('project_id'),
    user_id: r.string('user_id'),
  });
}

/** Create and get answer `{"app": {...}}`. */
function parseAppEnvelope(body: unknown, operation: string, info: { status?: number; requestId?: string }): App {
  const envelope = expectObject(body, operation, info);
  return parseApp(expectObject(envelope.app, `${operation} (app)`, info));
}

export interface AppListOptions {
  appName?: string;
  workspaceId?: string;
  sortBy?: 'app_name' | 'created_at' | 'updated_at';
  order?: SortOrder;
  /** Default 20; the API's own default is 1000. */
  pageSize?: number;
}

export class AppsApi extends ResourceClient {
  /** `offset` is a page index; `total_count` is the total. */
  list(options: AppListOptions = {}): Pager<App> {
    const pageSize = options.pageSize ?? 20;
    ensureValid(
      validatePageSize(pageSize, { min: 1, max: 1000 }),
      options.workspaceId === undefined ? undefined : validateWorkspaceId(options.workspaceId),
    );
    return new Pager<App>(async ({ page, limit, signal }) => {
      const response = await this.call('apps.list', 'GET', 'v1', ['app-auth', 'apps'], {
        query: definedQuery({
          offset: page,
          limit,
          app_name: options.appName,
          workspace_id: options.workspaceId,
          sort_by: options.sortBy,
          order: options.order,
        }),
        signal,
      });
      const { envelope, items } = listItems(response.body, 'apps', 'apps.list', responseInfo(response));
      return { items: items.map(parseApp), total: readCount(envelope, 'total_count') };
    }, pageSize);
  }

  /** At most 5 apps per user by default; the service refuses more. */
  async create(request: AppCreateRequest, signal?: AbortSignal): Promise<App> {
    ensureValid(
      validateAppName(request.app_name),
      validateAppRemark(request.app_remark),
      request.workspace_id === undefined ? undefined : validateWorkspaceId(request.workspace_id),
    );
    const body: Record<string, string> = { app_name: request.app_name };
    if (request.app_remark !== undefined) body.app_remark = request.app_remark;
    if (request.workspace_id !== undefined) body.workspace_id = request.workspace_id;
    const response = await this.call('apps.create', 'POST', 'v1', ['app-auth', 'apps'], { body, signal });
    return parseAppEnvelope(response.body, 'apps.create', responseInfo(response));
  }

  async get(appId: string, signal?: AbortSignal): Promise<App> {
    this.checkIds(['app id', appId]);
    const response = await this.call('apps.get', 'GET', 'v1', ['app-auth', 'apps', appId], { signal });
    return parseAppEnvelope(response.body, 'apps.get', responseInfo(response));
  }
}
