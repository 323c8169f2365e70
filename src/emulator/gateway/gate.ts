import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiFailure } from '../framework';
import { headerText } from './iam';

// Who the emulator answers: its own client on this computer. Not a web page, which can reach a loopback port
// with a "simple" cross-site request or, through DNS rebinding (its own host name resolving to 127.0.0.1),
// read the answers; and not another local user, who can reach the port but cannot read our output (the admin
// token). Browsers always send the page's host name as Host and add Origin to cross-site requests; our client
// and the official SDK sign the Host they send, which is the endpoint's own `127.0.0.1:<port>`.

/** The header that carries the admin route's per-run token. */
export const ADMIN_TOKEN_HEADER = 'X-Admin-Token';

/** The names every listener answers, with its port; the address it is bound to is added to them. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** A per-run secret: 32 random bytes as hex. */
export function newAdminToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The Host values a listener on `port` answers: the loopback names and the literal address it is bound to
 * (what its advertised endpoint says), and the names a test gives it (a proxy's), each with the port, or without it
 * on port 80 as HTTP allows. A rebinding page's Host is its own host name, never one of these.
 */
export function ownHosts(port: number, boundHost: string, extraNames: readonly string[] = []): ReadonlySet<string> {
  const bound = boundHost.includes(':') ? `[${boundHost}]` : boundHost;
  const names = [...new Set([...LOOPBACK_NAMES, bound.toLowerCase(), ...extraNames.map((n) => n.toLowerCase())])];
  const hosts = names.map((name) => `${name}:${port}`);
  if (port === 80) hosts.push(...names);
  return new Set(hosts);
}

/**
 * Why a request is refused before anything else looks at it (the same for the API listeners and the admin
 * route), or undefined: a Host that is not the listener's own, or any Origin header (only a browser sends one).
 */
export function callerRefusal(headers: IncomingHttpHeaders, port: number, own: ReadonlySet<string>): ApiFailure | undefined {
  const host = headerText(headers, 'host')?.toLowerCase();
  if (host === undefined || !own.has(host)) {
    return new ApiFailure(403, 'APIGW.0306', `API access denied: this emulator answers requests for 127.0.0.1:${port}, localhost:${port} or [::1]:${port} only.`);
  }
  if (headers.origin !== undefined) {
    return new ApiFailure(403, 'APIGW.0306', 'API access denied: requests from a web page (with an Origin header) are not answered.');
  }
  return undefined;
}

function tokensEqual(sent: string, expected: string): boolean {
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why an admin request is refused after the caller checks: no token, or a wrong one. */
export function adminTokenRefusal(headers: IncomingHttpHeaders, token: string): ApiFailure | undefined {
  const sent = headerText(headers, ADMIN_TOKEN_HEADER.toLowerCase());
  if (sent === undefined || !tokensEqual(sent, token)) {
    return new ApiFailure(401, 'APIGW.0305', `Incorrect authentication information: the admin route wants the ${ADMIN_TOKEN_HEADER} header with the token the emulator printed (adminToken).`);
  }
  return undefined;
}

/** Why an admin request's body is refused: anything but JSON. */
export function adminBodyRefusal(headers: IncomingHttpHeaders, bodyBytes: number): ApiFailure | undefined {
  // A browser can send text/plain, form and multipart bodies across sites without asking first; JSON it cannot.
  const type = headerText(headers, 'content-type');
  const mediaType = type?.split(';')[0].trim().toLowerCase();
  if ((type !== undefined || bodyBytes > 0) && mediaType !== 'application/json') {
    return new ApiFailure(415, 'APIGW.0201', 'Unsupported media type: the admin route reads application/json bodies only.');
  }
  return undefined;
}
