// A task of a training job (`worker-0`): the id that log and save-image calls take.

import type * as vscode from 'vscode';
import type { PollTarget } from '../../watch/poller';
import { contextValue, nodeIds } from '../ids';
import { stateTag } from '../status';
import { stateWord } from '../../common/stateWords';
import { taskDescription, taskTooltip } from '../text';
import { BaseNode, ROW_COMMANDS, type NodeView, type ResourceInfo, type ResourceNode, type TreeContext } from './node';
import type { TrainingJobNode } from './trainingJobNode';

export class TaskNode extends BaseNode implements ResourceNode {
  constructor(
    readonly job: TrainingJobNode,
    ctx: TreeContext,
    readonly task: string,
  ) {
    super(nodeIds.task(ctx.session.profile, job.workspaceId, job.key, task), job, ctx);
  }

  /** Its state is its job's: the job's poll covers it. */
  get transitional(): boolean {
    return false;
  }

  get resource(): ResourceInfo {
    const jobId = this.job.key;
    return {
      kind: 'task',
      id: this.task,
      name: this.task,
      console: { kind: 'trainingJob', jobId },
      details: { kind: 'task', jobId, task: this.task },
    };
  }

  view(): NodeView {
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const job = this.job.item;
    const view: NodeView = {
      id: this.id,
      label: this.task,
      tooltip: taskTooltip(job, this.task, l10n),
      icon: { id: 'server-process' },
      // The job's phase: later actions (save image, follow logs) depend on it.
      contextValue: contextValue('resource', 'task', stateTag(job.status.phase)),
      collapsible: 'none',
      command: { command: ROW_COMMANDS.showDetails, title: l10n.t('Show Details'), arguments: [this] },
    };
    const description = taskDescription(job, this.task, l10n);
    if (description !== undefined) view.description = description;
    // The row shows no status of its own: say the job's, which decides what the task can do.
    view.accessibilityLabel = [this.task, l10n.t('training job {0}', stateWord('trainingJob', job.status.phase, l10n)), description].filter(Boolean).join(', ');
    return view;
  }

  pollTarget(): PollTarget {
    return this.job.pollTarget();
  }

  reload(): Promise<void> {
    return this.job.reload();
  }
}
