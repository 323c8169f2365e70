import type { IncomingHttpHeaders } from 'node:http';
import type { ObsAddress } from './address';
import type { ObsStore } from './store';
import { type XmlChild, xmlDocument } from './xml';

// One OBS request as the operations see it, and the answer they give.

export interface ReadBody {
  chunks: Buffer[];
  size: number;
  /** MD5 of the bytes. */
  md5: Buffer;
}

export interface ObsCall {
  method: string;
  address: ObsAddress;
  /** Query parameters, decoded; the first of repeated keys wins. */
  query: ReadonlyMap<string, string>;
  headers: IncomingHttpHeaders;
  /** The resources' clock (Last-Modified, creation dates). */
  now: number;
  /** The region of the endpoint the request came to (the emulator's own on loopback). */
  region: string;
  store: ObsStore;
  /**
   * Reads the body, refusing more than `maxBytes` with `tooLarge` (a failure to throw) before or while it arrives.
   * At most once per call.
   */
  body(maxBytes: number, tooLarge: (size: number) => Error): Promise<ReadBody>;
  /** `x-obs-` for the OBS signature, `x-amz-` for the AWS V2 form: the prefix of metadata and token headers. */
  headerPrefix: 'x-obs-' | 'x-amz-';
}

export interface ObsAnswer {
  status: number;
  headers: Record<string, string>;
  /** One Buffer, or an object's Buffers sent one after another. */
  body?: Buffer | readonly Buffer[];
}

export function xmlAnswer(status: number, root: string, region: string, content: readonly XmlChild[], headers: Record<string, string> = {}): ObsAnswer {
  return { status, headers: { 'Content-Type': 'application/xml', ...headers }, body: xmlDocument(root, region, content) };
}

/** ISO time with milliseconds, as listings print it. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The owner every listing names: the emulator's single account. */
export const OWNER_ID = 'd0a1b2c3e4f5468798a9b0c1d2e3f405';
