// What an answer means: a 2xx body parsed, or an error status and its body mapped to one ModelArtsError
// (the documented error shapes, redacted, one line).

import { ModelArtsError } from './errors';
import type { Redactor } from './redact';
import { parseRetryAfter } from './retry';

/** One line, at most `max` characters. */
export function oneLine(text: string, max = 500): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A short, redacted, one-line excerpt of a body, with HTML tags taken out. */
export function bodySnippet(text: string, redactor: Redactor, max = 200): string {
  let plain = text;
  if (/^\s*</.test(plain)) {
    plain = plain
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ');
  }
  // Redact before cutting, so a cut never leaves half a secret the redactor cannot recognise.
  return oneLine(redactor.redact(oneLine(plain, 4096)), max);
}

export interface RawResponse {
  status: number;
  statusText: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

interface ErrorFields {
  code?: string;
  message?: string;
  solution?: string;
  requestId?: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

const CODE_MESSAGE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['error_code', 'error_msg'],
  ['error_code', 'error_message'],
  ['errorCode', 'errorMsg'],
  ['code', 'message'],
];
const MESSAGE_KEYS = ['error_msg', 'error_message', 'errorMsg', 'message'];

/** The documented error shapes, in the order the SDK tries them, then nested objects (`{error:{code,message}}`). */
export function findErrorFields(value: unknown, depth = 0): ErrorFields | undefined {
  if (!isRecord(value) || depth > 3) return undefined;
  const extra = {
    solution: text(value.error_solution) ?? text(value.errorSolution) ?? text(value.solution),
    requestId: text(value.request_id) ?? text(value.requestId),
  };
  for (const [codeKey, messageKey] of CODE_MESSAGE_PAIRS) {
    const code = text(value[codeKey]);
    const message = text(value[messageKey]);
    if (code !== undefined && message !== undefined) return { code, message, ...extra };
  }
  for (const child of Object.values(value)) {
    const nested = findErrorFields(child, depth + 1);
    if (nested) return { ...nested, requestId: nested.requestId ?? extra.requestId, solution: nested.solution ?? extra.solution };
  }
  // A message without a code, or a code without a message: still better than the raw body.
  const message = MESSAGE_KEYS.map((key) => text(value[key])).find((m) => m !== undefined) ?? text(value.title);
  const code = text(value.error_code) ?? text(value.errorCode);
  if (message !== undefined || code !== undefined) return { code, message, ...extra };
  return undefined;
}

function tryParseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body) as unknown };
  } catch {
    return { ok: false };
  }
}

function decodeBody(body: Buffer): string {
  return body.toString('utf8');
}

const CLOCK_SKEW = /signature expired/i;

/** Maps an error status and its body to one ModelArtsError. */
export function errorFromResponse(raw: RawResponse, redactor: Redactor, nowMs = Date.now()): ModelArtsError {
  const bodyText = decodeBody(raw.body);
  const parsed = bodyText.trim() ? tryParseJson(bodyText) : ({ ok: false } as const);
  const fields = parsed.ok ? findErrorFields(parsed.value) : undefined;
  const requestId = raw.headers['x-request-id'] || fields?.requestId || raw.headers['x-iam-trace-id'] || undefined;
  const code = fields?.code ?? String(raw.status);
  let message = fields?.message
    ? oneLine(redactor.redact(fields.message))
    : bodyText.trim()
      ? bodySnippet(bodyText, redactor)
      : oneLine(raw.statusText || `HTTP ${raw.status}`);
  if (raw.status === 401 && CLOCK_SKEW.test(message)) {
    const times = /signature time:\s*([^,]+),\s*server time:\s*([^\s,]+)/i.exec(message);
    message =
      "The request signature was refused as expired: check that this computer's clock, date and time zone are correct" +
      (times ? ` (signature time ${times[1].trim()}, server time ${times[2].trim()})` : '') +
      '.';
  }
  const retryAfterMs = parseRetryAfter(raw.headers['retry-after'], nowMs);
  return new ModelArtsError({
    kind: 'http',
    status: raw.status,
    code,
    message,
    solution: fields?.solution ? oneLine(redactor.redact(fields.solution)) : undefined,
    requestId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}

/** Parses a 2xx body: empty is undefined; JSON is parsed whatever the Content-Type says; anything else is refused. */
export function parseSuccessBody(raw: RawResponse, responseType: 'json' | 'text', service: string, redactor: Redactor): unknown {
  const bodyText = decodeBody(raw.body);
  if (responseType === 'text') return bodyText;
  if (!/\S/.test(bodyText)) return undefined;
  const parsed = tryParseJson(bodyText);
  if (parsed.ok) return parsed.value;
  const type = raw.headers['content-type'];
  throw new ModelArtsError({
    kind: 'invalid-response',
    status: raw.status,
    code: 'InvalidResponse',
    message: `${service} answered with a body that is not valid JSON${type ? ` (${oneLine(type, 80)})` : ''}: ${bodySnippet(bodyText, redactor)}`,
    requestId: raw.headers['x-request-id'] || undefined,
  });
}
