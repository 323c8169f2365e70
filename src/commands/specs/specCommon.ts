// What the spec commands share: the hint written into specs, the format pick, opening a spec document and a
// cancellable progress.

import * as vscode from 'vscode';
import type { Redactor } from '../../api/redact';
import type { ActionDeps } from '../actionDeps';
import { CancelledByUser } from '../registry';
import { pickText, safeL10n } from '../../common/safeText';
import { showPick, withNotificationProgress, type Said } from '../../common/safeUi';
import { formatSpec, type SpecFormat } from './spec';
import type { SpecDiagnostics } from './specDiagnostics';

/** Sentences with values from the service or a spec file, made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

/** What the spec commands use of the extension, plus the checker of the Problems panel they share. */
export interface SpecCommandDeps extends ActionDeps {
  readonly diagnostics: SpecDiagnostics;
}

export function submitHint(): string {
  return vscode.l10n.t('Submit with "ModelArts: Submit Training Job" from the Command Palette.');
}

export async function pickFormat(title: Said<'label'>): Promise<SpecFormat> {
  const pick = await showPick(
    [
      { label: pickText('YAML'), description: pickText('.modelarts-job.yaml'), format: 'yaml' as const },
      { label: pickText('JSON'), description: pickText('.modelarts-job.json'), format: 'json' as const },
    ],
    { title, placeHolder: l10n.t('Format of the spec') },
  );
  if (!pick) throw new CancelledByUser();
  return pick.format;
}

/**
 * An untitled spec document, checked in the Problems panel as it is edited; any registered secret (AK, SK,
 * token, app secret) a job echoes is blanked.
 */
export async function openSpecDocument(spec: unknown, format: SpecFormat, redactor: Redactor, diagnostics: SpecDiagnostics): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: format, content: redactor.redact(formatSpec(spec, format, submitHint())) });
  await vscode.window.showTextDocument(document);
  diagnostics.adopt(document);
}

export function withCancel<T>(title: Said<'message'>, run: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return withNotificationProgress({ title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return run(controller.signal);
  });
}
