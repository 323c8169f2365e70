// The two IAM calls the client needs: a project-scoped token by password, and the project id of a region.
import { ModelArtsError, isModelArtsError } from './errors';
import type { HttpClient } from './http';

export interface IamToken {
  /** The `X-Subject-Token` value. */
  value: string;
  /** ms since the epoch; undefined when IAM did not say. */
  expiresAt: number | undefined;
  projectId: string | undefined;
  projectName: string | undefined;
}

export type TokenScope = { projectId: string } | { projectName: string };

export interface PasswordTokenRequest {
  username: string;
  password: string;
  /** The account (domain) name. */
  domain: string;
  scope: TokenScope;
}

export interface IamProject {
  id: string;
  name: string;
  domainId: string | undefined;
}

export interface ProjectList {
  projects: IamProject[];
  /** `X-IAM-Trace-Id`, for error messages. */
  traceId: string | undefined;
}

export interface IamClient {
  createToken(request: PasswordTokenRequest, signal?: AbortSignal): Promise<IamToken>;
  /** `GET /v3/projects?name=<name>`, authenticated like any other call (AK/SK without X-Project-Id, or token). */
  listProjects(name: string, signal?: AbortSignal): Promise<ProjectList>;
}

interface TokenBody {
  token?: { expires_at?: unknown; project?: { id?: unknown; name?: unknown } };
}

interface ProjectsBody {
  projects?: unknown;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** What IAM's failures mean to the user: unreachable, or credentials refused. */
function iamError(error: unknown, refusedPrefix: string): unknown {
  if (!isModelArtsError(error)) return error;
  if (error.kind === 'network' || error.kind === 'timeout') {
    return new ModelArtsError({
      kind: 'network',
      code: error.code,
      message: `IAM could not be reached: ${error.message}`,
      requestId: error.requestId,
      cause: error,
    });
  }
  if (error.kind === 'http' && (error.status === 400 || error.status === 401 || error.status === 403)) {
    return new ModelArtsError({
      kind: 'auth',
      status: error.status,
      code: error.code,
      message: `${refusedPrefix}: ${error.message}`,
      solution: error.solution,
      requestId: error.requestId,
      cause: error,
    });
  }
  return error;
}

export function createIamClient(http: HttpClient | (() => HttpClient)): IamClient {
  // A getter breaks the cycle: the HTTP client needs the auth provider, which needs this IAM client.
  const client = (): HttpClient => (typeof http === 'function' ? http() : http);

  return {
    async createToken(request, signal) {
      const scope = 'projectId' in request.scope ? { project: { id: request.scope.projectId } } : { project: { name: request.scope.projectName } };
      const body = {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: request.username, password: request.password, domain: { name: request.domain } } },
          },
          scope,
        },
      };
      try {
        const response = await client().send<TokenBody | undefined>({
          method: 'POST',
          path: '/v3/auth/tokens',
          query: { nocatalog: 'true' },
          body,
          service: 'iam',
          authenticate: false,
          // Asking for a token changes nothing on the server, so a failed try may be repeated.
          idempotent: true,
          signal,
          operation: 'iam.createToken',
        });
        const value = response.headers['x-subject-token'];
        if (!value) {
          throw new ModelArtsError({
            kind: 'invalid-response',
            status: response.status,
            code: 'InvalidResponse',
            message: 'IAM answered the sign-in without an X-Subject-Token header.',
            requestId: response.requestId,
          });
        }
        const token = response.body?.token;
        const expiresAt = Date.parse(str(token?.expires_at) ?? '');
        return {
          value,
          expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt,
          projectId: str(token?.project?.id),
          projectName: str(token?.project?.name),
        };
      } catch (error) {
        throw iamError(error, 'IAM refused the sign-in');
      }
    },

    async listProjects(name, signal) {
      try {
        const response = await client().send<ProjectsBody | undefined>({
          method: 'GET',
          path: '/v3/projects',
          query: { name },
          service: 'iam',
          signal,
          operation: 'iam.listProjects',
        });
        const listed = response.body?.projects;
        const raw: unknown[] = Array.isArray(listed) ? (listed as unknown[]) : [];
        const projects: IamProject[] = [];
        for (const item of raw) {
          if (typeof item !== 'object' || item === null) continue;
          const record = item as Record<string, unknown>;
          const id = str(record.id);
          if (id) projects.push({ id, name: str(record.name) ?? '', domainId: str(record.domain_id) });
        }
        return { projects, traceId: response.headers['x-iam-trace-id'] ?? response.requestId };
      } catch (error) {
        throw iamError(error, 'IAM refused the project lookup');
      }
    },
  };
}
