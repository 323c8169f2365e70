// What the workflow actions say, without VS Code: the confirmation of a rerun, worded for the execution's
// state, and the message that an action was sent, naming the step or execution and what follows.

import type * as vscode from 'vscode';
import type { ExecutionActionName, StepActionName } from '../../api/types';
import { messageText, type MessageText } from '../../common/safeText';

/**
 * A rerun without chosen steps runs again the steps that did not complete and the steps after them; when
 * every step completed, it runs them all, from the start.
 */
export function rerunConfirmation(execution: string, workflow: string, status: string | undefined, l10n: typeof vscode.l10n): { message: MessageText; detail: MessageText } {
  return status === 'completed'
    ? { message: messageText(l10n.t('Rerun execution {0} of {1} from the start?', execution, workflow)), detail: messageText(l10n.t('Every step runs again.')) }
    : { message: messageText(l10n.t('Rerun execution {0} of {1}?', execution, workflow)), detail: messageText(l10n.t('Its steps that did not complete, and the steps after them, run again.')) };
}

export type SentAction = { on: 'execution'; action: ExecutionActionName } | { on: 'step'; action: StepActionName; step: string };

/**
 * `Continue sent to step train of execution-064. You are told when the execution ends.`, then where its
 * events stream when they do (`streamChannel`).
 */
export function actionSentMessage(sent: SentAction, execution: string, streamChannel: string | undefined, l10n: typeof vscode.l10n): MessageText {
  const titles: Record<ExecutionActionName | StepActionName, string> = { stop: l10n.t('Stop'), rerun: l10n.t('Rerun'), retry: l10n.t('Retry'), continue: l10n.t('Continue') };
  const text =
    sent.on === 'execution'
      ? l10n.t('{0} sent to execution {1}. You are told when it ends.', titles[sent.action], execution)
      : l10n.t('{0} sent to step {1} of {2}. You are told when the execution ends.', titles[sent.action], sent.step, execution);
  return messageText(streamChannel === undefined ? text : `${text} ${l10n.t('Its events stream to {0}.', streamChannel)}`);
}
