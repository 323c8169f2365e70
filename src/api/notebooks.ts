// Notebooks v1 (`/v1/{pid}/notebooks…`, `/v1/{pid}/images`): list, get, create, delete, start, stop,
// lease, images and flavors.

import { postWithReread } from './rereadAfterPost';
import { Pager, type Page } from './paging';
import { FieldReader, compact, expectObject, isRecord, listItems, readCount, type ResponseInfo } from './parse';
import { ResourceClient, definedQuery, responseInfo } from './resource';
import {
  IMAGE_STATUSES,
  IMAGE_TYPES,
  LEASE_TYPES,
  NOTEBOOK_STATUSES,
  VOLUME_CATEGORIES,
  VOLUME_OWNERSHIPS,
  type ActionOutcome,
  type ImageType,
  type LeaseType,
  type Notebook,
  type NotebookActionProgress,
  type NotebookCreateRequest,
  type NotebookEndpoint,
  type NotebookFlavor,
  type NotebookImage,
  type NotebookLease,
  type NotebookSshEndpoint,
  type NotebookStatus,
} from './types';
import {
  ensureValid,
  validateNotebookAction,
  validateNotebookCreate,
  validateNotebookDuration,
  validatePageSize,
  validateWorkspaceId,
} from './validate';

// ---------------------------------------------------------------- lease

/**
 * When the lease stops the notebook (ms epoch, the service's time): `create_at + duration`, as the seed
 * manual's example has it. Undefined when auto-stop is off (`enable: false`, a duration of -1) or unknown.
 */
export function leaseEnd(nb: Pick<Notebook, 'lease'>): number | undefined {
  const lease = nb.lease;
  if (!lease || lease.enable === false || lease.create_at === undefined || lease.duration === undefined || lease.duration <= 0) return undefined;
  return lease.create_at + lease.duration;
}

// ---------------------------------------------------------------- parsers

function leaseFields(r: FieldReader): NotebookLease {
  return compact<NotebookLease>({
    create_at: r.number('create_at'),
    update_at: r.number('update_at'),
    duration: r.number('duration'),
    enable: r.boolean('enable'),
    // The docs write `timing`/`idle` in places.
    type: r.enumValue('type', LEASE_TYPES, { caseInsensitive: true }),
  });
}

export function parseNotebookLease(value: unknown): NotebookLease {
  const r = new FieldReader(value);
  return r.finish(leaseFields(r));
}

export function parseNotebook(value: unknown): Notebook {
  const r = new FieldReader(value);
  const image = r.nested('image');
  const lease = r.nested('lease');
  const volume = r.nested('volume');
  const pool = r.nested('pool');
  const endpoints = r.records('endpoints')?.map((e): NotebookEndpoint => {
    const er = new FieldReader(e, r.problems, 'endpoints.');
    return compact({
      service: er.string('service'),
      dev_service: er.string('dev_service'),
      uri: er.string('uri'),
      key_pair_names: er.strings('key_pair_names'),
      allowed_access_ips: er.strings('allowed_access_ips'),
    });
  });
  const progress = r.records('action_progress')?.map((p): NotebookActionProgress => {
    const pr = new FieldReader(p, r.problems, 'action_progress.');
    return compact({ step: pr.number('step'), status: pr.string('status'), description: pr.string('description') });
  });
  const tags = r.records('tags')?.map((t) => {
    const tr = new FieldReader(t, r.problems, 'tags.');
    return compact({ key: tr.requiredString('key'), value: tr.string('value') });
  });
  return r.finish<Notebook>({
    id: r.requiredString('id'),
    name: r.label('name'),
    description: r.string('description'),
    status: r.enumValue('status', NOTEBOOK_STATUSES, { required: true }),
    fail_reason: r.string('fail_reason'),
    feature: r.string('feature'),
    flavor: r.string('flavor'),
    workspace_id: r.string('workspace_id'),
    url: r.string('url'),
    token: r.string('token'),
    ip: r.string('ip'),
    user_id: r.string('user_id'),
    create_at: r.number('create_at'),
    update_at: r.number('update_at'),
    image:
      image &&
      compact({
        id: image.string('id'),
        name: image.string('name'),
        swr_path: image.string('swr_path'),
        tag: image.string('tag'),
        type: image.enumValue('type', IMAGE_TYPES, { caseInsensitive: true }),
        arch: image.string('arch'),
        description: image.string('description'),
      }),
    lease: lease && leaseFields(lease),
    volume:
      volume &&
      compact({
        // The docs send lower-case `evs`/`managed` in places.
        category: volume.enumValue('category', VOLUME_CATEGORIES, { caseInsensitive: true }),
        ownership: volume.enumValue('ownership', VOLUME_OWNERSHIPS, { caseInsensitive: true }),
        capacity: volume.number('capacity'),
        mount_path: volume.string('mount_path'),
        status: volume.string('status'),
        uri: volume.string('uri'),
        id: volume.string('id'),
      }),
    endpoints,
    action_progress: progress,
    pool: pool && compact({ id: pool.string('id'), name: pool.string('name') }),
    tags,
  });
}

