// What the workspace, app and spec commands act on: the row they were given, or one picked from the loaded
// rows (or, when nothing is loaded yet, from the first page the service lists).

import * as vscode from 'vscode';
import { CancelledByUser } from '../registry';
import type { ActionDeps } from '../actionDeps';
import { requireSession as requireSignedIn } from '../prompts';
import { pickText, safeL10n } from '../../common/safeText';
import { showInformation, showPick, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { TrainingJobNode } from '../../explorer/nodes/trainingJobNode';
import { WorkspaceNode } from '../../explorer/nodes/workspaceNode';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface WorkspaceRef {
  id: string;
  name: string;
}

export interface JobRef {
  id: string;
  name: string;
  workspaceId: string | undefined;
}

/** The signed-in session, or the one signed-out prompt (and a quiet end). */
export function requireSession(deps: ActionDeps): ActiveSession {
  return requireSignedIn(deps.sessions);
}

function loadedWorkspaceNodes(deps: Pick<ActionDeps, 'explorer'>): WorkspaceNode[] {
  return (deps.explorer.model?.resourceNodes() ?? []).filter((n): n is WorkspaceNode => n instanceof WorkspaceNode);
}

/** The loaded workspace row of `id` (to refresh it, or its Training Jobs group). */
export function workspaceNodeOf(deps: Pick<ActionDeps, 'explorer'>, id: string): WorkspaceNode | undefined {
  return loadedWorkspaceNodes(deps).find((n) => n.workspaceId === id);
}

export function trainingJobNodeOf(deps: Pick<ActionDeps, 'explorer'>, id: string): TrainingJobNode | undefined {
  return (deps.explorer.model?.resourceNodes() ?? []).find((n): n is TrainingJobNode => n instanceof TrainingJobNode && n.key === id);
}

/** The workspace a row belongs to (a workspace, a group under it, or a job row). */
export function workspaceOfArg(arg: unknown): WorkspaceRef | undefined {
  if (arg instanceof WorkspaceNode) return { id: arg.workspaceId, name: arg.item.name };
  if (arg instanceof TrainingJobNode) return { id: arg.workspaceId, name: arg.workspaceId };
  // A group row (Training Jobs, Notebooks, Workflows) holds its workspace.
  if (typeof arg === 'object' && arg !== null && 'workspace' in arg && arg.workspace instanceof WorkspaceNode) {
    return { id: arg.workspace.workspaceId, name: arg.workspace.item.name };
  }
  return undefined;
}

/** The workspace of the row given, the selected row, the only one, or one picked ("0" first). */
export async function pickWorkspace(deps: Pick<ActionDeps, 'explorer'>, session: ActiveSession, arg: unknown, placeHolder: Said<'label'>): Promise<WorkspaceRef> {
  const given = workspaceOfArg(arg) ?? deps.explorer.view.selection.map(workspaceOfArg).find((w) => w !== undefined);
  if (given) return given;
  let choices: WorkspaceRef[] = loadedWorkspaceNodes(deps).map((n) => ({ id: n.workspaceId, name: n.item.name }));
  if (choices.length === 0) {
    const first = await session.client.workspaces.list({ pageSize: 50 }).loadNext();
    choices = first.map((w) => ({ id: w.id, name: w.name }));
  }
  choices.sort((a, b) => (a.id === '0' ? -1 : b.id === '0' ? 1 : a.name.localeCompare(b.name)));
  if (choices.length === 0) return { id: '0', name: 'default' };
  if (choices.length === 1 && choices[0]) return choices[0];
  const pick = await showPick(
    choices.map((w) => ({ label: pickText(w.name || w.id), description: pickText(w.id), ref: w })),
    { placeHolder, matchOnDescription: true },
  );
  if (!pick) throw new CancelledByUser();
  return pick.ref;
}

/** The job of the row given, the selected job row, or one picked from loaded rows or the workspace's first page. */
export async function pickTrainingJob(deps: ActionDeps, session: ActiveSession, arg: unknown, placeHolder: Said<'label'>): Promise<JobRef> {
  const asRef = (n: TrainingJobNode): JobRef => ({ id: n.key, name: n.item.metadata.name, workspaceId: n.workspaceId });
  if (arg instanceof TrainingJobNode) return asRef(arg);
  const selected = deps.explorer.view.selection.find((n): n is TrainingJobNode => n instanceof TrainingJobNode);
  if (selected) return asRef(selected);
  let choices: (JobRef & { phase?: string })[] = (deps.explorer.model?.resourceNodes() ?? [])
    .filter((n): n is TrainingJobNode => n instanceof TrainingJobNode)
    .map((n) => ({ ...asRef(n), phase: n.item.status.phase }));
  if (choices.length === 0) {
    const ws = await pickWorkspace(deps, session, arg, l10n.t('Workspace of the training job'));
    const jobs = await session.client.trainingJobs.search({ workspaceId: ws.id, pageSize: 50 }).loadNext();
    choices = jobs.map((j) => ({ id: j.metadata.id, name: j.metadata.name, workspaceId: ws.id, phase: j.status.phase }));
  }
  if (choices.length === 0) {
    void showInformation(l10n.t('No training jobs in this workspace.'));
    throw new CancelledByUser();
  }
  const pick = await showPick(
    choices.map((j) => ({ label: pickText(j.name || j.id), ...(j.phase === undefined ? {} : { description: pickText(j.phase) }), detail: pickText(j.id), ref: j })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  if (!pick) throw new CancelledByUser();
  return pick.ref;
}
