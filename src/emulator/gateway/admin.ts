import type { ApiFailure } from '../framework';
import type { GatewayContext, GatewayState } from './context';
import { validateFaultRule } from './faults';
import { adminBodyRefusal, adminTokenRefusal } from './gate';
import { type Exchange, gatewayBody, prepareJson, readBody, send } from './wire';

// The admin route `/__admin/…` on the ModelArts listener: faults, the request log, the resources' clock, token
// expiry and planned notebook failures, for tests and the demo's scripts. Loopback callers with the per-run
// token only.

/** Admin routes answer loopback callers only. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

interface AdminReply {
  reply(status: number, body?: unknown): void;
  fail(status: number, message: string): void;
}

type AdminRequest = { route: string; body: unknown };

/** Reads and checks an admin request (caller, token, body); undefined when it has been answered already. */
async function admitted(ex: Exchange, token: string, out: AdminReply): Promise<AdminRequest | undefined> {
  const { req, requestId, rawPath } = ex;
  const refuse = (failure: ApiFailure): void => out.reply(failure.status, gatewayBody(failure, requestId));
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    out.reply(403, { error_code: 'APIGW.0401', error_msg: 'The admin API answers loopback callers only.', request_id: requestId });
    return undefined;
  }
  const tokenRefusal = adminTokenRefusal(req.headers, token);
  if (tokenRefusal) {
    refuse(tokenRefusal);
    return undefined;
  }
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch {
    out.fail(400, 'The admin request body is too large.');
    return undefined;
  }
  const bodyRefusal = adminBodyRefusal(req.headers, raw.length);
  if (bodyRefusal) {
    refuse(bodyRefusal);
    return undefined;
  }
  let body: unknown;
  try {
    body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    out.fail(400, 'The admin request body is not valid JSON.');
    return undefined;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const sub = rawPath.replace(/^\/__admin/, '').replace(/\/$/, '') || '/';
  return { route: `${method} ${sub}`, body };
}

/** Faults and the request log. True when the route was one of these. */
function faultsAndLog(ctx: GatewayContext, gw: GatewayState, { route, body }: AdminRequest, out: AdminReply): boolean {
  const { faults } = ctx;
  if (route === 'GET /faults') {
    out.reply(200, { faults: faults.list() });
  } else if (route === 'POST /faults') {
    try {
      out.reply(200, { id: faults.add(validateFaultRule(body)) });
    } catch (error) {
      out.fail(400, `Invalid fault rule: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else if (route === 'DELETE /faults') {
    faults.clear();
    out.reply(204);
  } else if (route === 'GET /requests') {
    out.reply(200, { requests: gw.requests });
  } else if (route === 'DELETE /requests') {
    gw.requests.length = 0;
    out.reply(204);
  } else {
    const faultId = /^DELETE \/faults\/([^/]+)$/.exec(route);
    if (!faultId) return false;
    if (faults.remove(decodeURIComponent(faultId[1]))) out.reply(204);
    else out.fail(404, `No fault rule with id ${faultId[1]}.`);
  }
  return true;
}

/** Moves the resources' clock (state machines, leases, logs); the gateway's clock is not this one's to move. */
async function moveClock(ctx: GatewayContext, gw: GatewayState, body: unknown, out: AdminReply): Promise<void> {
  const { clock } = ctx;
  const advance = (clock as { advance?: unknown }).advance;
  const ms = (body as { advanceMs?: unknown } | undefined)?.advanceMs;
  if (typeof advance !== 'function') {
    out.fail(400, 'The emulator runs on a real-time clock; start it with a manual clock to move time.');
    return;
  }
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    out.fail(400, 'advanceMs must be a non-negative number.');
    return;
  }
  await (advance as (ms: number) => unknown).call(clock, ms);
  gw.advanceFamilies(clock.now());
  out.reply(200, { now: clock.now() });
}

export async function handleAdmin(ctx: GatewayContext, gw: GatewayState, ex: Exchange, token: string): Promise<void> {
  const { req, requestId, rawPath } = ex;
  const out: AdminReply = {
    reply: (status, body) => send(ex, prepareJson(status, body, requestId, 'admin')),
    fail: (status, message) => out.reply(status, { error_code: 'ModelArts.0107', error_msg: message, request_id: requestId }),
  };
  const admin = await admitted(ex, token, out);
  if (!admin) return;
  const { route, body } = admin;
  if (route === 'GET /health') {
    const { region, projectId, clock, gatewayClock, faults } = ctx;
    out.reply(200, { status: 'ok', endpoint: gw.endpoint, iamEndpoint: gw.iamEndpoint, obsEndpoint: gw.obsEndpoint, region, projectId, now: clock.now(), gatewayNow: gatewayClock.now(), faults: faults.size });
    return;
  }
  if (faultsAndLog(ctx, gw, admin, out)) return;
  if (route === 'POST /clock') {
    await moveClock(ctx, gw, body, out);
    return;
  }
  if (route === 'POST /tokens/expire') {
    ctx.iam.expireTokens(ctx.gatewayClock.now());
    out.reply(204);
    return;
  }
  const failStart = /^POST \/notebooks\/([^/]+)\/fail-next-start$/.exec(route);
  if (failStart) {
    const reason = (body as { reason?: unknown } | undefined)?.reason;
    const id = decodeURIComponent(failStart[1]);
    if (ctx.notebooks.failNextStart(id, typeof reason === 'string' ? reason : undefined)) out.reply(204);
    else out.reply(400, { error_code: 'ModelArts.6309', error_msg: `Notebook instance ${id} does not exist.` });
    return;
  }
  out.fail(404, `Unknown admin route: ${(req.method ?? 'GET').toUpperCase()} ${rawPath}`);
}
