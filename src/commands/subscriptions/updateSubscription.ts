// Update Subscription: the same two questions as Create, with the current values filled in.

import * as vscode from 'vscode';
import type { WorkflowSubscription } from '../../api/types';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { loading } from '../workflows/workflowTargets';
import { askEvents, askTopics } from './subscriptionPrompts';
import { subscriptionCalls, subscriptionEventChoices, subscriptionRequest } from './subscriptions';
import { orGone, pickSubscriptionId, subscriptionTarget, withCancellableProgress, type SubscriptionCommandDeps } from './subscriptionTargets';

/** Sentences with the service's values (workflow names, subscription ids), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function updateSubscriptionCommand(deps: SubscriptionCommandDeps): CommandSpec {
  return { id: COMMAND.subscriptionUpdate, title: vscode.l10n.t('Update Subscription'), run: (arg) => updateSubscription(deps, arg) };
}

export async function updateSubscription(deps: SubscriptionCommandDeps, arg: unknown): Promise<void> {
  const wf = await subscriptionTarget(deps, arg, l10n.t('Update the subscription of which workflow?'));
  const subscriptionId = await pickSubscriptionId(wf);
  const calls = subscriptionCalls(wf.session.client.workflows);
  const current: WorkflowSubscription = await orGone(deps, wf, subscriptionId, () => loading(() => calls.get(wf.workflowId, subscriptionId)));
  const topics = await askTopics(l10n.t('Update Subscription {0} (1/2)', subscriptionId), current.topic_urns.join(', '));
  const events = await askEvents(l10n.t('Update Subscription {0} (2/2)', subscriptionId), subscriptionEventChoices(wf.workflow), current.events);
  const request = subscriptionRequest(topics, events, vscode.l10n, current.entity);
  const updated = await orGone(deps, wf, subscriptionId, () =>
    withCancellableProgress(l10n.t('Updating subscription {0}…', subscriptionId), (signal) => calls.update(wf.workflowId, subscriptionId, request, signal)),
  );
  deps.log.info(`Updated subscription ${subscriptionId} of workflow ${wf.workflowId}: ${updated.events.join(' ')}`);
  void showInformation(l10n.t('Subscription {0} of workflow {1} updated.', subscriptionId, wf.workflowName));
}
