import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { notebookSshEndpoint } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import type { ActiveSession } from '../../common/session';
import { abortOn } from '../../common/cancellation';
import { labelText, lineText, safeL10n, type Words } from '../../common/safeText';
import { showError, showInformation, showWarning, withNotificationProgress } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { isNotFound } from '../../api/errors';
import { BACKUP_SUFFIX } from '../../ssh/files';
import { forgetHostKey } from '../../ssh/knownHosts';
import { SshMemory, remoteAlias, type RemoteNotebook } from '../../ssh/memory';
import { problemMessage, sshFileError } from './sshMessages';
import { configPath, sshBinary, sshPaths } from '../../ssh/paths';
import { NOTEBOOK_USER, NOTEBOOK_WORK_DIR, addHostsInclude, assertWritable, findHostsInclude, pruneHosts, removeProfileHosts, writeHost, type Checked, type SshEnvironment } from '../../ssh/setup';
import { SshUriError, hostPort, parseSshUri, type SshAddress } from '../../ssh/uri';
import { commandLine, fixKeyPermissions, verifyArgs, verifyHost, type SshProblem } from '../../ssh/verify';
import type { NotebookActions } from './notebookActions';
import { timeOfDay } from './notebookLogic';

// "Connect via SSH" and "Copy SSH Command": the prompts around src/ssh. A notebook's host goes into the
// extension's own SSH config file, one Include line (asked once) makes ssh and Remote-SSH see it, the system
// ssh verifies the connection, and then Remote-SSH opens /home/ma-user/work in a new window. Lines go to the
// "ModelArts: Notebooks" channel. A bundle of its own (dist/sshFeature.js), loaded on first use.

/** Sentences with the service's values (names, addresses), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export const REMOTE_SSH_EXTENSION = 'ms-vscode-remote.remote-ssh';
/** The SSH remote of editors that use Open VSX (VSCodium, code-server, …), which does not carry Microsoft's. */
export const OPEN_REMOTE_SSH_EXTENSION = 'jeanp413.open-remote-ssh';

/** The installed extension that opens `ssh-remote+<alias>` windows, if any. */
function remoteSshExtension(): string | undefined {
  return [REMOTE_SSH_EXTENSION, OPEN_REMOTE_SSH_EXTENSION].find((id) => vscode.extensions.getExtension(id) !== undefined);
}

