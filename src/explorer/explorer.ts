// The ModelArts explorer: the tree view, its commands (refresh, filters, Load more, details, console
// links, copy), the details documents and tree polling, for whichever session is active.

import * as vscode from 'vscode';
import { systemClock } from '../api/clock';
import type { Redactor } from '../api/redact';
import type { CommandSpec } from '../commands/registry';
import type { ExtensionLogger } from '../common/logger';
import { labelText } from '../common/safeText';
import { withViewProgress } from '../common/safeUi';
import type { ActiveSession, SessionService } from '../common/session';
import { onDidChangeSettings, readSettings, type Settings } from '../common/settings';
import { DETAILS_SCHEME, DetailsContentProvider, detailsPath, type DetailsTarget } from './details';
import { explorerCommands } from './explorerCommands';
import { NO_FILTER, filterMessage, normalizeFilter, type ExplorerFilter } from './filters';
import { ExplorerModel } from './model';
import { ROW_COMMANDS, type ExplorerNode } from './nodes/node';
import { ExplorerTreeProvider, renderTreeItem } from './treeProvider';

export const VIEW_ID = 'modelarts.explorer';
/** workspaceState: the filters of each view, by view id. */
export const FILTERS_STATE_KEY = 'modelarts.explorer.filters';

export interface ExplorerDeps {
  context: vscode.ExtensionContext;
  sessions: SessionService;
  log: ExtensionLogger;
  redactor: Redactor;
}

export interface Explorer extends vscode.Disposable {
  readonly commands: CommandSpec[];
  readonly provider: vscode.TreeDataProvider<ExplorerNode>;
  readonly view: vscode.TreeView<ExplorerNode>;
  /** The tree of the active session (undefined when signed out): for extension-host tests. */
  readonly model: ExplorerModel | undefined;
  /** Opens a resource of the active session as a read-only JSON document (one fresh GET, secrets redacted). */
  showDetails(target: DetailsTarget, options?: { preserveFocus?: boolean; name?: string }): Promise<void>;
}

export function createExplorer(deps: ExplorerDeps): Explorer {
  const { context, sessions, log, redactor } = deps;
  let settings: Settings = readSettings();
  let filter = loadFilter(context);
  let model: ExplorerModel | undefined;

  const provider = new ExplorerTreeProvider(() => model);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const detailsChanged = new vscode.EventEmitter<vscode.Uri>();
  const details = new DetailsContentProvider({
    clientFor: (profile) => (sessions.current?.profile === profile ? sessions.current.client : undefined),
    redactor,
    onDidChange: detailsChanged.event,
    unavailable: () => `// ${vscode.l10n.t('Sign in with the profile of this document to load it.')}\n`,
  });

  const updateTexts = (): void => describeView(view, sessions.current, filter);

  // Building a model sends nothing: lists load when the view asks for them.
  const startSession = (session: ActiveSession | undefined): void => {
    model?.dispose();
    details.clear();
    model = session
      ? new ExplorerModel({
          session,
          clock: systemClock,
          l10n: vscode.l10n,
          log,
          redactor,
          render: renderTreeItem,
          pageSize: () => settings.pageSize,
          refreshIntervalMs: () => settings.refreshIntervalSeconds * 1000,
          filter: () => filter,
          changed: (node) => provider.fire(node),
          visible: view.visible,
        })
      : undefined;
    updateTexts();
    provider.fire(undefined);
  };
  startSession(sessions.current);

  const setFilter = async (next: ExplorerFilter): Promise<void> => {
    filter = next;
    await saveFilter(context, next);
    updateTexts();
    model?.filtersChanged();
  };

  const showDetails = async (target: DetailsTarget, options: { preserveFocus?: boolean; name?: string } = {}): Promise<void> => {
    const session = model?.session;
    if (!session) return;
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: detailsPath(session.profile, target, options.name) });
    await withViewProgress(VIEW_ID, () => details.load(uri.path));
    // An open document reads the new text; a new one reads it on open.
    detailsChanged.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: options.preserveFocus ?? false });
  };

  const commands = explorerCommands({ view, model: () => model, filter: () => filter, setFilter, showDetails });

  const subscriptions: vscode.Disposable[] = [
    view,
    provider,
    detailsChanged,
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    // Internal: the command of error rows.
    vscode.commands.registerCommand(ROW_COMMANDS.showLog, () => log.show()),
    sessions.onDidChange((session) => startSession(session)),
    view.onDidChangeVisibility((e) => model?.setVisible(e.visible)),
    view.onDidExpandElement((e) => model?.setExpanded(e.element, true)),
    view.onDidCollapseElement((e) => model?.setExpanded(e.element, false)),
    onDidChangeSettings((next) => {
      const pageSizeChanged = next.pageSize !== settings.pageSize;
      settings = next;
      if (pageSizeChanged) model?.reloadAll();
    }),
  ];

  return {
    commands,
    provider,
    view,
    get model() {
      return model;
    },
    showDetails,
    dispose: () => {
      model?.dispose();
      model = undefined;
      for (const s of subscriptions) s.dispose();
    },
  };
}

/** The view's description (profile, region, demo) and message (the filter), as plain text. */
function describeView(view: vscode.TreeView<ExplorerNode>, session: ActiveSession | undefined, filter: ExplorerFilter): void {
  view.description = session ? labelText([session.profile, session.region, ...(session.demo ? [vscode.l10n.t('demo')] : [])].join(' · ')) : undefined;
  const message = session ? filterMessage(filter, vscode.l10n) : undefined;
  view.message = message === undefined ? undefined : labelText(message);
}

async function saveFilter(context: vscode.ExtensionContext, next: ExplorerFilter): Promise<void> {
  const stored = context.workspaceState.get<Record<string, unknown>>(FILTERS_STATE_KEY) ?? {};
  await context.workspaceState.update(FILTERS_STATE_KEY, { ...stored, [VIEW_ID]: next });
}

function loadFilter(context: vscode.ExtensionContext): ExplorerFilter {
  const stored = context.workspaceState.get<Record<string, unknown>>(FILTERS_STATE_KEY);
  return stored ? normalizeFilter(stored[VIEW_ID]) : NO_FILTER;
}
