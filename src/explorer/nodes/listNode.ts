// A node whose children are a paged list (workspaces, training jobs, notebooks, workflows, executions).
// Child nodes are kept by id across reloads, so the view keeps their expansion and selection.

import type * as vscode from 'vscode';
import type { Pager } from '../../api/paging';
import type { PollTarget } from '../../watch/poller';
import { isFilterActive } from '../filters';
import { ListLoader, type LoadPhase } from '../listLoader';
import type { LoadMoreOwner } from './loadMoreNode';
import { BaseNode, type ExplorerNode, type ResourceNode, type TreeContext } from './node';
import { describeError } from './resourceHandle';
import { ChildRows, type ListTexts } from './rows';

/** A row of a list: a resource that can take a fresher copy of itself. */
export interface ListChild<T> extends ResourceNode {
  /** The resource id ('' when the API sent none). */
  readonly key: string;
  /** Its latest copy. */
  readonly item: T;
  /** Takes a fresher copy; true when its state changed. */
  update(item: T): boolean;
  /** The generation of its own reads. */
  readonly readGeneration: number;
  /** Its reads in flight are stale (the list was reloaded). */
  bump(): void;
  /** A re-read that covered it failed: it is marked as not updated. */
  refreshFailed(error: unknown): void;
}

/** A re-read of a loaded page replaces a GET per item when it covers at least this many. */
export const PAGE_REREAD_MIN = 2;

export abstract class ListNode<T, C extends ListChild<T>> extends BaseNode implements LoadMoreOwner {
  protected readonly loader: ListLoader<T>;
  private children = new Map<string, C>();
  private rows: ExplorerNode[] = [];
  private readonly rowKit: ChildRows;

  constructor(id: string, parent: ExplorerNode | undefined, ctx: TreeContext) {
    super(id, parent, ctx);
    this.loader = new ListLoader<T>({
      key: id,
      source: { createPager: (size) => this.createPager(size), keyOf: (item) => this.keyOf(item) },
      queue: ctx.queue,
      pageSize: () => ctx.pageSize(),
      signal: ctx.signal,
      onError: (error, phase) => this.reportError(error, phase),
    });
    this.rowKit = new ChildRows(ctx, this, this.rowParent());
  }

  /** A pager with the filters of now; undefined when the filter excludes every row. May throw (bad input). */
  protected abstract createPager(pageSize: number): Pager<T> | undefined;
  protected abstract keyOf(item: T): string;
  protected abstract childId(key: string, index: number): string;
  protected abstract createChild(id: string, item: T): C;
  protected abstract texts(l10n: typeof vscode.l10n): ListTexts;

  /** Checked on every row (the server filters what it can; this checks the rest). */
  protected accepts(_item: T): boolean {
    return true;
  }

  /** Whether the explorer's filters apply to this list. */
  protected get filterable(): boolean {
    return false;
  }

  /** The rows' parent in the view: this node, or undefined for the top level. */
  protected rowParent(): ExplorerNode | undefined {
    return this;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    await this.loader.ensureLoaded();
    this.rebuild();
    this.ctx.loaded();
    return this.rows;
  }

  loadedChildren(): readonly ExplorerNode[] {
    return this.rows;
  }

  /** The next page (one request however often it is clicked); then only this list redraws. */
  async loadMore(): Promise<void> {
    const pending = this.loader.loadMore();
    const more = this.rowKit.loadMoreNode;
    if (more) this.ctx.changed(more);
    await pending;
    this.rebuild();
    this.changedSelf();
    this.ctx.loaded();
  }

  loadProgress(): { loaded: number; total?: number; loading: boolean } {
    const total = this.loader.total;
    return { loaded: this.loader.items.length, loading: this.loader.loadingMore, ...(total === undefined ? {} : { total }) };
  }

  invalidate(): void {
    this.loader.reset();
    for (const child of this.children.values()) {
      child.bump();
      child.invalidate?.();
    }
  }

