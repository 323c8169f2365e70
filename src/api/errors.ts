// One error type for everything the ModelArts and IAM APIs (or the way to them) can answer.

export type ErrorKind =
  | 'http' // the service answered with an error status
  | 'network' // connection refused, reset, DNS
  | 'timeout' // connect or read timeout
  | 'aborted' // cancelled by the caller
  | 'throttled' // 429 with a Retry-After beyond what we wait for
  | 'invalid-response' // a body we cannot use (HTML, truncated, too large)
  | 'invalid-input' // refused before any request
  | 'auth'; // credentials missing or rejected before a call could be made

export interface ModelArtsErrorInit {
  kind: ErrorKind;
  status?: number;
  code?: string;
  message: string;
  solution?: string;
  requestId?: string;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * Marks a ModelArtsError whichever bundle created it: the features loaded on first use are bundles of their own,
 * each with its own copy of this class, so `instanceof` alone would miss an error thrown by the extension's client.
 */
const ERROR_BRAND = Symbol.for('modelarts-explorer.ModelArtsError');

export class ModelArtsError extends Error {
  readonly [ERROR_BRAND] = true;
  readonly kind: ErrorKind;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** `ModelArts.xxxx`, `APIGW.xxxx`, … or the status as text when the body named none. */
  readonly code: string;
  readonly solution: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: ModelArtsErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ModelArtsError';
    this.kind = init.kind;
    this.status = init.status ?? 0;
    this.code = init.code ?? (init.status ? String(init.status) : init.kind);
    this.solution = init.solution;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** One line for toasts and logs: message, code, status and request id. */
  override toString(): string {
    const parts = [this.message];
    const meta: string[] = [];
    if (this.code) meta.push(this.code);
    if (this.status) meta.push(`HTTP ${this.status}`);
    if (this.requestId) meta.push(`request id ${this.requestId}`);
    if (meta.length) parts.push(`(${meta.join(', ')})`);
    return parts.join(' ');
  }
}

export function isModelArtsError(value: unknown): value is ModelArtsError {
  return value instanceof ModelArtsError || (typeof value === 'object' && value !== null && (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] === true);
}

/** Not found: 404, or the 400 + "not found" the ModelArts services answer for a missing id. */
export function isNotFound(error: unknown): boolean {
  if (!isModelArtsError(error) || error.kind !== 'http') return false;
  return error.status === 404 || (error.status === 400 && /not (be )?found|does not exist|not exist/i.test(error.message));
}
