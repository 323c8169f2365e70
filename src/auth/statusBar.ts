import * as vscode from 'vscode';

// The status-bar item: who the explorer talks to (profile and region, the demo, or nobody), and one click to
// change it.

export type StatusBarState =
  | { kind: 'signedIn'; profile: string; region: string }
  | { kind: 'demo' }
  | { kind: 'signedOut'; hasProfiles: boolean };


export interface StatusBarView {
  text: string;
  tooltip: string;
  command: string;
}

/** Text, tooltip (also the screen-reader label) and click command for a state. */
export function statusBarView(state: StatusBarState): StatusBarView {
  switch (state.kind) {
    case 'signedIn':
      return {
        text: vscode.l10n.t('$(cloud) {0} · {1}', state.profile, state.region),
        tooltip: vscode.l10n.t('ModelArts: signed in with the profile {0} in {1}. Click to switch profiles.', state.profile, state.region),
        command: 'modelarts.profile.switch',
      };
    case 'demo':
      return {
        text: vscode.l10n.t('$(beaker) ModelArts Demo'),
        tooltip: vscode.l10n.t('ModelArts demo: sample data from a built-in emulator on this computer, not Huawei Cloud. Click to switch profiles or stop the demo.'),
        command: 'modelarts.profile.switch',
      };
    case 'signedOut':
      return {
        text: vscode.l10n.t('$(sign-in) ModelArts: Sign In'),
        tooltip: state.hasProfiles ? vscode.l10n.t('ModelArts: not signed in. Click to choose a profile or sign in.') : vscode.l10n.t('ModelArts: not signed in. Click to sign in.'),
        command: state.hasProfiles ? 'modelarts.profile.switch' : 'modelarts.signIn',
      };
  }
}

export class ProfileStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('modelarts.profile', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = vscode.l10n.t('ModelArts Profile');
  }

  update(state: StatusBarState): void {
    const view = statusBarView(state);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.accessibilityInformation = { label: view.tooltip, role: 'button' };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
