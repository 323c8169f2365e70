// The dashboard panels: one webview panel per job (opening it again reveals it) and one per comparison, each
// wired to its model through checked messages, restored after a window reload from the state its webview
// keeps. The webview is not kept while hidden (it reloads and asks for everything again when shown), and a
// job's model polls only while its panel is visible.

import * as vscode from 'vscode';
import { systemClock } from '../../api/clock';
import { isModelArtsError } from '../../api/errors';
import { trainingTaskOutput } from '../../api/trainingTaskOutput';
import type { TrainingJob } from '../../api/types';
import type { ActionDeps } from '../actionDeps';
import type { DashboardHost } from './dashboardShell';
import { COMMAND } from '../ids';
import { exportJobSpec } from '../specs/jobs';
import { formatSpec } from '../specs/spec';
import { logStreamKey } from '../training/jobFollow';
import type { ActiveSession } from '../../common/session';
import { labelText, pickText, safeL10n } from '../../common/safeText';
import { showInformation, showPicks } from '../../common/safeUi';
import { onDidChangeSettings, readSettings, type Settings } from '../../common/settings';
import { compareMessage, type ComparedJob } from '../../dashboard/compareView';
import { dashboardHtml } from '../../dashboard/dashboardHtml';
import { csvOf } from '../../dashboard/jobView';
import { JobCurvesCache, readWholeLog } from '../../dashboard/jobCurves';
import { JobDashboard } from '../../dashboard/jobDashboard';
import { readPanelState, readViewMessage, type DashboardMode, type DashboardPanelState, type HostMessage, type ViewMessage } from '../../dashboard/protocol';
import { dashboardViewStrings } from '../../dashboard/viewStrings';

/** The webview panels' type (the serializer and the `onWebviewPanel:` activation event name it). */
const VIEW_TYPE = 'modelarts.dashboard';
const MIN_COMPARED = 2;
const MAX_COMPARED = 4;

const l10n = safeL10n(vscode.l10n);

