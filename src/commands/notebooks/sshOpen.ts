// After the check: the ssh command for a terminal, or the notebook's work directory in a Remote-SSH window
// (offering to install Remote-SSH, or to add the Include line it needs).

import * as vscode from 'vscode';
import { safeL10n } from '../../common/safeText';
import { showInformation, showWarning } from '../../common/safeUi';
import { NOTEBOOK_WORK_DIR } from '../../ssh/setup';
import { commandLine } from '../../ssh/verify';
import type { PreparedSshHost, SshContext } from './sshContext';
import { OPEN_REMOTE_SSH_EXTENSION, REMOTE_SSH_EXTENSION, remoteFolderUri, remoteSshExtension, usesMicrosoftMarketplace } from './sshEnvironment';
import { include } from './sshPrepare';

/** Sentences with the service's values (names, addresses), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** `ssh <alias>` when the user's config includes the hosts file, else with `-F <hosts file>`. */
function sshCommand(p: PreparedSshHost): string {
  return commandLine('ssh', p.included ? [p.alias] : ['-F', p.env.paths.hostsFile, p.alias]);
}

export async function copyCommand(p: PreparedSshHost): Promise<void> {
  const command = sshCommand(p);
  await vscode.env.clipboard.writeText(command);
  void showInformation(l10n.t('Copied: {0}', command));
}

/** Opens the work directory with Remote-SSH, or offers to install it and the command for a terminal. */
export async function open(context: SshContext, p: PreparedSshHost): Promise<void> {
  const copy = l10n.t('Copy SSH Command');
  if (!remoteSshExtension() && !(await installRemoteSsh(context, p, copy))) return;
  if (!p.included) {
    // Remote-SSH reads only the user's config: without the Include (declined earlier) it cannot find the host.
    const add = l10n.t('Add Include Line');
    const choice = await showWarning(
      l10n.t('Remote - SSH cannot find {0} without the Include line in {1}. Add it, or connect from a terminal: {2}', p.alias, p.env.paths.userConfig, sshCommand(p)),
      add,
      copy,
    );
    if (choice === copy) await copyCommand(p);
    if (choice !== add) return;
    await include(context, p.env, p.nb, p.alias);
    p.included = true;
  }
  context.append(p.nb, vscode.l10n.t('opening {0} on {1} in a new window (Remote - SSH)', NOTEBOOK_WORK_DIR, p.alias));
  await vscode.commands.executeCommand('vscode.openFolder', remoteFolderUri(p.alias), { forceNewWindow: true });
}

/** With no SSH remote extension: offers to install one (or the command); true when one is installed now. */
async function installRemoteSsh(context: SshContext, p: PreparedSshHost, copy: ReturnType<typeof l10n.t>): Promise<boolean> {
  const microsoft = usesMicrosoftMarketplace();
  const wanted = microsoft ? REMOTE_SSH_EXTENSION : OPEN_REMOTE_SSH_EXTENSION;
  const install = microsoft ? l10n.t('Install Remote - SSH') : l10n.t('Install Open Remote - SSH');
  const choice = await showInformation(
    microsoft
      ? l10n.t('The SSH connection to {0} works. Install the Remote - SSH extension to open it in a VS Code window, or connect from a terminal: {1}', p.nb.name, sshCommand(p))
      : l10n.t(
          'The SSH connection to {0} works. This editor gets its extensions from Open VSX, which does not carry Microsoft\'s Remote - SSH: install "Open Remote - SSH" ({1}) to open the notebook in a window, or connect from a terminal: {2}',
          p.nb.name,
          OPEN_REMOTE_SSH_EXTENSION,
          sshCommand(p),
        ),
    install,
    copy,
  );
  if (choice === copy) await copyCommand(p);
  if (choice !== install) return false;
  try {
    await vscode.commands.executeCommand('workbench.extensions.installExtension', wanted);
  } catch (error) {
    // No marketplace at all (code-server started without one, an offline machine): say what to do instead.
    context.deps.log.warn(`Installing ${wanted} failed: ${error instanceof Error ? error.message : String(error)}`);
    const again = await showWarning(
      l10n.t(
        'This editor could not install {0}: it has no extension marketplace it can reach. Install an SSH remote extension for your editor by hand ({1} from Open VSX, or Remote - SSH in Visual Studio Code), or connect from a terminal: {2}',
        wanted,
        OPEN_REMOTE_SSH_EXTENSION,
        sshCommand(p),
      ),
      copy,
    );
    if (again === copy) await copyCommand(p);
    return false;
  }
  if (!remoteSshExtension()) {
    void showInformation(l10n.t('Once Remote - SSH is installed, run "Connect via SSH" again to open {0}.', p.nb.name));
    return false;
  }
  return true;
}
