import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

// A real OpenSSH server for the tests (Debian's openssh-server, installed by `npm test`'s pretest step, so by
// .ci/run): `sshd -D -e -f <config>` on a free loopback port, with a host key and an authorized client key
// generated into a temporary folder, run as whoever runs the tests. A non-root sshd can log in only the user
// running it, so the tests log in as that user (not ma-user, which exists only inside notebooks).

export const SSHD = '/usr/sbin/sshd';

/** Why the tests cannot run sshd here, or undefined when they can. */
export function sshdMissing(): string | undefined {
  if (process.platform === 'win32') return 'no OpenSSH server on Windows test machines';
  if (!existsSync(SSHD)) return `${SSHD} is missing: install Debian's openssh-server (npm run setup:sshd; npm test does it first)`;
  const keygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  if (keygen.error) return 'ssh-keygen is missing: install openssh-client';
  return undefined;
}

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

export function keygen(path: string, comment = 'modelarts-test'): void {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

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

export async function startSshd(options: { dir?: string } = {}): Promise<TestSshd> {
  const missing = sshdMissing();
  if (missing) throw new Error(missing);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'modelarts-sshd-'));
  mkdirSync(dir, { recursive: true });
  // A root sshd insists on its privilege-separation folder, which only the system service would create.
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  keygen(hostKey, 'host');
  keygen(clientKey, 'client');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      // The temporary folder's modes are not what StrictModes wants of a home.
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      '',
    ].join('\n'),
  );
  let output = '';
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const started = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start in 10 s:\n${output}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes(`Server listening on 127.0.0.1 port ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited (${code ?? 'signal'}) before listening:\n${output}`));
      });
      started.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  };

  const halt = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    dir,
    clientKey,
    log: () => output,
    async restart(o = {}) {
      await halt();
      if (o.newHostKey) keygen(hostKey, 'host');
      await launch();
    },
    async stop() {
      await halt();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
