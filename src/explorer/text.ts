// Row text: descriptions (status first, so no information is carried by colour alone) and markdown
// tooltips whose every value is made inert (names may carry markup, icons, bidirectional overrides).

import type * as vscode from 'vscode';
import { leaseEnd } from '../api/notebooks';
import type { App, Notebook, StepExecution, TrainingJob, Workflow, WorkflowExecution, Workspace, WorkspaceQuota } from '../api/types';
import { markdown, markdownText, type MarkdownText } from '../common/safeText';
import { stateWithRaw, stateWord } from '../common/stateWords';
import { formatServiceTime } from '../common/time';
import { englishL10n } from '../common/translate';

/**
 * `45s`, `12m`, `3h 5m`, `2d 4h`: at most two units, rounded down. `compact` keeps the larger unit only (`3h`,
 * `2d`), for row descriptions that must fit the default side bar beside a name; tooltips keep both.
 */
export function formatDuration(ms: number, l10n: typeof vscode.l10n = englishL10n, compact = false): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return l10n.t('{0}s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return l10n.t('{0}m', m);
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 || compact ? l10n.t('{0}h', h) : `${l10n.t('{0}h', h)} ${l10n.t('{0}m', m % 60)}`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 || compact ? l10n.t('{0}d', d) : `${l10n.t('{0}d', d)} ${l10n.t('{0}h', h % 24)}`;
}

function durationText(ms: number | undefined, l10n: typeof vscode.l10n): string | undefined {
  return ms === undefined ? undefined : formatDuration(ms, l10n);
}

/** A time for a tooltip: local, to the minute, with its zone (`2026-01-01 20:30 (UTC+08:00)`). */
function tooltipTime(value: number | string | undefined): string | undefined {
  return formatServiceTime(value, { zone: true });
}

/** How long to show next to a job's phase: time running, total time when ended, age while waiting to start. */
export function trainingJobSpan(job: TrainingJob, now: number): number | undefined {
  const phase = job.status.phase;
  const duration = job.status.duration ?? 0;
  const start = job.status.start_time ?? 0;
  const created = job.metadata.create_time ?? 0;
  if (phase === 'Running') return duration > 0 ? duration : start > 0 ? now - start : created > 0 ? now - created : undefined;
  if (phase === 'Creating' || phase === 'Pending') return created > 0 ? now - created : undefined;
  return duration > 0 ? duration : undefined;
}

/** `Running · 12m` */
export function trainingJobDescription(job: TrainingJob, now: number, l10n: typeof vscode.l10n): string {
  const text = stateWord('trainingJob', job.status.phase, l10n);
  const span = trainingJobSpan(job, now);
  return span === undefined ? text : `${text} · ${formatDuration(span, l10n, true)}`;
}

/** `Running · 59m left`: the lease countdown while running. */
export function notebookDescription(nb: Notebook, now: number, l10n: typeof vscode.l10n): string {
  const text = stateWord('notebook', nb.status, l10n);
  if (nb.status !== 'RUNNING') return text;
  const end = leaseEnd(nb);
  if (end === undefined) return `${text} · ${l10n.t('no auto-stop')}`;
  const left = end - now;
  return `${text} · ${left > 60_000 ? l10n.t('{0} left', formatDuration(left, l10n, true)) : l10n.t('under 1m left')}`;
}

/** The workflow's state: its own, else its latest execution's, else never executed (as the list filter has it). */
export function workflowState(wf: Workflow): string {
  return wf.status ?? wf.latest_execution?.status ?? 'never_executed';
}

// ---------------------------------------------------------------- tooltips

type Field = [label: string, value: string | number | undefined];

/** `**name**` then one `Label: value` line per known field, every value made inert. */
export function markdownTooltip(title: string, fields: readonly Field[], problems: readonly string[] | undefined, l10n: typeof vscode.l10n): MarkdownText {
  const body: MarkdownText[] = [];
  for (const [label, value] of fields) {
    if (value === undefined || value === '') continue;
    body.push(markdown`${markdownText(label)}: ${markdownText(String(value))}`);
  }
  if (problems && problems.length > 0) body.push(markdown`$(warning) ${markdownText(l10n.t('Problems: {0}', problems.join('; ')))}`);
  // Lines end with two spaces: a markdown line break.
  const lines = body.reduce((out, line, i) => (i === 0 ? line : markdown`${out}  \n${line}`), markdown``);
  return markdown`**${markdownText(title)}**\n\n${lines}`;
}

