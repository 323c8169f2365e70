import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { notebookSshEndpoint } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import type { ActionDeps } from '../../commands/actionDeps';
import { CancelledByUser, type CommandSpec } from '../../commands/registry';
import type { ActiveSession } from '../../common/session';
import { stateWord } from '../../common/stateWords';
import { NotebookNode } from '../../explorer/nodes/notebookNode';
import { isNotFound } from '../../explorer/nodes/resourceHandle';
import { BACKUP_SUFFIX } from '../../ssh/files';
import { forgetHostKey } from '../../ssh/knownHosts';
import { SshMemory } from '../../ssh/memory';
import { problemMessage } from './sshMessages';
import { configPath, sshBinary, sshPaths } from '../../ssh/paths';
import { NOTEBOOK_USER, NOTEBOOK_WORK_DIR, addHostsInclude, findHostsInclude, pruneHosts, writeHost, type SshEnvironment } from '../../ssh/setup';
import { SshUriError, hostPort, parseSshUri, type SshAddress } from '../../ssh/uri';
import { commandLine, fixKeyPermissions, verifyArgs, verifyHost, type SshProblem } from '../../ssh/verify';
import { requireSession } from '../workspace/pickers';
import { abortOn, pickNotebook, type NotebookActions } from './notebookActions';
import { timeOfDay } from './notebookLogic';

// "Connect via SSH" and "Copy SSH Command": the prompts around src/ssh. A notebook's host goes into the
// extension's own SSH config file, one Include line (asked once) makes ssh and Remote-SSH see it, the system
// ssh verifies the connection, and then Remote-SSH opens /home/ma-user/work in a new window. Lines go to the
// "ModelArts: Notebooks" channel.


export const REMOTE_SSH_EXTENSION = 'ms-vscode-remote.remote-ssh';

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

function environment(): { env: SshEnvironment; binary: string } {
  const home = homedir();
  const platform = process.platform;
  const paths = sshPaths({ platform, home, configFile: userSetting('remote.SSH', 'configFile'), hostsFile: userSetting('modelarts.ssh', 'hostsFile') });
  return { env: { paths, home, platform }, binary: sshBinary({ platform, env: process.env, configured: userSetting('remote.SSH', 'path') }) };
}

interface Prepared {
  session: ActiveSession;
  nb: Notebook;
  env: SshEnvironment;
  binary: string;
  alias: string;
  address: SshAddress;
  user: string;
  keyPair: string;
  keyFile: string;
  /** The user's SSH config includes the hosts file, so `ssh <alias>` and Remote-SSH find the host. */
  included: boolean;
}

