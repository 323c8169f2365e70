import * as vscode from 'vscode';
import { labelText, pickText, safeL10n } from '../common/safeText';
import { createPick, type SafePickButton, type SafePickItem } from '../common/safeUi';
import type { ProfileKind, ProfileRecord } from './profiles';

// "ModelArts: Switch Profile": the saved profiles (region and kind), a way to add one, to stop the demo, and
// a remove button on each profile.

export type ProfileChoice =
  | { kind: 'profile'; name: string }
  | { kind: 'remove'; name: string }
  | { kind: 'new' }
  | { kind: 'stopDemo' };

interface ChoiceItem extends SafePickItem {
  choice?: ProfileChoice;
}

const l10n = safeL10n(vscode.l10n);


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
  const remove: SafePickButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: l10n.t('Remove Profile') };
  const items: ChoiceItem[] = options.records.map((record) => ({
    label: pickText(record.name),
    description: pickText(`${record.region} · ${profileKindLabel(record.kind)}`),
    ...(record.name === options.active ? { detail: l10n.t('Active') } : {}),
    buttons: [remove],
    choice: { kind: 'profile', name: record.name },
  }));
  items.push({ label: pickText(''), kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: l10n.t('Sign in with a new profile…'), choice: { kind: 'new' } });
  if (options.demoRunning) items.push({ label: l10n.t('Stop the Demo'), description: l10n.t('Demo'), choice: { kind: 'stopDemo' } });

  return new Promise((resolve) => {
    const pick = createPick<ChoiceItem>();
    pick.title = labelText(vscode.l10n.t('ModelArts: Switch Profile'));
    pick.placeholder = labelText(vscode.l10n.t('Choose the profile the ModelArts explorer uses'));
    pick.items = items;
    const active = items.find((item) => item.choice?.kind === 'profile' && item.choice.name === options.active);
    if (active) pick.activeItems = [active];
    let result: ProfileChoice | undefined;
    pick.onDidAccept(() => {
      result = pick.selectedItems[0]?.choice;
      pick.hide();
    });
    pick.onDidTriggerItemButton((item) => {
      if (item.choice?.kind === 'profile') result = { kind: 'remove', name: item.choice.name };
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(result);
    });
    pick.show();
  });
}
