// What a training task produces beyond its log preview: its resource metrics and its whole log's temporary OBS
// link. A client of its own (not on TrainingJobsApi) so that it loads with the features that use it, outside
// the extension bundle; `trainingTaskOutput(client)` makes one for a signed-in client.

import type { ModelArtsClient } from './client';
import { isModelArtsError } from './errors';
import type { ApiResponse, HttpClient } from './http';
import { FieldReader, expectObject, invalidResponse, isRecord } from './parse';
import type { Redactor } from './redact';
import { ResourceClient, responseInfo, type ProjectIdSource } from './resource';
import type { TrainingMetrics } from './types';

export interface TrainingTaskOutputOptions {
  /** The full log's temporary links are registered here, so no log line or error shows one whole. */
  redactor?: Redactor;
  /** The configured OBS endpoint: the one origin a log link may use plain http at (the emulator). */
  obsEndpoint?: string;
}

export const NOT_READY_METRICS = 'ModelArts.2777';
/** Metric names kept from an answer: the documented ones and any like them (a new metric is shown, not dropped). */
const METRIC_NAME = /^[A-Za-z]\w{0,63}$/;

/**
 * A metrics answer: -1 (or anything that is not a number ≥ 0) becomes `null`, a gap; an entry without a
 * usable name (letters, digits, `_`) or value list is left out. Status 204 (ModelArts.2777 is listed with it),
 * an empty body, no `metrics` (a 2777 error body), or only empty series: not ready.
 */
export function parseMetrics(body: unknown, status: number, operation: string, requestId?: string): TrainingMetrics {
  const series: Record<string, (number | null)[]> = {};
  let values = 0;
  if (status !== 204 && body !== undefined && body !== '') {
    const { metrics } = expectObject(body, operation, { status, requestId });
    for (const m of Array.isArray(metrics) ? (metrics as unknown[]) : []) {
      if (isRecord(m) && typeof m.metric === 'string' && METRIC_NAME.test(m.metric) && Array.isArray(m.value)) {
        values += (series[m.metric] = (m.value as unknown[]).map((v) => (typeof v === 'number' && v >= 0 && v < Infinity ? v : null))).length;
      }
    }
  }
  return values ? { status: 'ready', series } : { status: 'notReady' };
}

function urlOf(text: string | undefined): URL | undefined {
  try {
    return new URL(text ?? '');
  } catch {
    return undefined;
  }
}

/** Where a temporary log link may point: https anywhere, or plain http only at the configured OBS endpoint. */
export function isLogLink(link: string, obsEndpoint: string | undefined): boolean {
  const url = urlOf(link);
  return !!url && !url.username && !url.password && (url.protocol === 'https:' || (url.protocol === 'http:' && url.origin === urlOf(obsEndpoint)?.origin));
}

/**
 * The link of a log URL answer, registered with the redactor (whole, and its signature) before it is checked,
 * so not even a refusal shows it.
 */
export function readLogLink(response: ApiResponse<unknown>, operation: string, options: TrainingTaskOutputOptions): string {
  const info = responseInfo(response);
  const link = new FieldReader(expectObject(response.body, operation, info)).string('obs_url') ?? '';
  options.redactor?.add(link);
  options.redactor?.add(urlOf(link)?.searchParams.get('Signature') ?? undefined);
  if (!isLogLink(link, options.obsEndpoint)) throw invalidResponse(operation, "obs_url is no https link and no link to the OBS endpoint", info);
  return link;
}

export class TrainingTaskOutputApi extends ResourceClient {
  constructor(
    http: HttpClient,
    projectId: ProjectIdSource,
    private readonly options: TrainingTaskOutputOptions = {},
  ) {
    super(http, projectId);
  }

  /**
   * A task's resource metrics. ModelArts.2777 (metrics not ready), whatever its status, and an answer with
   * nothing in it are `notReady`; a task or job that does not exist is the service's error.
   */
  async getMetrics(jobId: string, taskId: string, signal?: AbortSignal): Promise<TrainingMetrics> {
    this.checkIds(['training job id', jobId], ['task id', taskId]);
    try {
      const response = await this.call('trainingJobs.getMetrics', 'GET', 'v2', ['training-jobs', jobId, 'metrics', taskId], { signal });
      return parseMetrics(response.body, response.status, 'trainingJobs.getMetrics', response.requestId);
    } catch (error) {
      if (isModelArtsError(error) && error.code === NOT_READY_METRICS) return { status: 'notReady' };
      throw error;
    }
  }

  /**
   * A temporary link (valid about 5 minutes) to a task's whole log in OBS: a download link
   * (`Content-Type: application/octet-stream`; `text/plain` would ask for a preview link). The link is a
   * signed secret: it is registered with the redactor before anything else happens to it.
   */
  async getLogUrl(jobId: string, taskId: string, signal?: AbortSignal): Promise<string> {
    this.checkIds(['training job id', jobId], ['task id', taskId]);
    const operation = 'trainingJobs.getLogUrl';
    const response = await this.call(operation, 'GET', 'v2', ['training-jobs', jobId, 'tasks', taskId, 'logs', 'url'], {
      headers: { 'Content-Type': 'application/octet-stream' },
      signal,
    });
    return readLogLink(response, operation, this.options);
  }
}

/** The task output client of a signed-in client: its connection, its redactor and its OBS endpoint. */
export function trainingTaskOutput(client: ModelArtsClient): TrainingTaskOutputApi {
  const { connection } = client;
  return new TrainingTaskOutputApi(connection.http, () => connection.projectId(), { redactor: connection.redactor, obsEndpoint: client.obs.endpoint });
}
