// What the SSH steps share: the extension's deps, what the extension bundle lends the SSH bundle, what is
// remembered (key files, declined Include lines, remote windows), and lines in "ModelArts: Notebooks".

import * as vscode from 'vscode';
import type { Notebook } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import type { ActiveSession } from '../../common/session';
import { lineText } from '../../common/safeText';
import { SshMemory } from '../../ssh/memory';
import type { Checked, SshEnvironment } from '../../ssh/setup';
import type { SshAddress } from '../../ssh/uri';
import type { NotebookActions } from './notebookActions';
import { timeOfDay } from './notebookLogic';
import { sshFileError } from './sshMessages';

/** What the extension's own bundle lends this one (its classes and channels: a copy here would be another). */
export interface SshFeatureHost {
  startAndWait: NotebookActions['startAndWait'];
  output: NotebookActions['output'];
  /** Cancellation the command wrapper recognises as such (stays quiet). */
  cancelled(): Error;
}

/** All a connection to one notebook needs, gathered before the check. */
export interface PreparedSshHost {
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

export interface SshContext {
  readonly deps: ActionDeps;
  readonly notebooks: SshFeatureHost;
  readonly memory: SshMemory;
  /** A line about `nb` in the notebooks' channel. */
  readonly append: (nb: Notebook, text: string) => void;
}

export function createSshContext(deps: ActionDeps, notebooks: SshFeatureHost): SshContext {
  return {
    deps,
    notebooks,
    memory: new SshMemory(deps.context.globalState),
    append: (nb, text) => notebooks.output().appendLine(lineText(`[${timeOfDay(Date.now())}] ${nb.name || nb.id}: ${text}`)),
  };
}

/** A change to the SSH files; their refusals (an unsafe path, ssh rejecting the result, a lock) in the user's words. */
export async function sshFiles<T>(change: () => T | Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    throw sshFileError(error, vscode.l10n);
  }
}

/** Where no ssh program could check a file, it was written all the same: said in the channel and the log. */
export function noteUnchecked(context: SshContext, nb: Notebook, file: string, result: Checked): void {
  if (result.checked) return;
  context.append(nb, vscode.l10n.t('{0} was written without the ssh -G check: no ssh program ran ({1})', file, result.unchecked ?? ''));
  context.deps.log.warn(`${file} written without the ssh -G check: ${result.unchecked ?? ''}`);
}
