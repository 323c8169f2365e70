import Module from 'node:module';
import { englishL10n } from '../../../src/common/translate';

// Just the `vscode` classes that turn a row's view into a TreeItem, so the real renderTreeItem runs in plain
// Node, a recording output channel, and a window that records the messages it shows and answers them (for
// the actions). Import this module before anything that imports `vscode` at run time.

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  accessibilityInformation?: { label: string; role?: string };

  constructor(
    readonly label: string,
    readonly collapsibleState: number,
  ) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  isTrusted = false;
  supportHtml = false;

  constructor(
    readonly value = '',
    readonly supportThemeIcons = false,
  ) {}
}

/** An output channel that keeps what it was given and, like the workbench's, refuses writes once disposed. */
export class RecordingChannel {
  text = '';
  disposed = false;

  constructor(readonly name: string) {}

  append(value: string): void {
    this.write(value);
  }

  appendLine(value: string): void {
    this.write(`${value}\n`);
  }

  replace(value: string): void {
    this.write('');
    this.text = value;
  }

  clear(): void {
    this.write('');
    this.text = '';
  }

  show(): void {}

  hide(): void {}

  dispose(): void {
    this.disposed = true;
  }

  private write(value: string): void {
    if (this.disposed) throw new Error('Model is disposed!');
    this.text += value;
  }
}

/** Every channel `window.createOutputChannel` made, in order. */
export const createdChannels: RecordingChannel[] = [];

/** A message the code showed: information, warning (modal or not) or error, with its buttons. */
export interface ShownMessage {
  kind: 'info' | 'warning' | 'error';
  message: string;
  detail?: string;
  modal: boolean;
  buttons: string[];
}

/**
 * What the window was asked to show, and the answers it gives: each message takes the next queued answer
 * (a button's title, or undefined for dismissed); with none queued it is dismissed.
 */
export const shown = {
  messages: [] as ShownMessage[],
  statusBar: [] as string[],
  progress: [] as string[],
  answers: [] as Array<string | undefined>,
  clear(): void {
    this.messages.length = 0;
    this.statusBar.length = 0;
    this.progress.length = 0;
    this.answers.length = 0;
  },
};

function showMessage(kind: ShownMessage['kind']) {
  return (message: string, ...rest: unknown[]): Promise<string | undefined> => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as { modal?: boolean; detail?: string }) : {};
    const buttons = rest.filter((b): b is string => typeof b === 'string');
    shown.messages.push({ kind, message, ...(options.detail === undefined ? {} : { detail: options.detail }), modal: options.modal === true, buttons });
    const answer = shown.answers.shift();
    return Promise.resolve(answer !== undefined && buttons.includes(answer) ? answer : undefined);
  };
}

const window = {
  createOutputChannel: (name: string): RecordingChannel => {
    const channel = new RecordingChannel(name);
    createdChannels.push(channel);
    return channel;
  },
  showInformationMessage: showMessage('info'),
  showWarningMessage: showMessage('warning'),
  showErrorMessage: showMessage('error'),
  setStatusBarMessage: (text: string) => {
    shown.statusBar.push(text);
    return { dispose: () => undefined };
  },
  withProgress: <T>(options: { title?: string }, task: (progress: unknown, token: unknown) => Promise<T>): Promise<T> => {
    if (options.title) shown.progress.push(options.title);
    return task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) });
  },
};

class CancellationError extends Error {}

const standIn = {
  TreeItem,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  CancellationError,
  window,
  l10n: englishL10n,
  env: { clipboard: { writeText: () => Promise.resolve() } },
  commands: { executeCommand: () => Promise.resolve(undefined) },
  // Every setting at its default.
  workspace: { getConfiguration: () => ({ get: () => undefined, inspect: () => undefined }) },
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;
loader._load = (request, parent, isMain) => (request === 'vscode' ? standIn : original(request, parent, isMain));
