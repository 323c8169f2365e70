import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import { systemClock } from '../../api/clock';
import type { ExecutionActionName, StepActionName, StepExecution, WorkflowExecution } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { requireSession as requireSignedIn } from '../prompts';
import { CancelledByUser, reportFailure, type CommandSpec } from '../registry';
import { lineText, pickText, safeL10n, type MessageText, type Words } from '../../common/safeText';
import { setStatusMessage, showInformation, showPick, showWarning, withNotificationProgress, withViewProgress, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { stateWord } from '../../common/stateWords';
import { localOffsetMinutes, zoneLabel } from '../../common/time';
import { readSettings } from '../../common/settings';
import { ExecutionNode } from '../../explorer/nodes/executionNode';
import { StepNode } from '../../explorer/nodes/stepNode';
import { WorkflowNode } from '../../explorer/nodes/workflowNode';
import { workflowState } from '../../explorer/text';
import { actionSentMessage, rerunConfirmation, type SentAction } from './actionMessages';
import { EventCursor, executionActionsFor, stepActionsFor, streamExecutionEvents } from '../../watch/executionEvents';
import { watchExecution } from './executionWatch';
import { createSubscriptionCommands, type WorkflowRef } from '../subscriptions/subscriptionCommands';
import { COMMAND } from '../ids';

/** Sentences with the service's values (workflow, execution and step names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

interface ExecutionTarget {
  session: ActiveSession;
  workflowId: string;
  workflowName: string;
  execution: WorkflowExecution;
}

interface StepTarget extends ExecutionTarget {
  step: StepExecution;
}

const executionName = (ex: WorkflowExecution): string => ex.name || ex.execution_id;
const eventsChannel = (ex: WorkflowExecution): string => `ModelArts Events: ${executionName(ex)}`;

export function createWorkflowActions(deps: ActionDeps): { commands: CommandSpec[]; dispose(): void } {
  const clock = systemClock;
  const disposed = new AbortController();

  const executionKey = (s: ActiveSession, workflowId: string, executionId: string): string => `${s.profile}/workflow/${workflowId}/execution/${executionId}`;

  const requireSession = (): ActiveSession => requireSignedIn(deps.sessions);

  /** Redraws the execution's row when it is loaded in the tree of the same profile. */
  const refreshRow = (session: ActiveSession, executionId: string): void => {
    const model = deps.explorer.model;
    if (!model || model.session.profile !== session.profile) return;
    for (const node of model.resourceNodes()) if (node instanceof ExecutionNode && node.key === executionId) model.refresh(node);
  };

  const loading = <T>(work: () => Promise<T>): Thenable<T> => withViewProgress('modelarts.explorer', work);

  /** The workflow row given, else one picked from the first page the service lists. */
  const pickWorkflow = async (session: ActiveSession, arg: unknown, placeHolder: Said<'label'>): Promise<WorkflowRef> => {
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
  };

  /** From the palette: a workflow, then one of its executions that `accept`s. */
  const pickExecution = async (session: ActiveSession, accept: (ex: WorkflowExecution) => boolean, placeHolder: Said<'label'>, arg?: unknown): Promise<ExecutionTarget> => {
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
  };

  const executionTarget = async (arg: unknown, accept: (ex: WorkflowExecution) => boolean, placeHolder: Said<'label'>): Promise<ExecutionTarget> => {
    const session = requireSession();
    if (arg instanceof ExecutionNode) return { session, workflowId: arg.workflow.key, workflowName: arg.workflow.item.name, execution: arg.item };
    return pickExecution(session, accept, placeHolder, arg);
  };

  const stepTarget = async (arg: unknown, action: StepActionName, placeHolder: Said<'label'>): Promise<StepTarget> => {
    const session = requireSession();
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
  };

  const confirm = async (message: Said<'message'>, detail: Said<'message'>, button: Words): Promise<void> => {
    const answer = await showWarning(message, { modal: true, detail }, button);
    if (answer !== button) throw new CancelledByUser();
  };

  // ---------------------------------------------------------------- streaming

  const streamKey = (target: ExecutionTarget): string => `events:${executionKey(target.session, target.workflowId, target.execution.execution_id)}`;

  const startStream = (target: ExecutionTarget): void => {
    const key = streamKey(target);
    const name = executionName(target.execution);
    const { stream, isNew } = deps.streams.open(key, eventsChannel(target.execution));
    if (!isNew) return;
    // Kept per execution by the registry, so streaming again (or after a rerun) never repeats an event.
    const cursor = deps.streams.cursor(key, () => new EventCursor());
    stream.channel.appendLine(
      lineText(vscode.l10n.t('Streaming the events of {0} ({1}, workflow {2}); times are local ({3})…', name, target.execution.execution_id, target.workflowName, zoneLabel(localOffsetMinutes(Date.now())))),
    );
    let lastStatus = target.execution.status;
    void streamExecutionEvents({
      api: target.session.client.workflows,
      workflowId: target.workflowId,
      executionId: target.execution.execution_id,
      clock,
      cursor,
      baseIntervalMs: () => readSettings().refreshIntervalSeconds * 1000,
      l10n: vscode.l10n,
      sink: stream.channel,
      maxLines: () => readSettings().logsMaxLines,
      signal: stream.signal,
      onRead: (ex) => {
        if (ex.status !== lastStatus) refreshRow(target.session, ex.execution_id);
        lastStatus = ex.status;
      },
      log: deps.log,
    }).then((end) => {
      if (end !== 'stopped') deps.streams.ended(key, stream);
    });
  };

  // ---------------------------------------------------------------- after an action

  /** Says at once that the action was sent and what follows; offers to stream the events when they do not. */
  const announceSent = (target: ExecutionTarget, sent: SentAction): void => {
    const key = streamKey(target);
    const streaming = deps.streams.has(key);
    const stream = l10n.t('Stream Events');
    const message: MessageText = actionSentMessage(sent, executionName(target.execution), streaming ? eventsChannel(target.execution) : undefined, vscode.l10n);
    void showInformation(message, ...(streaming ? [] : [stream])).then((choice) => {
      if (choice === stream && !deps.streams.has(key) && !disposed.signal.aborted) startStream(target);
    });
  };

  const watchAfterAction = (target: ExecutionTarget): void => {
    const { session, workflowId } = target;
    const executionId = target.execution.execution_id;
    refreshRow(session, executionId);
    const watch = watchExecution({
      api: session.client.workflows,
      watches: deps.watches,
      key: `execution:${executionKey(session, workflowId, executionId)}`,
      workflowId,
      executionId,
      onChange: () => refreshRow(session, executionId),
    });
    void watch.done.then(async (result) => {
      if (result.status !== 'final') return;
      const ex = result.value;
      refreshRow(session, executionId);
      const rerun = l10n.t('Rerun');
      const copyId = l10n.t('Copy ID');
      const buttons = executionActionsFor(ex.status).includes('rerun') ? [rerun, copyId] : [copyId];
      const message = l10n.t('Execution {0} of {1} ended: {2}.', executionName(ex), target.workflowName, stateWord('execution', ex.status, vscode.l10n));
      const choice = ex.status === 'abnormal' ? await showWarning(message, ...buttons) : await showInformation(message, ...buttons);
      if (choice === copyId) {
        await vscode.env.clipboard.writeText(ex.execution_id);
        setStatusMessage(l10n.t('Copied: {0}', ex.execution_id), 3000);
      } else if (choice === rerun && !disposed.signal.aborted) {
        try {
          await executionAction({ ...target, execution: ex }, 'rerun');
        } catch (error) {
          if (!(error instanceof CancelledByUser)) await reportFailure(deps.log, vscode.l10n.t('Rerun Execution'), error, { demo: deps.sessions.current?.demo === true });
        }
      }
    });
  };

  const executionAction = async (target: ExecutionTarget, action: ExecutionActionName): Promise<void> => {
    const { session, workflowId, execution } = target;
    const name = executionName(execution);
    if (action === 'stop') {
      await confirm(l10n.t('Stop execution {0} of {1}?', name, target.workflowName), l10n.t('Its running steps are stopped.'), l10n.t('Stop'));
    } else {
      const { message, detail } = rerunConfirmation(name, target.workflowName, execution.status, vscode.l10n);
      await confirm(message, detail, l10n.t('Rerun'));
    }
    const fresh = await withNotificationProgress(
      { title: action === 'stop' ? l10n.t('Stopping {0}…', name) : l10n.t('Rerunning {0}…', name), cancellable: true },
      (_progress, token) =>
        action === 'stop'
          ? session.client.workflows.stopExecution(workflowId, execution.execution_id, { currentStatus: execution.status }, abortOn(token))
          : session.client.workflows.rerunExecution(workflowId, execution.execution_id, { currentStatus: execution.status }, abortOn(token)),
    );
    const next = { ...target, execution: { ...execution, ...fresh } };
    // Someone who streamed this execution sees its rerun too, from where the stream stopped.
    if (action === 'rerun' && deps.streams.hasCursor(streamKey(next)) && !deps.streams.has(streamKey(next))) startStream(next);
    announceSent(next, { on: 'execution', action });
    watchAfterAction(next);
  };

  const stepAction = async (target: StepTarget, action: StepActionName): Promise<void> => {
    const { session, workflowId, execution, step } = target;
    const name = step.step_name || step.uuid;
    if (action === 'stop') await confirm(l10n.t('Stop step {0} of {1}?', name, executionName(execution)), l10n.t('The step stops; the steps after it do not run.'), l10n.t('Stop'));
    if (action === 'retry') await confirm(l10n.t('Retry step {0} of {1}?', name, executionName(execution)), l10n.t('The step runs again, and so do the steps after it.'), l10n.t('Retry'));
    const titles: Record<StepActionName, Words> = { stop: l10n.t('Stopping {0}…', name), retry: l10n.t('Retrying {0}…', name), continue: l10n.t('Continuing {0}…', name) };
    await withNotificationProgress({ title: titles[action], cancellable: true }, (_progress, token) =>
      session.client.workflows.stepAction(workflowId, execution.execution_id, step.uuid, action, { currentStatus: step.status }, abortOn(token)),
    );
    announceSent(target, { on: 'step', action, step: name });
    watchAfterAction(target);
  };

  const commands: CommandSpec[] = [
    {
      id: COMMAND.executionStreamEvents,
      title: vscode.l10n.t('Stream Execution Events'),
      run: async (arg) => {
        const target = await executionTarget(arg, () => true, l10n.t('Stream the events of which execution?'));
        const key = streamKey(target);
        if (deps.streams.has(key)) {
          const stop = l10n.t('Stop Streaming');
          deps.streams.open(key, eventsChannel(target.execution));
          const choice = await showInformation(l10n.t('The events of {0} are already streaming.', executionName(target.execution)), stop);
          if (choice === stop) deps.streams.stop(key, vscode.l10n.t('Event streaming stopped.'));
          return;
        }
        startStream(target);
      },
    },
    {
      id: COMMAND.executionStop,
      title: vscode.l10n.t('Stop Execution'),
      run: async (arg) => {
        const target = await executionTarget(arg, (ex) => executionActionsFor(ex.status).includes('stop'), l10n.t('Stop which execution?'));
        await executionAction(target, 'stop');
      },
    },
    {
      id: COMMAND.executionRerun,
      title: vscode.l10n.t('Rerun Execution'),
      run: async (arg) => {
        const target = await executionTarget(arg, (ex) => executionActionsFor(ex.status).includes('rerun'), l10n.t('Rerun which execution?'));
        await executionAction(target, 'rerun');
      },
    },
    {
      id: COMMAND.stepStop,
      title: vscode.l10n.t('Stop Step'),
      run: async (arg) => stepAction(await stepTarget(arg, 'stop', l10n.t('Stop which step?')), 'stop'),
    },
    {
      id: COMMAND.stepRetry,
      title: vscode.l10n.t('Retry Step'),
      run: async (arg) => stepAction(await stepTarget(arg, 'retry', l10n.t('Retry which step?')), 'retry'),
    },
    {
      id: COMMAND.stepContinue,
      title: vscode.l10n.t('Continue Step'),
      run: async (arg) => stepAction(await stepTarget(arg, 'continue', l10n.t('Continue which step?')), 'continue'),
    },
    ...createSubscriptionCommands(deps, { requireSession, pickWorkflow, loading }),
  ];

  return {
    commands,
    dispose: () => {
      disposed.abort();
    },
  };
}
