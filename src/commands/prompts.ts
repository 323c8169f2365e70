import * as vscode from 'vscode';
import { safeL10n } from '../common/safeText';
import { showInformation, showInput, showPick, showWarning, type MessageOptions, type Said, type SafeInputOptions, type SafePickItem, type SafePickOptions } from '../common/safeUi';
import type { ActiveSession, SessionService } from '../common/session';
import { COMMAND } from './ids';
import { CancelledByUser } from './registry';

// What every command asks of the user, one way each: a session, a line of text, one item, a yes. Each prompt
// the user dismisses ends the command quietly (CancelledByUser: the wrapper logs it and shows nothing).

const l10n = safeL10n(vscode.l10n);

/**
 * The signed-in session. Signed out, every command behaves the same: an information message with a Sign In
 * button (which runs the sign-in), and the command ends quietly — no error, no warning.
 */
export function requireSession(sessions: Pick<SessionService, 'current'>): ActiveSession {
  const session = sessions.current;
  if (session) return session;
  const signIn = l10n.t('Sign In');
  void showInformation(l10n.t('Sign in to ModelArts first.'), signIn).then((choice) => {
    if (choice === signIn) void vscode.commands.executeCommand(COMMAND.signIn);
  });
  throw new CancelledByUser();
}

/** A line of text, checked as it is typed (`validateInput`: why it cannot be used); dismissed: the command ends quietly. */
export async function askText(options: SafeInputOptions): Promise<string> {
  const value = await showInput({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new CancelledByUser();
  return value;
}

/** One item of the list; dismissed: the command ends quietly. */
export async function pickOne<T extends SafePickItem>(items: readonly T[], options: SafePickOptions = {}): Promise<T> {
  const picked = await showPick(items, options);
  if (picked === undefined) throw new CancelledByUser();
  return picked;
}

/** A modal question with one button that goes ahead; anything else ends the command quietly. */
export async function confirm(message: Said<'message'>, button: Said<'message'>, options: Omit<MessageOptions, 'modal'> = {}): Promise<void> {
  const answer = await showWarning(message, { ...options, modal: true }, button);
  if (answer !== button) throw new CancelledByUser();
}