function describe(error: unknown): string {
  if (isModelArtsError(error)) return error.code && error.code !== error.kind ? `${error.message} (${error.code})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

interface Wired {
  post(message: HostMessage): void;
}

export class DashboardPanels implements vscode.Disposable {
  private readonly jobs = new Map<string, { panel: vscode.WebviewPanel; model: JobDashboard }>();
  private readonly panels = new Set<vscode.WebviewPanel>();
  private readonly cache = new JobCurvesCache();
  private settings: Settings = readSettings();
  private readonly settingsListener = onDidChangeSettings((next) => {
    this.settings = next;
  });

  constructor(
    private readonly deps: ActionDeps,
    private readonly host: DashboardHost,
  ) {}

  /** Opens the job's dashboard, or reveals it when it is open. */
  openJob(session: ActiveSession, job: TrainingJob, task?: string): void {
    const open = this.jobs.get(`${session.profile}:${job.metadata.id}`);
    if (open) {
      open.panel.reveal();
      if (task) void open.model.selectTask(task);
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, this.jobTitle(job.metadata.name || job.metadata.id), vscode.ViewColumn.Active, { enableScripts: true });
    this.attachJob(panel, session, job.metadata.id, job.metadata.workspace_id ?? '', task);
  }

  /** Compares 2–4 jobs: the rows selected, else a pick among the rows loaded (or the service's first page). */
  async compare(session: ActiveSession, selected: readonly TrainingJob[], loaded: readonly TrainingJob[]): Promise<void> {
    let jobs = [...new Map(selected.map((j) => [j.metadata.id, j])).values()];
    if (jobs.length < MIN_COMPARED || jobs.length > MAX_COMPARED) {
      const candidates = loaded.length > 0 ? loaded : await session.client.trainingJobs.search({ pageSize: 50 }).loadNext();
      jobs = await this.pickCompared(candidates, jobs);
    }
    const title = vscode.l10n.t('Compare: {0}', jobs.map((j) => j.metadata.name || j.metadata.id).join(', '));
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, labelText(title), vscode.ViewColumn.Active, { enableScripts: true });
    this.attachCompare(panel, session, jobs.map((j) => j.metadata.id));
  }

  /** A panel VS Code brings back after a reload, with the state its webview kept. */
  restore(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const state = readPanelState(raw);
    const session = this.deps.sessions.current;
    if (!state) {
      panel.dispose();
      return Promise.resolve();
    }
    if (!session || session.profile !== state.profile) {
      const wired = this.wire(panel, state.mode, state, () => undefined, () => wired.post({ type: 'status', level: 'warning', text: vscode.l10n.t('Sign in with profile {0} to see this dashboard, then open it again.', state.profile) }));
      return Promise.resolve();
    }
    if (state.mode === 'job') this.attachJob(panel, session, state.jobIds[0], state.workspaceId, state.task);
    else this.attachCompare(panel, session, state.jobIds);
    return Promise.resolve();
  }

  dispose(): void {
    this.settingsListener.dispose();
    for (const panel of [...this.panels]) panel.dispose();
  }

  // ---------------------------------------------------------------- a job

  private jobTitle(name: string): string {
    return labelText(vscode.l10n.t('Dashboard: {0}', name));
  }

  private attachJob(panel: vscode.WebviewPanel, session: ActiveSession, jobId: string, workspaceId: string, task?: string): void {
    const key = `${session.profile}:${jobId}`;
    const state: DashboardPanelState = { mode: 'job', profile: session.profile, workspaceId, jobIds: [jobId], ...(task ? { task } : {}) };
    const holder: { model?: JobDashboard } = {};
    const wired = this.wire(
      panel,
      'job',
      state,
      (message) => {
        if (holder.model) void this.onJobMessage(holder.model, message);
      },
      () => holder.model?.replay(),
    );
    const model = new JobDashboard({
      session,
      jobId,
      task,
      post: (message) => {
        wired.post(message);
        // The walkthrough's step is done once a dashboard shows curves, not when it merely opens.
        if (message.type === 'curves' && message.series.some((s) => s.x.length > 0)) this.deps.walkthrough.reached('dashboardWatched');
      },
      l10n: vscode.l10n,
      clock: systemClock,
      intervalMs: () => this.settings.refreshIntervalSeconds * 1000,
      patterns: () => this.settings.dashboardMetricPatterns,
      logs: this.deps.streams,
      logKey: logStreamKey,
      cache: this.cache,
      place: { region: session.client.obs.region, endpoint: session.client.obs.endpoint },
      redactor: this.deps.redactor,
      log: this.deps.log,
      describe,
    });
    holder.model = model;
    const current = model;
    this.jobs.set(key, { panel, model: current });
    panel.onDidChangeViewState(() => current.setVisible(panel.visible));
    panel.onDidDispose(() => {
      current.dispose();
      if (this.jobs.get(key)?.model === current) this.jobs.delete(key);
    });
    current.setVisible(panel.visible);
    void current.start().then(() => {
      panel.title = this.jobTitle(current.jobName);
    });
  }

  private async onJobMessage(model: JobDashboard, message: ViewMessage): Promise<void> {
    const job = model.current;
    switch (message.type) {
      case 'selectTask':
        return model.selectTask(message.task);
      case 'copyCsv':
        return this.copy(model.csv(message.chart), message.chart);
      case 'action': {
        if (!job) return;
        const ref = { trainingJobId: job.metadata.id, task: model.currentTask };
        const command = { followLogs: COMMAND.trainingJobFollowLogs, stop: COMMAND.trainingJobStop, saveImage: COMMAND.trainingJobSaveImage, downloadLog: COMMAND.trainingJobDownloadLog, openOutputs: undefined }[message.action];
        if (command) await vscode.commands.executeCommand(command, ref);
        else await this.host.openOutputs({ id: job.metadata.id, name: job.metadata.name, workspaceId: job.metadata.workspace_id });
        return;
      }
      default:
        return;
    }
  }

  private async copy(csv: string | undefined, chart: string): Promise<void> {
    if (csv === undefined) {
      this.deps.log.warn(`Dashboard: no data for chart ${chart} to copy.`);
      return;
    }
    await vscode.env.clipboard.writeText(csv);
    const rows = csv.split('\r\n').length - 2;
    void showInformation(l10n.t('Copied {0} rows as CSV.', rows));
  }

  // ---------------------------------------------------------------- a comparison

  private async pickCompared(candidates: readonly TrainingJob[], preselected: readonly TrainingJob[]): Promise<TrainingJob[]> {
    if (candidates.length < MIN_COMPARED) throw new Error(vscode.l10n.t('Comparing needs at least two training jobs.'));
    const chosen = new Set(preselected.map((j) => j.metadata.id));
    for (;;) {
      const picked = await showPicks(
        candidates.map((job) => ({ label: pickText(job.metadata.name || job.metadata.id), description: pickText(job.status.phase ?? ''), detail: pickText(job.metadata.id), picked: chosen.has(job.metadata.id), job })),
        { placeHolder: l10n.t('Pick 2 to 4 training jobs to compare') },
      );
      // The extension bundle's CancelledByUser is another class in this bundle: VS Code's own error is the same one.
      if (!picked) throw new vscode.CancellationError();
      if (picked.length >= MIN_COMPARED && picked.length <= MAX_COMPARED) return picked.map((p) => p.job);
      void showInformation(l10n.t('Pick 2 to 4 training jobs ({0} picked).', picked.length));
      chosen.clear();
      for (const p of picked) chosen.add(p.job.metadata.id);
    }
  }

  private attachCompare(panel: vscode.WebviewPanel, session: ActiveSession, jobIds: string[]): void {
    const state: DashboardPanelState = { mode: 'compare', profile: session.profile, workspaceId: '', jobIds: jobIds.slice(0, MAX_COMPARED) };
    const controller = new AbortController();
    let shown: ComparedJob[] = [];
    let message: HostMessage | undefined;
    const wired = this.wire(
      panel,
      'compare',
      state,
      (m) => {
        if (m.type === 'compareSpecs') void this.compareSpecs(session, shown.map((j) => j.job)).catch((error: unknown) => this.deps.log.warn(`Compare Specs: ${describe(error)}`));
        if (m.type === 'copyCsv') void this.copy(compareCsv(shown, m.chart), m.chart);
      },
      () => {
        if (message) wired.post(message);
      },
    );
    panel.onDidDispose(() => controller.abort());
    void (async () => {
      wired.post({ type: 'status', level: 'info', text: vscode.l10n.t('Reading {0} training jobs and their logs…', state.jobIds.length) });
      try {
        shown = await Promise.all(state.jobIds.map((id) => this.readCompared(session, id, controller.signal)));
        message = compareMessage(shown, session.serviceClock.now(), vscode.l10n);
        wired.post(message);
        wired.post({ type: 'status', level: 'info', text: vscode.l10n.t('Compared {0} training jobs.', shown.length) });
      } catch (error) {
        wired.post({ type: 'status', level: 'error', text: describe(error) });
      }
    })();
  }

  private async readCompared(session: ActiveSession, jobId: string, signal: AbortSignal): Promise<ComparedJob> {
    const { client } = session;
    const job = await client.trainingJobs.get(jobId, signal);
    const task = job.status.tasks.find((t) => t !== '');
    if (!task) return { job };
    const metrics = await trainingTaskOutput(client).getMetrics(jobId, task, signal).catch(() => undefined);
    const { curves, isNew } = this.cache.take(logStreamKey(session.profile, jobId, task), this.settings.dashboardMetricPatterns);
    if (isNew || (!curves.complete && curves.offset === 0)) {
      try {
        await readWholeLog(curves, { client, jobId, task, place: { region: client.obs.region, endpoint: client.obs.endpoint }, redactor: this.deps.redactor, signal });
      } catch (error) {
        this.deps.log.warn(`Compare: the log of ${jobId}/${task} could not be read: ${describe(error)}`);
      }
    }
    return { job, metrics, curves: curves.parser.series() };
  }

  private async compareSpecs(session: ActiveSession, jobs: readonly TrainingJob[]): Promise<void> {
    let pair = jobs.slice(0, 2);
    if (jobs.length > 2) {
      const picked = await showPicks(
        jobs.map((job, i) => ({ label: pickText(job.metadata.name || job.metadata.id), detail: pickText(job.metadata.id), picked: i < 2, job })),
        { placeHolder: l10n.t('Pick the two training jobs whose specs to compare') },
      );
      if (!picked || picked.length !== 2) return;
      pair = picked.map((p) => p.job);
    }
    const [left, right] = await Promise.all(
      pair.map(async (job) => {
        const spec = await exportJobSpec(session.client, job.metadata.id, vscode.l10n);
        const text = this.deps.redactor.redact(formatSpec(spec, 'yaml'));
        return vscode.workspace.openTextDocument({ language: 'yaml', content: text });
      }),
    );
    const title = vscode.l10n.t('{0} ↔ {1} (specs)', pair[0].metadata.name, pair[1].metadata.name);
    await vscode.commands.executeCommand('vscode.diff', left.uri, right.uri, labelText(title));
  }

  // ---------------------------------------------------------------- the webview

  /** Sets the page and routes its checked messages; `onReady` runs each time the page (re)loads. */
  private wire(panel: vscode.WebviewPanel, mode: DashboardMode, state: DashboardPanelState, onMessage: (message: ViewMessage) => void, onReady: () => void): Wired {
    const root = vscode.Uri.joinPath(this.deps.context.extensionUri, 'dist', 'webview');
    const { webview } = panel;
    webview.options = { enableScripts: true, localResourceRoots: [root] };
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboardView.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'dashboardView.css')).toString(),
      language: vscode.env.language,
    });
    this.panels.add(panel);
    let ready = false;
    const strings = dashboardViewStrings(vscode.l10n);
    const post = (message: HostMessage): void => {
      if (ready) void webview.postMessage(message);
    };
    const received = webview.onDidReceiveMessage((raw: unknown) => {
      const message = readViewMessage(raw);
      if (!message) {
        this.deps.log.warn('Dashboard: dropped a malformed message from the webview.');
        return;
      }
      if (message.type === 'ready') {
        ready = true;
        post({ type: 'init', mode, strings, state });
        onReady();
      } else if (message.type === 'problem') {
        this.deps.log.warn(`Dashboard webview: ${message.text}`);
      } else {
        onMessage(message);
      }
    });
    const viewState = panel.onDidChangeViewState(() => {
      // Hidden, the page is gone; shown again, it loads and says it is ready.
      if (!panel.visible) ready = false;
    });
    panel.onDidDispose(() => {
      received.dispose();
      viewState.dispose();
      this.panels.delete(panel);
    });
    return { post };
  }
}

/** A compare chart's numbers (`compare:<name>`): x and each job's value, one row per point of each run. */
function compareCsv(jobs: readonly ComparedJob[], chart: string): string | undefined {
  const name = chart.startsWith('compare:') ? chart.slice('compare:'.length) : undefined;
  if (!name) return undefined;
  const rows: (string | number)[][] = [];
  for (const { job, curves } of jobs) {
    const series = curves?.get(name);
    for (let i = 0; series && i < series.length; i++) rows.push([job.metadata.name || job.metadata.id, series.x[i], series.y[i]]);
  }
  return rows.length > 0 ? csvOf(['job', 'x', name], rows) : undefined;
}
