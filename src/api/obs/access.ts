// What the OBS client needs from a signed-in session: where OBS is, the region, and how to sign.

import type { ObsCredentialSource } from './types';

export interface ObsAccess {
  /** `https://obs.<region>.myhuaweicloud.com`, the setting, or the demo emulator's listener. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: ObsCredentialSource;
}

export function defaultObsEndpoint(region: string): string {
  return `https://obs.${region}.myhuaweicloud.com`;
}