export function workspaceTooltip(ws: Workspace, quotas: readonly WorkspaceQuota[] | undefined, l10n: typeof vscode.l10n): MarkdownText {
  const fields: Field[] = [
    [l10n.t('Status'), stateWithRaw('workspace', ws.status, l10n)],
    [l10n.t('Owner'), ws.owner],
    [l10n.t('Auth type'), ws.auth_type],
    [l10n.t('ID'), ws.id],
    [l10n.t('Created'), tooltipTime(ws.create_time)],
    [l10n.t('Description'), ws.description],
    [l10n.t('Enterprise project'), ws.enterprise_project_name],
  ];
  for (const q of quotas ?? []) {
    const limit = q.quota === undefined ? undefined : q.quota < 0 ? l10n.t('unlimited') : String(q.quota);
    const amount = limit === undefined || q.used_quota === undefined || q.used_quota === null ? limit : l10n.t('{0} used of {1}', q.used_quota, limit);
    fields.push([l10n.t('Quota {0}', q.name_en ?? q.resource), amount === undefined ? undefined : `${amount}${q.unit_en ? ` ${q.unit_en}` : ''}`]);
  }
  return markdownTooltip(ws.name || ws.id, fields, ws.problems, l10n);
}

/**
 * Why a failed or abnormal job ended, in the service's words: the message of a task that failed (else of any
 * task), with the task and its run's end reason: `RuntimeError: CUDA out of memory. (worker-0: exit with 1)`.
 */
export function trainingJobFailure(job: TrainingJob): string | undefined {
  const { phase, task_statuses: tasks = [], running_records: records = [] } = job.status;
  if (phase !== 'Failed' && phase !== 'Abnormal') return undefined;
  const task = tasks.find((t) => t.message && t.exit_code !== undefined && t.exit_code !== 0) ?? tasks.find((t) => t.message);
  const record = [...records].reverse().find((r) => r.end_reason);
  const where = task?.task ?? record?.end_related_task;
  const how = record?.end_reason;
  if (task?.message) {
    const context = [where, how].filter(Boolean).join(': ');
    return context ? `${task.message} (${context})` : task.message;
  }
  return how && (where ? `${how} (${where})` : how);
}

export function trainingJobTooltip(job: TrainingJob, now: number, l10n: typeof vscode.l10n): MarkdownText {
  const res = job.spec?.resource;
  const engine = job.algorithm?.engine;
  const engineText = [engine?.engine_name, engine?.engine_version].filter(Boolean).join(' ') || engine?.engine_id;
  return markdownTooltip(
    job.metadata.name || job.metadata.id,
    [
      [l10n.t('Status'), stateWithRaw('trainingJob', job.status.phase, l10n, job.status.secondary_phase)],
      [l10n.t('Reason'), trainingJobFailure(job)],
      [l10n.t('Flavor'), res?.flavor_name ?? res?.flavor_id],
      [l10n.t('Engine'), engineText],
      [l10n.t('Nodes'), res?.node_count],
      [l10n.t('Image'), engine?.image_url],
      [l10n.t('Created'), tooltipTime(job.metadata.create_time)],
      [l10n.t('Duration'), durationText(trainingJobSpan(job, now), l10n)],
      [l10n.t('Owner'), job.metadata.user_name],
      [l10n.t('Description'), job.metadata.description],
      [l10n.t('ID'), job.metadata.id],
    ],
    job.problems,
    l10n,
  );
}

export function taskTooltip(job: TrainingJob, task: string, l10n: typeof vscode.l10n): MarkdownText {
  const status = job.status.task_statuses?.find((s) => s.task === task);
  return markdownTooltip(
    task,
    [
      [l10n.t('Training job'), job.metadata.name],
      [l10n.t('Job status'), stateWithRaw('trainingJob', job.status.phase, l10n)],
      [l10n.t('Exit code'), status?.exit_code],
      [l10n.t('Message'), status?.message],
    ],
    undefined,
    l10n,
  );
}

/** `exit code 0` when the task has ended; nothing while it runs. */
export function taskDescription(job: TrainingJob, task: string, l10n: typeof vscode.l10n): string | undefined {
  const status = job.status.task_statuses?.find((s) => s.task === task);
  return status?.exit_code === undefined ? undefined : l10n.t('exit code {0}', status.exit_code);
}

