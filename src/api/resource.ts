// What every typed resource client shares: the project-scoped path, one way to send, and id checks.

import type { ApiRequest, ApiResponse, HttpClient, HttpMethod, QueryValue } from './http';
import type { ResponseInfo } from './parse';
import { ensureValid, validateId } from './validate';

export type ProjectIdSource = () => Promise<string>;

export interface CallOptions {
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  idempotent?: boolean;
  signal?: AbortSignal;
  headers?: Readonly<Record<string, string>>;
}

/** Keeps only the query values that are set, so absent filters are not sent as empty strings. */
export function definedQuery(query: Record<string, QueryValue>): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return out;
}

export function responseInfo(response: ApiResponse<unknown>): ResponseInfo {
  return { status: response.status, requestId: response.requestId };
}

export abstract class ResourceClient {
  constructor(
    protected readonly http: HttpClient,
    protected readonly projectId: ProjectIdSource,
  ) {}

  /** Checks each `[label, id]` is present: path ids are validated before anything is sent. */
  protected checkIds(...ids: [label: string, id: string][]): void {
    ensureValid(...ids.map(([label, id]) => validateId(label, id)));
  }

  /**
   * Sends `method` to `/{version}/{project id}/{segments…}`; each segment is percent-encoded, so an id
   * can never change the route.
   */
  protected async call(
    operation: string,
    method: HttpMethod,
    version: 'v1' | 'v2',
    segments: readonly string[],
    options: CallOptions = {},
  ): Promise<ApiResponse<unknown>> {
    const projectId = await this.projectId();
    const path = `/${version}/${[projectId, ...segments].map(encodeURIComponent).join('/')}`;
    const request: ApiRequest = { method, path, operation };
    if (options.signal !== undefined) request.signal = options.signal;
    if (options.query !== undefined && Object.keys(options.query).length > 0) request.query = options.query;
    if (options.body !== undefined) request.body = options.body;
    if (options.idempotent !== undefined) request.idempotent = options.idempotent;
    if (options.headers !== undefined) request.headers = options.headers;
    return this.http.send<unknown>(request);
  }
}
