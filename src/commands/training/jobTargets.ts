// What the training job commands act on: the job (and task) of the row clicked, else one picked from the
// service's first page; and the checks they share.

import * as vscode from 'vscode';
import { actionsIn, isFinal, TRAINING_JOB_LIFECYCLE, type TrainingJobActionName } from '../../api/lifecycle';
import { TRAINING_PHASES, type TrainingJob, type TrainingPhase } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { requireSession } from '../prompts';
import { CancelledByUser } from '../registry';
import type { ActiveSession } from '../../common/session';
import { pickText, promptText, safeL10n } from '../../common/safeText';
import { showPick, type Said } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import type { ExplorerNode } from '../../explorer/nodes/node';
import { TaskNode } from '../../explorer/nodes/taskNode';
import { TrainingJobNode } from '../../explorer/nodes/trainingJobNode';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** The phases in which `action` is allowed, as the search filter takes them. */
const phasesAllowing = (action: TrainingJobActionName): TrainingPhase[] => TRAINING_PHASES.filter((phase) => actionsIn(TRAINING_JOB_LIFECYCLE, phase).includes(action));
export const STOPPABLE_PHASES = phasesAllowing('stop');
export const SAVEABLE_PHASES = phasesAllowing('saveImage');

/** Phases after which a job never changes. */
export function isFinalPhase(phase: string | undefined): boolean {
  return isFinal(TRAINING_JOB_LIFECYCLE, phase);
}

/** What the commands that pick a job use of the extension. */
export type JobTargetDeps = Pick<ActionDeps, 'sessions' | 'explorer'>;

export interface JobTarget {
  session: ActiveSession;
  job: TrainingJob;
  /** The job's row, to refresh after an action. */
  node?: ExplorerNode;
  /** Given when the command came from a task row. */
  task?: string;
}

export function refreshNode(deps: Pick<ActionDeps, 'explorer'>, node: ExplorerNode | undefined): void {
  if (node) deps.explorer.model?.refresh(node);
}

// The API's input checks, translated (their English is the key).
export const inputReason = (r: string | undefined): Said<'prompt'> | undefined => (r === undefined ? undefined : promptText(vscode.l10n.t(r)));

async function pickJob(s: ActiveSession, phases?: readonly TrainingPhase[]): Promise<TrainingJob> {
  const pager = s.client.trainingJobs.search({ pageSize: 50, phase: phases });
  const jobs = await pager.loadNext();
  if (jobs.length === 0) throw new Error(phases ? vscode.l10n.t('No training job is {0}.', phases.map((p) => stateWord('trainingJob', p, vscode.l10n)).join(', ')) : vscode.l10n.t('No training job found.'));
  const picked = await showPick(
    jobs.map((job) => ({ label: pickText(job.metadata.name || job.metadata.id), description: pickText(stateWord('trainingJob', job.status.phase, vscode.l10n)), detail: pickText(job.metadata.id), job })),
    { placeHolder: l10n.t('Pick a training job') },
  );
  if (!picked) throw new CancelledByUser();
  return picked.job;
}

export async function resolveJob(deps: Pick<ActionDeps, 'sessions'>, arg: unknown, phases?: readonly TrainingPhase[]): Promise<JobTarget> {
  const s = requireSession(deps.sessions);
  if (arg instanceof TaskNode) return { session: s, job: arg.job.item, node: arg.job, task: arg.task };
  if (arg instanceof TrainingJobNode) return { session: s, job: arg.item, node: arg };
  // From a panel that holds no row (the dashboard's buttons): the job's id, read again.
  const { trainingJobId: id, task } = (arg ?? {}) as { trainingJobId?: unknown; task?: unknown };
  if (typeof id === 'string') return { session: s, job: await s.client.trainingJobs.get(id), task: typeof task === 'string' ? task : undefined };
  return { session: s, job: await pickJob(s, phases) };
}

export async function pickTask(target: JobTarget): Promise<string> {
  if (target.task) return target.task;
  const tasks = [...new Set(target.job.status.tasks.filter((name) => name !== ''))];
  if (tasks.length === 0) throw new Error(vscode.l10n.t('Training job {0} has no tasks yet.', target.job.metadata.name));
  if (tasks.length === 1) return tasks[0];
  const picked = await showPick(
    tasks.map((task) => ({ label: pickText(task), task })),
    { placeHolder: l10n.t('Pick a task of {0}', target.job.metadata.name) },
  );
  if (!picked) throw new CancelledByUser();
  return picked.task;
}
