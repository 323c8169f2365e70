// Open OBS Object: a read-only editor on an `obs:` document (`obs:/<profile>/<bucket>/<key>`, the key's
// extension picks the language). Text up to 1 MiB is read into memory; a larger object is offered for download.

import * as vscode from 'vscode';
import { safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { describeObsError } from '../../explorer/obs/obsNodes';
import { formatBytes } from '../../explorer/obs/obsText';
import { COMMAND } from '../ids';
import { modelOf, type ObsCommandContext } from './obsCommands';
import { obsUrl, type ObsLocation } from './obsPaths';
import { cancelled, targetOf } from './obsPrompts';
import { abortOn } from '../../common/cancellation';

const l10n = safeL10n(vscode.l10n);

/** The largest object opened as a document. */
export const OPEN_MAX_BYTES = 1024 * 1024;
export const OBS_DOCUMENT_SCHEME = 'obs';

export function obsDocumentPath(profile: string, bucket: string, key: string): string {
  return `/${encodeURIComponent(profile)}/${bucket}/${key}`;
}

export function parseObsDocumentPath(path: string): (ObsLocation & { profile: string }) | undefined {
  const m = /^\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  try {
    return { profile: decodeURIComponent(m[1]), bucket: m[2], key: m[3] };
  } catch {
    return undefined;
  }
}

/** Text that is not UTF-8 text: a NUL byte in the first 8 KB, as editors judge it. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** The document's text: the object, or one comment line saying why it is not shown. */
export async function provideObsContent(ctx: ObsCommandContext, uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
  const place = parseObsDocumentPath(uri.path);
  const model = ctx.model();
  if (!place) return `// ${vscode.l10n.t('Not an OBS object: {0}', uri.toString())}\n`;
  const url = obsUrl(place.bucket, place.key);
  if (!model || model.session.profile !== place.profile) return `// ${vscode.l10n.t('Sign in with the profile of this document to load it.')}\n`;
  try {
    const bytes = await model.client.getObject(place.bucket, place.key, { maxBytes: OPEN_MAX_BYTES, signal: abortOn(token) });
    if (looksBinary(bytes)) return `// ${vscode.l10n.t('{0} is not text: download it to open it.', url)}\n`;
    return new TextDecoder('utf-8').decode(bytes);
  } catch (error) {
    ctx.host.deps.log.error(`Reading ${url} failed: ${describeObsError(error)}`);
    return `// ${vscode.l10n.t('Could not read {0}: {1}', url, describeObsError(error))}\n`;
  }
}

/** Open OBS Object: small text in a read-only editor; a larger object offers Download from OBS instead. */
export async function openObject(ctx: ObsCommandContext, arg: unknown): Promise<vscode.Uri | undefined> {
  const model = modelOf(ctx);
  const target = await targetOf(model, ctx.host.view, arg, l10n.t('Open an object of which bucket?'), true);
  if (target.kind !== 'object') {
    void showInformation(l10n.t('Open OBS Object opens an object; expand a folder to see its objects.'));
    throw cancelled();
  }
  const size = target.size ?? 0;
  if (size > OPEN_MAX_BYTES) {
    const download = l10n.t('Download');
    const choice = await showInformation(l10n.t('{0} is {1}: only objects up to {2} open in an editor.', obsUrl(target.bucket, target.key), formatBytes(size), formatBytes(OPEN_MAX_BYTES)), download);
    if (choice === download) await vscode.commands.executeCommand(COMMAND.obsDownload, target.node);
    return undefined;
  }
  const uri = vscode.Uri.from({ scheme: OBS_DOCUMENT_SCHEME, path: obsDocumentPath(model.session.profile, target.bucket, target.key) });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true });
  return uri;
}
