import { SshConfigError } from './config';
import { runSsh } from './verify';

// Asks the system ssh what it makes of an SSH file before the file is renamed into place:
// `ssh -G -F <candidate> <alias>` prints the options ssh would use for that host, or refuses the file (and
// since the hosts file is included at the top of the user's config, a file ssh refuses breaks every host of
// theirs). Only `-G`: nothing connects, and with -F ssh reads neither ~/.ssh/config nor the system's config.

/** ssh -G reads files only; should it hang (a `Match exec` of the user's), it is stopped after this. */
export const CHECK_TIMEOUT_MS = 10_000;

/** Whether ssh checked the file; `unchecked` says why not (no ssh program could run): it was written anyway. */
export type CheckOutcome = { checked: true } | { checked: false; unchecked: string };

/** What the notebook's block must mean to ssh. */
export interface ExpectedHost {
  alias: string;
  host: string;
  port: number;
  identityFile: string;
  knownHosts: string;
}

/** ssh's line that tells what is wrong, about the real file rather than its candidate. */
function reasonOf(stderr: string, candidate: string, file: string): string {
  const said = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Pseudo-terminal will not be allocated|terminating, \d+ bad configuration options/.test(line));
  const line = (said[0] ?? 'ssh -G failed').split(candidate).join(file).replace(/^ssh:\s*/, '').replace(/\.$/, '');
  // "<file> line 3: …" or "<file>: line 3: …": the file is named already; one it includes is kept.
  return line.startsWith(file) ? line.slice(file.length).replace(/^:?\s*/, '') : line;
}

type Resolved = { ran: false; why: string } | { ran: true; values: Map<string, string[]> };

/** `ssh -G -F <candidate> <alias>`: each keyword's values; SshConfigError when ssh refuses the file. */
async function resolve(binary: string, candidate: string, file: string, alias: string): Promise<Resolved> {
  const run = await runSsh(binary, ['-G', '-F', candidate, alias], { timeoutMs: CHECK_TIMEOUT_MS });
  if (run.spawnError) return { ran: false, why: `${binary}: ${run.spawnError.code ?? run.spawnError.message}` };
  if (run.timedOut) throw new SshConfigError({ kind: 'rejected', file, reason: `ssh -G did not finish in ${CHECK_TIMEOUT_MS / 1000} s` });
  if (run.code !== 0) throw new SshConfigError({ kind: 'rejected', file, reason: reasonOf(run.stderr, candidate, file) });
  const values = new Map<string, string[]>();
  for (const line of run.stdout.split(/\r?\n/)) {
    const m = /^(\S+) (.*)$/.exec(line);
    if (m) values.set(m[1], [...(values.get(m[1]) ?? []), m[2]]);
  }
  return { ran: true, values };
}

/**
 * ssh -G prints a path before its %-expansion (IdentityFile, OpenSSH 9.2) or after it (UserKnownHostsFile),
 * and Windows' ssh may turn slashes and case: either reading is the path meant.
 */
function samePath(printed: string, path: string, platform: NodeJS.Platform): boolean {
  const norm = (p: string): string => (platform === 'win32' ? p.replace(/\\/g, '/').toLowerCase() : p);
  return [path, path.replace(/%/g, '%%')].some((p) => norm(printed) === norm(p));
}

/** Checks the candidate hosts file: ssh accepts it and reads the notebook's host as written. */
export async function checkHostsCandidate(binary: string, candidate: string, file: string, expected: ExpectedHost, platform: NodeJS.Platform): Promise<CheckOutcome> {
  const resolved = await resolve(binary, candidate, file, expected.alias);
  if (!resolved.ran) return { checked: false, unchecked: resolved.why };
  const value = (keyword: string): string[] => resolved.values.get(keyword) ?? [];
  const misread = (keyword: string, actual: string[], want: string): never => {
    throw new SshConfigError({ kind: 'misread', file, keyword, expected: want, actual: actual.join(', ') || '(nothing)' });
  };
  if (value('hostname')[0]?.toLowerCase() !== expected.host.toLowerCase()) misread('HostName', value('hostname'), expected.host);
  if (value('port')[0] !== String(expected.port)) misread('Port', value('port'), String(expected.port));
  if (!value('identityfile').some((printed) => samePath(printed, expected.identityFile, platform))) misread('IdentityFile', value('identityfile'), expected.identityFile);
  // One line lists every known_hosts file, separated by spaces (which a path may hold too).
  const known = value('userknownhostsfile')[0] ?? '';
  const knownOk = [expected.knownHosts, expected.knownHosts.replace(/%/g, '%%')].some((p) => samePath(known, p, platform) || known.startsWith(`${p} `));
  if (!knownOk) misread('UserKnownHostsFile', value('userknownhostsfile'), expected.knownHosts);
  return { checked: true };
}

/** Whether the candidate user config finds the notebook's host through its Include line (ssh accepts it, or throws). */
export async function includeFindsHost(binary: string, candidate: string, file: string, alias: string): Promise<CheckOutcome & { found: boolean }> {
  const resolved = await resolve(binary, candidate, file, alias);
  if (!resolved.ran) return { checked: false, unchecked: resolved.why, found: false };
  // Without a HostName from anywhere, ssh's host name is the alias itself.
  const hostName = resolved.values.get('hostname')?.[0];
  return { checked: true, found: hostName !== undefined && hostName !== alias.toLowerCase() };
}
