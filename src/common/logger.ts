import * as vscode from 'vscode';
import type { Logger, LogLevel } from '../api/log';
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
  // The channel's level as VS Code numbers it (LogLevel: Off 0, Trace 1, Debug 2, Info 3, Warning 4, Error 5):
  // a line below it is never built, so a request costs no log text unless the user asked for debug logs.
  const rank: Record<LogLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 };
  const enabled = (level: LogLevel): boolean => {
    const current = channel.logLevel as number | undefined;
    return current === undefined || (current !== 0 && current <= rank[level]);
  };
  const line = (level: LogLevel, write: (text: string) => void) => (message: string): void => {
    if (enabled(level)) write(clean(message));
  };
  return {
    channel,
    trace: line('trace', (text) => channel.trace(text)),
    debug: line('debug', (text) => channel.debug(text)),
    info: line('info', (text) => channel.info(text)),
    warn: line('warn', (text) => channel.warn(text)),
    error: line('error', (text) => channel.error(text)),
    enabled,
    show: () => channel.show(true),
  };
}
