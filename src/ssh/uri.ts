// The address of a notebook's SSH endpoint. The API reference does not pin its format down; the console shows
// `ssh://ma-user@dev-modelarts-cnnorth4.huaweicloud.com:31248`, so an optional `ssh://`, an optional `user@`
// and `host:port` (an IPv6 host in brackets) are accepted.

export interface SshAddress {
  host: string;
  port: number;
  /** The user named in the address, if any. */
  user?: string;
}

export class SshUriError extends Error {}

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const USER_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

/** Parses `[ssh://][user@]host[:port]`; throws SshUriError naming what is wrong. The port defaults to 22. */
export function parseSshUri(raw: string): SshAddress {
  const text = raw.trim();
  if (text === '') throw new SshUriError('the SSH address is empty');
  let rest = text.replace(/^ssh:\/\//i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) throw new SshUriError(`${text} is not an SSH address (expected ssh://user@host:port)`);
  rest = rest.replace(/\/+$/, '');
  if (rest.includes('/')) throw new SshUriError(`${text} has a path; expected [ssh://][user@]host:port`);
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER_NAME.test(user)) throw new SshUriError(`${text} names an invalid user "${user}"`);
  }
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(rest);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else {
    const colon = rest.lastIndexOf(':');
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    portText = colon >= 0 ? rest.slice(colon + 1) : undefined;
    if (!HOST_NAME.test(host)) throw new SshUriError(`${text} has no valid host name`);
  }
  let port = 22;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) throw new SshUriError(`${text} has an invalid port "${portText}" (1 to 65535)`);
  }
  return user === undefined ? { host, port } : { host, port, user };
}

/** `host:port`, with an IPv6 host in brackets. */
export function hostPort(address: Pick<SshAddress, 'host' | 'port'>): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

/** The form known_hosts files use: `host` on port 22, else `[host]:port`. */
export function knownHostsName(address: Pick<SshAddress, 'host' | 'port'>): string {
  return address.port === 22 ? address.host : `[${address.host}]:${address.port}`;
}
