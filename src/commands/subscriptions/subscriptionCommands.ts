// The subscription commands of a workflow row (and the palette, which asks for the workflow): create from
// typed topic URNs and picked events, show as a read-only details document, update with the current values
// filled in, delete after a modal confirmation. The checks and choices live in subscriptions.ts.

import * as vscode from 'vscode';
import type { Workflow, WorkflowSubscription } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import { CancelledByUser, type CommandSpec } from '../registry';
import { labelText, messageText, pickText, promptText, safeL10n } from '../../common/safeText';
import { setStatusMessage, showInformation, showInput, showPick, showPicks, showWarning, withNotificationProgress, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { WorkflowNode } from '../../explorer/nodes/workflowNode';
import {
  eventPicks,
  subscriptionCalls,
  subscriptionEventChoices,
  subscriptionGoneMessage,
  subscriptionIdsOf,
  subscriptionRequest,
  topicUrnsReason,
  topicUrnsWarning,
  type EventChoice,
} from './subscriptions';
import { COMMAND } from '../ids';

/** Sentences with the service's values (workflow names, subscription ids), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface WorkflowRef {
  workflowId: string;
  workflowName: string;
}

export interface SubscriptionCommandHelpers {
  requireSession(): ActiveSession;
  pickWorkflow(session: ActiveSession, arg: unknown, placeHolder: Said<'label'>): Promise<WorkflowRef>;
  loading<T>(work: () => Promise<T>): Thenable<T>;
}

interface Target extends WorkflowRef {
  session: ActiveSession;
  /** Read afresh: the row's copy may predate the last create or delete. */
  workflow: Workflow;
}

