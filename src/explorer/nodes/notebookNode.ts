// A notebook: `Running · 59m left` (the lease countdown), a leaf whose click shows its details.

import type * as vscode from 'vscode';
import { notebookSshEndpoint } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import { statusLook } from '../status';
import { notebookDescription, notebookTooltip } from '../text';
import type { ListChild } from './listNode';
import { displayName, hasProblems, problemsAccessibilityLabel, resourceContext, rowIcon } from './look';
import { ROW_COMMANDS, type ExplorerNode, type NodeView, type ResourceInfo, type TreeContext } from './node';
import { HandleBackedNode, ResourceHandle } from './resourceHandle';

export class NotebookNode extends HandleBackedNode<Notebook> implements ListChild<Notebook> {
  protected readonly handle: ResourceHandle<Notebook>;

  constructor(id: string, parent: ExplorerNode, ctx: TreeContext, item: Notebook, onFresh: (item: Notebook) => void) {
    super(id, parent, ctx);
    this.handle = new ResourceHandle({
      node: this,
      ctx,
      item,
      fetch: (signal) => ctx.session.client.notebooks.get(this.key, signal),
      signature: (nb) => JSON.stringify([nb.status, nb.fail_reason, nb.lease?.create_at, nb.lease?.duration, nb.lease?.enable]),
      onFresh,
      // The instance token is a secret: keep it out of every log line and document from now on.
      onUpdate: (nb) => ctx.redactor?.add(nb.token),
    });
    ctx.redactor?.add(item.token);
  }

  get key(): string {
    return this.item.id;
  }

  get transitional(): boolean {
    return statusLook('notebook', this.item.status).transitional;
  }

  get resource(): ResourceInfo {
    const nb = this.item;
    return { kind: 'notebook', id: nb.id, name: nb.name, console: { kind: 'notebooks' }, details: { kind: 'notebook', notebookId: nb.id } };
  }

  view(): NodeView {
    const nb = this.item;
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const now = this.ctx.clock.now();
    const label = displayName(nb.name, nb.id, l10n);
    const description = notebookDescription(nb, now, l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, nb, l10n),
      tooltip: notebookTooltip(nb, now, l10n),
      icon: rowIcon('notebook', nb.status, nb),
      // `ssh`: remote SSH is enabled, so "Connect via SSH" is offered while it runs.
      contextValue: resourceContext('notebook', nb.status, { refreshable: true, malformed: hasProblems(nb), ssh: notebookSshEndpoint(nb) !== undefined }),
      collapsible: 'none',
      command: { command: ROW_COMMANDS.showDetails, title: l10n.t('Show Details'), arguments: [this] },
    };
  }

}
