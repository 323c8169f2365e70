// When a failed request may be sent again, and how long to wait first.
import { ModelArtsError } from './errors';

export interface RetryBudgetOptions {
  /** Retry tokens the client starts with and never exceeds. */
  capacity?: number;
  /** Tokens one retry costs. */
  retryCost?: number;
  /** Tokens a successful response gives back. */
  successRefund?: number;
}

export interface RetryOptions {
  /** Requests in total, the first included. */
  maxAttempts?: number;
  /** First backoff ceiling; it doubles per retry. */
  baseDelayMs?: number;
  /** Highest backoff ceiling. */
  maxDelayMs?: number;
  /** The longest `Retry-After` we wait for; longer ones fail at once as 'throttled'. */
  maxRetryAfterMs?: number;
  budget?: RetryBudgetOptions;
}

export interface ResolvedRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  budget: Required<RetryBudgetOptions>;
}

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
  budget: { capacity: 20, retryCost: 1, successRefund: 0.1 },
};

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
    budget: { ...DEFAULT_RETRY.budget, ...options.budget },
  };
}

/** 429, 408 and 5xx except 501 (not implemented) and 505 (version not supported): those will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Network error codes worth another try; certificate and similar errors are not. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export function isRetryableError(error: ModelArtsError): boolean {
  switch (error.kind) {
    case 'timeout':
      return true;
    case 'network':
      return TRANSIENT_NETWORK_CODES.has(error.code);
    case 'http':
      return isRetryableStatus(error.status);
    default:
      return false;
  }
}

const HTTP_DATE_SHAPE = /\d{4}.*\d{1,2}:\d{2}:\d{2}/;

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP-date. A date in the past gives 0;
 * anything unreadable gives undefined (normal backoff applies).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!HTTP_DATE_SHAPE.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Full jitter: uniform in [0, min(max, base * 2^(retry-1))]; `retry` counts from 1. */
export function backoffDelay(retry: number, options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Retry tokens shared by every request of one client: a retry costs, a success refunds a little.
 * When a service is down, this turns a storm of retries into a trickle.
 */
export class RetryBudget {
  private available: number;

  constructor(private readonly options: Required<RetryBudgetOptions>) {
    this.available = options.capacity;
  }

  get tokens(): number {
    return this.available;
  }

  tryTake(): boolean {
    if (this.available < this.options.retryCost) return false;
    this.available -= this.options.retryCost;
    return true;
  }

  onSuccess(): void {
    this.available = Math.min(this.options.capacity, this.available + this.options.successRefund);
  }
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'fail'; error: ModelArtsError; reason: string };

export interface RetryInput {
  error: ModelArtsError;
  /** Requests sent so far for this call, counting the one that failed. */
  attempt: number;
  /** Retries already made for this call. */
  retries: number;
  idempotent: boolean;
  /** The raw `Retry-After` header of the failed response, if any. */
  retryAfter?: string;
  nowMs: number;
  options: ResolvedRetryOptions;
  budget: RetryBudget;
  random: () => number;
}

/** Seconds for messages: whole seconds, at least 1. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { error, options } = input;
  const retryAfterMs = parseRetryAfter(input.retryAfter, input.nowMs);

  // A wait beyond the cap is not worth holding a command for: report it so a poller can come back later.
  if (retryAfterMs !== undefined && retryAfterMs > options.maxRetryAfterMs && isRetryableStatus(error.status)) {
    const seconds = wholeSeconds(retryAfterMs);
    return {
      action: 'fail',
      reason: `Retry-After ${seconds} s exceeds ${wholeSeconds(options.maxRetryAfterMs)} s`,
      error: new ModelArtsError({
        kind: 'throttled',
        status: error.status,
        code: error.code,
        message: `throttled, retry after ${seconds} s`,
        solution: error.solution,
        requestId: error.requestId,
        retryAfterSeconds: seconds,
        cause: error,
      }),
    };
  }
  if (!input.idempotent) return { action: 'fail', error, reason: 'not idempotent' };
  if (!isRetryableError(error)) return { action: 'fail', error, reason: 'not retryable' };
  if (input.attempt >= options.maxAttempts) return { action: 'fail', error, reason: `${input.attempt} attempts made` };
  if (!input.budget.tryTake()) return { action: 'fail', error, reason: 'retry budget exhausted' };
  const delayMs = retryAfterMs ?? backoffDelay(input.retries + 1, options, input.random);
  return { action: 'retry', delayMs, reason: retryAfterMs === undefined ? 'backoff' : 'Retry-After' };
}
