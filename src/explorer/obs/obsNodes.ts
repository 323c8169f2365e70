// The OBS view's rows: buckets (every region; another region's marked), their folders and objects, each list
// paged with "Load more…", and the empty, error and sign-in rows where the data would be (never a toast).
// Only types come from vscode: the tree runs in plain Node against a fake client in unit tests.

import type * as vscode from 'vscode';
import { isModelArtsError } from '../../api/errors';
import type { Logger } from '../../api/log';
import type { ObsBucket, ObsClient, ObsListEntry } from '../../api/obs/types';
import { Pager } from '../../api/paging';
import type { Redactor } from '../../api/redact';
import { COMMAND } from '../../commands/ids';
import { markdownText } from '../../common/safeText';
import type { ActiveSession } from '../../common/session';
import { formatServiceTime } from '../../common/time';
import { contextValue } from '../ids';
import { ListLoader } from '../listLoader';
import type { LoadQueue } from '../loadQueue';
import type { NodeView } from '../nodes/node';
import { markdownTooltip } from '../text';
import { formatBytes, obsNodeIds } from './obsText';

export interface ObsTreeContext {
  readonly session: Pick<ActiveSession, 'profile' | 'region' | 'demo'>;
  readonly client: ObsClient;
  readonly l10n: typeof vscode.l10n;
  readonly log: Logger;
  readonly redactor: Redactor | undefined;
  readonly queue: LoadQueue;
  /** Aborted when the tree goes (sign-out, profile switch). */
  readonly signal: AbortSignal;
  pageSize(): number;
  render(view: NodeView): vscode.TreeItem;
  /** The node's row (and children when expanded) changed; undefined: the whole tree. */
  changed(node: ObsNode | undefined): void;
}

export interface ObsNode {
  readonly id: string;
  readonly parent: ObsNode | undefined;
  view(): NodeView;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<ObsNode[]>;
}

abstract class ObsBaseNode implements ObsNode {
  constructor(
    readonly id: string,
    readonly parent: ObsNode | undefined,
    protected readonly ctx: ObsTreeContext,
  ) {}

  abstract view(): NodeView;

  getTreeItem(): vscode.TreeItem {
    return this.ctx.render(this.view());
  }
}

export function describeObsError(error: unknown): string {
  if (isModelArtsError(error)) return error.toString();
  return error instanceof Error ? error.message : String(error);
}

type MessageKind = 'empty' | 'error' | 'signIn' | 'restartDemo';

export class ObsMessageNode extends ObsBaseNode {
  constructor(
    id: string,
    parent: ObsNode | undefined,
    ctx: ObsTreeContext,
    readonly kind: MessageKind,
    readonly label: string,
    private readonly detail?: string,
    /** An empty row's way forward (Create Bucket). */
    private readonly command?: { command: string; title: string },
  ) {
    super(id, parent, ctx);
  }

  view(): NodeView {
    const l10n = this.ctx.l10n;
    const view: NodeView = { id: this.id, label: this.label, contextValue: contextValue('message', this.kind), collapsible: 'none', tooltip: markdownText(this.detail ?? this.label) };
    if (this.detail !== undefined) view.description = this.detail;
    if (this.kind === 'error') {
      view.icon = { id: 'error', color: 'errorForeground' };
      view.command = { command: COMMAND.explorerShowLog, title: l10n.t('Show Log') };
    } else if (this.kind === 'signIn') {
      view.icon = { id: 'sign-in' };
      view.command = { command: COMMAND.signIn, title: l10n.t('Sign In') };
    } else if (this.kind === 'restartDemo') {
      view.icon = { id: 'debug-restart', color: 'errorForeground' };
      view.command = { command: COMMAND.demoStart, title: l10n.t('Restart the Demo'), arguments: [{ restart: true }] };
    } else {
      view.icon = { id: 'info' };
      if (this.command) view.command = this.command;
    }
    return view;
  }
}

export class ObsLoadMoreNode extends ObsBaseNode {
  constructor(
    parent: ObsNode | undefined,
    ctx: ObsTreeContext,
    readonly owner: ObsListNode<unknown>,
  ) {
    super(`${owner.id}/#loadMore`, parent, ctx);
  }