/** The notebook's SSH endpoint, or undefined when remote SSH is not enabled on it. */
export function notebookSshEndpoint(nb: Pick<Notebook, 'endpoints'>): NotebookSshEndpoint | undefined {
  const ssh = nb.endpoints?.find((e) => (e.service ?? e.dev_service)?.toUpperCase() === 'SSH' || e.dev_service?.toUpperCase() === 'SSH');
  if (!ssh) return undefined;
  const uri = ssh.uri?.trim();
  return { ...(uri ? { uri } : {}), keyPairNames: [...(ssh.key_pair_names ?? [])] };
}

export function parseNotebookImage(value: unknown): NotebookImage {
  const r = new FieldReader(value);
  return r.finish<NotebookImage>({
    id: r.requiredString('id'),
    name: r.label('name'),
    namespace: r.string('namespace'),
    tag: r.string('tag'),
    swr_path: r.string('swr_path'),
    arch: r.string('arch'),
    type: r.enumValue('type', IMAGE_TYPES, { caseInsensitive: true }),
    origin: r.string('origin'),
    dev_services: r.strings('dev_services'),
    service_type: r.string('service_type'),
    status: r.enumValue('status', IMAGE_STATUSES),
    status_message: r.string('status_message'),
    size: r.number('size'),
    create_at: r.number('create_at'),
    update_at: r.number('update_at'),
    visibility: r.string('visibility'),
    workspace_id: r.string('workspace_id'),
    description: r.string('description'),
  });
}

export function parseNotebookFlavor(value: unknown): NotebookFlavor {
  const r = new FieldReader(value);
  return r.finish<NotebookFlavor>({
    id: r.requiredString('id'),
    name: r.string('name'),
    arch: r.string('arch'),
    category: r.string('category'),
    description: r.string('description'),
    feature: r.string('feature'),
    free: r.boolean('free'),
    sold_out: r.boolean('sold_out'),
    vcpus: r.number('vcpus'),
    memory: r.number('memory'),
    storages: r.strings('storages'),
    gpu: r.record('gpu'),
    billing: r.record('billing'),
    evs_max_size: r.number('evs_max_size'),
  });
}

// ---------------------------------------------------------------- API

/** The page sizes the notebook list accepts. */
export const NOTEBOOK_PAGE_SIZES = [10, 20, 50] as const;

export interface NotebookListOptions {
  workspaceId?: string;
  status?: NotebookStatus;
  /** Fuzzy, ≤128 characters. */
  name?: string;
  /** 10, 20 or 50; default 20. */
  pageSize?: number;
  feature?: 'DEFAULT' | 'NOTEBOOK';
  sortKey?: string;
  sortDir?: 'ASC' | 'DESC';
}

export interface NotebookImageListOptions {
  name?: string;
  type?: ImageType;
  workspaceId?: string;
  namespace?: string;
  serviceType?: string;
  /** 10, 20 or 50; default 20. */
  pageSize?: number;
}

