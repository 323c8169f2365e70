// A workflow: its state (own, else its latest execution's) and its executions, newest first, paged.

import type * as vscode from 'vscode';
import type { Pager } from '../../api/paging';
import type { Workflow, WorkflowExecution } from '../../api/types';
import type { PollTarget } from '../../watch/poller';
import { itemId } from '../ids';
import { stateWord } from '../../common/stateWords';
import { statusLook } from '../status';
import { workflowState, workflowTooltip } from '../text';
import { ExecutionNode } from './executionNode';
import { ListNode, type ListChild } from './listNode';
import { displayName, hasProblems, problemsAccessibilityLabel, resourceContext, rowIcon } from './look';
import type { ExplorerNode, NodeView, ResourceInfo, TreeContext } from './node';
import { ResourceHandle, renderMarked } from './resourceHandle';
import type { ListTexts } from './rows';

export class WorkflowNode extends ListNode<WorkflowExecution, ExecutionNode> implements ListChild<Workflow> {
  private readonly handle: ResourceHandle<Workflow>;

  constructor(
    id: string,
    parent: ExplorerNode,
    ctx: TreeContext,
    item: Workflow,
    readonly workspaceId: string,
    onFresh: (item: Workflow) => void,
  ) {
    super(id, parent, ctx);
    this.handle = new ResourceHandle({
      node: this,
      ctx,
      item,
      fetch: (signal) => ctx.session.client.workflows.get(this.key, {}, signal),
      signature: (wf) => JSON.stringify([workflowState(wf), wf.latest_execution?.execution_id, wf.latest_execution?.status]),
      onFresh,
    });
  }

  get item(): Workflow {
    return this.handle.item;
  }

  get key(): string {
    return this.item.workflow_id;
  }

  get readGeneration(): number {
    return this.handle.generation;
  }

  get transitional(): boolean {
    return statusLook('workflow', workflowState(this.item)).transitional;
  }

  get resource(): ResourceInfo {
    const wf = this.item;
    return { kind: 'workflow', id: wf.workflow_id, name: wf.name, console: { kind: 'workflows' }, details: { kind: 'workflow', workflowId: wf.workflow_id } };
  }

  view(): NodeView {
    const wf = this.item;
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const state = workflowState(wf);
    const label = displayName(wf.name, wf.workflow_id, l10n);
    const description = stateWord('workflow', state, l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, wf, l10n),
      tooltip: workflowTooltip(wf, l10n),
      icon: rowIcon('workflow', state, wf),
      contextValue: resourceContext('workflow', state, { refreshable: true, malformed: hasProblems(wf) }),
      collapsible: 'collapsed',
    };
  }

  update(item: Workflow): boolean {
    return this.handle.update(item);
  }

  bump(): void {
    this.handle.bump();
  }

  pollTarget(): PollTarget {
    return this.handle.pollTarget();
  }

  refreshFailed(error: unknown): void {
    this.handle.failed(error);
  }

  override getTreeItem(): vscode.TreeItem {
    return renderMarked(this.ctx, this.view(), this.handle);
  }

  async reload(): Promise<void> {
    this.invalidate();
    await this.handle.reload();
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return { noun: l10n.t('executions'), empty: l10n.t('No executions') };
  }

  protected createPager(pageSize: number): Pager<WorkflowExecution> {
    return this.ctx.session.client.workflows.executions(this.key, { pageSize, workspaceId: this.workspaceId });
  }

  protected keyOf(ex: WorkflowExecution): string {
    return ex.execution_id;
  }

  protected childId(key: string, index: number): string {
    return itemId(`${this.id}/execution`, key, index);
  }

  protected createChild(id: string, ex: WorkflowExecution): ExecutionNode {
    return new ExecutionNode(id, this, this.ctx, ex, (fresh) => this.loader.replace(fresh));
  }
}
