// An APIG app: its name, `APIG · created 40d ago`, a leaf whose click shows its (redacted) details. The list
// answer carries each app's AppKey and AppSecret: they go to the redactor at once and into no row text.

import type * as vscode from 'vscode';
import type { App } from '../../api/types';
import { contextValue } from '../ids';
import { PROBLEM_LOOK } from '../status';
import { appDescription, appTooltip } from '../text';
import type { ListChild } from './listNode';
import { displayName, hasProblems, problemsAccessibilityLabel } from './look';
import { ROW_COMMANDS, type ExplorerNode, type NodeView, type ResourceInfo, type TreeContext } from './node';
import { HandleBackedNode, ResourceHandle } from './resourceHandle';

export class AppNode extends HandleBackedNode<App> implements ListChild<App> {
  protected readonly handle: ResourceHandle<App>;

  constructor(id: string, parent: ExplorerNode, ctx: TreeContext, item: App, onFresh: (item: App) => void) {
    super(id, parent, ctx);
    this.handle = new ResourceHandle({
      node: this,
      ctx,
      item,
      fetch: (signal) => ctx.session.client.apps.get(this.key, signal),
      signature: (app) => JSON.stringify([app.app_name, app.app_type, app.updated_at]),
      onFresh,
      onUpdate: (app) => this.keepSecretsOut(app),
    });
    this.keepSecretsOut(item);
  }

  get key(): string {
    return this.item.app_id;
  }

  /** An app has no state that changes on its own. */
  get transitional(): boolean {
    return false;
  }

  get resource(): ResourceInfo {
    const app = this.item;
    // No console route is known for one app: the dashboard is the nearest page.
    return { kind: 'app', id: app.app_id, name: app.app_name, console: { kind: 'dashboard' }, details: { kind: 'app', appId: app.app_id } };
  }

  view(): NodeView {
    const app = this.item;
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const label = displayName(app.app_name, app.app_id, l10n);
    const description = appDescription(app, this.ctx.clock.now(), l10n);
    return {
      id: this.id,
      label,
      description,
      accessibilityLabel: problemsAccessibilityLabel(label, description, app, l10n),
      tooltip: appTooltip(app, l10n),
      icon: hasProblems(app) ? { id: PROBLEM_LOOK.icon, color: PROBLEM_LOOK.color } : { id: 'plug' },
      contextValue: contextValue('resource', 'app', hasProblems(app) && 'malformed'),
      collapsible: 'none',
      command: { command: ROW_COMMANDS.showDetails, title: l10n.t('Show Details'), arguments: [this] },
    };
  }

  private keepSecretsOut(app: App): void {
    this.ctx.redactor?.add(app.app_key);
    this.ctx.redactor?.add(app.app_secret);
    for (const code of app.app_codes ?? []) this.ctx.redactor?.add(code);
  }
}
