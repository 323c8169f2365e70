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

  show(): void {
    this.shownCount += 1;
  }

  /** How many times the channel was shown (Show Log). */
  shownCount = 0;

  hide(): void {}

  /** A LogOutputChannel's level as VS Code numbers it (Off 0 … Error 5); undefined: a plain channel. */
  logLevel: number | undefined;

  // A LogOutputChannel's levels: one line each, with the level first.
  trace(message: string): void {
    this.appendLine(`[trace] ${message}`);
  }

  debug(message: string): void {
    this.appendLine(`[debug] ${message}`);
  }

  info(message: string): void {
    this.appendLine(`[info] ${message}`);
  }

  warn(message: string): void {
    this.appendLine(`[warning] ${message}`);
  }

  error(message: string): void {
    this.appendLine(`[error] ${message}`);
  }

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
  /** QuickPicks shown (showQuickPick and createQuickPick), with their items as the window got them. */
  picks: [] as ShownPick[],
  /** Each QuickPick takes the next: the first item `choose` accepts; none queued: dismissed. */
  pickAnswers: [] as Array<(item: PickItem) => boolean>,
  /** Input boxes shown, with the validation messages their answers got. */
  inputs: [] as ShownInput[],
  /** Each input box takes the next answer; none queued: dismissed. */
  inputAnswers: [] as string[],
  /** Status-bar items created: what they show now. */
  statusItems: [] as StatusItem[],
  clear(): void {
    this.messages.length = 0;
    this.statusBar.length = 0;
    this.progress.length = 0;
    this.answers.length = 0;
    this.picks.length = 0;
    this.pickAnswers.length = 0;
    this.inputs.length = 0;
    this.inputAnswers.length = 0;
    this.statusItems.length = 0;
  },
};

export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
}

export interface ShownPick {
  items: PickItem[];
  title?: string;
  placeHolder?: string;
}

export interface ShownInput {
  title?: string;
  prompt?: string;
  placeHolder?: string;
  value?: string;
  /** What validateInput said of the answer (a message, or a message with a severity). */
  validation: unknown[];
}

export class StatusItem {
  text = '';
  tooltip: unknown;
  name: string | undefined;
  command: unknown;
  accessibilityInformation: { label: string; role?: string } | undefined;
  visible = false;

  constructor(readonly id: string | undefined) {}

  show(): void {
    this.visible = true;
  }

  hide(): void {
    this.visible = false;
  }

  dispose(): void {
    this.visible = false;
  }
}

function answerPick<T extends PickItem>(items: readonly T[]): T | undefined {
  const choose = shown.pickAnswers.shift();
  return choose === undefined ? undefined : items.find(choose);
}

async function showQuickPick<T extends PickItem | string>(items: readonly T[] | PromiseLike<readonly T[]>, options: { title?: string; placeHolder?: string; canPickMany?: boolean } = {}): Promise<T | T[] | undefined> {
  const list = await items;
  const asItems: PickItem[] = list.map((item): PickItem => (typeof item === 'string' ? { label: item } : item));
  shown.picks.push({ items: asItems, ...(options.title === undefined ? {} : { title: options.title }), ...(options.placeHolder === undefined ? {} : { placeHolder: options.placeHolder }) });
  const chosen = answerPick(asItems);
  const picked = chosen === undefined ? undefined : list[asItems.indexOf(chosen)];
  if (options.canPickMany) return picked === undefined ? undefined : [picked];
  return picked;
}

/** A QuickPick built item by item (createQuickPick): recorded when shown, answered by the queue, then hidden. */
class StandInQuickPick<T extends PickItem> {
  title: string | undefined;
  placeholder: string | undefined;
  items: readonly T[] = [];
  activeItems: readonly T[] = [];
  selectedItems: readonly T[] = [];
  ignoreFocusOut = false;
  matchOnDetail = false;
  matchOnDescription = false;
  private readonly accept: Array<() => void> = [];
  private readonly hidden: Array<() => void> = [];

  onDidAccept(listener: () => void): { dispose(): void } {
    this.accept.push(listener);
    return { dispose: () => undefined };
  }

  onDidHide(listener: () => void): { dispose(): void } {
    this.hidden.push(listener);
    return { dispose: () => undefined };
  }

  onDidTriggerItemButton(): { dispose(): void } {
    return { dispose: () => undefined };
  }

  show(): void {
    shown.picks.push({ items: [...this.items], ...(this.title === undefined ? {} : { title: this.title }), ...(this.placeholder === undefined ? {} : { placeHolder: this.placeholder }) });
    const chosen = answerPick(this.items);
    setImmediate(() => {
      if (chosen !== undefined) {
        this.selectedItems = [chosen];
        for (const listener of this.accept) listener();
      }
      this.hide();
    });
  }

  hide(): void {
    const listeners = this.hidden.splice(0);
    for (const listener of listeners) listener();
  }

  dispose(): void {}
}

async function showInputBox(options: { title?: string; prompt?: string; placeHolder?: string; value?: string; validateInput?: (value: string) => unknown } = {}): Promise<string | undefined> {
  const input: ShownInput = { validation: [] };
  if (options.title !== undefined) input.title = options.title;
  if (options.prompt !== undefined) input.prompt = options.prompt;
  if (options.placeHolder !== undefined) input.placeHolder = options.placeHolder;
  if (options.value !== undefined) input.value = options.value;
  shown.inputs.push(input);
  const answer = shown.inputAnswers.shift();
  if (answer === undefined) return undefined;
  const verdict = await options.validateInput?.(answer);
  if (verdict !== undefined && verdict !== null && verdict !== '') input.validation.push(verdict);
  return answer;
}

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
  showQuickPick,
  createQuickPick: <T extends PickItem>() => new StandInQuickPick<T>(),
  showInputBox,
  createStatusBarItem: (id?: string) => {
    const item = new StatusItem(id);
    shown.statusItems.push(item);
    return item;
  },
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

/** Commands registered (id → handler) and commands executed (id and arguments), in order. */
export const commandsSeen = {
  registered: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as Array<{ id: string; args: unknown[] }>,
  clear(): void {
    this.registered.clear();
    this.executed.length = 0;
  },
};

const commands = {
  executeCommand: (id: string, ...args: unknown[]): Promise<undefined> => {
    commandsSeen.executed.push({ id, args });
    return Promise.resolve(undefined);
  },
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
    commandsSeen.registered.set(id, handler);
    return { dispose: () => commandsSeen.registered.delete(id) };
  },
};

const standIn = {
  TreeItem,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  CancellationError,
  window,
  l10n: englishL10n,
  env: { clipboard: { writeText: () => Promise.resolve() } },
  commands,
  // Every setting at its default.
  workspace: { getConfiguration: () => ({ get: () => undefined, inspect: () => undefined }), onDidChangeConfiguration: () => ({ dispose: () => undefined }) },
};

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;
loader._load = (request, parent, isMain) => (request === 'vscode' ? standIn : original(request, parent, isMain));
