import {
  ApiFailure,
  isoSecondsChina,
  newUuid,
  queryValue,
  type EmuRequest,
  type EmuResponse,
  type FamilyOptions,
  type JsonObject,
  type ResourceFamily,
  type Router,
} from './framework';
import { TimerQueue, cloneJson, compareValues, hash32, isObject, noise, objectAt, stringAt, type TimerHandle } from './familyKit';
import { ENGINES, EVENT_CATEGORIES, FLAVORS, flavorListItem, type FlavorType } from './trainingCatalog';
import { buildJobDoc } from './trainingCreate';
import { DEFAULT_LOG_RATE, STEPS_PER_EPOCH, TaskLog, closingLines, preambleLines, trainingLineMaker } from './trainingLogs';
import {
  MAX_TAGS_PER_JOB,
  badJson,
  badParam,
  intQueryParam,
  jobNotFound,
  parseSearch,
  parseTags,
  timeQuery,
  wrongState,
} from './trainingParams';
import { parseSaveImageRequest, saveImageLines, saveImageView, type SaveImageJob } from './trainingSaveImage';
import { seedTraining } from './trainingSeed';

// The training-job family (training jobs v2): create, search, get, update, delete, terminate, tags, save
// image, log preview and URL, metrics, events, tasks, stages, flavors, engines, quotas and event categories,
// with jobs moving Creating -> Pending -> Running -> Completed | Failed on the emulated clock.

export type Phase = 'Creating' | 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminating' | 'Terminated' | 'Abnormal';
export type Fate = 'Completed' | 'Failed';

/** Emulated durations of the job state machine, in ms. */
export const TRAINING_TIMINGS = {
  creatingMs: 5_000,
  pendingMs: 10_000,
  runningMs: 120_000,
  terminatingMs: 3_000,
  /** How long a deleted job stays visible. */
  deleteMs: 5_000,
  /** The part of a run shown as the `preparing` stage. */
  preparingMs: 5_000,
} as const;

