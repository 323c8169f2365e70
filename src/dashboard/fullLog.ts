// Download Full Log without the editor: where a log link may be fetched from, the file's default name, and the
// download itself through the OBS wire (timeouts, cancellation, a size cap, written whole or not at all).

import { promises as fsp } from 'node:fs';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS } from '../api/http';
import { ModelArtsError } from '../api/errors';
import { oneLine } from '../api/httpErrors';
import { HttpWire, type ResponseSink } from '../api/wire';
import type { Redactor } from '../api/redact';

/** The most a full log may be: past it the download stops and no file appears. */
export const FULL_LOG_MAX_BYTES = 2 * 1024 ** 3;

/** Where OBS is for a session: its region and the configured endpoint (the demo emulator's listener). */
export interface LogLinkPlace {
  region: string;
  endpoint: string;
}

/**
 * Whether a log link may be fetched: an https link at OBS's host for the region (`obs.<region>.myhuaweicloud.com`
 * or a bucket under it), or the configured OBS endpoint's own origin (or, over https, a bucket under it).
 */
export function isObsLink(link: string, place: LogLinkPlace): boolean {
  let url: URL;
  let endpoint: URL;
  try {
    url = new URL(link);
    endpoint = new URL(place.endpoint);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.origin === endpoint.origin) return true;
  if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) return false;
  const host = url.hostname.toLowerCase();
  const regional = `obs.${place.region.toLowerCase()}.myhuaweicloud.com`;
  const configured = endpoint.protocol === 'https:' ? endpoint.hostname.toLowerCase() : undefined;
  return [regional, configured].some((base) => base !== undefined && (host === base || host.endsWith(`.${base}`)));
}

/** `<job>-<task>.log`, made a safe file name on every system. */
export function fullLogFileName(jobName: string, task: string): string {
  const name = `${jobName}-${task}`
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 200);
  return `${name || 'training-job'}.log`;
}

export interface FullLogRead {
  link: string;
  place: LogLinkPlace;
  signal: AbortSignal;
  redactor: Redactor;
  onProgress?: (bytes: number, totalBytes?: number) => void;
  maxBytes?: number;
  timeouts?: { connectMs?: number; readMs?: number };
}

/** The OBS error code and message of an XML error body, for a refusal that names no link. */
function obsRefusal(status: number, body: Buffer, redactor: Redactor): ModelArtsError {
  const text = body.toString('utf8');
  const code = /<Code>([^<]{1,64})<\/Code>/.exec(text)?.[1] ?? String(status);
  const message = /<Message>([^<]{0,300})<\/Message>/.exec(text)?.[1] ?? '';
  return new ModelArtsError({
    kind: 'http',
    status,
    code,
    message: oneLine(redactor.redact(`OBS refused the log link: ${code}${message ? ` (${message})` : ''}.`), 300),
  });
}

export interface FullLogDownload extends FullLogRead {
  file: string;
}

/** Downloads the log behind `link` into `file` (replaced only once the whole log arrived); its size in bytes. */
export async function downloadFullLog(input: FullLogDownload): Promise<number> {
  const maxBytes = input.maxBytes ?? FULL_LOG_MAX_BYTES;
  await fetchFullLog(input, { kind: 'file', file: input.file, maxBytes });
  return (await fsp.stat(input.file)).size;
}

/** Reads the log behind `link`, each chunk to `onData` as it arrives; its size in bytes once all arrived. */
export async function streamFullLog(input: FullLogRead & { onData: (chunk: Buffer) => void }): Promise<number> {
  let bytes = 0;
  await fetchFullLog(input, {
    kind: 'stream',
    maxBytes: input.maxBytes ?? FULL_LOG_MAX_BYTES,
    onData: (chunk) => {
      bytes += chunk.length;
      input.onData(chunk);
    },
  });
  return bytes;
}

async function fetchFullLog(input: FullLogRead, sink: ResponseSink): Promise<void> {
  if (!isObsLink(input.link, input.place)) {
    throw new ModelArtsError({ kind: 'invalid-response', code: 'UntrustedLink', message: 'The log link does not point at OBS for this region or the configured OBS endpoint; it was not fetched.' });
  }
  const wire = new HttpWire({
    connectMs: input.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    readMs: input.timeouts?.readMs ?? DEFAULT_READ_TIMEOUT_MS,
    maxErrorBytes: 64 * 1024,
    redactor: input.redactor,
  });
  try {
    const response = await wire.send({
      service: 'OBS',
      method: 'GET',
      url: new URL(input.link),
      headers: {},
      sink,
      signal: input.signal,
      onProgress: input.onProgress,
    });
    if (response.status < 200 || response.status >= 300) throw obsRefusal(response.status, response.body, input.redactor);
  } finally {
    wire.dispose();
  }
}
