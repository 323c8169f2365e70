// Stream Execution Events: starts the stream, or offers to stop the one already running.

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { startStream, streamKey, type ExecutionStreamDeps } from './executionStream';
import { eventsChannel, executionName, executionTarget } from './workflowTargets';

/** Sentences with the service's values (execution names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export type StreamEventsDeps = ExecutionStreamDeps & Pick<ActionDeps, 'sessions'>;

export function streamEventsCommand(deps: StreamEventsDeps): CommandSpec {
  return { id: COMMAND.executionStreamEvents, title: vscode.l10n.t('Stream Execution Events'), run: (arg) => streamEvents(deps, arg) };
}

export async function streamEvents(deps: StreamEventsDeps, arg: unknown): Promise<void> {
  const target = await executionTarget(deps, arg, () => true, l10n.t('Stream the events of which execution?'));
  const key = streamKey(target);
  if (deps.streams.has(key)) {
    const stop = l10n.t('Stop Streaming');
    deps.streams.open(key, eventsChannel(target.execution));
    const choice = await showInformation(l10n.t('The events of {0} are already streaming.', executionName(target.execution)), stop);
    if (choice === stop) deps.streams.stop(key, vscode.l10n.t('Event streaming stopped.'));
    return;
  }
  startStream(deps, target);
}
