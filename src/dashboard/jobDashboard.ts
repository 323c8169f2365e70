// One job's dashboard, without the panel: what it reads, when, and the messages it posts. The first load reads
// the job, its tags and events, the chosen task's resource metrics, and the task's whole log (streamed through
// its temporary OBS link and parsed as it arrives, the curves posted every few hundred milliseconds, so the
// first frame does not wait for the last byte). Then, while the job runs and the panel is visible, one round
// per interval: the job, its events, the metrics (once a minute: they are per-minute averages) and the log's
// new text, read by the dashboard itself unless a Follow Logs channel already follows the task, whose text it
// then hears instead (one read of a log, never two). Hidden: no timer, no request. Ended: read once, never
// polled. Plain Node: the panel (dashboardPanel.ts) wires it to a webview; tests drive it on a ManualClock.

import type * as vscode from 'vscode';
import type { Clock } from '../api/clock';
import type { ModelArtsClient } from '../api/client';
import { isFinal, TRAINING_JOB_LIFECYCLE } from '../api/lifecycle';
import type { Redactor } from '../api/redact';
import { trainingTaskOutput } from '../api/trainingTaskOutput';
import type { TrainingJob, TrainingJobEvent, TrainingMetrics } from '../api/types';
import type { LogLinkPlace } from './fullLog';
import type { MetricMark } from '../watch/logMetrics';
import type { LogTap } from '../watch/streams';
import { startTimer, type Timer } from '../watch/timer';
import { readWholeLog, type JobCurves, type JobCurvesCache } from './jobCurves';
import { curveCsv, jobHeader, resourceCsv, resourcesMessage, timelineMessage } from './jobView';
import type { CurvesMessage, HostMessage, ResourcesMessage } from './protocol';
import { LogCursor } from '../watch/logFollower';

/**
 * The metrics are one average per minute of the service's time: reading them more often only repeats the answer.
 * (The demo's service time runs faster than the clock on the wall, so its minutes come sooner.)
 */
export const METRICS_EVERY_MS = 60_000;
/** While the full log streams in, curves are posted at most this often. */
export const PROGRESS_EVERY_MS = 250;
const EVENTS_PAGE = 100;

/** The Follow Logs channels: whether a task's log is followed, and its text as it is read. */
export interface FollowedLogs {
  has(key: string): boolean;
  listen(key: string, tap: LogTap): { dispose(): void };
}

export interface JobDashboardOptions {
  session: { profile: string; client: ModelArtsClient; serviceClock: Clock };
  jobId: string;
  /** The task shown first; default the first of the job's tasks. */
  task?: string;
  post(message: HostMessage): void;
  l10n: typeof vscode.l10n;
  /** The clock of the rounds (real in use, manual in tests). */
  clock: Clock;
  intervalMs(): number;
  patterns(): readonly string[];
  logs: FollowedLogs;
  /** The stream key of a task's log follow, shared with Follow Logs. */
  logKey(profile: string, jobId: string, task: string): string;
  cache: JobCurvesCache;
  place: LogLinkPlace;
  redactor: Redactor;
  log: { warn(text: string): void; info(text: string): void };
  /** What a failure looks like to the user (the error wrapper's text). */
  describe(error: unknown): string;
}

/** What one dashboard did, for tests and the bench. */
export interface JobDashboardStats {
  rounds: number;
  logBytesRead: number;
  previewReads: number;
  metricsReads: number;
}

export class JobDashboard {
  private job: TrainingJob | undefined;
  private tags: string[] = [];
  private events: readonly TrainingJobEvent[] = [];
  private task: string | undefined;
  private resources: ResourcesMessage | undefined;
  private curves: JobCurves | undefined;
  private curvesKey = '';
  private mark: MetricMark | undefined;
  private tap: { dispose(): void } | undefined;
  private metricsReadAt = Number.NEGATIVE_INFINITY;
  /**
   * The whole log of this task was read (or its link failed): later rounds read the log preview only, also when
   * the log was still empty then (a waiting job), rather than a new link each round.
   */
  private fullLogRead = false;
  private visible = true;
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private readonly controller = new AbortController();
  private readonly latest = new Map<string, Exclude<HostMessage, CurvesMessage>>();
  private disposed = false;
  readonly stats: JobDashboardStats = { rounds: 0, logBytesRead: 0, previewReads: 0, metricsReads: 0 };

  constructor(private readonly options: JobDashboardOptions) {
    this.task = options.task;
  }

  /** The job as last read. */
  get current(): TrainingJob | undefined {
    return this.job;
  }

