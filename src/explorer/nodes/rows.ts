// The one place that decides a list's rows: its items, then an error row, an empty row, a sign-in row
// and the "Load more…" row as the state asks. Row nodes are kept, so their ids and objects stay stable.

import type * as vscode from 'vscode';
import { isModelArtsError } from '../../api/errors';
import { nodeIds } from '../ids';
import type { LoadFailure } from '../listLoader';
import { markdownText } from '../../common/safeText';
import { LoadMoreNode, type LoadMoreOwner } from './loadMoreNode';
import { MessageNode, type MessageKind } from './messageNode';
import type { ExplorerNode, TreeContext } from './node';
import { describeError } from './resourceHandle';

export interface ListTexts {
  /** Plural noun for messages: `training jobs`. */
  noun: string;
  /** The empty row: `No training jobs`. */
  empty: string;
}

export interface ChildRowsInput {
  items: readonly ExplorerNode[];
  failure: LoadFailure | undefined;
  hasMore: boolean;
  /** A filter is narrowing this list. */
  filtered: boolean;
  texts: ListTexts;
}

function needsSignIn(error: unknown): boolean {
  return isModelArtsError(error) && (error.kind === 'auth' || error.status === 401);
}

export class ChildRows {
  private readonly messages = new Map<MessageKind, MessageNode>();
  private more: LoadMoreNode | undefined;

  constructor(
    private readonly ctx: TreeContext,
    /** The list's node (ids derive from it). */
    private readonly owner: LoadMoreOwner,
    /** The rows' parent in the view: the owner, or undefined at the top level. */
    private readonly rowParent: ExplorerNode | undefined,
  ) {}

  get loadMoreNode(): LoadMoreNode | undefined {
    return this.more;
  }

  make(input: ChildRowsInput): ExplorerNode[] {
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    const { noun } = input.texts;
    if (input.failure?.phase === 'first') return [this.failureRow(input.failure.error, l10n.t('Failed to load {0} — Show Log', noun), noun)];
    const rows: ExplorerNode[] = [...input.items];
    if (input.failure) rows.push(this.failureRow(input.failure.error, l10n.t('Failed to load more {0} — Show Log', noun), noun));
    if (rows.length === 0 && !input.hasMore) {
      rows.push(this.message('empty').set(input.filtered ? l10n.t('No {0} match the filter', noun) : input.texts.empty));
    }
    if (input.hasMore) {
      this.more ??= new LoadMoreNode(this.rowParent, this.ctx, this.owner);
      rows.push(this.more);
    }
    return rows;
  }

  private failureRow(error: unknown, label: string, noun: string): MessageNode {
    const text = describeError(error);
    const clean = this.ctx.redactor ? this.ctx.redactor.redact(text) : text;
    const l10n: typeof vscode.l10n = this.ctx.l10n;
    // In the demo every failure comes from its emulator on this computer: restarting it is what helps.
    if (this.ctx.session.demo) return this.message('restartDemo').set(l10n.t('The demo could not load {0} — Restart the Demo', noun), clean, markdownText(clean));
    if (needsSignIn(error)) return this.message('signIn').set(l10n.t('Sign in to load {0}', noun), clean, markdownText(clean));
    return this.message('error').set(label, clean, markdownText(clean));
  }

  private message(kind: MessageKind): MessageNode {
    let node = this.messages.get(kind);
    if (!node) {
      node = new MessageNode(nodeIds.message(this.owner.id, kind), this.rowParent, this.ctx, kind, this.owner);
      this.messages.set(kind, node);
    }
    return node;
  }
}
