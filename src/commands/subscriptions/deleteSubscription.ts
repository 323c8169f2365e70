// Delete Subscription: after a modal confirmation.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import { confirm } from '../prompts';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { subscriptionCalls } from './subscriptions';
import { orGone, pickSubscriptionId, refreshWorkflowRow, subscriptionTarget, withCancellableProgress, type SubscriptionCommandDeps } from './subscriptionTargets';

/** Sentences with the service's values (workflow names, subscription ids), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function deleteSubscriptionCommand(deps: SubscriptionCommandDeps): CommandSpec {
  return { id: COMMAND.subscriptionDelete, title: vscode.l10n.t('Delete Subscription'), run: (arg) => deleteSubscription(deps, arg) };
}

export async function deleteSubscription(deps: SubscriptionCommandDeps, arg: unknown): Promise<void> {
  const wf = await subscriptionTarget(deps, arg, l10n.t('Delete the subscription of which workflow?'));
  const subscriptionId = await pickSubscriptionId(wf);
  await confirm(l10n.t('Delete subscription {0} of workflow {1}?', subscriptionId, wf.workflowName), l10n.t('Delete'), {
    detail: l10n.t('Its topics are no longer notified of the workflow events.'),
  });
  const calls = subscriptionCalls(wf.session.client.workflows);
  await orGone(deps, wf, subscriptionId, () => withCancellableProgress(l10n.t('Deleting subscription {0}…', subscriptionId), (signal) => calls.delete(wf.workflowId, subscriptionId, signal)));
  deps.log.info(`Deleted subscription ${subscriptionId} of workflow ${wf.workflowId}`);
  refreshWorkflowRow(deps, wf);
  void showInformation(l10n.t('Subscription {0} of workflow {1} deleted.', subscriptionId, wf.workflowName));
}
