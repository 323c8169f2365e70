import * as vscode from 'vscode';

// The extension's settings, typed in one place (names, defaults and scopes as package.json declares them).

export const SETTINGS_SECTION = 'modelarts';

export type PageSize = 10 | 20 | 50;

export interface Settings {
  region: string;
  /** Empty: looked up from IAM. */
  projectId: string;
  /** Machine-scoped; empty: the region's default. */
  endpoint: string;
  /** Machine-scoped; empty: the region's default. */
  iamEndpoint: string;
  /** Machine-scoped; empty: the region's default. */
  obsEndpoint: string;
  pageSize: PageSize;
  refreshIntervalSeconds: number;
  logsMaxLines: number;
  /** Regular expressions read from training logs besides the built-in forms (src/watch/logMetrics.ts). */
  dashboardMetricPatterns: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = {
  region: 'cn-north-4',
  projectId: '',
  endpoint: '',
  iamEndpoint: '',
  obsEndpoint: '',
  pageSize: 20,
  refreshIntervalSeconds: 5,
  logsMaxLines: 10_000,
  dashboardMetricPatterns: [],
};

function pageSizeOf(value: unknown): PageSize {
  return value === 10 || value === 20 || value === 50 ? value : DEFAULT_SETTINGS.pageSize;
}

function numberAtLeast(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

/** The strings of an array setting; anything else in it is left out (the settings editor flags it). */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value.trim() : fallback;
}

/**
 * Reads the settings. The endpoints are read from the user/machine value only (`globalValue`), never from a
 * workspace: a folder's `.vscode/settings.json` must not redirect credentials.
 */
export function readSettings(config: vscode.WorkspaceConfiguration = vscode.workspace.getConfiguration(SETTINGS_SECTION)): Settings {
  const machineOnly = (key: string): string => text(config.inspect<string>(key)?.globalValue, '');
  return {
    region: text(config.get('region'), DEFAULT_SETTINGS.region) || DEFAULT_SETTINGS.region,
    projectId: text(config.get('projectId'), ''),
    endpoint: machineOnly('endpoint'),
    iamEndpoint: machineOnly('iamEndpoint'),
    obsEndpoint: machineOnly('obsEndpoint'),
    pageSize: pageSizeOf(config.get('pageSize')),
    refreshIntervalSeconds: numberAtLeast(config.get('refresh.intervalSeconds'), 2, DEFAULT_SETTINGS.refreshIntervalSeconds),
    logsMaxLines: numberAtLeast(config.get('logs.maxLines'), 100, DEFAULT_SETTINGS.logsMaxLines),
    dashboardMetricPatterns: strings(config.get('dashboard.metricPatterns')),
  };
}

/** Fires when any ModelArts setting changes. */
export function onDidChangeSettings(listener: (settings: Settings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) listener(readSettings());
  });
}
