// The tools that only read: list, describe, log tail, events and metrics, each one or two GETs through the
// signed-in client, answered as a sentence and the service's text marked as data (toolText.ts). No vscode
// here: the extension passes vscode.l10n, tests pass the English one.

import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../api/client';
import { computeHasMore, type Pager } from '../api/paging';
import type { Redactor } from '../api/redact';
import { trainingTaskOutput } from '../api/trainingTaskOutput';
import { TRAINING_PHASES, type TrainingJob, type TrainingPhase } from '../api/types';
import { resourceLabel } from '../dashboard/jobView';
import { detailsText, fetchDetails, type DetailsTarget } from '../explorer/details';
import { LogMetricParser } from '../watch/logMetrics';
import { ToolInputError, patternOf, type ToolInput } from './toolInput';
import { EVENTS_MAX, LOG_TAIL_MAX_BYTES, LOG_TAIL_MAX_LINES } from './toolSpecs';
import { lastBytes, toolResultText } from './toolText';

type L10n = typeof vscode.l10n;

export interface ToolReadContext {
  client: ModelArtsClient;
  redactor: Redactor;
  l10n: L10n;
  signal?: AbortSignal;
}

const str = (input: ToolInput, name: string): string | undefined => (typeof input[name] === 'string' ? (input[name]) : undefined);
const num = (input: ToolInput, name: string): number | undefined => (typeof input[name] === 'number' ? (input[name]) : undefined);
const iso = (ms: number | undefined): string | undefined => (ms === undefined || !Number.isFinite(ms) || ms <= 0 ? undefined : new Date(ms).toISOString());
const jsonLines = (rows: readonly object[]): string => rows.map((row) => JSON.stringify(row)).join('\n');

const NOTEBOOK_PAGE_SIZES = [10, 20, 50];
/** Lines longer than this are matched on their start only: a pattern never runs over megabytes of one line. */
const MATCHED_LINE_CHARS = 4_096;

/** The phase named, whatever its case; an unknown one is refused with the phases there are. */
function phaseOf(state: string, l10n: L10n): TrainingPhase {
  const phase = TRAINING_PHASES.find((p) => p.toLowerCase() === state.trim().toLowerCase());
  if (!phase) throw new ToolInputError(l10n.t('"state" must be one of {0} (got {1}).', TRAINING_PHASES.join(', '), JSON.stringify(state)));
  return phase;
}

function jobRow(job: TrainingJob): object {
  const { metadata, status, spec } = job;
  return {
    id: metadata.id,
    name: metadata.name,
    state: status.phase,
    ...(status.secondary_phase && status.secondary_phase !== status.phase ? { detail: status.secondary_phase } : {}),
    created: iso(metadata.create_time),
    ...(status.duration ? { durationSeconds: Math.round(status.duration / 1000) } : {}),
    ...(spec?.resource?.flavor_id ? { flavor: spec.resource.flavor_id, nodes: spec.resource.node_count ?? 1 } : {}),
  };
}

async function page<T>(pager: Pager<T>, pageNumber: number, signal?: AbortSignal): Promise<{ items: T[]; more: boolean }> {
  const result = await pager.reread(pageNumber - 1, signal);
  const loaded = (pageNumber - 1) * pager.pageSize + result.items.length;
  return { items: result.items, more: result.hasMore ?? computeHasMore(loaded, result.items.length, pager.pageSize, result.total) };
}

