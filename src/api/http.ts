// One request function for ModelArts and IAM: signing or token, timeouts, retries, parsing, errors.
// (Contract first; the implementation follows below it.)

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface ApiRequest {
  method: HttpMethod;
  /** Path with the project id already in it, e.g. `/v1/<pid>/notebooks`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** Serialised as JSON; `undefined` sends no body. */
  body?: unknown;
  /** Safe to send again after a failure. Defaults to true for GET only; reads sent as POST set it. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** ModelArts (default) or IAM endpoint. */
  service?: 'modelarts' | 'iam';
  headers?: Readonly<Record<string, string>>;
  /** False for calls that authenticate themselves (the IAM token request). Default true. */
  authenticate?: boolean;
  /** A short name for logs, e.g. `notebooks.start`. */
  operation?: string;
}

export interface ApiResponse<T> {
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: T;
  requestId: string | undefined;
}

export interface HttpClient {
  send<T>(request: ApiRequest): Promise<ApiResponse<T>>;
}
