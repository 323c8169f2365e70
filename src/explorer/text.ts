// Row text: descriptions (status first, so no information is carried by colour alone) and markdown
// tooltips whose every value is escaped (names may carry markup).

import type { App, Notebook, StepExecution, TrainingJob, Workflow, WorkflowExecution, Workspace, WorkspaceQuota } from '../api/types';
import { formatMessage, type Translate } from '../common/translate';

/** Escapes CommonMark punctuation so API text renders as text; line breaks become spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&:"'=$]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, ' ');
}

/** `45s`, `12m`, `3h 5m`, `2d 4h`: at most two units, rounded down. */
export function formatDuration(ms: number, t: Translate = formatMessage): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('{0}s', s);
  const m = Math.floor(s / 60);
  if (m < 60) return t('{0}m', m);
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? t('{0}h', h) : `${t('{0}h', h)} ${t('{0}m', m % 60)}`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? t('{0}d', d) : `${t('{0}d', d)} ${t('{0}h', h % 24)}`;
}

function durationText(ms: number | undefined, t: Translate): string | undefined {
  return ms === undefined ? undefined : formatDuration(ms, t);
}

/** UTC, minute precision: `2026-01-01 08:30 UTC`. */
export function formatTime(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return undefined;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An RFC 3339 time as the API sent it, shortened to the minute when it parses. */
export function formatIsoTime(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? formatTime(ms) : value;
}

/** The text of a status, `unknown` when the API sent none. */
export function statusText(status: string | undefined, t: Translate): string {
  return status === undefined || status === '' ? t('unknown') : status;
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
export function trainingJobDescription(job: TrainingJob, now: number, t: Translate): string {
  const text = statusText(job.status.phase, t);
  const span = trainingJobSpan(job, now);
  return span === undefined ? text : `${text} · ${formatDuration(span, t)}`;
}

/** When the notebook's lease stops it (ms epoch), or undefined when it has no auto-stop. */
export function leaseEnd(nb: Notebook): number | undefined {
  const lease = nb.lease;
  if (!lease || lease.enable === false || lease.create_at === undefined || lease.duration === undefined || lease.duration <= 0) return undefined;
  return lease.create_at + lease.duration;
}

/** `RUNNING · stops in 1h`: the lease countdown while running. */
export function notebookDescription(nb: Notebook, now: number, t: Translate): string {
  const text = statusText(nb.status, t);
  if (nb.status !== 'RUNNING') return text;
  const end = leaseEnd(nb);
  if (end === undefined) return `${text} · ${t('no auto-stop')}`;
  const left = end - now;
  return `${text} · ${left > 60_000 ? t('stops in {0}', formatDuration(left, t)) : t('stops in under a minute')}`;
}

/** The workflow's state: its own, else its latest execution's, else never executed (as the list filter has it). */
export function workflowState(wf: Workflow): string {
  return wf.status ?? wf.latest_execution?.status ?? 'never_executed';
}

// ---------------------------------------------------------------- tooltips

type Field = [label: string, value: string | number | undefined];

/** `**name**` then one `Label: value` line per known field, every value escaped. */
export function markdownTooltip(title: string, fields: readonly Field[], problems: readonly string[] | undefined, t: Translate): string {
  const lines = [`**${escapeMarkdown(title)}**`, ''];
  const body: string[] = [];
  for (const [label, value] of fields) {
    if (value === undefined || value === '') continue;
    body.push(`${escapeMarkdown(label)}: ${escapeMarkdown(String(value))}`);
  }
  if (problems && problems.length > 0) body.push(`$(warning) ${escapeMarkdown(t('Problems: {0}', problems.join('; ')))}`);
  return [...lines, body.join('  \n')].join('\n');
}

export function workspaceTooltip(ws: Workspace, quotas: readonly WorkspaceQuota[] | undefined, t: Translate): string {
  const fields: Field[] = [
    [t('Status'), statusText(ws.status, t)],
    [t('Owner'), ws.owner],
    [t('Auth type'), ws.auth_type],
    [t('ID'), ws.id],
    [t('Created'), formatTime(ws.create_time)],
    [t('Description'), ws.description],
    [t('Enterprise project'), ws.enterprise_project_name],
  ];
  for (const q of quotas ?? []) {
    const limit = q.quota === undefined ? undefined : q.quota < 0 ? t('unlimited') : String(q.quota);
    const amount = limit === undefined || q.used_quota === undefined || q.used_quota === null ? limit : t('{0} used of {1}', q.used_quota, limit);
    fields.push([t('Quota {0}', q.name_en ?? q.resource), amount === undefined ? undefined : `${amount}${q.unit_en ? ` ${q.unit_en}` : ''}`]);
  }
  return markdownTooltip(ws.name || ws.id, fields, ws.problems, t);
}

export function trainingJobTooltip(job: TrainingJob, now: number, t: Translate): string {
  const res = job.spec?.resource;
  const engine = job.algorithm?.engine;
  const engineText = [engine?.engine_name, engine?.engine_version].filter(Boolean).join(' ') || engine?.engine_id;
  const phase = job.status.secondary_phase && job.status.secondary_phase !== job.status.phase ? `${statusText(job.status.phase, t)} (${job.status.secondary_phase})` : statusText(job.status.phase, t);
  return markdownTooltip(
    job.metadata.name || job.metadata.id,
    [
      [t('Status'), phase],
      [t('Flavor'), res?.flavor_name ?? res?.flavor_id],
      [t('Engine'), engineText],
      [t('Nodes'), res?.node_count],
      [t('Image'), engine?.image_url],
      [t('Created'), formatTime(job.metadata.create_time)],
      [t('Duration'), durationText(trainingJobSpan(job, now), t)],
      [t('Owner'), job.metadata.user_name],
      [t('Description'), job.metadata.description],
      [t('ID'), job.metadata.id],
    ],
    job.problems,
    t,
  );
}

export function taskTooltip(job: TrainingJob, task: string, t: Translate): string {
  const status = job.status.task_statuses?.find((s) => s.task === task);
  return markdownTooltip(
    task,
    [
      [t('Training job'), job.metadata.name],
      [t('Job status'), statusText(job.status.phase, t)],
      [t('Exit code'), status?.exit_code],
      [t('Message'), status?.message],
    ],
    undefined,
    t,
  );
}

/** `exit code 0` when the task has ended; nothing while it runs. */
export function taskDescription(job: TrainingJob, task: string, t: Translate): string | undefined {
  const status = job.status.task_statuses?.find((s) => s.task === task);
  return status?.exit_code === undefined ? undefined : t('exit code {0}', status.exit_code);
}

export function notebookTooltip(nb: Notebook, now: number, t: Translate): string {
  const end = leaseEnd(nb);
  const image = nb.image ? (nb.image.name ? `${nb.image.name}${nb.image.tag ? `:${nb.image.tag}` : ''}` : nb.image.swr_path) : undefined;
  const leaseText = end === undefined ? (nb.lease ? t('no auto-stop') : undefined) : `${formatTime(end) ?? ''}${nb.status === 'RUNNING' && end > now ? ` (${t('in {0}', formatDuration(end - now, t))})` : ''}`;
  return markdownTooltip(
    nb.name || nb.id,
    [
      [t('Status'), statusText(nb.status, t)],
      [t('Reason'), nb.fail_reason],
      [t('Flavor'), nb.flavor],
      [t('Image'), image],
      [t('Lease end'), leaseText],
      [t('Storage'), nb.volume ? [nb.volume.category, nb.volume.capacity === undefined ? undefined : `${nb.volume.capacity} GB`].filter(Boolean).join(' ') : undefined],
      [t('Created'), formatTime(nb.create_at)],
      [t('Owner'), nb.user_id],
      [t('Description'), nb.description],
      [t('ID'), nb.id],
    ],
    nb.problems,
    t,
  );
}

export function workflowTooltip(wf: Workflow, t: Translate): string {
  return markdownTooltip(
    wf.name || wf.workflow_id,
    [
      [t('Status'), workflowState(wf)],
      [t('Steps'), wf.steps?.length],
      [t('Runs'), wf.run_count],
      [t('Latest execution'), wf.latest_execution?.status],
      [t('Created'), formatIsoTime(wf.created_at)],
      [t('Owner'), wf.user_name],
      [t('Description'), wf.description],
      [t('ID'), wf.workflow_id],
    ],
    wf.problems,
    t,
  );
}

export function executionTooltip(ex: WorkflowExecution, t: Translate): string {
  const running = ex.steps_execution.filter((s) => s.status === 'running').map((s) => s.step_name);
  return markdownTooltip(
    ex.name ?? ex.execution_id,
    [
      [t('Status'), statusText(ex.status, t)],
      [t('Running steps'), running.join(', ')],
      [t('Steps'), ex.steps_execution.length],
      [t('Created'), formatIsoTime(ex.created_at)],
      [t('Workflow'), ex.workflow_name],
      [t('Description'), ex.description],
      [t('ID'), ex.execution_id],
    ],
    ex.problems,
    t,
  );
}

export function stepTooltip(step: StepExecution, t: Translate): string {
  const error = step.error_info?.error_message ? `${step.error_info.error_message}${step.error_info.error_code ? ` (${step.error_info.error_code})` : ''}` : undefined;
  return markdownTooltip(
    step.step_title ? `${step.step_name} — ${step.step_title}` : step.step_name || step.uuid,
    [
      [t('Status'), statusText(step.status, t)],
      [t('Error'), error],
      [t('Type'), step.type],
      [t('Created'), formatIsoTime(step.created_at)],
      [t('Duration'), durationText(step.duration === undefined ? undefined : step.duration * 1000, t)],
      [t('ID'), step.uuid],
    ],
    step.problems,
    t,
  );
}

/** `APIG · created 40d ago`: the type, then the age. No key or secret ever goes into a row. */
export function appDescription(app: App, now: number, t: Translate): string {
  const type = app.app_type ?? t('unknown');
  const created = app.created_at;
  return created === undefined || created <= 0 ? type : `${type} · ${t('created {0} ago', formatDuration(now - created, t))}`;
}

/** The app's name, type, remark, bound APIs, times and id: never its AppKey, AppSecret or AppCodes. */
export function appTooltip(app: App, t: Translate): string {
  return markdownTooltip(
    app.app_name || app.app_id,
    [
      [t('Type'), app.app_type],
      [t('Description'), app.app_remark],
      [t('Bound APIs'), app.bounded_api_count],
      [t('Created'), formatTime(app.created_at)],
      [t('Updated'), formatTime(app.updated_at)],
      [t('ID'), app.app_id],
    ],
    app.problems,
    t,
  );
}