export async function listResources(input: ToolInput, ctx: ToolReadContext): Promise<string> {
  const { client, l10n, signal } = ctx;
  const kind = str(input, 'kind') ?? '';
  const pageNumber = num(input, 'page') ?? 1;
  const pageSize = num(input, 'pageSize') ?? 20;
  const workspaceId = str(input, 'workspaceId');
  let rows: object[];
  let more: boolean;
  let what: string;
  switch (kind) {
    case 'workspaces': {
      const got = await page(client.workspaces.list({ pageSize }), pageNumber, signal);
      rows = got.items.map((w) => ({ id: w.id, name: w.name, state: w.status, ...(w.description ? { description: w.description } : {}) }));
      more = got.more;
      what = l10n.t('Workspaces');
      break;
    }
    case 'trainingJobs': {
      const state = str(input, 'state');
      const got = await page(client.trainingJobs.search({ pageSize, workspaceId, name: str(input, 'name'), phase: state === undefined ? undefined : phaseOf(state, l10n) }), pageNumber, signal);
      rows = got.items.map(jobRow);
      more = got.more;
      what = l10n.t('Training jobs in workspace {0}', workspaceId ?? '0');
      break;
    }
    case 'notebooks': {
      if (!NOTEBOOK_PAGE_SIZES.includes(pageSize)) throw new ToolInputError(l10n.t('"pageSize" for notebooks must be 10, 20 or 50 (got {0}): the service pages them so.', pageSize));
      const got = await page(client.notebooks.list({ pageSize, workspaceId: workspaceId ?? '0' }), pageNumber, signal);
      rows = got.items.map((nb) => ({
        id: nb.id,
        name: nb.name,
        state: nb.status,
        ...(nb.flavor ? { flavor: nb.flavor } : {}),
        ...(nb.lease?.enable && nb.lease.create_at !== undefined && nb.lease.duration !== undefined && nb.lease.duration > 0 ? { autoStopAt: iso(nb.lease.create_at + nb.lease.duration) } : {}),
      }));
      more = got.more;
      what = l10n.t('Notebooks in workspace {0}', workspaceId ?? '0');
      break;
    }
    case 'workflows': {
      // The service lists workflows of every workspace: each row says whose.
      const got = await page(client.workflows.list({ pageSize }), pageNumber, signal);
      rows = got.items.map((wf) => ({
        id: wf.workflow_id,
        name: wf.name,
        state: wf.status,
        ...(wf.workspace_id ? { workspaceId: wf.workspace_id } : {}),
        ...(wf.latest_execution ? { latestExecution: wf.latest_execution } : {}),
      }));
      more = got.more;
      what = l10n.t('Workflows of every workspace');
      break;
    }
    default: {
      const workflowId = str(input, 'workflowId') ?? '';
      const got = await page(client.workflows.executions(workflowId, { pageSize, ...(workspaceId ? { workspaceId } : {}) }), pageNumber, signal);
      rows = got.items.map((ex) => ({ id: ex.execution_id, name: ex.name ?? ex.execution_id, state: ex.status, created: ex.created_at, ...(ex.duration !== undefined ? { durationSeconds: ex.duration } : {}) }));
      more = got.more;
      what = l10n.t('Executions of workflow {0}', workflowId);
    }
  }
  const next = more ? l10n.t('More pages: ask for page {0}.', pageNumber + 1) : l10n.t('No more pages.');
  const sentence = l10n.t('{0}, page {1}: {2} listed. {3}', what, pageNumber, rows.length, next);
  return toolResultText(sentence, rows.length === 0 ? '' : jsonLines(rows), ctx);
}

/** The same document as Show Details: secrets replaced, invisible characters escaped. */
export async function describeResource(input: ToolInput, ctx: ToolReadContext): Promise<string> {
  const id = str(input, 'id') ?? '';
  const kind = str(input, 'kind');
  const target: DetailsTarget =
    kind === 'workspace'
      ? { kind, workspaceId: id }
      : kind === 'trainingJob'
        ? { kind, jobId: id }
        : kind === 'notebook'
          ? { kind, notebookId: id }
          : kind === 'workflow'
            ? { kind, workflowId: id }
            : kind === 'execution'
              ? { kind, workflowId: str(input, 'workflowId') ?? '', executionId: id }
              : { kind: 'app', appId: id };
  const { l10n } = ctx;
  const text = detailsText(await fetchDetails(ctx.client, target, ctx.signal), ctx.redactor);
  return toolResultText(l10n.t('Details of {0} {1}, secrets replaced by ***:', kind ?? '', id), text.trimEnd(), ctx);
}

