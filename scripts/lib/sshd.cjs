// A real OpenSSH server on this computer, for the tests and the demo: Debian's openssh-server run as
// `sshd -D -e -f <config>` on a free loopback port, with a host key and an authorized client key generated into
// a folder of its own, as whoever runs it. A non-root sshd can log in only the user running it, so that user
// logs in (not ma-user, which exists only inside notebooks).
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir, userInfo } = require('node:os');
const { join } = require('node:path');

const SSHD = '/usr/sbin/sshd';

/** Why sshd cannot run here, or undefined when it can. */
function sshdMissing() {
  if (process.platform === 'win32') return 'no OpenSSH server on Windows test machines';
  if (!existsSync(SSHD)) return `${SSHD} is missing: install Debian's openssh-server (npm run setup:sshd; npm test does it first)`;
  const probe = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  if (probe.error) return 'ssh-keygen is missing: install openssh-client';
  return undefined;
}

/** A new ed25519 key pair without a passphrase at `path` and `path.pub`. */
function keygen(path, comment = 'modelarts-test') {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
}

/** A port free on 127.0.0.1 right now. */
function freePort() {
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

/**
 * Starts sshd; `dir` (default: a new temporary folder, removed by stop()) holds its keys, config and pid.
 * @param {{ dir?: string }} [options]
 */
async function startSshd(options = {}) {
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
      // The folder's modes are not what StrictModes wants of a home.
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      '',
    ].join('\n'),
  );
  let output = '';
  let child;

  const launch = async () => {
    const started = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start in 10 s:\n${output}`)), 10_000);
      const onData = (chunk) => {
        output += chunk.toString('utf8');
        if (output.includes(`Server listening on 127.0.0.1 port ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout.on('data', onData);
      started.stderr.on('data', onData);
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

  const halt = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise((resolve) => {
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

module.exports = { SSHD, sshdMissing, keygen, freePort, startSshd };