export function notebookTooltip(nb: Notebook, now: number, l10n: typeof vscode.l10n): MarkdownText {
  const end = leaseEnd(nb);
  const image = nb.image ? (nb.image.name ? `${nb.image.name}${nb.image.tag ? `:${nb.image.tag}` : ''}` : nb.image.swr_path) : undefined;
  const leaseText = end === undefined ? (nb.lease ? l10n.t('no auto-stop') : undefined) : `${tooltipTime(end) ?? ''}${nb.status === 'RUNNING' && end > now ? `, ${l10n.t('in {0}', formatDuration(end - now, l10n))}` : ''}`;
  return markdownTooltip(
    nb.name || nb.id,
    [
      [l10n.t('Status'), stateWithRaw('notebook', nb.status, l10n)],
      [l10n.t('Reason'), nb.fail_reason],
      [l10n.t('Flavor'), nb.flavor],
      [l10n.t('Image'), image],
      [l10n.t('Lease end'), leaseText],
      [l10n.t('Storage'), nb.volume ? [nb.volume.category, nb.volume.capacity === undefined ? undefined : `${nb.volume.capacity} GB`].filter(Boolean).join(' ') : undefined],
      [l10n.t('Created'), tooltipTime(nb.create_at)],
      [l10n.t('Owner'), nb.user_id],
      [l10n.t('Description'), nb.description],
      [l10n.t('ID'), nb.id],
    ],
    nb.problems,
    l10n,
  );
}

export function workflowTooltip(wf: Workflow, l10n: typeof vscode.l10n): MarkdownText {
  return markdownTooltip(
    wf.name || wf.workflow_id,
    [
      [l10n.t('Status'), stateWithRaw('workflow', workflowState(wf), l10n)],
      [l10n.t('Steps'), wf.steps?.length],
      [l10n.t('Runs'), wf.run_count],
      [l10n.t('Latest execution'), wf.latest_execution?.status === undefined ? undefined : stateWithRaw('execution', wf.latest_execution.status, l10n)],
      [l10n.t('Created'), tooltipTime(wf.created_at)],
      [l10n.t('Owner'), wf.user_name],
      [l10n.t('Description'), wf.description],
      [l10n.t('ID'), wf.workflow_id],
    ],
    wf.problems,
    l10n,
  );
}

export function executionTooltip(ex: WorkflowExecution, l10n: typeof vscode.l10n): MarkdownText {
  const running = ex.steps_execution.filter((s) => s.status === 'running').map((s) => s.step_name);
  return markdownTooltip(
    ex.name ?? ex.execution_id,
    [
      [l10n.t('Status'), stateWithRaw('execution', ex.status, l10n)],
      [l10n.t('Running steps'), running.join(', ')],
      [l10n.t('Steps'), ex.steps_execution.length],
      [l10n.t('Created'), tooltipTime(ex.created_at)],
      [l10n.t('Workflow'), ex.workflow_name],
      [l10n.t('Description'), ex.description],
      [l10n.t('ID'), ex.execution_id],
    ],
    ex.problems,
    l10n,
  );
}

export function stepTooltip(step: StepExecution, l10n: typeof vscode.l10n): MarkdownText {
  const error = step.error_info?.error_message ? `${step.error_info.error_message}${step.error_info.error_code ? ` (${step.error_info.error_code})` : ''}` : undefined;
  return markdownTooltip(
    step.step_title ? `${step.step_name} — ${step.step_title}` : step.step_name || step.uuid,
    [
      [l10n.t('Status'), stateWithRaw('step', step.status, l10n)],
      [l10n.t('Reason'), error],
      [l10n.t('Type'), step.type],
      [l10n.t('Created'), tooltipTime(step.created_at)],
      [l10n.t('Duration'), durationText(step.duration === undefined ? undefined : step.duration * 1000, l10n)],
      [l10n.t('ID'), step.uuid],
    ],
    step.problems,
    l10n,
  );
}

/** `APIG · created 40d ago`: the type, then the age. No key or secret ever goes into a row. */
export function appDescription(app: App, now: number, l10n: typeof vscode.l10n): string {
  const type = app.app_type ?? l10n.t('unknown');
  const created = app.created_at;
  return created === undefined || created <= 0 ? type : `${type} · ${l10n.t('created {0} ago', formatDuration(now - created, l10n, true))}`;
}

/** The app's name, type, remark, bound APIs, times and id: never its AppKey, AppSecret or AppCodes. */
export function appTooltip(app: App, l10n: typeof vscode.l10n): MarkdownText {
  return markdownTooltip(
    app.app_name || app.app_id,
    [
      [l10n.t('Type'), app.app_type],
      [l10n.t('Description'), app.app_remark],
      [l10n.t('Bound APIs'), app.bounded_api_count],
      [l10n.t('Created'), tooltipTime(app.created_at)],
      [l10n.t('Updated'), tooltipTime(app.updated_at)],
      [l10n.t('ID'), app.app_id],
    ],
    app.problems,
    l10n,
  );
}
