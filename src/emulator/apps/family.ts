import { randomBytes } from 'node:crypto';
import { ApiFailure, type EmuRequest, type EmuResponse, type FamilyOptions, type EmuJsonObject, type ResourceFamily, type Router, intQuery, invalidParam, newHexId, objectBody, pageByIndex, queryValue, queryValues } from '../framework';
import { orderParam, sortByField, sortByParam, workspaceIdParam } from '../kit/params';

// APIG apps of ModelArts "APP authentication" (/v1/{project_id}/app-auth/apps…). Apps have no states.

export interface AppsFamily extends ResourceFamily {
  /** Number of apps the user owns. */
  count(): number;
}

export interface AppsExtra {
  workspaceExists?: (id: string) => boolean;
  /** Put before every app secret, so a test can find one wherever it leaks. */
  secretPrefix?: string;
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
const SORT_KEYS = ['app_name', 'created_at', 'updated_at'] as const;
const DAY = 24 * 3600_000;

/** The demo's apps: one bound to APIs, one not. */
const SEED_APPS = [
  { id: '3f2e1d0c9b8a47f6a5e4d3c2b1a09f8e', name: 'demo_inference_app', remark: 'Calls the demo image classifier', ago: 40 },
  { id: '8e7d6c5b4a3948f7b6a5c4d3e2f1a0b9', name: 'batch_scoring', remark: '', ago: 7 },
] as const;

function appJson(app: AppRecord): EmuJsonObject {
  const { workspaceId: _ws, ...fields } = app;
  return { ...fields, app_codes: [...app.app_codes] };
}

export class AppsFamilyImpl implements AppsFamily {
  private readonly apps: AppRecord[] = [];

  constructor(
    private readonly opts: FamilyOptions,
    private readonly extra: AppsExtra = {},
  ) {
    if (opts.seed !== 'demo') return;
    const start = opts.clock.now();
    for (const s of SEED_APPS) {
      const at = start - s.ago * DAY;
      this.apps.push({ ...this.newApp(s.name, s.remark, '0', at), app_id: s.id, bounded_api_count: s.ago > 10 ? 2 : 0 });
    }
  }

  register(router: Router): void {
    const apps = '/v1/{project_id}/app-auth/apps';
    router
      .add('GET', apps, (r) => this.list(r))
      .add('POST', apps, (r) => this.create(r))
      .add('GET', `${apps}/{app_id}`, (r) => this.get(r));
  }

  advance(): void {
    // Apps have no time-driven state.
  }

  count(): number {
    return this.apps.length;
  }

  private list(request: EmuRequest): EmuResponse {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 1000, 1);
    const order = orderParam(request, 'asc');
    const sortBy = sortByParam(request, SORT_KEYS, 'created_at');
    const name = queryValue(request, 'app_name')?.toLowerCase();
    const workspaceId = queryValue(request, 'workspace_id');
    const ids = queryValues(request, 'app_ids').flatMap((v) => v.split(',')).filter(Boolean);
    let items = this.apps.filter((a) => (!name || a.app_name.toLowerCase().includes(name)) && (!workspaceId || a.workspaceId === workspaceId));
    if (ids.length > 0) items = items.filter((a) => ids.includes(a.app_id));
    sortByField(items, sortBy, order);
    const page = pageByIndex(items, offset, limit);
    return { status: 200, body: { apps: page.map(appJson), count: page.length, total_count: items.length } };
  }

  private create(request: EmuRequest): EmuResponse {
    const body = objectBody(request);
    const name = body.app_name;
    if (typeof name !== 'string' || name === '') throw invalidParam('app_name is required.');
    if (!APP_NAME_PATTERN.test(name)) {
      throw invalidParam(`Invalid app_name: ${name}; use 3 to 64 letters, digits, "_" or Chinese characters, starting with a letter or Chinese character.`);
    }
    const remark = body.app_remark ?? '';
    if (typeof remark !== 'string' || remark.length > 200) throw invalidParam('app_remark must be a string of at most 200 characters.');
    const workspaceId = workspaceIdParam(body.workspace_id, this.extra.workspaceExists);
    if (this.apps.some((a) => a.app_name === name)) throw invalidParam(`An app named ${name} already exists.`);
    if (this.apps.length >= MAX_APPS) throw new ApiFailure(400, 'ModelArts.0113', `The number of apps has reached the quota (${MAX_APPS} per user).`);
    const app = this.newApp(name, remark, workspaceId, request.now);
    this.apps.push(app);
    return { status: 200, body: { app: appJson(app) } };
  }

  private get(request: EmuRequest): EmuResponse {
    const app = this.apps.find((a) => a.app_id === request.params.app_id);
    if (!app) throw invalidParam(`The app ${request.params.app_id} does not exist.`);
    return { status: 200, body: { app: appJson(app) } };
  }

  private newApp(name: string, remark: string, workspaceId: string, at: number): AppRecord {
    return {
      app_id: newHexId(),
      app_name: name,
      app_remark: remark,
      app_key: newHexId(),
      app_secret: `${this.extra.secretPrefix ?? ''}${randomBytes(32).toString('hex')}`,
      app_codes: [],
      app_type: 'APIG',
      bounded_api_count: 0,
      created_at: at,
      updated_at: at,
      project_id: this.opts.projectId,
      user_id: this.opts.userId,
      workspaceId,
    };
  }
}

export function createAppsFamily(opts: FamilyOptions, extra: AppsExtra = {}): AppsFamily {
  return new AppsFamilyImpl(opts, extra);
}
