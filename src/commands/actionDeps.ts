import type * as vscode from 'vscode';
import type { Redactor } from '../api/redact';
import type { ExtensionLogger } from '../common/logger';
import type { WalkthroughProgress } from '../common/walkthrough';
import type { SessionService } from '../common/session';
import type { Explorer } from '../explorer/explorer';
import type { OutputStreams } from '../watch/streams';
import type { WatchRegistry } from '../watch/watcher';

// What every action module is built with.
export interface ActionDeps {
  readonly context: vscode.ExtensionContext;
  readonly sessions: SessionService;
  readonly explorer: Explorer;
  readonly log: ExtensionLogger;
  readonly redactor: Redactor;
  /** Resources the user acted on, re-read until final, visible or not. */
  readonly watches: WatchRegistry;
  /** Output channels of followed logs and event streams. */
  readonly streams: OutputStreams;
  /** Checks off the getting-started steps the user has truly done. */
  readonly walkthrough: WalkthroughProgress;
}
