import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseObsAuthorization } from '../../api/obs/signer';
import type { GatewayContext, GatewayState } from '../gateway/context';
import type { FaultRule } from '../gateway/faults';
import { HTML_GATEWAY_PAGE } from '../gateway/faults';
import { headerText } from '../gateway/iam';
import type { Exchange } from '../gateway/wire';
import { isOwnObsHost, obsAddress } from './address';
import { verifyObsRequest } from './auth';
import { ConnectionDropped, drainSmallBody, readObsBody } from './body';
import type { ObsAnswer, ObsCall } from './call';
import { ObsFailure, accessDenied } from './errors';
import { dispatch } from './routes';
import { errorDocument } from './xml';

// The OBS listener's way with a request: the caller check (its own loopback and OBS host names, no Origin),
// the planted faults, the unsigned API-version probe, the signature, the operation, and the answer with the
// service's headers; failures as the XML error body (HEAD: as headers only).

/** Small bodies are read and dropped before an error answer; larger ones get `Connection: close`. */
const DRAIN_LIMIT = 1024 * 1024;

interface ObsExchange extends Exchange {
  obsRequestId: string;
  /** The canonical resource, for error bodies. */
  resource: string;
}

function obsHeaders(ex: ObsExchange): Record<string, string> {
  return {
    'x-obs-request-id': ex.obsRequestId,
    'x-obs-id-2': randomBytes(36).toString('base64'),
    Server: 'OBS',
    Date: new Date().toUTCString(),
  };
}

/** Writes an answer; Buffers of an object go out one after another with back-pressure. */
function sendAnswer(ex: ObsExchange, answer: ObsAnswer, extra: Record<string, string> = {}): void {
  ex.record.status = answer.status;
  if (ex.res.destroyed) return;
  const chunks = answer.body === undefined ? [] : Buffer.isBuffer(answer.body) ? [answer.body] : [...answer.body];
  const length = chunks.reduce((sum, c) => sum + c.length, 0);
  const isHead = ex.req.method?.toUpperCase() === 'HEAD';
  const headers: Record<string, string | number> = { ...obsHeaders(ex), ...answer.headers, ...extra };
  if (!isHead || headers['Content-Length'] === undefined) headers['Content-Length'] = isHead ? 0 : length;
  ex.res.writeHead(answer.status, headers);
  if (isHead) {
    ex.res.end();
    return;
  }
  let i = 0;
  const writeMore = (): void => {
    while (i < chunks.length) {
      if (ex.res.destroyed) return;
      if (!ex.res.write(chunks[i++])) {
        ex.res.once('drain', writeMore);
        return;
      }
    }
    ex.res.end();
  };
  writeMore();
}

export function failureAnswer(ex: ObsExchange, failure: ObsFailure): ObsAnswer {
  if (ex.req.method?.toUpperCase() === 'HEAD') {
    return { status: failure.status, headers: { ...failure.headers, 'x-obs-error-code': failure.code, 'x-obs-error-message': failure.message.replace(/[^\x20-\x7e]/g, '?') } };
  }
  const hostId = randomBytes(36).toString('base64');
  const body = errorDocument(failure.code, failure.message, ex.obsRequestId, hostId, ex.resource, failure.extra);
  return { status: failure.status, headers: { ...failure.headers, 'Content-Type': 'application/xml' }, body };
}

/** Answers a failure; a body still arriving is drained when small, else the connection closes after the answer. */
async function sendFailure(ex: ObsExchange, failure: ObsFailure): Promise<void> {
  const drained = await drainSmallBody(ex.req, DRAIN_LIMIT);
  sendAnswer(ex, failureAnswer(ex, failure), drained ? {} : { Connection: 'close' });
}

