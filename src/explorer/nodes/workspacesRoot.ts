// The top of the tree: the session's workspaces, paged. Not a row itself: its rows have no parent.

import type * as vscode from 'vscode';
import type { Pager } from '../../api/paging';
import type { Workspace } from '../../api/types';
import { itemId, nodeIds } from '../ids';
import { ListNode } from './listNode';
import type { ExplorerNode, NodeView, TreeContext } from './node';
import type { ListTexts } from './rows';
import { WorkspaceNode } from './workspaceNode';

export class WorkspacesRoot extends ListNode<Workspace, WorkspaceNode> {
  constructor(ctx: TreeContext) {
    super(nodeIds.root(ctx.session.profile), undefined, ctx);
  }

  view(): NodeView {
    return { id: this.id, label: this.ctx.session.profile, contextValue: ';root;', collapsible: 'expanded' };
  }

  protected override rowParent(): ExplorerNode | undefined {
    return undefined;
  }

  protected texts(l10n: typeof vscode.l10n): ListTexts {
    return { noun: l10n.t('workspaces'), empty: l10n.t('No workspaces') };
  }

  protected createPager(pageSize: number): Pager<Workspace> {
    // Only the workspaces this user can open: the others would fail on every expand.
    return this.ctx.session.client.workspaces.list({ pageSize, filterAccessible: true, sortBy: 'name', order: 'asc' });
  }

  protected keyOf(ws: Workspace): string {
    return ws.id;
  }

  protected childId(key: string, index: number): string {
    return key === '' ? itemId(`${this.id}/ws`, key, index) : nodeIds.workspace(this.ctx.session.profile, key);
  }

  protected createChild(id: string, ws: Workspace): WorkspaceNode {
    return new WorkspaceNode(id, undefined, this.ctx, ws, (fresh) => this.loader.replace(fresh));
  }

  override dispose(): void {
    super.dispose();
    for (const ws of this.resourceChildren()) ws.dispose();
  }
}
