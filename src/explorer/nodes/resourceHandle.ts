// The state every resource row shares: its latest copy, a generation (a refresh started after a read
// began makes that read stale), the single GET behind polls and per-node refresh.

import type * as vscode from 'vscode';
import { isModelArtsError, isNotFound } from '../../api/errors';
import { isAbort } from '../../watch/backoff';
import type { PollTarget } from '../../watch/poller';
import { formatServiceTime } from '../../common/time';
import { markdown, markdownText } from '../../common/safeText';
import { BaseNode, type ExplorerNode, type NodeView, type TreeContext } from './node';

export interface ResourceHandleOptions<T> {
  node: ExplorerNode;
  ctx: TreeContext;
  item: T;
  /** One GET of the resource. */
  fetch: (signal: AbortSignal) => Promise<T>;
  /** The state that matters for back-off (status, lease, steps); other fields only redraw the row. */
  signature: (item: T) => string;
  /** Keeps the owning list's copy in step, so a redraw never brings an older state back. */
  onFresh?: (item: T) => void;
  /** After every new copy (rows derived from it: tasks, steps). */
  onUpdate?: (item: T) => void;
}

export function describeError(error: unknown): string {
  if (isModelArtsError(error)) return error.toString();
  return error instanceof Error ? error.message : String(error);
}

/** Since when, and why, a row's background refresh keeps failing: the row shows its last known state. */
export interface StaleMark {
  since: number;
  reason: string;
}

export class ResourceHandle<T> {
  private gen = 0;
  private current: T;
  private staleMark: StaleMark | undefined;

  constructor(private readonly o: ResourceHandleOptions<T>) {
    this.current = o.item;
  }

  get item(): T {
    return this.current;
  }

  get generation(): number {
    return this.gen;
  }

  /** Whatever is being read now is stale (the list holding it was reloaded). */
  bump(): void {
    this.gen++;
  }

  /** Takes a newer copy; true when its state changed. A fresh copy ends a stale mark. */
  update(item: T): boolean {
    const changed = this.o.signature(item) !== this.o.signature(this.current);
    this.current = item;
    this.o.onUpdate?.(item);
    if (this.staleMark) {
      this.staleMark = undefined;
      this.o.ctx.log.info(`Refreshing ${this.o.node.id} works again.`);
      this.o.ctx.changed(this.o.node);
    }
    return changed;
  }

  /** Set while background refreshes of this row fail. */
  get stale(): StaleMark | undefined {
    return this.staleMark;
  }

  /**
   * A background refresh failed: the row is marked (its state may be out of date) and the first failure of a
   * run of them is logged; later ones add nothing until a refresh succeeds.
   */
  failed(error: unknown): void {
    if (isAbort(error) || this.staleMark) return;
    const reason = describeError(error);
    this.staleMark = { since: this.o.ctx.clock.now(), reason: this.o.ctx.redactor ? this.o.ctx.redactor.redact(reason) : reason };
    this.o.ctx.log.warn(`Refreshing ${this.o.node.id} failed: ${reason}. Its row shows the last state read until a refresh succeeds.`);
    this.o.ctx.changed(this.o.node);
  }

  pollTarget(): PollTarget {
    return { key: `get:${this.o.node.id}`, poll: (signal) => this.poll(signal) };
  }

  /** One GET; redraws the row when anything in it changed; resolves true when its state changed. */
  async poll(signal: AbortSignal): Promise<boolean> {
    const gen = this.gen;
    let fresh: T;
    try {
      fresh = await this.get(gen, signal);
    } catch (error) {
      if (gen === this.gen && isNotFound(error)) {
        // Gone: its list is read again, which drops the row.
        this.o.ctx.refresh(this.o.node.parent);
        return true;
      }
      if (gen === this.gen) this.failed(error);
      throw error;
    }
    if (gen !== this.gen) return false;
    const redraw = JSON.stringify(fresh) !== JSON.stringify(this.current);
    this.o.onFresh?.(fresh);
    const changed = this.update(fresh);
    if (redraw) this.o.ctx.changed(this.o.node);
    return changed;
  }

  /** Per-node refresh: a new generation, one GET, then the row redraws. Never rejects. */
  async reload(): Promise<void> {
    const gen = ++this.gen;
    try {
      const fresh = await this.get(gen, this.o.ctx.signal);
      if (gen !== this.gen) return;
      this.o.onFresh?.(fresh);
      this.update(fresh);
    } catch (error) {
      if (gen !== this.gen || isAbort(error)) return;
      if (isNotFound(error)) {
        this.o.ctx.refresh(this.o.node.parent);
        return;
      }
      this.o.ctx.log.warn(`Refresh of ${this.o.node.id} failed: ${describeError(error)}`);
    }
    this.o.ctx.changed(this.o.node);
  }

  private get(gen: number, signal: AbortSignal): Promise<T> {
    return this.o.ctx.queue.run(`get:${this.o.node.id}@${gen}`, () => this.o.fetch(signal), signal);
  }
}

/** A row backed by one resource: its copy, generation, poll and reload all live in the handle. */
export abstract class HandleBackedNode<T> extends BaseNode {
  protected abstract readonly handle: ResourceHandle<T>;

  get item(): T {
    return this.handle.item;
  }

  get readGeneration(): number {
    return this.handle.generation;
  }

  update(item: T): boolean {
    return this.handle.update(item);
  }

  bump(): void {
    this.handle.bump();
  }

  pollTarget(): PollTarget {
    return this.handle.pollTarget();
  }

  reload(): Promise<void> {
    return this.handle.reload();
  }

  /** A refresh that covered this row (a page re-read) failed. */
  refreshFailed(error: unknown): void {
    this.handle.failed(error);
  }

  override getTreeItem(): vscode.TreeItem {
    return renderMarked(this.ctx, this.view(), this.handle);
  }
}

/** The row's TreeItem, marked when its refreshes fail. */
export function renderMarked(ctx: TreeContext, view: NodeView, handle: { readonly stale: StaleMark | undefined }): vscode.TreeItem {
  const stale = handle.stale;
  return ctx.render(stale ? markStale(view, stale, ctx.l10n) : view);
}

/**
 * A row whose refreshes fail: a warning icon instead of the state's (a spinning one would claim progress),
 * "not updated" after the state, and the reason in the tooltip.
 */
export function markStale(view: NodeView, stale: StaleMark, l10n: typeof vscode.l10n): NodeView {
  const note = l10n.t('not updated');
  const description = view.description ? `${view.description} · ${note}` : note;
  const why = markdownText(l10n.t('Not updated since {0}: {1}', formatServiceTime(stale.since, { zone: true }) ?? '', stale.reason));
  return {
    ...view,
    description,
    icon: { id: 'warning', color: 'list.warningForeground' },
    tooltip: markdown`${view.tooltip ?? markdownText(view.label)}\n\n$(warning) ${why}`,
    accessibilityLabel: `${view.accessibilityLabel ?? view.label}, ${description}`,
  };
}
