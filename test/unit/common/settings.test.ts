import '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { DEFAULT_SETTINGS, readSettings } from '../../../src/common/settings';

// Settings as the extension reads them: typed, with defaults for values of the wrong type.

function configWith(values: Record<string, unknown>): vscode.WorkspaceConfiguration {
  return {
    get: (key: string) => values[key],
    inspect: (key: string) => ({ key, globalValue: values[key] }),
  } as unknown as vscode.WorkspaceConfiguration;
}

describe('readSettings', () => {
  it('reads the metric patterns, keeping only the strings', () => {
    assert.deepEqual(readSettings(configWith({})).dashboardMetricPatterns, []);
    assert.deepEqual(DEFAULT_SETTINGS.dashboardMetricPatterns, []);
    assert.deepEqual(readSettings(configWith({ 'dashboard.metricPatterns': ['a=(?<a_loss>\\d)', 7, null, 'b'] })).dashboardMetricPatterns, ['a=(?<a_loss>\\d)', 'b']);
    assert.deepEqual(readSettings(configWith({ 'dashboard.metricPatterns': 'loss=(?<loss>\\d)' })).dashboardMetricPatterns, []);
  });
});
