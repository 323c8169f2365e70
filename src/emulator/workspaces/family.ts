import { ApiFailure, type EmuRequest, type EmuResponse, type FamilyOptions, type EmuJsonObject, type Router, intQuery, invalidParam, newHexId, objectBody, pageByIndex, queryValue } from '../framework';
import { orderParam, sortByField, sortByParam } from '../kit/params';
import { checkDescription, checkName, notFound, parseAuthType, parseGrants, parseQuotaChanges, str } from './params';
import { MAX_WORKSPACES, SORT_KEYS, WORKSPACE_DELETE_MS, type WorkspaceRecord, type WorkspacesFamily } from './records';
import { newQuotas, seedWorkspaces } from './seed';

// Workspaces and their quotas (/v1/{project_id}/workspaces…). A deleted workspace stays DELETING for a
// while on the emulator's clock, then disappears.

function workspaceJson(ws: WorkspaceRecord, withGrants: boolean): EmuJsonObject {
  const out: EmuJsonObject = {
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

export class WorkspacesFamilyImpl implements WorkspacesFamily {
  private readonly workspaces = new Map<string, WorkspaceRecord>();

  constructor(private readonly opts: FamilyOptions) {
    for (const ws of seedWorkspaces(opts)) this.workspaces.set(ws.id, ws);
  }

  // ---- ResourceFamily ----

  register(router: Router): void {
    const ws = '/v1/{project_id}/workspaces';
    router
      .add('GET', ws, (r) => this.list(r))
      .add('POST', ws, (r) => this.create(r))
      .add('GET', `${ws}/{workspace_id}`, (r) => ({ status: 200, body: workspaceJson(this.find(r.params.workspace_id), true) }))
      .add('PUT', `${ws}/{workspace_id}`, (r) => this.update(r))
      .add('DELETE', `${ws}/{workspace_id}`, (r) => this.remove(r))
      .add('GET', `${ws}/{workspace_id}/quotas`, (r) => ({ status: 200, body: { quotas: this.find(r.params.workspace_id).quotas.map((q) => ({ ...q })) } }))
      .add('PUT', `${ws}/{workspace_id}/quotas`, (r) => this.updateQuotas(r));
  }

  advance(now: number): void {
    for (const ws of this.workspaces.values()) {
      if (ws.goneAt !== undefined && ws.goneAt <= now) this.workspaces.delete(ws.id);
    }
  }

  has(id: string): boolean {
    return this.workspaces.has(id);
  }

  // ---- handlers ----

  private list(request: EmuRequest): EmuResponse {
    const offset = intQuery(request, 'offset', 0);
    const limit = intQuery(request, 'limit', 1000, 1);
    const sortBy = sortByParam(request, SORT_KEYS, 'name');
    const order = orderParam(request, 'desc');
    const name = queryValue(request, 'name')?.toLowerCase();
    const ep = queryValue(request, 'enterprise_project_id');
    const filterAccessible = queryValue(request, 'filter_accessible')?.toLowerCase() === 'true';
    let items = [...this.workspaces.values()];
    if (name) items = items.filter((ws) => ws.name.toLowerCase().includes(name));
    if (ep) items = items.filter((ws) => ws.enterprise_project_id === ep);
    if (filterAccessible) items = items.filter((ws) => this.accessible(ws));
    sortByField(items, sortBy, order);
    const page = pageByIndex(items, offset, limit);
    return { status: 200, body: { total_count: items.length, count: page.length, workspaces: page.map((ws) => workspaceJson(ws, false)) } };
  }

  private create(request: EmuRequest): EmuResponse {
    const body = objectBody(request);
    const name = str(body, 'name');
    if (!name) throw invalidParam('name is required.');
    checkName(name);
    if (this.nameTaken(name)) throw invalidParam(`A workspace named ${name} already exists.`);
    if (this.workspaces.size >= MAX_WORKSPACES) throw new ApiFailure(400, 'ModelArts.7006', `The number of workspaces has reached the limit (${MAX_WORKSPACES}).`);
    const description = str(body, 'description') ?? '';
    checkDescription(description);
    const authType = parseAuthType(str(body, 'auth_type')) ?? 'PUBLIC';
    const grants = parseGrants(body.grants) ?? [];
    const epId = str(body, 'enterprise_project_id') ?? '0';
    const ws: WorkspaceRecord = {
      id: newHexId(),
      name,
      description,
      owner: this.opts.userName,
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
    this.workspaces.set(ws.id, ws);
    return { status: 200, body: workspaceJson(ws, true) };
  }

  private update(request: EmuRequest): EmuResponse {
    const ws = this.find(request.params.workspace_id);
    if (ws.status === 'DELETING') throw invalidParam(`The workspace is ${ws.status}; it cannot be updated.`);
    const body = objectBody(request);
    const name = str(body, 'name');
    const description = str(body, 'description');
    const authType = parseAuthType(str(body, 'auth_type'));
    const grants = parseGrants(body.grants);
    if (name !== undefined && name !== ws.name) {
      if (ws.id === '0') throw invalidParam('The default workspace cannot be renamed.');
      checkName(name);
      if (this.nameTaken(name)) throw invalidParam(`A workspace named ${name} already exists.`);
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
  }

  private remove(request: EmuRequest): EmuResponse {
    const ws = this.find(request.params.workspace_id);
    if (ws.id === '0') throw invalidParam('The default workspace cannot be deleted.');
    if (ws.status === 'DELETING') throw invalidParam('The workspace is already DELETING.');
    ws.status = 'DELETING';
    ws.update_time = request.now;
    ws.goneAt = request.now + WORKSPACE_DELETE_MS;
    return { status: 200, body: { workspace_id: ws.id } };
  }

  private updateQuotas(request: EmuRequest): EmuResponse {
    const ws = this.find(request.params.workspace_id);
    const changes = parseQuotaChanges(ws, objectBody(request));
    const out = changes.map(([record, value]) => {
      record.quota = value;
      record.update_time = request.now;
      if (value === -1) record.used_quota = null;
      else if (record.used_quota === null) record.used_quota = 0;
      const { used_quota: _used, ...rest } = record;
      return rest;
    });
    return { status: 200, body: { quotas: out } };
  }

  // ---- helpers ----

  private accessible(ws: WorkspaceRecord): boolean {
    if (ws.id === '0' || ws.owner === this.opts.userName) return true;
    const type = ws.auth_type.toUpperCase();
    if (type === 'PUBLIC') return true;
    if (type === 'INTERNAL') return ws.grants.some((g) => g.user_id === this.opts.userId || g.user_name === this.opts.userName);
    return false;
  }

  private nameTaken(name: string): boolean {
    return [...this.workspaces.values()].some((ws) => ws.name === name);
  }

  private find(id: string): WorkspaceRecord {
    const ws = this.workspaces.get(id);
    if (!ws) throw notFound(id);
    return ws;
  }
}
