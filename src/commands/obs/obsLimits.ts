// OBS's name rules (src/api/obs/limits.ts, the client's own checks) in the user's language, for the input
// boxes. The API's reasons are English sentences; each one it can give has its translation here (a unit test
// feeds every rule a bad name, so a reworded reason is noticed), and an unknown one shows as it is.

import type * as vscode from 'vscode';
import { bucketNameProblem as bucketReason, OBS_MAX_KEY_BYTES, objectKeyProblem as keyReason } from '../../api/obs/limits';

/** The fixed reasons of the API's checks and their translations. */
export function translatedReasons(l10n: typeof vscode.l10n): Record<string, string> {
  return {
    'A bucket name holds only lower-case letters, digits, hyphens (-) and periods (.).': l10n.t('A bucket name holds only lower-case letters, digits, hyphens (-) and periods (.).'),
    'A bucket name starts with a letter or a digit.': l10n.t('A bucket name starts with a letter or a digit.'),
    'A bucket name does not end with a hyphen or a period.': l10n.t('A bucket name does not end with a hyphen or a period.'),
    'A bucket name has no "..", ".-" or "-." in it.': l10n.t('A bucket name has no "..", ".-" or "-." in it.'),
    'A bucket name cannot look like an IP address.': l10n.t('A bucket name cannot look like an IP address.'),
    'An object key cannot be empty.': l10n.t('An object key cannot be empty.'),
  };
}

/** Why `name` cannot be a bucket name, in the user's language; undefined when it can. */
export function bucketNameMessage(name: string, l10n: typeof vscode.l10n): string | undefined {
  const reason = bucketReason(name);
  if (reason === undefined) return undefined;
  if (name.length < 3 || name.length > 63) return l10n.t('A bucket name has 3 to 63 characters; this one has {0}.', name.length);
  return translatedReasons(l10n)[reason] ?? reason;
}

/** Why `key` cannot be an object key, in the user's language; undefined when it can. */
export function objectKeyMessage(key: string, l10n: typeof vscode.l10n): string | undefined {
  const reason = keyReason(key);
  if (reason === undefined) return undefined;
  if (key.length > 0) return l10n.t('An object key has at most {0} bytes of UTF-8; this one has {1}.', OBS_MAX_KEY_BYTES, Buffer.byteLength(key, 'utf8'));
  return translatedReasons(l10n)[reason] ?? reason;
}
