// Fault injection per route: latency, canned answers, malformed bodies, resets, stalls, token expiry, throttling.

export type FaultService = 'modelarts' | 'iam' | 'obs';

export type MalformedKind = 'html' | 'truncated' | 'empty' | 'bad-json' | 'wrong-content-type' | 'huge';

export interface FaultRule {
  /** Default: any service. */
  service?: FaultService;
  /** Default: any method. */
  method?: string;
  /** A RegExp source matched against the request path, e.g. `/notebooks$`; default: any path. */
  path?: string;
  /** The rule applies to this many matching requests, then is spent; default: unlimited. */
  times?: number;
  /** The first `skip` matching requests pass untouched (a fault on the Nth request: `skip: N - 1`). */
  skip?: number;
  /** Real milliseconds to wait before answering. */
  latencyMs?: number;
  /** Answer with this instead of the route (e.g. 429, 503). */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** `huge` is a valid JSON body of `hugeBytes` (default 50 MB), streamed. */
  malformed?: MalformedKind;
  hugeBytes?: number;
  /** Destroys the socket; `mid-body` after writing half of the real answer. */
  reset?: 'before-response' | 'mid-body';
  /** OBS: destroys the socket once this many bytes of the request body have arrived (a connection lost mid-upload). */
  resetAfterBytes?: number;
  /** Accepts the request and never answers (until the emulator closes). */
  stall?: boolean;
  /** Runs the real handler first (state changes), then applies `status` / `reset`. */
  after?: boolean;
  /** Answers 401 APIGW.0307 as if the token had expired (checked after authentication). */
  tokenExpired?: boolean;
  /** More than `limit` requests per `windowMs` (the gateway's clock: real time) are answered 429 APIGW.0308. */
  throttle?: { limit: number; windowMs: number };
}

export type FaultRuleWithId = FaultRule & { id: string };

const MALFORMED: readonly MalformedKind[] = ['html', 'truncated', 'empty', 'bad-json', 'wrong-content-type', 'huge'];

interface ActiveRule {
  id: string;
  rule: FaultRule;
  pathRegex: RegExp | undefined;
  remaining: number;
  /** Matching requests still to let pass (`skip`). */
  toSkip: number;
  /** Gateway times of recent matching requests, for `throttle`. */
  hits: number[];
}

/** What the server should do for one request. */
export type FaultDecision =
  | { kind: 'apply'; id: string; rule: FaultRule }
  | { kind: 'throttled'; id: string; rule: FaultRule; limit: number; windowMs: number };

function asNonNegativeInt(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** Checks a rule that came from outside (the admin route); throws with a readable message. */
export function validateFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('a fault rule must be a JSON object');
  const rule = input as FaultRule;
  if (rule.service !== undefined && rule.service !== 'modelarts' && rule.service !== 'iam' && rule.service !== 'obs') throw new Error('service must be "modelarts", "iam" or "obs"');
  if (rule.method !== undefined && typeof rule.method !== 'string') throw new Error('method must be a string');
  if (rule.path !== undefined) {
    if (typeof rule.path !== 'string') throw new Error('path must be a RegExp source string');
    new RegExp(rule.path); // throws SyntaxError with the reason
  }
  asNonNegativeInt(rule.times, 'times');
  asNonNegativeInt(rule.skip, 'skip');
  asNonNegativeInt(rule.resetAfterBytes, 'resetAfterBytes');
  asNonNegativeInt(rule.latencyMs, 'latencyMs');
  asNonNegativeInt(rule.hugeBytes, 'hugeBytes');
  if (rule.status !== undefined && (typeof rule.status !== 'number' || !Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)) {
    throw new Error('status must be an HTTP status code');
  }
  if (rule.malformed !== undefined && !MALFORMED.includes(rule.malformed)) throw new Error(`malformed must be one of ${MALFORMED.join(', ')}`);
  if (rule.reset !== undefined && rule.reset !== 'before-response' && rule.reset !== 'mid-body') throw new Error('reset must be "before-response" or "mid-body"');
  if (rule.headers !== undefined) {
    if (typeof rule.headers !== 'object' || rule.headers === null) throw new Error('headers must be an object of strings');
    for (const value of Object.values(rule.headers)) if (typeof value !== 'string') throw new Error('headers must be an object of strings');
  }
  if (rule.throttle !== undefined) {
    const t = rule.throttle as { limit?: unknown; windowMs?: unknown };
    if (typeof t !== 'object' || t === null) throw new Error('throttle must be {limit, windowMs}');
    asNonNegativeInt(t.limit, 'throttle.limit');
    if (asNonNegativeInt(t.windowMs, 'throttle.windowMs') === undefined || t.limit === undefined) throw new Error('throttle needs limit and windowMs');
  }
  return rule;
}

