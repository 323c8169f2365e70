// Stop Step, Retry Step and Continue Step: after a confirmation (stop, retry), sent with the step's state.

import * as vscode from 'vscode';
import { abortOn } from '../../common/cancellation';
import type { StepActionName } from '../../api/types';
import { COMMAND } from '../ids';
import { confirm } from '../prompts';
import type { CommandSpec } from '../registry';
import { safeL10n, type Words } from '../../common/safeText';
import { withNotificationProgress } from '../../common/safeUi';
import { announceSent, watchAfterAction, type WorkflowCommandDeps } from './executionActions';
import { executionName, stepTarget, type StepTarget } from './workflowTargets';

/** Sentences with the service's values (execution and step names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function stepActionCommands(deps: WorkflowCommandDeps): CommandSpec[] {
  return [
    {
      id: COMMAND.stepStop,
      title: vscode.l10n.t('Stop Step'),
      run: async (arg) => stepAction(deps, await stepTarget(deps, arg, 'stop', l10n.t('Stop which step?')), 'stop'),
    },
    {
      id: COMMAND.stepRetry,
      title: vscode.l10n.t('Retry Step'),
      run: async (arg) => stepAction(deps, await stepTarget(deps, arg, 'retry', l10n.t('Retry which step?')), 'retry'),
    },
    {
      id: COMMAND.stepContinue,
      title: vscode.l10n.t('Continue Step'),
      run: async (arg) => stepAction(deps, await stepTarget(deps, arg, 'continue', l10n.t('Continue which step?')), 'continue'),
    },
  ];
}

export async function stepAction(deps: WorkflowCommandDeps, target: StepTarget, action: StepActionName): Promise<void> {
  const { session, workflowId, execution, step } = target;
  const name = step.step_name || step.uuid;
  if (action === 'stop') await confirm(l10n.t('Stop step {0} of {1}?', name, executionName(execution)), l10n.t('Stop'), { detail: l10n.t('The step stops; the steps after it do not run.') });
  if (action === 'retry') await confirm(l10n.t('Retry step {0} of {1}?', name, executionName(execution)), l10n.t('Retry'), { detail: l10n.t('The step runs again, and so do the steps after it.') });
  const titles: Record<StepActionName, Words> = { stop: l10n.t('Stopping {0}…', name), retry: l10n.t('Retrying {0}…', name), continue: l10n.t('Continuing {0}…', name) };
  await withNotificationProgress({ title: titles[action], cancellable: true }, (_progress, token) =>
    session.client.workflows.stepAction(workflowId, execution.execution_id, step.uuid, action, { currentStatus: step.status }, abortOn(token)),
  );
  announceSent(deps, target, { on: 'step', action, step: name });
  watchAfterAction(deps, target);
}
