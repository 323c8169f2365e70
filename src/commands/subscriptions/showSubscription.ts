// Show Subscription: the workflow's subscription as a read-only details document.

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { safeL10n } from '../../common/safeText';
import { orGone, pickSubscriptionId, subscriptionTarget, type SubscriptionCommandDeps } from './subscriptionTargets';

const l10n = safeL10n(vscode.l10n);

export function showSubscriptionCommand(deps: SubscriptionCommandDeps): CommandSpec {
  return { id: COMMAND.subscriptionShow, title: vscode.l10n.t('Show Subscription'), run: (arg) => showSubscription(deps, arg) };
}

export async function showSubscription(deps: SubscriptionCommandDeps, arg: unknown): Promise<void> {
  const wf = await subscriptionTarget(deps, arg, l10n.t('Show the subscription of which workflow?'));
  const subscriptionId = await pickSubscriptionId(wf);
  await orGone(deps, wf, subscriptionId, () => deps.explorer.showDetails({ kind: 'subscription', workflowId: wf.workflowId, subscriptionId }));
}
