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

const t = vscode.l10n.t;

export function profileKindLabel(kind: ProfileKind): string {
  switch (kind) {
    case 'aksk':
      return t('AK/SK');
    case 'temporary':
      return t('Temporary AK/SK');
    case 'password':
      return t('IAM password');
    case 'env':
      return t('Environment variables');
  }
}

export function pickProfile(options: { records: readonly ProfileRecord[]; active: string | undefined; demoRunning: boolean }): Promise<ProfileChoice | undefined> {
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: t('Remove Profile') };
  const items: ChoiceItem[] = options.records.map((record) => ({
    label: record.name,
    description: `${record.region} · ${profileKindLabel(record.kind)}`,
    detail: record.name === options.active ? t('Active') : undefined,
    buttons: [remove],
    choice: { kind: 'profile', name: record.name },
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: t('Sign in with a new profile…'), choice: { kind: 'new' } });
  if (options.demoRunning) items.push({ label: t('Stop the Demo'), description: t('Demo'), choice: { kind: 'stopDemo' } });

  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<ChoiceItem>();
    pick.title = t('ModelArts: Switch Profile');
    pick.placeholder = t('Choose the profile the ModelArts explorer uses');
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
