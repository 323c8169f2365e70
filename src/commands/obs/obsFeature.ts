// The OBS feature, in the bundle the extension loads on first use (dist/dailyLoop.js) (the view's
// first rows, a command, a drop, an `obs:` document): the tree of the active session, its commands, and the
// read-only documents of objects. The extension bundle holds only obsShell.ts.

import * as vscode from 'vscode';
import type { ObsClient } from '../../api/obs/types';
import { labelText } from '../../common/safeText';
import type { ActiveSession } from '../../common/session';
import { onDidChangeSettings, readSettings } from '../../common/settings';
import { LoadQueue } from '../../explorer/loadQueue';
import type { NodeView } from '../../explorer/nodes/node';
import { ObsRootNode, type ObsNode } from '../../explorer/obs/obsNodes';
import type { ActionDeps } from '../actionDeps';
import { connectObs } from './obsConnect';
import { obsCommandHandlers, type ObsCommandContext } from './obsCommands';
import { provideObsContent } from './obsDocuments';

export type { ObsNode } from '../../explorer/obs/obsNodes';

/** What the extension bundle gives the feature. */
export interface ObsFeatureHost {
  readonly deps: ActionDeps;
  readonly view: vscode.TreeView<ObsNode>;
  /** Redraws a row (and its children when expanded); undefined: the whole view. */
  changed(node: ObsNode | undefined): void;
  /** The explorer's renderer: every row's text is made inert there. */
  render(view: NodeView): vscode.TreeItem;
  /** The `ModelArts: Uploads` channel, shared with Run on ModelArts; without it the feature makes its own. */
  readonly uploads?: () => vscode.OutputChannel;
}

export interface ObsFeature {
  getChildren(node: ObsNode | undefined): Promise<ObsNode[]>;
  provideContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string>;
  /** Runs one of the OBS commands (the shell's table names them). */
  run(id: string, args: unknown[]): Promise<unknown>;
  /** The tree of the active session (tests). */
  readonly root: ObsRootNode | undefined;
  dispose(): void;
}

/** One session's tree and client. */
export interface ObsModel {
  readonly session: ActiveSession;
  readonly client: ObsClient;
  readonly root: ObsRootNode;
  dispose(): void;
}

export interface ObsFeatureOptions {
  /** The client of a session (tests pass a fake). */
  clientFor?: (session: ActiveSession) => ObsClient;
}

export function createObsFeature(host: ObsFeatureHost, options: ObsFeatureOptions = {}): ObsFeature {
  const { deps } = host;
  const clientFor = options.clientFor ?? ((session: ActiveSession) => connectObs(session, deps.log, deps.redactor));
  let pageSize = readSettings().pageSize;
  let model: ObsModel | undefined;

  const startSession = (session: ActiveSession | undefined): void => {
    model?.dispose();
    model = session ? buildModel(session) : undefined;
    host.view.description = session ? labelText([session.profile, session.region, ...(session.demo ? [vscode.l10n.t('demo')] : [])].join(' · ')) : undefined;
    host.view.message = undefined;
    host.changed(undefined);
  };

  const buildModel = (session: ActiveSession): ObsModel => {
    const controller = new AbortController();
    const client = clientFor(session);
    const root = new ObsRootNode({
      session,
      client,
      l10n: vscode.l10n,
      log: deps.log,
      redactor: deps.redactor,
      queue: new LoadQueue(),
      signal: controller.signal,
      pageSize: () => pageSize,
      render: (view) => host.render(view),
      changed: (node) => host.changed(node),
    });
    return {
      session,
      client,
      root,
      dispose: () => {
        controller.abort();
        root.dispose();
        client.dispose();
      },
    };
  };

  let uploads: vscode.OutputChannel | undefined;
  const context: ObsCommandContext = { host, model: () => model, uploads: host.uploads ?? (() => (uploads ??= vscode.window.createOutputChannel('ModelArts: Uploads'))) };
  const handlers = obsCommandHandlers(context);
  const subscriptions = [
    deps.sessions.onDidChange((session) => startSession(session)),
    onDidChangeSettings((next) => {
      if (next.pageSize === pageSize) return;
      pageSize = next.pageSize;
      model?.root.invalidate();
      host.changed(undefined);
    }),
  ];
  startSession(deps.sessions.current);

  return {
    getChildren: async (node) => {
      if (!model) return [];
      if (node === undefined) return model.root.getChildren();
      return node.getChildren ? node.getChildren() : [];
    },
    provideContent: (uri, token) => provideObsContent(context, uri, token),
    run: async (id, args) => {
      const handler = handlers[id];
      if (!handler) throw new Error(`No OBS command ${id}`);
      return handler(...args);
    },
    get root() {
      return model?.root;
    },
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      uploads?.dispose();
      model?.dispose();
      model = undefined;
    },
  };
}
