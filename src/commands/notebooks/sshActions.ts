import * as vscode from 'vscode';
import { notebookSshEndpoint } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import { DEMO_PROFILE_NAME } from '../../auth/validation';
import type { ActionDeps } from '../actionDeps';
import { CancelledByUser, type CommandSpec } from '../registry';
import { icon, joinWords, labelText, safeL10n } from '../../common/safeText';
import { SafeStatusItem, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { NotebookNode } from '../../explorer/nodes/notebookNode';
import { requireSession } from '../workspace/pickers';
import { pickNotebook, type NotebookActions } from './notebookActions';
import type { SshFeature } from './sshFeature';
import { COMMAND } from '../ids';

// The SSH commands as the extension bundle holds them: which notebook, then the feature itself, a bundle of its
// own (dist/sshFeature.js) loaded on first use. Also what happens around them without a command: the demo's
// hosts leave the SSH files when the demo ends, and a Remote-SSH window on a notebook says which one it is.

/** Sentences with the service's values (names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface SshActions {
  commands: CommandSpec[];
  /** Removes the demo's hosts from the SSH files (when the demo ends; deactivation waits for it). */
  tidyDemoHosts(): Promise<void>;
  dispose(): void;
}

export function createSshActions(deps: ActionDeps, notebooks: Pick<NotebookActions, 'startAndWait' | 'output'>): SshActions {
  let feature: Promise<SshFeature> | undefined;
  const load = (): Promise<SshFeature> =>
    (feature ??= import('./sshFeature').then((m) => m.createSshFeature(deps, { ...notebooks, cancelled: () => new CancelledByUser() })));

  /** The notebook of the row, else one picked among those with an SSH endpoint (running ones only, when asked). */
  const target = async (arg: unknown, runningOnly: boolean, placeHolder: Said<'label'>): Promise<{ session: ActiveSession; nb: Notebook }> => {
    const session = requireSession(deps);
    if (arg instanceof NotebookNode) return { session, nb: arg.item };
    const none = runningOnly ? l10n.t('No running notebook has an SSH endpoint.') : l10n.t('No notebook has an SSH endpoint.');
    const nb = await pickNotebook(session, (n) => notebookSshEndpoint(n) !== undefined && (!runningOnly || n.status === 'RUNNING'), placeHolder, none);
    return { session, nb };
  };

  // The demo's notebooks are an sshd on this computer that ends with the demo: their hosts go with it (and
  // any a demo left behind when it could not stop, before the next one writes its own).
  let tidying: Promise<void> = Promise.resolve();
  let demoRunning = deps.sessions.current?.demo === true;
  const tidyDemoHosts = (): Promise<void> =>
    (tidying = tidying
      .then(async () => (await load()).forgetProfileHosts(DEMO_PROFILE_NAME))
      .catch((error: unknown) => deps.log.warn(`Removing the demo's SSH hosts failed: ${error instanceof Error ? error.message : String(error)}`)));
  const sessionWatch = deps.sessions.onDidChange((session) => {
    const demo = session?.demo === true;
    if (demo !== demoRunning) void tidyDemoHosts();
    demoRunning = demo;
  });

  let remoteItem: SafeStatusItem | undefined;
  const authority = vscode.env.remoteName === 'ssh-remote' ? vscode.workspace.workspaceFolders?.[0]?.uri.authority : undefined;
  if (authority) {
    void load().then((ssh) => {
      const nb = ssh.remoteNotebook(authority);
      if (!nb) return;
      remoteItem = new SafeStatusItem('modelarts.remoteNotebook', vscode.StatusBarAlignment.Left, 100, labelText(vscode.l10n.t('ModelArts Notebook')));
      remoteItem.update({
        // The icon is ours; the name is the service's and shows no icon.
        text: joinWords(' ', icon('cloud'), l10n.t('ModelArts notebook {0}', nb.name)),
        tooltip: l10n.t(
          'This window is connected over SSH to the ModelArts notebook {0} (profile {1}, id {2}). ModelArts Explorer runs on this computer, with your sign-in; nothing of it is copied to the notebook.',
          nb.name,
          nb.profile,
          nb.notebookId,
        ),
        command: 'modelarts.explorer.focus',
      });
    });
  }

  const commands: CommandSpec[] = [
    {
      id: COMMAND.notebookConnectSsh,
      title: vscode.l10n.t('Connect via SSH'),
      run: async (arg) => {
        const { session, nb } = await target(arg, false, l10n.t('Connect to which notebook?'));
        await (await load()).connect(session, nb);
      },
    },
    {
      id: COMMAND.notebookCopySshCommand,
      title: vscode.l10n.t('Copy SSH Command'),
      run: async (arg) => {
        const { session, nb } = await target(arg, true, l10n.t('Copy the SSH command of which notebook?'));
        await (await load()).copyCommand(session, nb);
      },
    },
  ];

  return {
    commands,
    tidyDemoHosts,
    dispose: () => {
      sessionWatch.dispose();
      remoteItem?.dispose();
    },
  };
}
