// What Run on ModelArts says of a code folder and of each stage, in the user's words with the figures.

import * as vscode from 'vscode';
import { formatMegabytes } from '../../api/wire';
import type { MirrorPlan } from '../../api/obs/mirror';
import type { CodeFolderProblem } from '../../api/obs/mirrorScan';
import { safeL10n, type Words } from '../../common/safeText';
import type { RunStage } from './runEngine';

const l10n = safeL10n(vscode.l10n);

/** A code folder problem in the user's words, with its figures. */
export function problemText(problem: CodeFolderProblem): Words {
  const n = (value: number | undefined): string => (value ?? 0).toLocaleString(vscode.env.language);
  switch (problem.code) {
    case 'TooManyEntries':
      return l10n.t('The folder has {0} files and folders to upload; a ModelArts code folder holds at most {1}. Exclude the rest in .gitignore, .modelartsignore or code.exclude.', n(problem.found), n(problem.limit));
    case 'TooLarge':
      return l10n.t('The folder has {0} to upload; a ModelArts code folder holds at most {1}. Put data in OBS and pass it as an input.', formatMegabytes(problem.found ?? 0), formatMegabytes(problem.limit ?? 0));
    case 'LargerThanRecommended':
      return l10n.t('The folder has {0} to upload; ModelArts recommends at most {1} of code. Put data in OBS and pass it as an input.', formatMegabytes(problem.found ?? 0), formatMegabytes(problem.limit ?? 0));
    case 'KeyTooLong':
      return l10n.t('The path {0} makes an OBS key longer than {1} bytes.', problem.path ?? '', n(problem.limit));
    case 'BootFileOutside':
      return l10n.t('The boot file {0} is not inside the code folder: only the folder is uploaded.', problem.path ?? '');
    case 'BootFileMissing':
      return l10n.t('The boot file {0} does not exist in the code folder.', problem.path ?? '');
    case 'BootFileIgnored':
      return l10n.t('The boot file {0} is excluded (by .gitignore, .modelartsignore, code.exclude, or as a symbolic link), so it would not be uploaded.', problem.path ?? '');
  }
}

export function stageText(stage: RunStage, plan: MirrorPlan | undefined, name: string): Words {
  switch (stage) {
    case 'comparing':
      return l10n.t('Comparing with OBS…');
    case 'uploading':
      return plan && plan.uploads.length > 0 ? l10n.t('Uploading {0} files ({1})…', plan.uploads.length, formatMegabytes(plan.bytes)) : l10n.t('Nothing changed since the last upload.');
    case 'deleting':
      return l10n.t('Deleting {0} objects no longer local…', plan?.deletes.length ?? 0);
    case 'submitting':
      return l10n.t('Submitting {0}…', name);
  }
}
