// Sends one OBS call: the address (virtual-hosted, in the bucket's own region; path-style for an IP endpoint),
// the signature, the attempts and their retries (the ModelArts policy of retry.ts), and the error mapping.

import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { InFlightCalls } from '../inFlightCalls';
import type { Clock } from '../clock';
import { ModelArtsError, isModelArtsError } from '../errors';
import { abortedError, errorText } from '../wire';
import { oneLine } from '../httpErrors';
import type { Logger } from '../log';
import type { Redactor } from '../redact';
import { decideRetry, type ResolvedRetryOptions, type RetryBudget } from '../retry';
import { encodeRfc3986 } from '../signer';
import { obsErrorFromResponse, redirectRegionOf } from './errors';
import { encodeObsKey, obsAuthorization } from './signer';
import type { ObsCredentials, ObsCredentialSource } from './types';
import type { WireMethod, WireBody, ResponseSink, HttpWire, WireResponse } from '../wire';

export type ObsQuery = ReadonlyArray<readonly [string, string | undefined]>;

export interface ObsRequestSpec {
  method: WireMethod;
  bucket?: string;
  key?: string;
  /** Query pairs in order; an undefined value is a bare key (`?uploads`). */
  query?: ObsQuery;
  headers?: Readonly<Record<string, string>>;
  body?: WireBody;
  /** Base64 MD5 of the body, computed once for every attempt. */
  contentMd5?: string;
  contentType?: string;
  /** Safe to send again after a failure. */
  idempotent: boolean;
  /** Default: memory under the client's XML cap. */
  sink?: ResponseSink;
  signal?: AbortSignal;
  /** Bytes of the current attempt (sent, or received into a file, with its length); from 0 again on a retry. */
  onProgress?: (bytes: number, totalBytes?: number) => void;
  /** Statuses answered as responses rather than errors (404 for a HEAD that asks whether an object exists). */
  acceptStatus?: readonly number[];
  /** A short name for logs, e.g. `obs.putObject`. */
  operation: string;
}

export interface ObsRequesterParts {
  endpoint: URL;
  credentials: ObsCredentialSource;
  wire: HttpWire;
  clock: Clock;
  log: Logger;
  redactor: Redactor;
  retry: ResolvedRetryOptions;
  budget: RetryBudget;
  random: () => number;
  userAgent: string;
  maxResponseBytes: number;
}

/** The URL and signed resource of a call. */
export interface ObsTarget {
  url: URL;
  /** `/`, `/{bucket}/` or `/{bucket}/{encoded key}`. */
  resource: string;
}

const REGIONAL_HOST = /^obs\.([a-z0-9-]+)\.(.+)$/i;

/** Whether the endpoint is an IP literal, where buckets go in the path (as the official SDK does). */
export function usesPathStyle(endpoint: URL): boolean {
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0;
}

/** The host serving `location`: `obs.<location>.<domain>` for a regional endpoint, else the endpoint itself. */
export function regionalHost(endpoint: URL, location: string | undefined): string {
  const match = REGIONAL_HOST.exec(endpoint.hostname);
  if (!match || !location || !/^[a-z0-9-]+$/i.test(location)) return endpoint.host;
  return `obs.${location}.${match[2]}${endpoint.port ? `:${endpoint.port}` : ''}`;
}

