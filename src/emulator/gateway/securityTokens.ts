import { formatQueryString } from '../../api/signer';
import type { EmuJsonObject, EmuRequest, EmuResponse } from '../framework';
import { IamFailure, type IamState, authenticate, headerText, iamTime } from './iam';

// POST /v3.0/OS-CREDENTIAL/securitytokens: temporary AK/SK and security token, for a valid IAM token
// (X-Auth-Token, or `token.id` in the body as the python SDK sends it) or an AK/SK signature (what the official
// OBS SDK does). They sign ModelArts and OBS requests until `expires_at`, on the gateway's (real) clock.

/** `duration_seconds`: 15 min to 24 h, 15 min unless given. */
export const SECURITY_TOKEN_MIN_SECONDS = 900;
export const SECURITY_TOKEN_MAX_SECONDS = 86400;

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as EmuJsonObject)[key] : undefined;
}

function badBody(message: string): IamFailure {
  return new IamFailure(400, `Invalid request body: ${message}`);
}

/** The duration asked for: an integer, or its digits as a string (the OBS SDK's form). */
function durationOf(tokenField: unknown): number {
  const raw = field(tokenField, 'duration_seconds') ?? SECURITY_TOKEN_MIN_SECONDS;
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < SECURITY_TOKEN_MIN_SECONDS || value > SECURITY_TOKEN_MAX_SECONDS) {
    throw badBody(`duration_seconds must be an integer from ${SECURITY_TOKEN_MIN_SECONDS} to ${SECURITY_TOKEN_MAX_SECONDS}`);
  }
  return value;
}

/** Fails unless the caller holds a valid token or signed with a valid AK/SK. */
function checkCaller(state: IamState, request: EmuRequest, bodyToken: unknown): void {
  if (headerText(request.headers, 'authorization') !== undefined) {
    const outcome = authenticate(
      state,
      { method: request.method, rawPath: request.path, rawQuery: formatQueryString(request.query.map(([k, v]) => [k, v])), headers: request.headers, rawBody: request.rawBody },
      request.now,
    );
    if (!outcome.ok) throw new IamFailure(401, outcome.failure.message);
    return;
  }
  const headerToken = headerText(request.headers, 'x-auth-token');
  const token = typeof bodyToken === 'string' && bodyToken !== '' ? bodyToken : headerToken;
  if (!token) throw new IamFailure(401, 'The request you have made requires authentication.');
  const checked = state.checkToken(token, request.now);
  if (checked.kind === 'unknown') throw new IamFailure(401, 'The request you have made requires authentication.');
  if (checked.kind === 'expired') throw new IamFailure(401, 'The token has expired.');
}

export function issueSecurityToken(state: IamState, request: EmuRequest): EmuResponse {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badBody('the body must be a JSON object');
  const identityField = field(field(body, 'auth'), 'identity');
  const methods = field(identityField, 'methods');
  if (!Array.isArray(methods) || !methods.includes('token')) throw badBody('auth.identity.methods must contain "token"');
  const tokenField = field(identityField, 'token');
  checkCaller(state, request, field(tokenField, 'id'));
  const duration = durationOf(tokenField);
  const credentials = state.issueTemporaryCredentials(request.now, duration * 1000);
  return {
    status: 201,
    body: {
      credential: {
        access: credentials.ak,
        secret: credentials.sk,
        securitytoken: credentials.securityToken,
        expires_at: iamTime(credentials.expiresAt),
      },
    },
  };
}
