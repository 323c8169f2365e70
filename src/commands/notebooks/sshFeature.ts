import * as vscode from 'vscode';
import type { Notebook } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import type { ActiveSession } from '../../common/session';
import { stateWord } from '../../common/stateWords';
import { remoteAlias, type RemoteNotebook } from '../../ssh/memory';
import { removeProfileHosts } from '../../ssh/setup';
import { createSshContext, type SshFeatureHost } from './sshContext';
import { environment } from './sshEnvironment';
import { copyCommand, open } from './sshOpen';
import { prepare, running } from './sshPrepare';
import { verify } from './sshVerify';

export type { SshFeatureHost } from './sshContext';
export { OPEN_REMOTE_SSH_EXTENSION, REMOTE_SSH_EXTENSION, remoteFolderUri } from './sshEnvironment';

// "Connect via SSH" and "Copy SSH Command": the prompts around src/ssh. A notebook's host goes into the
// extension's own SSH config file, one Include line (asked once) makes ssh and Remote-SSH see it, the system
// ssh verifies the connection, and then Remote-SSH opens /home/ma-user/work in a new window. Lines go to the
// "ModelArts: Notebooks" channel. A bundle of its own (dist/sshFeature.js), loaded on first use.

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
  const context = createSshContext(deps, notebooks);
  const { memory } = context;
  return {
    connect: async (session, given) => {
      const nb = await running(context, session, given);
      const prepared = await prepare(context, session, nb);
      await verify(context, prepared);
      await memory.rememberRemote(prepared.alias, { notebookId: nb.id, name: nb.name || nb.id, profile: session.profile });
      await open(context, prepared);
    },
    copyCommand: async (session, given) => {
      const nb = await session.client.notebooks.get(given.id);
      if (nb.status !== 'RUNNING') throw new Error(vscode.l10n.t('Notebook {0} is not running ({1}): its SSH address is known once it runs.', nb.name, stateWord('notebook', nb.status, vscode.l10n)));
      await copyCommand(await prepare(context, session, nb));
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
