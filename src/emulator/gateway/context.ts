import type { EmuClock, ResourceFamily, Router } from '../framework';
import type { NotebooksFamily } from '../notebooks';
import type { ObsStore } from '../obs/store';
import type { FaultController } from './faults';
import type { IamService, IamState } from './iam';
import type { RecordedRequest } from './wire';

// What the gateway's parts (routing, faults, admin) share: the emulator as the gateway sees it.

export interface GatewayContext {
  /** The address the listeners are bound to. */
  host: string;
  /** More host names the listeners answer as their own (a proxy's). */
  hostNames?: readonly string[];
  region: string;
  projectId: string;
  /** The resources' clock. */
  clock: EmuClock;
  /** Signature age, tokens, rate-limit windows. */
  gatewayClock: EmuClock;
  router: Router;
  families: readonly ResourceFamily[];
  notebooks: NotebooksFamily;
  iam: IamState;
  /** The OBS buckets and objects. */
  obs: ObsStore;
  faults: FaultController;
  /** The admin route's per-run token; undefined when the route is off. */
  adminToken: string | undefined;
  onError?: (error: unknown) => void;
}

/** The gateway while it runs: what its parts read and change besides the context. */
export interface GatewayState {
  readonly requests: RecordedRequest[];
  readonly endpoint: string;
  readonly iamEndpoint: string;
  readonly obsEndpoint: string;
  /** The IAM routes, once the listeners are bound (the token catalog names both endpoints). */
  iamService(): IamService;
  /** Applies every due transition of every family. */
  advanceFamilies(now: number): void;
  /** Waits real ms; false when the emulator closed meanwhile. */
  delay(ms: number): Promise<boolean>;
  closing(): boolean;
}
