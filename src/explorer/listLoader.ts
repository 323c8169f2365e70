// One list under a tree node: its pager (rebuilt on every reset, with the filters of that moment), the
// items loaded so far (deduplicated), and a generation that drops any answer arriving after a reset.
// It never rejects: a failure is kept for the node to show as a row, and reported once.

import type { Pager } from '../api/paging';
import { dedupeByKey } from './ids';
import type { LoadQueue } from './loadQueue';

export interface ListSource<T> {
  /** A pager for the list as filtered now; undefined when the filter excludes every row (nothing is asked). */
  createPager(pageSize: number): Pager<T> | undefined;
  /** The item's id; '' when it has none. */
  keyOf(item: T): string;
}

export interface ListLoaderOptions<T> {
  /** Unique per list (the node id): part of every queue key. */
  key: string;
  source: ListSource<T>;
  queue: LoadQueue;
  pageSize: () => number;
  /** Aborted when the whole tree goes (sign-out, profile switch, deactivate). */
  signal: AbortSignal;
  /** Called once per failed load (not per redraw). */
  onError?: (error: unknown, phase: LoadPhase) => void;
}

export type LoadPhase = 'first' | 'more';

export interface LoadFailure {
  error: unknown;
  phase: LoadPhase;
}

export class ListLoader<T> {
  private gen = 0;
  /** undefined: not created yet; null: the filter excludes everything. */
  private pager: Pager<T> | null | undefined;
  private controller: AbortController;
  private first: Promise<void> | undefined;
  private more: Promise<void> | undefined;
  private firstSettled = false;
  private list: T[] = [];
  /** The ids each loaded page brought, by page index. */
  private pages: string[][] = [];
  private lastFailure: LoadFailure | undefined;

  constructor(private readonly options: ListLoaderOptions<T>) {
    this.controller = this.newController();
  }

  /** Bumped by every reset: answers of an older generation are dropped. */
  get generation(): number {
    return this.gen;
  }

  /** The first page has been answered (or failed, or was not needed) in this generation. */
  get loaded(): boolean {
    return this.firstSettled;
  }

  get failure(): LoadFailure | undefined {
    return this.lastFailure;
  }

  /** The filter excludes every row of this list. */
  get excluded(): boolean {
    return this.pager === null;
  }

  get hasMore(): boolean {
    return this.firstSettled && !!this.pager && this.pager.hasMore && this.lastFailure?.phase !== 'first';
  }

  get loadingMore(): boolean {
    return this.more !== undefined;
  }

  get total(): number | undefined {
    return this.pager?.total ?? undefined;
  }

  /** Loaded items in order, one per id. */
  get items(): readonly T[] {
    return this.list;
  }

  /** The ids each loaded page brought, by page index (a poll re-reads a page instead of each of its items). */
  pageKeys(): ReadonlyArray<readonly string[]> {
    return this.pages;
  }

  /** Page `page` of the list as loaded (same filters, same page size) read again; undefined when there is no list. */
  async rereadPage(page: number, signal: AbortSignal): Promise<readonly T[] | undefined> {
    const pager = this.pager;
    if (!pager) return undefined;
    return (await pager.reread(page, signal)).items;
  }

  /** Loads the first page unless it is loaded; after a reset mid-way, waits for the new generation's. */
  async ensureLoaded(): Promise<void> {
    for (;;) {
      const gen = this.gen;
      if (this.firstSettled) return;
      this.first ??= this.load(gen, 'first');
      await this.first;
      if (gen === this.gen) return;
    }
  }

  /** The next page: one request however often it is called while loading. */
  loadMore(): Promise<void> {
    if (!this.firstSettled) return this.ensureLoaded();
    if (this.more) return this.more;
    if (!this.hasMore) return Promise.resolve();
    const gen = this.gen;
    const more = this.load(gen, 'more').finally(() => {
      if (this.more === more) this.more = undefined;
    });
    this.more = more;
    return more;
  }

  /** Forgets everything: the next ensureLoaded asks again; anything in flight is aborted and dropped. */
  reset(): void {
    this.gen++;
    this.controller.abort();
    this.controller = this.newController();
    this.pager = undefined;
    this.first = undefined;
    this.more = undefined;
    this.firstSettled = false;
    this.list = [];
    this.pages = [];
    this.lastFailure = undefined;
  }

  /** Puts a fresher copy of a loaded item in its place (a poll read it); false when it is not loaded. */
  replace(item: T): boolean {
    const key = this.options.source.keyOf(item);
    if (key === '') return false;
    const i = this.list.findIndex((x) => this.options.source.keyOf(x) === key);
    if (i < 0) return false;
    this.list[i] = item;
    return true;
  }

  dispose(): void {
    this.gen++;
    this.controller.abort();
    this.unlink?.();
  }

  private unlink: (() => void) | undefined;

  /** A controller aborted with the tree's signal; the previous one's link is removed, so none pile up. */
  private newController(): AbortController {
    this.unlink?.();
    const controller = new AbortController();
    const parent = this.options.signal;
    if (parent.aborted) {
      controller.abort();
      this.unlink = undefined;
    } else {
      const onAbort = (): void => controller.abort();
      parent.addEventListener('abort', onAbort, { once: true });
      this.unlink = () => parent.removeEventListener('abort', onAbort);
    }
    return controller;
  }

  private async load(gen: number, phase: LoadPhase): Promise<void> {
    try {
      if (this.pager === undefined) this.pager = this.options.source.createPager(this.options.pageSize()) ?? null;
      const pager = this.pager;
      if (pager === null) return;
      const page = pager.pagesLoaded;
      const signal = this.controller.signal;
      const items = await this.options.queue.run(`${this.options.key}@${gen}#${page}`, () => pager.loadNext(signal), signal);
      if (gen !== this.gen) return;
      this.list = dedupeByKey([...this.list, ...items], (i) => this.options.source.keyOf(i));
      this.pages[page] = items.map((i) => this.options.source.keyOf(i)).filter((key) => key !== '');
      this.lastFailure = undefined;
    } catch (error) {
      // An answer for a list that was reset meanwhile is dropped, failures included.
      if (gen !== this.gen) return;
      this.lastFailure = { error, phase };
      this.options.onError?.(error, phase);
    } finally {
      if (gen === this.gen && phase === 'first') this.firstSettled = true;
    }
  }
}
