import type * as vscode from 'vscode';
import { createDashboardShell } from './dashboard/dashboardShell';
import { createNotebookActions } from './notebooks/notebookActions';
import { createObsShell, type ObsShell } from './obs/obsShell';
import { createRunShell } from './run/runShell';
import { registerTools } from './tools/toolsShell';
import { createSshActions, type SshActions } from './notebooks/sshActions';
import { createSpecActions } from './specs/specActions';
import { createTrainingActions } from './training/trainingActions';
import { createWorkflowActions } from './workflows/workflowActions';
import { createAppCommand } from './workspace/createApp';
import { updateQuotaCommand } from './workspace/updateQuota';
import { pickWorkspace, trainingJobNodeOf, workspaceNodeOf, type JobRef } from './workspace/pickers';
import type { ActionDeps } from './actionDeps';
import { COMMAND } from './ids';
import type { CommandSpec } from './registry';

export { COMMAND, INTERNAL_COMMANDS, type CommandId } from './ids';

// The one table of commands: id → handler, for every feature. The sign-in and tree commands come from the
// services that own their state (the session manager, the explorer); the rest are built here from the deps.

export interface CommandTable {
  /** Every command, each id once (a unit test compares the ids with package.json). */
  readonly specs: readonly CommandSpec[];
  /** What the features hold (watches, status items) until the extension stops. */
  readonly disposables: readonly vscode.Disposable[];
  /** The SSH feature, for the demo's hosts to be tidied when the extension stops. */
  readonly ssh: SshActions;
  /** The OBS view's shell (its drop target, for extension-host tests). */
  readonly obs: ObsShell;
}

export function buildCommandTable(deps: ActionDeps, services: ReadonlyArray<{ readonly commands: readonly CommandSpec[] }>): CommandTable {
  const notebooks = createNotebookActions(deps);
  const ssh = createSshActions(deps, notebooks);
  const obs = createObsShell(deps);
  const training = createTrainingActions(deps);
  const specs = createSpecActions(deps);
  const openOutputs = async (job: JobRef): Promise<unknown> => (await obs.load()).run(COMMAND.trainingJobOpenOutputs, [job]);
  const run = createRunShell({
    deps,
    diagnostics: specs.diagnostics,
    followLog: training.followLog,
    openOutputs,
    uploads: obs.uploads,
    pickWorkspace: (session, placeHolder) => pickWorkspace(deps, session, undefined, placeHolder),
    jobRow: (id) => trainingJobNodeOf(deps, id),
    jobsGroup: (id) => workspaceNodeOf(deps, id)?.groups[0],
  });
  const workflows = createWorkflowActions(deps);
  const tools = registerTools({ deps, notebooks, training, workflows, run: () => run.load() });
  const features = [notebooks, ssh, training, workflows, specs, obs, run, createDashboardShell(deps, { openOutputs })];
  const table = [...services.flatMap((s) => s.commands), ...features.flatMap((f) => f.commands), updateQuotaCommand(deps), createAppCommand(deps)];
  const ids = new Set<string>();
  for (const spec of table) {
    if (ids.has(spec.id)) throw new Error(`Command ${spec.id} is in the table twice.`);
    ids.add(spec.id);
  }
  return { specs: table, disposables: [...features, ...tools], ssh, obs };
}
