// One pager for every ModelArts list. The resource module supplies a page fetcher that knows its paging
// shape (page index or record offset, and where the totals are); the pager keeps what is loaded and makes
// sure one click loads one page, however often it is clicked.

export interface PageRequest {
  /** 0-based index of the page to load. */
  page: number;
  /** Records before this page (`page * limit`), for APIs whose offset counts records. */
  offset: number;
  limit: number;
  signal?: AbortSignal;
}

export interface Page<T> {
  items: T[];
  /** Records matching the query, when the API says. */
  total?: number;
  /** Set when the API's answer decides it directly; otherwise the pager works it out. */
  hasMore?: boolean;
}

export type PageFetcher<T> = (request: PageRequest) => Promise<Page<T>>;

/**
 * Whether more pages exist after loading `loaded` records, the last page holding `pageLength` of `limit`.
 * The total the API returns decides; a short page decides when there is none. An empty page always ends
 * the list, so a total that overstates can never cause endless loading.
 */
export function computeHasMore(loaded: number, pageLength: number, limit: number, total: number | undefined): boolean {
  if (pageLength === 0) return false;
  if (total !== undefined) return loaded < total;
  return pageLength >= limit;
}

export class Pager<T> {
  private loadedItems: T[] = [];
  private nextPage = 0;
  private more = true;
  private knownTotal: number | undefined;
  private inFlight: Promise<readonly T[]> | undefined;
  /** Bumped by reset(), so a page that arrives after a reset is dropped instead of mixed in. */
  private generation = 0;

  /** `startPage`: the first page to load (items before it are never loaded); 0 by default. */
  constructor(
    private readonly fetchPage: PageFetcher<T>,
    readonly pageSize: number,
    readonly startPage = 0,
  ) {
    this.nextPage = startPage;
  }

  /** Everything loaded so far, in order. */
  get items(): readonly T[] {
    return this.loadedItems;
  }

  get hasMore(): boolean {
    return this.more;
  }

  get total(): number | undefined {
    return this.knownTotal;
  }

  get loading(): boolean {
    return this.inFlight !== undefined;
  }

  /** Pages loaded so far. */
  get pagesLoaded(): number {
    return this.nextPage - this.startPage;
  }

  /**
   * Loads the next page and resolves with its items. Calls made while a load is in flight share it
   * (so they also share the first caller's signal). With nothing more to load, resolves with [] and
   * sends nothing. On failure nothing changes, so the same page can be tried again.
   */
  loadNext(signal?: AbortSignal): Promise<readonly T[]> {
    if (this.inFlight) return this.inFlight;
    if (!this.more) return Promise.resolve([]);
    const generation = this.generation;
    const page = this.nextPage;
    const request: PageRequest = { page, offset: page * this.pageSize, limit: this.pageSize, signal };
    const load = this.fetchPage(request)
      .then((result): readonly T[] => {
        if (generation !== this.generation) return [];
        this.loadedItems = [...this.loadedItems, ...result.items];
        this.nextPage = page + 1;
        this.knownTotal = result.total;
        this.more = result.hasMore ?? computeHasMore(this.startPage * this.pageSize + this.loadedItems.length, result.items.length, this.pageSize, result.total);
        return result.items;
      })
      .finally(() => {
        if (generation === this.generation) this.inFlight = undefined;
      });
    this.inFlight = load;
    return load;
  }

  /** Page `page` as it is now, read again without changing what is loaded (a poll of the rows it holds). */
  reread(page: number, signal?: AbortSignal): Promise<Page<T>> {
    return this.fetchPage({ page, offset: page * this.pageSize, limit: this.pageSize, signal });
  }

  /** Forgets everything loaded; a load still in flight is dropped when it arrives. */
  reset(): void {
    this.generation++;
    this.loadedItems = [];
    this.nextPage = this.startPage;
    this.more = true;
    this.knownTotal = undefined;
    this.inFlight = undefined;
  }
}
