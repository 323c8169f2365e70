// The two questions of Create and Update Subscription: the SMN topic URNs, then the events.

import * as vscode from 'vscode';
import { CancelledByUser } from '../registry';
import { labelText, pickText, promptText, safeL10n } from '../../common/safeText';
import { showInformation, showInput, showPicks, type Said } from '../../common/safeUi';
import { eventPicks, topicUrnsReason, topicUrnsWarning, type EventChoice } from './subscriptions';

/** Sentences with the service's values (step names), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export async function askTopics(title: Said<'label'>, value: string): Promise<string> {
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
}

export async function askEvents(title: Said<'label'>, choices: readonly EventChoice[], current: readonly string[]): Promise<string[]> {
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
}
