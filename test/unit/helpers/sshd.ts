import { join } from 'node:path';

// The tests' handle on a real OpenSSH server (scripts/lib/sshd.cjs, which `npm run demo` uses too); Debian's
// openssh-server is installed by `npm test`'s pretest step, so by .ci/run.

export interface TestSshd {
  readonly host: string;
  readonly port: number;
  /** The user sshd logs in: the one running the tests. */
  readonly user: string;
  readonly dir: string;
  /** A private key sshd accepts (mode 0600). */
  readonly clientKey: string;
  /** Everything sshd printed. */
  log(): string;
  /** Stops sshd; `newHostKey` makes the next start present another host key (a restarted notebook). */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

interface SshdLib {
  SSHD: string;
  sshdMissing(): string | undefined;
  keygen(path: string, comment?: string): void;
  freePort(): Promise<number>;
  startSshd(options?: { dir?: string }): Promise<TestSshd>;
}

// Tests run from out/test/unit/helpers: the project root is four folders up.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(join(__dirname, '..', '..', '..', '..', 'scripts', 'lib', 'sshd.cjs')) as SshdLib;

export const SSHD = lib.SSHD;
export const sshdMissing = (): string | undefined => lib.sshdMissing();
export const keygen = (path: string, comment?: string): void => lib.keygen(path, comment);
export const freePort = (): Promise<number> => lib.freePort();
export const startSshd = (options: { dir?: string } = {}): Promise<TestSshd> => lib.startSshd(options);

/**
 * `false` to run the sshd tests, else the reason to skip them, said loudly. In CI (CI set) they never skip:
 * a missing sshd fails them there.
 */
export function sshdSkip(): string | false {
  const missing = sshdMissing();
  if (!missing || process.env.CI) return false;
  process.stderr.write(`\n#### SKIPPING the tests that need a real sshd: ${missing}\n\n`);
  return missing;
}