/** The task asked for, or the job's first; a task the job does not have is refused with those it has. */
function taskOf(job: TrainingJob, asked: string | undefined, l10n: L10n): string {
  const tasks = job.status.tasks.filter((t) => t !== '');
  if (asked !== undefined) {
    if (!tasks.includes(asked)) throw new ToolInputError(l10n.t('"task": training job {0} has no task {1}; its tasks: {2}.', job.metadata.name, JSON.stringify(asked), tasks.join(', ') || l10n.t('none yet')));
    return asked;
  }
  const first = tasks[0];
  if (first === undefined) throw new ToolInputError(l10n.t('Training job {0} has no tasks yet (state {1}): it has no log.', job.metadata.name, job.status.phase ?? ''));
  return first;
}

export async function logTail(input: ToolInput, ctx: ToolReadContext): Promise<string> {
  const { client, l10n, signal } = ctx;
  const want = num(input, 'lines') ?? 100;
  const source = str(input, 'pattern');
  const pattern = source === undefined ? undefined : patternOf(source, l10n);
  const job = await client.trainingJobs.get(str(input, 'trainingJobId') ?? '', signal);
  const task = taskOf(job, str(input, 'task'), l10n);
  const preview = await client.trainingJobs.getLogPreview(job.metadata.id, task, signal);
  if (preview.notReady) return l10n.t('The log of task {0} of training job {1} ({2}) cannot be read yet: the service has not made it available. Try again in a minute.', task, job.metadata.name, job.metadata.id);
  const all = preview.content.split(/\r?\n/);
  if (all.at(-1) === '') all.pop();
  const matching = pattern ? all.filter((line) => pattern.test(line.length > MATCHED_LINE_CHARS ? line.slice(0, MATCHED_LINE_CHARS) : line)) : all;
  const tail = matching.slice(-Math.min(want, LOG_TAIL_MAX_LINES));
  const capped = lastBytes(tail, LOG_TAIL_MAX_BYTES);
  const partial = preview.full_size !== undefined && preview.current_size !== undefined && preview.full_size > preview.current_size;
  const parts = [
    pattern
      ? l10n.t('The last {0} lines matching /{1}/ of task {2} of training job {3} ({4}), state {5}.', capped.lines.length, source ?? '', task, job.metadata.name, job.metadata.id, job.status.phase ?? '')
      : l10n.t('The last {0} lines of task {1} of training job {2} ({3}), state {4}.', capped.lines.length, task, job.metadata.name, job.metadata.id, job.status.phase ?? ''),
  ];
  if (capped.cut) parts.push(l10n.t('Older lines were left out to stay within {0} KB.', LOG_TAIL_MAX_BYTES / 1024));
  if (partial) parts.push(l10n.t('Read from the newest part of the log the service previews.'));
  return toolResultText(parts.join(' '), capped.lines.join('\n'), ctx);
}

