// A training job: `Running · 12m`, icon by phase, its tasks (`worker-0`) as children.

import type { TrainingJob } from '../../api/types';
import { statusLook } from '../status';
import { trainingJobDescription, trainingJobTooltip } from '../text';
import type { ListChild } from './listNode';
import { displayName, hasProblems, problemsAccessibilityLabel, resourceContext, rowIcon } from './look';
import { type ExplorerNode, type NodeView, type ResourceInfo, type TreeContext } from './node';
import { HandleBackedNode, ResourceHandle } from './resourceHandle';
import { TaskNode } from './taskNode';

export class TrainingJobNode extends HandleBackedNode<TrainingJob> implements ListChild<TrainingJob> {
  protected readonly handle: ResourceHandle<TrainingJob>;
  private tasks = new Map<string, TaskNode>();

  constructor(
    id: string,
    parent: ExplorerNode,
    ctx: TreeContext,
    item: TrainingJob,
    readonly workspaceId: string,
    onFresh: (item: TrainingJob) => void,
  ) {
    super(id, parent, ctx);
    this.handle = new ResourceHandle({
      node: this,
      ctx,
      item,
      fetch: (signal) => ctx.session.client.trainingJobs.get(this.key, signal),
      signature: (job) => JSON.stringify([job.status.phase, job.status.secondary_phase, job.status.tasks, job.status.task_statuses]),
      onFresh,
    });
  }

  get key(): string {
    return this.item.metadata.id;
  }

  get transitional(): boolean {
    return statusLook('trainingJob', this.item.status.phase).transitional;
  }

  get resource(): ResourceInfo {
    const job = this.item;
    return {
      kind: 'trainingJob',
      id: job.metadata.id,
      name: job.metadata.name,
      console: { kind: 'trainingJob', jobId: job.metadata.id },
      details: { kind: 'trainingJob', jobId: job.metadata.id },
    };
  }

  view(): NodeView {
    const job = this.item;
    const { l10n } = this.ctx;
    const now = this.ctx.clock.now();
    const label = displayName(job.metadata.name, job.metadata.id, l10n);
    const description = trainingJobDescription(job, now, l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, job, l10n),
      tooltip: trainingJobTooltip(job, now, l10n),
      icon: rowIcon('trainingJob', job.status.phase, job),
      contextValue: resourceContext('trainingJob', job.status.phase, { refreshable: true, malformed: hasProblems(job) }),
      collapsible: this.taskNames().length > 0 ? 'collapsed' : 'none',
    };
  }

  getChildren(): Promise<ExplorerNode[]> {
    return Promise.resolve(this.buildTasks());
  }

  loadedChildren(): readonly ExplorerNode[] {
    return [...this.tasks.values()];
  }

  private taskNames(): string[] {
    return [...new Set(this.item.status.tasks.filter((name) => name !== ''))];
  }

  /** Task rows from the job's own data: no request. */
  private buildTasks(): TaskNode[] {
    const next = new Map<string, TaskNode>();
    for (const name of this.taskNames()) next.set(name, this.tasks.get(name) ?? new TaskNode(this, this.ctx, name));
    this.tasks = next;
    return [...next.values()];
  }
}
