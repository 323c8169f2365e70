// Workflow subscriptions (SMN notifications of a workflow's events): the event choices offered for a
// workflow, the checks on typed topic URNs, which subscription a workflow has, and the calls. No vscode here.

import type * as vscode from 'vscode';
import { isModelArtsError } from '../../api/errors';
import type { Workflow, WorkflowSubscription, WorkflowSubscriptionRequest } from '../../api/types';
import { topicUrnWarning, validateSubscriptionEvent, validateTopicUrn } from '../../api/validate';
import type { WorkflowsApi } from '../../api/workflows';

/** Whole-workflow events, as the grammar `<step name or *>:<status>[,<status>…]` writes them. */
export const WORKFLOW_EVENTS: readonly string[] = ['*:failed', '*:completed', '*:failed,completed', '*:stopped'];
/** The statuses offered per step (`stop` is the manual's own spelling: `job_step:stop`). */
export const STEP_EVENT_STATUSES: readonly string[] = ['completed', 'failed', 'stop'];

export interface EventChoice {
  event: string;
  /** `*` for the whole workflow, else the step's name. */
  target: string;
}

/** The events offered for a workflow: the whole-workflow ones, then each step's; only events that validate. */
export function subscriptionEventChoices(workflow: Pick<Workflow, 'steps'>): EventChoice[] {
  const choices: EventChoice[] = WORKFLOW_EVENTS.map((event) => ({ event, target: '*' }));
  const seen = new Set<string>();
  for (const step of workflow.steps ?? []) {
    const name = step.name;
    if (typeof name !== 'string' || name === '' || seen.has(name)) continue;
    seen.add(name);
    for (const status of STEP_EVENT_STATUSES) choices.push({ event: `${name}:${status}`, target: name });
  }
  return choices.filter((c) => validateSubscriptionEvent(c.event) === undefined);
}

/** `a, b,,c ` → `['a', 'b', 'c']`. */
export function parseTopicUrns(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Why the typed topic URNs cannot be sent (translated), or undefined. */
export function topicUrnsReason(text: string, l10n: typeof vscode.l10n): string | undefined {
  const urns = parseTopicUrns(text);
  if (urns.length === 0) return l10n.t('Enter at least one SMN topic URN.');
  const bad = urns.find((urn) => validateTopicUrn(urn) !== undefined);
  return bad === undefined ? undefined : l10n.t("'{0}' is not an SMN topic URN (urn:smn:<region>:<project id>:<topic name>).", bad);
}

/** A note for valid but unusual input: bare topic names instead of full URNs. */
export function topicUrnsWarning(text: string, l10n: typeof vscode.l10n): string | undefined {
  const bare = parseTopicUrns(text).filter((urn) => topicUrnWarning(urn) !== undefined);
  return bare.length === 0 ? undefined : l10n.t('{0}: a topic name, not a full URN (urn:smn:<region>:<project id>:<topic name>); it is sent as typed.', bare.join(', '));
}

/** The request, checked as the API would check it; throws the first reason (translated) before any request. */
export function subscriptionRequest(topicText: string, events: readonly string[], l10n: typeof vscode.l10n, entity?: string): WorkflowSubscriptionRequest {
  const reason = topicUrnsReason(topicText, l10n);
  if (reason !== undefined) throw new Error(reason);
  const badEvent = events.find((e) => validateSubscriptionEvent(e) !== undefined);
  if (badEvent !== undefined) throw new Error(l10n.t("'{0}' is not a subscription event (<step name or *>:<status>[,<status>…]).", badEvent));
  return { topic_urns: parseTopicUrns(topicText), ...(events.length > 0 ? { events: [...events] } : {}), ...(entity ? { entity } : {}) };
}

/** The subscription ids the API gives for a workflow (it names one: `subscription_id`). */
export function subscriptionIdsOf(workflow: Pick<Workflow, 'subscription_id'>): string[] {
  return workflow.subscription_id ? [workflow.subscription_id] : [];
}

/** A plain sentence for a subscription or workflow that is gone (400 ModelArts.7519 / 7512); else undefined. */
export function subscriptionGoneMessage(error: unknown, ids: { subscriptionId: string; workflowName: string }, l10n: typeof vscode.l10n): string | undefined {
  if (!isModelArtsError(error)) return undefined;
  if (error.code === 'ModelArts.7519') return l10n.t('Subscription {0} of workflow {1} no longer exists.', ids.subscriptionId, ids.workflowName);
  if (error.code === 'ModelArts.7512') return l10n.t('Workflow {0} no longer exists.', ids.workflowName);
  return undefined;
}

/** The events of a subscription as prefilled choices: the offered ones, plus any the subscription has beyond them. */
export function eventPicks(choices: readonly EventChoice[], current: readonly string[]): Array<EventChoice & { picked: boolean }> {
  const offered = choices.map((c) => ({ ...c, picked: current.includes(c.event) }));
  const extra = current.filter((e) => !choices.some((c) => c.event === e)).map((event) => ({ event, target: event.split(':')[0] ?? '', picked: true }));
  return [...offered, ...extra];
}

export interface SubscriptionCalls {
  create(workflowId: string, request: WorkflowSubscriptionRequest, signal?: AbortSignal): Promise<WorkflowSubscription>;
  get(workflowId: string, subscriptionId: string, signal?: AbortSignal): Promise<WorkflowSubscription>;
  /** The updated subscription (read back when the service's answer carries none). */
  update(workflowId: string, subscriptionId: string, request: WorkflowSubscriptionRequest, signal?: AbortSignal): Promise<WorkflowSubscription>;
  delete(workflowId: string, subscriptionId: string, signal?: AbortSignal): Promise<void>;
}

export function subscriptionCalls(api: WorkflowsApi): SubscriptionCalls {
  return {
    create: (wf, request, signal) => api.createSubscription(wf, request, signal),
    get: (wf, id, signal) => api.getSubscription(wf, id, signal),
    update: async (wf, id, request, signal) => (await api.updateSubscription(wf, id, request, signal)) ?? api.getSubscription(wf, id, signal),
    delete: (wf, id, signal) => api.deleteSubscription(wf, id, signal),
  };
}
