// Workspace actions: Update Quota (pick a quota, type a value checked against its min/max, PUT) and
// Create App (name and remark, then the AppKey/AppSecret shown once with Copy buttons; the workspace's Apps
// group reloads).

import * as vscode from 'vscode';
import type { ActionDeps } from '../../commands/actionDeps';
import { CancelledByUser, type CommandSpec } from '../../commands/registry';
import { appNameReason, appRemarkReason, createApp, type AppCredentials } from './apps';
import { pickWorkspace, requireSession, workspaceNodeOf } from './pickers';
import { quotaChoices, quotaInputReason, quotaValueText, updateQuota } from './quotas';

export function createWorkspaceActions(deps: ActionDeps): { commands: CommandSpec[]; dispose(): void } {
  const updateQuotaCommand = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const ws = await pickWorkspace(deps, session, arg, vscode.l10n.t('Workspace whose quota to update'));
    const quotas = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the quotas of {0}…', ws.name || ws.id) },
      () => session.client.workspaces.getQuotas(ws.id),
    );
    if (quotas.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Workspace {0} has no quotas to update.', ws.name || ws.id));
      return;
    }
    const picked = await vscode.window.showQuickPick(quotaChoices(quotas, vscode.l10n), {
      title: vscode.l10n.t('Update Quota'),
      placeHolder: vscode.l10n.t('Quota of {0} to update', ws.name || ws.id),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) throw new CancelledByUser();
    const quota = picked.quota;
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Update Quota: {0}', picked.label),
      prompt: picked.detail,
      value: quota.quota === undefined ? '' : String(quota.quota),
      ignoreFocusOut: true,
      validateInput: (value) => quotaInputReason(value, quota, vscode.l10n),
    });
    if (text === undefined) throw new CancelledByUser();
    const value = Number(text.trim());
    const updated = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Updating quota {0}…', picked.label), cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return updateQuota(session.client, ws.id, quota, value, controller.signal);
      },
    );
    deps.log.info(`Quota ${quota.resource} of workspace ${ws.id} set to ${updated.quota ?? value}`);
    const node = workspaceNodeOf(deps, ws.id);
    if (node) deps.explorer.model?.refresh(node);
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Quota "{0}" of workspace {1} is now {2}.', picked.label, ws.name || ws.id, quotaValueText(quota, updated.quota ?? value, vscode.l10n)),
    );
  };

  const createAppCommand = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const ws = await pickWorkspace(deps, session, arg, vscode.l10n.t('Workspace of the new app'));
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create App (1/2)'),
      prompt: vscode.l10n.t('App name: 3 to 64 letters, digits and "_", starting with a letter'),
      ignoreFocusOut: true,
      validateInput: (value) => appNameReason(value, vscode.l10n),
    });
    if (name === undefined) throw new CancelledByUser();
    const remark = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create App (2/2)'),
      prompt: vscode.l10n.t('Description (optional, at most {0} characters)', 200),
      ignoreFocusOut: true,
      validateInput: (value) => appRemarkReason(value, vscode.l10n),
    });
    if (remark === undefined) throw new CancelledByUser();
    const created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating app {0}…', name) },
      () => createApp(session.client, { name, remark, workspaceId: ws.id }, { redactor: deps.redactor, log: deps.log }),
    );
    // The new app shows in its workspace's Apps group, when that is loaded in the tree of the same profile.
    if (deps.explorer.model?.session.profile === session.profile) {
      const group = workspaceNodeOf(deps, ws.id)?.groups.find((g) => g.group === 'apps');
      if (group) deps.explorer.model.refresh(group);
    }
    await showCredentialsOnce(created.app.app_name || name, created.credentials);
  };

  return {
    commands: [
      { id: 'modelarts.workspace.updateQuota', title: vscode.l10n.t('Update Quota'), run: updateQuotaCommand },
      { id: 'modelarts.app.create', title: vscode.l10n.t('Create App'), run: createAppCommand },
    ],
    dispose: () => undefined,
  };
}

/**
 * The AppKey and AppSecret in a QuickPick with a Copy button each: shown once, kept only in this picker
 * (the redactor already knows them), gone when it closes.
 */
async function showCredentialsOnce(appName: string, credentials: AppCredentials): Promise<void> {
  const copyButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: vscode.l10n.t('Copy') };
  type Item = vscode.QuickPickItem & { value: string };
  const items: Item[] = [];
  if (credentials.appKey) items.push({ label: 'AppKey', detail: credentials.appKey, value: credentials.appKey, buttons: [copyButton] });
  if (credentials.appSecret) items.push({ label: 'AppSecret', detail: credentials.appSecret, value: credentials.appSecret, buttons: [copyButton] });
  if (items.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('App {0} was created, but the service returned no AppKey or AppSecret.', appName));
    return;
  }
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = vscode.l10n.t('App {0} created: copy its AppKey and AppSecret now, they are not shown again', appName);
  picker.placeholder = vscode.l10n.t('Select a row or press Copy to copy it');
  picker.items = items;
  picker.ignoreFocusOut = true;
  picker.matchOnDetail = false;
  const copy = async (item: Item): Promise<void> => {
    await vscode.env.clipboard.writeText(item.value);
    vscode.window.setStatusBarMessage(vscode.l10n.t('{0} copied', item.label), 3000);
  };
  await new Promise<void>((resolve) => {
    picker.onDidTriggerItemButton((e) => void copy(e.item));
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
