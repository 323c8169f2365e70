// Workspace actions: Update Quota (pick a quota, type a value checked against its min/max, PUT) and
// Create App (name and remark, then the AppKey/AppSecret shown once with Copy buttons; the workspace's Apps
// group reloads).

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import { CancelledByUser, type CommandSpec } from '../registry';
import { pickText, promptText, safeL10n } from '../../common/safeText';
import { createPick, setStatusMessage, showInformation, showInput, showPick, showWarning, withNotificationProgress, withWindowProgress, type SafePickButton, type SafePickItem } from '../../common/safeUi';
import { appNameReason, appRemarkReason, createApp, type AppCredentials } from './apps';
import { pickWorkspace, requireSession, workspaceNodeOf } from './pickers';
import { quotaChoices, quotaInputReason, quotaValueText, updateQuota } from './quotas';
import { COMMAND } from '../ids';

/** Sentences with the service's values (names, quotas), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function createWorkspaceActions(deps: ActionDeps): { commands: CommandSpec[]; dispose(): void } {
  const updateQuotaCommand = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const ws = await pickWorkspace(deps, session, arg, l10n.t('Workspace whose quota to update'));
    const quotas = await withWindowProgress(l10n.t('Reading the quotas of {0}…', ws.name || ws.id), () => session.client.workspaces.getQuotas(ws.id));
    if (quotas.length === 0) {
      void showInformation(l10n.t('Workspace {0} has no quotas to update.', ws.name || ws.id));
      return;
    }
    const picked = await showPick(
      quotaChoices(quotas, vscode.l10n).map((choice) => ({ label: pickText(choice.label), description: pickText(choice.description), detail: pickText(choice.detail), choice })),
      {
        title: l10n.t('Update Quota'),
        placeHolder: l10n.t('Quota of {0} to update', ws.name || ws.id),
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (!picked) throw new CancelledByUser();
    const { quota, label, detail } = picked.choice;
    const text = await showInput({
      title: l10n.t('Update Quota: {0}', label),
      prompt: promptText(detail),
      value: quota.quota === undefined ? '' : String(quota.quota),
      ignoreFocusOut: true,
      validateInput: (value) => {
        const reason = quotaInputReason(value, quota, vscode.l10n);
        return reason === undefined ? undefined : promptText(reason);
      },
    });
    if (text === undefined) throw new CancelledByUser();
    const value = Number(text.trim());
    const updated = await withNotificationProgress(
      { title: l10n.t('Updating quota {0}…', label), cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return updateQuota(session.client, ws.id, quota, value, controller.signal);
      },
    );
    deps.log.info(`Quota ${quota.resource} of workspace ${ws.id} set to ${updated.quota ?? value}`);
    const node = workspaceNodeOf(deps, ws.id);
    if (node) deps.explorer.model?.refresh(node);
    void showInformation(l10n.t('Quota "{0}" of workspace {1} is now {2}.', label, ws.name || ws.id, quotaValueText(quota, updated.quota ?? value, vscode.l10n)));
  };

  const createAppCommand = async (arg: unknown): Promise<void> => {
    const session = requireSession(deps);
    const ws = await pickWorkspace(deps, session, arg, l10n.t('Workspace of the new app'));
    const reasonOf = (reason: string | undefined) => (reason === undefined ? undefined : promptText(reason));
    const name = await showInput({
      title: l10n.t('Create App (1/2)'),
      prompt: l10n.t('App name: 3 to 64 letters, digits and "_", starting with a letter'),
      ignoreFocusOut: true,
      validateInput: (value) => reasonOf(appNameReason(value, vscode.l10n)),
    });
    if (name === undefined) throw new CancelledByUser();
    const remark = await showInput({
      title: l10n.t('Create App (2/2)'),
      prompt: l10n.t('Description (optional, at most {0} characters)', 200),
      ignoreFocusOut: true,
      validateInput: (value) => reasonOf(appRemarkReason(value, vscode.l10n)),
    });
    if (remark === undefined) throw new CancelledByUser();
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
  };

  return {
    commands: [
      { id: COMMAND.workspaceUpdateQuota, title: vscode.l10n.t('Update Quota'), run: updateQuotaCommand },
      { id: COMMAND.appCreate, title: vscode.l10n.t('Create App'), run: createAppCommand },
    ],
    dispose: () => undefined,
  };
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
