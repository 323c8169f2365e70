// The job dashboard as the extension bundle holds it: Open Job Dashboard, Compare Training Jobs and Download
// Full Log, which pick the jobs here (the tree rows are this bundle's classes) and hand plain data to the
// feature, in the bundle loaded on first use (dist/dailyLoop.js); and the serializer that brings
// dashboards back after a window reload (registered at activation, the feature loaded only when one returns).

import * as vscode from 'vscode';
import type { TrainingJob } from '../../api/types';
import { TrainingJobNode } from '../../explorer/nodes/trainingJobNode';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import { requireSession } from '../prompts';
import type { CommandSpec } from '../registry';
import { pickTask, resolveJob } from '../training/jobTargets';
import type { JobRef } from '../workspace/pickers';
import type { DashboardFeature } from './dashboardFeature';

/** The webview panels' type: the serializer and the `onWebviewPanel:` activation event name it. */
export const DASHBOARD_VIEW_TYPE = 'modelarts.dashboard';

/** What the feature uses of other features' shells. */
export interface DashboardHost {
  openOutputs(job: JobRef): Promise<unknown>;
}

export interface DashboardShell {
  readonly commands: CommandSpec[];
  dispose(): void;
}

const jobsOf = (nodes: unknown[]): TrainingJob[] => nodes.filter((n): n is TrainingJobNode => n instanceof TrainingJobNode).map((n) => n.item);

export function createDashboardShell(deps: ActionDeps, host: DashboardHost): DashboardShell {
  let feature: Promise<DashboardFeature> | undefined;
  // Node caches the bundle once loaded; the feature holds the open panels.
  const load = (): Promise<DashboardFeature> => (feature ??= import('./dashboardFeature').then((m) => m.createDashboardFeature(deps, host)));
  const commands: CommandSpec[] = [
    {
      id: COMMAND.trainingJobOpenDashboard,
      title: vscode.l10n.t('Open Job Dashboard'),
      run: async (arg) => {
        const { session, job, task } = await resolveJob(deps, arg);
        return (await load()).openJob(session, job, task);
      },
    },
    {
      id: COMMAND.trainingJobCompare,
      title: vscode.l10n.t('Compare Training Jobs'),
      // From the tree: the rows selected (VS Code passes the clicked row, then the selection).
      run: async (arg, selected) => {
        const session = requireSession(deps.sessions);
        const rows = jobsOf(Array.isArray(selected) ? selected : [arg]);
        const loaded = jobsOf(deps.explorer.model?.resourceNodes() ?? []);
        return (await load()).compare(session, rows, loaded);
      },
    },
    {
      id: COMMAND.trainingJobDownloadLog,
      title: vscode.l10n.t('Download Full Log'),
      run: async (arg) => {
        const target = await resolveJob(deps, arg);
        const task = await pickTask(target);
        const { id, name } = target.job.metadata;
        return (await load()).downloadLog({ session: target.session, jobId: id, jobName: name || id, task });
      },
    },
  ];
  const serializer = vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state: unknown) => (await load()).restore(panel, state),
  });
  return {
    commands,
    dispose: () => {
      serializer.dispose();
      void feature?.then((f) => f.dispose());
    },
  };
}
