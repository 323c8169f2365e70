import type * as vscode from 'vscode';
import type { CredentialConfig } from '../api/credentials';

// Checks run in the input boxes, before any request; each returns the reason to show, or undefined.
// Length bounds are generous around what Huawei Cloud issues (AK 20, SK 40 characters; user names up to 64),
// to catch a wrong paste, not to second-guess the service.

export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** The demo's profile name; a saved profile cannot take it. */
export const DEMO_PROFILE_NAME = 'Demo';

const WHITESPACE = /\s/;

function lengthOutside(value: string, min: number, max: number): boolean {
  return value.length < min || value.length > max;
}

export function validateAccessKeyId(value: string, l10n: typeof vscode.l10n): string | undefined {
  if (!value) return l10n.t('Enter the access key ID (AK).');
  if (!/^[A-Za-z0-9]+$/.test(value)) return l10n.t('The access key ID has only letters and digits, no spaces.');
  if (lengthOutside(value, 10, 128)) return l10n.t('An access key ID has {0} to {1} characters; this one has {2}.', 10, 128, value.length);
  return undefined;
}

export function validateSecretAccessKey(value: string, l10n: typeof vscode.l10n): string | undefined {
  if (!value) return l10n.t('Enter the secret access key (SK).');
  if (WHITESPACE.test(value)) return l10n.t('The secret access key has no spaces.');
  if (lengthOutside(value, 20, 128)) return l10n.t('A secret access key has {0} to {1} characters; this one has {2}.', 20, 128, value.length);
  return undefined;
}

export function validateSecurityToken(value: string, l10n: typeof vscode.l10n): string | undefined {
  if (!value) return l10n.t('Enter the security token.');
  if (WHITESPACE.test(value)) return l10n.t('The security token has no spaces or line breaks.');
  if (lengthOutside(value, 32, 16_384)) return l10n.t('A security token has {0} to {1} characters; this one has {2}.', 32, 16_384, value.length);
  return undefined;
}

/** IAM user names may contain inner spaces; the box trims the ends. */
export function validateUserName(value: string, l10n: typeof vscode.l10n): string | undefined {
  if (!value) return l10n.t('Enter the IAM user name.');
  if (/[\r\n\t]/.test(value)) return l10n.t('The IAM user name has no tabs or line breaks.');
  if (value.length > 64) return l10n.t('An IAM user name has at most {0} characters; this one has {1}.', 64, value.length);
  return undefined;
}

/** Passwords are taken as typed (not trimmed): a space may be part of one. */
export function validatePassword(value: string, l10n: typeof vscode.l10n): string | undefined {
  if (!value.trim()) return l10n.t('Enter the password.');
  if (/[\r\n]/.test(value)) return l10n.t('The password has no line breaks.');
  if (value.length > 128) return l10n.t('A password has at most {0} characters; this one has {1}.', 128, value.length);
  return undefined;
}

export function validateAccountName(value: string, l10n: typeof vscode.l10n): string | undefined {
  if (!value) return l10n.t('Enter the account name.');
  if (WHITESPACE.test(value)) return l10n.t('The account name has no spaces.');
  if (value.length > 64) return l10n.t('An account name has at most {0} characters; this one has {1}.', 64, value.length);
  return undefined;
}

/** Format only; `reserved` also refuses the demo's name (for profiles that are saved). */
export function validateProfileName(value: string, l10n: typeof vscode.l10n, options: { reserved?: boolean } = {}): string | undefined {
  if (!value) return l10n.t('Enter a profile name.');
  if (!PROFILE_NAME_PATTERN.test(value)) return l10n.t('Use 1 to 32 letters, digits, - or _.');
  if (options.reserved !== false && value.toLowerCase() === DEMO_PROFILE_NAME.toLowerCase()) return l10n.t('The name {0} is reserved for the demo.', DEMO_PROFILE_NAME);
  return undefined;
}

/** The first problem with a whole credential config, as the input boxes would have reported it. */
export function validateCredentials(config: CredentialConfig, l10n: typeof vscode.l10n): string | undefined {
  if (config.kind === 'aksk') {
    return (
      validateAccessKeyId(config.ak, l10n) ??
      validateSecretAccessKey(config.sk, l10n) ??
      (config.securityToken === undefined ? undefined : validateSecurityToken(config.securityToken, l10n))
    );
  }
  return validateUserName(config.username, l10n) ?? validatePassword(config.password, l10n) ?? validateAccountName(config.domain, l10n);
}

/** A free name for a new profile: `default` for the first, else the region, `-2`, `-3`… when taken. */
export function suggestProfileName(existing: readonly string[], region: string): string {
  const taken = new Set(existing.map((name) => name.toLowerCase()));
  const base = existing.length === 0 ? 'default' : region.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 28) || 'profile';
  if (!taken.has(base.toLowerCase()) && base.toLowerCase() !== DEMO_PROFILE_NAME.toLowerCase()) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export interface ProfileNameCheck {
  /** Refuses the name. */
  error?: string;
  /** The name is taken by exactly this spelling: signing in replaces that profile. */
  replaces?: boolean;
}

/** A new profile's name: valid, and not a different spelling of an existing one (their ids would clash). */
export function checkNewProfileName(value: string, existing: readonly string[], l10n: typeof vscode.l10n): ProfileNameCheck {
  const error = validateProfileName(value, l10n);
  if (error) return { error };
  if (existing.includes(value)) return { replaces: true };
  const clash = existing.find((name) => name.toLowerCase() === value.toLowerCase());
  return clash ? { error: l10n.t('A profile named {0} already exists.', clash) } : {};
}
