import * as vscode from 'vscode';
import { labelText } from '../common/safeText';

// One output channel per followed thing (a job task's log, an execution's events), in one registry:
// following twice reveals the same channel, stopping appends a closing line, deactivate aborts all. Each
// running stream carries what it follows (for the Stop Following pick), and each key keeps its cursor after
// its stream stopped, so following it again resumes where it was.

/** What a stream follows. */
export interface Followed {
  /** What a pick of running streams shows: `job/worker-0`. */
  readonly label: string;
  /** The followed resource's id (a training job's). */
  readonly resource: string;
  /** The part of it followed, when only one is (a job's task). */
  readonly part?: string;
}

export interface Stream {
  readonly key: string;
  readonly channel: vscode.OutputChannel;
  /** Aborted when the stream is stopped or the extension deactivates. */
  readonly signal: AbortSignal;
  readonly followed?: Followed;
}

/** Hears a followed log's text as it is read, with the byte offset of its end in the whole log. */
export type LogTap = (text: string, end: number) => void;

interface Entry {
  stream: Stream;
  controller: AbortController;
}

export class OutputStreams implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Channels outlive their streams (the user may still read them); they are disposed with the registry. */
  private readonly channels = new Map<string, vscode.OutputChannel>();
  /** Where each key's follow is: kept across stops, dropped with the registry. */
  private readonly cursors = new Map<string, object>();
  private readonly taps = new Map<string, Set<LogTap>>();
  private disposed = false;

  /** Hears `key`'s text while it is followed, so a dashboard reads no log a channel already follows. */
  listen(key: string, tap: LogTap): vscode.Disposable {
    const taps = this.taps.get(key) ?? new Set<LogTap>();
    this.taps.set(key, taps.add(tap));
    return { dispose: () => taps.delete(tap) };
  }

  emit(key: string, text: string, end: number): void {
    this.taps.get(key)?.forEach((tap) => tap(text, end));
  }

  /** Starts a stream, or returns the running one (and reveals it). `isNew` tells which. */
  open(key: string, channelName: string, followed?: Followed): { stream: Stream; isNew: boolean } {
    const running = this.entries.get(key);
    if (running) {
      running.stream.channel.show(true);
      return { stream: running.stream, isNew: false };
    }
    let channel = this.channels.get(channelName);
    if (!channel) {
      // Channel names carry the service's names (`ModelArts Logs: <job>/<task>`): plain one-line text.
      channel = guarded(vscode.window.createOutputChannel(labelText(channelName)), () => !this.disposed);
      this.channels.set(channelName, channel);
    }
    const controller = new AbortController();
    const stream: Stream = { key, channel, signal: controller.signal, followed };
    this.entries.set(key, { stream, controller });
    channel.show(true);
    return { stream, isNew: true };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The running streams that say what they follow. */
  get following(): Array<Stream & { followed: Followed }> {
    return [...this.entries.values()].map((e) => e.stream).filter((s): s is Stream & { followed: Followed } => s.followed !== undefined);
  }

  /**
   * The cursor of `key`'s follow, made by `create` the first time. A key belongs to one kind of follow
   * (`events:…` to execution events), so the cursor it holds is always of that kind's type.
   */
  cursor<C extends object>(key: string, create: () => C): C {
    let cursor = this.cursors.get(key);
    if (!cursor) {
      cursor = create();
      this.cursors.set(key, cursor);
    }
    return cursor as C;
  }

  /** Whether `key` was followed before (its cursor is kept). */
  hasCursor(key: string): boolean {
    return this.cursors.has(key);
  }

  /** Stops a stream: aborts its requests and appends `closingLine` when given. */
  stop(key: string, closingLine?: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    entry.controller.abort();
    if (closingLine) entry.stream.channel.appendLine(closingLine);
    return true;
  }

  /** Forgets a stream that ended by itself (its follower already wrote the closing line). */
  ended(key: string, stream: Stream): void {
    if (this.entries.get(key)?.stream === stream) this.entries.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries.values()) entry.controller.abort();
    this.entries.clear();
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
    this.cursors.clear();
  }
}

/**
 * A channel that ignores writes once `isOpen()` is false: an aborted follow may still write its closing line
 * after deactivation disposed the channel, which the workbench reports as an error.
 */
function guarded(channel: vscode.OutputChannel, isOpen: () => boolean): vscode.OutputChannel {
  const when =
    <A extends unknown[]>(write: (...args: A) => void) =>
    (...args: A): void => {
      if (isOpen()) write(...args);
    };
  return {
    get name() {
      return channel.name;
    },
    append: when((value: string) => channel.append(value)),
    appendLine: when((value: string) => channel.appendLine(value)),
    replace: when((value: string) => channel.replace(value)),
    clear: when(() => channel.clear()),
    show: when((...args: unknown[]) => (channel.show as (...a: unknown[]) => void)(...args)),
    hide: when(() => channel.hide()),
    dispose: () => channel.dispose(),
  };
}
