// OBS credentials for a session: AK/SK sign OBS requests themselves; a password (token) session gets temporary
// AK/SK and a security token from IAM, kept in memory only and renewed shortly before they expire.

import type { Clock } from '../clock';
import type { CredentialConfig } from '../credentials';
import { ModelArtsError } from '../errors';
import type { HttpClient } from '../http';
import type { Redactor } from '../redact';
import type { ObsCredentialSource, ObsCredentials } from './types';

/** Asked for this long (IAM allows 900 s – 24 h). */
export const OBS_TEMPORARY_CREDENTIAL_SECONDS = 3600;
/** Temporary credentials this close to their expiry are replaced before use. */
export const OBS_CREDENTIAL_RENEW_AHEAD_MS = 5 * 60_000;

interface SecurityTokenAnswer {
  credential?: { access?: unknown; secret?: unknown; securitytoken?: unknown; expires_at?: unknown };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** POST /v3.0/OS-CREDENTIAL/securitytokens with the session's token (the HTTP client adds it). */
export async function requestTemporaryCredentials(http: HttpClient, signal?: AbortSignal): Promise<ObsCredentials> {
  const response = await http.send<SecurityTokenAnswer>({
    method: 'POST',
    service: 'iam',
    path: '/v3.0/OS-CREDENTIAL/securitytokens',
    body: { auth: { identity: { methods: ['token'], token: { duration_seconds: OBS_TEMPORARY_CREDENTIAL_SECONDS } } } },
    signal,
    operation: 'iam.securityTokens',
  });
  const credential = response.body.credential;
  const ak = text(credential?.access);
  const sk = text(credential?.secret);
  const securityToken = text(credential?.securitytoken);
  const expiresAtMs = Date.parse(text(credential?.expires_at) ?? '');
  if (!ak || !sk || !securityToken || !Number.isFinite(expiresAtMs)) {
    throw new ModelArtsError({ kind: 'invalid-response', status: response.status, code: 'InvalidCredentialResponse', message: 'IAM answered the request for temporary OBS credentials without usable credentials.', requestId: response.requestId });
  }
  return { ak, sk, securityToken, expiresAtMs };
}

export interface ObsCredentialDeps {
  http: HttpClient;
  clock: Clock;
  redactor: Redactor;
}

/** The credential source of a session: fixed for AK/SK, renewed temporary credentials for a token. */
export function obsCredentialSource(config: CredentialConfig, deps: ObsCredentialDeps): ObsCredentialSource {
  if (config.kind === 'aksk') {
    const fixed: ObsCredentials = config.securityToken ? { ak: config.ak, sk: config.sk, securityToken: config.securityToken } : { ak: config.ak, sk: config.sk };
    return () => Promise.resolve(fixed);
  }
  let cached: ObsCredentials | undefined;
  let pending: Promise<ObsCredentials> | undefined;
  return async () => {
    if (cached?.expiresAtMs !== undefined && cached.expiresAtMs - deps.clock.now() > OBS_CREDENTIAL_RENEW_AHEAD_MS) return cached;
    // One request for every caller waiting at once; it is not tied to the first caller's cancellation.
    pending ??= requestTemporaryCredentials(deps.http)
      .then((fresh) => {
        for (const secret of [fresh.ak, fresh.sk, fresh.securityToken]) deps.redactor.add(secret);
        cached = fresh;
        return fresh;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
