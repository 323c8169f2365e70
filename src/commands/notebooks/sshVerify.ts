// The batch-mode ssh check of a prepared host, with a fix offered for each kind of failure.

import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import { safeL10n, type Words } from '../../common/safeText';
import { showError, withNotificationProgress } from '../../common/safeUi';
import { forgetHostKey } from '../../ssh/knownHosts';
import { hostPort } from '../../ssh/uri';
import { commandLine, fixKeyPermissions, verifyArgs, verifyHost, type SshProblem } from '../../ssh/verify';
import type { PreparedSshHost, SshContext } from './sshContext';
import { problemMessage } from './sshMessages';
import { askKeyFile, writeBlock } from './sshPrepare';

/** Sentences with the service's values (names, addresses), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** Offers the fix for a failed check; true when it was applied and the check should run again. */
async function offerFix(context: SshContext, p: PreparedSshHost, problem: SshProblem, message: string): Promise<boolean> {
  const { append } = context;
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
    p.keyFile = await askKeyFile(context, p.env, p.keyPair);
    await writeBlock(context, p);
    return true;
  }
  if (choice === showOutput) context.notebooks.output().show(true);
  return choice === retry;
}

/** Runs the batch-mode check until it passes, or the user stops fixing what it finds. */
export async function verify(context: SshContext, p: PreparedSshHost): Promise<void> {
  const { append, notebooks } = context;
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
    context.deps.log.warn(`Connect via SSH to ${p.nb.name}: ${outcome.problem.kind}: ${outcome.problem.reason}`);
    if (!(await offerFix(context, p, outcome.problem, message))) throw notebooks.cancelled();
  }
}
