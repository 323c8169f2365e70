import { shown } from './vscodeStandIn';
import Module from 'node:module';
import { promises as fsp, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type * as vscode from 'vscode';
import { englishL10n } from '../../../src/common/translate';
import { ROOT } from './manifest';

// What Run on ModelArts (src/commands/run/) uses of vscode beyond the shared stand-in: URIs, the file system,
// workspace folders and trust, documents, findFiles, the active editor, a progress notification whose Cancel the
// test presses; added to the stand-in object. Imported before any module of src/ that imports vscode: they copy
// the vscode module's names when they load.

/** A URI as far as the run flow uses one: `file:` URIs of local paths. */
export class RunUri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}

  get fsPath(): string {
    return this.path;
  }

  static file(path: string): RunUri {
    return new RunUri('file', posix.normalize(path));
  }

  static joinPath(base: RunUri, ...parts: string[]): RunUri {
    return new RunUri(base.scheme, posix.join(base.path, ...parts));
  }

  static parse(text: string): RunUri {
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/)?(.*)$/i.exec(text);
    if (!m) throw new Error(`not a URI: ${text}`);
    return new RunUri(m[1], decodeURI(m[2]));
  }

  toString(): string {
    return `${this.scheme}://${encodeURI(this.path)}`;
  }
}

export class RelativePattern {
  readonly baseUri: RunUri;

  constructor(
    base: RunUri | { uri: RunUri },
    readonly pattern: string,
  ) {
    this.baseUri = base instanceof RunUri ? base : base.uri;
  }
}

const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };

/** The glob syntax findFiles is given here (`**`, `*`, `?`, `{a,b}`) as a regular expression over `/` paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      out += '(?:/.*)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',' && out.lastIndexOf('(?:') > out.lastIndexOf(')')) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

async function walk(root: string, relative = ''): Promise<string[]> {
  const entries = await fsp.readdir(join(root, relative), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await walk(root, path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** A progress notification: what it reported, and its Cancel button. */
