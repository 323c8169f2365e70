// The explorer's own commands: refresh, the name and status filters, Load more, and those on any resource
// row (details, console, copy). A command run from the palette acts on the selected row, or asks for one.

import * as vscode from 'vscode';
import { CancelledByUser, type CommandSpec } from '../commands/registry';
import { messageText, pickText, promptText, safeL10n } from '../common/safeText';
import { setStatusMessage, showInformation, showInput, showPick, showPicks, type Said } from '../common/safeUi';
import { openInConsole } from './consoleLinks';
import type { DetailsTarget } from './details';
import { filterStateWord, statusOptions, validateNameFilter, type ExplorerFilter } from './filters';
import type { GroupKind } from './ids';
import type { ExplorerModel } from './model';
import { LoadMoreNode } from './nodes/loadMoreNode';
import { isResourceNode, type ExplorerNode, type ResourceNode } from './nodes/node';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** What the commands need of the explorer. */
export interface ExplorerCommandContext {
  readonly view: vscode.TreeView<ExplorerNode>;
  model(): ExplorerModel | undefined;
  filter(): ExplorerFilter;
  setFilter(next: ExplorerFilter): Promise<void>;
  showDetails(target: DetailsTarget, options?: { preserveFocus?: boolean; name?: string }): Promise<void>;
}

/** The node a command acts on: the one it was given, the selected row, or one picked from the loaded rows. */
async function resourceArg(ctx: ExplorerCommandContext, arg: unknown, placeHolder: Said<'label'>): Promise<ResourceNode> {
  if (isResourceNode(arg)) return arg;
  const selected = ctx.view.selection.find(isResourceNode);
  if (selected) return selected;
  const nodes = ctx.model()?.resourceNodes() ?? [];
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
}

async function copy(value: string): Promise<void> {
  await vscode.env.clipboard.writeText(value);
  setStatusMessage(l10n.t('Copied: {0}', value), 3000);
}

async function filterByName(ctx: ExplorerCommandContext): Promise<void> {
  const filter = ctx.filter();
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
  await ctx.setFilter({ ...ctx.filter(), name: value.trim() });
}

async function filterByStatus(ctx: ExplorerCommandContext): Promise<void> {
  const filter = ctx.filter();
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
  await ctx.setFilter({ ...ctx.filter(), statuses: picked.map((p) => p.state) });
}

async function openResourceInConsole(ctx: ExplorerCommandContext, arg: unknown): Promise<void> {
  const node = await resourceArg(ctx, arg, l10n.t('Open in the console'));
  const session = ctx.model()?.session;
  if (!session) return;
  await openInConsole(session, node.resource.console, {
    openExternal: (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
    inform: (message) => void showInformation(messageText(message)),
    l10n: vscode.l10n,
  });
}

export function explorerCommands(ctx: ExplorerCommandContext): CommandSpec[] {
  return [
    { id: 'modelarts.explorer.refresh', title: vscode.l10n.t('Refresh'), run: (arg) => ctx.model()?.refresh(isExplorerNode(arg) ? arg : undefined) },
    { id: 'modelarts.explorer.filterByName', title: vscode.l10n.t('Filter by Name'), run: () => filterByName(ctx) },
    { id: 'modelarts.explorer.filterByStatus', title: vscode.l10n.t('Filter by Status'), run: () => filterByStatus(ctx) },
    {
      id: 'modelarts.explorer.loadMore',
      title: vscode.l10n.t('Load More'),
      run: async (arg) => {
        const model = ctx.model();
        if (model && arg instanceof LoadMoreNode) await model.loadMore(arg);
      },
    },
    {
      id: 'modelarts.resource.showDetails',
      title: vscode.l10n.t('Show Details'),
      run: async (arg) => {
        const node = await resourceArg(ctx, arg, l10n.t('Show the details of'));
        await ctx.showDetails(node.resource.details, { preserveFocus: isResourceNode(arg), name: node.resource.name });
      },
    },
    { id: 'modelarts.resource.openInConsole', title: vscode.l10n.t('Open in Console'), run: (arg) => openResourceInConsole(ctx, arg) },
    { id: 'modelarts.resource.copyId', title: vscode.l10n.t('Copy ID'), run: async (arg) => copy((await resourceArg(ctx, arg, l10n.t('Copy the ID of'))).resource.id) },
    { id: 'modelarts.resource.copyName', title: vscode.l10n.t('Copy Name'), run: async (arg) => copy((await resourceArg(ctx, arg, l10n.t('Copy the name of'))).resource.name) },
  ];
}

function isExplorerNode(value: unknown): value is ExplorerNode {
  return typeof value === 'object' && value !== null && typeof (value as ExplorerNode).id === 'string' && typeof (value as ExplorerNode).view === 'function';
}