export interface NotebookStartOptions {
  /** Auto-stop after this many ms (1 h–72 h), or 'none' (sent as -1). */
  durationMs: number | 'none';
  /** Default TIMING when a duration is given. */
  type?: LeaseType;
  /** The state the caller last saw; when given, a start it does not allow is refused before sending. */
  currentStatus?: string;
}

const STARTED: readonly string[] = ['STARTING', 'RUNNING'];
const STOPPED: readonly string[] = ['STOPPING', 'STOPPED'];

/** `current/pages/size/total/data` answers: `offset` counts records, `total` counts all matches. */
function pagedData<T>(body: unknown, operation: string, info: ResponseInfo, parse: (v: unknown) => T): Page<T> {
  const { envelope, items } = listItems(body, 'data', operation, info);
  return { items: items.map(parse), total: readCount(envelope, 'total') };
}

export class NotebooksApi extends ResourceClient {
  list(options: NotebookListOptions = {}): Pager<Notebook> {
    const pageSize = options.pageSize ?? 20;
    ensureValid(
      validatePageSize(pageSize, NOTEBOOK_PAGE_SIZES),
      options.workspaceId === undefined ? undefined : validateWorkspaceId(options.workspaceId),
      options.name !== undefined && options.name.length > 128 ? 'The name filter is longer than 128 characters.' : undefined,
    );
    return new Pager<Notebook>(async ({ offset, limit, signal }) => {
      const response = await this.call('notebooks.list', 'GET', 'v1', ['notebooks'], {
        query: definedQuery({
          offset,
          limit,
          workspace_id: options.workspaceId,
          status: options.status,
          name: options.name,
          feature: options.feature,
          sort_key: options.sortKey,
          sort_dir: options.sortDir,
        }),
        signal,
      });
      return pagedData(response.body, 'notebooks.list', responseInfo(response), parseNotebook);
    }, pageSize);
  }

  async get(notebookId: string, signal?: AbortSignal): Promise<Notebook> {
    this.checkIds(['notebook id', notebookId]);
    const response = await this.call('notebooks.get', 'GET', 'v1', ['notebooks', notebookId], { signal });
    return parseNotebook(expectObject(response.body, 'notebooks.get', responseInfo(response)));
  }

  async create(request: NotebookCreateRequest, signal?: AbortSignal): Promise<Notebook> {
    ensureValid(validateNotebookCreate(request));
    const response = await this.call('notebooks.create', 'POST', 'v1', ['notebooks'], { body: request, signal });
    return parseNotebook(expectObject(response.body, 'notebooks.create', responseInfo(response)));
  }

  /** Answers the notebook (status DELETING) when the service sends it back, else undefined. */
  async delete(notebookId: string, signal?: AbortSignal): Promise<Notebook | undefined> {
    this.checkIds(['notebook id', notebookId]);
    const response = await this.call('notebooks.delete', 'DELETE', 'v1', ['notebooks', notebookId], { signal });
    return isRecord(response.body) ? parseNotebook(response.body) : undefined;
  }

  /**
   * `POST …/start?duration=&type=` with no body. After an uncertain failure the notebook is read: STARTING
   * or RUNNING counts as started.
   */
  async start(notebookId: string, options: NotebookStartOptions, signal?: AbortSignal): Promise<ActionOutcome<Notebook>> {
    this.checkIds(['notebook id', notebookId]);
    ensureValid(validateNotebookDuration(options.durationMs), validateNotebookAction('start', options.currentStatus));
    // -1 is how Terraform asks for no auto-stop.
    const query =
      options.durationMs === 'none'
        ? definedQuery({ duration: -1, type: options.type })
        : definedQuery({ duration: options.durationMs, type: options.type ?? 'TIMING' });
    return postWithReread({
      post: async () => {
        const response = await this.call('notebooks.start', 'POST', 'v1', ['notebooks', notebookId, 'start'], { query, signal });
        return parseNotebook(expectObject(response.body, 'notebooks.start', responseInfo(response)));
      },
      reread: () => this.get(notebookId, signal),
      took: (nb) => STARTED.includes(nb.status ?? ''),
    });
  }

