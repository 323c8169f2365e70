import { createAppsFamily, type AppsFamily } from './apps';
import { type EmuClock, type FamilyOptions, type ResourceFamily, Router, type SeedKind, realClock, scaledClock } from './framework';
import { FaultController, type FaultRule } from './gateway/faults';
import { newAdminToken } from './gateway/gate';
import { IamState, type EmulatorCredentials, type SecretPrefixes, type TemporaryCredentials } from './gateway/iam';
import { Gateway } from './gateway/listen';
import type { RecordedRequest } from './gateway/wire';
import { createNotebooksFamily, type EmulatedSshEndpoint, type NotebooksFamily } from './notebooks';
import { encodeObsKey, presignedObsQuery } from '../api/obs/signer';
import { DEFAULT_OBS_MAX_BYTES, ObsStore, seedObs } from './obs';
import { createTrainingFamily } from './training';
import { createWorkflowsFamily } from './workflows';
import { createWorkspacesFamily, type WorkspacesFamily } from './workspaces';

// The emulator assembled: its options, its families (workspaces, notebooks, apps, then training and workflows)
// on the resources' clock, OBS's buckets (obs/), behind the gateway (gateway/: listeners, auth, faults, admin
// route, error bodies).

export type { EmulatorCredentials, SecretPrefixes } from './gateway/iam';
export type { FaultRule } from './gateway/faults';

export interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  iamPort?: number;
  /** The OBS listener's port; 0 = any free port (default). */
  obsPort?: number;
  /** The most bytes OBS keeps in memory (objects and pending parts); default 1 GiB. */
  obsMaxBytes?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  seed?: SeedKind;
  /** Extra training jobs for the scale seed (in each of its workspaces). */
  jobs?: number;
  /** The scale seed's jobs all keep running (for days): a long list that the explorer polls. */
  scaleRunning?: boolean;
  /** Workspaces holding the scale seed's jobs: "0" and `scaleWorkspaces - 1` more. Default 1. */
  scaleWorkspaces?: number;
  /** Training jobs in workspace "0" that stay Running (30 emulated days), whatever the seed. */
  runningJobs?: number;
  /** Notebooks in workspace "0" that stay Running (no auto-stop), whatever the seed. */
  runningNotebooks?: number;
  /** Emulated seconds per real second (default 1) of the resources' clock; ignored when `clock` is given. */
  timeScale?: number;
  /** The resources' clock: state machines, leases, logs, events, `create_time`s, the request log's `at`. */
  clock?: EmuClock;
  /**
   * The gateway's clock: signature age, token and temporary credential issue and expiry, the server time in
   * its errors, rate-limit windows. Default the real clock, whatever the time scale, as every client signs
   * with the real time.
   */
  gatewayClock?: EmuClock;
  faults?: FaultRule[];
  region?: string;
  projectId?: string;
  credentials?: Partial<EmulatorCredentials>;
  /** Default 24 h. */
  tokenTtlMs?: number;
  /** Recognisable beginnings for the tokens and secrets the emulator issues (leak searches). */
  secretPrefixes?: SecretPrefixes;
  /** The families after workspaces, notebooks and apps; default `defaultFamilies` (training, workflows). */
  families?: (opts: FamilyOptions) => ResourceFamily[];
  /** Called with unexpected handler errors (answered 500); quiet by default. */
  onError?: (error: unknown) => void;
  /** Where running notebooks' SSH endpoints point (a real sshd on loopback); default 127.0.0.1:22. */
  sshEndpoint?: EmulatedSshEndpoint;
  /**
   * The admin route `/__admin` (faults, request log, clock), which wants `adminToken`; default on. Off (demo
   * mode), `/__admin` is an unknown API route like any other.
   */
  admin?: boolean;
  /**
   * More host names the listeners answer as their own, besides loopback: for a client that reaches the emulator
   * under another name (through a proxy, as a cloud endpoint is reached by its DNS name). Never set in demo mode.
   */
  hostNames?: readonly string[];
}

export type { RecordedRequest, RequestService } from './gateway/wire';
export { MAX_BODY_BYTES } from './gateway/wire';
export { isLoopbackAddress } from './gateway/admin';

export interface RunningEmulator {
  endpoint: string;
  iamEndpoint: string;
  /** The OBS listener, `http://127.0.0.1:<port>` (path-style, or virtual-hosted names through a DNS lookup). */
  obsEndpoint: string;
  /** The admin route's per-run token, sent as `X-Admin-Token`; undefined when the route is off. */
  adminToken: string | undefined;
  region: string;
  projectId: string;
  credentials: EmulatorCredentials;
  faults: FaultController;
  /** Every request in arrival order (the oldest are dropped past 100,000). */
  requests: RecordedRequest[];
  families: ResourceFamily[];
  workspaces: WorkspacesFamily;
  notebooks: NotebooksFamily;
  apps: AppsFamily;
  /** OBS's buckets and objects (seeded with the demo data). */
  obs: ObsStore;
  /** The resources' clock (scaled by `timeScale`). */
  clock: EmuClock;
  /** The gateway's clock (real time unless given). */
  gatewayClock: EmuClock;
  /** Every registered ModelArts route as `METHOD pattern`. */
  routes(): string[];
  /** Temporary AK/SK valid for `ttlMs` on the gateway's clock. */
  issueTemporaryCredentials(ttlMs?: number): TemporaryCredentials;
  /** Every IAM token issued so far expires now (the gateway's now). */
  expireTokens(): void;
  close(): Promise<void>;
}

