import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseQueryString } from '../api/signer';
import { createAppsFamily, type AppsFamily } from './apps';
import {
  ApiFailure,
  badJsonCode,
  newHexId,
  realClock,
  scaledClock,
  type EmuClock,
  type EmuRequest,
  type EmuResponse,
  type FamilyOptions,
  type ResourceFamily,
  type RouteMatch,
  Router,
  type SeedKind,
} from './framework';
import {
  BAD_JSON_BODY,
  FaultController,
  HTML_GATEWAY_PAGE,
  defaultFaultBody,
  throttleMessage,
  validateFaultRule,
  type FaultRule,
} from './faults';
import {
  IamFailure,
  IamState,
  authenticate,
  createIamService,
  headerText,
  type EmulatorCredentials,
  type IamService,
  type SecretPrefixes,
  type TemporaryCredentials,
} from './iam';
import { adminBodyRefusal, adminTokenRefusal, callerRefusal, newAdminToken, ownHosts } from './gate';
import { createNotebooksFamily, type EmulatedSshEndpoint, type NotebooksFamily } from './notebooks';
import { createTrainingFamily } from './training';
import { createWorkflowsFamily } from './workflows';
import { createWorkspacesFamily, type WorkspacesFamily } from './workspaces';

// The emulator's two listeners (ModelArts and IAM), its gateway (faults, auth, routing, error bodies) and its
// admin route.

export type { EmulatorCredentials, SecretPrefixes } from './iam';
export type { FaultRule } from './faults';

export interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  iamPort?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  seed?: SeedKind;
  /** Extra training jobs for the scale seed. */
  jobs?: number;
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

export type RequestService = 'modelarts' | 'iam' | 'admin';

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

