// Workflow actions: stream an execution's events, stop or rerun an execution, stop, retry or continue a step,
// and the subscription commands of a workflow. Each command lives in its own module; this factory holds what
// they share (the signal that the extension is going away).

import type { ActionDeps } from '../actionDeps';
import type { CommandSpec } from '../registry';
import { createSubscriptionCommands } from '../subscriptions/subscriptionCommands';
import type { ExecutionActionName, WorkflowExecution } from '../../api/types';
import { executionActionCommands, sendExecutionAction, type WorkflowCommandDeps } from './executionActions';
import type { ExecutionTarget } from './workflowTargets';
import { stepActionCommands } from './stepActions';
import { streamEventsCommand } from './streamEvents';

export interface WorkflowActions {
  commands: CommandSpec[];
  /** Sends an execution action a tool's confirmation approved, then announces and watches it as the command does. */
  sendExecutionAction(target: ExecutionTarget, action: ExecutionActionName, signal?: AbortSignal): Promise<WorkflowExecution>;
  dispose(): void;
}

export function createWorkflowActions(deps: ActionDeps): WorkflowActions {
  const disposed = new AbortController();
  const shared: WorkflowCommandDeps = {
    sessions: deps.sessions,
    explorer: deps.explorer,
    log: deps.log,
    watches: deps.watches,
    streams: deps.streams,
    disposed: disposed.signal,
  };
  const commands: CommandSpec[] = [streamEventsCommand(shared), ...executionActionCommands(shared), ...stepActionCommands(shared), ...createSubscriptionCommands(deps)];
  return {
    commands,
    sendExecutionAction: (target, action, signal) => sendExecutionAction(shared, target, action, signal),
    dispose: () => {
      disposed.abort();
    },
  };
}
