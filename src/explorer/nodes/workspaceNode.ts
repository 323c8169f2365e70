// A workspace: its status in the description, owner/auth type/quotas in the tooltip, and four groups.

import type * as vscode from 'vscode';
import type { Workspace, WorkspaceQuota } from '../../api/types';
import { stateWord } from '../../common/stateWords';
import { statusLook } from '../status';
import { workspaceTooltip } from '../text';
import { workspaceGroups, type WorkspaceGroups } from './groupNodes';
import type { ListChild } from './listNode';
import { displayName, hasProblems, problemsAccessibilityLabel, resourceContext, rowIcon } from './look';
import { type ExplorerNode, type NodeView, type ResourceInfo, type TreeContext } from './node';
import { HandleBackedNode, ResourceHandle, describeError } from './resourceHandle';

export class WorkspaceNode extends HandleBackedNode<Workspace> implements ListChild<Workspace> {
  protected readonly handle: ResourceHandle<Workspace>;
  readonly groups: WorkspaceGroups;
  private quotas: WorkspaceQuota[] | undefined;
  private quotasLoad: Promise<void> | undefined;

  constructor(id: string, parent: ExplorerNode | undefined, ctx: TreeContext, item: Workspace, onFresh: (item: Workspace) => void) {
    super(id, parent, ctx);
    this.handle = new ResourceHandle({
      node: this,
      ctx,
      item,
      fetch: (signal) => ctx.session.client.workspaces.get(this.item.id, signal),
      signature: (ws) => `${ws.status ?? ''}`,
      onFresh,
    });
    this.groups = workspaceGroups(this, ctx);
  }

  get key(): string {
    return this.item.id;
  }

  get workspaceId(): string {
    return this.item.id;
  }

  get transitional(): boolean {
    return statusLook('workspace', this.item.status).transitional;
  }

  get resource(): ResourceInfo {
    const ws = this.item;
    return { kind: 'workspace', id: ws.id, name: ws.name, console: { kind: 'dashboard' }, details: { kind: 'workspace', workspaceId: ws.id } };
  }

  view(): NodeView {
    const ws = this.item;
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const look = statusLook('workspace', ws.status);
    const label = displayName(ws.name, ws.id, l10n);
    const description = stateWord('workspace', ws.status, l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, ws, l10n),
      tooltip: workspaceTooltip(ws, this.quotas, l10n),
      // A healthy workspace shows as a workspace; any other state shows its status icon.
      icon: look.category === 'normal' && !hasProblems(ws) ? { id: 'folder-library' } : rowIcon('workspace', ws.status, ws),
      contextValue: resourceContext('workspace', ws.status, { refreshable: true, malformed: hasProblems(ws) }),
      collapsible: 'collapsed',
    };
  }

  getChildren(): Promise<ExplorerNode[]> {
    return Promise.resolve([...this.groups]);
  }

  loadedChildren(): readonly ExplorerNode[] {
    return this.groups;
  }

  invalidate(): void {
    this.quotas = undefined;
    this.quotasLoad = undefined;
    for (const group of this.groups) group.invalidate();
  }

  override async reload(): Promise<void> {
    this.invalidate();
    await super.reload();
  }

  /** Quotas for the tooltip, read once when the row is hovered; a failure leaves them out. */
  loadQuotas(): Promise<void> {
    this.quotasLoad ??= this.ctx.queue
      .run(`quotas:${this.id}`, () => this.ctx.session.client.workspaces.getQuotas(this.item.id, this.ctx.signal), this.ctx.signal)
      .then(
        (quotas) => {
          this.quotas = quotas;
        },
        (error: unknown) => this.ctx.log.debug(`Quotas of ${this.id}: ${describeError(error)}`),
      );
    return this.quotasLoad;
  }

  dispose(): void {
    for (const group of this.groups) group.dispose();
  }
}
