import { randomBytes } from 'node:crypto';
import {
  ApiFailure,
  type EmuRequest,
  type EmuResponse,
  type FamilyOptions,
  type JsonObject,
  type ResourceFamily,
  type Router,
  intQuery,
  invalidParam,
  newHexId,
  objectBody,
  pageByIndex,
  queryValue,
  queryValues,
} from './framework';

// APIG apps of ModelArts "APP authentication" (/v1/{project_id}/app-auth/apps…).

export interface AppsFamily extends ResourceFamily {
  /** Number of apps the user owns. */
  count(): number;
}

interface AppRecord {
  app_id: string;
  app_name: string;
  app_remark: string;
  app_key: string;
  app_secret: string;
  app_codes: string[];
  app_type: string;
  bounded_api_count: number;
  created_at: number;
  updated_at: number;
  project_id: string;
  user_id: string;
  /** Kept for the workspace_id filter; not part of ApigAppDetailInfo. */
  workspaceId: string;
}

/** At most this many apps per user (the documented default). */
export const MAX_APPS = 5;
/** 3–64 characters, starting with a letter or Chinese character; letters, digits, `_`, Chinese characters. */
export const APP_NAME_PATTERN = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9_\u4e00-\u9fa5]{2,63}$/;
const SORT_KEYS = ['app_name', 'created_at', 'updated_at'];

function appJson(app: AppRecord): JsonObject {
  const { workspaceId: _ws, ...fields } = app;
  return { ...fields, app_codes: [...app.app_codes] };
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function createAppsFamily(opts: FamilyOptions, extra: { workspaceExists?: (id: string) => boolean; secretPrefix?: string } = {}): AppsFamily {
  const start = opts.clock.now();
  const apps: AppRecord[] = [];

  const newApp = (name: string, remark: string, workspaceId: string, at: number): AppRecord => ({
    app_id: newHexId(),
    app_name: name,
    app_remark: remark,
    app_key: newHexId(),
    app_secret: `${extra.secretPrefix ?? ''}${secret(32)}`,
    app_codes: [],
    app_type: 'APIG',
    bounded_api_count: 0,
    created_at: at,
    updated_at: at,
    project_id: opts.projectId,
    user_id: opts.userId,
    workspaceId,
  });

  if (opts.seed === 'demo') {
    const seeded = [
      { id: '3f2e1d0c9b8a47f6a5e4d3c2b1a09f8e', name: 'demo_inference_app', remark: 'Calls the demo image classifier', ago: 40 },
      { id: '8e7d6c5b4a3948f7b6a5c4d3e2f1a0b9', name: 'batch_scoring', remark: '', ago: 7 },
    ];
    for (const s of seeded) {
      const at = start - s.ago * 24 * 3600_000;
      apps.push({ ...newApp(s.name, s.remark, '0', at), app_id: s.id, bounded_api_count: s.ago > 10 ? 2 : 0 });
    }
  }

  const list = (request: EmuRequest): EmuResponse => {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 1000, 1);
    const order = (queryValue(request, 'order') || 'asc').toLowerCase();
    if (order !== 'asc' && order !== 'desc') throw invalidParam(`Invalid order: ${order}; expected asc or desc.`);
    const sortBy = queryValue(request, 'sort_by') || 'created_at';
    if (!SORT_KEYS.includes(sortBy)) throw invalidParam(`Invalid sort_by: ${sortBy}; expected one of ${SORT_KEYS.join(', ')}.`);
    const name = queryValue(request, 'app_name')?.toLowerCase();
    const workspaceId = queryValue(request, 'workspace_id');
    const ids = queryValues(request, 'app_ids').flatMap((v) => v.split(',')).filter(Boolean);
    let items = apps.filter((a) => (!name || a.app_name.toLowerCase().includes(name)) && (!workspaceId || a.workspaceId === workspaceId));
    if (ids.length > 0) items = items.filter((a) => ids.includes(a.app_id));
    const key = sortBy as 'app_name' | 'created_at' | 'updated_at';
    items.sort((a, b) => {
      const c = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
      return order === 'asc' ? c : -c;
    });
    const page = pageByIndex(items, offset, limit);
    return { status: 200, body: { apps: page.map(appJson), count: page.length, total_count: items.length } };
  };

  const create = (request: EmuRequest): EmuResponse => {
    const body = objectBody(request);
    const name = body.app_name;
    if (typeof name !== 'string' || name === '') throw invalidParam('app_name is required.');
    if (!APP_NAME_PATTERN.test(name)) {
      throw invalidParam(`Invalid app_name: ${name}; use 3 to 64 letters, digits, "_" or Chinese characters, starting with a letter or Chinese character.`);
    }
    const remark = body.app_remark ?? '';
    if (typeof remark !== 'string' || remark.length > 200) throw invalidParam('app_remark must be a string of at most 200 characters.');
    const workspaceId = body.workspace_id ?? '0';
    if (typeof workspaceId !== 'string' || !/^(0|[a-z0-9]{32})$/.test(workspaceId)) throw invalidParam('workspace_id must be "0" or 32 characters [a-z0-9].');
    if (extra.workspaceExists && !extra.workspaceExists(workspaceId)) throw new ApiFailure(400, 'ModelArts.7005', `workspace:${workspaceId} not existed`);
    if (apps.some((a) => a.app_name === name)) throw invalidParam(`An app named ${name} already exists.`);
    if (apps.length >= MAX_APPS) throw new ApiFailure(400, 'ModelArts.0113', `The number of apps has reached the quota (${MAX_APPS} per user).`);
    const app = newApp(name, remark, workspaceId, request.now);
    apps.push(app);
    return { status: 200, body: { app: appJson(app) } };
  };

  const get = (request: EmuRequest): EmuResponse => {
    const app = apps.find((a) => a.app_id === request.params.app_id);
    if (!app) throw invalidParam(`The app ${request.params.app_id} does not exist.`);
    return { status: 200, body: { app: appJson(app) } };
  };

  return {
    register(router: Router): void {
      router
        .add('GET', '/v1/{project_id}/app-auth/apps', list)
        .add('POST', '/v1/{project_id}/app-auth/apps', create)
        .add('GET', '/v1/{project_id}/app-auth/apps/{app_id}', get);
    },
    advance(): void {
      // Apps have no time-driven state.
    },
    count: () => apps.length,
  };
}
