// Download Full Log as the extension bundle holds it: the command, which picks the job and task here (the tree
// rows are this bundle's classes) and hands plain data to the feature, a bundle of its own
// (dist/dashboardFeature.js) loaded on first use.

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import type { CommandSpec } from '../registry';
import { pickTask, resolveJob } from '../training/jobTargets';

export interface DashboardShell {
  readonly commands: CommandSpec[];
  dispose(): void;
}

export function createDashboardShell(deps: ActionDeps): DashboardShell {
  const commands: CommandSpec[] = [
    {
      id: COMMAND.trainingJobDownloadLog,
      title: vscode.l10n.t('Download Full Log'),
      run: async (arg) => {
        const target = await resolveJob(deps, arg);
        const task = await pickTask(target);
        const { id, name } = target.job.metadata;
        // Node caches the bundle once loaded; the feature itself holds no state.
        const { createDashboardFeature } = await import('./dashboardFeature');
        return createDashboardFeature(deps).downloadLog({ session: target.session, jobId: id, jobName: name || id, task });
      },
    },
  ];
  return { commands, dispose: () => undefined };
}
