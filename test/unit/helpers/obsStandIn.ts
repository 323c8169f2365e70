import { shown } from './vscodeStandIn';
import Module from 'node:module';

// What the OBS feature uses of vscode beyond the shared stand-in (dialogs, documents, URIs, the clipboard, a
// progress whose Cancel is pressed, event emitters, a tree view), every use recorded. Imported before any
// module of src/: they copy the vscode module's names when they load.

/** A URI as far as the feature uses one. */
export class StandInUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  get fsPath(): string {
    return this.path;
  }

  static from(parts: { scheme: string; path: string }): StandInUri {
    return new StandInUri(parts.scheme, parts.path);
  }

  static file(path: string): StandInUri {
    return new StandInUri('file', path);
  }

  static joinPath(base: StandInUri, ...parts: string[]): StandInUri {
    return new StandInUri(base.scheme, [base.path, ...parts].join('/'));
  }

  toString(): string {
    return `${this.scheme}:${this.path}`;
  }
}

export const recorded = {
  clipboard: [] as string[],
  openDialogs: [] as unknown[],
  saveDialogs: [] as unknown[],
  /** Answers of the open dialogs (paths), in order; none: dismissed. */
  openAnswers: [] as string[][],
  saveAnswers: [] as string[],
  documents: [] as string[],
  shownDocuments: [] as string[],
  /** The next progress notification's Cancel is pressed at once. */
  cancelNextProgress: false,
  clear(): void {
    this.clipboard.length = 0;
    this.openDialogs.length = 0;
    this.saveDialogs.length = 0;
    this.openAnswers.length = 0;
    this.saveAnswers.length = 0;
    this.documents.length = 0;
    this.shownDocuments.length = 0;
    this.cancelNextProgress = false;
  },
};

interface Patchable {
  window: Record<string, unknown>;
  workspace: Record<string, unknown>;
  env: { clipboard: { writeText(text: string): Promise<void> } };
  Uri: unknown;
}

const load = (Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown })._load;
const standIn = load('vscode', null, false) as Patchable;
standIn.Uri = StandInUri;
standIn.env.clipboard.writeText = (text) => {
  recorded.clipboard.push(text);
  return Promise.resolve();
};
Object.assign(standIn.window, {
  showOpenDialog: (options: unknown) => {
    recorded.openDialogs.push(options);
    const answer = recorded.openAnswers.shift();
    return Promise.resolve(answer?.map((p) => StandInUri.file(p)));
  },
  showSaveDialog: (options: unknown) => {
    recorded.saveDialogs.push(options);
    const answer = recorded.saveAnswers.shift();
    return Promise.resolve(answer === undefined ? undefined : StandInUri.file(answer));
  },
  showTextDocument: (document: { uri: StandInUri }) => {
    recorded.shownDocuments.push(document.uri.toString());
    return Promise.resolve();
  },
  withProgress: <T>(options: { title?: string }, task: (progress: unknown, token: unknown) => Promise<T>): Promise<T> => {
    if (options.title) shown.progress.push(options.title);
    const cancel = recorded.cancelNextProgress;
    recorded.cancelNextProgress = false;
    return task({ report: () => undefined }, { isCancellationRequested: cancel, onCancellationRequested: () => ({ dispose: () => undefined }) });
  },
});
Object.assign(standIn.workspace, {
  openTextDocument: (uri: StandInUri) => {
    recorded.documents.push(uri.toString());
    return Promise.resolve({ uri });
  },
  workspaceFolders: undefined,
});


/** vscode.EventEmitter: listeners called in order. */
class StandInEmitter<T> {
  private readonly listeners: Array<(value: T) => void> = [];
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => this.listeners.splice(this.listeners.indexOf(listener), 1) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.length = 0;
  }
}

/** Tree views created, with the options they were given. */
export const treeViews: Array<{ id: string; options: Record<string, unknown> }> = [];
/** Content providers registered, by scheme. */
export const contentProviders = new Map<string, unknown>();

(standIn as unknown as Record<string, unknown>).EventEmitter = StandInEmitter;
Object.assign(standIn.window, {
  createTreeView: (id: string, options: Record<string, unknown>) => {
    treeViews.push({ id, options });
    return { selection: [], dispose: () => undefined, reveal: () => Promise.resolve() };
  },
});
Object.assign(standIn.workspace, {
  registerTextDocumentContentProvider: (scheme: string, provider: unknown) => {
    contentProviders.set(scheme, provider);
    return { dispose: () => contentProviders.delete(scheme) };
  },
});
