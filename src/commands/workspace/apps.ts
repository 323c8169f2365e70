// APIG app creation: input checks and the create call that hands the AppKey/AppSecret to the caller once,
// registered with the redactor before anything else can see them. No vscode here.

import type * as vscode from 'vscode';
import type { ModelArtsClient } from '../../api/client';
import type { Logger } from '../../api/log';
import type { Redactor } from '../../api/redact';
import type { App } from '../../api/types';
import { validateAppName, validateAppRemark } from '../../api/validate';

/** The translated reason an app name cannot be sent (the rule is validate.ts's). */
export function appNameReason(name: string, l10n: typeof vscode.l10n): string | undefined {
  if (validateAppName(name) === undefined) return undefined;
  if (name === '') return l10n.t('The app name is required.');
  const length = [...name].length;
  if (length < 3 || length > 64) return l10n.t('The app name must be 3 to 64 characters long.');
  return l10n.t('The app name must start with a letter and contain only letters, digits and "_".');
}

export function appRemarkReason(remark: string, l10n: typeof vscode.l10n): string | undefined {
  return validateAppRemark(remark) === undefined ? undefined : l10n.t('The description is longer than {0} characters.', 200);
}

export interface AppCredentials {
  appKey?: string;
  appSecret?: string;
}

export interface CreatedApp {
  /** The app without its key and secret: safe to log, show or keep. */
  app: Omit<App, 'app_key' | 'app_secret'>;
  /** Shown once, copied on request, kept nowhere. */
  credentials: AppCredentials;
}

/**
 * Creates the app. The key and secret are added to the redactor before this returns, so no later log line,
 * error or document can echo them; the app handed back carries neither.
 */
export async function createApp(
  client: ModelArtsClient,
  request: { name: string; remark?: string; workspaceId?: string },
  deps: { redactor: Redactor; log: Logger },
  signal?: AbortSignal,
): Promise<CreatedApp> {
  const created = await client.apps.create(
    { app_name: request.name, ...(request.remark ? { app_remark: request.remark } : {}), ...(request.workspaceId ? { workspace_id: request.workspaceId } : {}) },
    signal,
  );
  const { app_key: appKey, app_secret: appSecret, ...app } = created;
  deps.redactor.add(appKey);
  deps.redactor.add(appSecret);
  deps.log.info(`Created app ${app.app_name} (${app.app_id}) in workspace ${request.workspaceId ?? '0'}`);
  return { app, credentials: { ...(appKey ? { appKey } : {}), ...(appSecret ? { appSecret } : {}) } };
}
