import type { StandInUri } from './obsStandIn';
import Module from 'node:module';
import type { HostMessage } from '../../../src/dashboard/protocol';

// What the dashboard panels use of vscode beyond the shared stand-ins: webview panels, every one made kept with
// what was posted to it, and a way to send it messages as its page would. Imported before any module of src/:
// they copy the vscode module's names when they load.

export class StandInPanel {
  readonly posted: unknown[] = [];
  title: string;
  visible = true;
  disposed = false;
  revealed = 0;
  private receive: Array<(message: unknown) => void> = [];
  private disposeListeners: Array<() => void> = [];
  readonly webview = {
    cspSource: 'https://webview.test',
    html: '',
    options: {} as { localResourceRoots?: StandInUri[] },
    asWebviewUri: (uri: StandInUri) => `https://webview.test${uri.path}`,
    postMessage: (message: unknown) => {
      this.posted.push(message);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (listener: (message: unknown) => void) => {
      this.receive.push(listener);
      return { dispose: () => undefined };
    },
  };

  constructor(readonly viewType: string, title: string) {
    this.title = title;
  }

  send(message: unknown): void {
    for (const listener of this.receive) listener(message);
  }

  onDidChangeViewState = (): { dispose(): void } => ({ dispose: () => undefined });
  onDidDispose = (listener: () => void): { dispose(): void } => {
    this.disposeListeners.push(listener);
    return { dispose: () => undefined };
  };
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const listener of this.disposeListeners) listener();
  }

  messages<T extends HostMessage['type']>(type: T): Extract<HostMessage, { type: T }>[] {
    return this.posted.filter((m): m is Extract<HostMessage, { type: T }> => (m as { type?: string }).type === type);
  }
}

/** The panels made, in order. */
export const panels: StandInPanel[] = [];
const load = (Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown })._load;
const standIn = load('vscode', null, false) as { window: Record<string, unknown>; ViewColumn?: unknown; env: Record<string, unknown> };
standIn.ViewColumn = { Active: -1 };
standIn.env.language = 'en';
Object.assign(standIn.window, {
  createWebviewPanel: (viewType: string, title: string) => {
    const panel = new StandInPanel(viewType, title);
    panels.push(panel);
    return panel;
  },
});

