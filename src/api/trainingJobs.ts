// Training jobs v2 (`/v2/{pid}/training-jobs…`): search, get, create, delete, terminate, tags, save image,
// log preview, events, tasks, flavors and engines.

import { postWithReread } from './rereadAfterPost';
import { Pager } from './paging';
import { FieldReader, compact, expectObject, invalidResponse, isRecord, listItems, readCount } from './parse';
import { ResourceClient, definedQuery, responseInfo } from './resource';
import { SAVE_IMAGE_LIFECYCLE } from './lifecycle';
import {
  SAVE_IMAGE_STATUSES,
  SECONDARY_PHASES,
  TRAINING_EVENT_LEVELS,
  TRAINING_FLAVOR_TYPES,
  TRAINING_PHASES,
  type ActionOutcome,
  type Parsed,
  type RunningRecord,
  type SaveImageJob,
  type SaveImageRequest,
  type SortOrder,
  type TaskStatus,
  type TrainingAlgorithm,
  type TrainingEngine,
  type TrainingEventLevel,
  type TrainingFlavor,
  type TrainingFlavorType,
  type TrainingJob,
  type TrainingJobCreateRequest,
  type TrainingJobEvent,
  type TrainingJobStatus,
  type TrainingJobTag,
  type TrainingJobTagInput,
  type TrainingLogPreview,
  type TrainingPhase,
  type TrainingSpec,
  type TrainingTask,
} from './types';
import {
  ensureValid,
  normalizeImageTag,
  validatePageSize,
  validateSaveImageRequest,
  validateTagKey,
  validateTagValue,
  validateTrainingJobCreate,
  validateWorkspaceId,
} from './validate';

// ---------------------------------------------------------------- parsers

