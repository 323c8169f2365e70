// The TreeDataProvider: a thin adapter from the model's nodes to VS Code's TreeView.

import * as vscode from 'vscode';
import { labelText } from '../common/safeText';
import type { ExplorerModel } from './model';
import { accessibilityLabelOf, type ExplorerNode, type NodeView } from './nodes/node';
import { WorkspaceNode } from './nodes/workspaceNode';

const COLLAPSIBLE: Readonly<Record<NodeView['collapsible'], vscode.TreeItemCollapsibleState>> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/**
 * A node's view as a TreeItem: codicon + theme colour, markdown tooltip that runs nothing. Every row's label
 * and description pass here, made inert once for all (a name's bidirectional override or line break shows as
 * an escape, so no row can pretend to be another).
 */
export function renderTreeItem(view: NodeView): vscode.TreeItem {
  const item = new vscode.TreeItem(labelText(view.label), COLLAPSIBLE[view.collapsible]);
  item.id = view.id;
  item.contextValue = view.contextValue;
  if (view.description !== undefined) item.description = labelText(view.description);
  if (view.tooltip !== undefined) {
    // The tooltip's API text is made inert; untrusted, no HTML, so a name can neither render markup nor run a command.
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
  }
  if (view.icon) item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color === undefined ? undefined : new vscode.ThemeColor(view.icon.color));
  if (view.command) item.command = { command: view.command.command, title: view.command.title, arguments: view.command.arguments };
  item.accessibilityInformation = { label: labelText(accessibilityLabelOf(view)) };
  return item;
}

export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly model: () => ExplorerModel | undefined) {}

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  /** Never rejects; signed out: no rows (the welcome view shows Sign In / Try the Demo). */
  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    return this.model()?.children(node) ?? Promise.resolve([]);
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  /** A workspace's quotas are read when its row is first hovered, for the tooltip. */
  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (!(node instanceof WorkspaceNode)) return item;
    await node.loadQuotas();
    if (!token.isCancellationRequested) item.tooltip = node.getTreeItem().tooltip;
    return item;
  }

  /** Redraws a row (and its children when expanded); undefined: the whole tree. */
  fire(node: ExplorerNode | undefined): void {
    this.emitter.fire(node);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