export interface RunningEmulator {
  endpoint: string;
  iamEndpoint: string;
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
const DOMAIN_ID = 'd0a1b2c3e4f5468798a9b0c1d2e3f405';
/** AK/SK-signed bodies are limited to 12 MB at the gateway. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;
const MAX_RECORDED = 100_000;
const DEFAULT_HUGE_BYTES = 50 * 1024 * 1024;

/** The families after workspaces, notebooks and apps: training jobs and workflows. */
export function defaultFamilies(opts: FamilyOptions): ResourceFamily[] {
  return [createTrainingFamily(opts), createWorkflowsFamily(opts)];
}

/** Admin routes answer loopback callers only. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  record: RecordedRequest;
  rawPath: string;
  rawQuery: string;
}

interface Prepared {
  status: number;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

function gatewayBody(failure: ApiFailure, requestId: string): unknown {
  const body = failure.toBody();
  return failure.code.startsWith('APIGW.') ? { ...body, request_id: requestId } : body;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
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

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? DEFAULT_REGION;
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const credentials: EmulatorCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const clock: EmuClock = options.clock ?? scaledClock(options.timeScale ?? 1);
  const gatewayClock: EmuClock = options.gatewayClock ?? realClock;
  const identity = {
    userId: USER_ID,
    userName: credentials.username,
    domainId: DOMAIN_ID,
    domainName: credentials.domain,
    projectId,
    region,
  };
  const prefixes = options.secretPrefixes ?? {};
  const iam = new IamState(identity, credentials, options.tokenTtlMs ?? 24 * 3600_000, prefixes);
  const faults = new FaultController();
  for (const rule of options.faults ?? []) faults.add(rule);
  const adminToken = options.admin === false ? undefined : newAdminToken();

  const familyOptions: FamilyOptions = {
    clock,
    seed: options.seed ?? 'demo',
    scaleJobs: options.jobs ?? 0,
    projectId,
    userName: credentials.username,
    userId: USER_ID,
  };
  const workspaces = createWorkspacesFamily(familyOptions);
  const workspaceExists = (id: string): boolean => workspaces.has(id);
  const notebooks = createNotebooksFamily(familyOptions, { region, workspaceExists, tokenPrefix: prefixes.notebookToken, sshEndpoint: options.sshEndpoint });
  const apps = createAppsFamily(familyOptions, { workspaceExists, secretPrefix: prefixes.appSecret });
  const families: ResourceFamily[] = [workspaces, notebooks, apps, ...(options.families ?? defaultFamilies)(familyOptions)];
  const router = new Router();
  for (const family of families) family.register(router);

  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let endpoint = '';
  let iamEndpoint = '';
  // Created once the listeners are bound: the token catalog names both endpoints.
  const iamHolder: { service?: IamService } = {};

  const record = (entry: RecordedRequest): void => {
    if (requests.length >= MAX_RECORDED + 10_000) requests.splice(0, requests.length - MAX_RECORDED);
    requests.push(entry);
  };

  const advanceFamilies = (now: number): void => {
    for (const family of families) family.advance(now);
  };

  const delay = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (closing) {
        resolve(false);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!closing);
      }, ms);
      timers.add(timer);
    });

  const prepareJson = (status: number, body: unknown, requestId: string, service: RequestService, headers: Record<string, string> = {}): Prepared => {
    const out: Record<string, string> = { 'X-Request-Id': requestId };
    if (service === 'iam') out['X-IAM-Trace-Id'] = requestId;
    let buffer: Buffer | undefined;
    if (body !== undefined) {
      buffer = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
      out['Content-Type'] = 'application/json';
    }
    return { status, headers: { ...out, ...headers }, body: buffer };
  };

  const failureResponse = (failure: ApiFailure, ex: Exchange, service: RequestService): Prepared => {
    if (service === 'iam' && !(failure instanceof IamFailure)) {
      return prepareJson(failure.status, new IamFailure(failure.status, failure.message).toBody(), ex.requestId, service);
    }
    return prepareJson(failure.status, gatewayBody(failure, ex.requestId), ex.requestId, service);
  };

  const send = (ex: Exchange, prepared: Prepared): void => {
    ex.record.status = prepared.status;
    if (ex.res.destroyed) return;
    const headers: Record<string, string | number> = { ...prepared.headers, 'Content-Length': prepared.body?.length ?? 0 };
    ex.res.writeHead(prepared.status, headers);
    ex.res.end(prepared.body);
  };

  /** Authenticates and runs the route; every answer of the service itself comes from here. */
  const runRoute = (ex: Exchange, service: 'modelarts' | 'iam', rawBody: Buffer, tokenExpired: boolean): Prepared => {
    const { req, rawPath, rawQuery, requestId } = ex;
    const method = (req.method ?? 'GET').toUpperCase();
    const svcRouter = service === 'iam' ? iamHolder.service!.router : router;
    const match: RouteMatch = svcRouter.match(method, rawPath);
    if (match.kind === 'none') {
      if (service === 'iam') return failureResponse(new IamFailure(404, `The resource could not be found: ${method} ${rawPath}`), ex, service);
      return failureResponse(
        new ApiFailure(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'),
        ex,
        service,
      );
    }
    ex.record.route = match.pattern;
    const authInput = { method, rawPath, rawQuery, headers: req.headers, rawBody };
    const routeAuth = service === 'iam' ? iamHolder.service!.authFor(match.pattern) : 'signature-or-token';
    if (routeAuth === 'signature-or-token') {
      const outcome = authenticate(iam, authInput, gatewayClock.now());
      ex.record.auth = outcome.kind;
      if (!outcome.ok) return failureResponse(outcome.failure, ex, service);
      if (service === 'modelarts') {
        const mismatch = (): ApiFailure =>
          new ApiFailure(404, 'ModelArts.2786', 'The project id in the URL does not match the project of the credentials.');
        const pathProject = match.params.project_id;
        if (pathProject !== undefined && pathProject !== projectId) return failureResponse(mismatch(), ex, service);
        const headerProject = headerText(req.headers, 'x-project-id');
        if (headerProject !== undefined && headerProject !== projectId) return failureResponse(mismatch(), ex, service);
        if (outcome.kind === 'token' && outcome.record.projectId !== projectId) return failureResponse(mismatch(), ex, service);
      }
    } else if (routeAuth === 'token') {
      ex.record.auth = headerText(req.headers, 'x-auth-token') ? 'token' : 'none';
    }
    if (tokenExpired) return failureResponse(new ApiFailure(401, 'APIGW.0307', 'The token must be updated.'), ex, service);

    let body: unknown;
    if (rawBody.length > 0 && method !== 'GET' && method !== 'HEAD') {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        const failure =
          service === 'iam'
            ? new IamFailure(400, 'Invalid request body: the body is not valid JSON')
            : new ApiFailure(400, badJsonCode(rawPath), 'The request body is not valid JSON.');
        return failureResponse(failure, ex, service);
      }
    }
    const request: EmuRequest = {
      method,
      path: rawPath,
      params: match.params,
      query: ex.record.query,
      headers: req.headers,
      body,
      rawBody,
      // IAM is the gateway's side: its tokens and temporary credentials live on the gateway's clock.
      now: service === 'iam' ? gatewayClock.now() : clock.now(),
    };
    try {
      const response: EmuResponse = match.handler(request);
      return prepareJson(response.status, response.body, requestId, service, response.headers);
    } catch (error) {
      if (error instanceof ApiFailure) return failureResponse(error, ex, service);
      options.onError?.(error);
      const message = error instanceof Error ? error.message : String(error);
      return prepareJson(500, { error_code: 'ModelArts.0001', error_msg: `Internal error: ${message}` }, requestId, service);
    }
  };

