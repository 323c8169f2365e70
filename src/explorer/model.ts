// The explorer's tree for one session: roots, per-node debounced refresh, Load more, the set of expanded
// rows, and tree polling of what is moving in view. vscode-free: the provider adapts it to a TreeView.

import { setMaxListeners } from 'node:events';
import type * as vscode from 'vscode';
import type { Clock } from '../api/clock';
import type { Logger } from '../api/log';
import type { Redactor } from '../api/redact';
import type { ActiveSession } from '../common/session';
import { KeyedDebouncer } from '../watch/debounce';
import { TreePoller, type PollTarget } from '../watch/poller';
import type { ExplorerFilter } from './filters';
import { DEFAULT_MAX_IN_FLIGHT, LoadQueue } from './loadQueue';
import { LoadMoreNode } from './nodes/loadMoreNode';
import { MessageNode } from './nodes/messageNode';
import { isResourceNode, type ExplorerNode, type NodeView, type ResourceNode, type TreeContext } from './nodes/node';
import { describeError } from './nodes/resourceHandle';
import { WorkspacesRoot } from './nodes/workspacesRoot';

export const REFRESH_DEBOUNCE_MS = 250;
const WHOLE_TREE = '';

export interface ExplorerModelOptions {
  session: ActiveSession;
  /** Real time: debounce and polling intervals (the rows read the session's service clock). */
  clock: Clock;
  l10n: typeof vscode.l10n;
  log: Logger;
  redactor?: Redactor;
  render: (view: NodeView) => vscode.TreeItem;
  pageSize: () => number;
  refreshIntervalMs: () => number;
  filter: () => ExplorerFilter;
  /** Tells the view a row (undefined: everything) changed. */
  changed: (node: ExplorerNode | undefined) => void;
  /** Whether the view is visible at the start. */
  visible?: boolean;
  debounceMs?: number;
  maxInFlight?: number;
}

export class ExplorerModel {
  readonly queue: LoadQueue;
  readonly root: WorkspacesRoot;
  readonly poller: TreePoller;
  private readonly ctx: TreeContext;
  private readonly abort = new AbortController();
  private readonly debouncer: KeyedDebouncer;
  private readonly expanded = new Set<string>();
  private readonly work = new Set<Promise<void>>();
  private visibleNow: boolean;
  private disposed = false;

  constructor(private readonly o: ExplorerModelOptions) {
    this.queue = new LoadQueue(o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    // Every list links its own requests to this signal: many listeners are expected, not a leak.
    setMaxListeners(0, this.abort.signal);
    this.visibleNow = o.visible ?? false;
    const fail = (error: unknown): void => o.log.error(`Explorer: ${describeError(error)}`);
    this.debouncer = new KeyedDebouncer(o.clock, o.debounceMs ?? REFRESH_DEBOUNCE_MS, fail);
    this.ctx = {
      session: o.session,
      // Rows read the service's timestamps; the debouncer and the poller stay on `o.clock`.
      clock: o.session.serviceClock,
      l10n: o.l10n,
      log: o.log,
      queue: this.queue,
      redactor: o.redactor,
      signal: this.abort.signal,
      pageSize: o.pageSize,
      filter: o.filter,
      render: o.render,
      changed: (node) => {
        if (!this.disposed) o.changed(node);
      },
      loaded: () => this.poller.kick(),
      refresh: (node) => this.refresh(node),
    };
    this.root = new WorkspacesRoot(this.ctx);
    this.poller = new TreePoller({
      clock: o.clock,
      baseIntervalMs: o.refreshIntervalMs,
      targets: () => this.pollTargets(),
      visible: () => this.visibleNow && !this.disposed,
      log: o.log,
    });
  }

  get session(): ActiveSession {
    return this.o.session;
  }

  get visible(): boolean {
    return this.visibleNow;
  }

  /** The children VS Code asks for; `node` is expanded. Never rejects. */
  async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (this.disposed) return [];
    try {
      if (!node) return await this.root.getChildren();
      this.expanded.add(node.id);
      return (await node.getChildren?.()) ?? [];
    } catch (error) {
      // The nodes turn failures into rows; this only guards against a bug breaking the whole view.
      this.o.log.error(`Explorer: children of ${node?.id ?? 'the root'}: ${describeError(error)}`);
      return [];
    }
  }

