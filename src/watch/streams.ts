import * as vscode from 'vscode';

// One output channel per followed thing (a job task's log, an execution's events), in one registry:
// following twice reveals the same channel, stopping appends a closing line, deactivate aborts all.

export interface Stream {
  readonly key: string;
  readonly channel: vscode.OutputChannel;
  /** Aborted when the stream is stopped or the extension deactivates. */
  readonly signal: AbortSignal;
}

interface Entry {
  stream: Stream;
  controller: AbortController;
}

export class OutputStreams implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Channels outlive their streams (the user may still read them); they are disposed with the registry. */
  private readonly channels = new Map<string, vscode.OutputChannel>();

  /** Starts a stream, or returns the running one (and reveals it). `isNew` tells which. */
  open(key: string, channelName: string): { stream: Stream; isNew: boolean } {
    const running = this.entries.get(key);
    if (running) {
      running.stream.channel.show(true);
      return { stream: running.stream, isNew: false };
    }
    let channel = this.channels.get(channelName);
    if (!channel) {
      channel = vscode.window.createOutputChannel(channelName);
      this.channels.set(channelName, channel);
    }
    const controller = new AbortController();
    const stream: Stream = { key, channel, signal: controller.signal };
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
    for (const entry of this.entries.values()) entry.controller.abort();
    this.entries.clear();
    for (const channel of this.channels.values()) channel.dispose();
    this.channels.clear();
  }
}