  const streamHuge = async (ex: Exchange, status: number, bytes: number, headers: Record<string, string>): Promise<void> => {
    const prefix = '{"padding":"';
    const suffix = '"}';
    const fill = Math.max(0, bytes - prefix.length - suffix.length);
    ex.record.status = status;
    ex.res.writeHead(status, { 'X-Request-Id': ex.requestId, 'Content-Type': 'application/json', 'Content-Length': prefix.length + fill + suffix.length, ...headers });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    ex.res.write(prefix);
    let left = fill;
    while (left > 0) {
      if (ex.res.destroyed || closing) return;
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
  };

  const handleService = async (service: 'modelarts' | 'iam', ex: Exchange): Promise<void> => {
    const method = (ex.req.method ?? 'GET').toUpperCase();
    let rawBody: Buffer;
    try {
      rawBody = await readBody(ex.req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const prepared = failureResponse(new ApiFailure(413, 'APIGW.0201', 'Request entity too large'), ex, service);
        prepared.headers.Connection = 'close';
        send(ex, prepared);
        return;
      }
      ex.req.socket.destroy();
      return;
    }

    const decision = faults.decide(service, method, ex.rawPath, gatewayClock.now());
    if (decision?.kind === 'throttled') {
      const failure = new ApiFailure(429, 'APIGW.0308', throttleMessage(decision.limit, decision.windowMs));
      const prepared = failureResponse(failure, ex, service);
      Object.assign(prepared.headers, decision.rule.headers);
      send(ex, prepared);
      return;
    }
    const rule = decision?.rule;
    if (rule?.latencyMs) {
      if (!(await delay(rule.latencyMs))) return;
    }
    advanceFamilies(clock.now());
    if (rule?.stall) return; // the socket stays open until close()
    if (rule?.reset === 'before-response' && !rule.after) {
      ex.req.socket.destroy();
      return;
    }
    if (rule && !rule.after && rule.malformed !== undefined && rule.malformed !== 'truncated' && rule.malformed !== 'wrong-content-type') {
      const headers = { ...rule.headers };
      switch (rule.malformed) {
        case 'html':
          send(ex, { status: rule.status ?? 502, headers: { 'X-Request-Id': ex.requestId, 'Content-Type': 'text/html', ...headers }, body: Buffer.from(HTML_GATEWAY_PAGE) });
          return;
        case 'empty':
          send(ex, { status: rule.status ?? 200, headers: { 'X-Request-Id': ex.requestId, 'Content-Type': 'application/json', ...headers }, body: undefined });
          return;
        case 'bad-json':
          send(ex, { status: rule.status ?? 200, headers: { 'X-Request-Id': ex.requestId, 'Content-Type': 'application/json', ...headers }, body: Buffer.from(BAD_JSON_BODY) });
          return;
        case 'huge':
          await streamHuge(ex, rule.status ?? 200, rule.hugeBytes ?? DEFAULT_HUGE_BYTES, headers);
          return;
      }
    }
    if (rule && !rule.after && rule.status !== undefined && !rule.tokenExpired && rule.malformed === undefined && rule.reset === undefined) {
      const body = rule.body === undefined ? defaultFaultBody(rule.status, ex.requestId) : rule.body;
      send(ex, prepareJson(rule.status, body, ex.requestId, service, rule.headers));
      return;
    }

    const prepared = runRoute(ex, service, rawBody, rule?.tokenExpired === true);
    if (!rule) {
      send(ex, prepared);
      return;
    }
    if (rule.reset === 'before-response') {
      ex.req.socket.destroy();
      return;
    }
    if (rule.reset === 'mid-body') {
      const body = prepared.body ?? Buffer.from('{}');
      ex.record.status = 0;
      ex.res.writeHead(prepared.status, { ...prepared.headers, 'Content-Length': body.length });
      ex.res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => ex.req.socket.destroy());
      return;
    }
    if (rule.after && rule.status !== undefined) {
      const body = rule.body === undefined ? defaultFaultBody(rule.status, ex.requestId) : rule.body;
      send(ex, prepareJson(rule.status, body, ex.requestId, service, rule.headers));
      return;
    }
    if (rule.malformed === 'truncated' && prepared.body) {
      prepared.body = prepared.body.subarray(0, Math.floor(prepared.body.length / 2));
    } else if (rule.malformed === 'wrong-content-type') {
      prepared.headers['Content-Type'] = 'text/html;charset=UTF-8';
    }
    Object.assign(prepared.headers, rule.headers);
    send(ex, prepared);
  };

