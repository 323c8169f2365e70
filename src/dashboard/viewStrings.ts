// The webview's words (replaced by the full table with the webview's code).
import type * as vscode from 'vscode';

export function dashboardViewStrings(l10n: typeof vscode.l10n): Record<string, string> {
  return { 'Copy as CSV': l10n.t('Copy as CSV') };
}
