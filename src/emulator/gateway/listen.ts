import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseQueryString } from '../../api/signer';
import { ApiFailure, newHexId } from '../framework';
import { handleAdmin } from './admin';
import type { GatewayContext, GatewayState } from './context';
import { BAD_JSON_BODY, type FaultRule, HTML_GATEWAY_PAGE, defaultFaultBody, throttleMessage } from './faults';
import { callerRefusal, ownHosts } from './gate';
import { type IamService, createIamService } from './iam';
import { serveObs } from '../obs/serve';
import { runRoute } from './route';
import { BodyTooLarge, type Exchange, type Prepared, type RecordedRequest, failureResponse, gatewayBody, prepareJson, readBody, send, streamHuge } from './wire';

// The emulator's three listeners (ModelArts, IAM and OBS, the last served by obs/serve.ts) and what happens to each request on its way in: the request
// log, the caller check, the body limit, the planted faults, then routing, or the admin route.

const MAX_RECORDED = 100_000;
const DEFAULT_HUGE_BYTES = 50 * 1024 * 1024;

/** A fault that answers in place of the route, before it runs: malformed bodies other than truncation, and canned statuses. */
function answersInstead(rule: FaultRule): boolean {
  if (rule.after) return false;
  if (rule.malformed !== undefined) return rule.malformed !== 'truncated' && rule.malformed !== 'wrong-content-type';
  return rule.status !== undefined && !rule.tokenExpired && rule.reset === undefined;
}

export class Gateway implements GatewayState {
  readonly requests: RecordedRequest[] = [];
  endpoint = '';
  iamEndpoint = '';
  obsEndpoint = '';
  private readonly servers: Server[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ownHostsByPort = new Map<number, ReadonlySet<string>>();
  private iam: IamService | undefined;
  private isClosing = false;
  private closed: Promise<void> | undefined;

  constructor(private readonly ctx: GatewayContext) {}

  /** Binds the listeners; then the IAM routes exist, as the token catalog names the endpoints. */
  async listen(port: number, iamPort: number, obsPort: number): Promise<void> {
    try {
      const host = this.ctx.host;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      const modelartsPort = await this.bind('modelarts', port);
      const iamPortBound = await this.bind('iam', iamPort);
      const obsPortBound = await this.bind('obs', obsPort);
      this.endpoint = `http://${urlHost}:${modelartsPort}`;
      this.iamEndpoint = `http://${urlHost}:${iamPortBound}`;
      this.obsEndpoint = `http://${urlHost}:${obsPortBound}`;
    } catch (error) {
      await this.close();
      throw error;
    }
    this.iam = createIamService(this.ctx.iam, { endpoint: this.endpoint, iamEndpoint: this.iamEndpoint });
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  // ---- GatewayState ----

  iamService(): IamService {
    return this.iam!;
  }

  advanceFamilies(now: number): void {
    for (const family of this.ctx.families) family.advance(now);
  }

  delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.isClosing) {
        resolve(false);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.isClosing);
      }, ms);
      this.timers.add(timer);
    });
  }

  closing(): boolean {
    return this.isClosing;
  }

  // ---- listeners ----

  private bind(service: 'modelarts' | 'iam' | 'obs', port: number): Promise<number> {
    const server = createServer((req, res) => this.arrive(service, req, res));
    server.keepAliveTimeout = 5000;
    server.on('clientError', (_error: Error, socket: Socket) => socket.destroy());
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.ctx.host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private async shutDown(): Promise<void> {
    this.isClosing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }

  private record(entry: RecordedRequest): void {
    const requests = this.requests;
    if (requests.length >= MAX_RECORDED + 10_000) requests.splice(0, requests.length - MAX_RECORDED);
    requests.push(entry);
  }

  private hostsFor(port: number): ReadonlySet<string> {
    let hosts = this.ownHostsByPort.get(port);
    if (!hosts) this.ownHostsByPort.set(port, (hosts = ownHosts(port, this.ctx.host, this.ctx.hostNames)));
    return hosts;
  }

  private arrive(service: 'modelarts' | 'iam' | 'obs', req: IncomingMessage, res: ServerResponse): void {
    const { adminToken, clock } = this.ctx;
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
    this.record(entry);
    const ex: Exchange = { req, res, requestId: newHexId(), record: entry, rawPath, rawQuery };
    if (service === 'obs') {
      // OBS has its own caller check, body handling and XML errors.
      this.handled(ex, serveObs(this.ctx, this, ex));
      return;
    }
    // Before faults, auth and routing: a web page gets nothing from the emulator, not even a planted fault.
    const port = req.socket.localPort ?? 0;
    const refusal = callerRefusal(req.headers, port, this.hostsFor(port));
    if (refusal) {
      const body = Buffer.from(JSON.stringify(gatewayBody(refusal, ex.requestId)), 'utf8');
      send(ex, { status: refusal.status, headers: { 'X-Request-Id': ex.requestId, 'Content-Type': 'application/json' }, body });
      return;
    }
    this.handled(ex, admin ? handleAdmin(this.ctx, this, ex, adminToken) : this.serve(service, ex));
  }

  /** An unexpected failure of a request's handling: 500 when nothing was sent yet, else the connection drops. */
  private handled(ex: Exchange, work: Promise<void>): void {
    work.catch((error: unknown) => {
      this.ctx.onError?.(error);
      if (!ex.res.headersSent && !ex.res.destroyed) {
        send(ex, prepareJson(500, { error_code: 'ModelArts.0001', error_msg: 'Internal error' }, ex.requestId, ex.record.service));
      } else {
        ex.res.destroy();
      }
    });
  }

  // ---- a service request ----

  private async serve(service: 'modelarts' | 'iam', ex: Exchange): Promise<void> {
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

    const decision = this.ctx.faults.decide(service, method, ex.rawPath, this.ctx.gatewayClock.now());
    if (decision?.kind === 'throttled') {
      const failure = new ApiFailure(429, 'APIGW.0308', throttleMessage(decision.limit, decision.windowMs));
      const prepared = failureResponse(failure, ex, service);
      Object.assign(prepared.headers, decision.rule.headers);
      send(ex, prepared);
      return;
    }
    const rule = decision?.rule;
    if (rule?.latencyMs) {
      if (!(await this.delay(rule.latencyMs))) return;
    }
    this.advanceFamilies(this.ctx.clock.now());
    if (rule?.stall) return; // the socket stays open until close()
    if (rule?.reset === 'before-response' && !rule.after) {
      ex.req.socket.destroy();
      return;
    }
    if (rule && answersInstead(rule)) {
      await this.answerInstead(ex, service, rule);
      return;
    }
    const prepared = runRoute(this.ctx, this, ex, service, rawBody, rule?.tokenExpired === true);
    if (rule) this.spoil(ex, service, rule, prepared);
    else send(ex, prepared);
  }

  /** A fault's own answer in place of the route's. */
  private async answerInstead(ex: Exchange, service: 'modelarts' | 'iam', rule: FaultRule): Promise<void> {
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
        await streamHuge(ex, rule.status ?? 200, rule.hugeBytes ?? DEFAULT_HUGE_BYTES, headers, () => this.isClosing);
        return;
    }
    const status = rule.status!;
    const body = rule.body === undefined ? defaultFaultBody(status, ex.requestId) : rule.body;
    send(ex, prepareJson(status, body, ex.requestId, service, rule.headers));
  }

  /** The route has run (its state changes stand); the fault now spoils or replaces its answer. */
  private spoil(ex: Exchange, service: 'modelarts' | 'iam', rule: FaultRule, prepared: Prepared): void {
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
  }
}