export function formatObsQuery(query: ObsQuery | undefined): string {
  return (query ?? []).map(([name, value]) => (value === undefined ? encodeRfc3986(name) : `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)).join('&');
}

/** Where a call goes and what it signs. */
export function obsTargetOf(endpoint: URL, bucket: string | undefined, key: string | undefined, location: string | undefined, query: string): ObsTarget {
  const search = query ? `?${query}` : '';
  if (bucket === undefined) return { url: new URL(`${endpoint.protocol}//${endpoint.host}/${search}`), resource: '/' };
  const encodedKey = key === undefined ? '' : encodeObsKey(key);
  const resource = `/${bucket}/${encodedKey}`;
  if (usesPathStyle(endpoint)) return { url: new URL(`${endpoint.protocol}//${endpoint.host}${resource}${search}`), resource };
  return { url: new URL(`${endpoint.protocol}//${bucket}.${regionalHost(endpoint, location)}/${encodedKey}${search}`), resource };
}

export class ObsRequester {
  /** Each bucket's region, learnt from ListBuckets and the `x-obs-bucket-location` header. */
  private readonly locations = new Map<string, string>();
  private readonly inFlight = new InFlightCalls();

  constructor(private readonly parts: ObsRequesterParts) {}

  get redactor(): Redactor {
    return this.parts.redactor;
  }

  now(): number {
    return this.parts.clock.now();
  }

  rememberLocation(bucket: string, location: string | undefined): void {
    if (location) this.locations.set(bucket, location);
  }

  locationOf(bucket: string): string | undefined {
    return this.locations.get(bucket);
  }

  dispose(): void {
    this.inFlight.closeAll(new Error('The OBS client was disposed.'));
    this.parts.wire.dispose();
  }

  /** Sends the call, retrying what may be retried; resolves with a 2xx (or accepted) response. */
  send(call: ObsRequestSpec): Promise<WireResponse> {
    return this.inFlight.run(call.signal, (signal) => this.attempts(call, signal));
  }

  private async credentialsFor(signal: AbortSignal): Promise<ObsCredentials> {
    try {
      const credentials = await this.parts.credentials(signal);
      for (const secret of [credentials.ak, credentials.sk, credentials.securityToken]) this.parts.redactor.add(secret);
      return credentials;
    } catch (caught) {
      if (signal.aborted) throw abortedError('OBS', caught);
      if (isModelArtsError(caught)) throw caught;
      throw new ModelArtsError({ kind: 'auth', message: `Could not get OBS credentials: ${oneLine(this.parts.redactor.redact(errorText(caught)), 200)}`, cause: caught });
    }
  }

  private signed(call: ObsRequestSpec, credentials: ObsCredentials): { url: URL; headers: Record<string, string> } {
    const query = formatObsQuery(call.query);
    const address = obsTargetOf(this.parts.endpoint, call.bucket, call.key, call.bucket === undefined ? undefined : this.locations.get(call.bucket), query);
    const headers: Record<string, string> = { 'User-Agent': this.parts.userAgent, Date: new Date(this.parts.clock.now()).toUTCString(), ...call.headers };
    if (call.contentType !== undefined) headers['Content-Type'] = call.contentType;
    if (call.contentMd5 !== undefined) headers['Content-MD5'] = call.contentMd5;
    if (credentials.securityToken) headers['x-obs-security-token'] = credentials.securityToken;
    headers.Authorization = obsAuthorization({ ak: credentials.ak, sk: credentials.sk }, { method: call.method, resource: address.resource, query, headers });
    return { url: address.url, headers };
  }

  private label(call: ObsRequestSpec): string {
    const where = call.bucket === undefined ? '/' : `${call.bucket}/${call.key ?? ''}`;
    const query = formatObsQuery(call.query);
    return `${call.method} ${where}${query ? `?${query}` : ''} [${call.operation}]`;
  }

  private async attempts(call: ObsRequestSpec, signal: AbortSignal): Promise<WireResponse> {
    const { log, clock, retry, budget, random } = this.parts;
    const label = this.label(call);
    let attempt = 0;
    let redirected = false;
    for (;;) {
      if (signal.aborted) throw abortedError('OBS', signal.reason);
      const credentials = await this.credentialsFor(signal);
      if (signal.aborted) throw abortedError('OBS', signal.reason);
      attempt++;
      const outcome = await this.attempt(call, credentials, signal, label, attempt);
      if ('response' in outcome) return outcome.response;
      if (outcome.redirectTo !== undefined && call.bucket !== undefined && !redirected) {
        // The bucket lives in another region: the service did nothing, so the call goes there once, at once.
        redirected = true;
        attempt--;
        this.rememberLocation(call.bucket, outcome.redirectTo);
        log.debug(`${label}: the bucket is in ${outcome.redirectTo}; sending there`);
        continue;
      }
      const decision = decideRetry({ error: outcome.error, attempt, retries: attempt - 1, idempotent: call.idempotent, retryAfter: outcome.retryAfter, nowMs: clock.now(), options: retry, budget, random });
      if (decision.action === 'fail') {
        if (attempt > 1 || decision.error.kind === 'throttled') log.debug(`${label}: giving up (${decision.reason})`);
        throw decision.error;
      }
      log.debug(`${label}: retry ${attempt} in ${decision.delayMs} ms (${decision.reason}, after ${outcome.error.status ? `HTTP ${outcome.error.status}` : outcome.error.code})`);
      try {
        await clock.sleep(decision.delayMs, signal);
      } catch (cause) {
        throw abortedError('OBS', cause);
      }
    }
  }

  private async attempt(call: ObsRequestSpec, credentials: ObsCredentials, signal: AbortSignal, label: string, attempt: number): Promise<{ response: WireResponse } | { error: ModelArtsError; retryAfter?: string; redirectTo?: string }> {
    const { log, wire, redactor } = this.parts;
    const { url, headers } = this.signed(call, credentials);
    const started = performance.now();
    let raw: WireResponse;
    try {
      raw = await wire.send({ service: 'OBS', method: call.method, url, headers, body: call.body, sink: call.sink ?? { kind: 'memory', maxBytes: this.parts.maxResponseBytes }, signal, onProgress: call.onProgress });
    } catch (caught) {
      const error = isModelArtsError(caught) ? caught : new ModelArtsError({ kind: 'network', message: oneLine(redactor.redact(errorText(caught)), 200), cause: caught });
      log.debug(`${label} → ${error.kind === 'aborted' ? 'cancelled' : `${error.kind}: ${error.message}`} after ${Math.round(performance.now() - started)} ms (attempt ${attempt})`);
      if (error.kind === 'aborted' || error.kind === 'invalid-input' || error.kind === 'invalid-response') throw error;
      return { error };
    }
    const requestId = raw.headers['x-obs-request-id'] || undefined;
    log.debug(`${label} → ${raw.status} in ${Math.round(performance.now() - started)} ms (request id ${requestId ?? 'none'}, attempt ${attempt})`);
    if (call.bucket !== undefined) this.rememberLocation(call.bucket, raw.headers['x-obs-bucket-location']);
    if ((raw.status >= 200 && raw.status < 300) || call.acceptStatus?.includes(raw.status)) {
      this.parts.budget.onSuccess();
      return { response: raw };
    }
    const error = obsErrorFromResponse(raw, redactor, this.parts.clock.now());
    if (error.kind === 'invalid-response') throw error;
    const region = redirectRegionOf(raw);
    // Only where the client chooses the region's host itself (a regional endpoint, virtual-hosted).
    const redirectTo = region !== undefined && call.bucket !== undefined && region !== this.locations.get(call.bucket) && regionalHost(this.parts.endpoint, region) !== this.parts.endpoint.host ? region : undefined;
    return { error, retryAfter: raw.headers['retry-after'], redirectTo };
  }
}