  get jobName(): string {
    return this.job?.metadata.name ?? this.options.jobId;
  }

  get currentTask(): string | undefined {
    return this.task;
  }

  /** Whether the job has ended (then nothing is ever polled). */
  get ended(): boolean {
    return this.job !== undefined && isFinal(TRAINING_JOB_LIFECYCLE, this.job.status.phase);
  }

  /** The first load; later rounds follow while the job runs and the panel is visible. */
  start(): Promise<void> {
    return this.round(true);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) {
      this.timer?.cancel();
      this.timer = undefined;
    } else if (!this.timer && !this.running && this.job && !this.ended) {
      // Back in view: catch up at once rather than an interval later.
      void this.round(false);
    }
  }

  /** Another task of a multi-node job: its metrics and curves. */
  async selectTask(task: string): Promise<void> {
    if (!this.job?.status.tasks.includes(task) || task === this.task) return;
    this.task = task;
    this.metricsReadAt = Number.NEGATIVE_INFINITY;
    this.attachCurves(true);
    await this.readMetrics(this.controller.signal);
    await this.readCurves(this.controller.signal);
  }

  /** A chart's numbers as CSV (`resource:<name>` or `curve:<name>`), or undefined for a chart it does not have. */
  csv(chart: string): string | undefined {
    const [kind, name] = [chart.slice(0, chart.indexOf(':')), chart.slice(chart.indexOf(':') + 1)];
    if (kind === 'resource' && this.resources) return resourceCsv(this.resources, name);
    const series = kind === 'curve' ? this.curves?.parser.series().get(name) : undefined;
    return series && this.curves ? curveCsv(name, this.curves.parser.axis, series) : undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.tap?.dispose();
    this.controller.abort();
  }

  // ---------------------------------------------------------------- rounds

  private round(first: boolean): Promise<void> {
    const run = (async () => {
      this.timer = undefined;
      const signal = this.controller.signal;
      try {
        await this.readJob(signal, first);
        // Every round: a job that listed no task at first gets its curves once one appears (a no-op otherwise).
        this.attachCurves(true);
        await Promise.all([this.readMetrics(signal), this.readCurves(signal)]);
        this.stats.rounds++;
      } catch (error) {
        if (!this.disposed) this.status(this.options.describe(error), 'error');
      }
    })();
    this.running = run;
    return run.finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.disposed || !this.visible || this.timer || !this.job || (this.ended && this.curves?.complete !== false)) return;
    this.timer = startTimer(this.options.clock, this.options.intervalMs(), () => void this.round(false));
  }

  private status(text: string, level: 'info' | 'warning' | 'error'): void {
    this.send({ type: 'status', text, level });
  }

  /** Posts a message and keeps the latest of each kind but curves, to show again in a reloaded webview. */
  private send(message: Exclude<HostMessage, CurvesMessage>): void {
    this.latest.set(message.type, message);
    this.options.post(message);
  }

  /** Everything shown so far, again: the webview was reloaded (it is not kept while hidden). */
  replay(): void {
    for (const message of this.latest.values()) this.options.post(message);
    this.postCurves(true);
  }

  private async readJob(signal: AbortSignal, first: boolean): Promise<void> {
    const { client } = this.options.session;
    const [job, tags, events] = await Promise.all([
      client.trainingJobs.get(this.options.jobId, signal),
      first ? client.trainingJobs.getTags(this.options.jobId, signal).catch(() => []) : undefined,
      client.trainingJobs.events(this.options.jobId, { pageSize: EVENTS_PAGE }).loadNext(signal).catch(() => this.events),
    ]);
    this.job = job;
    if (tags) this.tags = tags.map((t) => (t.value !== undefined ? `${t.key}=${t.value}` : t.values?.length ? `${t.key}=${t.values.join(',')}` : t.key));
    this.events = events;
    const tasks = job.status.tasks.filter((t) => t !== '');
    if (!this.task || !tasks.includes(this.task)) this.task = tasks[0];
    const now = this.options.session.serviceClock.now();
    this.send({ type: 'header', header: jobHeader({ job, now, tags: this.tags, l10n: this.options.l10n }) });
    this.send(timelineMessage({ job, events: this.events, now, l10n: this.options.l10n }));
  }

  private async readMetrics(signal: AbortSignal): Promise<void> {
    const { job, task } = this;
    if (!job || !task) {
      const { l10n } = this.options;
      if (job) this.status(l10n.t('{0} has no tasks yet: its charts appear once it runs.', this.jobName), 'info');
      return;
    }
    const now = this.options.session.serviceClock.now();
    if (now - this.metricsReadAt < METRICS_EVERY_MS) return;
    this.metricsReadAt = now;
    let metrics: TrainingMetrics;
    try {
      metrics = await trainingTaskOutput(this.options.session.client).getMetrics(job.metadata.id, task, signal);
      this.stats.metricsReads++;
    } catch (error) {
      this.metricsReadAt = Number.NEGATIVE_INFINITY;
      throw error;
    }
    // Another task was chosen meanwhile: its own read shows its charts; this older answer must not cover them.
    if (task !== this.task) return;
    const tasks = job.status.tasks.filter((t) => t !== '');
    const start = job.status.start_time || job.metadata.create_time || now;
    this.resources = resourcesMessage({ metrics, tasks, task, start, l10n: this.options.l10n });
    this.send(this.resources);
  }

  // ---------------------------------------------------------------- curves

  /** Takes the task's curves from the cache (or a new, empty one) and, when asked, posts all their points. */
  private attachCurves(reset: boolean): void {
    const { job, task } = this;
    if (!job || !task) return;
    const key = this.options.logKey(this.options.session.profile, job.metadata.id, task);
    if (key === this.curvesKey && this.curves) return;
    this.tap?.dispose();
    this.tap = undefined;
    this.fullLogRead = false;
    this.curvesKey = key;
    this.curves = this.options.cache.take(key, this.options.patterns()).curves;
    this.mark = undefined;
    if (reset) this.postCurves(true);
  }

  private postCurves(reset: boolean): void {
    const curves = this.curves;
    if (!curves) return;
    const { mark, points } = curves.pointsSince(reset ? undefined : this.mark);
    this.mark = mark;
    if (!reset && points.length === 0) return;
    const message: CurvesMessage = {
      type: 'curves',
      reset,
      axis: curves.parser.axis,
      series: points.map((p) => ({ name: p.name, from: p.from, x: Array.from(p.x), y: Array.from(p.y) })),
    };
    this.options.post(message);
  }

  private async readCurves(signal: AbortSignal): Promise<void> {
    const { job, task, curves } = this;
    if (!job || !task || !curves || curves.complete) return;
    const key = this.curvesKey;
    const ended = this.ended;
    if (curves.offset === 0 && !this.fullLogRead) {
      // Listening first: what a channel reads while the whole log streams in is placed by its byte offset.
      this.listen(key, curves);
      await this.readFullLog(job.metadata.id, task, curves, signal);
    } else if (this.options.logs.has(key)) {
      this.listen(key, curves);
    } else {
      this.tap?.dispose();
      this.tap = undefined;
      const preview = await this.options.session.client.trainingJobs.getLogPreview(job.metadata.id, task, signal);
      this.stats.previewReads++;
      if (!preview.notReady) {
        // A cursor at what is read: the preview's window places its text in the whole log.
        const cursor = new LogCursor(curves.offset);
        const step = cursor.take(preview);
        curves.pushText(step.text, cursor.position);
      }
    }
    if (ended && curves.offset > 0) curves.finish();
    this.postCurves(false);
  }

  private listen(key: string, curves: JobCurves): void {
    if (this.tap) return;
    this.tap = this.options.logs.listen(key, (text, end) => {
      if (this.curves !== curves) return;
      curves.pushText(text, end);
      if (curves.offset > 0 && !this.running) this.postCurves(false);
    });
  }

  private async readFullLog(jobId: string, task: string, curves: JobCurves, signal: AbortSignal): Promise<void> {
    const { l10n } = this.options;
    this.status(l10n.t('Reading the whole log of {0}…', task), 'info');
    let postedAt = this.options.clock.now();
    this.fullLogRead = true;
    try {
      const bytes = await readWholeLog(curves, {
        client: this.options.session.client,
        jobId,
        task,
        place: this.options.place,
        redactor: this.options.redactor,
        signal,
        onChunk: () => {
          const now = this.options.clock.now();
          if (now - postedAt >= PROGRESS_EVERY_MS) {
            postedAt = now;
            this.postCurves(false);
          }
        },
      });
      this.stats.logBytesRead += bytes;
      this.status(l10n.t('Read the whole log of {0}: {1} lines.', task, curves.parser.stats.lines), 'info');
    } catch (error) {
      // The next open reads it again from the start; this one goes on with the log preview.
      this.options.cache.drop(this.curvesKey, curves);
      this.options.log.warn(`Dashboard: the whole log of ${jobId}/${task} could not be read: ${this.options.describe(error)}`);
      this.status(l10n.t('The whole log of {0} could not be read ({1}); the curves show what was read.', task, this.options.describe(error)), 'warning');
    }
  }
}
