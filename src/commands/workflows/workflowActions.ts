// Workflow actions: stream an execution's events, stop or rerun an execution, stop, retry or continue a step,
// and the subscription commands of a workflow. Each command lives in its own module; this factory holds what
// they share (the signal that the extension is going away).

import type { ActionDeps } from '../actionDeps';
import type { CommandSpec } from '../registry';
import { createSubscriptionCommands } from '../subscriptions/subscriptionCommands';
import { executionActionCommands, type WorkflowCommandDeps } from './executionActions';
import { stepActionCommands } from './stepActions';
import { streamEventsCommand } from './streamEvents';

export function createWorkflowActions(deps: ActionDeps): { commands: CommandSpec[]; dispose(): void } {
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
    dispose: () => {
      disposed.abort();
    },
  };
}
