// The state every resource row shares: its latest copy, a generation (a refresh started after a read
// began makes that read stale), the single GET behind polls and per-node refresh.

import { isModelArtsError } from '../../api/errors';
import { isAbort } from '../../watch/backoff';
import type { PollTarget } from '../../watch/poller';
import { BaseNode, type ExplorerNode, type TreeContext } from './node';

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

/** Not found: 404, or the 400 + "not found" the ModelArts services answer for a missing id. */
export function isNotFound(error: unknown): boolean {
  if (!isModelArtsError(error) || error.kind !== 'http') return false;
  return error.status === 404 || (error.status === 400 && /not (be )?found|does not exist|not exist/i.test(error.message));
}

export function describeError(error: unknown): string {
  if (isModelArtsError(error)) return error.toString();
  return error instanceof Error ? error.message : String(error);
}

export class ResourceHandle<T> {
  private gen = 0;
  private current: T;

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

  /** Takes a newer copy; true when its state changed. */
  update(item: T): boolean {
    const changed = this.o.signature(item) !== this.o.signature(this.current);
    this.current = item;
    this.o.onUpdate?.(item);
    return changed;
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
export abstract class ResourceNode<T> extends BaseNode {
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
}
