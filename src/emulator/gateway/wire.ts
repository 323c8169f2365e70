import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFailure } from '../framework';
import { IamFailure } from './iam';

// What passes over the wire between the gateway and a caller: the exchange in progress, the body read with its
// limit, and the answers, error bodies included, in the shape each service sends them.

export type RequestService = 'modelarts' | 'iam' | 'obs' | 'admin';

export interface RecordedRequest {
  service: RequestService;
  method: string;
  path: string;
  query: Array<[string, string]>;
  /** The status sent; 0 while unanswered or when the connection was reset or stalled. */
  status: number;
  /** The resources' (emulated) ms at arrival. */
  at: number;
  /** The matched route pattern. */
  route?: string;
  auth: 'aksk' | 'token' | 'none';
}

/** One request being answered. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  record: RecordedRequest;
  rawPath: string;
  rawQuery: string;
}

/** An answer ready to send. */
export interface Prepared {
  status: number;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

/** AK/SK-signed bodies are limited to 12 MB at the gateway. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!done) reject(error);
      done = true;
    });
  });
}

/** The body of a gateway or service failure: the gateway's own (APIGW.*) carry the request id. */
export function gatewayBody(failure: ApiFailure, requestId: string): unknown {
  const body = failure.toBody();
  return failure.code.startsWith('APIGW.') ? { ...body, request_id: requestId } : body;
}

export function prepareJson(status: number, body: unknown, requestId: string, service: RequestService, headers: Record<string, string> = {}): Prepared {
  const out: Record<string, string> = { 'X-Request-Id': requestId };
  if (service === 'iam') out['X-IAM-Trace-Id'] = requestId;
  let buffer: Buffer | undefined;
  if (body !== undefined) {
    buffer = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    out['Content-Type'] = 'application/json';
  }
  return { status, headers: { ...out, ...headers }, body: buffer };
}

/** A failure in the body its service uses: IAM's `{error: {code, message, title}}`, ModelArts' `{error_code, error_msg}`. */
export function failureResponse(failure: ApiFailure, ex: Exchange, service: RequestService): Prepared {
  if (service === 'iam' && !(failure instanceof IamFailure)) {
    return prepareJson(failure.status, new IamFailure(failure.status, failure.message).toBody(), ex.requestId, service);
  }
  return prepareJson(failure.status, gatewayBody(failure, ex.requestId), ex.requestId, service);
}

export function send(ex: Exchange, prepared: Prepared): void {
  ex.record.status = prepared.status;
  if (ex.res.destroyed) return;
  const headers: Record<string, string | number> = { ...prepared.headers, 'Content-Length': prepared.body?.length ?? 0 };
  ex.res.writeHead(prepared.status, headers);
  ex.res.end(prepared.body);
}

/** A valid JSON body of `bytes` bytes, streamed with back-pressure; stops when the caller or the emulator goes. */
export async function streamHuge(ex: Exchange, status: number, bytes: number, headers: Record<string, string>, closing: () => boolean): Promise<void> {
  const prefix = '{"padding":"';
  const suffix = '"}';
  const fill = Math.max(0, bytes - prefix.length - suffix.length);
  ex.record.status = status;
  ex.res.writeHead(status, { 'X-Request-Id': ex.requestId, 'Content-Type': 'application/json', 'Content-Length': prefix.length + fill + suffix.length, ...headers });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  ex.res.write(prefix);
  let left = fill;
  while (left > 0) {
    if (ex.res.destroyed || closing()) return;
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= part.length;
    if (!ex.res.write(part)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          ex.res.off('drain', done);
          ex.res.off('close', done);
          resolve();
        };
        ex.res.on('drain', done);
        ex.res.on('close', done);
      });
    }
  }
  ex.res.end(suffix);
}
