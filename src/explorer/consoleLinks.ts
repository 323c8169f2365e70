// "Open in Console": every console route in one table, so they are easy to correct. The routes come from
// public material, not Huawei's API reference; older consoles used `#/trainingJobs` and `#/notebook`.

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
