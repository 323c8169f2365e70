import type * as vscode from 'vscode';
import { createRedactor } from './api/redact';
import { createSessionManager, type SessionManager } from './auth/sessionManager';
import { registerCommands } from './commands/registry';
import { createExtensionLogger } from './common/logger';
import { createExplorer, type Explorer } from './explorer/explorer';

// Wiring only: build the services, hand them to the views and commands.

/** What the extension exports: used by its own extension-host tests. */
export interface ExtensionApi {
  readonly sessions: SessionManager;
  readonly explorer: Explorer;
}

let running: { sessions: SessionManager } | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const redactor = createRedactor();
  const log = createExtensionLogger(redactor);
  const sessions = createSessionManager({ context, log, redactor });
  const explorer = createExplorer({ context, sessions, log, redactor });
  context.subscriptions.push(log.channel, sessions, explorer, ...registerCommands([...sessions.commands, ...explorer.commands], log));
  running = { sessions };
  return { sessions, explorer };
}

export async function deactivate(): Promise<void> {
  // Ends the demo emulator and any request in flight; the subscriptions dispose the rest.
  await running?.sessions.shutdown();
  running = undefined;
}
