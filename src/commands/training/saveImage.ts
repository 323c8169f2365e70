// Saving a task's image to SWR, without vscode: the build message diffed into new lines only, the SWR path,
// and the run itself (create, then a watch until ACTIVE or CREATE_FAILED).

import { finalStates, isFinal, SAVE_IMAGE_LIFECYCLE } from '../../api/lifecycle';
import type { TrainingJobsApi } from '../../api/trainingJobs';
import type { SaveImageJob, SaveImageRequest } from '../../api/types';
import { normalizeImageTag } from '../../api/validate';
import type { WatchRegistry } from '../../watch/watcher';

export const SAVE_IMAGE_FINAL: readonly string[] = finalStates(SAVE_IMAGE_LIFECYCLE);

export function isSaveImageFinal(job: SaveImageJob): boolean {
  return isFinal(SAVE_IMAGE_LIFECYCLE, job.status);
}

/**
 * The build message grows between reads. Returns the lines not printed yet: those after the part the new
 * message shares with the previous one, so a growing message never prints a line twice, and a rewritten
 * tail (a failure replacing the last lines) prints only what changed.
 */
export class MessageDiff {
  private previous: string[] = [];

  next(message: string | undefined): string[] {
    const lines = message === undefined || message === '' ? [] : message.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    let same = 0;
    while (same < lines.length && same < this.previous.length && lines[same] === this.previous[same]) same++;
    // An empty or shorter answer (a read between updates) prints nothing and forgets nothing.
    if (lines.length <= same) return [];
    this.previous = lines;
    return lines.slice(same);
  }
}

/** The image's SWR path: from the message's last line that names one, else built from the request. */
export function swrPath(job: SaveImageJob, request: SaveImageRequest, region: string): string {
  const lines = (job.message ?? '').split('\n').reverse();
  for (const line of lines) {
    const match = /(swr\.[a-z0-9.-]+\/[^\s/]+\/[^\s:]+:[^\s]+)/i.exec(line);
    if (match) return match[1];
  }
  return `swr.${region}.myhuaweicloud.com/${request.namespace}/${request.name}:${normalizeImageTag(request.tag)}`;
}

export type SaveImageOutcome =
  | { status: 'ACTIVE'; job: SaveImageJob; swrPath: string }
  | { status: 'CREATE_FAILED'; job: SaveImageJob; message: string }
  | { status: 'cancelled' };

export interface SaveImageRun {
  api: TrainingJobsApi;
  watches: WatchRegistry;
  /** Part of the watch key, so two profiles never share a watch. */
  profile: string;
  region: string;
  jobId: string;
  task: string;
  request: SaveImageRequest;
  signal?: AbortSignal;
  /** Each status read, with the message lines not printed yet. */
  onProgress?: (job: SaveImageJob, newLines: string[]) => void;
}

/**
 * Creates the save-image job and watches it until it is final. The request is checked once, by the API call
 * (its contract: nothing is sent when it is invalid); the input boxes use the same checks for their messages.
 * Aborting `signal` cancels the watch: no request starts after it.
 */
export async function runSaveImage(run: SaveImageRun): Promise<SaveImageOutcome> {
  const { api, jobId, task, signal } = run;
  const diff = new MessageDiff();
  const report = (job: SaveImageJob): void => run.onProgress?.(job, diff.next(job.message));
  const created = await api.createSaveImageJob(jobId, task, run.request, signal);
  report(created);
  let final: SaveImageJob | undefined = isSaveImageFinal(created) ? created : undefined;
  if (!final) {
    const watch = run.watches.watch(
      `saveImage:${run.profile}:${jobId}/${task}`,
      (watchSignal) => api.getSaveImageJob(jobId, task, joinSignals(watchSignal, signal)),
      isSaveImageFinal,
      { onUpdate: report, signature: (job) => `${job.status ?? ''}\n${job.message ?? ''}` },
    );
    const onAbort = (): void => watch.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) watch.cancel();
    try {
      const result = await watch.done;
      if (result.status === 'cancelled') return { status: 'cancelled' };
      if (result.status === 'failed') throw result.error;
      final = result.value;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
  if (final.status === 'ACTIVE') return { status: 'ACTIVE', job: final, swrPath: swrPath(final, run.request, run.region) };
  return { status: 'CREATE_FAILED', job: final, message: final.message ?? '' };
}

function joinSignals(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}
