import * as vscode from 'vscode';
import { CancelledByUser } from '../commands/registry';
import { labelText, pickText, promptText, safeL10n } from '../common/safeText';
import { showInput, showPick, type SafePickItem } from '../common/safeUi';
import type { ProfileInput } from './signInCore';
import { regionChoices } from './regions';
import {
  checkNewProfileName,
  suggestProfileName,
  validateAccessKeyId,
  validateAccountName,
  validatePassword,
  validateSecretAccessKey,
  validateSecurityToken,
  validateUserName,
} from './validation';

// The interactive part of "ModelArts: Sign In": method, credentials, region and profile name. The e2e tests
// drive it by these texts. Escape at any step throws CancelledByUser; nothing is sent from here.

type Method = 'aksk' | 'temporary' | 'password' | 'env';

interface MethodItem extends SafePickItem {
  method: Method;
}

const l10n = safeL10n(vscode.l10n);


export const ENV_VARIABLES = ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HUAWEICLOUD_SDK_PROJECT_ID'];

function envIsUsable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HUAWEICLOUD_SDK_AK?.trim() && env.HUAWEICLOUD_SDK_SK?.trim());
}

function methodItems(env: NodeJS.ProcessEnv): MethodItem[] {
  const items: MethodItem[] = [
    { method: 'aksk', label: l10n.t('Access Key (AK/SK)'), detail: l10n.t('The access key ID and secret access key of an IAM user.') },
    { method: 'temporary', label: l10n.t('Temporary Access Key (AK/SK + security token)'), detail: l10n.t('A temporary access key with its security token; it expires.') },
    { method: 'password', label: l10n.t('IAM User Password'), detail: l10n.t('IAM user name, password and account name; exchanged for a 24-hour token.') },
  ];
  if (envIsUsable(env)) {
    const set = ENV_VARIABLES.filter((name) => env[name]?.trim());
    items.push({ method: 'env', label: l10n.t('Environment Variables (HUAWEICLOUD_SDK_*)'), detail: l10n.t('Uses {0}, as set for VS Code; they are read again each time and never stored.', set.join(', ')) });
  }
  return items;
}

interface AskOptions {
  prompt: string;
  validate: (value: string) => string | undefined;
  password?: boolean;
  /** Trims the ends (everything but passwords). */
  trim?: boolean;
  placeHolder?: string;
}

async function ask(options: AskOptions): Promise<string> {
  const clean = (value: string): string => (options.trim === false ? value : value.trim());
  const value = await showInput({
    title: labelText(vscode.l10n.t('ModelArts: Sign In')),
    prompt: promptText(options.prompt),
    ...(options.placeHolder === undefined ? {} : { placeHolder: labelText(options.placeHolder) }),
    password: options.password ?? false,
    // Copying a key from the console in another window must not cancel the box.
    ignoreFocusOut: true,
    validateInput: (raw) => {
      const reason = options.validate(clean(raw));
      return reason === undefined ? undefined : promptText(reason);
    },
  });
  if (value === undefined) throw new CancelledByUser();
  return clean(value);
}

async function pickMethod(env: NodeJS.ProcessEnv): Promise<Method> {
  const picked = await showPick(methodItems(env), {
    title: l10n.t('ModelArts: Sign In'),
    placeHolder: l10n.t('How do you want to sign in?'),
    ignoreFocusOut: true,
  });
  if (!picked) throw new CancelledByUser();
  return picked.method;
}

async function askCredentials(method: Exclude<Method, 'env'>): Promise<ProfileInput['credentials']> {
  if (method === 'password') {
    const username = await ask({ prompt: vscode.l10n.t('IAM user name'), validate: (v) => validateUserName(v, vscode.l10n) });
    const password = await ask({ prompt: vscode.l10n.t('Password'), password: true, trim: false, validate: (v) => validatePassword(v, vscode.l10n) });
    const domain = await ask({ prompt: vscode.l10n.t('Account name (domain)'), validate: (v) => validateAccountName(v, vscode.l10n) });
    return { kind: 'password', username, password, domain };
  }
  const ak = await ask({ prompt: vscode.l10n.t('Access Key ID (AK)'), validate: (v) => validateAccessKeyId(v, vscode.l10n) });
  const sk = await ask({ prompt: vscode.l10n.t('Secret Access Key (SK)'), password: true, validate: (v) => validateSecretAccessKey(v, vscode.l10n) });
  if (method === 'aksk') return { kind: 'aksk', ak, sk };
  const securityToken = await ask({ prompt: vscode.l10n.t('Security Token'), password: true, validate: (v) => validateSecurityToken(v, vscode.l10n) });
  return { kind: 'aksk', ak, sk, securityToken };
}

async function pickRegion(current: string): Promise<string> {
  // The current region comes from a setting a workspace may set: a value, never an icon.
  const items = regionChoices(current).map((region) => ({ label: pickText(region), region, ...(region === current ? { description: l10n.t('current setting') } : {}) }));
  const picked = await showPick(items, { title: l10n.t('Region'), placeHolder: l10n.t('Huawei Cloud region of this profile'), ignoreFocusOut: true });
  if (!picked) throw new CancelledByUser();
  return picked.region;
}

async function askProfileName(existing: readonly string[], region: string): Promise<string> {
  const value = await showInput({
    title: l10n.t('ModelArts: Sign In'),
    prompt: l10n.t('Profile name'),
    value: suggestProfileName(existing, region),
    ignoreFocusOut: true,
    validateInput: (raw) => {
      const name = raw.trim();
      const check = checkNewProfileName(name, existing, vscode.l10n);
      if (check.error) return promptText(check.error);
      if (check.replaces) return { message: l10n.t('A profile named {0} exists: signing in replaces it.', name), severity: vscode.InputBoxValidationSeverity.Warning };
      return undefined;
    },
  });
  if (value === undefined) throw new CancelledByUser();
  return value.trim();
}

/** Asks for everything a sign-in needs, in the documented order. */
export async function collectProfileInput(options: { existing: readonly string[]; region: string; env: NodeJS.ProcessEnv }): Promise<ProfileInput> {
  const method = await pickMethod(options.env);
  const credentials = method === 'env' ? ({ kind: 'env' } as const) : await askCredentials(method);
  const region = await pickRegion(options.region);
  const name = await askProfileName(options.existing, region);
  return { name, region, credentials };
}
