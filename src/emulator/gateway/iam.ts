import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  buildCanonicalRequest,
  formatSdkDate,
  hmacHex,
  parseAuthorization,
  parseQueryString,
  parseSdkDate,
  signaturesEqual,
  stringToSign,
} from '../../api/signer';
import { ApiFailure, Router, queryValue, type EmuRequest, type EmuResponse, type EmuJsonObject } from '../framework';
import { issueSecurityToken } from './securityTokens';

// IAM as the emulator plays it: password tokens, temporary AK/SK, project lookup, and the gateway's
// verification of AK/SK signatures and tokens on every ModelArts call.

export interface EmulatorCredentials {
  ak: string;
  sk: string;
  username: string;
  password: string;
  domain: string;
}

/** Who the emulator's single IAM user is. */
export interface IamIdentity {
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  projectId: string;
  /** The project name, which is the region id. */
  region: string;
}

export interface TokenRecord {
  token: string;
  issuedAt: number;
  expiresAt: number;
  /** Undefined for a domain-scoped token. */
  projectId: string | undefined;
}

export interface TemporaryCredentials {
  ak: string;
  sk: string;
  securityToken: string;
  /** ms since the epoch, on the gateway's clock. */
  expiresAt: number;
}

/**
 * Fixed beginnings for the secrets the emulator issues, each followed by random characters as usual: a test
 * plants recognisable values and searches every output for them. Unset: the usual shapes.
 */
export interface SecretPrefixes {
  /** IAM tokens (`X-Subject-Token`); default `MIIEmu`. */
  token?: string;
  /** Letters and digits only, like an AK. */
  temporaryAk?: string;
  temporarySk?: string;
  securityToken?: string;
  /** A notebook's `token` (the Jupyter endpoint's). */
  notebookToken?: string;
  /** An APIG app's `app_secret`. */
  appSecret?: string;
}

/** The gateway allows this much difference between X-Sdk-Date and its own clock. */
export const SIGNATURE_SKEW_MS = 15 * 60_000;
const AUTH_PREFIX = 'Incorrect IAM authentication information: ';

