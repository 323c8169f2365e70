import * as vscode from 'vscode';
import type { ProfileKind, ProfileRecord } from './profiles';

// "ModelArts: Switch Profile": the saved profiles (region and kind), a way to add one, to stop the demo, and
// a remove button on each profile.

export type ProfileChoice =
  | { kind: 'profile'; name: string }
  | { kind: 'remove'; name: string }
  | { kind: 'new' }
  | { kind: 'stopDemo' };

interface ChoiceItem extends vscode.QuickPickItem {
  choice?: ProfileChoice;
}


export function profileKindLabel(kind: ProfileKind): string {
  switch (kind) {
    case 'aksk':
      return vscode.l10n.t('AK/SK');
    case 'temporary':
      return vscode.l10n.t('Temporary AK/SK');
    case 'password':
      return vscode.l10n.t('IAM password');
    case 'env':
      return vscode.l10n.t('Environment variables');
  }
}

export function pickProfile(options: { records: readonly ProfileRecord[]; active: string | undefined; demoRunning: boolean }): Promise<ProfileChoice | undefined> {
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Remove Profile') };
  const items: ChoiceItem[] = options.records.map((record) => ({
    label: record.name,
    description: `${record.region} · ${profileKindLabel(record.kind)}`,
    detail: record.name === options.active ? vscode.l10n.t('Active') : undefined,
    buttons: [remove],
    choice: { kind: 'profile', name: record.name },
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: vscode.l10n.t('Sign in with a new profile…'), choice: { kind: 'new' } });
  if (options.demoRunning) items.push({ label: vscode.l10n.t('Stop the Demo'), description: vscode.l10n.t('Demo'), choice: { kind: 'stopDemo' } });

  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<ChoiceItem>();
    pick.title = vscode.l10n.t('ModelArts: Switch Profile');
    pick.placeholder = vscode.l10n.t('Choose the profile the ModelArts explorer uses');
    pick.items = items;
    const active = items.find((item) => item.choice?.kind === 'profile' && item.label === options.active);
    if (active) pick.activeItems = [active];
    let result: ProfileChoice | undefined;
    pick.onDidAccept(() => {
      result = pick.selectedItems[0]?.choice;
      pick.hide();
    });
    pick.onDidTriggerItemButton((event) => {
      if (event.item.choice?.kind === 'profile') result = { kind: 'remove', name: event.item.choice.name };
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}
