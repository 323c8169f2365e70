// Add Tag and Remove Tag of a training job.

import * as vscode from 'vscode';
import { validateTagKey, validateTagValue } from '../../api/validate';
import { COMMAND } from '../ids';
import { askText } from '../prompts';
import { CancelledByUser, type CommandSpec } from '../registry';
import { pickText, safeL10n } from '../../common/safeText';
import { setStatusMessage, showInformation, showPick } from '../../common/safeUi';
import { inputReason, refreshNode, resolveJob, type JobTargetDeps } from './jobTargets';

/** Sentences with the service's values (names, tags), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export function jobTagCommands(deps: JobTargetDeps): CommandSpec[] {
  return [
    { id: COMMAND.trainingJobAddTag, title: vscode.l10n.t('Add Tag'), run: (arg) => addTag(deps, arg) },
    { id: COMMAND.trainingJobRemoveTag, title: vscode.l10n.t('Remove Tag'), run: (arg) => removeTag(deps, arg) },
  ];
}

export async function addTag(deps: JobTargetDeps, arg?: unknown): Promise<void> {
  const target = await resolveJob(deps, arg);
  const { session: s, job } = target;
  const key = await askText({ title: l10n.t('Add Tag'), prompt: l10n.t('Tag key'), validateInput: (v) => inputReason(validateTagKey(v)) });
  const value = await askText({ title: l10n.t('Add Tag'), prompt: l10n.t('Tag value'), validateInput: (v) => inputReason(validateTagValue(v)) });
  await s.client.trainingJobs.addTags(job.metadata.id, [{ key, value }]);
  refreshNode(deps, target.node);
  setStatusMessage(l10n.t('Tag {0} added to {1}.', key, job.metadata.name), 5_000);
}

export async function removeTag(deps: JobTargetDeps, arg?: unknown): Promise<void> {
  const target = await resolveJob(deps, arg);
  const { session: s, job } = target;
  const tags = await s.client.trainingJobs.getTags(job.metadata.id);
  const items = tags.flatMap((tag) =>
    (tag.values && tag.values.length > 0 ? tag.values : [tag.value ?? '']).map((value) => ({ label: pickText(tag.key), description: pickText(value), key: tag.key, value })),
  );
  if (items.length === 0) {
    void showInformation(l10n.t('Training job {0} has no tags.', job.metadata.name));
    return;
  }
  const picked = await showPick(items, { placeHolder: l10n.t('Pick the tag to remove') });
  if (!picked) throw new CancelledByUser();
  await s.client.trainingJobs.removeTags(job.metadata.id, [{ key: picked.key, value: picked.value }]);
  refreshNode(deps, target.node);
  setStatusMessage(l10n.t('Tag {0} removed from {1}.', picked.key, job.metadata.name), 5_000);
}
