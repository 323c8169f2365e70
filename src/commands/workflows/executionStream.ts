// An execution's events streamed into its own channel, from where the last stream of it stopped.

import * as vscode from 'vscode';
import { systemClock } from '../../api/clock';
import type { ActionDeps } from '../actionDeps';
import { lineText } from '../../common/safeText';
import { readSettings } from '../../common/settings';
import { localOffsetMinutes, zoneLabel } from '../../common/time';
import { EventCursor, streamExecutionEvents } from '../../watch/executionEvents';
import { eventsChannel, executionKey, executionName, refreshExecutionRow, type ExecutionTarget } from './workflowTargets';

export type ExecutionStreamDeps = Pick<ActionDeps, 'explorer' | 'log' | 'streams'>;

export const streamKey = (target: ExecutionTarget): string => `events:${executionKey(target.session, target.workflowId, target.execution.execution_id)}`;

export function startStream(deps: ExecutionStreamDeps, target: ExecutionTarget): void {
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
    clock: systemClock,
    cursor,
    baseIntervalMs: () => readSettings().refreshIntervalSeconds * 1000,
    l10n: vscode.l10n,
    sink: stream.channel,
    maxLines: () => readSettings().logsMaxLines,
    signal: stream.signal,
    onRead: (ex) => {
      if (ex.status !== lastStatus) refreshExecutionRow(deps, target.session, ex.execution_id);
      lastStatus = ex.status;
    },
    log: deps.log,
  }).then((end) => {
    if (end !== 'stopped') deps.streams.ended(key, stream);
  });
}
