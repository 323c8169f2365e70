// Upload, download and delete: the planning is plain (obsPaths.ts), the transfers are the client's; here are
// the dialogs, the cancellable progress notification and the `ModelArts: Uploads` channel's lines.

import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { ObsProgress } from '../../api/obs/types';
import { abortOn } from '../../common/cancellation';
import { lineText, messageText, safeL10n } from '../../common/safeText';
import { showInformation, withNotificationProgress, type SafeProgress, type Said } from '../../common/safeUi';
import { formatBytes } from '../../explorer/obs/obsText';
import { modelOf, refreshNode, type ObsCommandContext } from './obsCommands';
import { keyName, obsUrl, planUpload } from './obsPaths';
import { cancelled, confirm, folderOf, pickOne, targetOf, type ObsRowTarget } from './obsPrompts';

const l10n = safeL10n(vscode.l10n);

/** The local paths of a `text/uri-list` (a drop from the Explorer): `file:` URIs only; the others are counted. */
export function localPathsOfUriList(list: string): { paths: string[]; skipped: number } {
  const paths: string[] = [];
  let skipped = 0;
  for (const line of list.split(/\r?\n/)) {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) continue;
    try {
      if (!text.startsWith('file:')) throw new Error('not a file URI');
      paths.push(fileURLToPath(text));
    } catch {
      skipped++;
    }
  }
  return { paths, skipped };
}

/** A progress reporter that turns the client's byte and file counts (totals included) into the notification's increments. */
function reporter(progress: SafeProgress): (p: ObsProgress) => void {
  let shown = 0;
  return (p) => {
    const percent = p.totalBytes > 0 ? Math.min(100, (p.bytes / p.totalBytes) * 100) : 0;
    const files = p.totalFiles === undefined ? '' : vscode.l10n.t('{0} of {1} files', p.files ?? 0, p.totalFiles);
    const bytes = vscode.l10n.t('{0} of {1}', formatBytes(p.bytes), formatBytes(p.totalBytes));
    progress.report({ increment: Math.max(0, percent - shown), message: messageText(files === '' ? bytes : `${files} · ${bytes}`) });
    shown = Math.max(shown, percent);
  };
}

/** Files or a folder from this computer, asked with the system dialog. */
async function askLocalPaths(destination: string): Promise<string[]> {
  const files = l10n.t('Files…');
  const folder = l10n.t('A Folder…');
  const kind = await pickOne([{ label: files }, { label: folder }], { placeHolder: l10n.t('Upload what to {0}?', destination) });
  const asFolder = kind.label === folder;
  const chosen = await vscode.window.showOpenDialog({ canSelectFiles: !asFolder, canSelectFolders: asFolder, canSelectMany: !asFolder, openLabel: vscode.l10n.t('Upload') });
  if (!chosen || chosen.length === 0) throw cancelled();
  return chosen.map((uri) => uri.fsPath);
}

/** Upload to OBS: files or a folder onto a bucket or folder row (or asked), or what was dropped on it (`dropped`: a uri-list). */
export async function uploadTo(ctx: ObsCommandContext, arg: unknown, dropped?: unknown): Promise<number> {
  const model = modelOf(ctx);
  const place = folderOf(await targetOf(model, ctx.host.view, arg, l10n.t('Upload to which bucket?'), false));
  const destination = obsUrl(place.bucket, place.key);
  let paths: string[];
  if (typeof dropped === 'string') {
    const local = localPathsOfUriList(dropped);
    if (local.skipped > 0) void showInformation(l10n.t('{0} of the dropped items are not files on this computer and were left out.', local.skipped));
    paths = local.paths;
  } else {
    paths = await askLocalPaths(destination);
  }
  const items = await planUpload(paths, place.key);
  if (items.length === 0) {
    void showInformation(l10n.t('Nothing to upload: no files there.'));
    return 0;
  }
  const channel = ctx.uploads();
  const totalBytes = items.reduce((sum, i) => sum + i.size, 0);
  channel.appendLine(lineText(vscode.l10n.t('Uploading {0} files ({1}) to {2}', items.length, formatBytes(totalBytes), destination)));
  try {
    await withNotificationProgress({ title: l10n.t('Uploading to {0}', destination), cancellable: true }, (progress, token) =>
      model.client.uploadFiles(
        place.bucket,
        items.map(({ file, key }) => ({ file, key })),
        { signal: abortOn(token), onProgress: reporter(progress) },
      ),
    );
  } catch (error) {
    channel.appendLine(lineText(vscode.l10n.t('Upload to {0} stopped: {1}', destination, error instanceof Error ? error.message : String(error))));
    throw error;
  } finally {
    refreshNode(ctx, place.node);
  }
  for (const item of items) channel.appendLine(lineText(`  ${item.file} → ${obsUrl(place.bucket, item.key)} (${formatBytes(item.size)})`));
  channel.appendLine(lineText(vscode.l10n.t('Uploaded {0} files to {1}', items.length, destination)));
  void showInformation(l10n.t('Uploaded {0} files ({1}) to {2}.', items.length, formatBytes(totalBytes), destination));
  return items.length;
}

