import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';

// Runs the system `ssh` in batch mode against a host of the extension's file (`ssh -F <file> -o BatchMode=yes
// <alias> true`) and turns what it prints into one of a few problems the user can act on.

export type SshProblemKind = 'sshMissing' | 'keyMissing' | 'keyPermissions' | 'hostKeyChanged' | 'authRefused' | 'unreachable' | 'failed';

export interface SshProblem {
  kind: SshProblemKind;
  /** The line of ssh's output that tells (empty when the check happened before ssh ran). */
  reason: string;
}

export interface SshRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The program could not be started (ENOENT: no ssh). */
  spawnError?: NodeJS.ErrnoException;
  /** Killed after the time limit. */
  timedOut: boolean;
}

const MAX_OUTPUT = 64 * 1024;

function abortError(): Error {
  const error = new Error('cancelled');
  error.name = 'AbortError';
  return error;
}

/** Runs ssh without a terminal or input; the signal kills it (rejecting with an AbortError). */
export function runSsh(binary: string, args: readonly string[], options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<SshRun> {
  const { signal, timeoutMs = 60_000 } = options;
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const take = (current: string, chunk: Buffer): string => (current.length >= MAX_OUTPUT ? current : current + chunk.toString('utf8'));
    child.stdout.on('data', (chunk: Buffer) => (stdout = take(stdout, chunk)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = take(stderr, chunk)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutMs);
    const onAbort = (): void => {
      child.kill();
      finish(() => reject(abortError()));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    function finish(settle: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    child.on('error', (error: NodeJS.ErrnoException) => finish(() => resolve({ code: null, stdout, stderr, spawnError: error, timedOut })));
    child.on('close', (code) => finish(() => resolve({ code, stdout, stderr, timedOut })));
  });
}

/** ssh's lines that say something, without an `ssh: ` prefix or a final period (they are quoted in a sentence). */
function lines(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^ssh:\s*/, '').replace(/\.$/, ''))
    .filter((line) => line !== '' && !/^@+$/.test(line));
}

/** `reason`: the line to quote, when not the last one the pattern matches. */
const RULES: Array<{ kind: SshProblemKind; pattern: RegExp; reason?: RegExp }> = [
  // First: ssh ignores the key (and then says "Permission denied"), the reason is the key's mode.
  { kind: 'keyPermissions', pattern: /UNPROTECTED PRIVATE KEY FILE|are too open|bad permissions/i, reason: /are too open|bad permissions/i },
  { kind: 'keyMissing', pattern: /no such identity|Identity file .* not accessible/i },
  { kind: 'hostKeyChanged', pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/i },
  { kind: 'authRefused', pattern: /Permission denied \(|Too many authentication failures|Authentication failed/i },
  {
    kind: 'unreachable',
    pattern:
      /Connection refused|timed out|No route to host|Network is unreachable|Could not resolve hostname|Name or service not known|nodename nor servname|Connection (closed|reset) by|kex_exchange_identification|Connection to .* closed/i,
  },
];

/** What ssh's error output means, checked in order of what the user must fix first. */
export function classifySshFailure(stderr: string): SshProblem {
  const said = lines(stderr);
  for (const rule of RULES) {
    if (!rule.pattern.test(stderr)) continue;
    const quoted = rule.reason ? said.find((line) => rule.reason!.test(line)) : [...said].reverse().find((line) => rule.pattern.test(line));
    return { kind: rule.kind, reason: quoted ?? said[said.length - 1] ?? '' };
  }
  return { kind: 'failed', reason: said[said.length - 1] ?? '' };
}

/** `ssh -F <file> -o BatchMode=yes -o ConnectTimeout=N <alias> true`, the check before a window opens. */
export function verifyArgs(hostsFile: string, alias: string, connectTimeoutSeconds = 15): string[] {
  return ['-F', hostsFile, '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${connectTimeoutSeconds}`, alias, 'true'];
}

/** A command line to show or copy: arguments with spaces or quotes are quoted. */
export function commandLine(binary: string, args: readonly string[]): string {
  return [binary, ...args].map((arg) => (/^[A-Za-z0-9_@%+=:,./~-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`)).join(' ');
}

export type VerifyOutcome = { ok: true; ms: number } | { ok: false; problem: SshProblem };

export interface VerifyOptions {
  binary: string;
  hostsFile: string;
  alias: string;
  keyFile: string;
  signal?: AbortSignal;
  connectTimeoutSeconds?: number;
  /** Kills ssh after this long (it may hang past ConnectTimeout on a half-open connection). */
  timeoutMs?: number;
  now?: () => number;
}

/** Checks the key file is there, then runs ssh once; an AbortError when the signal fires. */
export async function verifyHost(o: VerifyOptions): Promise<VerifyOutcome> {
  const now = o.now ?? Date.now;
  try {
    await fs.access(o.keyFile);
  } catch {
    return { ok: false, problem: { kind: 'keyMissing', reason: '' } };
  }
  const started = now();
  const run = await runSsh(o.binary, verifyArgs(o.hostsFile, o.alias, o.connectTimeoutSeconds), { signal: o.signal, timeoutMs: o.timeoutMs ?? 45_000 });
  if (run.spawnError) {
    const missing = run.spawnError.code === 'ENOENT';
    return { ok: false, problem: { kind: missing ? 'sshMissing' : 'failed', reason: run.spawnError.message } };
  }
  if (run.timedOut) return { ok: false, problem: { kind: 'unreachable', reason: 'timed out' } };
  if (run.code === 0) return { ok: true, ms: now() - started };
  return { ok: false, problem: classifySshFailure(run.stderr || `exit code ${run.code ?? '?'}`) };
}

/** chmod 0600: readable and writable by the owner only, as ssh requires of a private key. */
export async function fixKeyPermissions(keyFile: string): Promise<void> {
  await fs.chmod(keyFile, 0o600);
}
