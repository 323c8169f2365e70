// The text of the dashboard webview (dist/webview/dashboardView.js), which has no l10n of its own: the extension
// translates these and sends them with `init`; the view looks each English string up, keeping it when absent.
// One literal l10n.t('…') per string, so that the l10n extraction and the Chinese bundle's test see them.

import type * as vscode from 'vscode';

/** The part of vscode.l10n used here (a stand-in in tests). */
export type DashboardViewL10n = Pick<typeof vscode.l10n, 't'>;

export function dashboardViewStrings(l10n: { t(message: string, ...args: (string | number)[]): string }): Record<string, string> {
  return {
    'Copy as CSV': l10n.t('Copy as CSV'),
    'Show Table': l10n.t('Show Table'),
    'Hide Table': l10n.t('Hide Table'),
    '{0}: {1} points': l10n.t('{0}: {1} points'),
    '{0}: {1} series, {2} points': l10n.t('{0}: {1} series, {2} points'),
    'Drawn from {0} of {1} points; the table and the CSV have them all.': l10n.t('Drawn from {0} of {1} points; the table and the CSV have them all.'),
    'Showing the last {0} of {1} rows.': l10n.t('Showing the last {0} of {1} rows.'),
    'Live': l10n.t('Live'),
    'Ended': l10n.t('Ended'),
    'Tags': l10n.t('Tags'),
    'Resources': l10n.t('Resources'),
    'Task': l10n.t('Task'),
    'Time': l10n.t('Time'),
    'Waiting for data…': l10n.t('Waiting for data…'),
    'Training curves': l10n.t('Training curves'),
    'No training curves in the log yet.': l10n.t('No training curves in the log yet.'),
    'Step': l10n.t('Step'),
    'Epoch': l10n.t('Epoch'),
    'Log line': l10n.t('Log line'),
    'Timeline': l10n.t('Timeline'),
    'Phases': l10n.t('Phases'),
    'Events': l10n.t('Events'),
    'No phases or events yet.': l10n.t('No phases or events yet.'),
    'No events yet.': l10n.t('No events yet.'),
    'Showing the newest {0} of {1} events.': l10n.t('Showing the newest {0} of {1} events.'),
    'Info': l10n.t('Info'),
    'Warning': l10n.t('Warning'),
    'Error': l10n.t('Error'),
    'Compare Training Jobs': l10n.t('Compare Training Jobs'),
    'Compare Specs': l10n.t('Compare Specs'),
    'Summary': l10n.t('Summary'),
    'Job': l10n.t('Job'),
    'No training curves in the logs yet.': l10n.t('No training curves in the logs yet.'),
  };
}
