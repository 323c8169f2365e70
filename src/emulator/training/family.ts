import { ApiFailure, isoSecondsChina, newUuid, queryValue, type EmuRequest, type EmuResponse, type FamilyOptions, type EmuJsonObject, type Router } from '../framework';
import { cloneJson, compareValues, hash32, isObject } from '../familyKit';
import { ENGINES, EVENT_CATEGORIES, FLAVORS, flavorListItem } from './catalog';
import { checkBootFile } from './bootFile';
import { buildJobDoc } from './create';
import { TrainingJobs, toSeconds } from './lifecycle';
import { MAX_TAGS_PER_JOB, badJson, badParam, intQueryParam, parseSearch, parseTags, timeQuery, wrongState } from './params';
import { EVENTS_DEFAULT_LIMIT, type Fate, JOB_NUM_QUOTA, type JobDoc, type JobRecord, TRAINING_TIMINGS, type TrainingFamily } from './records';
import { type EmuSaveImageJob, parseSaveImageRequest, saveImageLines, saveImageView } from './saveImage';
import { MAX_METRIC_MINUTES, metricNames, metricValues } from './metrics';
import { seedTraining } from './seed';
import { ACTIVE, TERMINABLE } from './states';

// The training-job family (training jobs v2): create, search, get, update, delete, terminate, tags, save
// image, log preview and URL, metrics, events, tasks, stages, flavors, engines, quotas and event categories.
// The jobs themselves move on the clock in lifecycle.ts.

export class TrainingFamilyImpl extends TrainingJobs implements TrainingFamily {
  constructor(opts: FamilyOptions) {
    super(opts);
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
    const boot = checkBootFile(body.algorithm, this.opts.obs);
    const job = this.addJob(doc, boot?.failure || name.includes('fail') ? 'Failed' : 'Completed', {
      creatingMs: TRAINING_TIMINGS.creatingMs,
      pendingMs: TRAINING_TIMINGS.pendingMs,
      // A missing boot file fails the job as soon as the code download is tried.
      runMs: boot?.failure ? TRAINING_TIMINGS.codeFailureMs : TRAINING_TIMINGS.runningMs,
    }, {});
    job.bootHead = boot?.head;
    job.codeFailure = boot?.failure;
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
    const save: EmuSaveImageJob = {
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

  /**
   * A temporary link to the task's whole log: written as an object into the emulator's OBS (a hidden bucket)
   * and presigned for 5 minutes. Without an OBS (some tests) the link is a look-alike that leads nowhere.
   */
  private logUrl(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const task = this.taskFor(job, request);
    const header = request.headers['content-type'];
    const contentType = queryValue(request, 'Content-Type') ?? (typeof header === 'string' ? header : 'text/plain');
    const download = contentType.startsWith('application/octet-stream');
    const id = job.doc.metadata.id;
    const links = this.opts.logLinks;
    if (links) {
      const extra: [string, string][] = download ? [['response-content-disposition', `attachment;filename=${task}.log`]] : [['response-content-type', 'text/plain; charset=utf-8']];
      const chunks = [...this.taskLog(job, task).fullLog(request.now)];
      return { status: 200, body: { obs_url: links.publish(`${id}/${task}.log`, chunks, request.now, extra) } };
    }
    const expires = toSeconds(request.now) + 300;
    const signature = (hash32(`${id}/${task}/${expires}`) >>> 0).toString(16).padStart(8, '0');
    const disposition = download ? `&response-content-disposition=attachment%3Bfilename%3D${encodeURIComponent(task)}.log` : '&response-content-type=text%2Fplain';
    const obsUrl =
      `https://modelarts-training-log-cn-north-4.obs.cn-north-4.myhuaweicloud.com/${id}/${task}.log` +
      `?AccessKeyId=EMULATORLOGLINK&Expires=${expires}&Signature=${signature}${disposition}`;
    return { status: 200, body: { obs_url: obsUrl } };
  }

  /** Value i is the average of minute i after the job's start_time; before the run, empty series. */
  private metrics(request: EmuRequest): EmuResponse {
    const job = this.jobFor(request);
    const task = this.taskFor(job, request);
    let minutes = 0;
    if (job.runStart !== undefined) {
      const end = Math.min(request.now, job.runEnd ?? request.now);
      minutes = Math.min(MAX_METRIC_MINUTES, Math.floor((end - job.runStart) / 60_000) + 1);
    }
    const seed = job.seed ^ hash32(task);
    const metrics = metricNames(this.flavorType(job)).map((metric) => ({ metric, value: metricValues(seed, metric, minutes) }));
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
    const stage = (name: string, order: number, en: string, zh: string, start: number, end: number | undefined): EmuJsonObject => ({
      job_id: id,
      name,
      en_message: en,
      zh_message: zh,
      start_time: start,
      end_time: end ?? 0,
      stage_order: order,
      sub_stages: [],
    });
    const stages: EmuJsonObject[] = [stage('scheduling', 1, 'Scheduling resources', '资源调度中', created, running ?? ended)];
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
}

export function createTrainingFamily(opts: FamilyOptions): TrainingFamily {
  return new TrainingFamilyImpl(opts);
}
