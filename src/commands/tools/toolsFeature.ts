// The language model tools, in the bundle loaded on the first call (dist/dailyLoop.js): each call's input
// checked before any request, the sign-in checked, the reads answered by src/tools, the actions confirmed by
// VS Code with our message and then done by the commands' own code (the same client calls, follows, watches
// and notifications as from a menu). Errors come back as the clear sentence the UI shows, never a stack.

import * as vscode from 'vscode';
import { isModelArtsError } from '../../api/errors';
import { formatMegabytes } from '../../api/wire';
import { abortOn } from '../../common/cancellation';
import type { Notebook, TrainingJob, Workflow, WorkflowExecution } from '../../api/types';
import type { ActiveSession } from '../../common/session';
import { checkJobStop, checkNotebookAction, checkRerun, autoStopMs, rerunExecutionConfirmation, runFolderConfirmation, startNotebookConfirmation, stopJobConfirmation, stopNotebookConfirmation, type ToolConfirmation } from '../../tools/toolActions';
import { checkToolInput, ToolInputError, type ToolInput } from '../../tools/toolInput';
import { describeResource, events, listResources, logTail, metrics, type ToolReadContext } from '../../tools/toolReads';
import { TOOL_SPECS, type ToolSpec } from '../../tools/toolSpecs';
import { rerunConfirmation as rerunQuestion } from '../workflows/actionMessages';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import { failureMessage } from '../registry';
import type { NotebookActions } from '../notebooks/notebookActions';
import type { RunFeature } from '../run/runFeature';
import type { TrainingActions } from '../training/trainingActions';
import type { WorkflowActions } from '../workflows/workflowActions';

/** What the extension bundle gives the tools: the commands' own ways of acting, without their prompts. */
export interface ToolHost {
  readonly deps: ActionDeps;
  readonly notebooks: Pick<NotebookActions, 'startWithAutoStop' | 'stopAndFollow'>;
  readonly training: Pick<TrainingActions, 'terminateAndWatch'>;
  readonly workflows: Pick<WorkflowActions, 'sendExecutionAction'>;
  readonly run: () => Promise<RunFeature>;
}

export interface ToolsFeature {
  prepare(name: string, input: unknown, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation>;
  invoke(name: string, input: unknown, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult>;
}

const SPECS = new Map(TOOL_SPECS.map((spec) => [spec.name, spec]));
function str(input: ToolInput, name: string): string {
  const value = input[name];
  return typeof value === 'string' ? value : '';
}

export function createToolsFeature(host: ToolHost): ToolsFeature {
  const { deps } = host;
  const l10n = vscode.l10n;
  // Every word handed back goes through the redactor, ours included: a secret the session knows never leaves.
  const text = (value: string): vscode.LanguageModelToolResult => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(deps.redactor.redact(value))]);

  const specOf = (name: string): ToolSpec => {
    const spec = SPECS.get(name);
    if (!spec) throw new Error(l10n.t('ModelArts has no tool {0}.', name));
    return spec;
  };