/** The canned failure of a fault rule's status, in OBS's terms. */
function faultFailure(status: number): ObsFailure {
  switch (status) {
    case 403:
      return accessDenied();
    case 404:
      return new ObsFailure(404, 'NoSuchKey', 'The specified key does not exist.');
    case 429:
    case 503:
      return new ObsFailure(status, 'SlowDown', 'Please reduce your request rate.');
    case 500:
      return new ObsFailure(500, 'InternalError', 'We encountered an internal error. Please try again.');
    default:
      return status >= 500 ? new ObsFailure(status, 'ServiceUnavailable', 'Service is unable to handle request.') : new ObsFailure(status, 'InvalidRequest', 'Invalid request.');
  }
}

/** A fault that answers in place of the operation; true when it did. */
function answerInstead(ex: ObsExchange, rule: FaultRule): boolean {
  if (rule.after || rule.reset !== undefined || rule.resetAfterBytes !== undefined) return false;
  const headers = { ...rule.headers };
  if (rule.malformed === 'html') {
    sendAnswer(ex, { status: rule.status ?? 502, headers: { 'Content-Type': 'text/html', ...headers }, body: Buffer.from(HTML_GATEWAY_PAGE) });
    return true;
  }
  if (rule.malformed === 'empty') {
    sendAnswer(ex, { status: rule.status ?? 200, headers: { 'Content-Type': 'application/xml', ...headers } });
    return true;
  }
  if (rule.malformed === 'bad-json') {
    sendAnswer(ex, { status: rule.status ?? 200, headers: { 'Content-Type': 'application/xml', ...headers }, body: Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>unterminated') });
    return true;
  }
  if (rule.status === undefined || rule.malformed !== undefined) return false;
  if (rule.body !== undefined) {
    const text = typeof rule.body === 'string' ? rule.body : JSON.stringify(rule.body);
    sendAnswer(ex, { status: rule.status, headers: { 'Content-Type': typeof rule.body === 'string' ? 'application/xml' : 'application/json', ...headers }, body: Buffer.from(text, 'utf8') });
    return true;
  }
  const answer = failureAnswer(ex, faultFailure(rule.status));
  sendAnswer(ex, { ...answer, headers: { ...answer.headers, ...headers } });
  return true;
}

/** The route has run: the fault now spoils its answer (a reset halfway, a cut body, a wrong type, a late status). */
function spoil(ex: ObsExchange, rule: FaultRule, answer: ObsAnswer): void {
  if (rule.reset === 'before-response') {
    ex.req.socket.destroy();
    return;
  }
  const whole = answer.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(answer.body) ? answer.body : Buffer.concat(answer.body);
  if (rule.reset === 'mid-body') {
    ex.record.status = 0;
    ex.res.writeHead(answer.status, { ...obsHeaders(ex), ...answer.headers, 'Content-Length': whole.length });
    ex.res.write(whole.subarray(0, Math.max(1, Math.floor(whole.length / 2))), () => ex.req.socket.destroy());
    return;
  }
  if (rule.after && rule.status !== undefined) {
    sendAnswer(ex, failureAnswer(ex, faultFailure(rule.status)), rule.headers);
    return;
  }
  const headers = { ...answer.headers, ...rule.headers };
  if (rule.malformed === 'truncated') {
    sendAnswer(ex, { status: answer.status, headers, body: whole.subarray(0, Math.floor(whole.length / 2)) });
    return;
  }
  if (rule.malformed === 'wrong-content-type') headers['Content-Type'] = 'text/html;charset=UTF-8';
  sendAnswer(ex, { ...answer, headers });
}

function distinctHeaders(headers: IncomingHttpHeaders, distinct: Record<string, string[] | undefined> | undefined): Record<string, string[] | undefined> {
  if (distinct) return distinct;
  const out: Record<string, string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = value === undefined ? undefined : Array.isArray(value) ? value : [value];
  return out;
}

function queryMap(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of pairs) if (!map.has(key)) map.set(key, value);
  return map;
}

/** Everything past the caller check and the faults that answer instead: the operation itself. */
async function operate(ctx: GatewayContext, ex: ObsExchange, rule: FaultRule | undefined): Promise<ObsAnswer | undefined> {
  const { req } = ex;
  const method = (req.method ?? 'GET').toUpperCase();
  const address = obsAddress(headerText(req.headers, 'host') ?? '', ex.rawPath);
  ex.resource = address.bucket === undefined ? '/' : `/${address.bucket}${address.key === undefined ? '/' : `/${address.key}`}`;
  const headers = distinctHeaders(req.headers, req.headersDistinct);
  const scheme = parseObsAuthorization(headers.authorization?.[0])?.scheme;
  verifyObsRequest(ctx.iam, { method, headers, rawQuery: ex.rawQuery, resources: address.resources }, ctx.gatewayClock);
  ex.record.auth = 'aksk';
  if (rule?.tokenExpired) throw new ObsFailure(403, 'InvalidAccessKeyId', 'The temporary access key has expired; get new temporary credentials.');
  let bodyRead = false;
  const call: ObsCall = {
    method,
    address,
    query: queryMap(ex.record.query),
    headers: req.headers,
    now: ctx.clock.now(),
    region: address.hostRegion ?? ctx.region,
    store: ctx.obs,
    headerPrefix: scheme === 'AWS' ? 'x-amz-' : 'x-obs-',
    body: (maxBytes, tooLarge) => {
      if (bodyRead) throw new Error('the body was read already');
      bodyRead = true;
      return readObsBody(req, { maxBytes, tooLarge, resetAfterBytes: rule?.resetAfterBytes });
    },
  };
  return dispatch(call);
}

/** Serves one request that came to the OBS listener. */
export async function serveObs(ctx: GatewayContext, gw: GatewayState, ex: Exchange): Promise<void> {
  const obsEx: ObsExchange = Object.assign(ex, { obsRequestId: ex.requestId.toUpperCase(), resource: '/' });
  const { req } = obsEx;
  const port = req.socket.localPort ?? 0;
  if (!isOwnObsHost(headerText(req.headers, 'host'), port, ctx.host, ctx.hostNames)) {
    await sendFailure(obsEx, accessDenied(`Access denied: this emulator answers OBS requests for 127.0.0.1:${port}, localhost:${port}, [::1]:${port} and *.myhuaweicloud.com names only.`));
    return;
  }
  if (req.headers.origin !== undefined) {
    await sendFailure(obsEx, accessDenied('Access denied: requests from a web page (with an Origin header) are not answered.'));
    return;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const decision = ctx.faults.decide('obs', method, ex.rawPath, ctx.gatewayClock.now());
  const rule = decision?.rule;
  if (decision?.kind === 'throttled') {
    const failure = faultFailure(rule?.status ?? 503);
    await sendFailure(obsEx, failure);
    return;
  }
  if (rule?.latencyMs && !(await gw.delay(rule.latencyMs))) return;
  if (rule?.stall) return;
  if (rule?.reset === 'before-response' && !rule.after) {
    req.socket.destroy();
    return;
  }
  if (rule && answerInstead(obsEx, rule)) return;
  if (method === 'HEAD' && ex.record.query.some(([key]) => key === 'apiversion')) {
    // The official SDK's unsigned negotiation probe: this service speaks the OBS signature (API 3.0).
    sendAnswer(obsEx, { status: 200, headers: { 'x-obs-api': '3.0' } });
    return;
  }
  let answer: ObsAnswer | undefined;
  try {
    answer = await operate(ctx, obsEx, rule);
  } catch (error) {
    if (error instanceof ConnectionDropped) return;
    if (!(error instanceof ObsFailure)) {
      ctx.onError?.(error);
      await sendFailure(obsEx, new ObsFailure(500, 'InternalError', `We encountered an internal error: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    answer = undefined;
    if (!rule || !(rule.after || rule.reset === 'mid-body')) {
      await sendFailure(obsEx, error);
      return;
    }
    answer = failureAnswer(obsEx, error);
  }
  if (!answer) return;
  if (rule) spoil(obsEx, rule, answer);
  else sendAnswer(obsEx, answer);
}
