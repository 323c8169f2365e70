import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ReadBody } from './call';

// An OBS request body read as it arrives: its Buffers kept as they came (no copy into one big Buffer), its MD5
// computed on the way, refused past a limit before or while it arrives, and cut off by a planted fault.

/** Thrown when a planted fault destroyed the connection mid-body: nothing is answered. */
export class ConnectionDropped extends Error {}

export interface BodyOptions {
  maxBytes: number;
  tooLarge: (size: number) => Error;
  /** Destroy the socket once this many bytes have arrived (fault injection). */
  resetAfterBytes?: number;
}

export function readObsBody(req: IncomingMessage, options: BodyOptions): Promise<ReadBody> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) return Promise.reject(options.tooLarge(declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = createHash('md5');
    let size = 0;
    let done = false;
    const finish = (error: Error | undefined): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (error) reject(error);
      else resolve({ chunks, size, md5: hash.digest() });
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > options.maxBytes) {
        finish(options.tooLarge(size));
        return;
      }
      chunks.push(chunk);
      hash.update(chunk);
      if (options.resetAfterBytes !== undefined && size >= options.resetAfterBytes) {
        req.socket.destroy();
        finish(new ConnectionDropped());
      }
    };
    req.on('data', onData);
    req.on('end', () => finish(undefined));
    req.on('error', (error) => finish(error));
    req.on('close', () => {
      if (!req.complete) finish(new ConnectionDropped());
    });
  });
}

/** Reads and drops what is left of a small body, so an error answer is read by a client still sending it. */
export function drainSmallBody(req: IncomingMessage, maxBytes: number): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (!Number.isFinite(declared) || declared > maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    req.on('end', () => resolve(true));
    req.on('error', () => resolve(false));
    req.resume();
  });
}