  view(): NodeView {
    const l10n = this.ctx.l10n;
    const { loaded, loading } = this.owner.loadProgress();
    return {
      id: this.id,
      label: l10n.t('Load more…'),
      contextValue: contextValue('loadMore'),
      collapsible: 'none',
      icon: { id: loading ? 'loading~spin' : 'ellipsis' },
      command: { command: COMMAND.obsLoadMore, title: l10n.t('Load More'), arguments: [this] },
      ...(loading ? { description: l10n.t('Loading…') } : {}),
      tooltip: markdownText(l10n.t('Loads the next page: {0} loaded so far.', loaded)),
    };
  }
}

/** A node whose children are one paged list, with a name-prefix filter of its own. */
export abstract class ObsListNode<T> extends ObsBaseNode {
  protected readonly loader: ListLoader<T>;
  private rows: ObsNode[] = [];
  private more: ObsLoadMoreNode | undefined;
  private children = new Map<string, ObsNode>();
  /** Only names starting with this are listed ('' = all). */
  filter = '';

  constructor(id: string, parent: ObsNode | undefined, ctx: ObsTreeContext) {
    super(id, parent, ctx);
    this.loader = new ListLoader<T>({
      key: id,
      source: { createPager: (size) => this.createPager(size), keyOf: (item) => this.keyOf(item) },
      queue: ctx.queue,
      pageSize: () => ctx.pageSize(),
      signal: ctx.signal,
      onError: (error, phase) => ctx.log.error(`Failed to load ${phase === 'more' ? 'more ' : ''}${this.noun()} (${this.id}): ${describeObsError(error)}`),
    });
  }

  protected abstract createPager(pageSize: number): Pager<T>;
  protected abstract keyOf(item: T): string;
  protected abstract createChild(item: T): ObsNode;
  /** Plural noun for the rows' messages. */
  protected abstract noun(): string;
  protected abstract emptyText(): string;
  /** Whether an item of the list is a row. */
  protected accepts(_item: T): boolean {
    return true;
  }

  /** What the empty row runs, if anything. */
  protected emptyCommand(): { command: string; title: string } | undefined {
    return undefined;
  }
  /** The rows' parent in the view (undefined at the top). */
  protected rowParent(): ObsNode | undefined {
    return this;
  }

  async getChildren(): Promise<ObsNode[]> {
    await this.loader.ensureLoaded();
    this.rebuild();
    return this.rows;
  }

  /** The rows built by the last getChildren. */
  loadedChildren(): readonly ObsNode[] {
    return this.rows;
  }

  async loadMore(): Promise<void> {
    const pending = this.loader.loadMore();
    if (this.more) this.ctx.changed(this.more);
    await pending;
    this.rebuild();
    this.ctx.changed(this.rowParent() === undefined ? undefined : this);
  }

  loadProgress(): { loaded: number; loading: boolean } {
    return { loaded: this.loader.items.length, loading: this.loader.loadingMore };
  }

  /** Forgets what was loaded: the next getChildren asks again. */
  invalidate(): void {
    this.loader.reset();
  }

  dispose(): void {
    this.loader.dispose();
  }

  private rebuild(): void {
    const l10n = this.ctx.l10n;
    const next = new Map<string, ObsNode>();
    const items: ObsNode[] = this.loader.items.filter((item) => this.accepts(item)).map((item) => {
      const child = this.createChild(item);
      // A bucket or folder keeps its row object (and its loaded list and filter) across reloads; objects are
      // rebuilt, so a new size or date shows.
      const kept = child instanceof ObsListNode ? (this.children.get(child.id) ?? child) : child;
      next.set(kept.id, kept);
      return kept;
    });
    this.children = next;
    const failure = this.loader.failure;
    const noun = this.noun();
    if (failure?.phase === 'first') {
      this.rows = [this.failureRow(failure.error, l10n.t('Failed to load {0} — Show Log', noun))];
      return;
    }
    const rows: ObsNode[] = [...items];
    if (failure) rows.push(this.failureRow(failure.error, l10n.t('Failed to load more {0} — Show Log', noun)));
    if (rows.length === 0 && !this.loader.hasMore) {
      const empty = this.filter === '' ? this.emptyText() : l10n.t('No {0} match the filter', noun);
      rows.push(new ObsMessageNode(`${this.id}/#empty`, this.rowParent(), this.ctx, 'empty', empty, undefined, this.filter === '' ? this.emptyCommand() : undefined));
    }
    if (this.loader.hasMore) {
      this.more ??= new ObsLoadMoreNode(this.rowParent(), this.ctx, this);
      rows.push(this.more);
    }
    this.rows = rows;
  }

