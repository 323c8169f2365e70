import * as vscode from 'vscode';
import { isWords, type SafeText, type Surface, type Words } from './safeText';

// The only way the extension shows text in VS Code's own UI: messages and modals, progress, QuickPicks, input
// boxes and status-bar text. Each part that can carry the service's text takes branded text made for its
// surface (safeText.ts) or Words (our sentence, its values made inert here), never a plain string; lint
// (no-restricted-syntax) keeps vscode.window's own functions out of every other file.

/** Text for a surface: made inert already, or our sentence whose values the wrapper makes inert. */
export type Said<S extends Surface> = SafeText<S> | Words;

export function render<S extends Surface>(text: Said<S>, surface: S): SafeText<S> {
  return isWords(text) ? text.for(surface) : text;
}

function renderOptional<S extends Surface>(text: Said<S> | undefined, surface: S): SafeText<S> | undefined {
  return text === undefined ? undefined : render(text, surface);
}

// ---------------------------------------------------------------- messages

export interface MessageOptions {
  modal?: boolean;
  /** A modal's second paragraph. */
  detail?: Said<'message'>;
}

type Show = (message: string, options: vscode.MessageOptions, ...items: string[]) => Thenable<string | undefined>;

/** Shows the message; resolves with the button pressed (the very value given), or undefined. */
async function showMessage<B extends Said<'message'>>(show: Show, message: Said<'message'>, rest: ReadonlyArray<MessageOptions | B>): Promise<B | undefined> {
  const [first, ...others] = rest;
  // Options are a plain object; a button is text (a string) or Words.
  const isOptions = (value: MessageOptions | B | undefined): value is MessageOptions => value !== undefined && typeof value === 'object' && !isWords(value);
  const options: MessageOptions = isOptions(first) ? first : {};
  const buttons = (isOptions(first) ? others : rest) as B[];
  const labels = buttons.map((b) => render(b, 'message'));
  const detail = renderOptional(options.detail, 'message');
  const shown: vscode.MessageOptions = { ...(options.modal === undefined ? {} : { modal: options.modal }), ...(detail === undefined ? {} : { detail }) };
  const choice = await show(render(message, 'message'), shown, ...labels);
  const index = choice === undefined ? -1 : labels.indexOf(choice as SafeText<'message'>);
  return index < 0 ? undefined : buttons[index];
}

export function showInformation<B extends Said<'message'>>(message: Said<'message'>, ...buttons: B[]): Promise<B | undefined>;
export function showInformation<B extends Said<'message'>>(message: Said<'message'>, options: MessageOptions, ...buttons: B[]): Promise<B | undefined>;
export function showInformation<B extends Said<'message'>>(message: Said<'message'>, ...rest: Array<MessageOptions | B>): Promise<B | undefined> {
  return showMessage((m, o, ...i) => vscode.window.showInformationMessage(m, o, ...i), message, rest);
}

export function showWarning<B extends Said<'message'>>(message: Said<'message'>, ...buttons: B[]): Promise<B | undefined>;
export function showWarning<B extends Said<'message'>>(message: Said<'message'>, options: MessageOptions, ...buttons: B[]): Promise<B | undefined>;
export function showWarning<B extends Said<'message'>>(message: Said<'message'>, ...rest: Array<MessageOptions | B>): Promise<B | undefined> {
  return showMessage((m, o, ...i) => vscode.window.showWarningMessage(m, o, ...i), message, rest);
}

export function showError<B extends Said<'message'>>(message: Said<'message'>, ...buttons: B[]): Promise<B | undefined>;
export function showError<B extends Said<'message'>>(message: Said<'message'>, options: MessageOptions, ...buttons: B[]): Promise<B | undefined>;
export function showError<B extends Said<'message'>>(message: Said<'message'>, ...rest: Array<MessageOptions | B>): Promise<B | undefined> {
  return showMessage((m, o, ...i) => vscode.window.showErrorMessage(m, o, ...i), message, rest);
}

// ---------------------------------------------------------------- progress

export interface SafeProgress {
  report(value: { message?: Said<'message'>; increment?: number }): void;
}

/** A progress notification: its title and messages are notification text. */
export function withNotificationProgress<R>(
  options: { title: Said<'message'>; cancellable?: boolean },
  task: (progress: SafeProgress, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: render(options.title, 'message'), cancellable: options.cancellable ?? false },
    (progress, token) =>
      task(
        {
          report: (value) => progress.report({ ...(value.message === undefined ? {} : { message: render(value.message, 'message') }), ...(value.increment === undefined ? {} : { increment: value.increment }) }),
        },
        token,
      ),
  );
}

