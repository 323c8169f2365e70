import * as vscode from 'vscode';
import type { Logger } from '../api/log';
import type { Redactor } from '../api/redact';
import { logText } from './safeText';

// The `ModelArts` LogOutputChannel, seen by the client as its Logger; every line is redacted first.

export interface ExtensionLogger extends Logger {
  readonly channel: vscode.LogOutputChannel;
  /** Shows the channel (the "Show Log" button). */
  show(): void;
}

export function createExtensionLogger(redactor: Redactor): ExtensionLogger {
  const channel = vscode.window.createOutputChannel('ModelArts', { log: true });
  // Secrets out first (the patterns read the raw text), then nothing in a message can pass for another event.
  const clean = (message: string): string => logText(redactor.redact(message));
  return {
    channel,
    trace: (message) => channel.trace(clean(message)),
    debug: (message) => channel.debug(clean(message)),
    info: (message) => channel.info(clean(message)),
    warn: (message) => channel.warn(clean(message)),
    error: (message) => channel.error(clean(message)),
    show: () => channel.show(true),
  };
}