function defaultFolder(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Download from OBS: an object to a file, or a folder (or a whole bucket) into a folder of this computer. */
export async function downloadTarget(ctx: ObsCommandContext, arg: unknown): Promise<string> {
  const model = modelOf(ctx);
  const target = await targetOf(model, ctx.host.view, arg, l10n.t('Download from which bucket?'), true);
  const source = obsUrl(target.bucket, target.key);
  const channel = ctx.uploads();
  if (target.kind === 'object') {
    const folder = defaultFolder();
    const name = keyName(target.key);
    const file = await vscode.window.showSaveDialog({ saveLabel: vscode.l10n.t('Download'), ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}) });
    if (!file) throw cancelled();
    await withNotificationProgress({ title: l10n.t('Downloading {0}', source), cancellable: true }, (progress, token) =>
      model.client.downloadFile(target.bucket, target.key, file.fsPath, { signal: abortOn(token), onProgress: reporter(progress) }),
    );
    channel.appendLine(lineText(vscode.l10n.t('Downloaded {0} to {1}', source, file.fsPath)));
    return file.fsPath;
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: vscode.l10n.t('Download Here') });
  const parent = chosen?.[0];
  if (!parent) throw cancelled();
  const into = join(parent.fsPath, target.kind === 'bucket' ? target.bucket : keyName(target.key));
  const result = await withNotificationProgress({ title: l10n.t('Downloading {0}', source), cancellable: true }, (progress, token) =>
    model.client.downloadPrefix(target.bucket, target.key, into, { signal: abortOn(token), onProgress: reporter(progress) }),
  );
  channel.appendLine(lineText(vscode.l10n.t('Downloaded {0} files ({1}) from {2} to {3}', result.files, formatBytes(result.bytes), source, into)));
  void showInformation(l10n.t('Downloaded {0} files ({1}) to {2}.', result.files, formatBytes(result.bytes), basename(into)));
  return into;
}

/** The keys a delete removes: the object, or every object under the folder. */
async function keysOf(ctx: ObsCommandContext, target: ObsRowTarget): Promise<string[]> {
  if (target.kind === 'object') return [target.key];
  const keys: string[] = [];
  for await (const o of modelOf(ctx).client.listAll(target.bucket, target.key)) keys.push(o.key);
  return keys;
}

/** Delete from OBS: an object, or a folder with everything under it, after a modal naming the count. */
export async function deleteTarget(ctx: ObsCommandContext, arg: unknown): Promise<number> {
  const model = modelOf(ctx);
  const target = await targetOf(model, ctx.host.view, arg, l10n.t('Delete from which bucket?'), true);
  if (target.kind === 'bucket') {
    void showInformation(l10n.t('Delete from OBS removes objects and folders; a bucket is deleted in OBS Console.'));
    throw cancelled();
  }
  const where = obsUrl(target.bucket, target.key);
  const keys = await keysOf(ctx, target);
  if (keys.length === 0) {
    void showInformation(l10n.t('Nothing to delete: {0} holds no objects.', where));
    refreshNode(ctx, target.node?.parent);
    return 0;
  }
  const question: Said<'message'> = target.kind === 'object' ? l10n.t('Delete {0}? This cannot be undone.', where) : l10n.t('Delete {0} objects under {1}? This cannot be undone.', keys.length, where);
  await confirm(question, l10n.t('Delete'));
  const result = await withNotificationProgress({ title: l10n.t('Deleting {0}', where), cancellable: true }, (_progress, token) => model.client.deleteObjects(target.bucket, keys, abortOn(token)));
  refreshNode(ctx, target.node?.parent);
  const channel = ctx.uploads();
  channel.appendLine(lineText(vscode.l10n.t('Deleted {0} objects under {1}', result.deleted.length, where)));
  for (const e of result.errors) channel.appendLine(lineText(`  ${obsUrl(target.bucket, e.key)}: ${e.message} (${e.code})`));
  if (result.errors.length > 0) throw new Error(vscode.l10n.t('{0} of {1} objects could not be deleted (see the ModelArts: Uploads output).', result.errors.length, keys.length));
  return result.deleted.length;
}
