import type * as vscode from 'vscode';

/** An AbortSignal that follows a progress notification's Cancel button (or any CancellationToken). */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
