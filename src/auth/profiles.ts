import type * as vscode from 'vscode';
import { credentialsFromEnv, type CredentialConfig } from '../api/credentials';
import { PROFILE_NAME_PATTERN } from './validation';

// Profiles: the non-secret part (name, kind, region, project id, endpoint overrides) in globalState, the
// credentials in SecretStorage under one key per profile. Nothing secret is ever written anywhere else, and a
// keychain failure is reported, never worked around.

/** The part of vscode.Memento used here (globalState). */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export type ProfileKind = 'aksk' | 'temporary' | 'password' | 'env';

export interface ProfileRecord {
  name: string;
  kind: ProfileKind;
  region: string;
  /** Found when the credentials were verified; reused so that restoring sends nothing. */
  projectId?: string;
  /** Set only when given explicitly at sign-in (tests, demo); otherwise the settings decide. */
  endpoint?: string;
  iamEndpoint?: string;
  obsEndpoint?: string;
}

export const PROFILES_KEY = 'modelarts.profiles';
export const ACTIVE_PROFILE_KEY = 'modelarts.activeProfile';
const SECRET_KEY_PREFIX = 'modelarts.credentials.';

export function secretKey(profile: string): string {
  return `${SECRET_KEY_PREFIX}${profile}`;
}

/** SecretStorage (the system keychain) refused to store, read or delete. */
export class KeychainError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'KeychainError';
  }
}

export function profileKindOf(config: CredentialConfig): Exclude<ProfileKind, 'env'> {
  if (config.kind === 'password') return 'password';
  return config.securityToken ? 'temporary' : 'aksk';
}

const KINDS: readonly ProfileKind[] = ['aksk', 'temporary', 'password', 'env'];

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** One stored record, or undefined when it is not one (an older or damaged entry is skipped, not fatal). */
export function parseProfileRecord(value: unknown): ProfileRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || !PROFILE_NAME_PATTERN.test(v.name)) return undefined;
  if (typeof v.kind !== 'string' || !(KINDS as readonly string[]).includes(v.kind)) return undefined;
  if (typeof v.region !== 'string' || !v.region) return undefined;
  const record: ProfileRecord = { name: v.name, kind: v.kind as ProfileKind, region: v.region };
  const projectId = optionalText(v.projectId);
  const endpoint = optionalText(v.endpoint);
  const iamEndpoint = optionalText(v.iamEndpoint);
  const obsEndpoint = optionalText(v.obsEndpoint);
  if (projectId) record.projectId = projectId;
  if (endpoint) record.endpoint = endpoint;
  if (iamEndpoint) record.iamEndpoint = iamEndpoint;
  if (obsEndpoint) record.obsEndpoint = obsEndpoint;
  return record;
}

/** The stored secret back into a credential config of the record's kind; undefined when it does not fit. */
export function parseStoredCredentials(kind: Exclude<ProfileKind, 'env'>, raw: string): CredentialConfig | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof v[key] === 'string' && v[key] !== '' ? v[key] : undefined);
  if (kind === 'password') {
    const username = text('username');
    const password = text('password');
    const domain = text('domain');
    return username && password && domain ? { kind: 'password', username, password, domain } : undefined;
  }
  const ak = text('ak');
  const sk = text('sk');
  if (!ak || !sk) return undefined;
  if (kind === 'aksk') return { kind: 'aksk', ak, sk };
  const securityToken = text('securityToken');
  return securityToken ? { kind: 'aksk', ak, sk, securityToken } : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ProfileStore {
  constructor(
    private readonly state: KeyValueStore,
    private readonly secrets: SecretStore,
    private readonly l10n: typeof vscode.l10n,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  list(): ProfileRecord[] {
    const value = this.state.get(PROFILES_KEY);
    if (!Array.isArray(value)) return [];
    const seen = new Set<string>();
    const records: ProfileRecord[] = [];
    for (const entry of value) {
      const record = parseProfileRecord(entry);
      if (record && !seen.has(record.name)) {
        seen.add(record.name);
        records.push(record);
      }
    }
    return records;
  }

  names(): string[] {
    return this.list().map((record) => record.name);
  }

  get(name: string): ProfileRecord | undefined {
    return this.list().find((record) => record.name === name);
  }

  /** The active profile's name, when it still has a record. */
  activeName(): string | undefined {
    const name = this.state.get(ACTIVE_PROFILE_KEY);
    return typeof name === 'string' && this.get(name) ? name : undefined;
  }

  async setActive(name: string | undefined): Promise<void> {
    await this.state.update(ACTIVE_PROFILE_KEY, name);
  }

  /**
   * Saves a verified profile and makes it active: the credentials first, so that a keychain failure leaves
   * nothing behind. `credentials` is undefined for an environment-variable profile (nothing to keep).
   */
  async save(record: ProfileRecord, credentials: CredentialConfig | undefined): Promise<void> {
    const key = secretKey(record.name);
    try {
      if (credentials) await this.secrets.store(key, JSON.stringify(credentials));
      else await this.secrets.delete(key);
    } catch (error) {
      const { l10n } = this;
      throw new KeychainError(l10n.t('Could not store the credentials in the system keychain: {0}', describe(error)), error);
    }
    const others = this.list().filter((r) => r.name !== record.name);
    try {
      await this.state.update(PROFILES_KEY, [...others, record]);
      await this.setActive(record.name);
    } catch (error) {
      // Credentials without their record would be unreachable: take them back.
      if (credentials) await Promise.resolve(this.secrets.delete(key)).then(undefined, () => undefined);
      throw error;
    }
  }

  /**
   * The record's credentials: from SecretStorage, or from the environment for an `env` profile. Undefined
   * when they are gone (or no longer fit the record); throws KeychainError when the keychain fails.
   */
  async credentials(record: ProfileRecord): Promise<{ config: CredentialConfig; projectId?: string } | undefined> {
    if (record.kind === 'env') return credentialsFromEnv(this.env);
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(secretKey(record.name));
    } catch (error) {
      const { l10n } = this;
      throw new KeychainError(l10n.t('Could not read the credentials from the system keychain: {0}', describe(error)), error);
    }
    const config = raw === undefined ? undefined : parseStoredCredentials(record.kind, raw);
    return config ? { config } : undefined;
  }

  /** Wipes a profile: its credentials first (on failure the record stays, so the user can try again). */
  async remove(name: string): Promise<void> {
    try {
      await this.secrets.delete(secretKey(name));
    } catch (error) {
      const { l10n } = this;
      throw new KeychainError(l10n.t('Could not remove the credentials from the system keychain: {0}', describe(error)), error);
    }
    const wasActive = this.state.get(ACTIVE_PROFILE_KEY) === name;
    await this.state.update(
      PROFILES_KEY,
      this.list().filter((r) => r.name !== name),
    );
    if (wasActive) await this.setActive(undefined);
  }
}
