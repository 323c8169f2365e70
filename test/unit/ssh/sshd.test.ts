import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import { notebookSshEndpoint } from '../../../src/api/notebooks';
import { englishL10n } from '../../../src/common/translate';
import { DEMO_NOTEBOOK_IDS, NOTEBOOK_TIMINGS, SEED_IMAGE_ID } from '../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../src/emulator/server';
import { isNotFound } from '../../../src/api/errors';
import { INCLUDE_COMMENT, renderBlock } from '../../../src/ssh/config';
import { BACKUP_SUFFIX } from '../../../src/ssh/files';
import { forgetHostKey } from '../../../src/ssh/knownHosts';
import { problemMessage, type ProblemContext } from '../../../src/commands/notebooks/sshMessages';
import { sshPaths, type SshPaths } from '../../../src/ssh/paths';
import { addHostsInclude, findHostsInclude, pruneHosts, readHosts, writeHost, type HostRequest, type SshEnvironment } from '../../../src/ssh/setup';
import { hostPort, parseSshUri } from '../../../src/ssh/uri';
import { classifySshFailure, fixKeyPermissions, runSsh, verifyHost, type VerifyOutcome } from '../../../src/ssh/verify';
import { emulatorClient, startTestEmulator } from '../helpers/emulatorHelpers';
import { freePort, keygen, sshdSkip, startSshd, type TestSshd } from '../helpers/sshd';

// The SSH setup end to end against a real OpenSSH server on loopback: the host block written, the batch-mode
// check passing, each failure mode giving its message (and its fix working), the Include line added once,
// stale blocks removed, a command run over the connection. Every path is inside a temporary folder (the
// home folder is never touched).

const skip = sshdSkip();

/** An SSH folder of its own in a temporary directory; `home` lies elsewhere, so every path is written absolute. */
function tempEnv(): SshEnvironment & { root: string } {
  const root = mkdtempSync(join(tmpdir(), 'modelarts-ssh-'));
  const paths: SshPaths = {
    sshDir: root,
    userConfig: join(root, 'config'),
    hostsFile: join(root, 'modelarts_config'),
    knownHosts: join(root, 'modelarts_known_hosts'),
  };
  return { root, paths, home: join(root, 'not-home'), platform: process.platform };
}

const USER_CONFIG = ['# my own settings', 'Host github.com', '  User git', '  IdentityFile ~/.ssh/github', '', 'Host *', '  ServerAliveInterval 60', ''].join('\n');

const message = (outcome: VerifyOutcome, context: ProblemContext): string => {
  assert.equal(outcome.ok, false, 'the check fails');
  return outcome.ok ? '' : problemMessage(outcome.problem, context, englishL10n);
};

