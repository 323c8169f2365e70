// After an action on an execution or one of its steps, the execution is re-read until it is final again,
// visible or not. A read that still shows the old final state (the action has not shown yet) does not
// count as the end: only a final state after an active one does, or one that lasts `settleReads` reads.

import type { WorkflowExecution } from '../../api/types';
import type { WorkflowsApi } from '../../api/workflows';
import type { Watch, WatchRegistry } from '../../watch/watcher';
import { isExecutionFinal } from '../../watch/executionEvents';

export interface ExecutionWatchOptions {
  api: Pick<WorkflowsApi, 'getExecution'>;
  watches: WatchRegistry;
  key: string;
  workflowId: string;
  executionId: string;
  /** A read whose execution or step states differ from the previous one (redraw the row). */
  onChange?: (execution: WorkflowExecution) => void;
  /** Final reads in a row that end the watch without an active one first; default 3. */
  settleReads?: number;
}

function stateOf(ex: WorkflowExecution): string {
  return JSON.stringify([ex.status, ex.steps_execution.map((s) => [s.uuid, s.status])]);
}

export function watchExecution(o: ExecutionWatchOptions): Watch<WorkflowExecution> {
  const settleReads = o.settleReads ?? 3;
  let sawActive = false;
  let finalReads = 0;
  let last: string | undefined;
  return o.watches.watch(
    o.key,
    (signal) => o.api.getExecution(o.workflowId, o.executionId, signal),
    (ex) => {
      if (!isExecutionFinal(ex.status)) {
        sawActive = true;
        finalReads = 0;
        return false;
      }
      finalReads++;
      return sawActive || finalReads >= settleReads;
    },
    {
      signature: stateOf,
      onUpdate: (ex) => {
        const now = stateOf(ex);
        if (now !== last) o.onChange?.(ex);
        last = now;
      },
    },
  );
}
