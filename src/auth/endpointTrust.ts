import type * as vscode from 'vscode';
import type { KeyValueStore } from './profiles';

// Credentials go to Huawei Cloud hosts and loopback without asking; any other host only after the user
// confirmed it once (a machine-level endpoint setting could still point somewhere unexpected).

export const TRUSTED_HOSTS_KEY = 'modelarts.trustedHosts';

export type HostKind = 'huawei' | 'loopback' | 'other';

export interface EndpointTarget {
  kind: HostKind;
  /** Whether TLS protects the connection. */
  secure: boolean;
  /** What the user is shown: the host, or the whole origin when it is plain HTTP. */
  display: string;
  /** What a confirmation is remembered by: the origin (scheme, host, port). */
  key: string;
}

export class InvalidEndpointError extends Error {}

const HUAWEI_DOMAINS = ['myhuaweicloud.com', 'myhuaweicloud.cn'];

function isHuaweiHost(hostname: string): boolean {
  return HUAWEI_DOMAINS.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}

/** 127.0.0.0/8, ::1 and localhost. (The URL parser already normalised `127.1` or `0x7f.1` to dotted quads.) */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Classifies an endpoint URL; throws InvalidEndpointError for what can never be an endpoint. */
export function classifyEndpoint(endpoint: string, l10n: typeof vscode.l10n): EndpointTarget {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidEndpointError(l10n.t('{0} is not a valid endpoint URL.', endpoint));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidEndpointError(l10n.t('The endpoint {0} must start with https://.', endpoint));
  // Credentials never travel in URLs.
  if (url.username || url.password) throw new InvalidEndpointError(l10n.t('The endpoint {0} must not contain a user name or password.', url.host));
  const hostname = url.hostname.toLowerCase();
  const kind: HostKind = isLoopbackHost(hostname) ? 'loopback' : isHuaweiHost(hostname) ? 'huawei' : 'other';
  const secure = url.protocol === 'https:';
  return { kind, secure, display: secure ? url.host : url.origin, key: url.origin };
}

/** Loopback needs no TLS; a Huawei host does (plain HTTP to it is asked about like any unknown host). */
export function isTrustedByDefault(target: EndpointTarget): boolean {
  return target.kind === 'loopback' || (target.kind === 'huawei' && target.secure);
}

export type ConfirmHost = (display: string) => Promise<boolean>;

export class EndpointTrust {
  constructor(
    private readonly store: KeyValueStore,
    private readonly l10n: typeof vscode.l10n,
  ) {}

  private remembered(): string[] {
    const value = this.store.get(TRUSTED_HOSTS_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  /** The endpoints among these that need the user's confirmation, one per origin. */
  untrusted(endpoints: readonly string[]): EndpointTarget[] {
    const remembered = new Set(this.remembered());
    const found = new Map<string, EndpointTarget>();
    for (const endpoint of endpoints) {
      const target = classifyEndpoint(endpoint, this.l10n);
      if (!isTrustedByDefault(target) && !remembered.has(target.key)) found.set(target.key, target);
    }
    return [...found.values()];
  }

  async remember(target: EndpointTarget): Promise<void> {
    const hosts = this.remembered();
    if (!hosts.includes(target.key)) await this.store.update(TRUSTED_HOSTS_KEY, [...hosts, target.key]);
  }

  /**
   * True when credentials may go to every endpoint: each unknown origin is confirmed once (and remembered).
   * Without `confirm`, or when the user declines, false: the caller sends nothing.
   */
  async ensure(endpoints: readonly string[], confirm?: ConfirmHost): Promise<boolean> {
    for (const target of this.untrusted(endpoints)) {
      if (!confirm || !(await confirm(target.display))) return false;
      await this.remember(target);
    }
    return true;
  }
}
