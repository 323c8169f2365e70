// The job dashboard's feature (in dist/dailyLoop.js, with the OBS view and Run on ModelArts), loaded on first use by dashboardShell.ts: the
// dashboard and compare panels (src/dashboard/), and Download Full Log, the whole log of a task through its
// temporary OBS link, saved where the user says, with progress and Cancel, then offered to open.

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { trainingTaskOutput } from '../../api/trainingTaskOutput';
import { abortOn } from '../../common/cancellation';
import { safeL10n } from '../../common/safeText';
import type { ActiveSession } from '../../common/session';
import { showInformation, withNotificationProgress } from '../../common/safeUi';
import { formatBytes } from '../../explorer/obs/obsText';
import type { TrainingJob } from '../../api/types';
import { DashboardPanels } from './dashboardPanels';
import type { ActionDeps } from '../actionDeps';
import type { DashboardHost } from './dashboardShell';
import { downloadFullLog, fullLogFileName } from '../../dashboard/fullLog';

const l10n = safeL10n(vscode.l10n);

export interface DownloadLogInput {
  session: ActiveSession;
  jobId: string;
  jobName: string;
  task: string;
}

export interface DashboardFeature {
  openJob(session: ActiveSession, job: TrainingJob, task?: string): void;
  compare(session: ActiveSession, selected: readonly TrainingJob[], loaded: readonly TrainingJob[]): Promise<void>;
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  downloadLog(input: DownloadLogInput): Promise<string>;
  dispose(): void;
}

function defaultFolder(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
}

export function createDashboardFeature(deps: ActionDeps, host: DashboardHost): DashboardFeature {
  let made: DashboardPanels | undefined;
  const panels = (): DashboardPanels => (made ??= new DashboardPanels(deps, host));
  return {
    openJob: (session, job, task) => panels().openJob(session, job, task),
    compare: (session, selected, loaded) => panels().compare(session, selected, loaded),
    restore: (panel, state) => panels().restore(panel, state),
    dispose: () => made?.dispose(),
    async downloadLog({ session, jobId, jobName, task }) {
      const file = await vscode.window.showSaveDialog({
        saveLabel: vscode.l10n.t('Download'),
        defaultUri: vscode.Uri.joinPath(defaultFolder(), fullLogFileName(jobName, task)),
        filters: { [vscode.l10n.t('Log files')]: ['log', 'txt'] },
      });
      // The extension bundle's CancelledByUser is another class in this bundle: VS Code's own error is the same one.
      if (!file) throw new vscode.CancellationError();
      const bytes = await withNotificationProgress({ title: l10n.t('Downloading the full log of {0} ({1})', jobName, task), cancellable: true }, async (progress, token) => {
        const signal = abortOn(token);
        const link = await trainingTaskOutput(session.client).getLogUrl(jobId, task, signal);
        let shown = 0;
        return downloadFullLog({
          link,
          file: file.fsPath,
          place: { region: session.client.obs.region, endpoint: session.client.obs.endpoint },
          signal,
          redactor: deps.redactor,
          onProgress: (received, total) => {
            const percent = total ? Math.min(100, (received / total) * 100) : 0;
            progress.report({ increment: Math.max(0, percent - shown), message: l10n.t('{0} received', formatBytes(received)) });
            shown = Math.max(shown, percent);
          },
        });
      });
      deps.log.info(`Downloaded the full log of training job ${jobId} (${task}), ${bytes} bytes, to ${file.fsPath}`);
      const open = l10n.t('Open');
      const choice = await showInformation(l10n.t('Saved the full log of {0} ({1}, {2}).', jobName, task, formatBytes(bytes)), open);
      if (choice === open) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
      return file.fsPath;
    },
  };
}
