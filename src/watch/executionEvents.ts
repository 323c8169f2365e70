// Streaming a workflow execution's events without VS Code: a cursor that hands out each event string once,
// a step summary line on every change, re-reading the execution through the one follow loop (follow.ts)
// until it ends or is stopped, into a capped output. Runs on a Clock, so tests drive it with a ManualClock
// against the emulator.

import type * as vscode from 'vscode';
import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import type { StepExecution, WorkflowExecution } from '../api/types';
import type { WorkflowsApi } from '../api/workflows';
import { EXECUTION_LIFECYCLE, movingStates } from '../api/lifecycle';
import { allowedExecutionActions, allowedStepActions } from '../api/validate';
import { lineText } from '../common/safeText';
import { stateWord } from '../common/stateWords';
import { localEventLine } from '../common/time';
import { Backoff } from './backoff';
import { DEFAULT_MAX_LINES, type LogSink } from './cappedOutput';
import { followOutput, runFollow, type FollowRound } from './follow';

/** The states in which an execution still moves on its own (from its lifecycle table). */
export const EXECUTION_ACTIVE_STATES: readonly string[] = movingStates(EXECUTION_LIFECYCLE);

/**
 * Whether a stream or watch of this execution is done. Unlike the tree, which keeps polling a state it does not
 * know, a follow ends on it: an execution in a state the table does not list is not going to say more.
 */
export function isExecutionFinal(status: string | undefined): boolean {
  return status !== undefined && !EXECUTION_ACTIVE_STATES.includes(status);
}

/** The execution actions a state offers (its lifecycle table, which the menus follow). */
export const executionActionsFor = allowedExecutionActions;

/** The step actions a state offers (its lifecycle table, which the menus follow). */
export const stepActionsFor = allowedStepActions;

/**
 * Where a stream is in an execution's event list: how many events were seen and the last one. The list
 * normally only grows. If it shrinks or its seen part changes (a rerun that started the list over, or a
 * list trimmed at the front), the cursor finds its last event again; when that is gone too, the list
 * started over and every event in it is new.
 */
export class EventCursor {
  private seen = 0;
  private last: string | undefined;

  get count(): number {
    return this.seen;
  }

  take(events: readonly string[]): { events: string[]; restarted: boolean } {
    let from: number;
    let restarted = false;
    if (this.seen === 0 || (events.length >= this.seen && events[this.seen - 1] === this.last)) {
      from = this.seen;
    } else {
      const at = this.last === undefined ? -1 : events.lastIndexOf(this.last);
      if (at >= 0) {
        from = at + 1;
      } else {
        from = 0;
        restarted = true;
      }
    }
    const fresh = events.slice(from);
    this.seen = events.length;
    if (events.length > 0) this.last = events[events.length - 1];
    return { events: fresh, restarted };
  }
}

/** `steps: model_step completed, service_step running`; undefined when there are no steps yet. */
export function stepSummary(steps: readonly StepExecution[], l10n: typeof vscode.l10n): string | undefined {
  if (steps.length === 0) return undefined;
  return l10n.t('steps: {0}', steps.map((s) => `${s.step_name || s.uuid} ${s.status ?? '?'}`).join(', '));
}

export type StreamEnd = 'ended' | 'stopped' | 'failed';

export interface ExecutionStreamOptions {
  api: Pick<WorkflowsApi, 'getExecution'>;
  workflowId: string;
  executionId: string;
  clock: Clock;
  /** Kept by the caller per execution, so following again (or after a rerun) never repeats an event. */
  cursor: EventCursor;
  /** The base polling interval (the refresh setting), read each time. */
  baseIntervalMs: () => number;
  l10n: typeof vscode.l10n;
  /** The channel: written through a capped output of `maxLines` lines, one append per read. */
  sink?: LogSink;
  /** The line cap of the channel (the logs setting), read each time; default 10,000 lines. */
  maxLines?: () => number;
  /** Instead of a channel: one batch of lines per read (nothing when nothing is new). */
  append?: (lines: string[]) => void;
  /** Aborted when the user stops the stream or the extension deactivates. */
  signal: AbortSignal;
  /** Each execution read. */
  onRead?: (execution: WorkflowExecution) => void;
  log?: Logger;
  /** Consecutive failed reads before giving up; default 10. */
  maxFailures?: number;
  /** The zone the event times are shown in, minutes east of UTC; default the computer's. */
  offsetMinutes?: number;
}

/** A sink that hands each append to `append` as its lines (a batch never holds a line break of its own). */
function batchSink(append: (lines: string[]) => void): LogSink {
  const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');
  return { append: (text) => append(lines(text)), replace: (text) => append(lines(text)) };
}

/**
 * Appends each new event and a step summary whenever a step changes, reading the execution at once and
 * then on the back-off's interval (reset by every change), until the execution is final (a closing line)
 * or `signal` aborts (no line here: the stream registry writes the user's closing line).
 */
export async function streamExecutionEvents(o: ExecutionStreamOptions): Promise<StreamEnd> {
  const { l10n, signal } = o;
  const sink = o.sink ?? batchSink(o.append ?? (() => undefined));
  const output = followOutput(sink, o.maxLines ?? (() => DEFAULT_MAX_LINES), l10n);
  let lastSummary: string | undefined;

  const round = async (): Promise<FollowRound> => {
    const ex = await o.api.getExecution(o.workflowId, o.executionId, signal);
    // Stopped while reading: nothing more is written.
    if (signal.aborted) return { changed: false };
    o.onRead?.(ex);
    const lines: string[] = [];
    const { events, restarted } = o.cursor.take(ex.events);
    if (restarted) lines.push(l10n.t('(the event list started over)'));
    // The cursor keeps the service's strings; the lines show their China-time stamps in local time.
    for (const event of events) lines.push(localEventLine(event, { offsetMinutes: o.offsetMinutes }));
    const summary = stepSummary(ex.steps_execution, l10n);
    const summaryChanged = summary !== undefined && summary !== lastSummary;
    if (summaryChanged) lines.push(summary);
    lastSummary = summary ?? lastSummary;
    // One event a line, whatever the service's strings hold.
    output.push(lines.map(lineText));
    const changed = events.length > 0 || summaryChanged;
    if (!isExecutionFinal(ex.status)) return { changed };
    const line = lineText(l10n.t('Execution {0}: {1}. Event streaming ended.', ex.name ?? o.executionId, stateWord('execution', ex.status, l10n)));
    return { changed, ended: { phase: ex.status ?? '', line } };
  };

  const end = await runFollow(
    {
      name: `events of ${o.executionId}`,
      backoff: new Backoff({ baseMs: o.baseIntervalMs }),
      round,
      failedLine: (message, failures) => lineText(l10n.t('Stopped streaming events after {0} failed reads: {1}', failures, message)),
    },
    { output, clock: o.clock, signal, log: o.log, maxFailures: o.maxFailures },
  );
  return end.reason === 'ended' ? 'ended' : end.reason === 'aborted' ? 'stopped' : 'failed';
}
