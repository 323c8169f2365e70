// Shared pieces of a resource row: icon by status (or a warning when the item is malformed), the
// contextValue tags and the label.

import type * as vscode from 'vscode';
import { contextValue } from '../ids';
import { PROBLEM_LOOK, stateTag, statusLook, type ResourceKind } from '../status';

export function hasProblems(item: { problems?: string[] }): boolean {
  return item.problems !== undefined && item.problems.length > 0;
}

/** The status icon; a malformed item shows a warning instead (its tooltip lists the problems). */
export function rowIcon(kind: ResourceKind, status: string | undefined, item: { problems?: string[] }): { id: string; color?: string } {
  if (hasProblems(item)) return { id: PROBLEM_LOOK.icon, color: PROBLEM_LOOK.color };
  const look = statusLook(kind, status);
  return look.color === undefined ? { id: look.icon } : { id: look.icon, color: look.color };
}

/**
 * What a screen reader says for a malformed row, whose warning icon is otherwise the only sign of it: the
 * label, the status, then that the item has problems. Undefined for a sound row (label and status suffice).
 */
export function problemsAccessibilityLabel(label: string, description: string | undefined, item: { problems?: string[] }, l10n: typeof vscode.l10n): string | undefined {
  if (!hasProblems(item)) return undefined;
  return [label, description, l10n.t('has problems (see the tooltip)')].filter(Boolean).join(', ');
}

/** `;resource;<kind>;<state>;[refreshable;][malformed;][ssh;]` */
export function resourceContext(kind: ResourceKind, status: string | undefined, options: { refreshable: boolean; malformed: boolean; ssh?: boolean }): string {
  return contextValue('resource', kind, stateTag(status), options.refreshable && 'refreshable', options.malformed && 'malformed', options.ssh === true && 'ssh');
}

/** The name, else the id, else "(unnamed)". */
export function displayName(name: string | undefined, id: string, l10n: typeof vscode.l10n): string {
  return name !== undefined && name !== '' ? name : id !== '' ? id : l10n.t('(unnamed)');
}
