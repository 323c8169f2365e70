// The OBS view as the extension bundle holds it: the view, its drop target, the `obs:` documents and the
// commands, each handing over to the feature itself, in a bundle loaded on first use (dist/dailyLoop.js, with
// Run on ModelArts and the dashboard). Signed out, the view asks nothing (its welcome shows Sign In), so activation loads nothing of OBS.

import * as vscode from 'vscode';
import { safeL10n } from '../../common/safeText';
import { renderTreeItem } from '../../explorer/treeProvider';
import { pickTrainingJob, requireSession } from '../workspace/pickers';
import type { ActionDeps } from '../actionDeps';
import { COMMAND } from '../ids';
import { loadOnce } from '../loadOnce';
import type { CommandSpec } from '../registry';
import type { ObsFeature, ObsNode } from './obsFeature';

const l10n = safeL10n(vscode.l10n);

export const OBS_VIEW_ID = 'modelarts.obs';
/** Read-only documents of OBS objects: `obs:/<profile>/<bucket>/<key>`. */
export const OBS_SCHEME = 'obs';

export interface ObsShell {
  readonly commands: CommandSpec[];
  /** The drop target of the view (extension-host tests call it with a real DataTransfer). */
  readonly drop: vscode.TreeDragAndDropController<ObsNode>;
  /** The feature, loading it if needed (for tests). */
  load(): Promise<ObsFeature>;
  /** The `ModelArts: Uploads` channel, made on first use. */
  readonly uploads: () => vscode.OutputChannel;
  dispose(): void;
}

export function createObsShell(deps: ActionDeps): ObsShell {
  const changed = new vscode.EventEmitter<ObsNode | undefined>();
  let channel: vscode.OutputChannel | undefined;
  const uploads = (): vscode.OutputChannel => (channel ??= vscode.window.createOutputChannel('ModelArts: Uploads'));
  const load = loadOnce<ObsFeature>(
    (): Promise<ObsFeature> => import('./obsFeature').then((m) => m.createObsFeature({ deps, view, changed: (node) => changed.fire(node), render: renderTreeItem, uploads })),
    // Tried again on next use; the view says nothing on its own, so the log does.
    (error) => deps.log.error(`The OBS feature did not load: ${error instanceof Error ? error.message : String(error)}`),
  );
  // A drop is an upload: the command's wrapper reports its failure like any other.
  const drop: vscode.TreeDragAndDropController<ObsNode> = {
    dropMimeTypes: ['text/uri-list'],
    dragMimeTypes: [],
    handleDrop: async (target, data) => {
      const list = await data.get('text/uri-list')?.asString();
      if (list) await vscode.commands.executeCommand(COMMAND.obsUpload, target, list);
    },
  };
  const view = vscode.window.createTreeView<ObsNode>(OBS_VIEW_ID, {
    treeDataProvider: {
      onDidChangeTreeData: changed.event,
      getTreeItem: (node) => node.getTreeItem(),
      getChildren: (node) => (deps.sessions.current ? load().then((f) => f.getChildren(node), () => []) : []),
      getParent: (node) => node.parent,
    },
    dragAndDropController: drop,
    showCollapseAll: true,
  });
  const lazy = (id: string) => async (...args: unknown[]) => (await load()).run(id, args);
  const commands: CommandSpec[] = [
    { id: COMMAND.obsRefresh, title: vscode.l10n.t('Refresh OBS'), run: lazy(COMMAND.obsRefresh) },
    { id: COMMAND.obsFilter, title: vscode.l10n.t('Filter by Prefix…'), run: lazy(COMMAND.obsFilter) },
    { id: COMMAND.obsLoadMore, title: vscode.l10n.t('Load More'), run: lazy(COMMAND.obsLoadMore) },
    { id: COMMAND.obsUpload, title: vscode.l10n.t('Upload to OBS'), run: lazy(COMMAND.obsUpload) },
    { id: COMMAND.obsDownload, title: vscode.l10n.t('Download from OBS'), run: lazy(COMMAND.obsDownload) },
    { id: COMMAND.obsDelete, title: vscode.l10n.t('Delete from OBS'), run: lazy(COMMAND.obsDelete) },
    { id: COMMAND.obsCopyPath, title: vscode.l10n.t('Copy OBS Path'), run: lazy(COMMAND.obsCopyPath) },
    { id: COMMAND.obsOpen, title: vscode.l10n.t('Open OBS Object'), run: lazy(COMMAND.obsOpen) },
    { id: COMMAND.obsNewFolder, title: vscode.l10n.t('New OBS Folder'), run: lazy(COMMAND.obsNewFolder) },
    { id: COMMAND.obsCreateBucket, title: vscode.l10n.t('Create Bucket'), run: lazy(COMMAND.obsCreateBucket) },
    {
      id: COMMAND.trainingJobOpenOutputs,
      title: vscode.l10n.t('Open Outputs in OBS'),
      // The job row's class is this bundle's: the job is picked here, the feature gets plain data.
      run: async (arg) => {
        const job = await pickTrainingJob(deps, requireSession(deps), arg, l10n.t('Open the outputs of which training job?'));
        return (await load()).run(COMMAND.trainingJobOpenOutputs, [job]);
      },
    },
  ];
  const subscriptions = [
    view,
    changed,
    vscode.workspace.registerTextDocumentContentProvider(OBS_SCHEME, { provideTextDocumentContent: async (uri, token) => (await load()).provideContent(uri, token) }),
    // Before the feature loads, a sign-in only has to make the view ask again.
    deps.sessions.onDidChange(() => load.started() === undefined && changed.fire(undefined)),
  ];
  return {
    commands,
    drop,
    load,
    uploads,
    dispose: () => {
      channel?.dispose();
      for (const s of subscriptions) s.dispose();
      void load.started()?.then((f) => f.dispose());
    },
  };
}
