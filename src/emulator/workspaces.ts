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
  newHexId,
  objectBody,
  pageByIndex,
  queryValue,
} from './framework';

// Workspaces and their quotas (/v1/{project_id}/workspaces…).

export interface WorkspaceGrant {
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

interface WorkspaceRecord {
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
  grants: WorkspaceGrant[];
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
const MAX_WORKSPACES = 50;
const AUTH_TYPES = ['PUBLIC', 'PRIVATE', 'INTERNAL'];
const USER_TYPES = ['IAM', 'FEDERATE', 'AGENCY'];
const SORT_KEYS = ['name', 'update_time', 'status'];
/** The default workspace's enterprise project id, as the seed example shows it (masked). */
const DEFAULT_EP_ID = '***b0091-887f-4839-9929-cbc884f1e***';

interface QuotaDefinition {
  resource: string;
  min_quota: number;
  max_quota: number;
  default_quota: number;
  used: number;
  name_en: string;
  name_cn: string;
  unit_en: string;
  unit_cn: string;
}

const QUOTA_DEFINITIONS: readonly QuotaDefinition[] = [
  {
    resource: 'exemlProject.gpu_duration',
    min_quota: -1,
    max_quota: 60000,
    default_quota: 20,
    used: 6,
    name_en: 'ExeML training duration (image classification, object detection, and sound classification)',
    name_cn: '自动学习(图像分类、物体检测、声音分类)训练时长',
    unit_en: 'minute',
    unit_cn: '分钟',
  },
  {
    resource: 'exemlProject',
    min_quota: 1,
    max_quota: 100,
    default_quota: 10,
    used: 2,
    name_en: 'ExeML projects',
    name_cn: '自动学习项目',
    unit_en: 'unit',
    unit_cn: '个',
  },
  {
    resource: 'notebook.instance',
    min_quota: -1,
    max_quota: 100,
    default_quota: 20,
    used: 4,
    name_en: 'Notebook instances',
    name_cn: 'Notebook实例',
    unit_en: 'unit',
    unit_cn: '个',
  },
  {
    resource: 'train.job',
    min_quota: -1,
    max_quota: 10000,
    default_quota: -1,
    used: 0,
    name_en: 'Training jobs',
    name_cn: '训练作业',
    unit_en: 'unit',
    unit_cn: '个',
  },
];

function newQuotas(updateTime: number, seedDefault: boolean): QuotaRecord[] {
  return QUOTA_DEFINITIONS.map((d) => ({
    resource: d.resource,
    quota: d.default_quota,
    used_quota: d.default_quota === -1 ? null : seedDefault ? d.used : 0,
    min_quota: d.min_quota,
    max_quota: d.max_quota,
    name_en: d.name_en,
    name_cn: d.name_cn,
    unit_en: d.unit_en,
    unit_cn: d.unit_cn,
    // The seed example's update time for the default workspace; otherwise the creation time.
    update_time: seedDefault && d.resource === 'exemlProject.gpu_duration' ? 1574339372000 : updateTime,
  }));
}

function workspaceJson(ws: WorkspaceRecord, withGrants: boolean): JsonObject {
  const out: JsonObject = {
    id: ws.id,
    name: ws.name,
    description: ws.description,
    owner: ws.owner,
    enterprise_project_id: ws.enterprise_project_id,
    enterprise_project_name: ws.enterprise_project_name,
    auth_type: ws.auth_type,
    create_time: ws.create_time,
    update_time: ws.update_time,
    status: ws.status,
    status_info: ws.status_info,
  };
  if (withGrants) out.grants = ws.grants.map((g) => ({ ...g }));
  return out;
}

function notFound(id: string): ApiFailure {
  return new ApiFailure(400, 'ModelArts.7005', `workspace:${id} not existed`);
}

function str(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(`${key} must be a string.`);
  return value;
}

function checkName(name: string): void {
  // 4–64 characters; letters, digits, `-`, `_` and Chinese characters (the console's rule).
  if (!/^[A-Za-z0-9_\-\u4e00-\u9fa5]{4,64}$/.test(name)) {
    throw invalidParam(`Invalid name: ${name}; use 4 to 64 letters, digits, Chinese characters, "-" or "_".`);
  }
  if (name.toLowerCase() === 'default') throw invalidParam('The name "default" is reserved.');
}

function checkDescription(description: string): void {
  if (description.length > 256) throw invalidParam('description must be at most 256 characters.');
}

function parseAuthType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!AUTH_TYPES.includes(upper)) throw invalidParam(`Invalid auth_type: ${value}; expected one of ${AUTH_TYPES.join(', ')}.`);
  return upper;
}