/** Progress in the status bar, which renders icons. */
export function withWindowProgress<R>(title: Said<'pick'>, task: () => Thenable<R>): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: render(title, 'pick') }, task);
}

/** The progress bar of a view: no text. */
export function withViewProgress<R>(viewId: string, task: () => Thenable<R>): Thenable<R> {
  return vscode.window.withProgress({ location: { viewId } }, task);
}

// ---------------------------------------------------------------- QuickPick

export interface SafePickButton {
  iconPath: vscode.ThemeIcon;
  tooltip?: Said<'label'>;
}

export interface SafePickItem {
  label: Said<'pick'>;
  description?: Said<'pick'>;
  detail?: Said<'pick'>;
  kind?: vscode.QuickPickItemKind;
  picked?: boolean;
  alwaysShow?: boolean;
  buttons?: readonly SafePickButton[];
}

export interface SafePickOptions {
  /** QuickInput titles and placeholders are plain text. */
  title?: Said<'label'>;
  placeHolder?: Said<'label'>;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  ignoreFocusOut?: boolean;
}

/** The item as the window gets it, and the way back to ours. */
class PickItems<T extends SafePickItem> {
  private readonly ours = new Map<vscode.QuickPickItem, T>();
  private readonly buttons = new Map<SafePickButton, vscode.QuickInputButton>();
  readonly shown: vscode.QuickPickItem[];

  constructor(items: readonly T[]) {
    this.shown = items.map((item) => {
      const shown: vscode.QuickPickItem = { label: render(item.label, 'pick') };
      const description = renderOptional(item.description, 'pick');
      const detail = renderOptional(item.detail, 'pick');
      if (description !== undefined) shown.description = description;
      if (detail !== undefined) shown.detail = detail;
      if (item.kind !== undefined) shown.kind = item.kind;
      if (item.picked !== undefined) shown.picked = item.picked;
      if (item.alwaysShow !== undefined) shown.alwaysShow = item.alwaysShow;
      if (item.buttons) shown.buttons = item.buttons.map((b) => this.button(b));
      this.ours.set(shown, item);
      return shown;
    });
  }

  ourItem(item: vscode.QuickPickItem): T | undefined {
    return this.ours.get(item);
  }

  shownOf(items: readonly T[]): vscode.QuickPickItem[] {
    return this.shown.filter((s) => items.includes(this.ours.get(s) as T));
  }

  private button(b: SafePickButton): vscode.QuickInputButton {
    let shown = this.buttons.get(b);
    if (!shown) {
      const tooltip = renderOptional(b.tooltip, 'label');
      shown = { iconPath: b.iconPath, ...(tooltip === undefined ? {} : { tooltip }) };
      this.buttons.set(b, shown);
    }
    return shown;
  }
}

function pickOptions(options: SafePickOptions): vscode.QuickPickOptions {
  const out: vscode.QuickPickOptions = {};
  const title = renderOptional(options.title, 'label');
  const placeHolder = renderOptional(options.placeHolder, 'label');
  if (title !== undefined) out.title = title;
  if (placeHolder !== undefined) out.placeHolder = placeHolder;
  if (options.matchOnDescription !== undefined) out.matchOnDescription = options.matchOnDescription;
  if (options.matchOnDetail !== undefined) out.matchOnDetail = options.matchOnDetail;
  if (options.ignoreFocusOut !== undefined) out.ignoreFocusOut = options.ignoreFocusOut;
  return out;
}

/** One item picked (the very item given), or undefined. */
export async function showPick<T extends SafePickItem>(items: readonly T[], options: SafePickOptions = {}): Promise<T | undefined> {
  const shown = new PickItems(items);
  const picked = await vscode.window.showQuickPick(shown.shown, { ...pickOptions(options), canPickMany: false });
  return picked === undefined ? undefined : shown.ourItem(picked);
}

/** Several items picked (those given), or undefined when dismissed. */
export async function showPicks<T extends SafePickItem>(items: readonly T[], options: SafePickOptions = {}): Promise<T[] | undefined> {
  const shown = new PickItems(items);
  const picked = await vscode.window.showQuickPick(shown.shown, { ...pickOptions(options), canPickMany: true });
  return picked?.map((p) => shown.ourItem(p)).filter((p): p is T => p !== undefined);
}

/** A QuickPick built step by step (buttons on items, an active item): the parts that show text take safe text. */
export class SafeQuickPick<T extends SafePickItem> implements vscode.Disposable {
  private readonly pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  private current = new PickItems<T>([]);

