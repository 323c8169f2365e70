// What the subscription commands act on: the workflow of the row (read afresh) or one picked, and its
// subscription; with the row refresh, the gone-resource handling and the progress they share.

import * as vscode from 'vscode';
import type { Workflow } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { requireSession } from '../prompts';
import { CancelledByUser } from '../registry';
import { messageText, pickText, safeL10n } from '../../common/safeText';
import { showInformation, showPick, showWarning, withNotificationProgress, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { WorkflowNode } from '../../explorer/nodes/workflowNode';
import { loading, pickWorkflow, type WorkflowRef } from '../workflows/workflowTargets';
import { subscriptionGoneMessage, subscriptionIdsOf } from './subscriptions';

/** Sentences with the service's values (workflow names, subscription ids), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** What the subscription commands use of the extension. */
export type SubscriptionCommandDeps = Pick<ActionDeps, 'sessions' | 'explorer' | 'log'>;

export interface SubscriptionTarget extends WorkflowRef {
  session: ActiveSession;
  /** Read afresh: the row's copy may predate the last create or delete. */
  workflow: Workflow;
}

export async function subscriptionTarget(deps: SubscriptionCommandDeps, arg: unknown, placeHolder: Said<'label'>): Promise<SubscriptionTarget> {
  const session = requireSession(deps.sessions);
  const ref = await pickWorkflow(session, arg, placeHolder);
  const workflow = await loading(() => session.client.workflows.get(ref.workflowId, {}));
  return { ...ref, session, workflow };
}

/** Redraws the workflow's row (its subscription changed) when it is loaded in the tree of the same profile. */
export function refreshWorkflowRow(deps: Pick<ActionDeps, 'explorer'>, target: SubscriptionTarget): void {
  const model = deps.explorer.model;
  if (!model || model.session.profile !== target.session.profile) return;
  for (const node of model.resourceNodes()) if (node instanceof WorkflowNode && node.key === target.workflowId) model.refresh(node);
}

/** The workflow's subscription, or a plain note that it has none. */
export async function pickSubscriptionId(target: SubscriptionTarget): Promise<string> {
  const ids = subscriptionIdsOf(target.workflow);
  const [only] = ids;
  if (only === undefined) {
    void showInformation(l10n.t('Workflow {0} has no subscription.', target.workflowName));
    throw new CancelledByUser();
  }
  if (ids.length === 1) return only;
  const pick = await showPick(
    ids.map((id) => ({ label: pickText(id), id })),
    { placeHolder: l10n.t('Which subscription of {0}?', target.workflowName) },
  );
  if (pick === undefined) throw new CancelledByUser();
  return pick.id;
}

/** A subscription or workflow that is gone becomes a plain warning (and a row refresh), not an error toast. */
export async function orGone<T>(deps: SubscriptionCommandDeps, target: SubscriptionTarget, subscriptionId: string, work: () => Thenable<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const gone = subscriptionGoneMessage(error, { subscriptionId, workflowName: target.workflowName }, vscode.l10n);
    if (gone === undefined) throw error;
    deps.log.info(`Subscription ${subscriptionId} of workflow ${target.workflowId}: ${gone}`);
    refreshWorkflowRow(deps, target);
    void showWarning(messageText(gone));
    throw new CancelledByUser();
  }
}

export const withCancellableProgress = <T>(title: Said<'message'>, work: (signal: AbortSignal) => Promise<T>): Thenable<T> =>
  withNotificationProgress({ title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    else token.onCancellationRequested(() => controller.abort());
    return work(controller.signal);
  });