function stringMap(r: FieldReader, key: string): Record<string, string> | undefined {
  const record = r.record(key);
  if (record === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

function nodeCountMetrics(r: FieldReader): [number, number][] | null | undefined {
  const value = r.obj.node_count_metrics;
  if (value === null) return null;
  const list = r.array('node_count_metrics');
  if (list === undefined) return undefined;
  const pairs = list.filter(
    (p): p is [number, number] => Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number',
  );
  if (pairs.length !== list.length) r.problems.push('status.node_count_metrics has a malformed entry');
  return pairs;
}

function parseStatus(r: FieldReader): TrainingJobStatus {
  const s = r.nested('status') ?? new FieldReader({}, r.problems, 'status.');
  const taskStatuses = s.records('task_statuses')?.map((t): TaskStatus => {
    const tr = new FieldReader(t, r.problems, 'status.task_statuses.');
    return compact({ task: tr.string('task'), exit_code: tr.number('exit_code'), message: tr.string('message') });
  });
  const runningRecords = s.records('running_records')?.map((rec): RunningRecord => {
    const rr = new FieldReader(rec, r.problems, 'status.running_records.');
    return compact({
      start_at: rr.number('start_at'),
      end_at: rr.number('end_at'),
      xpu_start_at: rr.number('xpu_start_at'),
      start_type: rr.string('start_type'),
      end_reason: rr.string('end_reason'),
      end_related_task: rr.string('end_related_task'),
      end_recover: rr.string('end_recover'),
      end_recover_before_downgrade: rr.string('end_recover_before_downgrade'),
    });
  });
  return compact<TrainingJobStatus>({
    phase: s.enumValue('phase', TRAINING_PHASES, { required: true }),
    secondary_phase: s.enumValue('secondary_phase', SECONDARY_PHASES),
    duration: s.number('duration'),
    start_time: s.number('start_time'),
    node_count_metrics: nodeCountMetrics(s),
    tasks: s.strings('tasks') ?? [],
    task_statuses: taskStatuses,
    running_records: runningRecords,
  });
}

function parseAlgorithm(r: FieldReader): TrainingAlgorithm | undefined {
  const a = r.nested('algorithm');
  if (a === undefined) return undefined;
  const e = a.nested('engine');
  return compact<TrainingAlgorithm>({
    id: a.string('id'),
    name: a.string('name'),
    code_dir: a.string('code_dir'),
    boot_file: a.string('boot_file'),
    command: a.string('command'),
    engine:
      e &&
      compact({
        engine_id: e.string('engine_id'),
        engine_name: e.string('engine_name'),
        engine_version: e.string('engine_version'),
        image_url: e.string('image_url'),
      }),
    parameters: a.records('parameters'),
    inputs: a.records('inputs'),
    outputs: a.records('outputs'),
    environments: a.variables('environments'),
  });
}

function parseSpec(r: FieldReader): TrainingSpec | undefined {
  const s = r.nested('spec');
  if (s === undefined) return undefined;
  const res = s.nested('resource');
  return compact<TrainingSpec>({
    resource:
      res &&
      compact({
        policy: res.string('policy'),
        flavor_id: res.string('flavor_id'),
        flavor_name: res.string('flavor_name'),
        node_count: res.number('node_count'),
        pool_id: res.string('pool_id'),
        flavor_detail: res.record('flavor_detail'),
      }),
    log_export_path: s.record('log_export_path'),
    volumes: s.records('volumes'),
  });
}

export function parseTrainingJob(value: unknown): TrainingJob {
  const r = new FieldReader(value);
  const m = r.nested('metadata') ?? new FieldReader({}, r.problems, 'metadata.');
  const metadata = compact({
    id: m.requiredString('id'),
    name: m.label('name'),
    workspace_id: m.string('workspace_id'),
    description: m.string('description'),
    create_time: m.number('create_time'),
    user_name: m.string('user_name'),
    annotations: stringMap(m, 'annotations'),
  });
  return r.finish<TrainingJob>({
    kind: r.string('kind'),
    metadata,
    status: parseStatus(r),
    algorithm: parseAlgorithm(r),
    spec: parseSpec(r),
    endpoints: r.record('endpoints'),
  });
}

export function parseSaveImageJob(value: unknown): SaveImageJob {
  const r = new FieldReader(value);
  return r.finish<SaveImageJob>({
    name: r.string('name'),
    namespace: r.string('namespace'),
    // The manual's example has a number here (0.1); it is a tag, so text.
    tag: r.string('tag'),
    description: r.string('description'),
    status: r.enumValue('status', SAVE_IMAGE_STATUSES, { required: true }),
    message: r.string('message'),
    create_time: r.number('create_time'),
  });
}

export function parseTrainingJobEvent(value: unknown): TrainingJobEvent {
  const r = new FieldReader(value);
  return r.finish<TrainingJobEvent>({
    time: r.string('time'),
    level: r.enumValue('level', TRAINING_EVENT_LEVELS),
    message: r.requiredString('message'),
    source: r.string('source'),
  });
}

export function parseTrainingTask(value: unknown): TrainingTask {
  const r = new FieldReader(value);
  return r.finish<TrainingTask>({
    task: r.requiredString('task'),
    ip: r.string('ip'),
    host_ip: r.string('host_ip'),
    schedule_count: r.number('schedule_count'),
  });
}

export function parseTrainingFlavor(value: unknown): TrainingFlavor {
  const r = new FieldReader(value);
  const info = r.record('flavor_info');
  const maxNum = info?.max_num;
  return r.finish<TrainingFlavor>({
    flavor_id: r.requiredString('flavor_id'),
    flavor_name: r.string('flavor_name'),
    flavor_type: r.enumValue('flavor_type', TRAINING_FLAVOR_TYPES, { caseInsensitive: true }),
    pool_id: r.string('pool_id'),
    billing: r.record('billing'),
    flavor_info: info,
    max_num: typeof maxNum === 'number' ? maxNum : undefined,
  });
}

export function parseTrainingEngine(value: unknown): TrainingEngine {
  const r = new FieldReader(value);
  const img = r.nested('image_info');
  return r.finish<TrainingEngine>({
    engine_id: r.requiredString('engine_id'),
    engine_name: r.string('engine_name'),
    engine_version: r.string('engine_version'),
    v1_compatible: r.boolean('v1_compatible'),
    run_user: r.string('run_user'),
    image_info:
      img &&
      compact({ cpu_image_url: img.string('cpu_image_url'), gpu_image_url: img.string('gpu_image_url'), image_version: img.string('image_version') }),
  });
}

/** Tags come as `{key, value}` (SDK model) or `{key, values[]}` (the manual's CombineTmsTags); both are kept. */
export function parseTrainingJobTag(value: unknown): TrainingJobTag & Parsed {
  const r = new FieldReader(value);
  return r.finish<TrainingJobTag & Parsed>({ key: r.requiredString('key'), value: r.string('value'), values: r.strings('values') });
}

export function parseLogPreview(body: unknown, status: number, operation: string, requestId?: string): TrainingLogPreview {
  // 204 (or a body carrying ModelArts.2776) means the log cannot be fetched yet.
  if (status === 204 || (isRecord(body) && body.error_code === 'ModelArts.2776')) return { content: '', notReady: true };
  if (typeof body === 'string') return { content: body };
  const r = new FieldReader(expectObject(body, operation, { status, requestId }));
  // `context` is the field's name before 2022-03-01.
  const content = r.string('content') ?? r.string('context');
  if (content === undefined) throw invalidResponse(operation, "the log preview has no 'content'", { status, requestId });
  return compact<TrainingLogPreview>({ content, current_size: r.number('current_size'), full_size: r.number('full_size') });
}

/**
 * Whether more jobs follow. `count` is documented as the number of matching jobs and `total` as all the
 * user's jobs; an answer that puts the page length in `count` is read correctly too: a full page whose
 * `count` equals its length falls back to `total` (one empty page at worst ends the list).
 */
export function searchHasMore(loaded: number, pageLength: number, limit: number, count?: number, total?: number): boolean {
  if (pageLength === 0) return false;
  if (count !== undefined && count > loaded) return true;
  if (pageLength < limit) return false;
  if (count !== undefined && count !== pageLength) return false;
  return total === undefined ? true : total > loaded;
}

// ---------------------------------------------------------------- API

export interface TrainingJobSearchOptions {
  /** Fuzzy (`like`). */
  name?: string;
  phase?: TrainingPhase | readonly TrainingPhase[];
  workspaceId?: string;
  /** 1–50, default 20. */
  pageSize?: number;
  sortBy?: string;
  order?: SortOrder;
}

export interface TrainingJobEventOptions {
  /** 1–100, default 20. */
  pageSize?: number;
  /** The first page to read (pages are `offset` indexes); 0 by default. */
  startPage?: number;
  level?: TrainingEventLevel;
  /** Text to match, ≤256 characters. */
  pattern?: string;
  order?: SortOrder;
  /** ms epoch; given together with endTime. */
  startTime?: number;
  endTime?: number;
  source?: string;
}

const TERMINATED_OR_TERMINATING: readonly string[] = ['Terminating', 'Terminated'];
/** A save-image job that exists and has not failed: the POST took. */
const SAVE_IMAGE_UNDER_WAY: readonly string[] = Object.keys(SAVE_IMAGE_LIFECYCLE).filter((state) => SAVE_IMAGE_LIFECYCLE[state].category !== 'failed');

export class TrainingJobsApi extends ResourceClient {
  /** `POST /training-job-searches`: a read sent as POST, so it is marked idempotent. Body offset = page index. */
  search(options: TrainingJobSearchOptions = {}): Pager<TrainingJob> {
    const pageSize = options.pageSize ?? 20;
    ensureValid(
      validatePageSize(pageSize, { min: 1, max: 50 }),
      options.workspaceId === undefined ? undefined : validateWorkspaceId(options.workspaceId),
    );
    const filters: { key: string; operator: string; value: string[] }[] = [];
    if (options.name !== undefined && options.name !== '') filters.push({ key: 'name', operator: 'like', value: [options.name] });
    if (options.phase !== undefined) {
      const phases = typeof options.phase === 'string' ? [options.phase] : [...options.phase];
      if (phases.length > 0) filters.push({ key: 'phase', operator: 'in', value: phases });
    }
    return new Pager<TrainingJob>(async ({ page, limit, signal }) => {
      const body: Record<string, unknown> = { offset: page, limit };
      if (options.workspaceId !== undefined) body.workspace_id = options.workspaceId;
      if (options.sortBy !== undefined) body.sort_by = options.sortBy;
      if (options.order !== undefined) body.order = options.order;
      if (filters.length > 0) body.filters = filters;
      const response = await this.call('trainingJobs.search', 'POST', 'v2', ['training-job-searches'], { body, idempotent: true, signal });
      const { envelope, items } = listItems(response.body, 'items', 'trainingJobs.search', responseInfo(response));
      const count = readCount(envelope, 'count');
      const total = readCount(envelope, 'total');
      const loaded = page * limit + items.length;
      return {
        items: items.map(parseTrainingJob),
        total: count !== undefined && count >= loaded ? count : total,
        hasMore: searchHasMore(loaded, items.length, limit, count, total),
      };
    }, pageSize);
  }

  async get(jobId: string, signal?: AbortSignal): Promise<TrainingJob> {
    this.checkIds(['training job id', jobId]);
    const response = await this.call('trainingJobs.get', 'GET', 'v2', ['training-jobs', jobId], { signal });
    return parseTrainingJob(expectObject(response.body, 'trainingJobs.get', responseInfo(response)));
  }

  /** Creates a job from a spec (the `Job` body), sent as given. Answers 201 with the job (phase Creating). */
  async create(request: TrainingJobCreateRequest, signal?: AbortSignal): Promise<TrainingJob> {
    ensureValid(validateTrainingJobCreate(request));
    const response = await this.call('trainingJobs.create', 'POST', 'v2', ['training-jobs'], { body: request, signal });
    return parseTrainingJob(expectObject(response.body, 'trainingJobs.create', responseInfo(response)));
  }

  /** 202 with an empty body; the job stays visible for a while. */
  async delete(jobId: string, signal?: AbortSignal): Promise<void> {
    this.checkIds(['training job id', jobId]);
    await this.call('trainingJobs.delete', 'DELETE', 'v2', ['training-jobs', jobId], { signal });
  }

  /** Stops a job (`action_type: terminate`); after an uncertain failure, confirmed by reading the job. */
  async terminate(jobId: string, signal?: AbortSignal): Promise<ActionOutcome<TrainingJob>> {
    this.checkIds(['training job id', jobId]);
    return postWithReread({
      post: async () => {
        const response = await this.call('trainingJobs.terminate', 'POST', 'v2', ['training-jobs', jobId, 'actions'], {
          body: { action_type: 'terminate' },
          signal,
        });
        return parseTrainingJob(expectObject(response.body, 'trainingJobs.terminate', responseInfo(response)));
      },
      reread: () => this.get(jobId, signal),
      took: (job) => TERMINATED_OR_TERMINATING.includes(job.status.phase ?? ''),
    });
  }

  async getTags(jobId: string, signal?: AbortSignal): Promise<TrainingJobTag[]> {
    this.checkIds(['training job id', jobId]);
    const response = await this.call('trainingJobs.getTags', 'GET', 'v2', ['modelarts-training-job', jobId, 'tags'], { signal });
    return listItems(response.body, 'tags', 'trainingJobs.getTags', responseInfo(response)).items.map(parseTrainingJobTag);
  }

  /** 204 per Terraform; any answer body is ignored. */
  async addTags(jobId: string, tags: readonly TrainingJobTagInput[], signal?: AbortSignal): Promise<void> {
    this.checkIds(['training job id', jobId]);
    checkTags(tags);
    await this.call('trainingJobs.addTags', 'POST', 'v2', ['modelarts-training-job', jobId, 'tags', 'create'], {
      body: { tags: tags.map((t) => ({ key: t.key, value: t.value })) },
      signal,
    });
  }

  /** A DELETE with a JSON body naming the tags. */
  async removeTags(jobId: string, tags: readonly TrainingJobTagInput[], signal?: AbortSignal): Promise<void> {
    this.checkIds(['training job id', jobId]);
    checkTags(tags);
    await this.call('trainingJobs.removeTags', 'DELETE', 'v2', ['modelarts-training-job', jobId, 'tags', 'delete'], {
      body: { tags: tags.map((t) => ({ key: t.key, value: t.value })) },
      signal,
    });
  }

  /**
   * Saves a task's container image to SWR. The tag is sent as text (`latest` when empty). After an
   * uncertain failure, the save-image job is read: the same name, organization and tag under way or done
   * counts as taken.
   */
  async createSaveImageJob(jobId: string, taskId: string, request: SaveImageRequest, signal?: AbortSignal): Promise<ActionOutcome<SaveImageJob>> {
    this.checkIds(['training job id', jobId], ['task id', taskId]);
    ensureValid(validateSaveImageRequest(request));
    const body: Record<string, string> = { name: request.name, namespace: request.namespace, tag: normalizeImageTag(request.tag) };
    if (request.description !== undefined && request.description !== '') body.description = request.description;
    return postWithReread({
      post: async () => {
        const response = await this.call('trainingJobs.createSaveImageJob', 'POST', 'v2', ['training-jobs', jobId, 'tasks', taskId, 'save-image-job'], {
          body,
          signal,
        });
        return parseSaveImageJob(expectObject(response.body, 'trainingJobs.createSaveImageJob', responseInfo(response)));
      },
      reread: () => this.getSaveImageJob(jobId, taskId, signal),
      took: (job) => job.name === body.name && job.namespace === body.namespace && job.tag === body.tag && SAVE_IMAGE_UNDER_WAY.includes(job.status ?? ''),
    });
  }

  async getSaveImageJob(jobId: string, taskId: string, signal?: AbortSignal): Promise<SaveImageJob> {
    this.checkIds(['training job id', jobId], ['task id', taskId]);
    const response = await this.call('trainingJobs.getSaveImageJob', 'GET', 'v2', ['training-jobs', jobId, 'tasks', taskId, 'save-image-job'], { signal });
    return parseSaveImageJob(expectObject(response.body, 'trainingJobs.getSaveImageJob', responseInfo(response)));
  }

  /** The newest part of a task's log (≤5 MB) with its byte sizes; `notReady` while the log is not available. */
  async getLogPreview(jobId: string, taskId: string, signal?: AbortSignal): Promise<TrainingLogPreview> {
    this.checkIds(['training job id', jobId], ['task id', taskId]);
    const response = await this.call('trainingJobs.getLogPreview', 'GET', 'v2', ['training-jobs', jobId, 'tasks', taskId, 'logs', 'preview'], { signal });
    return parseLogPreview(response.body, response.status, 'trainingJobs.getLogPreview', response.requestId);
  }

  /** Events of a job; `offset` is a page index, `limit` 1–100. */
  events(jobId: string, options: TrainingJobEventOptions = {}): Pager<TrainingJobEvent> {
    this.checkIds(['training job id', jobId]);
    const pageSize = options.pageSize ?? 20;
    ensureValid(
      validatePageSize(pageSize, { min: 1, max: 100 }),
      (options.startTime === undefined) !== (options.endTime === undefined) ? 'The start and end time must be given together.' : undefined,
      options.pattern !== undefined && options.pattern.length > 256 ? 'The search pattern is longer than 256 characters.' : undefined,
      options.startPage !== undefined && !(Number.isInteger(options.startPage) && options.startPage >= 0) ? 'The start page must be a whole number from 0.' : undefined,
    );
    return new Pager<TrainingJobEvent>(async ({ page, limit, signal }) => {
      const response = await this.call('trainingJobs.events', 'GET', 'v2', ['training-jobs', jobId, 'events'], {
        query: definedQuery({
          offset: page,
          limit,
          level: options.level,
          pattern: options.pattern,
          order: options.order,
          start_time: options.startTime,
          end_time: options.endTime,
          source: options.source,
        }),
        signal,
      });
      const { envelope, items } = listItems(response.body, 'events', 'trainingJobs.events', responseInfo(response));
      return { items: items.map(parseTrainingJobEvent), total: readCount(envelope, 'total') };
    }, pageSize, options.startPage ?? 0);
  }

  /** The job's task instances (a bare array). */
  async listTasks(jobId: string, options: { scheduleCount?: number } = {}, signal?: AbortSignal): Promise<TrainingTask[]> {
    this.checkIds(['training job id', jobId]);
    const response = await this.call('trainingJobs.listTasks', 'GET', 'v2', ['training-jobs', jobId, 'tasks'], {
      query: definedQuery({ schedule_count: options.scheduleCount }),
      signal,
    });
    const body = response.body;
    const items = Array.isArray(body) ? (body as unknown[]) : listItems(body, 'tasks', 'trainingJobs.listTasks', responseInfo(response)).items;
    return items.map(parseTrainingTask);
  }

  async listFlavors(options: { flavorType?: TrainingFlavorType } = {}, signal?: AbortSignal): Promise<TrainingFlavor[]> {
    const response = await this.call('trainingJobs.listFlavors', 'GET', 'v2', ['training-job-flavors'], {
      query: definedQuery({ flavor_type: options.flavorType }),
      signal,
    });
    return listItems(response.body, 'flavors', 'trainingJobs.listFlavors', responseInfo(response)).items.map(parseTrainingFlavor);
  }

  async listEngines(signal?: AbortSignal): Promise<TrainingEngine[]> {
    const response = await this.call('trainingJobs.listEngines', 'GET', 'v2', ['training-job-engines'], { signal });
    return listItems(response.body, 'items', 'trainingJobs.listEngines', responseInfo(response)).items.map(parseTrainingEngine);
  }
}

function checkTags(tags: readonly TrainingJobTagInput[]): void {
  ensureValid(tags.length === 0 ? 'No tag given.' : undefined);
  for (const tag of tags) ensureValid(validateTagKey(tag.key), validateTagValue(tag.value));
}
