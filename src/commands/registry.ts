import * as vscode from 'vscode';
import { isModelArtsError, type ModelArtsError } from '../api/errors';
import type { ExtensionLogger } from '../common/logger';
import { safeL10n, type Words } from '../common/safeText';
import { showError } from '../common/safeUi';
import { RESTART_DEMO_ARGS } from '../explorer/nodes/node';
import { COMMAND } from './ids';

// One table of commands, registered through one wrapper that awaits, stays quiet on cancellation,
// logs the full error and shows one toast with the documented buttons.

/** Sentences whose values (the service's error text) are made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export type CommandHandler = (...args: unknown[]) => unknown;

export interface CommandSpec {
  id: string;
  /** The command's title, localised, for "<Title> failed: …". */
  title: string;
  run: CommandHandler;
}

export class CancelledByUser extends Error {
  constructor() {
    super('cancelled');
  }
}

function isCancellation(error: unknown): boolean {
  if (error instanceof CancelledByUser || error instanceof vscode.CancellationError) return true;
  if (isModelArtsError(error) && error.kind === 'aborted') return true;
  return error instanceof Error && error.name === 'AbortError';
}

function isAuthError(error: ModelArtsError): boolean {
  return error.kind === 'auth' || error.status === 401 || error.status === 403;
}

/** `<Title> failed: <message> (<code>)`, the documented solution when there is one: the service's words, made inert. */
export function failureMessage(title: string, error: unknown): Words {
  if (isModelArtsError(error)) {
    const code = error.code && error.code !== error.kind ? ` (${error.code})` : '';
    const solution = error.solution ? ` ${error.solution}` : '';
    return l10n.t('{0} failed: {1}{2}{3}', title, error.message, code, solution);
  }
  const message = error instanceof Error ? error.message : String(error);
  return l10n.t('{0} failed: {1}{2}{3}', title, message, '', '');
}

export interface FailureContext {
  /** The demo is the active session: its way forward is restarting it, never the real sign-in. */
  demo?: boolean;
}

export async function reportFailure(log: ExtensionLogger, title: string, error: unknown, context: FailureContext = {}): Promise<void> {
  const text = failureMessage(title, error);
  log.error(isModelArtsError(error) ? `${title} failed: ${error.toString()}` : `${title} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const showLog = l10n.t('Show Log');
  const signIn = l10n.t('Sign In');
  const restart = l10n.t('Restart the Demo');
  const buttons = context.demo ? [restart, showLog] : isModelArtsError(error) && isAuthError(error) ? [signIn, showLog] : [showLog];
  const choice = await showError(context.demo ? l10n.t('{0} (Demo mode: the data comes from a built-in emulator on this computer; restarting the demo starts it afresh.)', text) : text, ...buttons);
  if (choice === showLog) log.show();
  if (choice === signIn) await vscode.commands.executeCommand(COMMAND.signIn);
  if (choice === restart) await vscode.commands.executeCommand(COMMAND.demoStart, ...RESTART_DEMO_ARGS);
}

export function registerCommands(specs: readonly CommandSpec[], log: ExtensionLogger, context: () => FailureContext = () => ({})): vscode.Disposable[] {
  return specs.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      try {
        return await spec.run(...args);
      } catch (error) {
        if (isCancellation(error)) {
          log.debug(`${spec.id}: cancelled`);
          return undefined;
        }
        void reportFailure(log, spec.title, error, context());
        return undefined;
      }
    }),
  );
}
