import type * as vscode from 'vscode';
import { createClient, defaultEndpoint, defaultIamEndpoint, type ModelArtsClient } from '../api/client';
import { defaultObsEndpoint } from '../api/obs/access';
import type { ConnectionOptions } from '../api/connection';
import { credentialSecrets, credentialsFromEnv, type CredentialConfig } from '../api/credentials';
import { ModelArtsError } from '../api/errors';
import type { Logger } from '../api/log';
import type { Redactor } from '../api/redact';
import { InvalidEndpointError, type ConfirmHost, type EndpointTrust } from './endpointTrust';
import { profileKindOf, type ProfileRecord, type ProfileStore } from './profiles';
import { isRegionId } from './regions';
import { validateCredentials, validateProfileName } from './validation';

// The non-interactive core of signing in and restoring, without vscode: the sign-in command, the demo and
// the tests all go through it. Order matters: validate, trust the hosts, verify with one call, then save.

export type ProfileCredentials = CredentialConfig | { kind: 'env' };

/** What a sign-in needs: the interactive flow collects it, tests and the demo pass it directly. */
export interface ProfileInput {
  name: string;
  region: string;
  /** `{ kind: 'env' }`: HUAWEICLOUD_SDK_AK/_SK(/_SECURITY_TOKEN/_PROJECT_ID), read each time, never stored. */
  credentials: ProfileCredentials;
  /** Default: HUAWEICLOUD_SDK_PROJECT_ID for env credentials, else the setting, else looked up in IAM. */
  projectId?: string;
  /** Overrides of the (machine-scoped) endpoint settings, kept with the profile. */
  endpoint?: string;
  iamEndpoint?: string;
  obsEndpoint?: string;
}

/** A profile's region and the endpoints it names itself. */
type EndpointOverrides = { region: string; endpoint?: string; iamEndpoint?: string; obsEndpoint?: string };

/** The settings the core reads: endpoints from the machine/user value only (see readSettings). */
export interface EndpointSettings {
  projectId: string;
  endpoint: string;
  iamEndpoint: string;
  obsEndpoint: string;
}

export interface SignInCoreDeps {
  store: ProfileStore;
  trust: EndpointTrust;
  settings: () => EndpointSettings;
  log: Logger;
  redactor: Redactor;
  l10n: typeof vscode.l10n;
  env?: NodeJS.ProcessEnv;
  /** Extra client options (tests pass a fetch or a clock). */
  clientOptions?: Partial<ConnectionOptions>;
}

export interface Connected {
  record: ProfileRecord;
  client: ModelArtsClient;
}

export type RestoreResult =
  | { ok: true; record: ProfileRecord; client: ModelArtsClient }
  | { ok: false; reason: 'no-profile' | 'no-credentials' | 'invalid-endpoint' | 'untrusted-host'; message: string };

export interface ConnectOptions {
  /** False for the demo: nothing is written to SecretStorage or globalState. */
  persist: boolean;
  signal?: AbortSignal;
  /** Asked for a host outside Huawei Cloud and loopback; absent or false: nothing is sent. */
  confirmHost?: ConfirmHost;
}

/** Thrown when the user declines to send credentials to a host: the caller stays quiet. */
export class HostNotTrusted extends Error {
  constructor() {
    super('host not trusted');
    this.name = 'HostNotTrusted';
  }
}

function invalidInput(message: string): ModelArtsError {
  return new ModelArtsError({ kind: 'invalid-input', message });
}

