import type { EmuRequest, FamilyOptions } from '../framework';
import { TimerQueue, cloneJson, hash32, objectAt, stringAt } from '../familyKit';
import type { FlavorType } from './catalog';
import { buildJobDoc } from './create';
import { DEFAULT_LOG_RATE, STEPS_PER_EPOCH, TaskLog, closingLines, preambleLines, trainingLineMaker } from './logs';
import { badParam, jobNotFound } from './params';
import { type EventLevel, type Fate, type JobDoc, type JobPlan, type JobRecord, type Phase, type SeedFixedJob, type SeedJobInput, TRAINING_TIMINGS, type TrainingSeedTarget } from './records';
import type { EmuSaveImageJob } from './saveImage';
import { TERMINABLE, secondaryOf } from './states';

// Training jobs on the emulator's clock: how a job is added (by a create or by the seed), moves from phase to
// phase on the timer queue, writes its events and logs, ends, and is dropped. The routes (family.ts) build on it.

export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export abstract class TrainingJobs implements TrainingSeedTarget {
  protected readonly timers = new TimerQueue();
  protected readonly jobs = new Map<string, JobRecord>();
  /** Every job ordered by (create_time, seq): the default search order needs no sort. */
  protected readonly ordered: JobRecord[] = [];
  /** Save-image jobs and planned save failures by `<job id>/<task>`. */
  protected readonly saveImages = new Map<string, EmuSaveImageJob>();
  protected readonly pendingSaveFailures = new Map<string, string>();
  private seq = 0;

  constructor(protected readonly opts: FamilyOptions) {}

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

  protected scheduleTerminate(job: JobRecord, at: number | undefined): void {
    if (at === undefined) return;
    this.timers.schedule(at, () => {
      if (TERMINABLE.has(job.doc.status.phase)) this.terminate(job, at);
    });
  }

  runDue(now: number): void {
    this.timers.runDue(now);
  }

  // ---- lifecycle ----

  protected enterCreating(job: JobRecord, at: number): void {
    job.history.push({ phase: 'Creating', at });
    this.event(job, at, 'Info', 'Training job is being created.', 'Job');
    this.planNext(job, at);
  }

  protected planNext(job: JobRecord, from: number): void {
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

  protected enter(job: JobRecord, phase: Phase, at: number): void {
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
          if (!job.codeFailure) log.startGenerating(at);
        }
        break;
      }
      case 'Completed':
      case 'Failed': {
        const failed = phase === 'Failed';
        this.endRun(job, phase, at);
        const code = failed ? 1 : 0;
        for (const task of tasks) this.event(job, at, failed ? 'Error' : 'Info', `[${task}] Training finished. Exit code ${code}.`, 'Task');
        if (failed && job.codeFailure) this.event(job, at, 'Error', job.codeFailure, 'Job');
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

  protected endRun(job: JobRecord, phase: 'Completed' | 'Failed' | 'Terminated', at: number): void {
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
    const message = phase === 'Completed' ? '' : phase === 'Failed' ? (job.codeFailure ?? 'RuntimeError: CUDA out of memory.') : 'Terminated by the user.';
    status.task_statuses = status.tasks.map((task) => ({ task, exit_code: exitCode, message }));
    for (const [task, log] of job.logs ?? []) {
      log.stopGenerating(at);
      log.append(at, closingLines(at, task, phase, job.codeFailure));
    }
  }

  protected terminate(job: JobRecord, at: number): void {
    if (job.timer) job.timer.cancelled = true;
    job.timer = undefined;
    this.enter(job, 'Terminating', at);
  }

  protected drop(job: JobRecord): void {
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

  protected addJob(doc: JobDoc, fate: Fate, plan: JobPlan, extra: { frozen?: boolean; reference?: boolean; epochs?: number | undefined } = {}): JobRecord {
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
  protected flavorType(job: JobRecord): FlavorType {
    const resource = objectAt(job.doc.spec, 'resource');
    const detail = resource ? objectAt(resource, 'flavor_detail') : undefined;
    const type = detail ? stringAt(detail, 'flavor_type') : undefined;
    return type === 'GPU' || type === 'Ascend' ? type : 'CPU';
  }

  protected durationOf(job: JobRecord, now: number): number {
    const status = job.doc.status;
    return status.phase === 'Running' && job.runStart !== undefined ? now - job.runStart : status.duration;
  }

  /** The live doc with its running duration brought up to `now`. */
  protected view(job: JobRecord, now: number): JobDoc {
    if (job.doc.status.phase === 'Running' && job.runStart !== undefined) job.doc.status.duration = now - job.runStart;
    return job.doc;
  }

  protected event(job: JobRecord, time: number, level: EventLevel, message: string, source: 'Job' | 'Task'): void {
    job.events.push({ time, level, message, source });
  }

  protected preamble(job: JobRecord, task: string, at: number): string {
    const algorithm = job.doc.algorithm;
    const codeDir = stringAt(algorithm, 'code_dir') ?? '';
    const command = stringAt(algorithm, 'command') ?? `python ${stringAt(algorithm, 'boot_file') ?? 'train.py'}`;
    // The boot file's first lines start the log (the emulator's way of showing which code ran).
    return (job.bootHead ?? '') + preambleLines(at, task, codeDir, command, job.codeFailure === undefined);
  }

  /** The task's log, built on first use from the job's run so far; later transitions write to it directly. */
  protected taskLog(job: JobRecord, task: string): TaskLog {
    job.logs ??= new Map();
    let log = job.logs.get(task);
    if (!log) {
      log = new TaskLog(trainingLineMaker(job.seed ^ hash32(task), task, job.epochs), job.logRate);
      if (job.runStart !== undefined) {
        log.append(job.runStart, this.preamble(job, task, job.runStart));
        if (!job.codeFailure) log.startGenerating(job.runStart);
        if (job.runEnd !== undefined && job.endPhase) {
          log.stopGenerating(job.runEnd);
          log.append(job.runEnd, closingLines(job.runEnd, task, job.endPhase, job.codeFailure));
        }
      }
      job.logs.set(task, log);
    }
    return log;
  }

  // ---- request helpers ----

  protected now(): number {
    const now = this.opts.clock.now();
    this.timers.runDue(now);
    return now;
  }

  protected mustJob(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no training job ${id}`);
    return job;
  }

  protected jobFor(request: EmuRequest): JobRecord {
    const id = request.params.training_job_id;
    const job = this.jobs.get(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  protected checkTask(job: JobRecord, task: string): void {
    if (!job.doc.status.tasks.includes(task)) throw new Error(`training job ${job.doc.metadata.id} has no task ${task}`);
  }

  protected taskFor(job: JobRecord, request: EmuRequest): string {
    const task = request.params.task_id;
    if (!job.doc.status.tasks.includes(task)) {
      throw badParam(`Task ${task} not found in training job ${job.doc.metadata.id}; its tasks are ${job.doc.status.tasks.join(', ')}.`);
    }
    return task;
  }
}