export const DEFAULT_REGION = 'cn-north-4';
export const DEFAULT_PROJECT_ID = '5a1e6f2b8c3d4e9fa0b1c2d3e4f5a6b7';
export const DEFAULT_CREDENTIALS: EmulatorCredentials = {
  ak: 'EMUDEMOAKEXAMPLE0001',
  sk: 'EmuDemoSecretKeyExample00000000000000001',
  username: 'demo-user',
  password: 'Demo@Passw0rd',
  domain: 'demo-account',
};
const USER_ID = '9c8b7a6d5e4f40312a1b0c9d8e7f6a5b';
/** The hidden bucket that holds training logs behind their temporary links. */
export const TRAINING_LOG_BUCKET = 'modelarts-emulator-training-logs';
/** How long a log link is valid, as the reference says (5 minutes), on the gateway's clock. */
export const LOG_LINK_TTL_SECONDS = 300;
const DOMAIN_ID = 'd0a1b2c3e4f5468798a9b0c1d2e3f405';

/** The families after workspaces, notebooks and apps: training jobs and workflows. */
export function defaultFamilies(opts: FamilyOptions): ResourceFamily[] {
  return [createTrainingFamily(opts), createWorkflowsFamily(opts)];
}

/** Starts the emulator: the families on the resources' clock and OBS behind the gateway's three listeners. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const region = options.region ?? DEFAULT_REGION;
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const credentials: EmulatorCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const clock: EmuClock = options.clock ?? scaledClock(options.timeScale ?? 1);
  const gatewayClock: EmuClock = options.gatewayClock ?? realClock;
  const identity = { userId: USER_ID, userName: credentials.username, domainId: DOMAIN_ID, domainName: credentials.domain, projectId, region };
  const prefixes = options.secretPrefixes ?? {};
  const iam = new IamState(identity, credentials, options.tokenTtlMs ?? 24 * 3600_000, prefixes);
  const faults = new FaultController();
  for (const rule of options.faults ?? []) faults.add(rule);
  const adminToken = options.admin === false ? undefined : newAdminToken();
  const seed = options.seed ?? 'demo';
  const obs = new ObsStore(options.obsMaxBytes ?? DEFAULT_OBS_MAX_BYTES);
  if (seed === 'demo') seedObs(obs, region, clock.now());

  // The OBS listener's address is known once it listens; links are made only after that.
  let obsEndpoint = '';
  const familyOptions: FamilyOptions = {
    clock,
    seed,
    scaleJobs: options.jobs ?? 0,
    scaleRunning: options.scaleRunning ?? false,
    scaleWorkspaces: options.scaleWorkspaces ?? 1,
    runningJobs: options.runningJobs ?? 0,
    runningNotebooks: options.runningNotebooks ?? 0,
    projectId,
    userName: credentials.username,
    userId: USER_ID,
    obs,
    logLinks: {
      publish: (key, chunks, now, extra) => {
        obs.putServiceObject(TRAINING_LOG_BUCKET, region, key, chunks, now, 'text/plain; charset=utf-8');
        const resource = `/${TRAINING_LOG_BUCKET}/${encodeObsKey(key)}`;
        const expires = Math.floor(gatewayClock.now() / 1000) + LOG_LINK_TTL_SECONDS;
        return `${obsEndpoint}${resource}?${presignedObsQuery(credentials, resource, expires, extra)}`;
      },
    },
  };
  const workspaces = createWorkspacesFamily(familyOptions);
  const workspaceExists = (id: string): boolean => workspaces.has(id);
  const notebooks = createNotebooksFamily(familyOptions, { region, workspaceExists, tokenPrefix: prefixes.notebookToken, sshEndpoint: options.sshEndpoint });
  const apps = createAppsFamily(familyOptions, { workspaceExists, secretPrefix: prefixes.appSecret });
  const families: ResourceFamily[] = [workspaces, notebooks, apps, ...(options.families ?? defaultFamilies)(familyOptions)];
  const router = new Router();
  for (const family of families) family.register(router);

  const gateway = new Gateway({
    host: options.host ?? '127.0.0.1',
    hostNames: options.hostNames,
    region,
    projectId,
    clock,
    gatewayClock,
    router,
    families,
    notebooks,
    iam,
    obs,
    faults,
    adminToken,
    onError: options.onError,
  });
  await gateway.listen(options.port ?? 0, options.iamPort ?? 0, options.obsPort ?? 0);
  obsEndpoint = gateway.obsEndpoint;

  return {
    endpoint: gateway.endpoint,
    iamEndpoint: gateway.iamEndpoint,
    obsEndpoint: gateway.obsEndpoint,
    adminToken,
    region,
    projectId,
    credentials,
    faults,
    requests: gateway.requests,
    families,
    workspaces,
    notebooks,
    apps,
    obs,
    clock,
    gatewayClock,
    routes: () => router.list(),
    issueTemporaryCredentials: (ttlMs = 3600_000) => iam.issueTemporaryCredentials(gatewayClock.now(), ttlMs),
    expireTokens: () => iam.expireTokens(gatewayClock.now()),
    close: () => gateway.close(),
  };
}
