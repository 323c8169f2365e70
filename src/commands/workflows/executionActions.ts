// Stop Execution and Rerun Execution, and what follows any action on an execution or a step: a message that
// it was sent (offering to stream the events), and a watch until the execution ends, with one notification.

import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import type { ExecutionActionName, WorkflowExecution } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import { confirm } from '../prompts';
import { CancelledByUser, reportFailure, type CommandSpec } from '../registry';
import { safeL10n, type MessageText } from '../../common/safeText';
import { setStatusMessage, showInformation, showWarning, withNotificationProgress } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { executionActionsFor } from '../../watch/executionEvents';
import { actionSentMessage, rerunConfirmation, type SentAction } from './actionMessages';
import { startStream, streamKey, type ExecutionStreamDeps } from './executionStream';
import { watchExecution } from './executionWatch';
import { eventsChannel, executionKey, executionName, executionTarget, refreshExecutionRow, type ExecutionTarget } from './workflowTargets';

/** Sentences with the service's values (workflow, execution and step names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** What the workflow commands use of the extension; `disposed` is aborted when the extension deactivates. */
export interface WorkflowCommandDeps extends ExecutionStreamDeps, Pick<ActionDeps, 'sessions' | 'watches'> {
  readonly disposed: AbortSignal;
}

export function executionActionCommands(deps: WorkflowCommandDeps): CommandSpec[] {
  return [
    {
      id: COMMAND.executionStop,
      title: vscode.l10n.t('Stop Execution'),
      run: async (arg) => {
        const target = await executionTarget(deps, arg, (ex) => executionActionsFor(ex.status).includes('stop'), l10n.t('Stop which execution?'));
        await executionAction(deps, target, 'stop');
      },
    },
    {
      id: COMMAND.executionRerun,
      title: vscode.l10n.t('Rerun Execution'),
      run: async (arg) => {
        const target = await executionTarget(deps, arg, (ex) => executionActionsFor(ex.status).includes('rerun'), l10n.t('Rerun which execution?'));
        await executionAction(deps, target, 'rerun');
      },
    },
  ];
}

/** Says at once that the action was sent and what follows; offers to stream the events when they do not. */
export function announceSent(deps: WorkflowCommandDeps, target: ExecutionTarget, sent: SentAction): void {
  const key = streamKey(target);
  const streaming = deps.streams.has(key);
  const stream = l10n.t('Stream Events');
  const message: MessageText = actionSentMessage(sent, executionName(target.execution), streaming ? eventsChannel(target.execution) : undefined, vscode.l10n);
  void showInformation(message, ...(streaming ? [] : [stream])).then((choice) => {
    if (choice === stream && !deps.streams.has(key) && !deps.disposed.aborted) startStream(deps, target);
  });
}

export function watchAfterAction(deps: WorkflowCommandDeps, target: ExecutionTarget): void {
  const { session, workflowId } = target;
  const executionId = target.execution.execution_id;
  refreshExecutionRow(deps, session, executionId);
  const watch = watchExecution({
    api: session.client.workflows,
    watches: deps.watches,
    key: `execution:${executionKey(session, workflowId, executionId)}`,
    workflowId,
    executionId,
    onChange: () => refreshExecutionRow(deps, session, executionId),
  });
  void watch.done.then(async (result) => {
    if (result.status !== 'final') return;
    const ex = result.value;
    refreshExecutionRow(deps, session, executionId);
    const rerun = l10n.t('Rerun');
    const copyId = l10n.t('Copy ID');
    const buttons = executionActionsFor(ex.status).includes('rerun') ? [rerun, copyId] : [copyId];
    const message = l10n.t('Execution {0} of {1} ended: {2}.', executionName(ex), target.workflowName, stateWord('execution', ex.status, vscode.l10n));
    const choice = ex.status === 'abnormal' ? await showWarning(message, ...buttons) : await showInformation(message, ...buttons);
    if (choice === copyId) {
      await vscode.env.clipboard.writeText(ex.execution_id);
      setStatusMessage(l10n.t('Copied: {0}', ex.execution_id), 3000);
    } else if (choice === rerun && !deps.disposed.aborted) {
      try {
        await executionAction(deps, { ...target, execution: ex }, 'rerun');
      } catch (error) {
        if (!(error instanceof CancelledByUser)) await reportFailure(deps.log, vscode.l10n.t('Rerun Execution'), error, { demo: deps.sessions.current?.demo === true });
      }
    }
  });
}

async function executionAction(deps: WorkflowCommandDeps, target: ExecutionTarget, action: ExecutionActionName): Promise<void> {
  const { execution } = target;
  const name = executionName(execution);
  if (action === 'stop') {
    await confirm(l10n.t('Stop execution {0} of {1}?', name, target.workflowName), l10n.t('Stop'), { detail: l10n.t('Its running steps are stopped.') });
  } else {
    const { message, detail } = rerunConfirmation(name, target.workflowName, execution.status, vscode.l10n);
    await confirm(message, l10n.t('Rerun'), { detail });
  }
  await withNotificationProgress({ title: action === 'stop' ? l10n.t('Stopping {0}…', name) : l10n.t('Rerunning {0}…', name), cancellable: true }, (_progress, token) =>
    sendExecutionAction(deps, target, action, abortOn(token)),
  );
}

/** Sends an action already confirmed (by the command's prompt or a tool's), then announces and watches as every action does. */
export async function sendExecutionAction(deps: WorkflowCommandDeps, target: ExecutionTarget, action: ExecutionActionName, signal?: AbortSignal): Promise<WorkflowExecution> {
  const { session, workflowId, execution } = target;
  const fresh =
    action === 'stop'
      ? await session.client.workflows.stopExecution(workflowId, execution.execution_id, { currentStatus: execution.status }, signal)
      : await session.client.workflows.rerunExecution(workflowId, execution.execution_id, { currentStatus: execution.status }, signal);
  const next = { ...target, execution: { ...execution, ...fresh } };
  // Someone who streamed this execution sees its rerun too, from where the stream stopped.
  if (action === 'rerun' && deps.streams.hasCursor(streamKey(next)) && !deps.streams.has(streamKey(next))) startStream(deps, next);
  announceSent(deps, next, { on: 'execution', action });
  watchAfterAction(deps, next);
  return next.execution;
}