  /**
   * Polls for this list's transitional rows: one re-read per loaded page that holds several of them (however
   * many pages Load more brought), a GET of its own for a row alone on its page.
   */
  pollTargets(): PollTarget[] {
    const moving = [...this.children.values()].filter((c) => c.transitional && c.key !== '');
    if (moving.length === 0) return [];
    const pageOf = new Map<string, number>();
    this.loader.pageKeys().forEach((keys, page) => {
      for (const key of keys) if (!pageOf.has(key)) pageOf.set(key, page);
    });
    const byPage = new Map<number, C[]>();
    const alone: C[] = [];
    for (const child of moving) {
      const page = pageOf.get(child.key);
      if (page === undefined) alone.push(child);
      else byPage.set(page, [...(byPage.get(page) ?? []), child]);
    }
    const targets: PollTarget[] = [];
    for (const [page, covered] of byPage) {
      if (covered.length < PAGE_REREAD_MIN) alone.push(...covered);
      else targets.push({ key: `page:${this.id}#${page}`, poll: (signal) => this.rereadPage(page, covered, signal) });
    }
    return [...targets, ...alone.map((c) => c.pollTarget())];
  }

  /** Loaded rows that are resources. */
  resourceChildren(): C[] {
    return [...this.children.values()];
  }

  dispose(): void {
    this.loader.dispose();
  }

  protected changedSelf(): void {
    this.ctx.changed(this.rowParent() === undefined ? undefined : this);
  }

  /**
   * One read of a loaded page updates the moving rows it holds. A row that moved off that page since (newer
   * resources pushed it down) is read on its own, so it is never left behind.
   */
  private async rereadPage(page: number, covered: readonly C[], signal: AbortSignal): Promise<boolean> {
    const gen = this.loader.generation;
    const before = new Map(covered.map((c) => [c, c.readGeneration]));
    let items: readonly T[];
    try {
      const read = await this.ctx.queue.run(`page:${this.id}@${gen}#${page}`, () => this.loader.rereadPage(page, signal), signal);
      if (!read) return false;
      items = read;
    } catch (error) {
      if (gen === this.loader.generation) for (const child of covered) child.refreshFailed(error);
      throw error;
    }
    if (gen !== this.loader.generation) return false;
    let changed = false;
    const missed: C[] = [];
    for (const child of covered) {
      const item = items.find((i) => this.keyOf(i) === child.key);
      if (!item) {
        missed.push(child);
        continue;
      }
      // A row refreshed on its own while the page was read keeps what that refresh brought.
      if (before.get(child) !== child.readGeneration || !this.loader.replace(item)) continue;
      const redraw = JSON.stringify(item) !== JSON.stringify(child.item);
      if (child.update(item)) changed = true;
      if (redraw) this.ctx.changed(child);
    }
    const own = await Promise.all(missed.map((c) => c.pollTarget().poll(signal)));
    return changed || own.some(Boolean);
  }

  private rebuild(): void {
    const next = new Map<string, C>();
    const nodes: C[] = [];
    this.loader.items.forEach((item, index) => {
      if (!this.accepts(item)) return;
      const id = this.childId(this.keyOf(item), index);
      let child = this.children.get(id);
      if (child) child.update(item);
      else child = this.createChild(id, item);
      next.set(id, child);
      nodes.push(child);
    });
    this.children = next;
    this.rows = this.rowKit.make({
      items: nodes,
      failure: this.loader.failure,
      hasMore: this.loader.hasMore,
      filtered: this.filterable && isFilterActive(this.ctx.filter()),
      texts: this.texts(this.ctx.l10n),
    });
  }

  private reportError(error: unknown, phase: LoadPhase): void {
    this.ctx.log.error(`Failed to load ${phase === 'more' ? 'more ' : ''}${this.texts(this.ctx.l10n).noun} (${this.id}): ${describeError(error)}`);
  }
}
