// Create App: name and remark, then the AppKey/AppSecret shown once with Copy buttons; the workspace's Apps
// group reloads.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import { askText, requireSession } from '../prompts';
import type { CommandSpec } from '../registry';
import { pickText, promptText, safeL10n } from '../../common/safeText';
import { createPick, setStatusMessage, showWarning, withNotificationProgress, type SafePickButton, type SafePickItem } from '../../common/safeUi';
import { appNameReason, appRemarkReason, createApp, type AppCredentials } from './apps';
import { pickWorkspace, workspaceNodeOf } from './pickers';
import type { WorkspaceCommandDeps } from './updateQuota';

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function createAppCommand(deps: WorkspaceCommandDeps): CommandSpec {
  return { id: COMMAND.appCreate, title: vscode.l10n.t('Create App'), run: (arg) => createAppFlow(deps, arg) };
}

async function createAppFlow(deps: WorkspaceCommandDeps, arg: unknown): Promise<void> {
  const session = requireSession(deps.sessions);
  const ws = await pickWorkspace(deps, session, arg, l10n.t('Workspace of the new app'));
  const reasonOf = (reason: string | undefined) => (reason === undefined ? undefined : promptText(reason));
  const name = await askText({
    title: l10n.t('Create App (1/2)'),
    prompt: l10n.t('App name: 3 to 64 letters, digits and "_", starting with a letter'),
    validateInput: (value) => reasonOf(appNameReason(value, vscode.l10n)),
  });
  const remark = await askText({
    title: l10n.t('Create App (2/2)'),
    prompt: l10n.t('Description (optional, at most {0} characters)', 200),
    validateInput: (value) => reasonOf(appRemarkReason(value, vscode.l10n)),
  });
  const created = await withNotificationProgress(
    { title: l10n.t('Creating app {0}…', name) },
    () => createApp(session.client, { name, remark, workspaceId: ws.id }, { redactor: deps.redactor, log: deps.log }),
  );
  // The new app shows in its workspace's Apps group, when that is loaded in the tree of the same profile.
  if (deps.explorer.model?.session.profile === session.profile) {
    const group = workspaceNodeOf(deps, ws.id)?.groups.find((g) => g.group === 'apps');
    if (group) deps.explorer.model.refresh(group);
  }
  await showCredentialsOnce(created.app.app_name || name, created.credentials);
}

/**
 * The AppKey and AppSecret in a QuickPick with a Copy button each: shown once, kept only in this picker
 * (the redactor already knows them), gone when it closes.
 */
async function showCredentialsOnce(appName: string, credentials: AppCredentials): Promise<void> {
  const copyButton: SafePickButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: l10n.t('Copy') };
  type Item = SafePickItem & { name: string; value: string };
  const items: Item[] = [];
  // What the service returned is shown as text: the value copied is the value itself.
  if (credentials.appKey) items.push({ label: pickText('AppKey'), name: 'AppKey', detail: pickText(credentials.appKey), value: credentials.appKey, buttons: [copyButton] });
  if (credentials.appSecret) items.push({ label: pickText('AppSecret'), name: 'AppSecret', detail: pickText(credentials.appSecret), value: credentials.appSecret, buttons: [copyButton] });
  if (items.length === 0) {
    void showWarning(l10n.t('App {0} was created, but the service returned no AppKey or AppSecret.', appName));
    return;
  }
  const picker = createPick<Item>();
  picker.title = l10n.t('App {0} created: copy its AppKey and AppSecret now, they are not shown again', appName);
  picker.placeholder = l10n.t('Select a row or press Copy to copy it');
  picker.items = items;
  picker.ignoreFocusOut = true;
  picker.matchOnDetail = false;
  const copy = async (item: Item): Promise<void> => {
    await vscode.env.clipboard.writeText(item.value);
    setStatusMessage(l10n.t('{0} copied', item.name), 3000);
  };
  await new Promise<void>((resolve) => {
    picker.onDidTriggerItemButton((item) => void copy(item));
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0];
      if (item) void copy(item);
    });
    picker.onDidHide(() => {
      picker.items = [];
      picker.dispose();
      resolve();
    });
    picker.show();
  });
}
