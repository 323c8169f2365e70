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
import type { ExplorerNode, NodeView, TreeContext } from './node';
import { NotebookNode } from './notebookNode';
import type { ListTexts } from './rows';
import { TrainingJobNode } from './trainingJobNode';
import { WorkflowNode } from './workflowNode';
import type { WorkspaceNode } from './workspaceNode';

const GROUP_ICONS: Readonly<Record<GroupKind, string>> = { trainingJobs: 'beaker', notebooks: 'notebook', workflows: 'type-hierarchy', apps: 'key' };

/** What makes one group what it is: its words, its list request, its rows. Everything else is shared. */
interface GroupSpec<T, C extends ListChild<T>> {
  readonly group: GroupKind;
  /** Whether the explorer's name and state filters apply (apps have no state). */
  readonly filterable: boolean;
  /** The last segment of its rows' ids (`…/ws/0/job/<id>`). */
  readonly rowKind: string;
  label(l10n: typeof vscode.l10n): string;
  texts(l10n: typeof vscode.l10n): ListTexts;
  /** The paged request, or undefined when the filters exclude every row of this kind. */
  pager(scope: GroupScope, pageSize: number): Pager<T> | undefined;
  keyOf(item: T): string;
  /** Whether a row belongs in the list as filtered (checked on each row, whatever the server did). */
  accepts?(scope: GroupScope, item: T): boolean;
  createChild(scope: GroupScope, id: string, item: T, onFresh: (item: T) => void): C;
}

/** Where a group's rows live: the group row, its tree and its workspace. */
interface GroupScope {
  readonly parent: ExplorerNode;
  readonly ctx: TreeContext;
  readonly workspaceId: string;
}

export class GroupNode<T, C extends ListChild<T>> extends ListNode<T, C> {
  readonly group: GroupKind;

  constructor(
    readonly workspace: WorkspaceNode,
    ctx: TreeContext,
    private readonly spec: GroupSpec<T, C>,
  ) {
    super(nodeIds.group(ctx.session.profile, workspace.workspaceId, spec.group), workspace, ctx);
    this.group = spec.group;
  }

  protected override get filterable(): boolean {
    return this.spec.filterable;
  }

  private get scope(): GroupScope {
    return { parent: this, ctx: this.ctx, workspaceId: this.workspace.workspaceId };
  }

  /** Whether the explorer's filters narrow this list (a filter change reloads only those). */
  get followsFilters(): boolean {
    return this.filterable;
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return this.spec.texts(l10n);
  }

  protected createPager(pageSize: number): Pager<T> | undefined {
    return this.spec.pager(this.scope, pageSize);
  }

  protected keyOf(item: T): string {
    return this.spec.keyOf(item);
  }

  protected override accepts(item: T): boolean {
    return this.spec.accepts?.(this.scope, item) ?? true;
  }

  protected childId(key: string, index: number): string {
    return itemId(`${nodeIds.workspace(this.ctx.session.profile, this.workspace.workspaceId)}/${this.spec.rowKind}`, key, index);
  }

  protected createChild(id: string, item: T): C {
    return this.spec.createChild(this.scope, id, item, (fresh) => this.loader.replace(fresh));
  }

  view(): NodeView {
    const { l10n } = this.ctx;
    const label = this.spec.label(l10n);
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

const TRAINING_JOBS: GroupSpec<TrainingJob, TrainingJobNode> = {
  group: 'trainingJobs',
  filterable: true,
  rowKind: 'job',
  label: (l10n) => l10n.t('Training Jobs'),
  texts: (l10n) => ({ noun: l10n.t('training jobs'), empty: l10n.t('No training jobs') }),
  pager(scope, pageSize) {
    const q = trainingJobQuery(scope.ctx.filter());
    if (q.excluded) return undefined;
    return scope.ctx.session.client.trainingJobs.search({ workspaceId: scope.workspaceId, pageSize, name: q.name, phase: q.status });
  },
  keyOf: (job) => job.metadata.id,
  accepts: (scope, job) => acceptsStatus(scope.ctx.filter(), job.status.phase),
  createChild: (scope, id, job, onFresh) => new TrainingJobNode(id, scope.parent, scope.ctx, job, scope.workspaceId, onFresh),
};

const NOTEBOOKS: GroupSpec<Notebook, NotebookNode> = {
  group: 'notebooks',
  filterable: true,
  rowKind: 'notebook',
  label: (l10n) => l10n.t('Notebooks'),
  texts: (l10n) => ({ noun: l10n.t('notebooks'), empty: l10n.t('No notebooks') }),
  pager(scope, pageSize) {
    const q = notebookQuery(scope.ctx.filter());
    if (q.excluded) return undefined;
    return scope.ctx.session.client.notebooks.list({ workspaceId: scope.workspaceId, pageSize, name: q.name, status: q.status });
  },
  keyOf: (nb) => nb.id,
  accepts: (scope, nb) => acceptsStatus(scope.ctx.filter(), nb.status),
  createChild: (scope, id, nb, onFresh) => new NotebookNode(id, scope.parent, scope.ctx, nb, onFresh),
};

const WORKFLOWS: GroupSpec<Workflow, WorkflowNode> = {
  group: 'workflows',
  filterable: true,
  rowKind: 'workflow',
  label: (l10n) => l10n.t('Workflows'),
  texts: (l10n) => ({ noun: l10n.t('workflows'), empty: l10n.t('No workflows') }),
  pager(scope, pageSize) {
    const q = workflowQuery(scope.ctx.filter());
    if (q.excluded) return undefined;
    // The workflow list takes no workspace (its reference lists none): rows are matched to the workspace here.
    return scope.ctx.session.client.workflows.list({ pageSize, name: q.name, status: q.status });
  },
  keyOf: (wf) => wf.workflow_id,
  accepts: (scope, wf) => (wf.workspace_id ?? '0') === scope.workspaceId && acceptsStatus(scope.ctx.filter(), workflowState(wf)),
  createChild: (scope, id, wf, onFresh) => new WorkflowNode(id, scope.parent, scope.ctx, wf, scope.workspaceId, onFresh),
};

const APPS: GroupSpec<App, AppNode> = {
  group: 'apps',
  filterable: false,
  rowKind: 'app',
  label: (l10n) => l10n.t('Apps'),
  texts: (l10n) => ({ noun: l10n.t('apps'), empty: l10n.t('No apps') }),
  pager: (scope, pageSize) => scope.ctx.session.client.apps.list({ workspaceId: scope.workspaceId, pageSize }),
  keyOf: (app) => app.app_id,
  createChild: (scope, id, app, onFresh) => new AppNode(id, scope.parent, scope.ctx, app, onFresh),
};

export type WorkspaceGroups = readonly [GroupNode<TrainingJob, TrainingJobNode>, GroupNode<Notebook, NotebookNode>, GroupNode<Workflow, WorkflowNode>, GroupNode<App, AppNode>];

/** The four groups under a workspace, in the order the tree shows them. */
export function workspaceGroups(workspace: WorkspaceNode, ctx: TreeContext): WorkspaceGroups {
  return [new GroupNode(workspace, ctx, TRAINING_JOBS), new GroupNode(workspace, ctx, NOTEBOOKS), new GroupNode(workspace, ctx, WORKFLOWS), new GroupNode(workspace, ctx, APPS)];
}
