// What every tree node is: an id (a stable path), a parent, a view (plain data, rendered into a TreeItem by
// the provider) and, for parents, children that never reject. Only types come from vscode here, so the
// whole tree runs in plain Node against the emulator in unit tests.

import type * as vscode from 'vscode';
import type { Clock } from '../../api/clock';
import type { Logger } from '../../api/log';
import type { Redactor } from '../../api/redact';
import type { MarkdownText } from '../../common/safeText';
import type { ActiveSession } from '../../common/session';
import type { PollTarget } from '../../watch/poller';
import type { ConsoleTarget } from '../consoleLinks';
import type { DetailsTarget } from '../details';
import type { ExplorerFilter } from '../filters';
import type { LoadQueue } from '../loadQueue';
import type { ResourceKind } from '../status';
import { COMMAND } from '../../commands/ids';

/** Command ids the rows run (the command table registers them). */
export const ROW_COMMANDS = {
  showDetails: COMMAND.resourceShowDetails,
  loadMore: COMMAND.explorerLoadMore,
  signIn: COMMAND.signIn,
  startDemo: COMMAND.demoStart,
  /** Internal (no palette entry): shows the ModelArts log from an error row. */
  showLog: COMMAND.explorerShowLog,
} as const;

/** What the demo's error rows and toasts pass to "Try the Demo": a fresh emulator replaces the running one. */
export const RESTART_DEMO_ARGS = [{ restart: true }] as const;

export interface NodeView {
  id: string;
  label: string;
  description?: string;
  /** Markdown source; every value from the API is already made inert. */
  tooltip?: MarkdownText;
  icon?: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: { command: string; title: string; arguments?: unknown[] };
  /** What a screen reader says for the row; default: the label, then the description (the status). */
  accessibilityLabel?: string;
}

/** The label, then the description: the status is said in words, never left to the icon's colour. */
export function accessibilityLabelOf(view: Pick<NodeView, 'label' | 'description' | 'accessibilityLabel'>): string {
  return view.accessibilityLabel ?? (view.description ? `${view.label}, ${view.description}` : view.label);
}

export interface ExplorerNode {
  readonly id: string;
  /** undefined for the rows at the top. */
  readonly parent: ExplorerNode | undefined;
  view(): NodeView;
  getTreeItem(): vscode.TreeItem;
  /** Never rejects: empty, failed and signed-out lists are rows. */
  getChildren?(): Promise<ExplorerNode[]>;
  /** The rows built by the last getChildren, without loading anything. */
  loadedChildren?(): readonly ExplorerNode[];
  /** What tree polling re-reads for this node's children in a transitional state. */
  pollTargets?(): PollTarget[];
  /** Forgets what was loaded under this node, so its next getChildren asks again. */
  invalidate?(): void;
}

export interface ResourceInfo {
  kind: ResourceKind;
  /** What Copy ID copies. */
  id: string;
  /** What Copy Name copies. */
  name: string;
  console: ConsoleTarget;
  details: DetailsTarget;
}

/** A row for one ModelArts resource. */
export interface ResourceNode extends ExplorerNode {
  readonly resource: ResourceInfo;
  /** The state still changes on its own (tree polling re-reads it while in view). */
  readonly transitional: boolean;
  /** The poll that re-reads this resource (a step's is its execution's). */
  pollTarget(): PollTarget;
  /** Re-reads the resource now and forgets what was loaded under it (per-node refresh). */
  reload(): Promise<void>;
}

export function isResourceNode(node: unknown): node is ResourceNode {
  return typeof node === 'object' && node !== null && 'resource' in node && 'reload' in node;
}

/** What the nodes share: the session, services and the way to tell the view something changed. */
export interface TreeContext {
  readonly session: ActiveSession;
  /** The service's time (the session's service clock): ages and countdowns are computed against it. */
  readonly clock: Clock;
  readonly l10n: typeof vscode.l10n;
  /** Redacting; errors are reported here once per failure. */
  readonly log: Logger;
  readonly queue: LoadQueue;
  readonly redactor: Redactor | undefined;
  /** Aborted when the tree goes (sign-out, profile switch, deactivate). */
  readonly signal: AbortSignal;
  pageSize(): number;
  filter(): ExplorerFilter;
  render(view: NodeView): vscode.TreeItem;
  /** The node's row (and its children, when expanded) changed; undefined = the whole tree. */
  changed(node: ExplorerNode | undefined): void;
  /** A list finished loading: new transitional rows may need polling. */
  loaded(): void;
  /** Debounced reload of a node (undefined = the whole tree), e.g. when a resource turned out to be gone. */
  refresh(node: ExplorerNode | undefined): void;
}

export abstract class BaseNode implements ExplorerNode {
  constructor(
    readonly id: string,
    readonly parent: ExplorerNode | undefined,
    protected readonly ctx: TreeContext,
  ) {}

  abstract view(): NodeView;

  getTreeItem(): vscode.TreeItem {
    return this.ctx.render(this.view());
  }
}
