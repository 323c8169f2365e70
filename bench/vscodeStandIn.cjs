// A minimal stand-in for the `vscode` module, used only by the activation bench (bench/activate.cjs):
// just enough API surface for activate() to run outside VS Code. It records nothing and shows nothing.
'use strict';

const disposable = () => ({ dispose() {} });
const event = () => disposable();

class EventEmitter {
  constructor() { this.listeners = new Set(); this.event = (l) => (this.listeners.add(l), { dispose: () => this.listeners.delete(l) }); }
  fire(value) { for (const l of this.listeners) l(value); }
  dispose() { this.listeners.clear(); }
}
class Disposable { constructor(fn) { this.fn = fn; } dispose() { this.fn?.(); } static from(...ds) { return new Disposable(() => ds.forEach((d) => d.dispose())); } }
class TreeItem { constructor(label, collapsibleState) { this.label = label; this.collapsibleState = collapsibleState; } }
class ThemeIcon { constructor(id, color) { this.id = id; this.color = color; } }
class ThemeColor { constructor(id) { this.id = id; } }
class MarkdownString { constructor(value = '') { this.value = value; } appendMarkdown(v) { this.value += v; return this; } appendText(v) { this.value += v; return this; } }
class Uri {
  constructor(scheme, path) { this.scheme = scheme; this.path = path; this.fsPath = path; }
  static parse(s) { return new Uri(s.split(':')[0], s); }
  static file(p) { return new Uri('file', p); }
  static from(c) { return new Uri(c.scheme, c.path ?? ''); }
  static joinPath(base, ...parts) { return new Uri(base.scheme, [base.path, ...parts].join('/')); }
  toString() { return `${this.scheme}:${this.path}`; }
  with() { return this; }
}

const memento = () => {
  const map = new Map();
  return { get: (k, d) => (map.has(k) ? map.get(k) : d), update: async (k, v) => void map.set(k, v), keys: () => [...map.keys()], setKeysForSync() {} };
};

const outputChannel = (name) => ({ name, append() {}, appendLine() {}, replace() {}, clear() {}, show() {}, hide() {}, dispose() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {}, logLevel: 2, onDidChangeLogLevel: event });
const statusBarItem = () => ({ text: '', tooltip: '', command: undefined, show() {}, hide() {}, dispose() {} });
const treeView = () => ({ visible: true, selection: [], onDidChangeVisibility: event, onDidExpandElement: event, onDidCollapseElement: event, onDidChangeSelection: event, reveal: async () => {}, dispose() {}, message: undefined, title: undefined, description: undefined, badge: undefined });
const configuration = () => ({ get: (_key, fallback) => fallback, has: () => false, inspect: () => undefined, update: async () => {} });

module.exports = {
  version: '1.90.0',
  EventEmitter, Disposable, TreeItem, ThemeIcon, ThemeColor, MarkdownString, Uri,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  l10n: { t: (message, ...args) => (typeof message === 'string' ? message.replace(/\{(\d+)\}/g, (_, i) => String(args[i])) : message.message), bundle: undefined, uri: undefined },
  env: { language: 'en', clipboard: { readText: async () => '', writeText: async () => {} }, openExternal: async () => true, uriScheme: 'vscode', appName: 'Visual Studio Code' },
  commands: { registerCommand: () => disposable(), executeCommand: async () => undefined, getCommands: async () => [] },
  languages: { createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {} }) },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  window: {
    createOutputChannel: outputChannel,
    createStatusBarItem: statusBarItem,
    createTreeView: treeView,
    registerWebviewPanelSerializer: () => disposable(),
    registerTreeDataProvider: () => disposable(),
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    showQuickPick: async () => undefined,
    showInputBox: async () => undefined,
    createQuickPick: () => ({ show() {}, hide() {}, dispose() {}, onDidAccept: event, onDidHide: event, onDidChangeValue: event, onDidChangeSelection: event, items: [] }),
    withProgress: async (_o, task) => task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: event }),
    setStatusBarMessage: () => disposable(),
    showTextDocument: async () => undefined,
    showSaveDialog: async () => undefined,
    activeTextEditor: undefined,
    onDidChangeActiveTextEditor: event,
    onDidChangeWindowState: event,
    state: { focused: true },
  },
  workspace: {
    getConfiguration: configuration,
    onDidChangeConfiguration: event,
    onDidOpenTextDocument: event,
    onDidChangeTextDocument: event,
    onDidCloseTextDocument: event,
    textDocuments: [],
    onDidSaveTextDocument: event,
    registerTextDocumentContentProvider: () => disposable(),
    openTextDocument: async () => undefined,
    workspaceFolders: undefined,
    fs: { readFile: async () => new Uint8Array(), writeFile: async () => {}, stat: async () => ({}) },
    isTrusted: true,
  },
  // The extension context activate() receives.
  makeContext: (extensionPath) => ({
    subscriptions: [],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event },
    storageUri: undefined,
    globalStorageUri: Uri.file('/tmp/modelarts-bench-storage'),
    logUri: Uri.file('/tmp/modelarts-bench-log'),
    extensionMode: 1,
    asAbsolutePath: (p) => `${extensionPath}/${p}`,
  }),
};