  setExpanded(node: ExplorerNode, expanded: boolean): void {
    if (expanded) {
      this.expanded.add(node.id);
      this.poller.kick();
    } else {
      this.expanded.delete(node.id);
    }
  }

  isExpanded(node: ExplorerNode): boolean {
    return this.expanded.has(node.id);
  }

  setVisible(visible: boolean): void {
    if (visible === this.visibleNow) return;
    this.visibleNow = visible;
    if (visible) this.poller.resume();
    else this.poller.pause();
  }

  /**
   * Debounced refresh of one node (undefined: the whole tree). Many refreshes within the delay reload each
   * node once; a whole-tree refresh swallows the node refreshes pending with it.
   */
  refresh(node?: ExplorerNode): void {
    if (this.disposed) return;
    const target = this.refreshTarget(node);
    if (target && this.debouncer.isPending(WHOLE_TREE)) return;
    if (!target) for (const key of this.debouncer.pendingKeys) this.debouncer.cancel(key);
    this.debouncer.trigger(target?.id ?? WHOLE_TREE, () => this.track(this.refreshNow(target)));
  }

  /** Reloads now: a resource row re-reads itself, a list forgets its pages, the whole tree starts over. */
  async refreshNow(node?: ExplorerNode): Promise<void> {
    if (this.disposed) return;
    const target = this.refreshTarget(node);
    if (!target) {
      this.root.invalidate();
      this.ctx.changed(undefined);
      return;
    }
    if (isResourceNode(target)) {
      await target.reload();
      return;
    }
    target.invalidate?.();
    this.ctx.changed(target);
  }

  /** The "Load more…" row was clicked. */
  loadMore(node: LoadMoreNode): Promise<void> {
    const done = node.owner.loadMore();
    this.track(done);
    return done;
  }

  /** Every list the explorer's filters narrow (jobs, notebooks, workflows) reloads. */
  filtersChanged(): void {
    for (const ws of this.root.resourceChildren()) {
      for (const group of ws.groups) {
        if (!group.followsFilters) continue;
        group.invalidate();
        this.ctx.changed(group);
      }
    }
  }

  /** Page size changed: everything reloads. */
  reloadAll(): void {
    this.root.invalidate();
    this.ctx.changed(undefined);
  }

  /** Polls for the moving rows in view: under the root and every expanded row whose parents are expanded. */
  pollTargets(): PollTarget[] {
    const targets: PollTarget[] = [];
    const visit = (node: ExplorerNode): void => {
      targets.push(...(node.pollTargets?.() ?? []));
      for (const child of node.loadedChildren?.() ?? []) if (this.expanded.has(child.id)) visit(child);
    };
    visit(this.root);
    return targets;
  }

  /** Resource rows loaded so far (for a QuickPick when a command runs from the palette). */
  resourceNodes(): ResourceNode[] {
    const out: ResourceNode[] = [];
    const visit = (node: ExplorerNode): void => {
      for (const child of node.loadedChildren?.() ?? []) {
        if (isResourceNode(child)) out.push(child);
        visit(child);
      }
    };
    visit(this.root);
    return out;
  }

  /** Resolves when debounced refreshes, Load more and the polling round in progress are done (for tests). */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.all([...this.work]);
    await this.poller.settled();
  }

  /** Waiting refreshes (for tests). */
  get pendingRefreshes(): string[] {
    return this.debouncer.pendingKeys;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.debouncer.dispose();
    this.poller.dispose();
    this.abort.abort();
    this.root.dispose();
  }

  /** What refreshing `node` reloads: a message or Load more row stands for its list; the root for everything. */
  private refreshTarget(node: ExplorerNode | undefined): ExplorerNode | undefined {
    const target = node instanceof MessageNode || node instanceof LoadMoreNode ? node.owner : node;
    return target === this.root ? undefined : target;
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.o.log.error(`Explorer: ${describeError(error)}`))
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }
}
