// Save Image to SWR: a task's image under a typed name, organization and tag; the build's lines go to the
// Images channel and the job is watched meanwhile. The polling lives in saveImage.ts; this file asks and shows.

import * as vscode from 'vscode';
import { validateImageDescription, validateImageName, validateImageNamespace, validateImageTag, DEFAULT_IMAGE_TAG } from '../../api/validate';
import { COMMAND } from '../ids';
import { askText } from '../prompts';
import type { CommandSpec } from '../registry';
import { lineText, messageText, safeL10n } from '../../common/safeText';
import { showError, showInformation, withNotificationProgress } from '../../common/safeUi';
import { watchJob, type TrainingCommandDeps } from './jobFollow';
import { inputReason, pickTask, resolveJob, SAVEABLE_PHASES } from './jobTargets';
import { runSaveImage } from './saveImage';

/** Sentences with the service's values (names, build messages), made inert where they are shown. */
const l10n = safeL10n(vscode.l10n);

export interface SaveImageDeps extends TrainingCommandDeps {
  /** The Images output channel, created on first use. */
  readonly images: () => vscode.OutputChannel;
}

export function saveImageCommand(deps: SaveImageDeps): CommandSpec {
  return { id: COMMAND.trainingJobSaveImage, title: vscode.l10n.t('Save Image to SWR'), run: (arg) => saveImage(deps, arg) };
}

export async function saveImage(deps: SaveImageDeps, arg?: unknown): Promise<void> {
  const target = await resolveJob(deps, arg, SAVEABLE_PHASES);
  const task = await pickTask(target);
  const { session: s, job } = target;
  const name = await askText({ title: l10n.t('Save Image to SWR'), prompt: l10n.t('Image name'), validateInput: (v) => inputReason(validateImageName(v)) });
  const namespace = await askText({
    title: l10n.t('Save Image to SWR'),
    prompt: l10n.t('SWR organization (namespace)'),
    validateInput: (v) => inputReason(validateImageNamespace(v)),
  });
  const tag = await askText({ title: l10n.t('Save Image to SWR'), prompt: l10n.t('Image tag'), value: DEFAULT_IMAGE_TAG, validateInput: (v) => inputReason(validateImageTag(v)) });
  const description = await askText({
    title: l10n.t('Save Image to SWR'),
    prompt: l10n.t('Description (optional)'),
    validateInput: (v) => inputReason(validateImageDescription(v)),
  });
  const request = { name, namespace, tag, description };
  const channel = deps.images();
  channel.appendLine(lineText(vscode.l10n.t('Saving the image of {0}/{1} as {2}/{3}:{4}', job.metadata.name, task, namespace, name, tag || DEFAULT_IMAGE_TAG)));
  channel.show(true);
  watchJob(deps, target);
  const outcome = await withNotificationProgress(
    { cancellable: true, title: l10n.t('Saving the image of {0}/{1}', job.metadata.name, task) },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        return await runSaveImage({
          api: s.client.trainingJobs,
          watches: deps.watches,
          profile: s.profile,
          region: s.region,
          jobId: job.metadata.id,
          task,
          request,
          signal: controller.signal,
          onProgress: (saved, lines) => {
            progress.report({ message: messageText(saved.status ?? '') });
            // One append per read: the new lines only, each one line whatever the service wrote.
            if (lines.length > 0) channel.append(`${lines.map(lineText).join('\n')}\n`);
          },
        });
      } finally {
        cancel.dispose();
      }
    },
  );
  if (outcome.status === 'cancelled') {
    channel.appendLine(vscode.l10n.t('[No longer watching the image build: it goes on in ModelArts.]'));
    return;
  }
  if (outcome.status === 'ACTIVE') {
    deps.walkthrough.reached('imageSaved');
    channel.appendLine(lineText(vscode.l10n.t('Image saved: {0}', outcome.swrPath)));
    const copy = l10n.t('Copy SWR Path');
    const choice = await showInformation(l10n.t('Image saved: {0}', outcome.swrPath), copy);
    if (choice === copy) await vscode.env.clipboard.writeText(outcome.swrPath);
    return;
  }
  const lines = outcome.message.split('\n').filter((line) => line.trim() !== '');
  channel.appendLine(vscode.l10n.t('Saving the image failed.'));
  const showLog = l10n.t('Show Log');
  const choice = await showError(l10n.t('Saving the image failed: {0}', lines[lines.length - 1] ?? outcome.message), showLog);
  if (choice === showLog) channel.show(true);
}
