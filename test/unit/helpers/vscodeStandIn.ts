import Module from 'node:module';

// Just the `vscode` classes that turn a row's view into a TreeItem, so the real renderTreeItem runs in plain
// Node. Import this module before anything that imports `vscode` at run time.

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

const standIn = { TreeItem, ThemeColor, ThemeIcon, MarkdownString, TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 } };

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;
loader._load = (request, parent, isMain) => (request === 'vscode' ? standIn : original(request, parent, isMain));
