// The four groups under a workspace: Training Jobs, Notebooks, Workflows, Apps. Each is a paged list; the
// first three are filtered by name on the server and by state on the server where the API can (and on each
// row regardless). Apps have no state, so the explorer's filters leave them alone.

import type * as vscode from 'vscode';
import type { Pager } from '../../api/paging';
import type { App, Notebook, TrainingJob, Workflow } from '../../api/types';
import { acceptsStatus, filterMessage, notebookQuery, trainingJobQuery, workflowQuery } from '../filters';
import { contextValue, itemId, nodeIds, type GroupKind } from '../ids';
import { markdown, markdownText } from '../../common/safeText';
import { markdownTooltip, workflowState } from '../text';
import { AppNode } from './appNode';
import { ListNode, type ListChild } from './listNode';
import { displayName } from './look';
import type { NodeView, TreeContext } from './node';
import { NotebookNode } from './notebookNode';
import type { ListTexts } from './rows';
import { TrainingJobNode } from './trainingJobNode';
import { WorkflowNode } from './workflowNode';
import type { WorkspaceNode } from './workspaceNode';

const GROUP_ICONS: Readonly<Record<GroupKind, string>> = { trainingJobs: 'beaker', notebooks: 'notebook', workflows: 'type-hierarchy', apps: 'key' };

abstract class GroupNode<T, C extends ListChild<T>> extends ListNode<T, C> {
  constructor(
    readonly workspace: WorkspaceNode,
    ctx: TreeContext,
    readonly group: GroupKind,
  ) {
    super(nodeIds.group(ctx.session.profile, workspace.workspaceId, group), workspace, ctx);
  }

  protected abstract label(l10n: typeof vscode.l10n): string;

  protected override get filterable(): boolean {
    return true;
  }

  /** Whether the explorer's filters narrow this list (a filter change reloads only those). */
  get followsFilters(): boolean {
    return this.filterable;
  }

  /** Ids of this workspace's rows of one kind (`…/ws/0/job`). */
  protected kindPath(kind: string): string {
    return `${nodeIds.workspace(this.ctx.session.profile, this.workspace.workspaceId)}/${kind}`;
  }

  view(): NodeView {
    const { l10n } = this.ctx;
    const label = this.label(l10n);
    const filter = this.filterable ? filterMessage(this.ctx.filter(), l10n) : undefined;
    const tooltip = markdownTooltip(label, [[l10n.t('Workspace'), displayName(this.workspace.item.name, this.workspace.workspaceId, l10n)]], undefined, l10n);
    const view: NodeView = {
      id: this.id,
      label,
      tooltip: filter === undefined ? tooltip : markdown`${tooltip}\n\n${markdownText(filter)}`,
      icon: { id: GROUP_ICONS[this.group] },
      contextValue: contextValue('group', this.group, 'refreshable'),
      collapsible: 'collapsed',
    };
    if (filter !== undefined) view.description = l10n.t('filtered');
    return view;
  }
}

export class TrainingJobsGroupNode extends GroupNode<TrainingJob, TrainingJobNode> {
  constructor(workspace: WorkspaceNode, ctx: TreeContext) {
    super(workspace, ctx, 'trainingJobs');
  }

  protected label(l10n: typeof vscode.l10n): string {
    return l10n.t('Training Jobs');
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return { noun: l10n.t('training jobs'), empty: l10n.t('No training jobs') };
  }

  protected createPager(pageSize: number): Pager<TrainingJob> | undefined {
    const q = trainingJobQuery(this.ctx.filter());
    if (q.excluded) return undefined;
    return this.ctx.session.client.trainingJobs.search({ workspaceId: this.workspace.workspaceId, pageSize, name: q.name, phase: q.status });
  }

  protected keyOf(job: TrainingJob): string {
    return job.metadata.id;
  }

  protected override accepts(job: TrainingJob): boolean {
    return acceptsStatus(this.ctx.filter(), job.status.phase);
  }

