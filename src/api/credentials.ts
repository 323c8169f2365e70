// Credentials: AK/SK (optionally temporary, with a security token) or an IAM password exchanged for a token.
import type { Clock } from './clock';
import { ModelArtsError, isModelArtsError } from './errors';
import type { IamClient, IamToken } from './iam';
import { noopLogger, redactingLogger, type Logger } from './log';
import type { Redactor } from './redact';
import { formatSdkDate, parseQueryString, sign } from './signer';

export type CredentialConfig =
  | { kind: 'aksk'; ak: string; sk: string; securityToken?: string } // securityToken = temporary credentials
  | { kind: 'password'; username: string; password: string; domain: string };

export interface AuthorizeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface AuthProvider {
  readonly kind: 'aksk' | 'token';
  /** Adds auth headers for this request (signing needs the final method/url/headers/body). */
  authorize(req: AuthorizeRequest, signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Called with a 401 error; returns true when replaying once may succeed (token was refreshed/invalidated).
   * `sentHeaders` are the headers `authorize` gave the refused request, so a token that was already
   * replaced by a concurrent refresh is not thrown away a second time.
   */
  onUnauthorized(error: ModelArtsError, sentHeaders?: Readonly<Record<string, string>>): boolean;
  /** Token auth only: the project id the token is scoped to. */
  tokenProjectId?(signal?: AbortSignal): Promise<string | undefined>;
}

export interface AuthProviderDeps {
  iam: IamClient;
  region: string;
  clock: Clock;
  log?: Logger;
  /** Scopes the token by id instead of by region name. */
  projectId?: string;
  /** Receives every secret this provider knows or obtains. */
  redactor?: Redactor;
}

/** A token this close to its expiry is replaced before use. */
export const TOKEN_REFRESH_AHEAD_MS = 5 * 60_000;
/** When IAM gives no expiry, assume a short life rather than the usual 24 h. */
const UNKNOWN_EXPIRY_MS = 60 * 60_000;

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** `HUAWEICLOUD_SDK_AK`, `_SK`, `_SECURITY_TOKEN`, `_PROJECT_ID`, as the official SDKs read them. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): { config: CredentialConfig; projectId?: string } | undefined {
  const ak = envValue(env, 'HUAWEICLOUD_SDK_AK');
  const sk = envValue(env, 'HUAWEICLOUD_SDK_SK');
  if (!ak || !sk) return undefined;
  const securityToken = envValue(env, 'HUAWEICLOUD_SDK_SECURITY_TOKEN');
  const projectId = envValue(env, 'HUAWEICLOUD_SDK_PROJECT_ID');
  const config: CredentialConfig = securityToken ? { kind: 'aksk', ak, sk, securityToken } : { kind: 'aksk', ak, sk };
  return projectId ? { config, projectId } : { config };
}

/** Every secret in a credential config, for a redactor. */
export function credentialSecrets(config: CredentialConfig): string[] {
  return config.kind === 'aksk' ? [config.ak, config.sk, config.securityToken ?? ''] : [config.password];
}

function abortedError(signal: AbortSignal): ModelArtsError {
  return new ModelArtsError({ kind: 'aborted', message: 'The request was cancelled.', cause: signal.reason });
}

/** Waits for a shared promise, but lets this caller leave early when its signal aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** A 401 that a fresh token can cure: APIGW.0307 (expired), or a 0301/0305 about the token itself. */
export function isTokenRejection(error: ModelArtsError): boolean {
  if (error.status !== 401) return false;
  if (/\.0307$/.test(error.code)) return true;
  return /\.030[15]$/.test(error.code) && /token/i.test(error.message) && !/signature/i.test(error.message);
}

function createAkSkProvider(config: Extract<CredentialConfig, { kind: 'aksk' }>, deps: AuthProviderDeps): AuthProvider {
  return {
    kind: 'aksk',
    authorize(req) {
      const added: Record<string, string> = {
        Host: req.url.host,
        'X-Sdk-Date': formatSdkDate(new Date(deps.clock.now())),
      };
      if (config.securityToken) added['X-Security-Token'] = config.securityToken;
      const headers = { ...req.headers, ...added };
      const signature = sign(
        { method: req.method, path: req.url.pathname, query: parseQueryString(req.url.search.slice(1)), headers, body: req.body },
        { ak: config.ak, sk: config.sk },
      );
      return Promise.resolve({ ...added, Authorization: signature.authorization });
    },
    // A refused signature does not get better by signing again.
    onUnauthorized: () => false,
  };
}

interface CachedToken {
  value: string;
  expiresAt: number;
  projectId: string | undefined;
}

