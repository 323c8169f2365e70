// Open Outputs in OBS: the OBS folders a training job's spec names (outputs, log export, code), revealed and
// expanded in the OBS view. Each level is searched page by page, as the user would with Load more.

import * as vscode from 'vscode';
import type { TrainingJob } from '../../api/types';
import { safeL10n } from '../../common/safeText';
import { showInformation } from '../../common/safeUi';
import { ObsBucketNode, ObsFolderNode, type ObsListNode, type ObsNode } from '../../explorer/obs/obsNodes';
import { modelOf, type ObsCommandContext } from './obsCommands';
import { jobObsFolders, obsUrl, type JobFolder } from './obsPaths';
import { cancelled } from './obsPrompts';

const l10n = safeL10n(vscode.l10n);

/** Pages searched per level before giving up. */
const MAX_PAGES = 50;

async function findChild(list: ObsListNode<unknown>, match: (node: ObsNode) => boolean): Promise<ObsNode | undefined> {
  let rows: readonly ObsNode[] = await list.getChildren();
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = rows.find(match);
    if (found) return found;
    if (!rows.some((r) => r.id.endsWith('/#loadMore'))) return undefined;
    await list.loadMore();
    rows = list.loadedChildren();
  }
  return undefined;
}

/** The deepest row on the way to `folder`: the folder itself when it exists. */
export async function findFolder(root: ObsListNode<unknown>, folder: { bucket: string; key: string }): Promise<ObsNode | undefined> {
  const bucket = await findChild(root, (n) => n instanceof ObsBucketNode && n.bucket === folder.bucket);
  if (!(bucket instanceof ObsBucketNode)) return undefined;
  let node: ObsBucketNode | ObsFolderNode = bucket;
  const parts = folder.key.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length; i++) {
    const prefix = `${parts.slice(0, i + 1).join('/')}/`;
    const next = await findChild(node, (n) => n instanceof ObsFolderNode && n.prefix === prefix);
    if (!(next instanceof ObsFolderNode)) break;
    node = next;
  }
  return node;
}

function isTrainingJob(value: unknown): value is TrainingJob {
  return typeof value === 'object' && value !== null && 'metadata' in value && 'status' in value;
}

/** `job`: the job (the shell picked it, from the row or asked); its spec is read afresh. */
export async function openOutputs(ctx: ObsCommandContext, job: unknown): Promise<JobFolder[]> {
  const model = modelOf(ctx);
  const id = isTrainingJob(job) ? job.metadata.id : typeof job === 'object' && job !== null && 'id' in job && typeof job.id === 'string' ? job.id : undefined;
  if (id === undefined) throw cancelled();
  const fresh = await model.session.client.trainingJobs.get(id);
  const folders = jobObsFolders(fresh);
  if (folders.length === 0) {
    void showInformation(l10n.t('Training job {0} names no OBS folder (code, outputs or log export).', fresh.metadata.name || id));
    return [];
  }
  await vscode.commands.executeCommand('modelarts.obs.focus');
  const missing: string[] = [];
  let first = true;
  for (const folder of folders) {
    const node = await findFolder(model.root, folder);
    const exact = node instanceof ObsFolderNode ? node.prefix === folder.key : node instanceof ObsBucketNode && folder.key === '';
    if (!exact) missing.push(obsUrl(folder.bucket, folder.key));
    if (node) await ctx.host.view.reveal(node, { select: first, focus: first, expand: true });
    first = false;
  }
  if (missing.length > 0) void showInformation(l10n.t('Not in OBS (yet): {0}', missing.join(', ')));
  return folders;
}
