import * as vscode from 'vscode';
import { systemClock } from './api/clock';
import { createRedactor } from './api/redact';
import { createSessionManager, type SessionManager } from './auth/sessionManager';
import type { ActionDeps } from './commands/actionDeps';
import { registerCommands } from './commands/registry';
import { buildCommandTable } from './commands/table';
import type { SshActions } from './commands/notebooks/sshActions';
import type { ObsShell } from './commands/obs/obsShell';
import { createExtensionLogger } from './common/logger';
import { readSettings } from './common/settings';
import { WALKTHROUGH_ID, WalkthroughProgress } from './common/walkthrough';
import { createExplorer, type Explorer } from './explorer/explorer';
import { OutputStreams } from './watch/streams';
import { WatchRegistry } from './watch/watcher';

// Wiring only: build the services, hand them to the views and commands.

/** What the extension exports: used by its own extension-host tests. */
export interface ExtensionApi {
  readonly sessions: SessionManager;
  readonly explorer: Explorer;
  readonly watches: WatchRegistry;
  readonly streams: OutputStreams;
  /** The OBS view's drop target and feature. */
  readonly obs: Pick<ObsShell, 'drop' | 'load'>;
}

let running: { sessions: SessionManager; explorer: Explorer; watches: WatchRegistry; streams: OutputStreams; ssh: SshActions } | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const redactor = createRedactor();
  const log = createExtensionLogger(redactor);
  const sessions = createSessionManager({ context, log, redactor });
  const explorer = createExplorer({ context, sessions, log, redactor });
  const watches = new WatchRegistry({ clock: systemClock, baseIntervalMs: () => readSettings().refreshIntervalSeconds * 1000, log });
  const streams = new OutputStreams();
  const walkthrough = new WalkthroughProgress(
    (key, value) => vscode.commands.executeCommand('setContext', key, value),
    (step) => vscode.commands.executeCommand('welcome.markStepComplete', `${context.extension.id}#${WALKTHROUGH_ID}#${step}`),
  );
  const deps: ActionDeps = { context, sessions, explorer, log, redactor, watches, streams, walkthrough };
  const table = buildCommandTable(deps, [sessions, explorer]);
  context.subscriptions.push(log.channel, sessions, explorer, walkthrough.watchSessions(sessions), ...table.disposables, { dispose: () => watches.dispose() }, streams, ...registerCommands(table.specs, log, () => ({ demo: sessions.current?.demo === true })));
  const ssh = table.ssh;
  running = { sessions, explorer, watches, streams, ssh };
  return { sessions, explorer, watches, streams, obs: table.obs };
}

export async function deactivate(): Promise<void> {
  // Stops the tree's polling, every watch and stream first, so no request starts after this; then ends the
  // session (its client refuses further requests) and the demo emulator, whose SSH hosts go with it.
  running?.explorer.dispose();
  running?.watches.dispose();
  running?.streams.dispose();
  const demo = running?.sessions.current?.demo === true;
  await running?.sessions.shutdown();
  if (demo) await running?.ssh.tidyDemoHosts();
  running = undefined;
}
