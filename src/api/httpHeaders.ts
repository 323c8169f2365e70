// The headers of one attempt: the defaults, the caller's, then the project id and the signature or token
// (signing covers the final method, URL, headers and body, so it comes last).

import type { AuthProvider } from './credentials';
import { ModelArtsError, isModelArtsError } from './errors';
import type { ApiRequest } from './http';
import { errorText } from './wire';
import { oneLine } from './httpErrors';
import type { Redactor } from './redact';

/** Sets `name` to `value`, replacing any spelling of the same name. */
export function withHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) delete headers[key];
  headers[name] = value;
}

export interface SigningContext {
  auth: AuthProvider;
  redactor: Redactor;
  userAgent: string;
  projectIdFor(signal: AbortSignal | undefined): Promise<string | undefined>;
}

export interface AttemptHeaders {
  headers: Record<string, string>;
  /** What `authorize` added: given back to the provider when the gateway refuses them. */
  sentAuth: Record<string, string>;
}

/** The headers of one attempt at `request` to `url`, signed or with a token unless it authenticates itself. */
export async function attemptHeaders(
  context: SigningContext,
  request: ApiRequest,
  target: { url: URL; service: 'modelarts' | 'iam'; body: string | undefined; authenticate: boolean },
  signal: AbortSignal,
): Promise<AttemptHeaders> {
  const headers: Record<string, string> = {
    'Content-Type': target.body === undefined ? 'application/json' : 'application/json;charset=UTF-8',
    'User-Agent': context.userAgent,
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) withHeader(headers, name, value);
  let sentAuth: Record<string, string> = {};
  if (!target.authenticate) return { headers, sentAuth };
  const { auth } = context;
  if (auth.kind === 'aksk' && target.service === 'modelarts') {
    const projectId = await context.projectIdFor(signal);
    if (projectId) withHeader(headers, 'X-Project-Id', projectId);
  }
  try {
    sentAuth = await auth.authorize({ method: request.method, url: target.url, headers: { ...headers }, body: target.body }, signal);
  } catch (caught) {
    if (isModelArtsError(caught)) throw caught;
    throw new ModelArtsError({ kind: 'auth', message: `Could not authorise the request: ${oneLine(context.redactor.redact(errorText(caught)), 200)}`, cause: caught });
  }
  for (const [name, value] of Object.entries(sentAuth)) withHeader(headers, name, value);
  return { headers, sentAuth };
}
