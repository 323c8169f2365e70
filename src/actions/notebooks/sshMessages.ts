import type * as vscode from 'vscode';
import type { SshProblem } from '../../ssh/verify';

// What each failed check tells the user, in words that say what to fix.

export interface ProblemContext {
  /** host:port */
  address: string;
  user: string;
  keyFile: string;
  keyPair: string;
  binary: string;
}

export function problemMessage(problem: SshProblem, c: ProblemContext, l10n: typeof vscode.l10n): string {
  const because = problem.reason === '' ? '' : ` (${problem.reason})`;
  switch (problem.kind) {
    case 'sshMissing':
      return l10n.t('No ssh program was found ({0}). Install an OpenSSH client, or set remote.SSH.path to one.', c.binary);
    case 'keyMissing':
      return l10n.t('The private key file {0} of key pair {1} does not exist.', c.keyFile, c.keyPair);
    case 'keyPermissions':
      return l10n.t('ssh ignores the private key file {0} because other users may read it{1}. A private key must be readable by you only (mode 0600).', c.keyFile, because);
    case 'hostKeyChanged':
      return l10n.t(
        'The host key of {0} changed since the last connection{1}. A notebook gets a new host key each time it restarts; if it did not restart, someone may be intercepting the connection.',
        c.address,
        because,
      );
    case 'authRefused':
      return l10n.t('{0} refused the key {1} for user {2}{3}. Is it the private key of key pair {4}?', c.address, c.keyFile, c.user, because, c.keyPair);
    case 'unreachable':
      return l10n.t('Cannot reach {0}{1}. Check that the notebook is running and that your network allows SSH to it.', c.address, because);
    case 'failed':
      return l10n.t('ssh failed{0}.', because);
  }
}
