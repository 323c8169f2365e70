// What an OBS error answer means: the `<Error>` XML body (or, for HEAD, the `x-obs-error-*` headers) mapped to one
// ModelArtsError with the OBS code, message, request id and status; anything else is an invalid response.

import { ModelArtsError } from '../errors';
import { bodySnippet, oneLine } from '../httpErrors';
import type { Redactor } from '../redact';
import { parseRetryAfter } from '../retry';
import type { WireResponse } from '../wire';
import { parseObsXml, xmlText, type ObsXmlNode } from './xml';

/** What to say when an error answer names no message. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'OBS refused the request as invalid.',
  403: 'Access to OBS was denied.',
  404: 'The bucket or object does not exist.',
  405: 'OBS does not allow this operation here.',
  409: 'The request conflicts with the state of the bucket.',
  412: 'A precondition of the request failed.',
  416: 'The requested range is not valid for the object.',
  429: 'OBS is throttling requests.',
  500: 'OBS had an internal error.',
  503: 'OBS is unavailable or throttling requests.',
};

/** Extra words for codes whose service message does not say what to do. */
function explain(code: string, message: string, body: ObsXmlNode | undefined): string {
  switch (code) {
    case 'RequestTimeTooSkewed':
      return `${message} Check that this computer's clock, date and time zone are correct.`;
    case 'PermanentRedirect':
    case 'TemporaryRedirect': {
      const endpoint = xmlText(body, 'Endpoint');
      const region = xmlText(body, 'Region') ?? xmlText(body, 'BucketRegion') ?? regionOfEndpoint(endpoint);
      const where = region ? ` It is in region ${region}.` : endpoint ? ` Its address is ${endpoint}.` : '';
      return `The bucket must be reached through another OBS endpoint.${where}`;
    }
    default:
      return message;
  }
}

function regionOfEndpoint(endpoint: string | undefined): string | undefined {
  return endpoint ? /(?:^|\.)obs\.([a-z0-9-]+)\./i.exec(endpoint)?.[1] : undefined;
}

function parseErrorBody(text: string): ObsXmlNode | undefined {
  try {
    const root = parseObsXml(text);
    return root.name === 'Error' ? root : undefined;
  } catch {
    return undefined;
  }
}

/** Maps an error status (≥ 300) and its body to a ModelArtsError. HTML or garbage gives `invalid-response`. */
export function obsErrorFromResponse(raw: WireResponse, redactor: Redactor, nowMs: number): ModelArtsError {
  const bodyText = raw.body.toString('utf8');
  const body = bodyText.trim() ? parseErrorBody(bodyText) : undefined;
  const requestId = raw.headers['x-obs-request-id'] || xmlText(body, 'RequestId') || undefined;
  if (bodyText.trim() && !body) {
    const type = raw.headers['content-type'];
    return new ModelArtsError({
      kind: 'invalid-response',
      status: raw.status,
      code: 'InvalidResponse',
      message: `OBS answered HTTP ${raw.status} with a body that is not an OBS error${type ? ` (${oneLine(type, 80)})` : ''}: ${bodySnippet(bodyText, redactor)}`,
      requestId,
    });
  }
  const code = xmlText(body, 'Code') || raw.headers['x-obs-error-code'] || String(raw.status);
  const serviceMessage = xmlText(body, 'Message') || raw.headers['x-obs-error-message'] || STATUS_TEXT[raw.status] || oneLine(raw.statusText || `OBS answered HTTP ${raw.status}.`);
  const retryAfterMs = parseRetryAfter(raw.headers['retry-after'], nowMs);
  return new ModelArtsError({
    kind: 'http',
    status: raw.status,
    code,
    message: oneLine(redactor.redact(explain(code, serviceMessage, body))),
    requestId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}

/** The region a 301 PermanentRedirect sends a bucket to, when its body says. */
export function redirectRegionOf(raw: WireResponse): string | undefined {
  if (raw.status !== 301) return undefined;
  const body = parseErrorBody(raw.body.toString('utf8'));
  const region = xmlText(body, 'Region') ?? xmlText(body, 'BucketRegion') ?? regionOfEndpoint(xmlText(body, 'Endpoint'));
  return region && /^[a-z0-9-]+$/i.test(region) ? region : undefined;
}

/** A 2xx body that should be OBS XML but is not. */
export function invalidObsBody(raw: WireResponse, what: string, redactor: Redactor): ModelArtsError {
  return new ModelArtsError({
    kind: 'invalid-response',
    status: raw.status,
    code: 'InvalidResponse',
    message: `OBS answered ${what} with a body that is not the expected XML: ${bodySnippet(raw.body.toString('utf8'), redactor) || '(empty)'}`,
    requestId: raw.headers['x-obs-request-id'] || undefined,
  });
}

/** Refused before any request: a bad name, a file too large, a wrong part size. */
export function obsInputError(message: string, code = 'InvalidInput'): ModelArtsError {
  return new ModelArtsError({ kind: 'invalid-input', code, message });
}