describe('SSH against a real sshd', { skip }, () => {
  let sshd: TestSshd;
  const closers: Array<() => Promise<void> | void> = [];

  before(async () => {
    sshd = await startSshd();
  });

  after(async () => {
    for (const close of closers.reverse()) await close();
    await sshd?.stop();
  });

  /** The request for a notebook served by the test sshd (its user: see HostRequest.user). */
  const request = (over: Partial<HostRequest> = {}): HostRequest => ({
    notebookId: DEMO_NOTEBOOK_IDS.pytorchDev,
    notebookName: 'pytorch-dev',
    profile: 'Demo',
    address: { host: sshd.host, port: sshd.port },
    user: sshd.user,
    keyFile: sshd.clientKey,
    ...over,
  });
  const context = (keyFile: string, port = sshd.port): ProblemContext => ({
    address: hostPort({ host: sshd.host, port }),
    user: sshd.user,
    keyFile,
    keyPair: 'KeyPair-demo',
    binary: 'ssh',
  });
  const verify = (env: SshEnvironment, alias: string, keyFile = sshd.clientKey): Promise<VerifyOutcome> =>
    verifyHost({ binary: 'ssh', hostsFile: env.paths.hostsFile, alias, keyFile, timeoutMs: 30_000 });
  /** A temporary SSH folder, removed after the suite. */
  const fresh = (): ReturnType<typeof tempEnv> => {
    const env = tempEnv();
    closers.push(() => rmSync(env.root, { recursive: true, force: true }));
    return env;
  };
  /** Writes the host, runs the check: it must fail as `kind` with exactly `expected` (printed for the report). */
  const expectFailure = async (env: SshEnvironment, over: Partial<HostRequest>, kind: string, expected: string, label: string): Promise<string> => {
    const keyFile = over.keyFile ?? sshd.clientKey;
    const { alias } = await writeHost(env, request(over));
    const outcome = await verify(env, alias, keyFile);
    assert.equal(outcome.ok ? 'ok' : outcome.problem.kind, kind, JSON.stringify(outcome));
    assert.equal(message(outcome, context(keyFile, over.address?.port)), expected);
    process.stdout.write(`# ${label} → ${expected}\n`);
    return alias;
  };

  it('writes the host block, adds the Include line once, verifies, and runs `ssh <alias> echo ok`', async () => {
    const env = fresh();
    writeFileSync(env.paths.userConfig, USER_CONFIG, { mode: 0o600 });

    const written = await writeHost(env, request());
    assert.equal(written.alias, 'modelarts-pytorch-dev');
    assert.equal(written.written, true);
    const hosts = readFileSync(env.paths.hostsFile, 'utf8');
    const block = renderBlock({
      notebookId: DEMO_NOTEBOOK_IDS.pytorchDev,
      profile: 'Demo',
      alias: 'modelarts-pytorch-dev',
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      identityFile: sshd.clientKey,
      knownHosts: env.paths.knownHosts,
    }).join('\n');
    assert.ok(hosts.includes(block), `the block is written as rendered:\n${hosts}`);
    assert.match(hosts, /^ {2}StrictHostKeyChecking accept-new$/m);
    assert.match(hosts, /^ {2}IdentitiesOnly yes$/m);
    assert.match(hosts, /^ {2}ServerAliveInterval 30$/m);
    assert.equal(statSync(env.paths.hostsFile).mode & 0o777, 0o600, 'a new SSH file is 0600');
    // Writing the same again changes nothing.
    assert.equal((await writeHost(env, request())).written, false);

    assert.equal(await findHostsInclude(env), undefined);
    const first = await addHostsInclude(env);
    const second = await addHostsInclude(env);
    assert.deepEqual([first.added, second.added], [true, false], 'the Include line is added once and only once');
    const config = readFileSync(env.paths.userConfig, 'utf8');
    assert.equal(config, `${INCLUDE_COMMENT}\nInclude "${env.paths.hostsFile}"\n\n${USER_CONFIG}`, 'the line goes first; the user\'s lines stay as they were');
    assert.equal(config.match(/^Include /gm)?.length, 1);
    assert.equal(first.backup, `${env.paths.userConfig}${BACKUP_SUFFIX}`);
    assert.equal(readFileSync(first.backup, 'utf8'), USER_CONFIG, 'the backup holds the previous version');
    assert.equal(statSync(env.paths.userConfig).mode & 0o777, 0o600, 'the config keeps its mode');
    assert.deepEqual(await findHostsInclude(env), { line: 1, beforeHosts: true });

    const outcome = await verify(env, written.alias);
    assert.ok(outcome.ok, `verified: ${JSON.stringify(outcome)}\n${sshd.log()}`);
    const known = readFileSync(env.paths.knownHosts, 'utf8');
    assert.match(known, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `, 'm'), 'accept-new recorded the host key in the extension\'s known_hosts');

    // Through the user's config, as Remote-SSH and a terminal use it.
    const echo = spawnSync('ssh', ['-F', env.paths.userConfig, '-o', 'BatchMode=yes', written.alias, 'echo', 'ok'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(echo.stdout, 'ok\n', echo.stderr);
    // Positive control: the alias means nothing to ssh without the Include.
    writeFileSync(join(env.root, 'plain_config'), USER_CONFIG);
    const without = spawnSync('ssh', ['-F', join(env.root, 'plain_config'), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', written.alias, 'echo', 'ok'], { encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(without.stdout, 'ok\n');
    // The user's own Host * still applies to our host (the Include does not swallow the lines after it).
    const resolved = spawnSync('ssh', ['-F', env.paths.userConfig, '-G', written.alias], { encoding: 'utf8' });
    assert.match(resolved.stdout, /^serveraliveinterval 30$/m, 'our block wins for our host');
    const github = spawnSync('ssh', ['-F', env.paths.userConfig, '-G', 'github.com'], { encoding: 'utf8' });
    assert.match(github.stdout, /^user git$/m);
    assert.match(github.stdout, /^serveraliveinterval 60$/m);
  });

  it("[Q26] connects through a home folder with an apostrophe and a %, with a key named \"bob's key.pem\"; the user's own hosts keep working", async () => {
    const home = join(fresh().root, "o'brien%d");
    const env: SshEnvironment = { paths: sshPaths({ platform: process.platform, home }), home, platform: process.platform };
    mkdirSync(env.paths.sshDir, { recursive: true, mode: 0o700 });
    const keyFile = join(home, "bob's key.pem");
    copyFileSync(sshd.clientKey, keyFile);
    chmodSync(keyFile, 0o600);
    writeFileSync(env.paths.userConfig, USER_CONFIG, { mode: 0o600 });
    const { alias } = await writeHost(env, request({ keyFile }));
    assert.equal((await addHostsInclude(env, alias)).added, true);

    // Through the user's config, as a terminal and Remote-SSH use it: ssh loads the key and records the host
    // key in the extension's known_hosts, at its real path (the "%d" in it taken literally).
    const echo = spawnSync('ssh', ['-F', env.paths.userConfig, '-o', 'BatchMode=yes', alias, 'echo', 'ok'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(echo.stdout, 'ok\n', echo.stderr);
    assert.match(readFileSync(env.paths.knownHosts, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `, 'm'));
    const checked = await verify(env, alias, keyFile);
    assert.ok(checked.ok, JSON.stringify(checked));
    const github = spawnSync('ssh', ['-F', env.paths.userConfig, '-G', 'github.com'], { encoding: 'utf8' });
    assert.equal(github.status, 0, github.stderr);
    assert.match(github.stdout, /^user git$/m, "the user's own host resolves as before");
  });

  it('says when the key file is missing, before and as ssh reports it', async () => {
    const env = fresh();
    const missing = join(env.root, 'no-such-key');
    const alias = await expectFailure(env, { keyFile: missing }, 'keyMissing', `The private key file ${missing} of key pair KeyPair-demo does not exist.`, 'key file missing');
    // ssh's own words for it, should the file vanish after the check.
    const run = await runSsh('ssh', ['-F', env.paths.hostsFile, '-o', 'BatchMode=yes', alias, 'true']);
    assert.notEqual(run.code, 0);
    assert.equal(classifySshFailure(run.stderr).kind, 'keyMissing', run.stderr);
  });

  it('says when the key may be read by others; the 0600 fix makes the check pass', async () => {
    const env = fresh();
    const key = join(env.root, 'open_key');
    copyFileSync(sshd.clientKey, key);
    chmodSync(key, 0o644);
    const alias = await expectFailure(
      env,
      { keyFile: key },
      'keyPermissions',
      `ssh ignores the private key file ${key} because other users may read it (Permissions 0644 for '${key}' are too open). A private key must be readable by you only (mode 0600).`,
      'key permissions too open',
    );
    await fixKeyPermissions(key);
    assert.equal(statSync(key).mode & 0o777, 0o600);
    const fixed = await verify(env, alias, key);
    assert.ok(fixed.ok, JSON.stringify(fixed));
  });

  it('says when nothing listens at the address', async () => {
    const env = fresh();
    const port = await freePort();
    await expectFailure(
      env,
      { address: { host: '127.0.0.1', port } },
      'unreachable',
      `Cannot reach 127.0.0.1:${port} (connect to host 127.0.0.1 port ${port}: Connection refused). Check that the notebook is running and that your network allows SSH to it.`,
      'host unreachable',
    );
  });

  it('says when the notebook refuses the key', async () => {
    const env = fresh();
    const wrong = join(env.root, 'wrong_key');
    keygen(wrong);
    await expectFailure(
      env,
      { keyFile: wrong },
      'authRefused',
      `127.0.0.1:${sshd.port} refused the key ${wrong} for user ${sshd.user} (${sshd.user}@127.0.0.1: Permission denied (publickey)). Is it the private key of key pair KeyPair-demo?`,
      'authentication refused',
    );
  });

  it('says when the host key changed after a restart; forgetting the old key makes the check pass', async () => {
    const env = fresh();
    const { alias } = await writeHost(env, request());
    assert.ok((await verify(env, alias)).ok, 'first connection: the key is accepted and recorded');
    // Another known host in the same file stays.
    writeFileSync(env.paths.knownHosts, `${readFileSync(env.paths.knownHosts, 'utf8')}[example.test]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOther\n`);
    await sshd.restart({ newHostKey: true });
    await expectFailure(
      env,
      {},
      'hostKeyChanged',
      `The host key of 127.0.0.1:${sshd.port} changed since the last connection (Host key verification failed). A notebook gets a new host key each time it restarts; if it did not restart, someone may be intercepting the connection.`,
      'host key changed',
    );
    assert.equal(await forgetHostKey(env.paths.knownHosts, { host: sshd.host, port: sshd.port }), 1);
    assert.match(readFileSync(env.paths.knownHosts, 'utf8'), /^\[example\.test\]:2222 /m, 'other hosts are kept');
    assert.ok(existsSync(`${env.paths.knownHosts}${BACKUP_SUFFIX}`));
    const again = await verify(env, alias);
    assert.ok(again.ok, JSON.stringify(again));
  });

  describe('with the emulator', () => {
    let emu: RunningEmulator;
    let clock: ManualClock;
    let client: ModelArtsClient;

    before(async () => {
      ({ emu, clock } = await startTestEmulator({ sshEndpoint: { host: sshd.host, port: sshd.port, user: sshd.user } }));
      client = emulatorClient(emu, clock);
    });

    after(async () => {
      client?.dispose();
      await emu?.close();
    });

    it('a running notebook\'s SSH endpoint names the sshd; its host verifies', async () => {
      const env = fresh();
      const nb = await client.notebooks.get(DEMO_NOTEBOOK_IDS.pytorchDev);
      const endpoint = notebookSshEndpoint(nb);
      assert.deepEqual(endpoint, { uri: `ssh://${sshd.user}@127.0.0.1:${sshd.port}`, keyPairNames: ['KeyPair-demo'] });
      const address = parseSshUri(endpoint.uri);
      const { alias } = await writeHost(env, request({ notebookId: nb.id, notebookName: nb.name, address, user: address.user! }));
      assert.ok((await verify(env, alias)).ok);
    });

    it('removes the blocks of deleted notebooks, and only those of the profile checked', async () => {
      const env = fresh();
      const created = await client.notebooks.create({ name: 'short-lived', image_id: SEED_IMAGE_ID, volume: { category: 'EVS', ownership: 'MANAGED', capacity: 5 } });
      await writeHost(env, request());
      await writeHost(env, request({ notebookId: created.id, notebookName: created.name }));
      await writeHost(env, request({ notebookId: 'other-profile-notebook', notebookName: 'short-lived', profile: 'Work' }));
      writeFileSync(env.paths.hostsFile, `${readFileSync(env.paths.hostsFile, 'utf8')}# a line of my own\n`);
      const exists = async (id: string): Promise<boolean> => {
        try {
          await client.notebooks.get(id);
          return true;
        } catch (error) {
          if (isNotFound(error)) return false;
          throw error;
        }
      };
      // Positive control: while it exists, nothing goes.
      assert.deepEqual(await pruneHosts(env.paths.hostsFile, 'Demo', exists), []);
      await client.notebooks.delete(created.id);
      await clock.advance(NOTEBOOK_TIMINGS.deleteMs + 1000);
      const removed = await pruneHosts(env.paths.hostsFile, 'Demo', exists);
      assert.deepEqual(removed.map((b) => b.notebookId), [created.id]);
      assert.deepEqual(
        (await readHosts(env.paths.hostsFile)).map((b) => `${b.profile}/${b.alias}`),
        ['Demo/modelarts-pytorch-dev', 'Work/modelarts-short-lived-otherpro'],
        'the other profile\'s block stays (a notebook of the same name: its alias got the start of its id)',
      );
      assert.match(readFileSync(env.paths.hostsFile, 'utf8'), /^# a line of my own$/m);
      // A check that fails keeps the block.
      assert.deepEqual(await pruneHosts(env.paths.hostsFile, 'Demo', () => Promise.reject(new Error('offline'))), []);
    });
  });
});
