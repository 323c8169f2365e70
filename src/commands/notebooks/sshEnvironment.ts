// Where SSH lives on this computer (the user's settings, the ssh program) and which Remote-SSH extension opens
// a notebook's window.

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { sshBinary, sshPaths } from '../../ssh/paths';
import { NOTEBOOK_WORK_DIR, type SshEnvironment } from '../../ssh/setup';

export const REMOTE_SSH_EXTENSION = 'ms-vscode-remote.remote-ssh';
/** The SSH remote of editors that use Open VSX (VSCodium, code-server, …), which does not carry Microsoft's. */
export const OPEN_REMOTE_SSH_EXTENSION = 'jeanp413.open-remote-ssh';

/** The installed extension that opens `ssh-remote+<alias>` windows, if any. */
export function remoteSshExtension(): string | undefined {
  return [REMOTE_SSH_EXTENSION, OPEN_REMOTE_SSH_EXTENSION].find((id) => vscode.extensions.getExtension(id) !== undefined);
}

/** Microsoft's marketplace serves Visual Studio Code itself; forks and code-server use Open VSX or none. */
export function usesMicrosoftMarketplace(): boolean {
  return /^Visual Studio Code/.test(vscode.env.appName);
}

/** The Remote-SSH window of a host: its work directory in the remote authority Remote-SSH registers. */
export function remoteFolderUri(alias: string): vscode.Uri {
  return vscode.Uri.from({ scheme: 'vscode-remote', authority: `ssh-remote+${alias}`, path: NOTEBOOK_WORK_DIR });
}

/** A user- or machine-level setting; a workspace may not choose which program runs or which file is written. */
function userSetting(section: 'remote.SSH' | 'modelarts.ssh', name: 'configFile' | 'path' | 'hostsFile'): string | undefined {
  const inspected = vscode.workspace.getConfiguration(section).inspect<string>(name);
  const value = inspected?.globalValue;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function environment(): { env: SshEnvironment; binary: string } {
  const home = homedir();
  const platform = process.platform;
  const paths = sshPaths({ platform, home, configFile: userSetting('remote.SSH', 'configFile'), hostsFile: userSetting('modelarts.ssh', 'hostsFile') });
  const binary = sshBinary({ platform, env: process.env, configured: userSetting('remote.SSH', 'path') });
  return { env: { paths, home, platform, ssh: binary }, binary };
}