export class SignInCore {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly deps: SignInCoreDeps) {
    this.env = deps.env ?? process.env;
  }

  /** Explicit overrides first, then the machine-scoped settings, then the region's Huawei Cloud endpoints. */
  endpointsFor(profile: EndpointOverrides): { endpoint: string; iamEndpoint: string; obsEndpoint: string } {
    const settings = this.deps.settings();
    return {
      endpoint: profile.endpoint || settings.endpoint || defaultEndpoint(profile.region),
      iamEndpoint: profile.iamEndpoint || settings.iamEndpoint || defaultIamEndpoint(profile.region),
      obsEndpoint: profile.obsEndpoint || settings.obsEndpoint || defaultObsEndpoint(profile.region),
    };
  }

  /** Asks about unknown hosts (once each, remembered); false when declined or when nobody can be asked. */
  async trustEndpoints(profile: EndpointOverrides, confirmHost?: ConfirmHost): Promise<boolean> {
    const { endpoint, iamEndpoint, obsEndpoint } = this.endpointsFor(profile);
    try {
      return await this.deps.trust.ensure([endpoint, iamEndpoint, obsEndpoint], confirmHost);
    } catch (error) {
      if (error instanceof InvalidEndpointError) throw invalidInput(error.message);
      throw error;
    }
  }

  private resolveCredentials(input: ProfileInput): { config: CredentialConfig; projectId?: string } {
    const { l10n } = this.deps;
    if (input.credentials.kind === 'env') {
      const found = credentialsFromEnv(this.env);
      if (!found) throw invalidInput(l10n.t('HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set.'));
      return found;
    }
    const problem = validateCredentials(input.credentials, l10n);
    if (problem) throw invalidInput(problem);
    return { config: input.credentials };
  }

  private buildClient(record: ProfileRecord, config: CredentialConfig, projectId: string | undefined): ModelArtsClient {
    for (const secret of credentialSecrets(config)) this.deps.redactor.add(secret);
    const { endpoint, iamEndpoint, obsEndpoint } = this.endpointsFor(record);
    return createClient({
      ...this.deps.clientOptions,
      region: record.region,
      endpoint,
      iamEndpoint,
      obsEndpoint,
      credentials: config,
      projectId,
      log: this.deps.log,
      redactor: this.deps.redactor,
    });
  }

  /**
   * Signs in: checks the input, asks about unknown hosts, verifies the credentials with ONE call (list one
   * workspace, after the project id lookup), and only then saves (when `persist`). Throws HostNotTrusted when
   * the user declines a host; a failed verification saves nothing.
   */
  async connect(input: ProfileInput, options: ConnectOptions): Promise<Connected> {
    const { l10n, log } = this.deps;
    const nameProblem = validateProfileName(input.name, l10n, { reserved: options.persist });
    if (nameProblem) throw invalidInput(nameProblem);
    if (!isRegionId(input.region)) throw invalidInput(l10n.t('{0} is not a Huawei Cloud region id (like cn-north-4).', input.region));
    const { config, projectId: envProjectId } = this.resolveCredentials(input);
    if (!(await this.trustEndpoints(input, options.confirmHost))) throw new HostNotTrusted();
    // The project id lookup is shared and does not stop for one caller's signal: check before starting it.
    if (options.signal?.aborted) throw new ModelArtsError({ kind: 'aborted', message: l10n.t('Sign-in cancelled.'), cause: options.signal.reason });

    const record: ProfileRecord = {
      name: input.name,
      kind: input.credentials.kind === 'env' ? 'env' : profileKindOf(config),
      region: input.region,
    };
    if (input.endpoint) record.endpoint = input.endpoint;
    if (input.iamEndpoint) record.iamEndpoint = input.iamEndpoint;
    if (input.obsEndpoint) record.obsEndpoint = input.obsEndpoint;
    const configuredProjectId = input.projectId || envProjectId || this.deps.settings().projectId || undefined;
    const client = this.buildClient(record, config, configuredProjectId);
    try {
      await client.workspaces.list({ pageSize: 1 }).loadNext(options.signal);
      record.projectId = await client.connection.projectId(options.signal);
      if (options.persist) await this.deps.store.save(record, record.kind === 'env' ? undefined : config);
    } catch (error) {
      client.dispose();
      throw error;
    }
    const { endpoint } = this.endpointsFor(record);
    log.info(`Signed in as profile ${record.name} (${record.kind}, ${record.region}, project ${record.projectId}) at ${endpoint}.`);
    return { record, client };
  }

  /**
   * Rebuilds a saved profile's client from its record and stored credentials, sending nothing. Without
   * `confirmHost`, a host that needs confirmation is refused, so activation never prompts.
   */
  async restore(name: string, confirmHost?: ConfirmHost): Promise<RestoreResult> {
    const { l10n, store } = this.deps;
    const record = store.get(name);
    if (!record) return { ok: false, reason: 'no-profile', message: l10n.t('There is no ModelArts profile named {0}.', name) };
    const found = await store.credentials(record);
    if (!found) {
      const message =
        record.kind === 'env'
          ? l10n.t('The profile {0} uses HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, which are not set.', name)
          : l10n.t('The credentials of the profile {0} are no longer in the system keychain. Sign in again.', name);
      return { ok: false, reason: 'no-credentials', message };
    }
    let trusted: boolean;
    try {
      trusted = await this.trustEndpoints(record, confirmHost);
    } catch (error) {
      if (error instanceof ModelArtsError) return { ok: false, reason: 'invalid-endpoint', message: error.message };
      throw error;
    }
    if (!trusted) {
      const hosts = this.deps.trust.untrusted(Object.values(this.endpointsFor(record))).map((target) => target.display);
      return {
        ok: false,
        reason: 'untrusted-host',
        message: l10n.t('The profile {0} sends credentials to {1}, which is not confirmed yet. Switch to the profile to confirm it.', name, hosts.join(', ')),
      };
    }
    const projectId = record.projectId ?? found.projectId;
    return { ok: true, record, client: this.buildClient(record, found.config, projectId) };
  }
}