export class ProgressRun {
  readonly reports: Array<{ message?: string; increment?: number; statusBar: string[] }> = [];
  private cancelled = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    readonly title: string,
    readonly cancellable: boolean,
  ) {}

  readonly token = {
    isCancellationRequested: false,
    onCancellationRequested: (listener: () => void): { dispose(): void } => {
      this.listeners.push(listener);
      return { dispose: () => this.listeners.splice(this.listeners.indexOf(listener), 1) };
    },
  };

  /** Presses Cancel: the workbench sets the token and fires its listeners. */
  cancel(): void {
    if (!this.cancellable) throw new Error('this progress has no Cancel button');
    if (this.cancelled) return;
    this.cancelled = true;
    this.token.isCancellationRequested = true;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The workbench state the run flow reads, set by the tests; and what it was asked to do. */
export const workbench = {
  folders: [] as Array<{ uri: RunUri; name: string; index: number }>,
  trusted: true,
  activeEditor: undefined as { document: { uri: RunUri } } | undefined,
  /** Documents shown (showTextDocument), as URI strings. */
  shownDocuments: [] as string[],
  /** Progress notifications, in order. */
  progress: [] as ProgressRun[],
  /** Called with each report of a progress notification, as it is made (to press Cancel, or act at a stage). */
  onReport: undefined as ((message: string | undefined, run: ProgressRun) => void) | undefined,
  clear(): void {
    this.folders = [];
    this.trusted = true;
    this.activeEditor = undefined;
    this.shownDocuments.length = 0;
    this.progress.length = 0;
    this.onReport = undefined;
  },
};

function workspaceFolderOf(uri: RunUri): { uri: RunUri; name: string; index: number } | undefined {
  const inside = workbench.folders.filter((f) => uri.scheme === f.uri.scheme && (uri.path === f.uri.path || uri.path.startsWith(`${f.uri.path}/`)));
  return inside.sort((a, b) => b.uri.path.length - a.uri.path.length)[0];
}

function relativePath(target: RunUri | string): string {
  const uri = typeof target === 'string' ? RunUri.file(target) : target;
  const folder = workspaceFolderOf(uri);
  if (!folder || folder.uri.path === uri.path) return uri.path;
  const relative = uri.path.slice(folder.uri.path.length + 1);
  return workbench.folders.length > 1 ? `${folder.name}/${relative}` : relative;
}

/** A TextDocument over the file as it is on disk. */
function textDocument(uri: RunUri, text: string): vscode.TextDocument {
  const document = {
    uri,
    fileName: uri.fsPath,
    languageId: uri.path.endsWith('.json') ? 'json' : 'yaml',
    isDirty: false,
    isClosed: false,
    isUntitled: false,
    getText: () => text,
    save: () => Promise.resolve(true),
    positionAt: (offset: number) => {
      const before = text.slice(0, Math.max(0, Math.min(offset, text.length))).split('\n');
      return { line: before.length - 1, character: before[before.length - 1].length };
    },
  };
  return document as unknown as vscode.TextDocument;
}

interface Patchable {
  window: Record<string, unknown>;
  workspace: Record<string, unknown>;
  env: Record<string, unknown>;
  [name: string]: unknown;
}

const load = (Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown })._load;
const standIn = load('vscode', null, false) as Patchable;
Object.assign(standIn, { Uri: RunUri, RelativePattern, FileType });
standIn.env.language = 'en';
Object.defineProperty(standIn.workspace, 'workspaceFolders', { configurable: true, enumerable: true, get: () => (workbench.folders.length > 0 ? workbench.folders : undefined) });
Object.defineProperty(standIn.workspace, 'isTrusted', { configurable: true, enumerable: true, get: () => workbench.trusted });
Object.defineProperty(standIn.window, 'activeTextEditor', { configurable: true, enumerable: true, get: () => workbench.activeEditor });
Object.assign(standIn.workspace, {
  fs: {
    stat: async (uri: RunUri) => {
      const stat = await fsp.stat(uri.fsPath);
      return { type: stat.isDirectory() ? FileType.Directory : stat.isFile() ? FileType.File : FileType.Unknown, size: stat.size, ctime: stat.ctimeMs, mtime: stat.mtimeMs };
    },
    // As the workbench's: the parent folders are created.
    writeFile: async (uri: RunUri, content: Uint8Array) => {
      await fsp.mkdir(posix.dirname(uri.fsPath), { recursive: true });
      await fsp.writeFile(uri.fsPath, content);
    },
    readFile: async (uri: RunUri) => new Uint8Array(await fsp.readFile(uri.fsPath)),
  },
  getWorkspaceFolder: workspaceFolderOf,
  asRelativePath: relativePath,
  openTextDocument: async (uri: RunUri) => textDocument(uri, await fsp.readFile(uri.fsPath, 'utf8')),
  findFiles: async (include: RelativePattern, exclude: string | undefined, max?: number) => {
    const base = include.baseUri.fsPath;
    const match = globToRegExp(include.pattern);
    const skip = exclude ? globToRegExp(exclude) : undefined;
    const folder = workspaceFolderOf(include.baseUri);
    const found = (await walk(base)).filter((path) => {
      const fromFolder = folder ? posix.relative(folder.uri.path, posix.join(base, path)) : path;
      return match.test(path) && !(skip && skip.test(fromFolder));
    });
    return found.slice(0, max ?? found.length).map((path) => RunUri.joinPath(include.baseUri, path));
  },
});
Object.assign(standIn.window, {
  showTextDocument: (target: RunUri | { uri: RunUri }) => {
    workbench.shownDocuments.push((target instanceof RunUri ? target : target.uri).toString());
    return Promise.resolve(undefined);
  },
  // Answered like a QuickPick, from shown.pickAnswers, with each folder's name as its label.
  showWorkspaceFolderPick: (options: { placeHolder?: string } = {}) => {
    const items = workbench.folders.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f }));
    shown.picks.push({ items, ...(options.placeHolder === undefined ? {} : { placeHolder: options.placeHolder }) });
    const choose = shown.pickAnswers.shift();
    return Promise.resolve(choose === undefined ? undefined : items.find(choose)?.folder);
  },
  withProgress: <T>(options: { title?: string; cancellable?: boolean }, task: (progress: unknown, token: unknown) => Promise<T>): Promise<T> => {
    if (options.title) shown.progress.push(options.title);
    const run = new ProgressRun(options.title ?? '', options.cancellable === true);
    workbench.progress.push(run);
    const progress = {
      report: (value: { message?: string; increment?: number }) => {
        const statusBar = shown.statusItems.filter((item) => item.visible).map((item) => item.text);
        run.reports.push({ ...value, statusBar });
        workbench.onReport?.(value.message, run);
      },
    };
    return task(progress, run.token);
  },
});

/** Runs `body` with vscode.l10n answering from the Chinese bundle (as VS Code does in Chinese), then English again. */
export async function inChinese<T>(body: () => Promise<T>): Promise<T> {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const english = englishL10n.t;
  const translated = ((message: string | { message: string }, ...rest: unknown[]) => {
    const key = typeof message === 'string' ? message : message.message;
    const text = bundle[key] ?? key;
    return (english as (m: unknown, ...r: unknown[]) => string)(typeof message === 'string' ? text : { ...message, message: text }, ...rest);
  }) as typeof englishL10n.t;
  (englishL10n as { t: typeof englishL10n.t }).t = translated;
  try {
    return await body();
  } finally {
    (englishL10n as { t: typeof englishL10n.t }).t = english;
  }
}

