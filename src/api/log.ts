// The logging interface of the client. The extension backs it with its LogOutputChannel; tests with memory.
import type { Redactor } from './redact';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** False when lines at `level` go nowhere, so callers skip building them; absent means every level is kept. */
  enabled?(level: LogLevel): boolean;
}

/** Whether `logger` keeps lines at `level`: the per-request debug lines are built only then. */
export function logs(logger: Logger, level: LogLevel): boolean {
  return logger.enabled?.(level) ?? true;
}

const nothing = (): void => undefined;

export const noopLogger: Logger = { trace: nothing, debug: nothing, info: nothing, warn: nothing, error: nothing, enabled: () => false };

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** Passes every line through the redactor before it reaches `target`, so no caller can forget to. */
export function redactingLogger(target: Logger, redactor: Redactor): Logger {
  const wrap =
    (level: LogLevel) =>
    (message: string): void => {
      if (logs(target, level)) target[level](redactor.redact(message));
    };
  return { trace: wrap('trace'), debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error'), enabled: (level) => logs(target, level) };
}

export interface LogLine {
  level: LogLevel;
  message: string;
}

/** Keeps every line in memory, at every level: for tests and diagnostics. */
export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = [];

  trace(message: string): void {
    this.lines.push({ level: 'trace', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  /** All lines as one text, `level: message` per line. */
  text(): string {
    return this.lines.map((line) => `${line.level}: ${line.message}`).join('\n');
  }

  atLevel(level: LogLevel): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

export function isLogLevel(value: string): value is LogLevel {
  return (LEVELS as readonly string[]).includes(value);
}
