// The feature's prompts and targets. A dismissed prompt ends the command quietly with vscode's
// CancellationError: the feature is a bundle of its own, so the extension bundle's CancelledByUser would be
// another class here (the wrapper knows vscode's, shared by both).

import * as vscode from 'vscode';
import { pickText, safeL10n } from '../../common/safeText';
import { showInformation, showInput, showPick, showWarning, type Said, type SafeInputOptions, type SafePickItem, type SafePickOptions } from '../../common/safeUi';
import type { ActiveSession } from '../../common/session';
import { ObsBucketNode, ObsFolderNode, ObsObjectNode, type ObsNode } from '../../explorer/obs/obsNodes';
import { COMMAND } from '../ids';
import type { ObsModel } from './obsFeature';
import { parentFolder } from './obsPaths';

const l10n = safeL10n(vscode.l10n);

export function cancelled(): Error {
  return new vscode.CancellationError();
}

/** The session's OBS model; signed out, the one sign-in prompt and a quiet end. */
export function requireModel(session: ActiveSession | undefined, model: ObsModel | undefined): ObsModel {
  if (session && model && model.session === session) return model;
  const signIn = l10n.t('Sign In');
  void showInformation(l10n.t('Sign in to ModelArts first.'), signIn).then((choice) => {
    if (choice === signIn) void vscode.commands.executeCommand(COMMAND.signIn);
  });
  throw cancelled();
}

export async function askText(options: SafeInputOptions): Promise<string> {
  const value = await showInput({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw cancelled();
  return value;
}

export async function pickOne<T extends SafePickItem>(items: readonly T[], options: SafePickOptions = {}): Promise<T> {
  const picked = await showPick(items, options);
  if (picked === undefined) throw cancelled();
  return picked;
}

/** A modal question with one button that goes ahead; anything else ends the command quietly. */
export async function confirm(message: Said<'message'>, button: Said<'message'>): Promise<void> {
  if ((await showWarning(message, { modal: true }, button)) !== button) throw cancelled();
}

/** What a command acts on: a bucket, a folder or an object, with the bucket's region. */
export interface ObsRowTarget {
  kind: 'bucket' | 'folder' | 'object';
  bucket: string;
  /** '' for a bucket; a folder's ends with `/`. */
  key: string;
  region: string;
  /** Objects: bytes. */
  size?: number;
  /** The row it came from, to refresh it or its parent. */
  node?: ObsNode;
}

export function targetOfNode(node: unknown): ObsRowTarget | undefined {
  if (node instanceof ObsBucketNode) return { kind: 'bucket', bucket: node.bucket, key: '', region: node.region, node };
  if (node instanceof ObsFolderNode) return { kind: 'folder', bucket: node.bucket, key: node.prefix, region: node.region, node };
  if (node instanceof ObsObjectNode) return { kind: 'object', bucket: node.item.bucket, key: node.item.key, region: node.item.region, size: node.item.size, node };
  return undefined;
}

/** The row given, else the selected row, else a bucket picked from the account's (and, `entries`, one of its top-level folders or objects). */
export async function targetOf(model: ObsModel, view: vscode.TreeView<ObsNode>, arg: unknown, placeHolder: Said<'label'>, entries: boolean): Promise<ObsRowTarget> {
  const given = targetOfNode(arg) ?? view.selection.map(targetOfNode).find((t) => t !== undefined);
  if (given) return given;
  const buckets = await model.client.listBuckets();
  if (buckets.length === 0) {
    void showInformation(l10n.t('This account has no OBS buckets yet: create one with Create Bucket.'));
    throw cancelled();
  }
  const bucket = await pickOne(
    buckets.map((b) => ({ label: pickText(b.name), ...(b.location && b.location !== model.session.region ? { description: pickText(b.location) } : {}), bucket: b })),
    { placeHolder, matchOnDescription: true },
  );
  const region = bucket.bucket.location || model.session.region;
  const whole: ObsRowTarget = { kind: 'bucket', bucket: bucket.bucket.name, key: '', region };
  if (!entries) return whole;
  const page = await model.client.listObjects({ bucket: whole.bucket, delimiter: '/', maxKeys: 1000 });
  const items = [
    { label: pickText(`${whole.bucket}/`), description: l10n.t('the whole bucket'), target: whole },
    ...page.prefixes.map((p) => ({ label: pickText(p), target: { kind: 'folder', bucket: whole.bucket, key: p, region } satisfies ObsRowTarget })),
    ...page.objects.map((o) => ({ label: pickText(o.key), target: { kind: 'object', bucket: whole.bucket, key: o.key, region, size: o.size } satisfies ObsRowTarget })),
  ];
  return (await pickOne(items, { placeHolder })).target;
}

/** The folder a target's objects go into: a bucket's top, a folder, or an object's folder. */
export function folderOf(target: ObsRowTarget): ObsRowTarget {
  if (target.kind !== 'object') return target;
  const parent = target.node?.parent;
  return { kind: parent instanceof ObsFolderNode ? 'folder' : 'bucket', bucket: target.bucket, key: parentFolder(target.key), region: target.region, ...(parent ? { node: parent } : {}) };
}