  private failureRow(error: unknown, label: string): ObsNode {
    const l10n = this.ctx.l10n;
    const text = describeObsError(error);
    const clean = this.ctx.redactor ? this.ctx.redactor.redact(text) : text;
    const noun = this.noun();
    if (this.ctx.session.demo) return new ObsMessageNode(`${this.id}/#restartDemo`, this.rowParent(), this.ctx, 'restartDemo', l10n.t('The demo could not load {0} — Restart the Demo', noun), clean);
    if (isModelArtsError(error) && (error.kind === 'auth' || error.status === 401)) return new ObsMessageNode(`${this.id}/#signIn`, this.rowParent(), this.ctx, 'signIn', l10n.t('Sign in to load {0}', noun), clean);
    return new ObsMessageNode(`${this.id}/#error`, this.rowParent(), this.ctx, 'error', label, clean);
  }
}

/** Where a row's objects live: the bucket, and the folder ('' for the bucket's top). */
export interface ObsPlace {
  readonly bucket: string;
  readonly prefix: string;
  /** The bucket's region. */
  readonly region: string;
}

/** A list of a folder's entries (the bucket's top level or a folder), filtered by a name prefix. */
abstract class FolderListNode extends ObsListNode<ObsListEntry> implements ObsPlace {
  abstract readonly bucket: string;
  abstract readonly prefix: string;
  abstract readonly region: string;

  protected createPager(pageSize: number): Pager<ObsListEntry> {
    return this.ctx.client.folderPager(this.bucket, this.prefix + this.filter, pageSize);
  }

  protected keyOf(item: ObsListEntry): string {
    return item.kind === 'folder' ? item.prefix : item.key;
  }

  /** The folder's own marker object (`prefix/`, zero bytes, what New OBS Folder makes) is the folder, not a row in it. */
  protected override accepts(item: ObsListEntry): boolean {
    return !(item.kind === 'object' && item.key === this.prefix);
  }

  protected createChild(item: ObsListEntry): ObsNode {
    const place = { bucket: this.bucket, region: this.region };
    if (item.kind === 'folder') return new ObsFolderNode(obsNodeIds.key(this.ctx.session.profile, this.bucket, item.prefix), this, this.ctx, { ...place, prefix: item.prefix });
    return new ObsObjectNode(obsNodeIds.key(this.ctx.session.profile, this.bucket, item.key), this, this.ctx, { ...place, key: item.key, size: item.size, lastModified: item.lastModified, etag: item.etag, storageClass: item.storageClass });
  }

  protected noun(): string {
    const { l10n } = this.ctx;
    return l10n.t('objects');
  }

  protected emptyText(): string {
    const { l10n } = this.ctx;
    return l10n.t('No objects');
  }

  protected filterText(): string | undefined {
    const { l10n } = this.ctx;
    return this.filter === '' ? undefined : l10n.t('filter: {0}*', this.filter);
  }
}

export class ObsBucketNode extends FolderListNode {
  readonly prefix = '';

  constructor(
    id: string,
    parent: ObsNode | undefined,
    ctx: ObsTreeContext,
    readonly item: ObsBucket,
  ) {
    super(id, parent, ctx);
  }

  get bucket(): string {
    return this.item.name;
  }

  get region(): string {
    return this.item.location || this.ctx.session.region;
  }

  view(): NodeView {
    const l10n = this.ctx.l10n;
    const b = this.item;
    const otherRegion = b.location !== '' && b.location !== this.ctx.session.region;
    const description = [otherRegion ? b.location : undefined, this.filterText()].filter((p): p is string => p !== undefined).join(' · ');
    return {
      id: this.id,
      label: b.name,
      ...(description === '' ? {} : { description }),
      tooltip: markdownTooltip(
        b.name,
        [
          [l10n.t('Region'), b.location || undefined],
          [l10n.t('Type'), b.bucketType === 'POSIX' ? l10n.t('parallel file system') : b.bucketType],
          [l10n.t('Created'), formatServiceTime(b.creationDate, { zone: true })],
          [l10n.t('Filter'), this.filter === '' ? undefined : `${this.filter}*`],
        ],
        undefined,
        l10n,
      ),
      icon: { id: 'database' },
      contextValue: contextValue('obsBucket', otherRegion && 'otherRegion', this.filter !== '' && 'filtered'),
      collapsible: 'collapsed',
    };
  }
}

export class ObsFolderNode extends FolderListNode {
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;

