// "Open in Console": every console route in one table, so they are easy to correct. The routes come from
// public material, not Huawei's API reference; older consoles used `#/trainingJobs` and `#/notebook`.
// In demo mode nothing is opened: the demo's resources exist only in the emulator on this computer.

import type * as vscode from 'vscode';

export type ConsoleTarget =
  | { kind: 'dashboard' }
  | { kind: 'trainingJobs' }
  | { kind: 'trainingJob'; jobId: string }
  | { kind: 'notebooks' }
  | { kind: 'workflows' };

export const CONSOLE_BASE = 'https://console.huaweicloud.com/modelarts/';

type RouteTable = { [K in ConsoleTarget['kind']]: (target: Extract<ConsoleTarget, { kind: K }>) => string };

export const CONSOLE_ROUTES: RouteTable = {
  dashboard: () => 'dashboard',
  trainingJobs: () => 'training',
  trainingJob: (t) => `training/detail/${encodeURIComponent(t.jobId)}`,
  // No route is known for one notebook: its list page is the nearest.
  notebooks: () => 'dev-container',
  // No route is known for workflows, their executions or steps: the dashboard is the nearest page.
  workflows: () => 'dashboard',
};

export function consoleRoute(target: ConsoleTarget): string {
  const route = CONSOLE_ROUTES[target.kind] as (t: ConsoleTarget) => string;
  return route(target);
}

/** `https://console.huaweicloud.com/modelarts/?region=<region>#/<route>` */
export function consoleUrl(region: string, target: ConsoleTarget): string {
  return `${CONSOLE_BASE}?region=${encodeURIComponent(region)}#/${consoleRoute(target)}`;
}

export interface ConsoleOpener {
  openExternal(url: string): PromiseLike<unknown>;
  /** An information message with nothing to click. */
  inform(message: string): void;
  l10n: typeof vscode.l10n;
}

/** Opens the console page of `target`; in demo mode says why there is none instead. */
export async function openInConsole(session: { region: string; demo: boolean }, target: ConsoleTarget, opener: ConsoleOpener): Promise<void> {
  const { l10n } = opener;
  if (session.demo) {
    opener.inform(l10n.t('The demo has no console page: its resources exist only in the built-in emulator on this computer, not in Huawei Cloud.'));
    return;
  }
  await opener.openExternal(consoleUrl(session.region, target));
}
