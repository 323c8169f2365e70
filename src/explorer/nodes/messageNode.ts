// Empty, error and sign-in rows. They say what happened where the data would be; they never toast.

import type * as vscode from 'vscode';
import { contextValue } from '../ids';
import { markdownText, type MarkdownText } from '../../common/safeText';
import { BaseNode, RESTART_DEMO_ARGS, ROW_COMMANDS, type ExplorerNode, type NodeView, type TreeContext } from './node';

/** `restartDemo`: in the demo, where signing in is not the way forward. */
export type MessageKind = 'empty' | 'error' | 'signIn' | 'restartDemo';

export class MessageNode extends BaseNode {
  private label = '';
  private description: string | undefined;
  private tooltip: MarkdownText | undefined;

  constructor(
    id: string,
    parent: ExplorerNode | undefined,
    ctx: TreeContext,
    readonly kind: MessageKind,
    /** The node whose list this row belongs to (refreshing the row refreshes it). */
    readonly owner: ExplorerNode | undefined,
  ) {
    super(id, parent, ctx);
  }

  set(label: string, description?: string, tooltip?: MarkdownText): this {
    this.label = label;
    this.description = description;
    this.tooltip = tooltip;
    return this;
  }

  get text(): string {
    return this.label;
  }

  view(): NodeView {
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const view: NodeView = { id: this.id, label: this.label, contextValue: contextValue('message', this.kind), collapsible: 'none' };
    if (this.description !== undefined) view.description = this.description;
    view.tooltip = this.tooltip ?? markdownText(this.label);
    if (this.kind === 'error') {
      view.icon = { id: 'error', color: 'errorForeground' };
      view.command = { command: ROW_COMMANDS.showLog, title: l10n.t('Show Log') };
    } else if (this.kind === 'signIn') {
      view.icon = { id: 'sign-in' };
      view.command = { command: ROW_COMMANDS.signIn, title: l10n.t('Sign In') };
    } else if (this.kind === 'restartDemo') {
      view.icon = { id: 'debug-restart', color: 'errorForeground' };
      view.command = { command: ROW_COMMANDS.startDemo, title: l10n.t('Restart the Demo'), arguments: [...RESTART_DEMO_ARGS] };
    } else {
      view.icon = { id: 'info' };
    }
    return view;
  }
}
