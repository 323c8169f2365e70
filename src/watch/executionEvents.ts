// Streaming a workflow execution's events without VS Code: a cursor that hands out each event string once,
// a step summary line on every change, and a loop that re-reads the execution (with back-off) until it
// ends or is stopped. Runs on a Clock, so tests drive it with a ManualClock against the emulator.

import type * as vscode from 'vscode';
import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import type { StepExecution, WorkflowExecution } from '../api/types';
import type { WorkflowsApi } from '../api/workflows';
import { EXECUTION_ACTION_STATES, STEP_ACTION_STATES } from '../api/validate';
import { lineText } from '../common/safeText';
import { stateWord } from '../common/stateWords';
import { localEventLine } from '../common/time';
import type { ExecutionActionName, StepActionName } from '../api/types';
import { Backoff, isAbort, throttling } from './backoff';

/** An execution is moving while `init` or `running`; every other state is final. */
export const EXECUTION_ACTIVE_STATES: readonly string[] = ['init', 'running'];

export function isExecutionFinal(status: string | undefined): boolean {
  return status !== undefined && !EXECUTION_ACTIVE_STATES.includes(status);
}

/** The execution actions a state offers (the tables of src/api/validate.ts, which the menus follow). */
export function executionActionsFor(status: string | undefined): ExecutionActionName[] {
  return (Object.keys(EXECUTION_ACTION_STATES) as ExecutionActionName[]).filter((a) => status !== undefined && EXECUTION_ACTION_STATES[a].includes(status));
}

export function stepActionsFor(status: string | undefined): StepActionName[] {
  return (Object.keys(STEP_ACTION_STATES) as StepActionName[]).filter((a) => status !== undefined && STEP_ACTION_STATES[a].includes(status));
}

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
  /** One batch of lines per read; nothing when nothing is new. */
  append: (lines: string[]) => void;
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

/**
 * Appends each new event and a step summary whenever a step changes, reading the execution at once and
 * then on the back-off's interval (reset by every change), until the execution is final (a closing line)
 * or `signal` aborts (no line here: the stream registry writes the user's closing line).
 */
export async function streamExecutionEvents(o: ExecutionStreamOptions): Promise<StreamEnd> {
  const { l10n } = o;
  const backoff = new Backoff({ baseMs: o.baseIntervalMs });
  const maxFailures = o.maxFailures ?? 10;
  let lastSummary: string | undefined;
  let failures = 0;
  let first = true;
  for (;;) {
    try {
      if (!first) await o.clock.sleep(backoff.delayMs, o.signal);
      first = false;
      if (o.signal.aborted) return 'stopped';
      const ex = await o.api.getExecution(o.workflowId, o.executionId, o.signal);
      if (o.signal.aborted) return 'stopped';
      failures = 0;
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
      const final = isExecutionFinal(ex.status);
      if (final) lines.push(l10n.t('Execution {0}: {1}. Event streaming ended.', ex.name ?? o.executionId, stateWord('execution', ex.status, l10n)));
      // One event a line, whatever the service's strings hold.
      if (lines.length > 0) o.append(lines.map(lineText));
      if (final) return 'ended';
      if (events.length > 0 || summaryChanged) backoff.reset();
      else backoff.grow();
    } catch (error) {
      if (o.signal.aborted || isAbort(error)) return 'stopped';
      const throttled = throttling(error);
      if (throttled) {
        backoff.throttle(throttled.retryAfterMs);
        continue;
      }
      failures++;
      const message = error instanceof Error ? error.message : String(error);
      o.log?.debug(`events of ${o.executionId}: ${message} (${failures}/${maxFailures})`);
      if (failures >= maxFailures) {
        o.append([lineText(l10n.t('Stopped streaming events after {0} failed reads: {1}', failures, message))]);
        return 'failed';
      }
      backoff.grow();
    }
  }
}