  constructor(id: string, parent: ObsNode | undefined, ctx: ObsTreeContext, place: ObsPlace) {
    super(id, parent, ctx);
    this.bucket = place.bucket;
    this.prefix = place.prefix;
    this.region = place.region;
  }

  view(): NodeView {
    const l10n = this.ctx.l10n;
    const own = this.parent instanceof FolderListNode ? this.parent.prefix : '';
    const label = this.prefix.slice(own.length).replace(/\/$/, '') || '/';
    const description = this.filterText();
    return {
      id: this.id,
      label,
      ...(description === undefined ? {} : { description }),
      tooltip: markdownTooltip(`obs://${this.bucket}/${this.prefix}`, [[l10n.t('Filter'), this.filter === '' ? undefined : `${this.filter}*`]], undefined, l10n),
      icon: { id: 'folder' },
      contextValue: contextValue('obsFolder', this.filter !== '' && 'filtered'),
      collapsible: 'collapsed',
    };
  }
}

export interface ObsObjectInfo {
  bucket: string;
  region: string;
  key: string;
  size: number;
  lastModified: string;
  etag: string;
  storageClass?: string | undefined;
}

export class ObsObjectNode extends ObsBaseNode {
  constructor(
    id: string,
    parent: ObsNode | undefined,
    ctx: ObsTreeContext,
    readonly item: ObsObjectInfo,
  ) {
    super(id, parent, ctx);
  }

  view(): NodeView {
    const l10n = this.ctx.l10n;
    const o = this.item;
    const own = this.parent instanceof FolderListNode ? this.parent.prefix : '';
    const when = formatServiceTime(o.lastModified);
    return {
      id: this.id,
      label: o.key.slice(own.length),
      description: [formatBytes(o.size), when].filter((p): p is string => p !== undefined).join(' · '),
      tooltip: markdownTooltip(
        `obs://${o.bucket}/${o.key}`,
        [
          [l10n.t('Size'), l10n.t('{0} ({1} bytes)', formatBytes(o.size), o.size)],
          [l10n.t('Modified'), formatServiceTime(o.lastModified, { zone: true })],
          [l10n.t('ETag'), o.etag],
          [l10n.t('Storage class'), o.storageClass],
        ],
        undefined,
        l10n,
      ),
      icon: { id: 'file' },
      contextValue: contextValue('obsObject'),
      collapsible: 'none',
      command: { command: COMMAND.obsOpen, title: l10n.t('Open OBS Object'), arguments: [this] },
    };
  }
}

/** The invisible top: every bucket of the account, sorted by name, filtered by a name prefix, paged here. */
export class ObsRootNode extends ObsListNode<ObsBucket> {
  constructor(ctx: ObsTreeContext) {
    super(obsNodeIds.root(ctx.session.profile), undefined, ctx);
  }

  view(): NodeView {
    return { id: this.id, label: '', contextValue: contextValue('obsRoot'), collapsible: 'expanded' };
  }

  protected override rowParent(): ObsNode | undefined {
    return undefined;
  }

  protected createPager(pageSize: number): Pager<ObsBucket> {
    // ListBuckets answers every bucket at once: one request per reset, paged here for the Load more row.
    let all: Promise<ObsBucket[]> | undefined;
    const filter = this.filter;
    return new Pager<ObsBucket>(async ({ offset, limit, signal }) => {
      all ??= this.ctx.client.listBuckets(signal).then((list) => list.filter((b) => b.name.startsWith(filter)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
      const list = await all.catch((error: unknown) => {
        all = undefined;
        throw error;
      });
      return { items: list.slice(offset, offset + limit), total: list.length };
    }, pageSize);
  }

  protected keyOf(item: ObsBucket): string {
    return item.name;
  }

  protected createChild(item: ObsBucket): ObsNode {
    return new ObsBucketNode(obsNodeIds.bucket(this.ctx.session.profile, item.name), undefined, this.ctx, item);
  }

  protected noun(): string {
    const { l10n } = this.ctx;
    return l10n.t('buckets');
  }

  protected emptyText(): string {
    const { l10n } = this.ctx;
    return l10n.t('No buckets — Create Bucket');
  }

  protected override emptyCommand(): { command: string; title: string } {
    const { l10n } = this.ctx;
    return { command: COMMAND.obsCreateBucket, title: l10n.t('Create Bucket') };
  }
}

export function isObsPlace(node: unknown): node is ObsListNode<ObsListEntry> & ObsPlace {
  return node instanceof FolderListNode;
}
