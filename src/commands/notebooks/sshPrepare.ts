// Before a connection: a running notebook (started first when asked), its key file, its host's block in the
// extension's SSH config file (stale blocks gone) and the one Include line that makes ssh and Remote-SSH see it.

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { notebookSshEndpoint } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import type { ActiveSession } from '../../common/session';
import { labelText, safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { stateWord } from '../../common/stateWords';
import { isNotFound } from '../../api/errors';
import { BACKUP_SUFFIX } from '../../ssh/files';
import { configPath } from '../../ssh/paths';
import { NOTEBOOK_USER, addHostsInclude, assertWritable, findHostsInclude, pruneHosts, writeHost, type SshEnvironment } from '../../ssh/setup';
import { SshUriError, parseSshUri, type SshAddress } from '../../ssh/uri';
import { noteUnchecked, sshFiles, type PreparedSshHost, type SshContext } from './sshContext';
import { environment } from './sshEnvironment';

/** Sentences with the service's values (names, addresses), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** A RUNNING copy of the notebook: one that is not running is started first (asked), and awaited. */
export async function running(context: SshContext, session: ActiveSession, given: Notebook): Promise<Notebook> {
  const { notebooks, append } = context;
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
}

export async function askKeyFile(context: SshContext, env: SshEnvironment, keyPair: string): Promise<string> {
  const uris = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    defaultUri: vscode.Uri.file(env.paths.sshDir),
    openLabel: vscode.l10n.t('Use This Key'),
    title: labelText(vscode.l10n.t('Private key file of key pair {0}', keyPair)),
  });
  const picked = uris?.[0];
  if (!picked) throw context.notebooks.cancelled();
  await context.memory.rememberKeyFile(keyPair, picked.fsPath);
  return picked.fsPath;
}

/** Whether the user's config includes the hosts file; asks once (per config file) before adding the line. */
async function ensureInclude(context: SshContext, env: SshEnvironment, nb: Notebook, alias: string): Promise<boolean> {
  const { memory } = context;
  const { userConfig, hostsFile } = env.paths;
  const found = await findHostsInclude(env);
  if (found) {
    if (!found.beforeHosts) context.append(nb, vscode.l10n.t('the Include line in {0} comes after a Host or Match line, so it applies only within that block: move it to the top', userConfig));
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
  await include(context, env, nb, alias);
  return true;
}

export async function include(context: SshContext, env: SshEnvironment, nb: Notebook, alias: string): Promise<void> {
  const { userConfig, hostsFile } = env.paths;
  const includePath = configPath(hostsFile, env.platform);
  const result = await sshFiles(() => addHostsInclude(env, alias));
  await context.memory.setIncludeDeclined(userConfig, false);
  if (!result.added) return;
  noteUnchecked(context, nb, userConfig, result);
  context.append(nb, result.backup ? vscode.l10n.t('added "Include {0}" to {1} (previous version: {2})', includePath, userConfig, result.backup) : vscode.l10n.t('added "Include {0}" to {1}', includePath, userConfig));
}

/** Endpoint, key file, the host's block (and stale blocks gone), the Include line: all a connection needs. */
export async function prepare(context: SshContext, session: ActiveSession, nb: Notebook): Promise<PreparedSshHost> {
  const { memory } = context;
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
  const keyFile = memory.keyFile(keyPair) ?? (await askKeyFile(context, env, keyPair));
  // Every path this writes is checked before anything is written.
  await sshFiles(() => assertWritable(env, keyFile));
  const prepared = { session, nb, env, binary, address, user, keyPair, keyFile, alias: '', included: false };
  await writeBlock(context, prepared);
  const removed = await sshFiles(() => pruneHosts(env.paths.hostsFile, session.profile, async (id) => {
    if (id === nb.id) return true;
    try {
      await session.client.notebooks.get(id);
      return true;
    } catch (error) {
      return !isNotFound(error);
    }
  }));
  if (removed.length > 0) context.append(nb, vscode.l10n.t('removed the SSH hosts of deleted notebooks: {0}', removed.map((b) => b.alias).join(', ')));
  prepared.included = await ensureInclude(context, env, nb, prepared.alias);
  return prepared;
}

export async function writeBlock(context: SshContext, p: PreparedSshHost): Promise<void> {
  const result = await sshFiles(() => writeHost(p.env, { notebookId: p.nb.id, notebookName: p.nb.name || p.nb.id, profile: p.session.profile, address: p.address, user: p.user, keyFile: p.keyFile }));
  p.alias = result.alias;
  noteUnchecked(context, p.nb, p.env.paths.hostsFile, result);
  if (result.written) context.append(p.nb, vscode.l10n.t('SSH host {0} written to {1}', result.alias, p.env.paths.hostsFile));
}
