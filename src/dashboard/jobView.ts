// What a job's dashboard shows, built from what the API answered: the header, the resource series of a task,
// the timeline, and the numbers of each chart as CSV. No vscode at run time: the words come through the l10n
// given, so plain-Node tests build every message.

import type * as vscode from 'vscode';
import { actionsIn, meaningOf, TRAINING_JOB_LIFECYCLE, isFinal } from '../api/lifecycle';
import type { TrainingJob, TrainingJobEvent, TrainingMetrics } from '../api/types';
import { stateWord } from '../common/stateWords';
import { formatServiceTime } from '../common/time';
import { formatDuration, trainingJobFailure, trainingJobSpan } from '../explorer/text';
import { toCsv as csvOf } from './view/store';
import type { DashboardAction, DashboardHeader, HeaderField, ResourcesMessage, StateTone, TimelineMessage, TimelinePhase } from './protocol';

type L10n = typeof vscode.l10n;

/** How a state is drawn, from its lifecycle category (the tree's icons use the same table). */
export function stateTone(phase: string | undefined): StateTone {
  switch (meaningOf(TRAINING_JOB_LIFECYCLE, phase)?.category) {
    case 'running':
      return 'running';
    case 'transitional':
    case 'pending':
      return 'moving';
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    case 'stopped':
      return 'stopped';
    default:
      return 'unknown';
  }
}

/** When a job ended: its start plus its duration, once it is final. */
export function jobEnd(job: TrainingJob): number | undefined {
  const { start_time: start, duration } = job.status;
  return isFinal(TRAINING_JOB_LIFECYCLE, job.status.phase) && start && duration !== undefined ? start + duration : undefined;
}

/** `1 × GPU (8GB)`, `8 × Ascend`: what the flavor detail says of the accelerator; undefined for CPU flavors. */
export function acceleratorOf(job: TrainingJob): string | undefined {
  const detail = job.spec?.resource?.flavor_detail as { flavor_type?: unknown; flavor_info?: Record<string, unknown> } | undefined;
  const type = typeof detail?.flavor_type === 'string' ? detail.flavor_type : undefined;
  if (!type || type === 'CPU') return undefined;
  const info = detail?.flavor_info?.[type === 'Ascend' ? 'npu' : 'gpu'] as { unit_num?: unknown; memory?: unknown; product_name?: unknown } | undefined;
  const count = typeof info?.unit_num === 'number' ? `${info.unit_num} × ` : '';
  const product = typeof info?.product_name === 'string' ? ` ${info.product_name}` : '';
  const memory = typeof info?.memory === 'string' ? ` (${info.memory})` : '';
  return `${count}${type}${product}${memory}`;
}

export interface HeaderInput {
  job: TrainingJob;
  /** The service's time now. */
  now: number;
  tags: readonly string[];
  l10n: L10n;
}

export function jobHeader({ job, now, tags, l10n }: HeaderInput): DashboardHeader {
  const resource = job.spec?.resource;
  const span = trainingJobSpan(job, now);
  const end = jobEnd(job);
  const raw: [string, string | number | undefined][] = [
    [l10n.t('Flavor'), resource?.flavor_name ?? resource?.flavor_id],
    [l10n.t('Accelerator'), acceleratorOf(job)],
    [l10n.t('Nodes'), resource?.node_count],
    [l10n.t('Duration'), span === undefined ? undefined : formatDuration(span, l10n)],
    [l10n.t('Started'), formatServiceTime(job.status.start_time, { zone: true })],
    [l10n.t('Ended'), formatServiceTime(end, { zone: true })],
    [l10n.t('Reason'), trainingJobFailure(job)],
    [l10n.t('ID'), job.metadata.id],
  ];
  const fields: HeaderField[] = raw.filter((f): f is [string, string | number] => f[1] !== undefined && f[1] !== '').map(([label, value]) => ({ label, value: String(value) }));
  const allowed = actionsIn(TRAINING_JOB_LIFECYCLE, job.status.phase);
  const hasTasks = job.status.tasks.some((t) => t !== '');
  const actions: { action: DashboardAction; label: string }[] = [];
  if (hasTasks) actions.push({ action: 'followLogs', label: l10n.t('Follow Logs') });
  if (allowed.includes('stop')) actions.push({ action: 'stop', label: l10n.t('Stop') });
  if (allowed.includes('saveImage')) actions.push({ action: 'saveImage', label: l10n.t('Save Image') });
  if ((job.algorithm?.outputs ?? []).length > 0) actions.push({ action: 'openOutputs', label: l10n.t('Open Outputs in OBS') });
  if (hasTasks) actions.push({ action: 'downloadLog', label: l10n.t('Download Full Log') });
  return {
    title: job.metadata.name || job.metadata.id,
    state: stateWord('trainingJob', job.status.phase, l10n),
    tone: stateTone(job.status.phase),
    fields: fields.map((f) => ({ label: f.label.slice(0, 200), value: f.value.slice(0, 2_000) })),
    tags: tags.slice(0, 64).map((t) => t.slice(0, 300)),
    actions,
    live: !isFinal(TRAINING_JOB_LIFECYCLE, job.status.phase),
  };
}