  set title(value: Said<'label'>) {
    this.pick.title = render(value, 'label');
  }

  set placeholder(value: Said<'label'>) {
    this.pick.placeholder = render(value, 'label');
  }

  set items(items: readonly T[]) {
    this.current = new PickItems(items);
    this.pick.items = this.current.shown;
  }

  set activeItems(items: readonly T[]) {
    this.pick.activeItems = this.current.shownOf(items);
  }

  get selectedItems(): T[] {
    return this.pick.selectedItems.map((s) => this.current.ourItem(s)).filter((s): s is T => s !== undefined);
  }

  set ignoreFocusOut(value: boolean) {
    this.pick.ignoreFocusOut = value;
  }

  set matchOnDetail(value: boolean) {
    this.pick.matchOnDetail = value;
  }

  onDidAccept(listener: () => void): vscode.Disposable {
    return this.pick.onDidAccept(listener);
  }

  onDidHide(listener: () => void): vscode.Disposable {
    return this.pick.onDidHide(listener);
  }

  /** A button on an item was pressed: the item (ours). */
  onDidTriggerItemButton(listener: (item: T) => void): vscode.Disposable {
    return this.pick.onDidTriggerItemButton((event) => {
      const item = this.current.ourItem(event.item);
      if (item !== undefined) listener(item);
    });
  }

  show(): void {
    this.pick.show();
  }

  hide(): void {
    this.pick.hide();
  }

  dispose(): void {
    this.pick.dispose();
  }
}

export function createPick<T extends SafePickItem>(): SafeQuickPick<T> {
  return new SafeQuickPick<T>();
}

// ---------------------------------------------------------------- input box

export type SafeValidation = Said<'prompt'> | { message: Said<'prompt'>; severity: vscode.InputBoxValidationSeverity } | undefined;

export interface SafeInputOptions {
  title?: Said<'label'>;
  /** Renders links and icons. */
  prompt?: Said<'prompt'>;
  placeHolder?: Said<'label'>;
  /** What the box starts with: an input's value, shown as typed text. */
  value?: string;
  password?: boolean;
  ignoreFocusOut?: boolean;
  validateInput?: (value: string) => SafeValidation;
}

export function showInput(options: SafeInputOptions): Promise<string | undefined> {
  const box: vscode.InputBoxOptions = {};
  const title = renderOptional(options.title, 'label');
  const prompt = renderOptional(options.prompt, 'prompt');
  const placeHolder = renderOptional(options.placeHolder, 'label');
  if (title !== undefined) box.title = title;
  if (prompt !== undefined) box.prompt = prompt;
  if (placeHolder !== undefined) box.placeHolder = placeHolder;
  if (options.value !== undefined) box.value = options.value;
  if (options.password !== undefined) box.password = options.password;
  if (options.ignoreFocusOut !== undefined) box.ignoreFocusOut = options.ignoreFocusOut;
  const validate = options.validateInput;
  if (validate) {
    box.validateInput = (value) => {
      const verdict = validate(value);
      if (verdict === undefined) return undefined;
      if (typeof verdict === 'string' || isWords(verdict)) return render(verdict, 'prompt');
      return { message: render(verdict.message, 'prompt'), severity: verdict.severity };
    };
  }
  return Promise.resolve(vscode.window.showInputBox(box));
}

// ---------------------------------------------------------------- status bar

export interface SafeStatusView {
  /** Renders icons. */
  text: Said<'pick'>;
  /** Plain text, also the screen-reader label. */
  tooltip: Said<'label'>;
  command: string;
}

/** A status-bar item whose text and tooltip take safe text only. */
export class SafeStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(id: string, alignment: vscode.StatusBarAlignment, priority: number, name: Said<'label'>) {
    this.item = vscode.window.createStatusBarItem(id, alignment, priority);
    this.item.name = render(name, 'label');
  }

  update(view: SafeStatusView): void {
    const tooltip = render(view.tooltip, 'label');
    this.item.text = render(view.text, 'pick');
    this.item.tooltip = tooltip;
    this.item.command = view.command;
    this.item.accessibilityInformation = { label: tooltip, role: 'button' };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** A short-lived status-bar message (`Copied: …`), which renders icons. */
export function setStatusMessage(text: Said<'pick'>, hideAfterMs: number): vscode.Disposable {
  return vscode.window.setStatusBarMessage(render(text, 'pick'), hideAfterMs);
}