export function createSubscriptionCommands(deps: ActionDeps, helpers: SubscriptionCommandHelpers): CommandSpec[] {
  const target = async (arg: unknown, placeHolder: Said<'label'>): Promise<Target> => {
    const session = helpers.requireSession();
    const ref = await helpers.pickWorkflow(session, arg, placeHolder);
    const workflow = await helpers.loading(() => session.client.workflows.get(ref.workflowId, {}));
    return { ...ref, session, workflow };
  };

  /** Redraws the workflow's row (its subscription changed) when it is loaded in the tree of the same profile. */
  const refreshRow = (target: Target): void => {
    const model = deps.explorer.model;
    if (!model || model.session.profile !== target.session.profile) return;
    for (const node of model.resourceNodes()) if (node instanceof WorkflowNode && node.key === target.workflowId) model.refresh(node);
  };

  /** The workflow's subscription, or a plain note that it has none. */
  const pickSubscriptionId = async (target: Target): Promise<string> => {
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
  };

  /** A subscription or workflow that is gone becomes a plain warning (and a row refresh), not an error toast. */
  const orGone = async <T>(target: Target, subscriptionId: string, work: () => Thenable<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const gone = subscriptionGoneMessage(error, { subscriptionId, workflowName: target.workflowName }, vscode.l10n);
      if (gone === undefined) throw error;
      deps.log.info(`Subscription ${subscriptionId} of workflow ${target.workflowId}: ${gone}`);
      refreshRow(target);
      void showWarning(messageText(gone));
      throw new CancelledByUser();
    }
  };

  const askTopics = async (title: Said<'label'>, value: string): Promise<string> => {
    const text = await showInput({
      title,
      prompt: l10n.t('SMN topic URNs, separated by commas (urn:smn:<region>:<project id>:<topic name>)'),
      placeHolder: labelText('urn:smn:cn-north-4:0123456789abcdef:my-topic'),
      value,
      ignoreFocusOut: true,
      validateInput: (input) => {
        // What was typed (or prefilled from the service) is quoted in these: made inert.
        const reason = topicUrnsReason(input, vscode.l10n);
        if (reason !== undefined) return promptText(reason);
        const warning = topicUrnsWarning(input, vscode.l10n);
        return warning === undefined ? undefined : { message: promptText(warning), severity: vscode.InputBoxValidationSeverity.Warning };
      },
    });
    if (text === undefined) throw new CancelledByUser();
    return text;
  };

  const askEvents = async (title: Said<'label'>, choices: readonly EventChoice[], current: readonly string[]): Promise<string[]> => {
    const items = eventPicks(choices, current).map((c) => ({
      label: pickText(c.event),
      description: c.target === '*' ? l10n.t('the whole workflow') : l10n.t('step {0}', c.target),
      picked: c.picked,
      event: c.event,
    }));
    const picked = await showPicks(items, {
      title,
      placeHolder: l10n.t('Events to be notified of'),
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (picked === undefined) throw new CancelledByUser();
    if (picked.length === 0) {
      void showInformation(l10n.t('No event picked: nothing was sent.'));
      throw new CancelledByUser();
    }
    return picked.map((p) => p.event);
  };

  const progress = <T>(title: Said<'message'>, work: (signal: AbortSignal) => Promise<T>): Thenable<T> =>
    withNotificationProgress({ title, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      if (token.isCancellationRequested) controller.abort();
      else token.onCancellationRequested(() => controller.abort());
      return work(controller.signal);
    });

  const offerCopy = async (message: Said<'message'>, id: string): Promise<void> => {
    const copyId = l10n.t('Copy ID');
    if ((await showInformation(message, copyId)) !== copyId) return;
    await vscode.env.clipboard.writeText(id);
    setStatusMessage(l10n.t('Copied: {0}', id), 3000);
  };

  return [
    {
      id: COMMAND.subscriptionCreate,
      title: vscode.l10n.t('Create Subscription'),
      run: async (arg) => {
        const wf = await target(arg, l10n.t('Subscribe to which workflow?'));
        const topics = await askTopics(l10n.t('Create Subscription for {0} (1/2)', wf.workflowName), '');
        const events = await askEvents(l10n.t('Create Subscription for {0} (2/2)', wf.workflowName), subscriptionEventChoices(wf.workflow), []);
        const request = subscriptionRequest(topics, events, vscode.l10n);
        const calls = subscriptionCalls(wf.session.client.workflows);
        const created = await progress(l10n.t('Creating a subscription for {0}…', wf.workflowName), (signal) => calls.create(wf.workflowId, request, signal));
        deps.log.info(`Created subscription ${created.subscription_id} of workflow ${wf.workflowId}: ${created.events.join(' ')}`);
        refreshRow(wf);
        await offerCopy(l10n.t('Subscription {0} created for workflow {1}.', created.subscription_id, wf.workflowName), created.subscription_id);
      },
    },
    {
      id: COMMAND.subscriptionShow,
      title: vscode.l10n.t('Show Subscription'),
      run: async (arg) => {
        const wf = await target(arg, l10n.t('Show the subscription of which workflow?'));
        const subscriptionId = await pickSubscriptionId(wf);
        await orGone(wf, subscriptionId, () => deps.explorer.showDetails({ kind: 'subscription', workflowId: wf.workflowId, subscriptionId }));
      },
    },
    {
      id: COMMAND.subscriptionUpdate,
      title: vscode.l10n.t('Update Subscription'),
      run: async (arg) => {
        const wf = await target(arg, l10n.t('Update the subscription of which workflow?'));
        const subscriptionId = await pickSubscriptionId(wf);
        const calls = subscriptionCalls(wf.session.client.workflows);
        const current: WorkflowSubscription = await orGone(wf, subscriptionId, () => helpers.loading(() => calls.get(wf.workflowId, subscriptionId)));
        const topics = await askTopics(l10n.t('Update Subscription {0} (1/2)', subscriptionId), current.topic_urns.join(', '));
        const events = await askEvents(l10n.t('Update Subscription {0} (2/2)', subscriptionId), subscriptionEventChoices(wf.workflow), current.events);
        const request = subscriptionRequest(topics, events, vscode.l10n, current.entity);
        const updated = await orGone(wf, subscriptionId, () =>
          progress(l10n.t('Updating subscription {0}…', subscriptionId), (signal) => calls.update(wf.workflowId, subscriptionId, request, signal)),
        );
        deps.log.info(`Updated subscription ${subscriptionId} of workflow ${wf.workflowId}: ${updated.events.join(' ')}`);
        void showInformation(l10n.t('Subscription {0} of workflow {1} updated.', subscriptionId, wf.workflowName));
      },
    },
    {
      id: COMMAND.subscriptionDelete,
      title: vscode.l10n.t('Delete Subscription'),
      run: async (arg) => {
        const wf = await target(arg, l10n.t('Delete the subscription of which workflow?'));
        const subscriptionId = await pickSubscriptionId(wf);
        const remove = l10n.t('Delete');
        const answer = await showWarning(
          l10n.t('Delete subscription {0} of workflow {1}?', subscriptionId, wf.workflowName),
          { modal: true, detail: l10n.t('Its topics are no longer notified of the workflow events.') },
          remove,
        );
        if (answer !== remove) throw new CancelledByUser();
        const calls = subscriptionCalls(wf.session.client.workflows);
        await orGone(wf, subscriptionId, () => progress(l10n.t('Deleting subscription {0}…', subscriptionId), (signal) => calls.delete(wf.workflowId, subscriptionId, signal)));
        deps.log.info(`Deleted subscription ${subscriptionId} of workflow ${wf.workflowId}`);
        refreshRow(wf);
        void showInformation(l10n.t('Subscription {0} of workflow {1} deleted.', subscriptionId, wf.workflowName));
      },
    },
  ];
}