  /** `POST …/stop` with no body; after an uncertain failure, STOPPING or STOPPED counts as stopped. */
  async stop(notebookId: string, options: { currentStatus?: string } = {}, signal?: AbortSignal): Promise<ActionOutcome<Notebook>> {
    this.checkIds(['notebook id', notebookId]);
    ensureValid(validateNotebookAction('stop', options.currentStatus));
    return postWithReread({
      post: async () => {
        const response = await this.call('notebooks.stop', 'POST', 'v1', ['notebooks', notebookId, 'stop'], { signal });
        return parseNotebook(expectObject(response.body, 'notebooks.stop', responseInfo(response)));
      },
      reread: () => this.get(notebookId, signal),
      took: (nb) => STOPPED.includes(nb.status ?? ''),
    });
  }

  async getLease(notebookId: string, signal?: AbortSignal): Promise<NotebookLease> {
    this.checkIds(['notebook id', notebookId]);
    const response = await this.call('notebooks.getLease', 'GET', 'v1', ['notebooks', notebookId, 'lease'], { signal });
    return parseNotebookLease(expectObject(response.body, 'notebooks.getLease', responseInfo(response)));
  }

  /**
   * `PATCH …/lease` with `{duration, type}` in the body: the auto-stop comes `duration` ms from now (the SDK's
   * lease request counts from now), which may be sooner than it was.
   */
  async renewLease(notebookId: string, options: { durationMs: number; type?: LeaseType }, signal?: AbortSignal): Promise<NotebookLease> {
    this.checkIds(['notebook id', notebookId]);
    ensureValid(validateNotebookDuration(options.durationMs));
    const response = await this.call('notebooks.renewLease', 'PATCH', 'v1', ['notebooks', notebookId, 'lease'], {
      body: { duration: options.durationMs, type: options.type ?? 'TIMING' },
      signal,
    });
    return parseNotebookLease(expectObject(response.body, 'notebooks.renewLease', responseInfo(response)));
  }

  /** `GET /v1/{pid}/images`: record offset, `current/pages/size/total/data`. */
  listImages(options: NotebookImageListOptions = {}): Pager<NotebookImage> {
    const pageSize = options.pageSize ?? 20;
    ensureValid(
      validatePageSize(pageSize, NOTEBOOK_PAGE_SIZES),
      options.workspaceId === undefined ? undefined : validateWorkspaceId(options.workspaceId),
    );
    return new Pager<NotebookImage>(async ({ offset, limit, signal }) => {
      const response = await this.call('notebooks.listImages', 'GET', 'v1', ['images'], {
        query: definedQuery({
          offset,
          limit,
          name: options.name,
          type: options.type,
          workspace_id: options.workspaceId,
          namespace: options.namespace,
          service_type: options.serviceType,
        }),
        signal,
      });
      return pagedData(response.body, 'notebooks.listImages', responseInfo(response), parseNotebookImage);
    }, pageSize);
  }

  /** Flavors for new notebooks; the answer carries them in `flavors` (or `data`). */
  async listFlavors(
    options: { category?: 'CPU' | 'GPU' | 'ASCEND'; type?: 'MANAGED' | 'DEDICATED'; feature?: string } = {},
    signal?: AbortSignal,
  ): Promise<NotebookFlavor[]> {
    const response = await this.call('notebooks.listFlavors', 'GET', 'v1', ['notebooks', 'flavors'], {
      query: definedQuery({ category: options.category, type: options.type, feature: options.feature }),
      signal,
    });
    const body = expectObject(response.body, 'notebooks.listFlavors', responseInfo(response));
    const key = Array.isArray(body.flavors) ? 'flavors' : 'data';
    return listItems(body, key, 'notebooks.listFlavors', responseInfo(response)).items.map(parseNotebookFlavor);
  }
}