function parseGrants(value: unknown): WorkspaceGrant[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidParam('grants must be an array.');
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw invalidParam(`grants[${i}] must be an object.`);
    const g = item as JsonObject;
    const userId = typeof g.user_id === 'string' && g.user_id ? g.user_id : undefined;
    const userName = typeof g.user_name === 'string' && g.user_name ? g.user_name : undefined;
    if (!userId && !userName) throw invalidParam(`grants[${i}] needs user_id or user_name.`);
    const userType = typeof g.user_type === 'string' ? g.user_type.toUpperCase() : 'IAM';
    if (!USER_TYPES.includes(userType)) throw invalidParam(`grants[${i}].user_type must be one of ${USER_TYPES.join(', ')}.`);
    const grant: WorkspaceGrant = { user_type: userType };
    // user_id wins over user_name when both are given.
    if (userId) grant.user_id = userId;
    else grant.user_name = userName;
    return grant;
  });
}

export function createWorkspacesFamily(opts: FamilyOptions): WorkspacesFamily {
  const start = opts.clock.now();
  const day = 24 * 3600_000;
  const workspaces = new Map<string, WorkspaceRecord>();

  const add = (ws: Omit<WorkspaceRecord, 'quotas'>, seedDefault = false): void => {
    workspaces.set(ws.id, { ...ws, quotas: newQuotas(ws.create_time, seedDefault) });
  };

  // The default workspace as the seed example shows it (with the id as a string).
  add(
    {
      id: '0',
      name: 'default',
      description: '',
      owner: 'testUser',
      enterprise_project_id: DEFAULT_EP_ID,
      enterprise_project_name: 'default',
      auth_type: 'public',
      create_time: 1460000010000,
      update_time: 1460000010000,
      status: 'NORMAL',
      status_info: '',
      grants: [],
    },
    true,
  );
  if (opts.seed === 'demo') {
    const [, vision, nlp] = DEMO_WORKSPACES;
    add({
      id: vision.id,
      name: vision.name,
      description: 'Image classification and detection models',
      owner: opts.userName,
      enterprise_project_id: '0',
      enterprise_project_name: 'default',
      auth_type: 'PUBLIC',
      create_time: start - 120 * day,
      update_time: start - 30 * day,
      status: 'NORMAL',
      status_info: '',
      grants: [],
    });
    add({
      id: nlp.id,
      name: nlp.name,
      description: 'Language model experiments',
      owner: opts.userName,
      enterprise_project_id: '0',
      enterprise_project_name: 'default',
      auth_type: 'INTERNAL',
      create_time: start - 60 * day,
      update_time: start - 2 * day,
      status: 'NORMAL',
      status_info: '',
      grants: [
        { user_id: opts.userId, user_type: 'IAM' },
        { user_name: 'alice', user_type: 'IAM' },
      ],
    });
    // Someone else's private workspace: listed, but hidden by filter_accessible=true.
    add({
      id: 'a9b8c7d6e5f44a3b2c1d0e9f8a7b6c5d',
      name: 'ops-private',
      description: 'Operations team sandbox',
      owner: 'ops-admin',
      enterprise_project_id: '0',
      enterprise_project_name: 'default',
      auth_type: 'PRIVATE',
      create_time: start - 200 * day,
      update_time: start - 200 * day,
      status: 'NORMAL',
      status_info: '',
      grants: [],
    });
  }

  const accessible = (ws: WorkspaceRecord): boolean => {
    if (ws.id === '0' || ws.owner === opts.userName) return true;
    const type = ws.auth_type.toUpperCase();
    if (type === 'PUBLIC') return true;
    if (type === 'INTERNAL') return ws.grants.some((g) => g.user_id === opts.userId || g.user_name === opts.userName);
    return false;
  };

  const find = (id: string): WorkspaceRecord => {
    const ws = workspaces.get(id);
    if (!ws) throw notFound(id);
    return ws;
  };

  const list = (request: EmuRequest): EmuResponse => {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 1000, 1);
    const sortBy = queryValue(request, 'sort_by') || 'name';
    if (!SORT_KEYS.includes(sortBy)) throw invalidParam(`Invalid sort_by: ${sortBy}; expected one of ${SORT_KEYS.join(', ')}.`);
    const order = (queryValue(request, 'order') || 'desc').toLowerCase();
    if (order !== 'asc' && order !== 'desc') throw invalidParam(`Invalid order: ${order}; expected asc or desc.`);
    const name = queryValue(request, 'name')?.toLowerCase();
    const ep = queryValue(request, 'enterprise_project_id');
    const filterAccessible = queryValue(request, 'filter_accessible')?.toLowerCase() === 'true';
    let items = [...workspaces.values()];
    if (name) items = items.filter((ws) => ws.name.toLowerCase().includes(name));
    if (ep) items = items.filter((ws) => ws.enterprise_project_id === ep);
    if (filterAccessible) items = items.filter(accessible);
    const key = sortBy as 'name' | 'update_time' | 'status';
    items.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return order === 'asc' ? c : -c;
    });
    const page = pageByIndex(items, offset, limit);
    return { status: 200, body: { total_count: items.length, count: page.length, workspaces: page.map((ws) => workspaceJson(ws, false)) } };
  };

  const create = (request: EmuRequest): EmuResponse => {
    const body = objectBody(request);
    const name = str(body, 'name');
    if (!name) throw invalidParam('name is required.');
    checkName(name);
    if ([...workspaces.values()].some((ws) => ws.name === name)) throw invalidParam(`A workspace named ${name} already exists.`);
    if (workspaces.size >= MAX_WORKSPACES) throw new ApiFailure(400, 'ModelArts.7006', `The number of workspaces has reached the limit (${MAX_WORKSPACES}).`);
    const description = str(body, 'description') ?? '';
    checkDescription(description);
    const authType = parseAuthType(str(body, 'auth_type')) ?? 'PUBLIC';
    const grants = parseGrants(body.grants) ?? [];
    const epId = str(body, 'enterprise_project_id') ?? '0';
    const ws: WorkspaceRecord = {
      id: newHexId(),
      name,
      description,
      owner: opts.userName,
      enterprise_project_id: epId,
      enterprise_project_name: epId === '0' ? 'default' : epId,
      auth_type: authType,
      create_time: request.now,
      update_time: request.now,
      status: 'NORMAL',
      status_info: '',
      // Grants only take effect for INTERNAL workspaces.
      grants: authType === 'INTERNAL' ? grants : [],
      quotas: newQuotas(request.now, false),
    };
    workspaces.set(ws.id, ws);
    return { status: 200, body: workspaceJson(ws, true) };
  };

  const get = (request: EmuRequest): EmuResponse => ({ status: 200, body: workspaceJson(find(request.params.workspace_id), true) });

  const update = (request: EmuRequest): EmuResponse => {
    const ws = find(request.params.workspace_id);
    if (ws.status === 'DELETING') throw invalidParam(`The workspace is ${ws.status}; it cannot be updated.`);
    const body = objectBody(request);
    const name = str(body, 'name');
    const description = str(body, 'description');
    const authType = parseAuthType(str(body, 'auth_type'));
    const grants = parseGrants(body.grants);
    if (name !== undefined && name !== ws.name) {
      if (ws.id === '0') throw invalidParam('The default workspace cannot be renamed.');
      checkName(name);
      if ([...workspaces.values()].some((other) => other.name === name)) throw invalidParam(`A workspace named ${name} already exists.`);
      ws.name = name;
    }
    if (description !== undefined) {
      checkDescription(description);
      ws.description = description;
    }
    if (authType !== undefined) ws.auth_type = authType;
    if (grants !== undefined) ws.grants = ws.auth_type.toUpperCase() === 'INTERNAL' ? grants : [];
    ws.update_time = request.now;
    return { status: 200, body: { workspace_id: ws.id } };
  };

  const remove = (request: EmuRequest): EmuResponse => {
    const ws = find(request.params.workspace_id);
    if (ws.id === '0') throw invalidParam('The default workspace cannot be deleted.');
    if (ws.status === 'DELETING') throw invalidParam('The workspace is already DELETING.');
    ws.status = 'DELETING';
    ws.update_time = request.now;
    ws.goneAt = request.now + WORKSPACE_DELETE_MS;
    return { status: 200, body: { workspace_id: ws.id } };
  };

  const getQuotas = (request: EmuRequest): EmuResponse => {
    const ws = find(request.params.workspace_id);
    return { status: 200, body: { quotas: ws.quotas.map((q) => ({ ...q })) } };
  };

  const updateQuotas = (request: EmuRequest): EmuResponse => {
    const ws = find(request.params.workspace_id);
    const body = objectBody(request);
    const items = body.quotas;
    if (!Array.isArray(items) || items.length === 0) throw invalidParam('quotas is required: [{"resource","quota"}].');
    // Validate everything first so a bad item changes nothing.
    const changes = items.map((item: unknown, i): [QuotaRecord, number] => {
      const q = (typeof item === 'object' && item !== null ? item : {}) as JsonObject;
      if (typeof q.resource !== 'string' || !q.resource) throw invalidParam(`quotas[${i}].resource is required.`);
      const record = ws.quotas.find((r) => r.resource === q.resource);
      if (!record) throw invalidParam(`Quota resource ${q.resource} does not exist.`);
      const value = q.quota;
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParam(`quotas[${i}].quota must be an integer.`);
      if (value === -1) {
        if (record.min_quota > -1) throw invalidParam(`Quota ${record.resource} cannot be unlimited (-1): min_quota is ${record.min_quota}.`);
      } else if (value < Math.max(record.min_quota, 0) || value > record.max_quota) {
        throw invalidParam(
          `Quota ${record.resource} must be from ${Math.max(record.min_quota, 0)} to max_quota ${record.max_quota}${record.min_quota === -1 ? ', or -1' : ''}; got ${value}.`,
        );
      }
      return [record, value];
    });
    const out = changes.map(([record, value]) => {
      record.quota = value;
      record.update_time = request.now;
      if (value === -1) record.used_quota = null;
      else if (record.used_quota === null) record.used_quota = 0;
      const { used_quota: _used, ...rest } = record;
      return rest;
    });
    return { status: 200, body: { quotas: out } };
  };

  return {
    register(router: Router): void {
      router
        .add('GET', '/v1/{project_id}/workspaces', list)
        .add('POST', '/v1/{project_id}/workspaces', create)
        .add('GET', '/v1/{project_id}/workspaces/{workspace_id}', get)
        .add('PUT', '/v1/{project_id}/workspaces/{workspace_id}', update)
        .add('DELETE', '/v1/{project_id}/workspaces/{workspace_id}', remove)
        .add('GET', '/v1/{project_id}/workspaces/{workspace_id}/quotas', getQuotas)
        .add('PUT', '/v1/{project_id}/workspaces/{workspace_id}/quotas', updateQuotas);
    },
    advance(now: number): void {
      for (const ws of workspaces.values()) {
        if (ws.goneAt !== undefined && ws.goneAt <= now) workspaces.delete(ws.id);
      }
    },
    has: (id) => workspaces.has(id),
  };
}
