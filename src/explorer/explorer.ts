// The ModelArts explorer: the tree view, its commands (refresh, filters, Load more, details, console
// links, copy), the details documents and tree polling, for whichever session is active.

import * as vscode from 'vscode';
import { systemClock } from '../api/clock';
import type { Redactor } from '../api/redact';
import { CancelledByUser, type CommandSpec } from '../commands/registry';
import type { ExtensionLogger } from '../common/logger';
import { labelText, messageText, pickText, promptText, safeL10n } from '../common/safeText';
import { setStatusMessage, showInformation, showInput, showPick, showPicks, withViewProgress, type Said } from '../common/safeUi';
import type { ActiveSession, SessionService } from '../common/session';
import { onDidChangeSettings, readSettings, type Settings } from '../common/settings';
import { openInConsole } from './consoleLinks';
import { DETAILS_SCHEME, DetailsContentProvider, detailsPath, type DetailsTarget } from './details';
import { NO_FILTER, filterMessage, filterStateWord, normalizeFilter, statusOptions, validateNameFilter, type ExplorerFilter } from './filters';
import type { GroupKind } from './ids';
import { ExplorerModel } from './model';
import { LoadMoreNode } from './nodes/loadMoreNode';
import { ROW_COMMANDS, isResourceNode, type ExplorerNode, type ResourceNode } from './nodes/node';
import { ExplorerTreeProvider, renderTreeItem } from './treeProvider';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

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
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const detailsChanged = new vscode.EventEmitter<vscode.Uri>();
  const details = new DetailsContentProvider({
    clientFor: (profile) => (sessions.current?.profile === profile ? sessions.current.client : undefined),
    redactor,
    onDidChange: detailsChanged.event,
    unavailable: () => `// ${vscode.l10n.t('Sign in with the profile of this document to load it.')}\n`,
  });

  const updateTexts = (): void => {
    const session = sessions.current;
    // A profile's name and region, and a typed filter, are shown as plain text.
    view.description = session ? labelText([session.profile, session.region, ...(session.demo ? [vscode.l10n.t('demo')] : [])].join(' · ')) : undefined;
    const message = session ? filterMessage(filter, vscode.l10n) : undefined;
    view.message = message === undefined ? undefined : labelText(message);
  };

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
    const stored = context.workspaceState.get<Record<string, unknown>>(FILTERS_STATE_KEY) ?? {};
    await context.workspaceState.update(FILTERS_STATE_KEY, { ...stored, [VIEW_ID]: next });
    updateTexts();
    model?.filtersChanged();
  };

  /** The node a command acts on: the one it was given, the selected row, or one picked from the loaded rows. */
  const resourceArg = async (arg: unknown, placeHolder: Said<'label'>): Promise<ResourceNode> => {
    if (isResourceNode(arg)) return arg;
    const selected = view.selection.find(isResourceNode);
    if (selected) return selected;
    const nodes = model?.resourceNodes() ?? [];
    if (nodes.length === 0) {
      void showInformation(l10n.t('Nothing is loaded yet: open the ModelArts explorer and expand a workspace.'));
      throw new CancelledByUser();
    }
    const pick = await showPick(
      nodes.map((node) => {
        const description = node.view().description;
        return { label: pickText(node.resource.name || node.resource.id), ...(description === undefined ? {} : { description: pickText(description) }), detail: pickText(node.resource.id), node };
      }),
      { placeHolder, matchOnDescription: true, matchOnDetail: true },
    );
    if (!pick) throw new CancelledByUser();
    return pick.node;
  };

  const copy = async (value: string): Promise<void> => {
    await vscode.env.clipboard.writeText(value);
    setStatusMessage(l10n.t('Copied: {0}', value), 3000);
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

  const commands: CommandSpec[] = [
    {
      id: 'modelarts.explorer.refresh',
      title: vscode.l10n.t('Refresh'),
      run: (arg) => model?.refresh(isExplorerNode(arg) ? arg : undefined),
    },
    {
      id: 'modelarts.explorer.filterByName',
      title: vscode.l10n.t('Filter by Name'),
      run: async () => {
        const value = await showInput({
          title: l10n.t('Filter by Name'),
          prompt: l10n.t('Show training jobs, notebooks and workflows whose name contains this text. Empty clears the filter.'),
          value: filter.name,
          validateInput: (text) => {
            const reason = validateNameFilter(text, vscode.l10n);
            return reason === undefined ? undefined : promptText(reason);
          },
        });
        if (value === undefined) throw new CancelledByUser();
        await setFilter({ ...filter, name: value.trim() });
      },
    },
    {
      id: 'modelarts.explorer.filterByStatus',
      title: vscode.l10n.t('Filter by Status'),
      run: async () => {
        const kindNames: Record<GroupKind, string> = { trainingJobs: vscode.l10n.t('Training Jobs'), notebooks: vscode.l10n.t('Notebooks'), workflows: vscode.l10n.t('Workflows'), apps: vscode.l10n.t('Apps') };
        const items = statusOptions().map((o) => ({
          label: pickText(filterStateWord(o.state, vscode.l10n)),
          description: pickText(o.kinds.map((k) => kindNames[k]).join(', ')),
          picked: filter.statuses.includes(o.state),
          state: o.state,
        }));
        const picked = await showPicks(items, {
          title: l10n.t('Filter by Status'),
          placeHolder: l10n.t('Show only these states (none selected: every state)'),
          matchOnDescription: true,
        });
        if (picked === undefined) throw new CancelledByUser();
        await setFilter({ ...filter, statuses: picked.map((p) => p.state) });
      },
    },
    {
      id: 'modelarts.explorer.loadMore',
      title: vscode.l10n.t('Load More'),
      run: async (arg) => {
        if (model && arg instanceof LoadMoreNode) await model.loadMore(arg);
      },
    },
    {
      id: 'modelarts.resource.showDetails',
      title: vscode.l10n.t('Show Details'),
      run: async (arg) => {
        const node = await resourceArg(arg, l10n.t('Show the details of'));
        await showDetails(node.resource.details, { preserveFocus: isResourceNode(arg), name: node.resource.name });
      },
    },
    {
      id: 'modelarts.resource.openInConsole',
      title: vscode.l10n.t('Open in Console'),
      run: async (arg) => {
        const node = await resourceArg(arg, l10n.t('Open in the console'));
        const session = model?.session;
        if (!session) return;
        await openInConsole(session, node.resource.console, {
          openExternal: (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
          inform: (message) => void showInformation(messageText(message)),
          l10n: vscode.l10n,
        });
      },
    },
    {
      id: 'modelarts.resource.copyId',
      title: vscode.l10n.t('Copy ID'),
      run: async (arg) => copy((await resourceArg(arg, l10n.t('Copy the ID of'))).resource.id),
    },
    {
      id: 'modelarts.resource.copyName',
      title: vscode.l10n.t('Copy Name'),
      run: async (arg) => copy((await resourceArg(arg, l10n.t('Copy the name of'))).resource.name),
    },
  ];

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

function loadFilter(context: vscode.ExtensionContext): ExplorerFilter {
  const stored = context.workspaceState.get<Record<string, unknown>>(FILTERS_STATE_KEY);
  return stored ? normalizeFilter(stored[VIEW_ID]) : NO_FILTER;
}

function isExplorerNode(value: unknown): value is ExplorerNode {
  return typeof value === 'object' && value !== null && typeof (value as ExplorerNode).id === 'string' && typeof (value as ExplorerNode).view === 'function';
}
