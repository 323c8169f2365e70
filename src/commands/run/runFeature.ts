// Run on ModelArts, in the bundle loaded on first use (dist/dailyLoop.js): from the open folder (or a
// folder or script in it) to a submitted, watched training job. The first run asks what the run configuration
// needs and saves it in `.modelarts/run.modelarts-job.yaml`; later runs ask nothing, upload only what changed,
// submit, reveal the job, follow worker-0's log and say once how it ended.

import { join } from 'node:path';
import * as vscode from 'vscode';
import { isModelArtsError } from '../../api/errors';
import { formatMegabytes } from '../../api/wire';
import { createObsClient } from '../../api/obs/client';
import type { MirrorPlan } from '../../api/obs/mirror';
import type { ObsClient } from '../../api/obs/types';
import { logText, messageText, pickText, safeL10n, type Words } from '../../common/safeText';
import { SafeStatusItem, showError, showInformation, showPick, showWarning, withNotificationProgress, type Said } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import type { ExplorerNode } from '../../explorer/nodes/node';
import type { ActionDeps } from '../actionDeps';
import { requireSession } from '../prompts';
import { CancelledByUser } from '../registry';
import type { SpecDiagnostics } from '../specs/specDiagnostics';
import type { JobTarget } from '../training/jobTargets';
import type { JobRef, WorkspaceRef } from '../workspace/pickers';
import { scanFolder } from '../../api/obs/mirrorScan';
import type { RunPreview } from '../../tools/toolActions';
import { bootFileOf, formatRunConfiguration, newRunConfiguration, obsFolderUrl, runCodeOf, runJobName, type RunCode } from './runConfig';
import { CodeFolderRefusal, runFolder, RunStateStore, type RunFolderOutcome } from './runEngine';
import { problemText, stageText } from './runMessages';
import { exists, placeOf, type RunPlace } from './runPlace';
import { askRunConfiguration } from './runPrompts';
import { followRunLog, watchRun } from './runWatch';

const l10n = safeL10n(vscode.l10n);

/** What the extension bundle gives the feature. */
export interface RunHost {
  readonly deps: ActionDeps;
  /** The spec checker of the Problems panel: a run configuration is a spec with a code block. */
  readonly diagnostics: SpecDiagnostics;
  /** Follows a task's log into its channel (Follow Logs' own code). */
  readonly followLog: (target: JobTarget) => Promise<void>;
  /** Open Outputs in OBS for a job. */
  readonly openOutputs: (job: JobRef) => Promise<unknown>;
  /** The `ModelArts: Uploads` channel, shared with the OBS view. */
  readonly uploads: () => vscode.OutputChannel;
  /** The tree's rows are the extension bundle's classes: it finds them, and picks the workspace from them. */
  readonly pickWorkspace: (session: ActiveSession, placeHolder: Said<'label'>) => Promise<WorkspaceRef>;
  readonly jobRow: (jobId: string) => ExplorerNode | undefined;
  readonly jobsGroup: (workspaceId: string) => ExplorerNode | undefined;
}

export interface RunSubmitted {
  jobId: string;
  jobName: string;
  uploaded: number;
  unchanged: number;
  deleted: number;
  /** Objects no longer local that were kept, because deleting them was never confirmed for this OBS folder. */
  kept: number;
}

export interface RunFeature {
  run(args: unknown[]): Promise<void>;
  /** A folder's saved run, checked as Run does but asking nothing: refused with a clear message when it cannot run. */
  preview(folder: vscode.Uri): Promise<RunPreview>;
  /** Runs a folder's saved configuration, already confirmed by the user, as Run Again does. */
  runConfirmed(folder: vscode.Uri, signal?: AbortSignal): Promise<RunSubmitted>;
  dispose(): void;
}

export function createRunFeature(host: RunHost): RunFeature {
  const runs = new FolderRuns(host);
  return { run: (args) => runs.run(args), preview: (folder) => runs.preview(folder), runConfirmed: (folder, signal) => runs.runConfirmed(folder, signal), dispose: () => runs.dispose() };
}