export async function events(input: ToolInput, ctx: ToolReadContext): Promise<string> {
  const { client, l10n, signal } = ctx;
  const limit = Math.min(num(input, 'limit') ?? 50, EVENTS_MAX);
  const id = str(input, 'id') ?? '';
  if (str(input, 'kind') === 'execution') {
    const execution = await client.workflows.getExecution(str(input, 'workflowId') ?? '', id, signal);
    // The service lists them oldest first.
    const newest = [...execution.events].reverse();
    const shown = newest.slice(0, limit);
    const sentence = l10n.t('{0} events of execution {1} ({2}), state {3}, newest first{4}.', shown.length, execution.name ?? id, id, execution.status ?? '', newest.length > shown.length ? l10n.t('; {0} older ones left out', newest.length - shown.length) : '');
    return toolResultText(sentence, shown.join('\n'), ctx);
  }
  const job = await client.trainingJobs.get(id, signal);
  const pager = client.trainingJobs.events(id, { pageSize: Math.min(limit, 100), order: 'desc' });
  const read: Awaited<ReturnType<typeof pager.loadNext>>[number][] = [];
  while (read.length < limit && pager.hasMore) read.push(...(await pager.loadNext(signal)));
  const shown = read
    .slice(0, limit)
    .map((e) => ({ ...e, at: Date.parse(e.time ?? '') }))
    .sort((a, b) => (Number.isFinite(b.at) ? b.at : 0) - (Number.isFinite(a.at) ? a.at : 0));
  const more = read.length > limit || pager.hasMore;
  const sentence = l10n.t('{0} events of training job {1} ({2}), state {3}, newest first{4}.', shown.length, job.metadata.name, id, job.status.phase ?? '', more ? l10n.t('; older ones left out') : '');
  return toolResultText(sentence, shown.map((e) => `${e.time ?? ''} ${e.level ?? 'Info'} ${e.message}`).join('\n'), ctx);
}

/** The service's resource series, all percentages (of a core's time, of memory, of an accelerator). */
const PERCENT_SERIES: ReadonlySet<string> = new Set(['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage', 'npuUtil', 'npuMemUsage']);
const LOWER_IS_BETTER = /loss|err|wer|cer|mae|mse|rmse|ppl|perplexity/;
const NO_BEST = /^(?:.*[_./-])?(?:lr|learning_rate)$/;
const round = (n: number): number => Number(n.toPrecision(6));

export async function metrics(input: ToolInput, ctx: ToolReadContext): Promise<string> {
  const { client, l10n, signal } = ctx;
  const job = await client.trainingJobs.get(str(input, 'trainingJobId') ?? '', signal);
  const task = taskOf(job, str(input, 'task'), l10n);
  const [resources, preview] = await Promise.all([trainingTaskOutput(client).getMetrics(job.metadata.id, task, signal), client.trainingJobs.getLogPreview(job.metadata.id, task, signal)]);
  const resourceRows =
    resources.status === 'ready'
      ? Object.entries(resources.series).flatMap(([name, values]) => {
          const known = values.filter((v): v is number => v !== null);
          if (known.length === 0) return [];
          return [{ series: name, label: resourceLabel(name, l10n), unit: PERCENT_SERIES.has(name) ? '%' : '', latest: round(known[known.length - 1] ?? 0), mean: round(known.reduce((a, b) => a + b, 0) / known.length), peak: round(Math.max(...known)), minutes: values.length }];
        })
      : [];
  const parser = new LogMetricParser();
  if (!preview.notReady) {
    parser.push(preview.content);
    parser.end();
  }
  const curves = [...parser.series()].map(([name, series]) => {
    const { x, y, length } = series;
    let best: number | undefined;
    let bestStep: number | undefined;
    if (!NO_BEST.test(name)) {
      const lower = LOWER_IS_BETTER.test(name);
      for (let i = 0; i < length; i++) {
        const v = y[i] ?? 0;
        if (best === undefined || (lower ? v < best : v > best)) {
          best = v;
          bestStep = x[i];
        }
      }
    }
    return { name, points: length, first: round(y[0] ?? 0), last: round(y[length - 1] ?? 0), lastStep: x[length - 1], ...(best !== undefined ? { best: round(best), bestStep } : {}) };
  });
  const sentence = [
    l10n.t('Resource use and training curves of task {0} of training job {1} ({2}), state {3}.', task, job.metadata.name, job.metadata.id, job.status.phase ?? ''),
    resources.status === 'notReady' ? l10n.t('No resource metrics yet: the service reports them about a minute after the task starts.') : l10n.t('Resource figures are per-minute averages.'),
    l10n.t('Curves are read from the newest part of the log the service previews; the x axis is {0}.', parser.axis),
  ].join(' ');
  return toolResultText(sentence, JSON.stringify({ resources: resourceRows, curves }, null, 1), ctx);
}
