// What the workflow commands act on: the workflow, execution or step of the row clicked, else ones picked from
// the service's first pages; and the names, keys and row refresh they share.

import * as vscode from 'vscode';
import type { StepActionName, StepExecution, WorkflowExecution } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { requireSession } from '../prompts';
import { CancelledByUser } from '../registry';
import { pickText, safeL10n } from '../../common/safeText';
import { showInformation, showPick, withViewProgress, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { stateWord } from '../../common/stateWords';
import { ExecutionNode } from '../../explorer/nodes/executionNode';
import { StepNode } from '../../explorer/nodes/stepNode';
import { WorkflowNode } from '../../explorer/nodes/workflowNode';
import { workflowState } from '../../explorer/text';
import { stepActionsFor } from '../../watch/executionEvents';

/** Sentences with the service's values (workflow, execution and step names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface WorkflowRef {
  workflowId: string;
  workflowName: string;
}

export interface ExecutionTarget extends WorkflowRef {
  session: ActiveSession;
  execution: WorkflowExecution;
}

export interface StepTarget extends ExecutionTarget {
  step: StepExecution;
}

export const executionName = (ex: WorkflowExecution): string => ex.name || ex.execution_id;
export const eventsChannel = (ex: WorkflowExecution): string => `ModelArts Events: ${executionName(ex)}`;
export const executionKey = (s: ActiveSession, workflowId: string, executionId: string): string => `${s.profile}/workflow/${workflowId}/execution/${executionId}`;

/** Redraws the execution's row when it is loaded in the tree of the same profile. */
export function refreshExecutionRow(deps: Pick<ActionDeps, 'explorer'>, session: ActiveSession, executionId: string): void {
  const model = deps.explorer.model;
  if (!model || model.session.profile !== session.profile) return;
  for (const node of model.resourceNodes()) if (node instanceof ExecutionNode && node.key === executionId) model.refresh(node);
}

export const loading = <T>(work: () => Promise<T>): Thenable<T> => withViewProgress('modelarts.explorer', work);

/** The workflow row given, else one picked from the first page the service lists. */
export async function pickWorkflow(session: ActiveSession, arg: unknown, placeHolder: Said<'label'>): Promise<WorkflowRef> {
  if (arg instanceof WorkflowNode) return { workflowId: arg.key, workflowName: arg.item.name || arg.key };
  const workflows = await loading(() => session.client.workflows.list({ pageSize: 50 }).loadNext());
  if (workflows.length === 0) {
    void showInformation(l10n.t('There are no workflows.'));
    throw new CancelledByUser();
  }
  const wf = await showPick(
    workflows.map((w) => ({ label: pickText(w.name || w.workflow_id), description: pickText(stateWord('workflow', workflowState(w), vscode.l10n)), detail: pickText(w.workflow_id), w })),
    { placeHolder, matchOnDetail: true },
  );
  if (!wf) throw new CancelledByUser();
  return { workflowId: wf.w.workflow_id, workflowName: wf.w.name || wf.w.workflow_id };
}

/** From the palette: a workflow, then one of its executions that `accept`s. */
async function pickExecution(session: ActiveSession, accept: (ex: WorkflowExecution) => boolean, placeHolder: Said<'label'>, arg?: unknown): Promise<ExecutionTarget> {
  const { workflowId, workflowName } = await pickWorkflow(session, arg, l10n.t('Which workflow?'));
  const executions = (await loading(() => session.client.workflows.executions(workflowId, { pageSize: 50 }).loadNext())).filter(accept);
  if (executions.length === 0) {
    void showInformation(l10n.t('No execution of {0} is in a state for this action.', workflowName));
    throw new CancelledByUser();
  }
  const pick = await showPick(
    executions.map((ex) => ({ label: pickText(executionName(ex)), description: pickText(stateWord('execution', ex.status, vscode.l10n)), detail: pickText(ex.execution_id), ex })),
    { placeHolder, matchOnDetail: true },
  );
  if (!pick) throw new CancelledByUser();
  return { session, workflowId, workflowName, execution: pick.ex };
}

export async function executionTarget(deps: Pick<ActionDeps, 'sessions'>, arg: unknown, accept: (ex: WorkflowExecution) => boolean, placeHolder: Said<'label'>): Promise<ExecutionTarget> {
  const session = requireSession(deps.sessions);
  if (arg instanceof ExecutionNode) return { session, workflowId: arg.workflow.key, workflowName: arg.workflow.item.name, execution: arg.item };
  return pickExecution(session, accept, placeHolder, arg);
}

export async function stepTarget(deps: Pick<ActionDeps, 'sessions'>, arg: unknown, action: StepActionName, placeHolder: Said<'label'>): Promise<StepTarget> {
  const session = requireSession(deps.sessions);
  if (arg instanceof StepNode) {
    const execution = arg.execution;
    return { session, workflowId: execution.workflow.key, workflowName: execution.workflow.item.name, execution: execution.item, step: arg.item };
  }
  const applies = (s: StepExecution): boolean => stepActionsFor(s.status).includes(action);
  const base = arg instanceof ExecutionNode
    ? { session, workflowId: arg.workflow.key, workflowName: arg.workflow.item.name, execution: arg.item }
    : await pickExecution(session, (ex) => ex.steps_execution.some(applies), l10n.t('Which execution?'), arg);
  const steps = base.execution.steps_execution.filter(applies);
  if (steps.length === 0) {
    void showInformation(l10n.t('No step of {0} is in a state for this action.', executionName(base.execution)));
    throw new CancelledByUser();
  }
  const pick = await showPick(
    steps.map((s) => ({ label: pickText(s.step_name || s.uuid), description: pickText(stateWord('step', s.status, vscode.l10n)), detail: pickText(s.uuid), s })),
    { placeHolder, matchOnDetail: true },
  );
  if (!pick) throw new CancelledByUser();
  return { ...base, step: pick.s };
}
