// The OBS commands: which row (or, from the palette, which bucket and folder), then the request, with
// progress where it takes time. Failures go to the one wrapper (registry.ts) through the shell.

import * as vscode from 'vscode';
import { labelText, promptText, safeL10n } from '../../common/safeText';
import { setStatusMessage } from '../../common/safeUi';
import { ObsListNode, ObsLoadMoreNode, isObsPlace, type ObsNode } from '../../explorer/obs/obsNodes';
import { COMMAND } from '../ids';
import type { ObsFeatureHost, ObsModel } from './obsFeature';
import { bucketNameMessage, objectKeyMessage } from './obsLimits';
import { folderNameProblem, obsUrl } from './obsPaths';
import { askText, folderOf, requireModel, targetOf, type ObsRowTarget } from './obsPrompts';
import { openObject } from './obsDocuments';
import { openOutputs } from './obsReveal';
import { deleteTarget, downloadTarget, uploadTo } from './obsTransfers';

const l10n = safeL10n(vscode.l10n);

export interface ObsCommandContext {
  readonly host: ObsFeatureHost;
  model(): ObsModel | undefined;
  /** The `ModelArts: Uploads` channel (made on first use). */
  uploads(): vscode.OutputChannel;
}

type Handler = (...args: unknown[]) => Promise<unknown>;

/** The model of the signed-in session (else the sign-in prompt and a quiet end). */
export function modelOf(ctx: ObsCommandContext): ObsModel {
  return requireModel(ctx.host.deps.sessions.current, ctx.model());
}

/** Reloads a list row (its parent when it is an object), or the whole view. */
export function refreshNode(ctx: ObsCommandContext, node: ObsNode | undefined): void {
  const list = node instanceof ObsListNode ? node : node?.parent instanceof ObsListNode ? node.parent : undefined;
  const model = ctx.model();
  if (list) {
    list.invalidate();
    ctx.host.changed(list === model?.root ? undefined : list);
  } else {
    model?.root.invalidate();
    ctx.host.changed(undefined);
  }
}

async function filter(ctx: ObsCommandContext, arg: unknown): Promise<void> {
  const model = modelOf(ctx);
  const node = isObsPlace(arg) ? arg : undefined;
  const list: ObsListNode<unknown> = (node as ObsListNode<unknown> | undefined) ?? (model.root);
  const where = node ? obsUrl(node.bucket, node.prefix) : undefined;
  const value = await askText({
    title: l10n.t('Filter by Prefix'),
    prompt: where === undefined ? l10n.t('Show the buckets whose name starts with this text. Empty clears the filter.') : l10n.t('Show what in {0} starts with this text (a/b/ goes into folders). Empty clears the filter.', where),
    value: list.filter,
  });
  list.filter = value.trim();
  list.invalidate();
  if (!node) ctx.host.view.message = list.filter === '' ? undefined : labelText(vscode.l10n.t('Buckets starting with {0}', list.filter));
  ctx.host.changed(node);
}

async function newFolder(ctx: ObsCommandContext, arg: unknown): Promise<void> {
  const model = modelOf(ctx);
  const place = folderOf(await targetOf(model, ctx.host.view, arg, l10n.t('New folder in which bucket?'), false));
  const name = await askText({
    title: l10n.t('New OBS Folder'),
    prompt: l10n.t('Name of the new folder in {0}', obsUrl(place.bucket, place.key)),
    validateInput: (value) => {
      const problem = folderNameProblem(value, vscode.l10n) ?? objectKeyMessage(`${place.key}${value}/`, vscode.l10n);
      return problem === undefined ? undefined : promptText(problem);
    },
  });
  await model.client.putObject(place.bucket, `${place.key}${name}/`, Buffer.alloc(0));
  refreshNode(ctx, place.node);
}

async function createBucket(ctx: ObsCommandContext): Promise<void> {
  const model = modelOf(ctx);
  const region = model.session.region;
  const name = await askText({
    title: l10n.t('Create Bucket'),
    prompt: l10n.t('Name of the new bucket in {0}: 3–63 lower-case letters, digits, hyphens and periods, unique across OBS.', region),
    validateInput: (value) => {
      const problem = bucketNameMessage(value, vscode.l10n);
      return problem === undefined ? undefined : promptText(problem);
    },
  });
  await model.client.createBucket(name, { region });
  refreshNode(ctx, undefined);
  setStatusMessage(l10n.t('Created bucket {0} in {1}', name, region), 5000);
}

async function copyPath(ctx: ObsCommandContext, arg: unknown): Promise<string> {
  const model = modelOf(ctx);
  const target: ObsRowTarget = await targetOf(model, ctx.host.view, arg, l10n.t('Copy the path of which bucket?'), true);
  const url = obsUrl(target.bucket, target.key);
  await vscode.env.clipboard.writeText(url);
  setStatusMessage(l10n.t('Copied: {0}', url), 3000);
  return url;
}

export function obsCommandHandlers(ctx: ObsCommandContext): Record<string, Handler> {
  return {
    [COMMAND.obsRefresh]: (arg) => Promise.resolve(refreshNode(ctx, arg as ObsNode | undefined)),
    [COMMAND.obsFilter]: (arg) => filter(ctx, arg),
    [COMMAND.obsLoadMore]: async (arg) => {
      if (arg instanceof ObsLoadMoreNode) await arg.owner.loadMore();
    },
    [COMMAND.obsUpload]: (arg, dropped) => uploadTo(ctx, arg, dropped),
    [COMMAND.obsDownload]: (arg) => downloadTarget(ctx, arg),
    [COMMAND.obsDelete]: (arg) => deleteTarget(ctx, arg),
    [COMMAND.obsCopyPath]: (arg) => copyPath(ctx, arg),
    [COMMAND.obsOpen]: (arg) => openObject(ctx, arg),
    [COMMAND.obsNewFolder]: (arg) => newFolder(ctx, arg),
    [COMMAND.obsCreateBucket]: () => createBucket(ctx),
    [COMMAND.trainingJobOpenOutputs]: (job) => openOutputs(ctx, job),
  };
}

