import type * as vscode from 'vscode';
import { SshConfigError, type SshConfigProblem } from '../../ssh/config';
import { LOCK_SUFFIX, LockTimeoutError } from '../../ssh/lock';
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

/** Why an SSH file was left as it was (src/ssh/config.ts says what; this says it in the user's words). */
export function configProblemMessage(problem: SshConfigProblem, l10n: typeof vscode.l10n): string {
  switch (problem.kind) {
    case 'unsafeValue': {
      const unsafe =
        problem.unsafe === '"' ? l10n.t('a double quote (")') : problem.unsafe === 'line break' ? l10n.t('a line break') : l10n.t('"{0}" (ssh would read an environment variable)', '${');
      // JSON form: a line break in the path is shown as \n, not as a second line.
      return l10n.t('{0} cannot be written into an SSH config file ({1}): it contains {2}. Rename the file or its folder, or choose another one; nothing was written.', JSON.stringify(problem.value), problem.keyword, unsafe);
    }
    case 'rejected':
      return l10n.t('ssh rejects {0} as it would be written ({1}), so it was left as it was.', problem.file, problem.reason);
    case 'misread':
      return l10n.t('ssh would read {0} in {1} as {2} instead of {3}, so it was left as it was.', problem.keyword, problem.file, problem.actual, problem.expected);
    case 'notIncluded':
      return l10n.t('Through the Include line that would be added to {0}, ssh does not find {1}, so that file was left as it was.', problem.file, problem.alias);
  }
}

/** The SSH files' own errors in the user's words; any other error as it is. */
export function sshFileError(error: unknown, l10n: typeof vscode.l10n): unknown {
  if (error instanceof SshConfigError) return new Error(configProblemMessage(error.problem, l10n));
  if (error instanceof LockTimeoutError) {
    return new Error(
      l10n.t(
        '{0} is being changed by another process ({1}), which did not finish in {2} s. If no other VS Code window is connecting to a notebook, delete {3} and try again.',
        error.lockFile.slice(0, -LOCK_SUFFIX.length),
        error.owner ? String(error.owner.pid) : '?',
        Math.round(error.waitedMs / 1000),
        error.lockFile,
      ),
    );
  }
  return error;
}
