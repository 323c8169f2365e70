// Wires one signed-in connection: redactor, IAM client, auth provider, project id and the HTTP client.
import { systemClock } from './clock';
import { createAuthProvider, createProjectIdResolver, credentialSecrets, type AuthProvider, type CredentialConfig } from './credentials';
import { createHttpClient, type HttpClientOptions, type ModelArtsHttpClient } from './http';
import { createIamClient, type IamClient } from './iam';
import { noopLogger, redactingLogger, type Logger } from './log';
import { createRedactor, type Redactor } from './redact';

/** What a connection needs: the HTTP client's options, with credentials in place of a ready auth provider. */
export type ConnectionOptions = Omit<HttpClientOptions, 'auth' | 'projectId'> & {
  region: string;
  credentials: CredentialConfig;
  /** Empty or undefined: from the token's scope or looked up in IAM. */
  projectId?: string;
  /** Empty or undefined: `https://obs.<region>.myhuaweicloud.com`. */
  obsEndpoint?: string;
};

export interface Connection {
  readonly http: ModelArtsHttpClient;
  readonly auth: AuthProvider;
  readonly iam: IamClient;
  readonly redactor: Redactor;
  /** Already redacting. */
  readonly log: Logger;
  projectId(signal?: AbortSignal): Promise<string>;
  dispose(): void;
}

export function createConnection(options: ConnectionOptions): Connection {
  const clock = options.clock ?? systemClock;
  const redactor = options.redactor ?? createRedactor();
  for (const secret of credentialSecrets(options.credentials)) redactor.add(secret);
  const log = redactingLogger(options.log ?? noopLogger, redactor);
  // The IAM client reaches the HTTP client through a getter: the HTTP client needs the auth provider first.
  const ref: { http?: ModelArtsHttpClient } = {};
  const iam = createIamClient(() => {
    if (!ref.http) throw new Error('HTTP client not ready');
    return ref.http;
  });
  const auth = createAuthProvider(options.credentials, {
    iam,
    region: options.region,
    clock,
    log,
    projectId: options.projectId || undefined,
    redactor,
  });
  const projectId = createProjectIdResolver({ configured: options.projectId || undefined, auth, iam, region: options.region });
  const http = createHttpClient({
    endpoint: options.endpoint,
    iamEndpoint: options.iamEndpoint,
    auth,
    projectId,
    interceptor: options.interceptor,
    clock,
    log,
    redactor,
    timeouts: options.timeouts,
    retry: options.retry,
    maxResponseBytes: options.maxResponseBytes,
    userAgent: options.userAgent,
    random: options.random,
  });
  ref.http = http;
  return { http, auth, iam, redactor, log, projectId, dispose: () => http.dispose() };
}
