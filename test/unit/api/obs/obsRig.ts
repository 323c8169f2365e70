// Shared set-up of the OBS client tests: a client for the fake OBS, a clock whose sleeps pass at once (in
// virtual time, recorded), and temporary folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../../src/api/clock';
import { createObsClient, type ObsClientOptions } from '../../../../src/api/obs/client';
import type { ObsClient } from '../../../../src/api/obs/types';
import { FAKE_AK, FAKE_SK, type FakeObs } from '../../helpers/fakeObs';

/** Virtual time: every sleep is recorded and passes at once. */
export class InstantClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    this.sleeps.push(ms);
    this.current += ms;
    return Promise.resolve();
  }
}

export function fakeClient(fake: FakeObs, options: Partial<ObsClientOptions> = {}): ObsClient {
  return createObsClient({
    endpoint: fake.url,
    region: 'cn-north-4',
    credentials: () => Promise.resolve({ ak: FAKE_AK, sk: FAKE_SK }),
    clock: new InstantClock(),
    ...options,
  });
}

export function tempFolder(t: { after(fn: () => void): void }): string {
  const folder = mkdtempSync(join(tmpdir(), 'obs-client-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** Bytes that differ from part to part (so a part sent twice or out of place shows). */
export function patterned(size: number, seed = 1): Buffer {
  const data = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}
