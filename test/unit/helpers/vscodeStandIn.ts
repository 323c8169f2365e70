import Module from 'node:module';

// Just the `vscode` classes that turn a row's view into a TreeItem, so the real renderTreeItem runs in plain
// Node, and a recording output channel. Import this module before anything that imports `vscode` at run time.

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

const window = {
  createOutputChannel: (name: string): RecordingChannel => {
    const channel = new RecordingChannel(name);
    createdChannels.push(channel);
    return channel;
  },
};

const standIn = { TreeItem, ThemeColor, ThemeIcon, MarkdownString, TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 }, window };

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;
loader._load = (request, parent, isMain) => (request === 'vscode' ? standIn : original(request, parent, isMain));
