// Update Quota: pick a quota of a workspace, type a value checked against its min/max, PUT it.

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import { askText, pickOne, requireSession } from '../prompts';
import type { CommandSpec } from '../registry';
import { pickText, promptText, safeL10n } from '../../common/safeText';
import { showInformation, withNotificationProgress, withWindowProgress } from '../../common/safeUi';
import { pickWorkspace, workspaceNodeOf } from './pickers';
import { quotaChoices, quotaInputReason, quotaValueText, updateQuota as putQuota } from './quotas';

/** Sentences with the service's values (names, quotas), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** What the workspace commands use of the extension. */
export type WorkspaceCommandDeps = Pick<ActionDeps, 'sessions' | 'explorer' | 'log' | 'redactor'>;

export function updateQuotaCommand(deps: WorkspaceCommandDeps): CommandSpec {
  return { id: COMMAND.workspaceUpdateQuota, title: vscode.l10n.t('Update Quota'), run: (arg) => updateQuota(deps, arg) };
}

async function updateQuota(deps: WorkspaceCommandDeps, arg: unknown): Promise<void> {
  const session = requireSession(deps.sessions);
  const ws = await pickWorkspace(deps, session, arg, l10n.t('Workspace whose quota to update'));
  const quotas = await withWindowProgress(l10n.t('Reading the quotas of {0}…', ws.name || ws.id), () => session.client.workspaces.getQuotas(ws.id));
  if (quotas.length === 0) {
    void showInformation(l10n.t('Workspace {0} has no quotas to update.', ws.name || ws.id));
    return;
  }
  const picked = await pickOne(
    quotaChoices(quotas, vscode.l10n).map((choice) => ({ label: pickText(choice.label), description: pickText(choice.description), detail: pickText(choice.detail), choice })),
    {
      title: l10n.t('Update Quota'),
      placeHolder: l10n.t('Quota of {0} to update', ws.name || ws.id),
      matchOnDescription: true,
      matchOnDetail: true,
    },
  );
  const { quota, label, detail } = picked.choice;
  const text = await askText({
    title: l10n.t('Update Quota: {0}', label),
    prompt: promptText(detail),
    value: quota.quota === undefined ? '' : String(quota.quota),
    validateInput: (value) => {
      const reason = quotaInputReason(value, quota, vscode.l10n);
      return reason === undefined ? undefined : promptText(reason);
    },
  });
  const value = Number(text.trim());
  const updated = await withNotificationProgress(
    { title: l10n.t('Updating quota {0}…', label), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return putQuota(session.client, ws.id, quota, value, controller.signal);
    },
  );
  deps.log.info(`Quota ${quota.resource} of workspace ${ws.id} set to ${updated.quota ?? value}`);
  const node = workspaceNodeOf(deps, ws.id);
  if (node) deps.explorer.model?.refresh(node);
  void showInformation(l10n.t('Quota "{0}" of workspace {1} is now {2}.', label, ws.name || ws.id, quotaValueText(quota, updated.quota ?? value, vscode.l10n)));
}