export function createSshActions(deps: ActionDeps, notebooks: Pick<NotebookActions, 'startAndWait' | 'output'>): { commands: CommandSpec[]; dispose(): void } {
  const memory = new SshMemory(deps.context.globalState);
  const append = (nb: Notebook, text: string): void => notebooks.output().appendLine(`[${timeOfDay(Date.now())}] ${nb.name || nb.id}: ${text}`);

  /** The notebook of the row, else one picked among those with an SSH endpoint (running ones only, when asked). */
  const target = async (arg: unknown, runningOnly: boolean, placeHolder: string): Promise<{ session: ActiveSession; nb: Notebook }> => {
    const session = requireSession(deps);
    if (arg instanceof NotebookNode) return { session, nb: arg.item };
    const none = runningOnly ? vscode.l10n.t('No running notebook has an SSH endpoint.') : vscode.l10n.t('No notebook has an SSH endpoint.');
    const nb = await pickNotebook(session, (n) => notebookSshEndpoint(n) !== undefined && (!runningOnly || n.status === 'RUNNING'), placeHolder, none);
    return { session, nb };
  };

  /** A RUNNING copy of the notebook: one that is not running is started first (asked), and awaited. */
  const running = async (session: ActiveSession, given: Notebook): Promise<Notebook> => {
    const nb = await session.client.notebooks.get(given.id);
    if (nb.status === 'RUNNING') return nb;
    if (nb.status !== 'STOPPED' && nb.status !== 'START_FAILED' && nb.status !== 'STARTING') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Notebook {0} is not running ({1}): connect once it runs.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
      throw new CancelledByUser();
    }
    if (nb.status !== 'STARTING') {
      const start = vscode.l10n.t('Start and Connect');
      const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Notebook {0} is not running ({1}). Start it and connect once it runs?', nb.name, stateWord('notebook', nb.status, vscode.l10n)), { modal: true }, start);
      if (answer !== start) throw new CancelledByUser();
    }
    append(nb, vscode.l10n.t('connecting via SSH once it runs'));
    const settled = await notebooks.startAndWait(session, nb);
    if (settled?.status !== 'RUNNING') {
      append(nb, vscode.l10n.t('not connecting: the notebook is not running ({0})', stateWord('notebook', settled?.status, vscode.l10n)));
      throw new CancelledByUser();
    }
    return settled;
  };

  const askKeyFile = async (env: SshEnvironment, keyPair: string): Promise<string> => {
    const uris = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(env.paths.sshDir),
      openLabel: vscode.l10n.t('Use This Key'),
      title: vscode.l10n.t('Private key file of key pair {0}', keyPair),
    });
    const picked = uris?.[0];
    if (!picked) throw new CancelledByUser();
    await memory.rememberKeyFile(keyPair, picked.fsPath);
    return picked.fsPath;
  };

  /** Whether the user's config includes the hosts file; asks once (per config file) before adding the line. */
  const ensureInclude = async (env: SshEnvironment, nb: Notebook): Promise<boolean> => {
    const { userConfig, hostsFile } = env.paths;
    const found = await findHostsInclude(env);
    if (found) {
      if (!found.beforeHosts) append(nb, vscode.l10n.t('the Include line in {0} comes after a Host or Match line, so it applies only within that block: move it to the top', userConfig));
      return true;
    }
    if (memory.includeDeclined(userConfig)) return false;
    const add = vscode.l10n.t('Add Include Line');
    const notNow = vscode.l10n.t("Don't Add");
    const includePath = configPath(hostsFile, env.platform);
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('Add one line to {0} so that ssh and Remote - SSH find your notebooks?', userConfig),
      {
        modal: true,
        detail: existsSync(userConfig)
          ? vscode.l10n.t(
              'ModelArts Explorer keeps the hosts of your notebooks in its own file, {0}. The line "Include {1}" goes at the top of {2}; nothing else in that file changes, and its previous version is kept as {3}.',
              hostsFile,
              includePath,
              userConfig,
              `${userConfig}${BACKUP_SUFFIX}`,
            )
          : vscode.l10n.t('ModelArts Explorer keeps the hosts of your notebooks in its own file, {0}. {1} does not exist yet: it is created with the line "Include {2}".', hostsFile, userConfig, includePath),
      },
      add,
      notNow,
    );
    if (answer === notNow) await memory.setIncludeDeclined(userConfig, true);
    if (answer !== add) return false;
    await include(env, nb);
    return true;
  };

  const include = async (env: SshEnvironment, nb: Notebook): Promise<void> => {
    const { userConfig, hostsFile } = env.paths;
    const includePath = configPath(hostsFile, env.platform);
    const result = await addHostsInclude(env);
    await memory.setIncludeDeclined(userConfig, false);
    if (!result.added) return;
    append(nb, result.backup ? vscode.l10n.t('added "Include {0}" to {1} (previous version: {2})', includePath, userConfig, result.backup) : vscode.l10n.t('added "Include {0}" to {1}', includePath, userConfig));
  };

  /** Endpoint, key file, the host's block (and stale blocks gone), the Include line: all a connection needs. */
  const prepare = async (session: ActiveSession, nb: Notebook): Promise<Prepared> => {
    const endpoint = notebookSshEndpoint(nb);
    if (!endpoint) throw new Error(vscode.l10n.t('Notebook {0} has no SSH endpoint: remote SSH access is chosen, with a key pair, when a notebook is created.', nb.name));
    if (!endpoint.uri) throw new Error(vscode.l10n.t('Notebook {0} shows no SSH address yet.', nb.name));
    let address: SshAddress;
    try {
      address = parseSshUri(endpoint.uri);
    } catch (error) {
      if (error instanceof SshUriError) throw new Error(vscode.l10n.t('Notebook {0} has an SSH address that cannot be used: {1}', nb.name, error.message));
      throw error;
    }
    // Only ma-user can log in to a notebook. The demo's endpoint is an sshd on this computer, which logs in
    // a local user: there the address's user is taken (see MODELARTS_EXPLORER_DEMO_SSH).
    const user = session.demo ? (address.user ?? NOTEBOOK_USER) : NOTEBOOK_USER;
    const { env, binary } = environment();
    const keyPair = endpoint.keyPairNames.find((name) => memory.keyFile(name) !== undefined) ?? endpoint.keyPairNames[0] ?? `(${nb.name || nb.id})`;
    const keyFile = memory.keyFile(keyPair) ?? (await askKeyFile(env, keyPair));
    const prepared = { session, nb, env, binary, address, user, keyPair, keyFile, alias: '', included: false };
    await writeBlock(prepared);
    const removed = await pruneHosts(env.paths.hostsFile, session.profile, async (id) => {
      if (id === nb.id) return true;
      try {
        await session.client.notebooks.get(id);
        return true;
      } catch (error) {
        return !isNotFound(error);
      }
    });
    if (removed.length > 0) append(nb, vscode.l10n.t('removed the SSH hosts of deleted notebooks: {0}', removed.map((b) => b.alias).join(', ')));
    prepared.included = await ensureInclude(env, nb);
    return prepared;
  };

  const writeBlock = async (p: Prepared): Promise<void> => {
    const result = await writeHost(p.env, { notebookId: p.nb.id, notebookName: p.nb.name || p.nb.id, profile: p.session.profile, address: p.address, user: p.user, keyFile: p.keyFile });
    p.alias = result.alias;
    if (result.written) append(p.nb, vscode.l10n.t('SSH host {0} written to {1}', result.alias, p.env.paths.hostsFile));
  };

  /** `ssh <alias>` when the user's config includes the hosts file, else with `-F <hosts file>`. */
  const sshCommand = (p: Prepared): string => commandLine('ssh', p.included ? [p.alias] : ['-F', p.env.paths.hostsFile, p.alias]);

  /** Offers the fix for a failed check; true when it was applied and the check should run again. */
  const offerFix = async (p: Prepared, problem: SshProblem, message: string): Promise<boolean> => {
    const fixPermissions = vscode.l10n.t('Fix Permissions (0600)');
    const forget = vscode.l10n.t('Forget Old Key');
    const chooseKey = vscode.l10n.t('Choose Key File…');
    const retry = vscode.l10n.t('Retry');
    const showOutput = vscode.l10n.t('Show Output');
    const buttons: string[] = [];
    if (problem.kind === 'keyPermissions' && p.env.platform !== 'win32') buttons.push(fixPermissions);
    if (problem.kind === 'hostKeyChanged') buttons.push(forget);
    if (problem.kind === 'keyMissing' || problem.kind === 'authRefused' || problem.kind === 'keyPermissions') buttons.push(chooseKey);
    if (problem.kind === 'unreachable' || problem.kind === 'failed') buttons.push(retry);
    buttons.push(showOutput);
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}{2}{3}', vscode.l10n.t('Connect via SSH'), message, '', ''), ...buttons);
    if (choice === fixPermissions) {
      await fixKeyPermissions(p.keyFile);
      append(p.nb, vscode.l10n.t('set the mode of {0} to 0600', p.keyFile));
      return true;
    }
    if (choice === forget) {
      const removed = await forgetHostKey(p.env.paths.knownHosts, p.address);
      append(p.nb, vscode.l10n.t('forgot {0} old host key(s) of {1} in {2}', removed, hostPort(p.address), p.env.paths.knownHosts));
      return true;
    }
    if (choice === chooseKey) {
      p.keyFile = await askKeyFile(p.env, p.keyPair);
      await writeBlock(p);
      return true;
    }
    if (choice === showOutput) notebooks.output().show(true);
    return choice === retry;
  };

  /** Runs the batch-mode check until it passes, or the user stops fixing what it finds. */
  const verify = async (p: Prepared): Promise<void> => {
    // The check and its outcome are lines of the channel: shown, without taking the focus.
    notebooks.output().show(true);
    for (;;) {
      append(p.nb, vscode.l10n.t('checking: {0}', commandLine(p.binary, verifyArgs(p.env.paths.hostsFile, p.alias))));
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the SSH connection to {0}…', p.nb.name), cancellable: true },
        (_progress, token) => verifyHost({ binary: p.binary, hostsFile: p.env.paths.hostsFile, alias: p.alias, keyFile: p.keyFile, signal: abortOn(token) }),
      );
      if (outcome.ok) {
        append(p.nb, vscode.l10n.t('SSH connection verified: {0}@{1} ({2} s)', p.user, hostPort(p.address), (outcome.ms / 1000).toFixed(1)));
        return;
      }
      const message = problemMessage(outcome.problem, { address: hostPort(p.address), user: p.user, keyFile: p.keyFile, keyPair: p.keyPair, binary: p.binary }, vscode.l10n);
      append(p.nb, vscode.l10n.t('SSH check failed: {0}', message));
      deps.log.warn(`Connect via SSH to ${p.nb.name}: ${outcome.problem.kind}: ${outcome.problem.reason}`);
      if (!(await offerFix(p, outcome.problem, message))) throw new CancelledByUser();
    }
  };

  const copyCommand = async (p: Prepared): Promise<void> => {
    const command = sshCommand(p);
    await vscode.env.clipboard.writeText(command);
    void vscode.window.showInformationMessage(vscode.l10n.t('Copied: {0}', command));
  };

  /** Opens the work directory with Remote-SSH, or offers to install it and the command for a terminal. */
  const open = async (p: Prepared): Promise<void> => {
    const copy = vscode.l10n.t('Copy SSH Command');
    if (!vscode.extensions.getExtension(REMOTE_SSH_EXTENSION)) {
      const install = vscode.l10n.t('Install Remote - SSH');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('The SSH connection to {0} works. Install the Remote - SSH extension to open it in a VS Code window, or connect from a terminal: {1}', p.nb.name, sshCommand(p)),
        install,
        copy,
      );
      if (choice === copy) await copyCommand(p);
      if (choice !== install) return;
      await vscode.commands.executeCommand('workbench.extensions.installExtension', REMOTE_SSH_EXTENSION);
      if (!vscode.extensions.getExtension(REMOTE_SSH_EXTENSION)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Once Remote - SSH is installed, run "Connect via SSH" again to open {0}.', p.nb.name));
        return;
      }
    }
    if (!p.included) {
      // Remote-SSH reads only the user's config: without the Include (declined earlier) it cannot find the host.
      const add = vscode.l10n.t('Add Include Line');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Remote - SSH cannot find {0} without the Include line in {1}. Add it, or connect from a terminal: {2}', p.alias, p.env.paths.userConfig, sshCommand(p)),
        add,
        copy,
      );
      if (choice === copy) await copyCommand(p);
      if (choice !== add) return;
      await include(p.env, p.nb);
      p.included = true;
    }
    append(p.nb, vscode.l10n.t('opening {0} on {1} in a new window (Remote - SSH)', NOTEBOOK_WORK_DIR, p.alias));
    await vscode.commands.executeCommand('vscode.openFolder', remoteFolderUri(p.alias), { forceNewWindow: true });
  };

  const commands: CommandSpec[] = [
    {
      id: 'modelarts.notebook.connectSsh',
      title: vscode.l10n.t('Connect via SSH'),
      run: async (arg) => {
        const picked = await target(arg, false, vscode.l10n.t('Connect to which notebook?'));
        const nb = await running(picked.session, picked.nb);
        const prepared = await prepare(picked.session, nb);
        await verify(prepared);
        await open(prepared);
      },
    },
    {
      id: 'modelarts.notebook.copySshCommand',
      title: vscode.l10n.t('Copy SSH Command'),
      run: async (arg) => {
        const picked = await target(arg, true, vscode.l10n.t('Copy the SSH command of which notebook?'));
        const nb = await picked.session.client.notebooks.get(picked.nb.id);
        if (nb.status !== 'RUNNING') throw new Error(vscode.l10n.t('Notebook {0} is not running ({1}): its SSH address is known once it runs.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
        await copyCommand(await prepare(picked.session, nb));
      },
    },
  ];

  return { commands, dispose: () => undefined };
}
