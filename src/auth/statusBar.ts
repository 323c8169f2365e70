import * as vscode from 'vscode';
import { labelText, safeL10n, type Words } from '../common/safeText';
import { SafeStatusItem } from '../common/safeUi';

// The status-bar item: who the explorer talks to (profile and region, the demo, or nobody), and one click to
// change it. A profile's name and region come from storage and settings a workspace may set: values, never icons.

const l10n = safeL10n(vscode.l10n);

export type StatusBarState =
  | { kind: 'signedIn'; profile: string; region: string }
  | { kind: 'demo' }
  | { kind: 'signedOut'; hasProfiles: boolean };


export interface StatusBarView {
  /** The status bar renders icons: ours only. */
  text: Words;
  /** Plain text, also the screen-reader label. */
  tooltip: Words;
  command: string;
}

/** Text, tooltip (also the screen-reader label) and click command for a state. */
export function statusBarView(state: StatusBarState): StatusBarView {
  switch (state.kind) {
    case 'signedIn':
      return {
        text: l10n.t('$(cloud) {0} · {1}', state.profile, state.region),
        tooltip: l10n.t('ModelArts: signed in with the profile {0} in {1}. Click to switch profiles.', state.profile, state.region),
        command: 'modelarts.profile.switch',
      };
    case 'demo':
      return {
        text: l10n.t('$(beaker) ModelArts Demo'),
        tooltip: l10n.t('ModelArts demo: sample data from a built-in emulator on this computer, not Huawei Cloud. Click to switch profiles or stop the demo.'),
        command: 'modelarts.profile.switch',
      };
    case 'signedOut':
      return {
        text: l10n.t('$(sign-in) ModelArts: Sign In'),
        tooltip: state.hasProfiles ? l10n.t('ModelArts: not signed in. Click to choose a profile or sign in.') : l10n.t('ModelArts: not signed in. Click to sign in.'),
        command: state.hasProfiles ? 'modelarts.profile.switch' : 'modelarts.signIn',
      };
  }
}

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = new SafeStatusItem('modelarts.profile', vscode.StatusBarAlignment.Left, 50, labelText(vscode.l10n.t('ModelArts Profile')));

  update(state: StatusBarState): void {
    this.item.update(statusBarView(state));
  }

  dispose(): void {
    this.item.dispose();
  }
}
