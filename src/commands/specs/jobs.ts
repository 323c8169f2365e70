// The requests behind the spec commands: read a job as the service answers it, submit a spec, and decide
// when a submitted job is worth a notification. No vscode here.

import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../../api/client';
import { isFinal, TRAINING_JOB_LIFECYCLE } from '../../api/lifecycle';
import { expectObject } from '../../api/parse';
import type { TrainingJob, TrainingJobCreateRequest } from '../../api/types';
import { messageText, type MessageText } from '../../common/safeText';
import { SpecError, cloneBaseName, cloneName, jobToSpec, toCreateRequest } from './spec';
import type { JsonSchema } from './specCheck';

/**
 * One GET of the job, kept as the service sent it: the typed `trainingJobs.get` keeps only the fields the
 * tree shows, and a spec must keep everything (environments, policies, volumes, schedule policy…).
 */
export async function fetchJobDocument(client: ModelArtsClient, jobId: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const projectId = await client.connection.projectId(signal);
  const path = `/v2/${[projectId, 'training-jobs', jobId].map(encodeURIComponent).join('/')}`;
  const response = await client.connection.http.send<unknown>({ method: 'GET', path, operation: 'trainingJobs.get', ...(signal ? { signal } : {}) });
  return expectObject(response.body, 'trainingJobs.get', { status: response.status, requestId: response.requestId });
}

export async function exportJobSpec(client: ModelArtsClient, jobId: string, l10n: typeof vscode.l10n, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return jobToSpec(await fetchJobDocument(client, jobId, signal), l10n);
}

/** The exported spec under a fresh `<name>-copy-N`, avoiding the names of the workspace's jobs (one search). */
export async function cloneJobSpec(client: ModelArtsClient, jobId: string, l10n: typeof vscode.l10n, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const spec = await exportJobSpec(client, jobId, l10n, signal);
  const metadata = spec.metadata as { name?: string; workspace_id?: string };
  const name = metadata.name ?? 'job';
  const similar = await client.trainingJobs
    .search({ name: cloneBaseName(name), pageSize: 50, ...(metadata.workspace_id ? { workspaceId: metadata.workspace_id } : {}) })
    .loadNext(signal);
  metadata.name = cloneName(name, [name, ...similar.map((j) => j.metadata.name)]);
  return spec;
}

/** Checks the spec against the schema (no request when it fails: SpecError lists the problems) and creates the job. */
export async function submitSpec(
  client: ModelArtsClient,
  spec: unknown,
  schema: JsonSchema,
  l10n: typeof vscode.l10n,
  workspaceId?: string,
  signal?: AbortSignal,
): Promise<{ request: TrainingJobCreateRequest; job: TrainingJob }> {
  const { checkSpec } = await import('./specCheck');
  const problems = checkSpec(spec, schema, l10n);
  if (problems.length > 0) throw new SpecError(problems.map((p) => p.message));
  const request = toCreateRequest(spec, workspaceId);
  const job = await client.trainingJobs.create(request, signal);
  return { request, job };
}

/** A submitted job is watched until it runs or ends. */
export const SUBMIT_FINAL_PHASES: readonly string[] = Object.keys(TRAINING_JOB_LIFECYCLE).filter((phase) => TRAINING_JOB_LIFECYCLE[phase].category === 'running' || isFinal(TRAINING_JOB_LIFECYCLE, phase));

export function isSubmitFinal(job: TrainingJob): boolean {
  return SUBMIT_FINAL_PHASES.includes(job.status.phase ?? '');
}

/** What the one notification says: good news for Running/Completed, an error otherwise (the task's message made inert). */
export function submitOutcome(job: TrainingJob, l10n: typeof vscode.l10n): { ok: boolean; message: MessageText } {
  const name = job.metadata.name || job.metadata.id;
  switch (job.status.phase) {
    case 'Running':
      return { ok: true, message: messageText(l10n.t('Training job {0} is running.', name)) };
    case 'Completed':
      return { ok: true, message: messageText(l10n.t('Training job {0} completed.', name)) };
    case 'Terminated':
      return { ok: false, message: messageText(l10n.t('Training job {0} was terminated.', name)) };
    default: {
      const reason = job.status.task_statuses?.find((s) => s.message)?.message ?? job.status.secondary_phase;
      return { ok: false, message: messageText(reason ? l10n.t('Training job {0} failed: {1}', name, reason) : l10n.t('Training job {0} failed.', name)) };
    }
  }
}
