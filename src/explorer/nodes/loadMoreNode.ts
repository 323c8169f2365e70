// The "Load more…" row at the end of a list that has more: one click, one request (the pager's single flight).

import type * as vscode from 'vscode';
import { contextValue, nodeIds } from '../ids';
import { markdownText } from '../../common/safeText';
import { BaseNode, ROW_COMMANDS, type ExplorerNode, type NodeView, type TreeContext } from './node';

export interface LoadMoreOwner extends ExplorerNode {
  loadMore(): Promise<void>;
  /** Items loaded so far and the list's total when the API says. */
  loadProgress(): { loaded: number; total?: number; loading: boolean };
}

export class LoadMoreNode extends BaseNode {
  constructor(
    parent: ExplorerNode | undefined,
    ctx: TreeContext,
    readonly owner: LoadMoreOwner,
  ) {
    super(nodeIds.loadMore(owner.id), parent, ctx);
  }

  view(): NodeView {
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const { loaded, total, loading } = this.owner.loadProgress();
    const view: NodeView = {
      id: this.id,
      label: l10n.t('Load more…'),
      contextValue: contextValue('loadMore'),
      collapsible: 'none',
      icon: { id: loading ? 'loading~spin' : 'ellipsis' },
      command: { command: ROW_COMMANDS.loadMore, title: l10n.t('Load More'), arguments: [this] },
    };
    if (loading) view.description = l10n.t('Loading…');
    else if (total !== undefined) view.description = l10n.t('{0} of {1}', loaded, total);
    view.tooltip = markdownText(total === undefined ? l10n.t('Loads the next page: {0} loaded so far.', loaded) : l10n.t('Loads the next page: {0} of {1} loaded so far.', loaded, total));
    return view;
  }
}
