// A workflow execution (`execution-064  Completed`) and its step executions, from its own data.

import type { WorkflowExecution } from '../../api/types';
import type { PollTarget } from '../../watch/poller';
import { statusLook } from '../status';
import { stateWord } from '../../common/stateWords';
import { executionTooltip } from '../text';
import type { ListChild } from './listNode';
import { displayName, hasProblems, problemsAccessibilityLabel, resourceContext, rowIcon } from './look';
import { type ExplorerNode, type NodeView, type ResourceInfo, type TreeContext } from './node';
import { HandleBackedNode, ResourceHandle } from './resourceHandle';
import { StepNode } from './stepNode';
import type { WorkflowNode } from './workflowNode';

export class ExecutionNode extends HandleBackedNode<WorkflowExecution> implements ListChild<WorkflowExecution> {
  protected readonly handle: ResourceHandle<WorkflowExecution>;
  private steps = new Map<string, StepNode>();
  private stepRows: StepNode[] = [];

  constructor(
    id: string,
    readonly workflow: WorkflowNode,
    ctx: TreeContext,
    item: WorkflowExecution,
    onFresh: (item: WorkflowExecution) => void,
  ) {
    super(id, workflow, ctx);
    this.handle = new ResourceHandle({
      node: this,
      ctx,
      item,
      fetch: (signal) => ctx.session.client.workflows.getExecution(this.workflow.key, this.key, signal),
      signature: (ex) => JSON.stringify([ex.status, ex.steps_execution.map((s) => [s.uuid, s.status])]),
      onFresh,
      onUpdate: () => this.buildSteps(),
    });
    this.buildSteps();
  }

  get key(): string {
    return this.item.execution_id;
  }

  /** Moving while it or any of its steps is (one GET of the execution reads them all). */
  get transitional(): boolean {
    return statusLook('execution', this.item.status).transitional || this.stepRows.some((s) => s.transitional);
  }

  get resource(): ResourceInfo {
    const ex = this.item;
    return {
      kind: 'execution',
      id: ex.execution_id,
      name: ex.name ?? ex.execution_id,
      console: { kind: 'workflows' },
      details: { kind: 'execution', workflowId: this.workflow.key, executionId: ex.execution_id },
    };
  }

  view(): NodeView {
    const ex = this.item;
    const { l10n } = this.ctx;
    const label = displayName(ex.name, ex.execution_id, l10n);
    const description = stateWord('execution', ex.status, l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, ex, l10n),
      tooltip: executionTooltip(ex, l10n),
      icon: rowIcon('execution', ex.status, ex),
      contextValue: resourceContext('execution', ex.status, { refreshable: true, malformed: hasProblems(ex) }),
      collapsible: this.stepRows.length > 0 ? 'collapsed' : 'none',
    };
  }

  getChildren(): Promise<ExplorerNode[]> {
    return Promise.resolve([...this.stepRows]);
  }

  loadedChildren(): readonly ExplorerNode[] {
    return this.stepRows;
  }

  /** Moving steps are read through their execution. */
  pollTargets(): PollTarget[] {
    return this.stepRows.some((s) => s.transitional) ? [this.pollTarget()] : [];
  }

  private buildSteps(): void {
    const next = new Map<string, StepNode>();
    const rows: StepNode[] = [];
    this.item.steps_execution.forEach((step, index) => {
      // A step without a uuid (the parser marked it), or a repeated one, still shows, under a positional id.
      const uuid = step.uuid !== '' && !next.has(`=${step.uuid}`) ? step.uuid : undefined;
      const key = uuid === undefined ? `#${index}` : `=${uuid}`;
      const node = this.steps.get(key) ?? new StepNode(this, this.ctx, uuid, index);
      node.item = step;
      next.set(key, node);
      rows.push(node);
    });
    this.steps = next;
    this.stepRows = rows;
  }
}