/** `2020-01-04T09:05:22.701000Z`, the IAM time format. */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function randomAlnum(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

export class IamState {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly temporary = new Map<string, TemporaryCredentials>();

  constructor(
    readonly identity: IamIdentity,
    readonly credentials: EmulatorCredentials,
    private readonly tokenTtlMs: number,
    private readonly prefixes: SecretPrefixes = {},
  ) {}

  issueToken(now: number, projectId: string | undefined): TokenRecord {
    // Real tokens are long opaque base64 blobs starting with "MII"; length matters to header-size handling.
    const token = `${this.prefixes.token ?? 'MIIEmu'}${randomBytes(180).toString('base64').replace(/[+/=]/g, 'x')}`;
    const record: TokenRecord = { token, issuedAt: now, expiresAt: now + this.tokenTtlMs, projectId };
    this.tokens.set(token, record);
    return record;
  }

  checkToken(token: string, now: number): { kind: 'ok'; record: TokenRecord } | { kind: 'unknown' } | { kind: 'expired'; record: TokenRecord } {
    const record = this.tokens.get(token);
    if (!record) return { kind: 'unknown' };
    return now >= record.expiresAt ? { kind: 'expired', record } : { kind: 'ok', record };
  }

  /** Every token issued so far expires now; tokens issued later are unaffected. */
  expireTokens(now: number): void {
    for (const record of this.tokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  issueTemporaryCredentials(now: number, ttlMs: number): TemporaryCredentials {
    const credentials: TemporaryCredentials = {
      ak: `${this.prefixes.temporaryAk ?? ''}${randomAlnum(20)}`,
      sk: `${this.prefixes.temporarySk ?? ''}${randomAlnum(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
      securityToken: `${this.prefixes.securityToken ?? 'gQ5jbi1ub3J0aC00'}${randomBytes(240).toString('base64')}`,
      expiresAt: now + ttlMs,
    };
    this.temporary.set(credentials.ak, credentials);
    return credentials;
  }

  secretFor(
    ak: string,
    now: number,
  ): { kind: 'ok'; sk: string; securityToken?: string } | { kind: 'unknown' } | { kind: 'expired'; expiresAt: number } {
    if (ak === this.credentials.ak) return { kind: 'ok', sk: this.credentials.sk };
    const temporary = this.temporary.get(ak);
    if (!temporary) return { kind: 'unknown' };
    if (now >= temporary.expiresAt) return { kind: 'expired', expiresAt: temporary.expiresAt };
    return { kind: 'ok', sk: temporary.sk, securityToken: temporary.securityToken };
  }
}

/** What the gateway saw of a request, enough to verify its signature. */
export interface AuthInput {
  method: string;
  /** The path as received (still percent-encoded), without query. */
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export type AuthOutcome =
  | { ok: true; kind: 'aksk'; ak: string }
  | { ok: true; kind: 'token'; record: TokenRecord }
  | { ok: false; kind: 'aksk' | 'token' | 'none'; failure: ApiFailure };

function gatewayAuthFailure(message: string, code = 'APIGW.0301'): ApiFailure {
  return new ApiFailure(401, code, message);
}

export function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Verifies the AK/SK signature or the token, with the gateway's own messages. */
export function authenticate(state: IamState, input: AuthInput, now: number): AuthOutcome {
  const authorization = parseAuthorization(headerText(input.headers, 'authorization'));
  if (authorization) {
    const fail = (message: string): AuthOutcome => ({ ok: false, kind: 'aksk', failure: gatewayAuthFailure(AUTH_PREFIX + message) });
    const sdkDate = headerText(input.headers, 'x-sdk-date');
    const signedAt = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
    if (!signedAt || Math.abs(now - signedAt.getTime()) > SIGNATURE_SKEW_MS) {
      return fail(`signature expired, signature time: ${sdkDate ?? ''}, server time: ${formatSdkDate(new Date(now))}`);
    }
    const secret = state.secretFor(authorization.access, now);
    if (secret.kind === 'unknown') return fail('Get secretKey failed,ak:******,err:ak not exist');
    if (secret.kind === 'expired') return fail(`token expires, expires_at: ${iamTime(secret.expiresAt)}`);
    if (!authorization.signedHeaders.includes('host')) return fail('the host header must be signed');
    if (secret.securityToken !== undefined) {
      if (!authorization.signedHeaders.includes('x-security-token') || headerText(input.headers, 'x-security-token') !== secret.securityToken) {
        return fail('security token missing or does not match the access key');
      }
    }
    const canonical = buildCanonicalRequest(
      { method: input.method, path: input.rawPath, query: parseQueryString(input.rawQuery), headers: flatHeaders(input.headers), body: input.rawBody },
      authorization.signedHeaders,
    );
    const expected = hmacHex(secret.sk, stringToSign(sdkDate!, canonical));
    if (!signaturesEqual(expected, authorization.signature)) {
      return fail(`verify aksk signature fail, canonicalRequest:${canonical.replace(/\n/g, '|')}`);
    }
    return { ok: true, kind: 'aksk', ak: authorization.access };
  }
  const token = headerText(input.headers, 'x-auth-token');
  if (token) {
    const checked = state.checkToken(token, now);
    if (checked.kind === 'unknown') return { ok: false, kind: 'token', failure: gatewayAuthFailure(AUTH_PREFIX + 'decrypt token fail') };
    if (checked.kind === 'expired') return { ok: false, kind: 'token', failure: gatewayAuthFailure('The token must be updated.', 'APIGW.0307') };
    return { ok: true, kind: 'token', record: checked.record };
  }
  return { ok: false, kind: 'none', failure: gatewayAuthFailure(AUTH_PREFIX + 'x-auth-token not found') };
}

const IAM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** IAM answers errors in its own (Keystone) shape: `{"error":{"code","title","message"}}`. */
export class IamFailure extends ApiFailure {
  constructor(status: number, message: string) {
    super(status, String(status), message);
  }

  override toBody(): EmuJsonObject {
    return { error: { code: this.status, title: IAM_TITLES[this.status] ?? 'Error', message: this.message } };
  }
}

/** Which credential an IAM route requires. */
export type IamRouteAuth = 'none' | 'signature-or-token' | 'token';

export interface IamService {
  router: Router;
  authFor(pattern: string): IamRouteAuth;
}

export interface IamEndpoints {
  endpoint: string;
  iamEndpoint: string;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as EmuJsonObject)[key] : undefined;
}

function badBody(message: string): IamFailure {
  return new IamFailure(400, `Invalid request body: ${message}`);
}

function iamBody(request: EmuRequest): EmuJsonObject {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badBody('the body must be a JSON object');
  return body as EmuJsonObject;
}

function projectObject(identity: IamIdentity, endpoints: IamEndpoints): EmuJsonObject {
  return {
    id: identity.projectId,
    name: identity.region,
    domain_id: identity.domainId,
    parent_id: identity.domainId,
    enabled: true,
    is_domain: false,
    description: '',
    links: { self: `${endpoints.iamEndpoint}/v3/projects/${identity.projectId}` },
  };
}

function catalog(identity: IamIdentity, endpoints: IamEndpoints): EmuJsonObject[] {
  return [
    {
      type: 'modelarts',
      id: 'c2f4e1a8b7d94b0e8a3f5c6d7e8f9a01',
      name: 'modelarts',
      endpoints: [{ url: endpoints.endpoint, region: identity.region, region_id: identity.region, interface: 'public', id: 'd3a5f2b9c8e04c1f9b4a6d7e8f9a0b12' }],
    },
    {
      type: 'identity',
      id: 'e4b6a3c0d9f14d2a8c5b7e8f9a0b1c23',
      name: 'iam',
      endpoints: [{ url: `${endpoints.iamEndpoint}/v3`, region: '*', region_id: '*', interface: 'public', id: 'f5c7b4d1e0a25e3b9d6c8f9a0b1c2d34' }],
    },
  ];
}

/** POST /v3/auth/tokens: a token for the password, scoped to the project or the domain. */
function issueToken(state: IamState, endpoints: IamEndpoints, request: EmuRequest): EmuResponse {
  const { identity } = state;
  const body = iamBody(request);
  const identityField = field(field(body, 'auth'), 'identity');
  const methods = field(identityField, 'methods');
  if (!Array.isArray(methods) || !methods.includes('password')) throw badBody('auth.identity.methods must contain "password"');
  const user = field(field(identityField, 'password'), 'user');
  const name = field(user, 'name');
  const password = field(user, 'password');
  const domain = field(user, 'domain');
  const domainName = field(domain, 'name');
  const domainId = field(domain, 'id');
  if (typeof name !== 'string' || typeof password !== 'string' || (typeof domainName !== 'string' && typeof domainId !== 'string')) {
    throw badBody('auth.identity.password.user needs name, password and domain.name');
  }
  const domainMatches = domainName === state.credentials.domain || domainId === identity.domainId;
  if (name !== state.credentials.username || password !== state.credentials.password || !domainMatches) {
    throw new IamFailure(401, 'The username or password is wrong.');
  }
  const scope = field(field(body, 'auth'), 'scope');
  const project = field(scope, 'project');
  let projectId: string | undefined;
  if (project !== undefined) {
    const pid = field(project, 'id');
    const pname = field(project, 'name');
    if (pid === identity.projectId || (pid === undefined && pname === identity.region)) projectId = identity.projectId;
    else throw new IamFailure(400, `Invalid scope: project ${String(pid ?? pname)} does not exist.`);
  }
  const record = state.issueToken(request.now, projectId);
  const token: EmuJsonObject = {
    expires_at: iamTime(record.expiresAt),
    issued_at: iamTime(record.issuedAt),
    methods: ['password'],
    user: {
      id: identity.userId,
      name: identity.userName,
      password_expires_at: '',
      domain: { id: identity.domainId, name: identity.domainName },
    },
    roles: [
      { id: '0', name: 'op_gated_modelarts' },
      { id: 'a7c3e5f9b1d24e6f8a0b2c4d6e8f0a12', name: 'te_admin' },
    ],
  };
  if (projectId) {
    token.project = { id: identity.projectId, name: identity.region, domain: { id: identity.domainId, name: identity.domainName } };
  } else {
    token.domain = { id: identity.domainId, name: identity.domainName };
  }
  if (!queryValue(request, 'nocatalog')) token.catalog = catalog(identity, endpoints);
  return { status: 201, body: { token }, headers: { 'X-Subject-Token': record.token } };
}

/** GET /v3/projects: the one project, when the filters name it. */
function listProjects(identity: IamIdentity, endpoints: IamEndpoints, request: EmuRequest): EmuResponse {
  const name = queryValue(request, 'name');
  const domainId = queryValue(request, 'domain_id');
  const matches = (name === undefined || name === identity.region) && (domainId === undefined || domainId === identity.domainId);
  return {
    status: 200,
    body: {
      links: { self: `${endpoints.iamEndpoint}/v3/projects${name === undefined ? '' : `?name=${encodeURIComponent(name)}`}`, previous: null, next: null },
      projects: matches ? [projectObject(identity, endpoints)] : [],
    },
  };
}

/** The IAM routes: token by password, project lookup, temporary credentials. */
export function createIamService(state: IamState, endpoints: IamEndpoints): IamService {
  const router = new Router();
  const auth = new Map<string, IamRouteAuth>();
  router.add('POST', '/v3/auth/tokens', (request) => issueToken(state, endpoints, request));
  auth.set('/v3/auth/tokens', 'none');
  router.add('GET', '/v3/projects', (request) => listProjects(state.identity, endpoints, request));
  auth.set('/v3/projects', 'signature-or-token');
  router.add('POST', '/v3.0/OS-CREDENTIAL/securitytokens', (request) => issueSecurityToken(state, request));
  // Token or AK/SK signature: the handler checks either (the body may carry the token too).
  auth.set('/v3.0/OS-CREDENTIAL/securitytokens', 'token');
  return { router, authFor: (pattern) => auth.get(pattern) ?? 'signature-or-token' };
}