  protected childId(key: string, index: number): string {
    return itemId(this.kindPath('job'), key, index);
  }

  protected createChild(id: string, job: TrainingJob): TrainingJobNode {
    return new TrainingJobNode(id, this, this.ctx, job, this.workspace.workspaceId, (fresh) => this.loader.replace(fresh));
  }
}

export class NotebooksGroupNode extends GroupNode<Notebook, NotebookNode> {
  constructor(workspace: WorkspaceNode, ctx: TreeContext) {
    super(workspace, ctx, 'notebooks');
  }

  protected label(l10n: typeof vscode.l10n): string {
    return l10n.t('Notebooks');
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return { noun: l10n.t('notebooks'), empty: l10n.t('No notebooks') };
  }

  protected createPager(pageSize: number): Pager<Notebook> | undefined {
    const q = notebookQuery(this.ctx.filter());
    if (q.excluded) return undefined;
    return this.ctx.session.client.notebooks.list({ workspaceId: this.workspace.workspaceId, pageSize, name: q.name, status: q.status });
  }

  protected keyOf(nb: Notebook): string {
    return nb.id;
  }

  protected override accepts(nb: Notebook): boolean {
    return acceptsStatus(this.ctx.filter(), nb.status);
  }

  protected childId(key: string, index: number): string {
    return itemId(this.kindPath('notebook'), key, index);
  }

  protected createChild(id: string, nb: Notebook): NotebookNode {
    return new NotebookNode(id, this, this.ctx, nb, (fresh) => this.loader.replace(fresh));
  }
}

export class WorkflowsGroupNode extends GroupNode<Workflow, WorkflowNode> {
  constructor(workspace: WorkspaceNode, ctx: TreeContext) {
    super(workspace, ctx, 'workflows');
  }

  protected label(l10n: typeof vscode.l10n): string {
    return l10n.t('Workflows');
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return { noun: l10n.t('workflows'), empty: l10n.t('No workflows') };
  }

  protected createPager(pageSize: number): Pager<Workflow> | undefined {
    const q = workflowQuery(this.ctx.filter());
    if (q.excluded) return undefined;
    // The workflow list takes no workspace (its reference lists none): rows are matched to the workspace here.
    return this.ctx.session.client.workflows.list({ pageSize, name: q.name, status: q.status });
  }

  protected keyOf(wf: Workflow): string {
    return wf.workflow_id;
  }

  protected override accepts(wf: Workflow): boolean {
    return (wf.workspace_id ?? '0') === this.workspace.workspaceId && acceptsStatus(this.ctx.filter(), workflowState(wf));
  }

  protected childId(key: string, index: number): string {
    return itemId(this.kindPath('workflow'), key, index);
  }

  protected createChild(id: string, wf: Workflow): WorkflowNode {
    return new WorkflowNode(id, this, this.ctx, wf, this.workspace.workspaceId, (fresh) => this.loader.replace(fresh));
  }
}

export class AppsGroupNode extends GroupNode<App, AppNode> {
  constructor(workspace: WorkspaceNode, ctx: TreeContext) {
    super(workspace, ctx, 'apps');
  }

  protected override get filterable(): boolean {
    return false;
  }

  protected label(l10n: typeof vscode.l10n): string {
    return l10n.t('Apps');
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return { noun: l10n.t('apps'), empty: l10n.t('No apps') };
  }

  protected createPager(pageSize: number): Pager<App> {
    return this.ctx.session.client.apps.list({ workspaceId: this.workspace.workspaceId, pageSize });
  }

  protected keyOf(app: App): string {
    return app.app_id;
  }

  protected childId(key: string, index: number): string {
    return itemId(this.kindPath('app'), key, index);
  }

  protected createChild(id: string, app: App): AppNode {
    return new AppNode(id, this, this.ctx, app, (fresh) => this.loader.replace(fresh));
  }
}