/** A configuration checked and resolved for one run. */
interface CheckedRun {
  spec: unknown;
  code: RunCode;
  name: string;
  workspaceId: string;
  /** The code folder, absolute. */
  root: string;
}

/** A code folder ModelArts would not take, as one sentence of its problems; any other error as it is. */
function refusalOf(error: unknown): unknown {
  return error instanceof CodeFolderRefusal ? new Error(error.problems.map((problem) => problemText(problem).for('message')).join(' ')) : error;
}

class FolderRuns {
  private readonly store: RunStateStore;
  private obs: { session: ActiveSession; client: ObsClient } | undefined;
  private status: SafeStatusItem | undefined;
  /** Configurations being run now: a second Run of the same folder during the upload is refused. */
  private readonly running = new Set<string>();

  constructor(private readonly host: RunHost) {
    this.store = new RunStateStore(join(host.deps.context.globalStorageUri.fsPath, 'runs'));
  }

  /** A saved configuration only, with no prompt: what an agent may run. */
  private async savedPlace(folder: vscode.Uri): Promise<RunPlace> {
    if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t("Run on ModelArts uploads and runs this folder's code: trust the folder first."));
    const place = await placeOf(folder);
    if (!(await exists(place.configUri)))
      throw new Error(vscode.l10n.t('{0} has no run configuration yet: run Run on ModelArts on it once, which asks what to run and saves {1}.', place.workspaceFolder.name, vscode.workspace.asRelativePath(place.configUri)));
    return place;
  }

  async preview(folder: vscode.Uri): Promise<RunPreview> {
    const session = requireSession(this.host.deps.sessions);
    const place = await this.savedPlace(folder);
    const checked = await this.check(session, place, false);
    const scan = await scanFolder(checked.root, { exclude: checked.code.exclude, top: place.workspaceFolder.uri.fsPath });
    const resource = (checked.spec as { spec?: { resource?: { flavor_id?: unknown; node_count?: unknown } } }).spec?.resource;
    return {
      folderName: place.workspaceFolder.name,
      codeFolder: vscode.workspace.asRelativePath(vscode.Uri.file(checked.root)),
      files: scan.files.length,
      bytes: scan.bytes,
      obsFolder: obsFolderUrl(checked.code.bucket, checked.code.prefix),
      flavor: typeof resource?.flavor_id === 'string' ? resource.flavor_id : '',
      nodeCount: typeof resource?.node_count === 'number' ? resource.node_count : 1,
      jobName: checked.name,
      workspaceId: checked.workspaceId,
    };
  }

  async runConfirmed(folder: vscode.Uri, signal?: AbortSignal): Promise<RunSubmitted> {
    const session = requireSession(this.host.deps.sessions);
    const place = await this.savedPlace(folder);
    const key = place.configUri.toString();
    if (this.running.has(key)) throw new Error(vscode.l10n.t('This folder is being run already: wait for its upload to end.'));
    this.running.add(key);
    try {
      const checked = await this.check(session, place, false);
      let kept = 0;
      let outcome: RunFolderOutcome;
      try {
        outcome = await this.upload(session, place, checked, {
          signal,
          // Deleting from OBS is asked once per folder, by a person: an agent's run keeps what was never agreed.
          confirmDeletes: async (keys) => {
            const { deletesConfirmed } = await this.store.read(place.configUri.fsPath);
            if (deletesConfirmed.includes(`obs://${checked.code.bucket}/${checked.code.prefix}`)) return this.confirmDeletes(place, checked.code, keys);
            kept = keys.length;
            return false;
          },
        });
      } catch (error) {
        throw refusalOf(error);
      } finally {
        this.hideStatus();
      }
      await this.submitted(session, place, checked, outcome);
      const { mirror, job } = outcome;
      return { jobId: job.metadata.id, jobName: job.metadata.name || checked.name, uploaded: mirror.uploaded, unchanged: mirror.skipped, deleted: mirror.deleted, kept };
    } finally {
      this.running.delete(key);
    }
  }

  async run(args: unknown[]): Promise<void> {
    const session = requireSession(this.host.deps.sessions);
    if (!vscode.workspace.isTrusted) {
      const manage = l10n.t('Manage Workspace Trust');
      void showWarning(l10n.t("Run on ModelArts uploads and runs this folder's code: trust the folder first."), manage).then((choice) => {
        if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      throw new CancelledByUser();
    }
    const [arg] = args;
    const place = await placeOf(arg);
    const key = place.configUri.toString();
    if (this.running.has(key)) {
      void showInformation(l10n.t('This folder is being run already: wait for its upload to end.'));
      throw new CancelledByUser();
    }
    this.running.add(key);
    try {
      if (!(await exists(place.configUri))) await this.createConfiguration(session, place);
      else if (arg === undefined && (await this.offer(session, place)) === 'done') return;
      await this.runOnce(session, place);
    } finally {
      this.running.delete(key);
    }
  }

  dispose(): void {
    this.hideStatus();
    this.obs?.client.dispose();
  }

  private obsFor(session: ActiveSession): ObsClient {
    if (this.obs?.session !== session) {
      this.obs?.client.dispose();
      this.obs = { session, client: createObsClient({ ...session.client.obs, log: this.host.deps.log, redactor: this.host.deps.redactor }) };
    }
    return this.obs.client;
  }

  private showStatus(text: Words): void {
    this.status ??= new SafeStatusItem('modelarts.run', vscode.StatusBarAlignment.Left, 10, l10n.t('Run on ModelArts'));
    this.status.update({ text: l10n.t('$(cloud-upload) {0}', text), tooltip: text, command: 'notifications.showList' });
  }

  private hideStatus(): void {
    this.status?.dispose();
    this.status = undefined;
  }

  /** Asks what the configuration needs and writes it; the user opens it only if they want to. */
  private async createConfiguration(session: ActiveSession, place: RunPlace): Promise<void> {
    const codeFolder = place.target && place.targetIsFolder ? place.target : place.workspaceFolder.uri;
    const file = place.target && !place.targetIsFolder ? place.target : undefined;
    const answers = await askRunConfiguration({ pickWorkspace: this.host.pickWorkspace, session, obs: this.obsFor(session), workspaceFolder: place.workspaceFolder.uri, codeFolder, file });
    await vscode.workspace.fs.writeFile(place.configUri, new TextEncoder().encode(formatRunConfiguration(newRunConfiguration(answers))));
    this.host.uploads().appendLine(logText(vscode.l10n.t('Saved the run configuration {0}; later runs ask nothing.', vscode.workspace.asRelativePath(place.configUri))));
  }

  /** With a configuration, the palette offers Run Again, editing it and the recent runs. */
  private async offer(session: ActiveSession, place: RunPlace): Promise<'run' | 'done'> {
    const { history } = await this.store.read(place.configUri.fsPath);
    const again = { label: l10n.t('$(play) Run Again'), description: l10n.t('upload what changed and submit'), action: 'run' as const };
    const edit = { label: l10n.t('$(edit) Edit Run Configuration'), description: pickText(vscode.workspace.asRelativePath(place.configUri)), action: 'edit' as const };
    const recent = history.map((entry) => ({
      label: pickText(entry.jobName),
      description: pickText(new Date(entry.submittedAt).toLocaleString(vscode.env.language)),
      detail: l10n.t('{0} files uploaded ({1}) · {2}', entry.uploaded, formatMegabytes(entry.bytes), entry.jobId),
      action: 'history' as const,
      entry,
    }));
    const separator = { label: l10n.t('Recent runs'), kind: vscode.QuickPickItemKind.Separator, action: 'none' as const };
    const choice = await showPick([again, edit, ...(recent.length > 0 ? [separator, ...recent] : [])], { placeHolder: l10n.t('Run on ModelArts: {0}', place.workspaceFolder.name), matchOnDetail: true });
    if (!choice || choice.action === 'none') throw new CancelledByUser();
    if (choice.action === 'run') return 'run';
    if (choice.action === 'edit') await vscode.window.showTextDocument(place.configUri);
    else if ('entry' in choice) await followRunLog(this.host, session, choice.entry.jobId);
    return 'done';
  }

  /** Asks once per OBS folder, listing what would go; later runs delete without asking and log what they delete. */
  private async confirmDeletes(place: RunPlace, code: RunCode, keys: readonly string[]): Promise<boolean> {
    const folder = `obs://${code.bucket}/${code.prefix}`;
    const { deletesConfirmed } = await this.store.read(place.configUri.fsPath);
    const channel = this.host.uploads();
    if (!deletesConfirmed.includes(folder)) {
      const shown = keys.slice(0, 15).map((key) => key.slice(code.prefix.length));
      const more = keys.length > shown.length ? `, ${vscode.l10n.t('…and {0} more', keys.length - shown.length)}` : '';
      const remove = l10n.t('Delete');
      // A message is one line (line breaks become spaces): the names are told apart by commas, as names have spaces.
      const answer = await showWarning(
        l10n.t('{0} objects in {1} are no longer in the local folder. Delete them from OBS?', keys.length, folder),
        { modal: true, detail: messageText(`${shown.join(', ')}${more}\n\n${vscode.l10n.t('Run keeps this OBS folder a copy of the local folder; after this, it deletes such objects without asking.')}`) },
        remove,
      );
      if (answer !== remove) {
        channel.appendLine(logText(vscode.l10n.t('Kept {0} objects in {1} that are no longer local.', keys.length, folder)));
        return false;
      }
      await this.store.update(place.configUri.fsPath, (state) => {
        if (!state.deletesConfirmed.includes(folder)) state.deletesConfirmed.push(folder);
      });
    }
    for (const key of keys) channel.appendLine(logText(vscode.l10n.t('Deleting obs://{0}/{1} (no longer local)', code.bucket, key)));
    return true;
  }

  /** The configuration checked by the Problems panel's checker; its problems refuse the run before any request. */
  private async check(session: ActiveSession, place: RunPlace, interactive = true): Promise<CheckedRun> {
    const document = await vscode.workspace.openTextDocument(place.configUri);
    if (document.isDirty && interactive) await document.save();
    const { value: spec, problems } = await this.host.diagnostics.check(document);
    if (problems.length > 0) {
      const { refusalMessage } = await import('../specs/specCheck');
      if (!interactive) throw new Error(refusalMessage(problems, document.getText(), vscode.l10n));
      const showProblems = l10n.t('Show Problems');
      void showError(messageText(refusalMessage(problems, document.getText(), vscode.l10n)), showProblems).then(async (choice) => {
        if (choice !== showProblems) return;
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      throw new CancelledByUser();
    }
    const code = runCodeOf(spec);
    if (!code) throw new Error(vscode.l10n.t('{0} has no code block saying what to upload (code.obs).', vscode.workspace.asRelativePath(place.configUri)));
    const metadata = (spec as { metadata: { name: string; workspace_id?: string } }).metadata;
    if (metadata.workspace_id === undefined && !interactive) throw new Error(vscode.l10n.t('{0} names no workspace (metadata.workspace_id): run Run on ModelArts on it once from the palette to choose one.', vscode.workspace.asRelativePath(place.configUri)));
    const workspaceId = metadata.workspace_id ?? (await this.host.pickWorkspace(session, l10n.t('Workspace to run in'))).id;
    return { spec, code, workspaceId, name: runJobName(metadata.name, new Date()), root: vscode.Uri.joinPath(place.workspaceFolder.uri, code.folder).fsPath };
  }

  /** Compare, upload and submit in a cancellable notification, with the status bar saying the stage. */
  private async upload(
    session: ActiveSession,
    place: RunPlace,
    checked: CheckedRun,
    agent?: { signal?: AbortSignal; confirmDeletes: (keys: readonly string[]) => Promise<boolean> },
  ): Promise<RunFolderOutcome> {
    const { code, name } = checked;
    const state = await this.store.read(place.configUri.fsPath);
    return withNotificationProgress({ title: l10n.t('Run on ModelArts: {0}', name), cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      agent?.signal?.addEventListener('abort', () => controller.abort(), { once: true });
      let plan: MirrorPlan | undefined;
      let lastPercent = 0;
      let lastFiles = 0;
      return runFolder({
        modelArts: session.client,
        obs: this.obsFor(session),
        root: checked.root,
        code,
        spec: checked.spec,
        bootFile: bootFileOf(checked.spec),
        top: place.workspaceFolder.uri.fsPath,
        record: state.record,
        name,
        workspaceId: checked.workspaceId,
        signal: controller.signal,
        confirmDeletes: agent?.confirmDeletes ?? ((keys) => this.confirmDeletes(place, code, keys)),
        saveRecord: async (record) => {
          await this.store.update(place.configUri.fsPath, (s) => {
            s.record = record;
          });
        },
        onStage: (stage, stagePlan) => {
          plan = stagePlan ?? plan;
          const text = stageText(stage, plan, name);
          progress.report({ message: text });
          this.showStatus(text);
        },
        onProgress: (p) => {
          if (!plan || plan.bytes === 0) return;
          const percent = Math.floor((p.bytes / plan.bytes) * 100);
          const files = p.files ?? 0;
          // A file that ends adds no bytes: its count is news of its own.
          if (percent === lastPercent && files === lastFiles) return;
          progress.report({ increment: percent - lastPercent, message: l10n.t('Uploading {0} of {1} files ({2} of {3})…', files, plan.uploads.length, formatMegabytes(p.bytes), formatMegabytes(plan.bytes)) });
          lastPercent = percent;
          lastFiles = files;
        },
      });
    });
  }

  private async runOnce(session: ActiveSession, place: RunPlace): Promise<void> {
    const checked = await this.check(session, place);
    let outcome: RunFolderOutcome;
    try {
      outcome = await this.upload(session, place, checked);
    } catch (error) {
      if (isModelArtsError(error) && error.kind === 'aborted') {
        void showInformation(l10n.t('Run on ModelArts cancelled: nothing was submitted.'));
        throw new CancelledByUser();
      }
      throw refusalOf(error);
    } finally {
      this.hideStatus();
    }
    await this.submitted(session, place, checked, outcome);
  }

  /** A job submitted: reported, recorded, revealed and watched, whoever asked for the run. */
  private async submitted(session: ActiveSession, place: RunPlace, checked: CheckedRun, outcome: RunFolderOutcome): Promise<void> {
    await this.report(place, checked, outcome);
    const outputs = Array.isArray((checked.spec as { algorithm?: { outputs?: unknown } }).algorithm?.outputs);
    watchRun(this.host, { session, job: outcome.job, workspaceId: checked.workspaceId, configUri: place.configUri, outputs });
  }

  /** The run in the Uploads channel, the log and the history; the walkthrough's step checked off. */
  private async report(place: RunPlace, checked: CheckedRun, outcome: RunFolderOutcome): Promise<void> {
    const { plan, mirror, job, timings } = outcome;
    const { deps } = this.host;
    const channel = this.host.uploads();
    const jobName = job.metadata.name || checked.name;
    for (const warning of plan.warnings) void showWarning(problemText(warning));
    for (const error of mirror.deleteErrors) channel.appendLine(logText(vscode.l10n.t('Could not delete obs://{0}/{1}: {2}', checked.code.bucket, error.key, error.message)));
    const ms = Math.round(timings.compare + timings.upload + timings.submit);
    channel.appendLine(logText(vscode.l10n.t('Run {0}: {1} files uploaded ({2}), {3} unchanged, {4} deleted; submitted training job {5} in {6} ms.', jobName, mirror.uploaded, formatMegabytes(mirror.bytes), mirror.skipped, mirror.deleted, job.metadata.id, ms)));
    deps.log.info(`Run on ModelArts: submitted ${jobName} (${job.metadata.id}) from ${checked.root} (${mirror.uploaded} uploaded, ${mirror.skipped} unchanged, ${mirror.deleted} deleted)`);
    await this.store.update(place.configUri.fsPath, (s) => {
      s.history.unshift({ jobId: job.metadata.id, jobName, workspaceId: checked.workspaceId, submittedAt: Date.now(), uploaded: mirror.uploaded, bytes: mirror.bytes });
    });
    deps.walkthrough.reached('folderRun');
    void showInformation(l10n.t('Submitted {0}: {1} files uploaded, {2} unchanged. Its log follows once it runs.', jobName, mirror.uploaded, mirror.skipped));
  }
}