/** The set of active fault rules; the first matching rule decides (a throttle under its limit lets the next one decide). */
export class FaultController {
  private readonly rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): string {
    const checked = validateFaultRule(rule);
    const id = `fault-${this.nextId++}`;
    this.rules.push({
      id,
      rule: { ...checked },
      pathRegex: checked.path === undefined ? undefined : new RegExp(checked.path),
      remaining: checked.times ?? Number.POSITIVE_INFINITY,
      toSkip: checked.skip ?? 0,
      hits: [],
    });
    return id;
  }

  remove(id: string): boolean {
    const i = this.rules.findIndex((r) => r.id === id);
    if (i < 0) return false;
    this.rules.splice(i, 1);
    return true;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Active rules (spent ones are gone), with their ids. */
  list(): FaultRuleWithId[] {
    return this.rules.map((r) => ({ ...r.rule, id: r.id }));
  }

  get size(): number {
    return this.rules.length;
  }

  /** Picks the fault for a request and counts it against `times`. `now` is the gateway's time, for throttling. */
  decide(service: FaultService, method: string, path: string, now: number): FaultDecision | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (active.pathRegex && !active.pathRegex.test(path)) continue;
      if (active.toSkip > 0) {
        active.toSkip -= 1;
        continue;
      }
      if (rule.throttle) {
        const { limit, windowMs } = rule.throttle;
        const hits = active.hits;
        while (hits.length > 0 && hits[0] <= now - windowMs) hits.shift();
        hits.push(now);
        if (hits.length <= limit) continue;
        this.spend(active);
        return { kind: 'throttled', id: active.id, rule, limit, windowMs };
      }
      this.spend(active);
      return { kind: 'apply', id: active.id, rule };
    }
    return undefined;
  }

  private spend(active: ActiveRule): void {
    active.remaining -= 1;
    if (active.remaining <= 0) this.remove(active.id);
  }
}

/** `1 minute`, `30 second`: the window as the gateway's throttling message words it. */
export function describeWindow(windowMs: number): string {
  if (windowMs % 60_000 === 0) return `${windowMs / 60_000} minute`;
  return `${Math.max(1, Math.round(windowMs / 1000))} second`;
}

export function throttleMessage(limit: number, windowMs: number): string {
  return `The throttling threshold has been reached: policy ip over ratelimit,limit:${limit},time:${describeWindow(windowMs)}`;
}

/** A gateway-style error body for a status injected without a body. */
export function defaultFaultBody(status: number, requestId: string): Record<string, string> {
  const [code, message] = ((): [string, string] => {
    switch (status) {
      case 401:
        return ['APIGW.0301', 'Incorrect IAM authentication information: decrypt token fail'];
      case 403:
        return ['APIGW.0306', 'API access denied'];
      case 404:
        return ['APIGW.0101', 'The API does not exist or has not been published in the environment'];
      case 429:
        return ['APIGW.0308', throttleMessage(5, 60_000)];
      case 500:
        return ['APIGW.0601', 'Internal server error'];
      case 502:
        return ['APIGW.0201', 'Backend unavailable'];
      case 504:
        return ['APIGW.0201', 'Backend timeout'];
      default:
        return status >= 500 ? ['APIGW.0201', 'Backend unavailable'] : ['APIGW.0201', 'Bad request'];
    }
  })();
  return { error_code: code, error_msg: message, request_id: requestId };
}

export const HTML_GATEWAY_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';

export const BAD_JSON_BODY = '{"error_code":"ModelArts.0001","error_msg":"unterminated, "data":[1,2,';
