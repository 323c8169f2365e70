import * as vscode from 'vscode';

// Wiring only: services are built here and handed to views and commands.
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('ModelArts', { log: true });
  context.subscriptions.push(log);
  log.info(vscode.l10n.t('ModelArts Explorer activated.'));
}

export function deactivate(): void {
  // Nothing runs in the background yet.
}