/** Microsoft's marketplace serves Visual Studio Code itself; forks and code-server use Open VSX or none. */
function usesMicrosoftMarketplace(): boolean {
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

function environment(): { env: SshEnvironment; binary: string } {
  const home = homedir();
  const platform = process.platform;
  const paths = sshPaths({ platform, home, configFile: userSetting('remote.SSH', 'configFile'), hostsFile: userSetting('modelarts.ssh', 'hostsFile') });
  const binary = sshBinary({ platform, env: process.env, configured: userSetting('remote.SSH', 'path') });
  return { env: { paths, home, platform, ssh: binary }, binary };
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

/** What the extension's own bundle lends this one (its classes and channels: a copy here would be another). */
export interface SshFeatureHost {
  startAndWait: NotebookActions['startAndWait'];
  output: NotebookActions['output'];
  /** Cancellation the command wrapper recognises as such (stays quiet). */
  cancelled(): Error;
}

export interface SshFeature {
  /** Starts the notebook first when it is not running (asked), then connects. */
  connect(session: ActiveSession, nb: Notebook): Promise<void>;
  copyCommand(session: ActiveSession, nb: Notebook): Promise<void>;
  /** Removes the hosts (and their known host keys) that `profile`'s notebooks left in the SSH files. */
  forgetProfileHosts(profile: string): Promise<void>;
  /** In a Remote-SSH window on a notebook: which one, as Connect via SSH recorded it. */
  remoteNotebook(authority: string): RemoteNotebook | undefined;
}

export function createSshFeature(deps: ActionDeps, notebooks: SshFeatureHost): SshFeature {
  const memory = new SshMemory(deps.context.globalState);
  const append = (nb: Notebook, text: string): void => notebooks.output().appendLine(lineText(`[${timeOfDay(Date.now())}] ${nb.name || nb.id}: ${text}`));
  /** A change to the SSH files; their refusals (an unsafe path, ssh rejecting the result, a lock) in the user's words. */
  const sshFiles = async <T>(change: () => T | Promise<T>): Promise<T> => {
    try {
      return await change();
    } catch (error) {
      throw sshFileError(error, vscode.l10n);
    }
  };
  /** Where no ssh program could check a file, it was written all the same: said in the channel and the log. */
  const noteUnchecked = (nb: Notebook, file: string, result: Checked): void => {
    if (result.checked) return;
    append(nb, vscode.l10n.t('{0} was written without the ssh -G check: no ssh program ran ({1})', file, result.unchecked ?? ''));
    deps.log.warn(`${file} written without the ssh -G check: ${result.unchecked ?? ''}`);
  };

  /** A RUNNING copy of the notebook: one that is not running is started first (asked), and awaited. */
  const running = async (session: ActiveSession, given: Notebook): Promise<Notebook> => {
    const nb = await session.client.notebooks.get(given.id);
    if (nb.status === 'RUNNING') return nb;
    if (nb.status !== 'STOPPED' && nb.status !== 'START_FAILED' && nb.status !== 'STARTING') {
      void showInformation(l10n.t('Notebook {0} is not running ({1}): connect once it runs.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
      throw notebooks.cancelled();
    }
    if (nb.status !== 'STARTING') {
      const start = l10n.t('Start and Connect');
      const answer = await showInformation(l10n.t('Notebook {0} is not running ({1}). Start it and connect once it runs?', nb.name, stateWord('notebook', nb.status, vscode.l10n)), { modal: true }, start);
      if (answer !== start) throw notebooks.cancelled();
    }
    append(nb, vscode.l10n.t('connecting via SSH once it runs'));
    const settled = await notebooks.startAndWait(session, nb);
    if (settled?.status !== 'RUNNING') {
      append(nb, vscode.l10n.t('not connecting: the notebook is not running ({0})', stateWord('notebook', settled?.status, vscode.l10n)));
      throw notebooks.cancelled();
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
      title: labelText(vscode.l10n.t('Private key file of key pair {0}', keyPair)),
    });
    const picked = uris?.[0];
    if (!picked) throw notebooks.cancelled();
    await memory.rememberKeyFile(keyPair, picked.fsPath);
    return picked.fsPath;
  };

  /** Whether the user's config includes the hosts file; asks once (per config file) before adding the line. */
  const ensureInclude = async (env: SshEnvironment, nb: Notebook, alias: string): Promise<boolean> => {
    const { userConfig, hostsFile } = env.paths;
    const found = await findHostsInclude(env);
    if (found) {
      if (!found.beforeHosts) append(nb, vscode.l10n.t('the Include line in {0} comes after a Host or Match line, so it applies only within that block: move it to the top', userConfig));
      return true;
    }
    if (memory.includeDeclined(userConfig)) return false;
    const add = l10n.t('Add Include Line');
    const notNow = l10n.t("Don't Add");
    const includePath = configPath(hostsFile, env.platform);
    const answer = await showInformation(
      l10n.t('Add one line to {0} so that ssh and Remote - SSH find your notebooks?', userConfig),
      {
        modal: true,
        detail: existsSync(userConfig)
          ? l10n.t(
              'ModelArts Explorer keeps the hosts of your notebooks in its own file, {0}. The line "Include {1}" goes at the top of {2}; nothing else in that file changes, and its previous version is kept as {3}.',
              hostsFile,
              includePath,
              userConfig,
              `${userConfig}${BACKUP_SUFFIX}`,
            )
          : l10n.t('ModelArts Explorer keeps the hosts of your notebooks in its own file, {0}. {1} does not exist yet: it is created with the line "Include {2}".', hostsFile, userConfig, includePath),
      },
      add,
      notNow,
    );
    if (answer === notNow) await memory.setIncludeDeclined(userConfig, true);
    if (answer !== add) return false;
    await include(env, nb, alias);
    return true;
  };

  const include = async (env: SshEnvironment, nb: Notebook, alias: string): Promise<void> => {
    const { userConfig, hostsFile } = env.paths;
    const includePath = configPath(hostsFile, env.platform);
    const result = await sshFiles(() => addHostsInclude(env, alias));
    await memory.setIncludeDeclined(userConfig, false);
    if (!result.added) return;
    noteUnchecked(nb, userConfig, result);
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
    // Every path this writes is checked before anything is written.
    await sshFiles(() => assertWritable(env, keyFile));
    const prepared = { session, nb, env, binary, address, user, keyPair, keyFile, alias: '', included: false };
    await writeBlock(prepared);
    const removed = await sshFiles(() => pruneHosts(env.paths.hostsFile, session.profile, async (id) => {
      if (id === nb.id) return true;
      try {
        await session.client.notebooks.get(id);
        return true;
      } catch (error) {
        return !isNotFound(error);
      }
    }));
    if (removed.length > 0) append(nb, vscode.l10n.t('removed the SSH hosts of deleted notebooks: {0}', removed.map((b) => b.alias).join(', ')));
    prepared.included = await ensureInclude(env, nb, prepared.alias);
    return prepared;
  };

  const writeBlock = async (p: Prepared): Promise<void> => {
    const result = await sshFiles(() => writeHost(p.env, { notebookId: p.nb.id, notebookName: p.nb.name || p.nb.id, profile: p.session.profile, address: p.address, user: p.user, keyFile: p.keyFile }));
    p.alias = result.alias;
    noteUnchecked(p.nb, p.env.paths.hostsFile, result);
    if (result.written) append(p.nb, vscode.l10n.t('SSH host {0} written to {1}', result.alias, p.env.paths.hostsFile));
  };

  /** `ssh <alias>` when the user's config includes the hosts file, else with `-F <hosts file>`. */
  const sshCommand = (p: Prepared): string => commandLine('ssh', p.included ? [p.alias] : ['-F', p.env.paths.hostsFile, p.alias]);

  /** Offers the fix for a failed check; true when it was applied and the check should run again. */
  const offerFix = async (p: Prepared, problem: SshProblem, message: string): Promise<boolean> => {
    const fixPermissions = l10n.t('Fix Permissions (0600)');
    const forget = l10n.t('Forget Old Key');
    const chooseKey = l10n.t('Choose Key File…');
    const retry = l10n.t('Retry');
    const showOutput = l10n.t('Show Output');
    const buttons: Words[] = [];
    if (problem.kind === 'keyPermissions' && p.env.platform !== 'win32') buttons.push(fixPermissions);
    if (problem.kind === 'hostKeyChanged') buttons.push(forget);
    if (problem.kind === 'keyMissing' || problem.kind === 'authRefused' || problem.kind === 'keyPermissions') buttons.push(chooseKey);
    if (problem.kind === 'unreachable' || problem.kind === 'failed') buttons.push(retry);
    buttons.push(showOutput);
    const choice = await showError(l10n.t('{0} failed: {1}{2}{3}', vscode.l10n.t('Connect via SSH'), message, '', ''), ...buttons);
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
      const outcome = await withNotificationProgress(
        { title: l10n.t('Checking the SSH connection to {0}…', p.nb.name), cancellable: true },
        (_progress, token) => verifyHost({ binary: p.binary, hostsFile: p.env.paths.hostsFile, alias: p.alias, keyFile: p.keyFile, signal: abortOn(token) }),
      );
      if (outcome.ok) {
        append(p.nb, vscode.l10n.t('SSH connection verified: {0}@{1} ({2} s)', p.user, hostPort(p.address), (outcome.ms / 1000).toFixed(1)));
        return;
      }
      const message = problemMessage(outcome.problem, { address: hostPort(p.address), user: p.user, keyFile: p.keyFile, keyPair: p.keyPair, binary: p.binary }, vscode.l10n);
      append(p.nb, vscode.l10n.t('SSH check failed: {0}', message));
      deps.log.warn(`Connect via SSH to ${p.nb.name}: ${outcome.problem.kind}: ${outcome.problem.reason}`);
      if (!(await offerFix(p, outcome.problem, message))) throw notebooks.cancelled();
    }
  };

  const copyCommand = async (p: Prepared): Promise<void> => {
    const command = sshCommand(p);
    await vscode.env.clipboard.writeText(command);
    void showInformation(l10n.t('Copied: {0}', command));
  };

  /** Opens the work directory with Remote-SSH, or offers to install it and the command for a terminal. */
  const open = async (p: Prepared): Promise<void> => {
    const copy = l10n.t('Copy SSH Command');
    if (!remoteSshExtension()) {
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
      if (choice !== install) return;
      try {
        await vscode.commands.executeCommand('workbench.extensions.installExtension', wanted);
      } catch (error) {
        // No marketplace at all (code-server started without one, an offline machine): say what to do instead.
        deps.log.warn(`Installing ${wanted} failed: ${error instanceof Error ? error.message : String(error)}`);
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
        return;
      }
      if (!remoteSshExtension()) {
        void showInformation(l10n.t('Once Remote - SSH is installed, run "Connect via SSH" again to open {0}.', p.nb.name));
        return;
      }
    }
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
      await include(p.env, p.nb, p.alias);
      p.included = true;
    }
    append(p.nb, vscode.l10n.t('opening {0} on {1} in a new window (Remote - SSH)', NOTEBOOK_WORK_DIR, p.alias));
    await vscode.commands.executeCommand('vscode.openFolder', remoteFolderUri(p.alias), { forceNewWindow: true });
  };

  return {
    connect: async (session, given) => {
      const nb = await running(session, given);
      const prepared = await prepare(session, nb);
      await verify(prepared);
      await memory.rememberRemote(prepared.alias, { notebookId: nb.id, name: nb.name || nb.id, profile: session.profile });
      await open(prepared);
    },
    copyCommand: async (session, given) => {
      const nb = await session.client.notebooks.get(given.id);
      if (nb.status !== 'RUNNING') throw new Error(vscode.l10n.t('Notebook {0} is not running ({1}): its SSH address is known once it runs.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
      await copyCommand(await prepare(session, nb));
    },
    forgetProfileHosts: async (profile) => {
      const { env } = environment();
      const removed = await removeProfileHosts(env.paths, profile);
      if (removed.length > 0) deps.log.info(`Removed the SSH hosts of profile ${profile} from ${env.paths.hostsFile}: ${removed.join(', ')}.`);
      await memory.forgetRemotes(removed);
    },
    remoteNotebook: (authority) => {
      const alias = remoteAlias(authority);
      return alias === undefined ? undefined : memory.remote(alias);
    },
  };
}