  /** The same sentence as the UI's "<Tool> failed: …", without a stack; refusals of the input as they are. */
  const failure = (spec: ToolSpec, error: unknown): Error => {
    if (error instanceof ToolInputError || error instanceof vscode.CancellationError) return error;
    if (isModelArtsError(error) && error.kind === 'aborted') return new vscode.CancellationError();
    deps.log.error(`${spec.name} failed: ${isModelArtsError(error) ? error.toString() : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return new Error(deps.redactor.redact(failureMessage(spec.name, error).for('inert')));
  };

  return {
    async prepare(name, input, token) {
      const spec = specOf(name);
      try {
        const checked = checkToolInput(spec, input, l10n);
        const session = deps.sessions.current;
        const invocationMessage = l10n.t('Calling {0}…', spec.referenceName);
        // Signed out, nothing will happen: the call says so, with nothing to confirm.
        if (!spec.confirms || !session) return { invocationMessage };
        const { title, message } = await confirmationOf(host, await actionTarget(spec, checked, session, abortOn(token)));
        // Names come from the service: shown as text, never as markdown.
        return { invocationMessage, confirmationMessages: { title, message: new vscode.MarkdownString().appendText(message) } };
      } catch (error) {
        throw failure(spec, error);
      }
    },
    async invoke(name, input, token) {
      const spec = specOf(name);
      try {
        const checked = checkToolInput(spec, input, l10n);
        const session = deps.sessions.current;
        if (!session) return text(l10n.t('Not signed in to ModelArts: nothing was read or changed. Ask the user to sign in with the command "ModelArts: Sign In" ({0}), or to try the demo, then call the tool again.', COMMAND.signIn));
        const signal = abortOn(token);
        if (spec.confirms) return text(await act(host, await actionTarget(spec, checked, session, signal), session, signal));
        return text(await read(spec, checked, { client: session.client, redactor: deps.redactor, l10n, signal }));
      } catch (error) {
        throw failure(spec, error);
      }
    },
  };
}

/** The folder named: a workspace folder's name, or a path relative to one; never outside them, and it exists. */
async function folderUri(input: ToolInput): Promise<vscode.Uri> {
  const l10n = vscode.l10n;
  const asked = str(input, 'folder').replace(/\\/g, '/').replace(/^\.\/|\/+$/g, '');
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new ToolInputError(l10n.t('No folder is open in VS Code: open the folder of the code to run first.'));
  const named = folders.find((f) => f.name === asked);
  if (named) return named.uri;
  if (asked.split('/').includes('..') || /^([a-zA-Z]:)?\//.test(asked)) throw new ToolInputError(l10n.t('"folder" must be relative to a folder open in VS Code, without "..": {0}', asked));
  const top = folders.length === 1 ? folders[0] : folders.find((f) => asked.startsWith(`${f.name}/`));
  if (!top) throw new ToolInputError(l10n.t('"folder": {0} is in none of the open folders ({1}).', asked, folders.map((f) => f.name).join(', ')));
  const rest = folders.length === 1 && !asked.startsWith(`${top.name}/`) ? asked : asked.slice(top.name.length + 1);
  const uri = rest === '' || rest === '.' ? top.uri : vscode.Uri.joinPath(top.uri, rest);
  const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
  if (!stat || (stat.type & vscode.FileType.Directory) === 0) throw new ToolInputError(l10n.t('"folder": {0} is no folder in {1}.', asked, top.name));
  return uri;
}

/** What an action tool acts on, read fresh with its state checked: the same whether asking or acting. */
type ActionTarget =
  | { tool: 'startNotebook'; nb: Notebook; hours: number }
  | { tool: 'stopNotebook'; nb: Notebook }
  | { tool: 'stopJob'; job: TrainingJob }
  | { tool: 'rerunExecution'; workflow: Workflow; execution: WorkflowExecution }
  | { tool: 'runFolder'; folder: vscode.Uri };

async function actionTarget(spec: ToolSpec, input: ToolInput, session: ActiveSession, signal: AbortSignal): Promise<ActionTarget> {
  const l10n = vscode.l10n;
  const { client } = session;
  switch (spec.name) {
    case 'modelarts_startNotebook':
    case 'modelarts_stopNotebook': {
      const nb = await client.notebooks.get(str(input, 'notebookId'), signal);
      const start = spec.name === 'modelarts_startNotebook';
      checkNotebookAction(nb, start ? 'start' : 'stop', l10n);
      return start ? { tool: 'startNotebook', nb, hours: input.hours as number } : { tool: 'stopNotebook', nb };
    }
    case 'modelarts_stopJob': {
      const job = await client.trainingJobs.get(str(input, 'trainingJobId'), signal);
      checkJobStop(job, l10n);
      return { tool: 'stopJob', job };
    }
    case 'modelarts_rerunExecution': {
      const workflow = await client.workflows.get(str(input, 'workflowId'), {}, signal);
      const execution = await client.workflows.getExecution(workflow.workflow_id, str(input, 'executionId'), signal);
      checkRerun(execution, l10n);
      return { tool: 'rerunExecution', workflow, execution };
    }
    default:
      return { tool: 'runFolder', folder: await folderUri(input) };
  }
}

/** The question VS Code asks before the action: the resource, and what it costs or loses. */
async function confirmationOf(host: ToolHost, target: ActionTarget): Promise<ToolConfirmation> {
  const l10n = vscode.l10n;
  switch (target.tool) {
    case 'startNotebook':
      return startNotebookConfirmation(target.nb, target.hours, l10n);
    case 'stopNotebook':
      return stopNotebookConfirmation(target.nb, l10n);
    case 'stopJob':
      return stopJobConfirmation(target.job, l10n);
    case 'rerunExecution': {
      const { execution, workflow } = target;
      const question = rerunQuestion(execution.name ?? execution.execution_id, workflow.name, execution.status, l10n);
      return rerunExecutionConfirmation(execution, workflow.name, question, l10n);
    }
    case 'runFolder': {
      const preview = await (await host.run()).preview(target.folder);
      return runFolderConfirmation(preview, formatMegabytes(preview.bytes), l10n);
    }
  }
}

/** Does what the user confirmed, through the commands' code, on the target read again (its state may have moved). */
async function act(host: ToolHost, target: ActionTarget, session: ActiveSession, signal: AbortSignal): Promise<string> {
  const l10n = vscode.l10n;
  switch (target.tool) {
    case 'startNotebook': {
      const { nb, hours } = target;
      const begun = await host.notebooks.startWithAutoStop(session, nb, autoStopMs(hours), signal);
      if (begun.kind === 'running') return l10n.t('Notebook {0} ({1}) is already running.', nb.name, nb.id);
      return l10n.t('Starting notebook {0} ({1}); it stops automatically after {2} hours. Its state is {3}; the ModelArts: Notebooks output says when it runs.', nb.name, nb.id, hours, begun.started.status ?? '');
    }
    case 'stopNotebook': {
      const stopped = await host.notebooks.stopAndFollow(session, target.nb, signal);
      return l10n.t('Stopping notebook {0} ({1}); its state is {2}.', target.nb.name, target.nb.id, stopped.status ?? '');
    }
    case 'stopJob': {
      const { job } = target;
      const stopped = await host.training.terminateAndWatch({ session, job }, signal);
      return l10n.t('Stopping training job {0} ({1}); its state is {2}.', job.metadata.name, job.metadata.id, stopped.status.phase ?? '');
    }
    case 'rerunExecution': {
      const { execution, workflow } = target;
      const sent = await host.workflows.sendExecutionAction({ session, workflowId: workflow.workflow_id, workflowName: workflow.name, execution }, 'rerun', signal);
      return l10n.t('Rerunning execution {0} ({1}) of workflow {2}; its state is {3}.', execution.name ?? execution.execution_id, execution.execution_id, workflow.name, sent.status ?? '');
    }
    case 'runFolder': {
      const run = await (await host.run()).runConfirmed(target.folder, signal);
      const kept = run.kept > 0 ? ` ${l10n.t('{0} objects no longer local were kept in OBS: deleting them is asked once, from the Run on ModelArts command.', run.kept)}` : '';
      return l10n.t('Submitted training job {0} ({1}): {2} files uploaded, {3} unchanged, {4} deleted.', run.jobName, run.jobId, run.uploaded, run.unchanged, run.deleted) + kept;
    }
  }
}

function read(spec: ToolSpec, input: ToolInput, ctx: ToolReadContext): Promise<string> {
  switch (spec.name) {
    case 'modelarts_list':
      return listResources(input, ctx);
    case 'modelarts_describe':
      return describeResource(input, ctx);
    case 'modelarts_logTail':
      return logTail(input, ctx);
    case 'modelarts_events':
      return events(input, ctx);
    default:
      return metrics(input, ctx);
  }
}