  const handleAdmin = async (ex: Exchange, token: string): Promise<void> => {
    const { req, requestId, rawPath } = ex;
    const method = (req.method ?? 'GET').toUpperCase();
    const reply = (status: number, body?: unknown): void => send(ex, prepareJson(status, body, requestId, 'admin'));
    const fail = (status: number, message: string): void => reply(status, { error_code: 'ModelArts.0107', error_msg: message, request_id: requestId });
    const refuse = (failure: ApiFailure): void => reply(failure.status, gatewayBody(failure, requestId));
    if (!isLoopbackAddress(req.socket.remoteAddress)) {
      reply(403, { error_code: 'APIGW.0401', error_msg: 'The admin API answers loopback callers only.', request_id: requestId });
      return;
    }
    const tokenRefusal = adminTokenRefusal(req.headers, token);
    if (tokenRefusal) {
      refuse(tokenRefusal);
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      fail(400, 'The admin request body is too large.');
      return;
    }
    const bodyRefusal = adminBodyRefusal(req.headers, raw.length);
    if (bodyRefusal) {
      refuse(bodyRefusal);
      return;
    }
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      fail(400, 'The admin request body is not valid JSON.');
      return;
    }
    const sub = rawPath.replace(/^\/__admin/, '').replace(/\/$/, '') || '/';
    const route = `${method} ${sub}`;
    if (route === 'GET /health') {
      reply(200, { status: 'ok', endpoint, iamEndpoint, region, projectId, now: clock.now(), gatewayNow: gatewayClock.now(), faults: faults.size });
      return;
    }
    if (route === 'GET /faults') {
      reply(200, { faults: faults.list() });
      return;
    }
    if (route === 'POST /faults') {
      try {
        reply(200, { id: faults.add(validateFaultRule(body)) });
      } catch (error) {
        fail(400, `Invalid fault rule: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    if (route === 'DELETE /faults') {
      faults.clear();
      reply(204);
      return;
    }
    const faultId = /^DELETE \/faults\/([^/]+)$/.exec(route);
    if (faultId) {
      if (faults.remove(decodeURIComponent(faultId[1]))) reply(204);
      else fail(404, `No fault rule with id ${faultId[1]}.`);
      return;
    }
    if (route === 'GET /requests') {
      reply(200, { requests });
      return;
    }
    if (route === 'DELETE /requests') {
      requests.length = 0;
      reply(204);
      return;
    }
    // Moves the resources' clock (state machines, leases, logs); the gateway's clock is not this one's to move.
    if (route === 'POST /clock') {
      const advance = (clock as { advance?: unknown }).advance;
      const ms = (body as { advanceMs?: unknown } | undefined)?.advanceMs;
      if (typeof advance !== 'function') {
        fail(400, 'The emulator runs on a real-time clock; start it with a manual clock to move time.');
        return;
      }
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        fail(400, 'advanceMs must be a non-negative number.');
        return;
      }
      await (advance as (ms: number) => unknown).call(clock, ms);
      advanceFamilies(clock.now());
      reply(200, { now: clock.now() });
      return;
    }
    if (route === 'POST /tokens/expire') {
      iam.expireTokens(gatewayClock.now());
      reply(204);
      return;
    }
    const failStart = /^POST \/notebooks\/([^/]+)\/fail-next-start$/.exec(route);
    if (failStart) {
      const reason = (body as { reason?: unknown } | undefined)?.reason;
      const id = decodeURIComponent(failStart[1]);
      if (notebooks.failNextStart(id, typeof reason === 'string' ? reason : undefined)) reply(204);
      else reply(400, { error_code: 'ModelArts.6309', error_msg: `Notebook instance ${id} does not exist.` });
      return;
    }
    fail(404, `Unknown admin route: ${method} ${rawPath}`);
  };

  const ownHostsByPort = new Map<number, ReadonlySet<string>>();
  const hostsFor = (port: number): ReadonlySet<string> => {
    let hosts = ownHostsByPort.get(port);
    if (!hosts) ownHostsByPort.set(port, (hosts = ownHosts(port, host, options.hostNames)));
    return hosts;
  };

  const listener =
    (service: 'modelarts' | 'iam') =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const rawPath = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? '' : url.slice(q + 1);
      const admin = service === 'modelarts' && adminToken !== undefined && (rawPath === '/__admin' || rawPath.startsWith('/__admin/'));
      const entry: RecordedRequest = {
        service: admin ? 'admin' : service,
        method: (req.method ?? 'GET').toUpperCase(),
        path: rawPath,
        query: parseQueryString(rawQuery),
        status: 0,
        at: clock.now(),
        auth: 'none',
      };
      record(entry);
      const ex: Exchange = { req, res, requestId: newHexId(), record: entry, rawPath, rawQuery };
      // Before faults, auth and routing: a web page gets nothing from the emulator, not even a planted fault.
      const port = req.socket.localPort ?? 0;
      const refusal = callerRefusal(req.headers, port, hostsFor(port));
      if (refusal) {
        const body = Buffer.from(JSON.stringify(gatewayBody(refusal, ex.requestId)), 'utf8');
        send(ex, { status: refusal.status, headers: { 'X-Request-Id': ex.requestId, 'Content-Type': 'application/json' }, body });
        return;
      }
      const work = admin ? handleAdmin(ex, adminToken) : handleService(service, ex);
      work.catch((error: unknown) => {
        options.onError?.(error);
        if (!res.headersSent && !res.destroyed) {
          send(ex, prepareJson(500, { error_code: 'ModelArts.0001', error_msg: 'Internal error' }, ex.requestId, entry.service));
        } else {
          res.destroy();
        }
      });
    };

  const servers: Server[] = [];
  const listen = (service: 'modelarts' | 'iam', port: number): Promise<number> => {
    const server = createServer(listener(service));
    server.keepAliveTimeout = 5000;
    server.on('clientError', (_error: Error, socket: Socket) => socket.destroy());
    servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= shutDown();
    return closed;
  };
  const shutDown = async (): Promise<void> => {
    closing = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };

  try {
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const modelartsPort = await listen('modelarts', options.port ?? 0);
    const iamPortBound = await listen('iam', options.iamPort ?? 0);
    endpoint = `http://${urlHost}:${modelartsPort}`;
    iamEndpoint = `http://${urlHost}:${iamPortBound}`;
  } catch (error) {
    await close();
    throw error;
  }

  iamHolder.service = createIamService(iam, { endpoint, iamEndpoint });

  return {
    endpoint,
    iamEndpoint,
    adminToken,
    region,
    projectId,
    credentials,
    faults,
    requests,
    families,
    workspaces,
    notebooks,
    apps,
    clock,
    gatewayClock,
    routes: () => router.list(),
    issueTemporaryCredentials: (ttlMs = 3600_000) => iam.issueTemporaryCredentials(gatewayClock.now(), ttlMs),
    expireTokens: () => iam.expireTokens(gatewayClock.now()),
    close,
  };
}