function createTokenProvider(config: Extract<CredentialConfig, { kind: 'password' }>, deps: AuthProviderDeps): AuthProvider {
  const log = deps.redactor ? redactingLogger(deps.log ?? noopLogger, deps.redactor) : (deps.log ?? noopLogger);
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;
  // After IAM refused these credentials, asking again would only count towards an account lock.
  let refused: ModelArtsError | undefined;

  const fetchToken = (): Promise<CachedToken> => {
    pending ??= (async () => {
      try {
        const token: IamToken = await deps.iam.createToken({
          username: config.username,
          password: config.password,
          domain: config.domain,
          scope: deps.projectId ? { projectId: deps.projectId } : { projectName: deps.region },
        });
        deps.redactor?.add(token.value);
        const expiresAt = token.expiresAt ?? deps.clock.now() + UNKNOWN_EXPIRY_MS;
        cached = { value: token.value, expiresAt, projectId: token.projectId };
        log.info(`IAM token obtained for ${config.username} (${config.domain}); it expires at ${new Date(expiresAt).toISOString()}.`);
        return cached;
      } catch (error) {
        if (isModelArtsError(error) && error.kind === 'auth') refused = error;
        throw error;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  const currentToken = async (signal: AbortSignal | undefined): Promise<CachedToken> => {
    if (refused) throw refused;
    if (signal?.aborted) throw abortedError(signal);
    const now = deps.clock.now();
    if (cached && now < cached.expiresAt - TOKEN_REFRESH_AHEAD_MS) return cached;
    const stale = cached;
    try {
      return await raceAbort(fetchToken(), signal);
    } catch (error) {
      // IAM unreachable while the old token still works: keep using it; the next call tries IAM again.
      if (stale && isModelArtsError(error) && error.kind === 'network' && deps.clock.now() < stale.expiresAt) {
        log.warn(`Could not refresh the IAM token (${error.message}); using the current one until it expires.`);
        return stale;
      }
      throw error;
    }
  };

  return {
    kind: 'token',
    async authorize(_req, signal) {
      const token = await currentToken(signal);
      return { 'X-Auth-Token': token.value };
    },
    onUnauthorized(error, sentHeaders) {
      if (!isTokenRejection(error)) return false;
      const sent = sentHeaders?.['X-Auth-Token'];
      if (cached && (sent === undefined || sent === cached.value)) {
        log.debug('The IAM token was refused as expired; a new one will be requested.');
        cached = undefined;
      }
      return true;
    },
    async tokenProjectId(signal) {
      return (await currentToken(signal)).projectId;
    },
  };
}

export function createAuthProvider(config: CredentialConfig, deps: AuthProviderDeps): AuthProvider {
  for (const secret of credentialSecrets(config)) deps.redactor?.add(secret);
  return config.kind === 'aksk' ? createAkSkProvider(config, deps) : createTokenProvider(config, deps);
}

export interface ProjectIdDeps {
  /** The configured project id; used as is when set. */
  configured?: string;
  auth: AuthProvider;
  iam: IamClient;
  region: string;
}

/** The project id: configured, else from the password token's scope, else looked up by region name in IAM. */
export async function resolveProjectId(deps: ProjectIdDeps, signal?: AbortSignal): Promise<string> {
  if (deps.configured) return deps.configured;
  if (deps.auth.tokenProjectId) {
    const fromToken = await deps.auth.tokenProjectId(signal);
    if (fromToken) return fromToken;
  }
  const { projects, traceId } = await deps.iam.listProjects(deps.region, signal);
  const trace = traceId ? ` (X-IAM-Trace-Id ${traceId})` : '';
  const candidates = projects;
  if (candidates.length === 0) {
    throw new ModelArtsError({
      kind: 'auth',
      code: 'ProjectNotFound',
      message: `No project named ${deps.region} was found in IAM for these credentials${trace}. Check the region, or set the project id.`,
      requestId: traceId,
    });
  }
  if (candidates.length > 1) {
    throw new ModelArtsError({
      kind: 'auth',
      code: 'MultipleProjects',
      message: `Multiple projects named ${deps.region} were found in IAM${trace}: set the project id to choose one.`,
      requestId: traceId,
    });
  }
  return candidates[0].id;
}

/** `resolveProjectId` cached once found, with one lookup in flight however many calls ask; failures are not cached. */
export function createProjectIdResolver(deps: ProjectIdDeps): (signal?: AbortSignal) => Promise<string> {
  let found: string | undefined = deps.configured || undefined;
  const lookup = sharedFlight((signal) =>
    resolveProjectId(deps, signal).then((id) => {
      found = id;
      return id;
    }),
  );
  return (signal) => (found ? Promise.resolve(found) : lookup(signal));
}

/**
 * One run of `work` shared by every caller while it is in flight. A caller whose signal aborts leaves at once;
 * the run itself is aborted only when every caller has left (so its retries stop), never for a caller that
 * stays.
 */
export function sharedFlight<T>(work: (signal: AbortSignal) => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  let flight: { promise: Promise<T>; controller: AbortController; staying: number } | undefined;
  return (signal) => {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (!flight) {
      const controller = new AbortController();
      const current: { promise: Promise<T>; controller: AbortController; staying: number } = {
        controller,
        staying: 0,
        promise: work(controller.signal).finally(() => {
          if (flight === current) flight = undefined;
        }),
      };
      current.promise.catch(() => undefined);
      flight = current;
    }
    const joined = flight;
    joined.staying++;
    const leave = (): void => {
      if (--joined.staying === 0) {
        if (flight === joined) flight = undefined;
        joined.controller.abort(signal?.reason);
      }
    };
    signal?.addEventListener('abort', leave, { once: true });
    const settled = (): void => signal?.removeEventListener('abort', leave);
    joined.promise.then(settled, settled);
    return raceAbort(joined.promise, signal);
  };
}