export { MAX_TAGS_PER_JOB, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from './trainingParams';
export const EVENTS_DEFAULT_LIMIT = 50;
export const JOB_NUM_QUOTA = 100;

export interface RunningRecord {
  start_at: number;
  end_at?: number;
  xpu_start_at?: number;
  start_type: string;
  end_reason?: string;
  end_related_task?: string;
  end_recover?: string;
  end_recover_before_downgrade?: string;
}

export interface JobStatusDoc {
  phase: Phase;
  secondary_phase: string;
  duration: number;
  start_time: number;
  node_count_metrics: number[][] | null;
  tasks: string[];
  task_statuses?: Array<{ task: string; exit_code: number; message: string }>;
  running_records?: RunningRecord[];
}

export interface JobDoc {
  kind: string;
  metadata: {
    id: string;
    name: string;
    description: string;
    create_time: number;
    workspace_id: string;
    user_name: string;
    annotations?: Record<string, string>;
  };
  status: JobStatusDoc;
  algorithm: JsonObject;
  spec: JsonObject;
  endpoints?: JsonObject;
}

export type EventLevel = 'Info' | 'Warning' | 'Error';

export interface JobEvent {
  time: number;
  level: EventLevel;
  message: string;
  source: 'Job' | 'Task';
}

export interface Tag {
  key: string;
  value: string;
}

/** How long each phase of one job lasts (emulated ms). */
export interface JobPlan {
  creatingMs: number;
  pendingMs: number;
  runMs: number;
}

interface JobRecord {
  doc: JobDoc;
  seq: number;
  userId: string;
  fate: Fate;
  plan: JobPlan;
  /** Never moves (the manual's Abnormal example). */
  frozen: boolean;
  /** The manual's example jobs: their names do not block the manual's own create requests. */
  reference: boolean;
  history: Array<{ phase: Phase; at: number }>;
  events: JobEvent[];
  /** Built on first use: most jobs of a large seed are never read. */
  logs?: Map<string, TaskLog>;
  logRate: number;
  epochs: number;
  tags: Tag[];
  timer?: TimerHandle;
  deleting: boolean;
  runStart?: number;
  runEnd?: number;
  endPhase?: 'Completed' | 'Failed' | 'Terminated';
  seed: number;
}

/** What a seed gives to create one job that then moves on the clock like any other. */
export interface SeedJobInput {
  id: string;
  body: JsonObject;
  createTime: number;
  fate: Fate;
  plan: JobPlan;
  tags?: Tag[];
  /** Terminate the job at this time (before the seed's "now"). */
  terminateAt?: number;
  epochs?: number;
}

/** A job doc kept exactly as given: it never changes phase. */
export interface SeedFixedJob {
  doc: JobDoc;
  history: Array<{ phase: Phase; at: number }>;
  events: JobEvent[];
  reference: boolean;
}

/** The seed's view of the family. */
export interface TrainingSeedTarget {
  seedJob(input: SeedJobInput): void;
  seedFixedJob(input: SeedFixedJob): void;
  /** A job from a doc whose phase is Creating, started on the clock at `startAt` (the manual's 201 example). */
  seedReferenceJob(doc: JobDoc, startAt: number, fate: Fate, plan: JobPlan): void;
  /** Adds a scale job cheaply (no body validation), terminated at `terminateAt` when given. */
  seedScaleJob(doc: JobDoc, fate: Fate, plan: JobPlan, terminateAt?: number): void;
  runDue(now: number): void;
}

export interface TrainingFamily extends ResourceFamily {
  /** Appends raw text to a task's log at the clock's now (after the lines due by then). */
  appendLog(jobId: string, task: string, text: string): void;
  /** Lines per emulated second written by every task of a job from now on (0 pauses). */
  setLogRate(jobId: string, linesPerSecond: number): void;
  /** Adds an event to a job at the clock's now (a task's message, as the service reports one). */
  addEvent(jobId: string, message: string, level?: 'Info' | 'Warning' | 'Error'): void;
  /** How the job ends when its run is over. */
  setFate(jobId: string, fate: Fate): void;
  /** The next save-image job of that task fails with `reason`. */
  failNextSaveImage(jobId: string, task: string, reason: string): void;
  /** The job doc as the API would show it now, or undefined. */
  getJob(jobId: string): JobDoc | undefined;
  /** Number of jobs (all workspaces). */
  jobCount(): number;
}

const ACTIVE: ReadonlySet<Phase> = new Set(['Creating', 'Pending', 'Running', 'Terminating']);
const TERMINABLE: ReadonlySet<Phase> = new Set(['Creating', 'Pending', 'Running']);

function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function secondaryOf(phase: Phase): string {
  return phase === 'Pending' ? 'Queuing' : phase;
}

class TrainingFamilyImpl implements TrainingFamily, TrainingSeedTarget {
  private readonly timers = new TimerQueue();
  private readonly jobs = new Map<string, JobRecord>();
  /** Every job ordered by (create_time, seq): the default search order needs no sort. */
  private readonly ordered: JobRecord[] = [];
  /** Save-image jobs and planned save failures by `<job id>/<task>`. */
  private readonly saveImages = new Map<string, SaveImageJob>();
  private readonly pendingSaveFailures = new Map<string, string>();
  private seq = 0;

  constructor(private readonly opts: FamilyOptions) {
    seedTraining(this, opts);
  }

  // ---- ResourceFamily ----

  register(router: Router): void {
    const v2 = '/v2/{project_id}';
    const job = `${v2}/training-jobs/{training_job_id}`;
    const task = `${job}/tasks/{task_id}`;
    router.add('POST', `${v2}/training-jobs`, (r) => this.create(r));
    router.add('POST', `${v2}/training-job-searches`, (r) => this.search(r));
    router.add('GET', job, (r) => this.get(r));
    router.add('PUT', job, (r) => this.update(r));
    router.add('DELETE', job, (r) => this.remove(r));
    router.add('POST', `${job}/actions`, (r) => this.action(r));
    for (const segment of ['modelarts-training-job', 'modelarts-trainJob']) {
      const tags = `${v2}/${segment}/{training_job_id}/tags`;
      router.add('GET', tags, (r) => this.getTags(r));
      router.add('POST', `${tags}/create`, (r) => this.createTags(r));
      router.add('DELETE', `${tags}/delete`, (r) => this.deleteTags(r));
    }
    router.add('POST', `${task}/save-image-job`, (r) => this.createSaveImage(r));
    router.add('GET', `${task}/save-image-job`, (r) => this.getSaveImage(r));
    router.add('GET', `${task}/logs/preview`, (r) => this.logPreview(r));
    router.add('GET', `${task}/logs/url`, (r) => this.logUrl(r));
    router.add('GET', `${job}/metrics/{task_id}`, (r) => this.metrics(r));
    router.add('GET', `${job}/events`, (r) => this.events(r));
    router.add('GET', `${job}/tasks`, (r) => this.tasks(r));
    router.add('GET', `${job}/stages`, (r) => this.stages(r));
    router.add('GET', `${v2}/training-job-flavors`, (r) => this.flavors(r));
    router.add('GET', `${v2}/training-job-engines`, () => ({ status: 200, body: { total: ENGINES.length, items: ENGINES } }));
    router.add('GET', `${v2}/training-quotas`, (r) => this.quotas(r));
    router.add('GET', `${v2}/training-event-categories`, () => ({ status: 200, body: { 'event-categories': EVENT_CATEGORIES } }));
  }

  advance(now: number): void {
    this.timers.runDue(now);
  }

  // ---- test helpers ----

  appendLog(jobId: string, task: string, text: string): void {
    const now = this.now();
    const job = this.mustJob(jobId);
    this.checkTask(job, task);
    this.taskLog(job, task).append(now, text);
  }

  addEvent(jobId: string, message: string, level: 'Info' | 'Warning' | 'Error' = 'Info'): void {
    this.event(this.mustJob(jobId), this.now(), level, message, 'Task');
  }

  setLogRate(jobId: string, linesPerSecond: number): void {
    const now = this.now();
    const job = this.mustJob(jobId);
    for (const task of job.doc.status.tasks) this.taskLog(job, task).setRate(now, linesPerSecond);
    job.logRate = linesPerSecond;
  }

  setFate(jobId: string, fate: Fate): void {
    this.now();
    this.mustJob(jobId).fate = fate;
  }

  failNextSaveImage(jobId: string, task: string, reason: string): void {
    const job = this.mustJob(jobId);
    this.checkTask(job, task);
    this.pendingSaveFailures.set(`${jobId}/${task}`, reason);
  }

  getJob(jobId: string): JobDoc | undefined {
    const job = this.jobs.get(jobId);
    return job ? cloneJson(this.view(job, this.now())) : undefined;
  }

  jobCount(): number {
    return this.jobs.size;
  }

  // ---- seeding ----

  seedJob(input: SeedJobInput): void {
    const doc = buildJobDoc(input.body, input.id, input.createTime, this.opts.userName);
    const job = this.addJob(doc, input.fate, input.plan, { epochs: input.epochs });
    if (input.tags) job.tags = input.tags.map((t) => ({ ...t }));
    this.enterCreating(job, input.createTime);
    this.scheduleTerminate(job, input.terminateAt);
  }

  seedFixedJob(input: SeedFixedJob): void {
    const job = this.addJob(cloneJson(input.doc), 'Failed', { creatingMs: 0, pendingMs: 0, runMs: 0 }, { frozen: true, reference: input.reference });
    job.history = input.history.map((h) => ({ ...h }));
    job.events = input.events.map((e) => ({ ...e }));
  }

  seedReferenceJob(doc: JobDoc, startAt: number, fate: Fate, plan: JobPlan): void {
    const job = this.addJob(cloneJson(doc), fate, plan, { reference: true });
    job.history.push({ phase: 'Creating', at: startAt });
    this.event(job, startAt, 'Info', 'Training job is being created.', 'Job');
    this.planNext(job, startAt);
  }

  seedScaleJob(doc: JobDoc, fate: Fate, plan: JobPlan, terminateAt?: number): void {
    const job = this.addJob(doc, fate, plan);
    this.enterCreating(job, doc.metadata.create_time);
    this.scheduleTerminate(job, terminateAt);
  }

  private scheduleTerminate(job: JobRecord, at: number | undefined): void {
    if (at === undefined) return;
    this.timers.schedule(at, () => {
      if (TERMINABLE.has(job.doc.status.phase)) this.terminate(job, at);
    });
  }

  runDue(now: number): void {
    this.timers.runDue(now);
  }

  // ---- routes ----

  private create(request: EmuRequest): EmuResponse {
    const body = request.body;
    if (!isObject(body)) throw badJson();
    const doc = buildJobDoc(body, newUuid(), request.now, this.opts.userName);
    const duplicate = this.ordered.some(
      (j) => !j.reference && !j.deleting && j.doc.metadata.workspace_id === doc.metadata.workspace_id && j.doc.metadata.name === doc.metadata.name,
    );
    if (duplicate) {
      throw new ApiFailure(400, 'ModelArts.2751', `Training job name ${doc.metadata.name} already exists in workspace ${doc.metadata.workspace_id}.`);
    }
    const name = doc.metadata.name.toLowerCase();
    const job = this.addJob(doc, name.includes('fail') ? 'Failed' : 'Completed', {
      creatingMs: TRAINING_TIMINGS.creatingMs,
      pendingMs: TRAINING_TIMINGS.pendingMs,
      runMs: TRAINING_TIMINGS.runningMs,
    }, {});
    this.enterCreating(job, request.now);
    return { status: 201, body: this.view(job, request.now) };
  }

  private search(request: EmuRequest): EmuResponse {
    const { offset, limit, sortBy, order, workspaceId, predicates, groupBy, trainType } = parseSearch(request);
    let total = 0;
    const matches: JobRecord[] = [];
    for (const job of this.ordered) {
      if (job.doc.metadata.workspace_id !== workspaceId) continue;
      total++;
      if (predicates.every((p) => p(job))) matches.push(job);
    }
    const now = request.now;
    if (sortBy === 'create_time') {
      if (order === 'desc') matches.reverse();
    } else {
      const key = (j: JobRecord): string | number =>
        sortBy === 'name' ? j.doc.metadata.name : sortBy === 'phase' ? j.doc.status.phase : this.durationOf(j, now);
      const sign = order === 'asc' ? 1 : -1;
      matches.sort((a, b) => sign * (compareValues(key(a), key(b)) || a.doc.metadata.create_time - b.doc.metadata.create_time || a.seq - b.seq));
    }
    const start = offset * limit;
    const page = start >= matches.length ? [] : matches.slice(start, start + limit);
    return {
      status: 200,
      body: {
        total,
        count: matches.length,
        limit,
        offset,
        sort_by: sortBy,
        order,
        group_by: groupBy,
        workspace_id: workspaceId,
        ai_project: 'default-ai-project',
        train_type: trainType,
        items: page.map((j) => this.view(j, now)),
      },
    };
  }

  private get(request: EmuRequest): EmuResponse {
    return { status: 200, body: this.view(this.jobFor(request), request.now) };
  }

  private update(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const body = request.body;
    if (!isObject(body)) throw badJson();
    const description = body.description;
    if (typeof description !== 'string' || description.length > 256) {
      throw badParam('Invalid description: expected a string of at most 256 characters.');
    }
    job.doc.metadata.description = description;
    return { status: 200 };
  }

  private remove(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    if (!job.deleting) {
      job.deleting = true;
      if (job.timer) job.timer.cancelled = true;
      this.timers.schedule(request.now + TRAINING_TIMINGS.deleteMs, () => this.drop(job));
    }
    return { status: 202 };
  }

  private action(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const body = request.body;
    if (!isObject(body)) throw badJson();
    if (body.action_type !== 'terminate') {
      throw badParam(`Unsupported action_type: ${JSON.stringify(body.action_type ?? null)}; the only action is terminate.`);
    }
    const phase = job.doc.status.phase;
    if (job.frozen || job.deleting || !TERMINABLE.has(phase)) {
      throw new ApiFailure(409, 'ModelArts.2796', `Training job (ID: ${job.doc.metadata.id}) cannot be terminated in phase ${phase}.`);
    }
    this.terminate(job, request.now);
    return { status: 202, body: this.view(job, request.now) };
  }

  private getTags(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    return { status: 200, body: { tags: job.tags.map((t) => ({ key: t.key, value: t.value })) } };
  }

  private createTags(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const tags = parseTags(request.body, true);
    const merged = job.tags.map((t) => ({ ...t }));
    for (const tag of tags) {
      const existing = merged.find((t) => t.key === tag.key);
      if (existing) existing.value = tag.value;
      else merged.push(tag);
    }
    if (merged.length > MAX_TAGS_PER_JOB) throw badParam(`Invalid tags: a training job has at most ${MAX_TAGS_PER_JOB} tags.`);
    job.tags = merged;
    return { status: 204 };
  }

  private deleteTags(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const tags = parseTags(request.body, false);
    // A tag goes when its key matches and, if the request gives a value, that value matches too.
    job.tags = job.tags.filter((t) => !tags.some((d) => d.key === t.key && (d.value === '' || d.value === t.value)));
    return { status: 204 };
  }

  private createSaveImage(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const task = this.taskFor(job, request);
    const fields = parseSaveImageRequest(request.body);
    const phase = job.doc.status.phase;
    if (phase !== 'Running') {
      throw wrongState(`The image of a training job can be saved only while it is Running; training job ${job.doc.metadata.id} is ${phase}.`);
    }
    const key = `${job.doc.metadata.id}/${task}`;
    const current = this.saveImages.get(key);
    if (current) {
      const status = saveImageView(current, request.now).status;
      if (status === 'INIT' || status === 'CREATING') {
        throw wrongState(`A save-image job for task ${task} is already ${String(status)}.`);
      }
    }
    const failReason = this.pendingSaveFailures.get(key);
    this.pendingSaveFailures.delete(key);
    const save: SaveImageJob = {
      ...fields,
      createTime: request.now,
      lines: saveImageLines(job.doc, task, fields.namespace, fields.name, fields.tag),
      ...(failReason !== undefined ? { failReason } : {}),
    };
    this.saveImages.set(key, save);
    return { status: 201, body: saveImageView(save, request.now) };
  }

  private getSaveImage(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const task = this.taskFor(job, request);
    const save = this.saveImages.get(`${job.doc.metadata.id}/${task}`);
    if (!save) throw wrongState(`No save-image job exists for task ${task} of training job ${job.doc.metadata.id}.`);
    return { status: 200, body: saveImageView(save, request.now) };
  }

  private logPreview(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const task = this.taskFor(job, request);
    return { status: 200, body: this.taskLog(job, task).preview(request.now) };
  }

  private logUrl(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const task = this.taskFor(job, request);
    const header = request.headers['content-type'];
    const contentType = queryValue(request, 'Content-Type') ?? (typeof header === 'string' ? header : 'text/plain');
    const download = contentType.startsWith('application/octet-stream');
    const expires = toSeconds(request.now) + 300;
    const signature = (hash32(`${job.doc.metadata.id}/${task}/${expires}`) >>> 0).toString(16).padStart(8, '0');
    const disposition = download ? `&response-content-disposition=attachment%3Bfilename%3D${encodeURIComponent(task)}.log` : '&response-content-type=text%2Fplain';
    const obsUrl =
      `https://modelarts-training-log-cn-north-4.obs.cn-north-4.myhuaweicloud.com/${job.doc.metadata.id}/${task}.log` +
      `?AccessKeyId=EMULATORLOGLINK&Expires=${expires}&Signature=${signature}${disposition}`;
    return { status: 200, body: { obs_url: obsUrl } };
  }

  private metrics(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    this.taskFor(job, request);
    const names = ['cpuUsage', 'memUsage'];
    const type = this.flavorType(job);
    if (type === 'GPU') names.push('gpuUtil', 'gpuMemUsage');
    if (type === 'Ascend') names.push('npuUtil', 'npuMemUsage');
    let minutes = 0;
    if (job.runStart !== undefined) {
      const end = Math.min(request.now, job.runEnd ?? request.now);
      minutes = Math.min(1440, Math.floor((end - job.runStart) / 60_000) + 1);
    }
    const metrics = names.map((metric, m) => {
      const base = [45, 50, 80, 60, 75, 55][m];
      const value: number[] = [];
      for (let i = 0; i < minutes; i++) {
        value.push(Math.round((base + (noise(job.seed + m, i) - 0.5) * 30) * 100) / 100);
      }
      return { metric, value };
    });
    return { status: 200, body: { metrics } };
  }

  private events(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const offset = intQueryParam(request, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intQueryParam(request, 'limit', EVENTS_DEFAULT_LIMIT, 1, 100);
    const order = queryValue(request, 'order') || 'asc';
    if (order !== 'asc' && order !== 'desc') throw badParam(`Invalid order: ${order}; expected asc or desc.`);
    const level = queryValue(request, 'level') || undefined;
    if (level !== undefined && level !== 'Info' && level !== 'Warning' && level !== 'Error') {
      throw badParam(`Invalid level: ${level}; expected Info, Warning or Error.`);
    }
    const source = queryValue(request, 'source') || undefined;
    if (source !== undefined && source !== 'Job' && source !== 'Task' && source !== 'K8S') {
      throw badParam(`Invalid source: ${source}; expected Job, Task or K8S.`);
    }
    const pattern = queryValue(request, 'pattern') || undefined;
    if (pattern !== undefined && pattern.length > 256) throw badParam('Invalid pattern: at most 256 characters.');
    const startTime = timeQuery(request, 'start_time');
    const endTime = timeQuery(request, 'end_time');
    if ((startTime === undefined) !== (endTime === undefined)) throw badParam('start_time and end_time must be given together.');
    const from = startTime ?? job.doc.metadata.create_time;
    const to = endTime ?? request.now;
    const needle = pattern?.toLowerCase();
    const matching = job.events.filter(
      (e) =>
        (startTime === undefined || (e.time >= from && e.time <= to)) &&
        (level === undefined || e.level === level) &&
        (source === undefined || e.source === source) &&
        (needle === undefined || e.message.toLowerCase().includes(needle)),
    );
    if (order === 'desc') matching.reverse();
    // `offset` is a page index, as the SDK's ListTrainingJobEventsRequest documents (and the job search uses).
    const page = matching.slice(offset * limit, offset * limit + limit);
    return {
      status: 200,
      body: {
        total: matching.length,
        limit,
        offset,
        order,
        start_time: isoSecondsChina(from),
        end_time: isoSecondsChina(to),
        events: page.map((e) => ({ time: isoSecondsChina(e.time), level: e.level, message: e.message, source: e.source })),
      },
    };
  }

  private tasks(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const scheduled = job.runStart !== undefined;
    const body = job.doc.status.tasks.map((task) => {
      const h = hash32(`${job.doc.metadata.id}/${task}`);
      return {
        task,
        ip: scheduled ? `172.16.${(h >>> 8) & 255}.${(h & 254) + 1}` : '',
        host_ip: scheduled ? `192.168.${(h >>> 16) & 255}.${((h >>> 24) & 254) + 1}` : '',
        schedule_count: scheduled ? 1 : 0,
      };
    });
    return { status: 200, body };
  }

  private stages(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const id = job.doc.metadata.id;
    const created = job.history[0]?.at ?? job.doc.metadata.create_time;
    const running = job.history.find((h) => h.phase === 'Running')?.at;
    const finalPhase = job.history.find((h) => h.phase !== 'Creating' && h.phase !== 'Pending' && h.phase !== 'Running' && h.phase !== 'Terminating');
    const ended = job.runEnd ?? finalPhase?.at;
    const stage = (name: string, order: number, en: string, zh: string, start: number, end: number | undefined): JsonObject => ({
      job_id: id,
      name,
      en_message: en,
      zh_message: zh,
      start_time: start,
      end_time: end ?? 0,
      stage_order: order,
      sub_stages: [],
    });
    const stages: JsonObject[] = [stage('scheduling', 1, 'Scheduling resources', '资源调度中', created, running ?? ended)];
    if (running !== undefined) {
      const prepared = running + TRAINING_TIMINGS.preparingMs;
      const prepEnd = ended !== undefined ? Math.min(prepared, ended) : prepared <= request.now ? prepared : undefined;
      stages.push(stage('preparing', 2, 'Preparing the environment', '环境准备中', running, prepEnd));
      if (prepEnd !== undefined && prepEnd === prepared && (ended === undefined || prepared < ended)) {
        stages.push(stage('running', 3, 'Running the training code', '训练代码运行中', prepared, ended));
      }
    }
    if (ended !== undefined) stages.push(stage('end', 4, 'The job ended', '作业已结束', ended, ended));
    return { status: 200, body: { total_count: 1, running_records: [{ record_order: 1, stages }] } };
  }

  private flavors(request: EmuRequest): EmuResponse {
    const type = queryValue(request, 'flavor_type') || undefined;
    const wanted = type?.toUpperCase();
    if (wanted !== undefined && wanted !== 'CPU' && wanted !== 'GPU' && wanted !== 'ASCEND') {
      throw badParam(`Invalid flavor_type: ${type}; expected CPU, GPU or Ascend.`);
    }
    const flavors = FLAVORS.filter((f) => !f.pool_id && (wanted === undefined || f.detail.flavor_type.toUpperCase() === wanted)).map(flavorListItem);
    return { status: 200, body: { total_count: flavors.length, flavors } };
  }

  private quotas(request: EmuRequest): EmuResponse {
    const resource = queryValue(request, 'resource') || 'job-num';
    if (resource !== 'job-num') return { status: 200, body: { quotas: [] } };
    let used = 0;
    for (const job of this.ordered) if (ACTIVE.has(job.doc.status.phase)) used++;
    return { status: 200, body: { quotas: [{ resource: 'job-num', quota: JOB_NUM_QUOTA, used }] } };
  }

  // ---- state machine ----

  private enterCreating(job: JobRecord, at: number): void {
    job.history.push({ phase: 'Creating', at });
    this.event(job, at, 'Info', 'Training job is being created.', 'Job');
    this.planNext(job, at);
  }

  private planNext(job: JobRecord, from: number): void {
    if (job.frozen || job.deleting) return;
    const phase = job.doc.status.phase;
    let next: Phase | undefined;
    let at = from;
    if (phase === 'Creating') {
      next = 'Pending';
      at += job.plan.creatingMs;
    } else if (phase === 'Pending') {
      next = 'Running';
      at += job.plan.pendingMs;
    } else if (phase === 'Running') {
      next = job.fate;
      at += job.plan.runMs;
    } else if (phase === 'Terminating') {
      next = 'Terminated';
      at += TRAINING_TIMINGS.terminatingMs;
    }
    if (!next) return;
    const target = next;
    job.timer = this.timers.schedule(at, (t) => {
      job.timer = undefined;
      // The fate may have changed since the timer was set.
      this.enter(job, target === 'Completed' || target === 'Failed' ? job.fate : target, t);
    });
  }

  private enter(job: JobRecord, phase: Phase, at: number): void {
    const status = job.doc.status;
    const tasks = status.tasks;
    status.phase = phase;
    status.secondary_phase = secondaryOf(phase);
    job.history.push({ phase, at });
    switch (phase) {
      case 'Pending':
        this.event(job, at, 'Info', 'Training job is queuing.', 'Job');
        break;
      case 'Running': {
        job.runStart = at;
        status.start_time = at;
        status.node_count_metrics = [[at, tasks.length]];
        status.running_records = [...(status.running_records ?? []), { start_at: toSeconds(at), start_type: 'init_or_rescheduled' }];
        this.event(job, at, 'Info', 'Training job is running.', 'Job');
        for (const task of tasks) this.event(job, at, 'Info', `[${task}] training started.`, 'Task');
        for (const [task, log] of job.logs ?? []) {
          log.append(at, this.preamble(job, task, at));
          log.startGenerating(at);
        }
        break;
      }
      case 'Completed':
      case 'Failed': {
        const failed = phase === 'Failed';
        this.endRun(job, phase, at);
        const code = failed ? 1 : 0;
        for (const task of tasks) this.event(job, at, failed ? 'Error' : 'Info', `[${task}] Training finished. Exit code ${code}.`, 'Task');
        this.event(job, at, failed ? 'Error' : 'Info', failed ? 'Training job failed.' : 'Training job completed.', 'Job');
        break;
      }
      case 'Terminating':
        this.event(job, at, 'Info', 'Training job is being terminated.', 'Job');
        if (job.runStart !== undefined && job.runEnd === undefined) {
          this.endRun(job, 'Terminated', at);
          for (const task of tasks) this.event(job, at, 'Warning', `[${task}] Training terminated. Exit code 137.`, 'Task');
        }
        break;
      case 'Terminated':
        this.event(job, at, 'Warning', 'Training job terminated.', 'Job');
        break;
      default:
        break;
    }
    this.planNext(job, at);
  }

  private endRun(job: JobRecord, phase: 'Completed' | 'Failed' | 'Terminated', at: number): void {
    const status = job.doc.status;
    const start = job.runStart ?? at;
    job.runEnd = at;
    job.endPhase = phase;
    status.duration = at - start;
    status.node_count_metrics = [...(status.node_count_metrics ?? []), [at, 0]];
    const records = status.running_records ?? [];
    const last = records[records.length - 1];
    if (last && last.end_at === undefined) {
      last.end_at = toSeconds(at);
      last.end_reason = phase === 'Completed' ? 'job completed' : phase === 'Failed' ? 'exit with 1' : 'job terminated';
      if (phase === 'Failed') last.end_related_task = status.tasks[0];
    }
    const exitCode = phase === 'Completed' ? 0 : phase === 'Failed' ? 1 : 137;
    const message = phase === 'Completed' ? '' : phase === 'Failed' ? 'RuntimeError: CUDA out of memory.' : 'Terminated by the user.';
    status.task_statuses = status.tasks.map((task) => ({ task, exit_code: exitCode, message }));
    for (const [task, log] of job.logs ?? []) {
      log.stopGenerating(at);
      log.append(at, closingLines(at, task, phase));
    }
  }

  private terminate(job: JobRecord, at: number): void {
    if (job.timer) job.timer.cancelled = true;
    job.timer = undefined;
    this.enter(job, 'Terminating', at);
  }

  private drop(job: JobRecord): void {
    if (job.timer) job.timer.cancelled = true;
    this.jobs.delete(job.doc.metadata.id);
    for (const task of job.doc.status.tasks) {
      this.saveImages.delete(`${job.doc.metadata.id}/${task}`);
      this.pendingSaveFailures.delete(`${job.doc.metadata.id}/${task}`);
    }
    const i = this.ordered.indexOf(job);
    if (i >= 0) this.ordered.splice(i, 1);
  }

  // ---- building and viewing ----

  private addJob(doc: JobDoc, fate: Fate, plan: JobPlan, extra: { frozen?: boolean; reference?: boolean; epochs?: number | undefined } = {}): JobRecord {
    const job: JobRecord = {
      doc,
      seq: this.seq++,
      userId: this.opts.userId,
      fate,
      plan,
      frozen: extra.frozen ?? false,
      reference: extra.reference ?? false,
      history: [],
      events: [],
      logRate: DEFAULT_LOG_RATE,
      // Enough epochs for the planned run, so the counters in the log move until its end.
      epochs: extra.epochs ?? Math.max(1, Math.ceil((plan.runMs / 1000) * (DEFAULT_LOG_RATE / STEPS_PER_EPOCH))),
      tags: [],
      deleting: false,
      seed: hash32(doc.metadata.id),
    };
    this.jobs.set(doc.metadata.id, job);
    // Insert keeping (create_time, seq) order; new jobs nearly always go last.
    const t = doc.metadata.create_time;
    let i = this.ordered.length;
    while (i > 0 && this.ordered[i - 1].doc.metadata.create_time > t) i--;
    this.ordered.splice(i, 0, job);
    return job;
  }

  /** Validates a create body and builds the job doc (phase Creating). */
  private flavorType(job: JobRecord): FlavorType {
    const resource = objectAt(job.doc.spec, 'resource');
    const detail = resource ? objectAt(resource, 'flavor_detail') : undefined;
    const type = detail ? stringAt(detail, 'flavor_type') : undefined;
    return type === 'GPU' || type === 'Ascend' ? type : 'CPU';
  }

  private durationOf(job: JobRecord, now: number): number {
    const status = job.doc.status;
    return status.phase === 'Running' && job.runStart !== undefined ? now - job.runStart : status.duration;
  }

  /** The live doc with its running duration brought up to `now`. */
  private view(job: JobRecord, now: number): JobDoc {
    if (job.doc.status.phase === 'Running' && job.runStart !== undefined) job.doc.status.duration = now - job.runStart;
    return job.doc;
  }

  private event(job: JobRecord, time: number, level: EventLevel, message: string, source: 'Job' | 'Task'): void {
    job.events.push({ time, level, message, source });
  }

  private preamble(job: JobRecord, task: string, at: number): string {
    const algorithm = job.doc.algorithm;
    const codeDir = stringAt(algorithm, 'code_dir') ?? '';
    const command = stringAt(algorithm, 'command') ?? `python ${stringAt(algorithm, 'boot_file') ?? 'train.py'}`;
    return preambleLines(at, task, codeDir, command);
  }

  /** The task's log, built on first use from the job's run so far; later transitions write to it directly. */
  private taskLog(job: JobRecord, task: string): TaskLog {
    job.logs ??= new Map();
    let log = job.logs.get(task);
    if (!log) {
      log = new TaskLog(trainingLineMaker(job.seed ^ hash32(task), task, job.epochs), job.logRate);
      if (job.runStart !== undefined) {
        log.append(job.runStart, this.preamble(job, task, job.runStart));
        log.startGenerating(job.runStart);
        if (job.runEnd !== undefined && job.endPhase) {
          log.stopGenerating(job.runEnd);
          log.append(job.runEnd, closingLines(job.runEnd, task, job.endPhase));
        }
      }
      job.logs.set(task, log);
    }
    return log;
  }

  // ---- request helpers ----

  private now(): number {
    const now = this.opts.clock.now();
    this.timers.runDue(now);
    return now;
  }

  private mustJob(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no training job ${id}`);
    return job;
  }

  private jobFor(request: EmuRequest): JobRecord {
    const id = request.params.training_job_id;
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  private checkTask(job: JobRecord, task: string): void {
    if (!job.doc.status.tasks.includes(task)) throw new Error(`training job ${job.doc.metadata.id} has no task ${task}`);
  }

  private taskFor(job: JobRecord, request: EmuRequest): string {
    const task = request.params.task_id;
    if (!job.doc.status.tasks.includes(task)) {
      throw badParam(`Task ${task} not found in training job ${job.doc.metadata.id}; its tasks are ${job.doc.status.tasks.join(', ')}.`);
    }
    return task;
  }

}

export function createTrainingFamily(opts: FamilyOptions): TrainingFamily {
  return new TrainingFamilyImpl(opts);
}
