// Create Subscription: typed topic URNs and picked events; the new id offered for copying.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { setStatusMessage, showInformation, type Said } from '../../common/safeUi';
import { askEvents, askTopics } from './subscriptionPrompts';
import { subscriptionCalls, subscriptionEventChoices, subscriptionRequest } from './subscriptions';
import { refreshWorkflowRow, subscriptionTarget, withCancellableProgress, type SubscriptionCommandDeps } from './subscriptionTargets';

/** Sentences with the service's values (workflow names, subscription ids), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function createSubscriptionCommand(deps: SubscriptionCommandDeps): CommandSpec {
  return { id: COMMAND.subscriptionCreate, title: vscode.l10n.t('Create Subscription'), run: (arg) => createSubscription(deps, arg) };
}

export async function createSubscription(deps: SubscriptionCommandDeps, arg: unknown): Promise<void> {
  const wf = await subscriptionTarget(deps, arg, l10n.t('Subscribe to which workflow?'));
  const topics = await askTopics(l10n.t('Create Subscription for {0} (1/2)', wf.workflowName), '');
  const events = await askEvents(l10n.t('Create Subscription for {0} (2/2)', wf.workflowName), subscriptionEventChoices(wf.workflow), []);
  const request = subscriptionRequest(topics, events, vscode.l10n);
  const calls = subscriptionCalls(wf.session.client.workflows);
  const created = await withCancellableProgress(l10n.t('Creating a subscription for {0}…', wf.workflowName), (signal) => calls.create(wf.workflowId, request, signal));
  deps.log.info(`Created subscription ${created.subscription_id} of workflow ${wf.workflowId}: ${created.events.join(' ')}`);
  refreshWorkflowRow(deps, wf);
  await offerCopy(l10n.t('Subscription {0} created for workflow {1}.', created.subscription_id, wf.workflowName), created.subscription_id);
}

async function offerCopy(message: Said<'message'>, id: string): Promise<void> {
  const copyId = l10n.t('Copy ID');
  if ((await showInformation(message, copyId)) !== copyId) return;
  await vscode.env.clipboard.writeText(id);
  setStatusMessage(l10n.t('Copied: {0}', id), 3000);
}