/** The resource metrics in the order shown, with their chart titles. */
export function resourceLabel(name: string, l10n: L10n): string {
  switch (name) {
    case 'cpuUsage':
      return l10n.t('CPU usage (%)');
    case 'memUsage':
      return l10n.t('Memory usage (%)');
    case 'gpuUtil':
      return l10n.t('GPU utilization (%)');
    case 'gpuMemUsage':
      return l10n.t('GPU memory usage (%)');
    case 'npuUtil':
      return l10n.t('NPU utilization (%)');
    case 'npuMemUsage':
      return l10n.t('NPU memory usage (%)');
    default:
      return name;
  }
}

const ORDER = ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage', 'npuUtil', 'npuMemUsage'];
const rank = (name: string): number => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);

/**
 * A task's resource charts: the series with at least one value (a CPU job has no GPU data), in the usual
 * order; minute 0 is the job's start. Nothing yet: a note says so.
 */
export function resourcesMessage(input: { metrics: TrainingMetrics; tasks: string[]; task: string; start: number; l10n: L10n }): ResourcesMessage {
  const { metrics, tasks, task, start, l10n } = input;
  const base = { type: 'resources' as const, tasks, task, start, stepMs: 60_000 };
  if (metrics.status === 'notReady') return { ...base, series: [], note: l10n.t('No resource metrics for {0} yet: the service reports them about a minute after the task starts.', task) };
  const series = Object.entries(metrics.series)
    .filter(([, values]) => values.some((v) => v !== null))
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, values]) => ({ name, label: resourceLabel(name, l10n), values }));
  return series.length > 0 ? { ...base, series } : { ...base, series, note: l10n.t('The service has no resource data for {0}.', task) };
}

const EVENT_LEVEL: Record<string, 'info' | 'warning' | 'error'> = { Info: 'info', Warning: 'warning', Error: 'error' };

/** The job's phases on one time axis (waiting, running, its end) and its events, newest first. */
export function timelineMessage(input: { job: TrainingJob; events: readonly TrainingJobEvent[]; now: number; l10n: L10n }): TimelineMessage {
  const { job, events, now, l10n } = input;
  const created = job.metadata.create_time;
  const start = job.status.start_time || undefined;
  const end = jobEnd(job);
  const phase = job.status.phase;
  const phases: TimelinePhase[] = [];
  if (created) phases.push({ label: l10n.t('Waiting'), tone: 'moving', from: created, ...(start ? { to: start } : end ? { to: end } : {}) });
  if (start) phases.push({ label: stateWord('trainingJob', 'Running', l10n), tone: 'running', from: start, ...(end ? { to: end } : {}) });
  if (end) phases.push({ label: stateWord('trainingJob', phase, l10n), tone: stateTone(phase), from: end, to: end });
  const timed = events
    .map((e) => ({ time: Date.parse(e.time ?? ''), text: e.message.slice(0, 2_000), level: EVENT_LEVEL[e.level ?? 'Info'] ?? 'info' }))
    .filter((e) => Number.isFinite(e.time))
    .sort((a, b) => b.time - a.time)
    .slice(0, 500);
  return { type: 'timeline', phases, events: timed, now: end ?? now };
}

// ---------------------------------------------------------------- Copy as CSV

// One CSV writer for the page's tables and the extension's Copy as CSV: the page's store has no DOM in it.
export { csvField, toCsv as csvOf } from './view/store';

/** A resource chart's numbers: the minute's time (ISO, UTC) and its value, empty where the service had none. */
export function resourceCsv(message: ResourcesMessage, name: string): string | undefined {
  const series = message.series.find((s) => s.name === name);
  if (!series) return undefined;
  return csvOf(['time', name], function* () {
    for (let i = 0; i < series.values.length; i++) yield [new Date(message.start + i * message.stepMs).toISOString(), series.values[i]];
  }());
}

/** A training curve's numbers: its x (step, epoch or line) and its value. */
export function curveCsv(name: string, axis: string, series: { x: ArrayLike<number>; y: ArrayLike<number>; length: number }): string {
  return csvOf([axis, name], function* () {
    for (let i = 0; i < series.length; i++) yield [series.x[i], series.y[i]];
  }());
}
