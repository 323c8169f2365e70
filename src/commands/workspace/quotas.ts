// Workspace quotas: the QuickPick rows, the input check and the update. No vscode here, so the rules run
// in plain Node tests against the emulator.

import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../../api/client';
import type { WorkspaceQuota } from '../../api/types';
import { ensureValid, validateQuotaValue } from '../../api/validate';

export interface QuotaChoice {
  label: string;
  description: string;
  detail: string;
  quota: WorkspaceQuota;
}

/** -1 (unlimited) is allowed only where the quota's own minimum is -1 (or no minimum is given). */
export function allowsUnlimited(quota: WorkspaceQuota): boolean {
  return quota.min_quota === undefined || quota.min_quota <= -1;
}

function limitText(value: number | undefined, l10n: typeof vscode.l10n): string {
  if (value === undefined) return '?';
  return value < 0 ? l10n.t('unlimited') : String(value);
}

/** label = English name (or resource), description `used / quota unit`, detail the allowed range. */
export function quotaChoices(quotas: readonly WorkspaceQuota[], l10n: typeof vscode.l10n): QuotaChoice[] {
  return quotas.map((quota) => {
    const used = quota.used_quota === undefined || quota.used_quota === null ? '–' : String(quota.used_quota);
    const unit = quota.unit_en ? ` ${quota.unit_en}` : '';
    const min = allowsUnlimited(quota) ? Math.max(quota.min_quota ?? 1, 1) : (quota.min_quota ?? 1);
    const range = l10n.t('{0} – {1}', min, limitText(quota.max_quota, l10n));
    return {
      label: quota.name_en || quota.resource,
      description: `${used} / ${limitText(quota.quota, l10n)}${unit}`,
      detail: allowsUnlimited(quota) ? l10n.t('Allowed: {0}, or -1 for unlimited', range) : l10n.t('Allowed: {0}', range),
      quota,
    };
  });
}

/** The reason a typed value cannot be sent, translated; undefined when it can. */
export function quotaInputReason(text: string, quota: WorkspaceQuota, l10n: typeof vscode.l10n): string | undefined {
  const unlimited = allowsUnlimited(quota);
  // validate.ts is the rule; the messages here are the translated form of its refusals.
  if (validateQuotaValue(text, quota, unlimited) === undefined) return undefined;
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    return unlimited ? l10n.t('Enter a whole number, or -1 for unlimited.') : l10n.t('Enter a whole number.');
  }
  const n = Number(trimmed);
  if (n === -1) return l10n.t('This quota cannot be unlimited (-1).');
  const min = Math.max(quota.min_quota ?? 1, 1);
  const max = quota.max_quota !== undefined && quota.max_quota >= 0 ? quota.max_quota : undefined;
  if (max === undefined) return l10n.t('Enter a whole number of at least {0}.', min);
  return unlimited ? l10n.t('Enter a whole number from {0} to {1}, or -1 for unlimited.', min, max) : l10n.t('Enter a whole number from {0} to {1}.', min, max);
}

/**
 * Sends one quota's new value (checked again against the current limits by the client, so a bad value is
 * never sent) and answers the quota as the service now has it.
 */
export async function updateQuota(
  client: ModelArtsClient,
  workspaceId: string,
  quota: WorkspaceQuota,
  value: number,
  signal?: AbortSignal,
): Promise<WorkspaceQuota> {
  // The client allows -1 everywhere; this quota's minimum may not.
  ensureValid(validateQuotaValue(value, quota, allowsUnlimited(quota)));
  const updated = await client.workspaces.updateQuotas(workspaceId, [{ resource: quota.resource, quota: value }], { current: [quota] }, signal);
  return updated.find((q) => q.resource === quota.resource) ?? { ...quota, quota: value };
}

/** `-1` shows as "unlimited", anything else as the number with its unit. */
export function quotaValueText(quota: WorkspaceQuota, value: number, l10n: typeof vscode.l10n): string {
  if (value < 0) return l10n.t('unlimited');
  return quota.unit_en ? `${value} ${quota.unit_en}` : String(value);
}
