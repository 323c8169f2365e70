import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { configProblemMessage, sshFileError } from '../../../src/commands/notebooks/sshMessages';
import { englishL10n } from '../../../src/common/translate';
import { HostsFile, INCLUDE_COMMENT, SshConfigError, renderBlock, withInclude, type HostEntry } from '../../../src/ssh/config';
import { BACKUP_SUFFIX } from '../../../src/ssh/files';
import { sshPaths } from '../../../src/ssh/paths';
import { addHostsInclude, pruneHosts, readHosts, writeHost, type HostRequest, type SshEnvironment } from '../../../src/ssh/setup';

// The SSH files stay valid whatever the paths hold (Q26), two processes writing at once lose nothing (Q27), a
// hand-edited marker never stops a write (Q28), and notebook hosts do not inherit forwarding (Q29). The system
// ssh reads what is written (`ssh -G -F <file>`: ssh takes ~ from the account, so every path here is absolute
// and every config is given with -F); nothing in the real home folder is touched.

const sshMissing = spawnSync('ssh', ['-V'], { encoding: 'utf8' }).error ? 'no ssh program: install openssh-client' : undefined;
const skip = sshMissing !== undefined && !process.env.CI ? sshMissing : false;
if (skip) process.stderr.write(`\n#### SKIPPING the tests that run the system ssh: ${sshMissing}\n\n`);

const temps: string[] = [];
const temp = (name = 'modelarts-sshfiles-'): string => {
  const dir = mkdtempSync(join(tmpdir(), name));
  temps.push(dir);
  return dir;
};
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** An SSH environment whose home folder is `home` (created), with the paths the extension uses there. */
function homeEnv(home: string, over: Partial<SshEnvironment> = {}): SshEnvironment {
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  return { paths: sshPaths({ platform: 'linux', home }), home, platform: 'linux', ...over };
}

const request = (keyFile: string, over: Partial<HostRequest> = {}): HostRequest => ({
  notebookId: 'nb-train-0001',
  notebookName: 'train',
  profile: 'Work',
  address: { host: 'dev-modelarts-cnnorth4.huaweicloud.com', port: 31248 },
  user: 'ma-user',
  keyFile,
  ...over,
});

/** `ssh -G -F <config> [options] <alias>`: exit code, stderr and each keyword's values. */
function resolve(config: string, alias: string, options: string[] = []): { status: number | null; stderr: string; values: Map<string, string[]> } {
  const run = spawnSync('ssh', ['-G', '-F', config, ...options, alias], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const values = new Map<string, string[]>();
  for (const line of run.stdout.split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line);
    if (m) values.set(m[1], [...(values.get(m[1]) ?? []), m[2]]);
  }
  return { status: run.status, stderr: run.stderr, values };
}
const one = (r: ReturnType<typeof resolve>, keyword: string): string | undefined => r.values.get(keyword)?.[0];

const USER_CONFIG = ['# my own hosts', 'Host github.com', '  User git', '  IdentityFile /keys/github', '', 'Host *', '  ServerAliveInterval 60', ''].join('\n');

describe('[Q26] the SSH files are always valid for OpenSSH', () => {
  const entry = (over: Partial<HostEntry> = {}): HostEntry => ({
    notebookId: 'nb-1',
    profile: 'Work',
    alias: 'modelarts-train',
    host: 'h.example',
    port: 22,
    user: 'ma-user',
    identityFile: '/home/me/.ssh/k.pem',
    knownHosts: '/home/me/.ssh/modelarts_known_hosts',
    ...over,
  });

  it('[Q26] paths are always double-quoted, % is written %%, a backslash is kept (\\\\), the Include line quoted too', () => {
    const lines = renderBlock(entry({ identityFile: "/home/o'brien/keys/bob's key%d.pem", knownHosts: '/home/a\\b/kh' }));
    assert.ok(lines.includes('  IdentityFile "/home/o\'brien/keys/bob\'s key%%d.pem"'), lines.join('\n'));
    assert.ok(lines.includes('  UserKnownHostsFile "/home/a\\\\b/kh"'), lines.join('\n'));
    assert.ok(renderBlock(entry()).includes('  IdentityFile "/home/me/.ssh/k.pem"'), 'quoted even without anything special');
    assert.equal(withInclude(undefined, "/home/o'brien/.ssh/modelarts_config"), `${INCLUDE_COMMENT}\nInclude "/home/o'brien/.ssh/modelarts_config"\n`);
  });

  it('[Q26] a value ssh_config cannot hold (a ", a line break, ${) is refused, naming it, before anything is written', async () => {
    const home = temp();
    const env = homeEnv(home);
    for (const [keyFile, unsafe] of [
      [join(home, 'say "hi".pem'), '"'],
      [join(home, 'k.pem\nHost *'), 'line break'],
      [join(home, '${HOME}.pem'), '${'],
    ]) {
      await assert.rejects(
        writeHost(env, request(keyFile)),
        (e: unknown) => e instanceof SshConfigError && e.problem.kind === 'unsafeValue' && e.problem.value === keyFile && e.problem.unsafe === unsafe && e.message.includes(JSON.stringify(keyFile)),
        `${JSON.stringify(keyFile)} refused`,
      );
      assert.equal(existsSync(env.paths.hostsFile), false, 'nothing was written');
    }
    // The Include path is checked the same way: a hosts file named with ${ does not reach the user's config.
    writeFileSync(env.paths.userConfig, USER_CONFIG, { mode: 0o600 });
    const odd = homeEnv(home, { paths: { ...env.paths, hostsFile: join(home, '${X}', 'modelarts_config') } });
    await assert.rejects(addHostsInclude(odd), (e: unknown) => e instanceof SshConfigError && e.problem.kind === 'unsafeValue' && e.problem.keyword === 'Include');
    assert.equal(readFileSync(env.paths.userConfig, 'utf8'), USER_CONFIG);
    // Positive control: an ordinary key is written.
    assert.equal((await writeHost(env, request(join(home, 'k.pem')))).written, true);
  });

  it('[Q26] a hosts file ssh rejects is not written, and the reason is ssh\'s own line', { skip }, async () => {
    const home = temp();
    const env = homeEnv(home);
    const mine = '# my hand-written host\nHost old\n  Port notanumber\n';
    writeFileSync(env.paths.hostsFile, mine, { mode: 0o600 });
    await assert.rejects(
      writeHost(env, request(join(home, 'k.pem'))),
      (e: unknown) =>
        e instanceof SshConfigError &&
        e.problem.kind === 'rejected' &&
        e.problem.file === env.paths.hostsFile &&
        e.problem.reason === "line 3: Bad port 'notanumber'" &&
        e.message === `ssh rejects ${env.paths.hostsFile} as it would be written: line 3: Bad port 'notanumber'`,
    );
    assert.equal(readFileSync(env.paths.hostsFile, 'utf8'), mine, 'the file is as it was');
    assert.equal(existsSync(`${env.paths.hostsFile}${BACKUP_SUFFIX}`), false, 'not even a backup was written');
    assert.deepEqual(readdirSync(join(home, '.ssh')).filter((n) => n.endsWith('.tmp')), [], 'the candidate is gone');
    // Positive control: once the user's line is fixed, the host is written.
    writeFileSync(env.paths.hostsFile, mine.replace('notanumber', '2222'));
    const written = await writeHost(env, request(join(home, 'k.pem')));
    assert.deepEqual([written.written, written.checked], [true, true]);
  });

  it('[Q26] a user config ssh rejects gets no Include line', { skip }, async () => {
    const home = temp();
    const env = homeEnv(home);
    const { alias } = await writeHost(env, request(join(home, 'k.pem')));
    const broken = `${USER_CONFIG}Host typo\n  Frobnicate yes\n`;
    writeFileSync(env.paths.userConfig, broken, { mode: 0o600 });
    await assert.rejects(
      addHostsInclude(env, alias),
      (e: unknown) => e instanceof SshConfigError && e.problem.kind === 'rejected' && e.problem.file === env.paths.userConfig && e.problem.reason === 'line 12: Bad configuration option: frobnicate',
    );
    assert.equal(readFileSync(env.paths.userConfig, 'utf8'), broken);
    writeFileSync(env.paths.userConfig, USER_CONFIG);
    assert.equal((await addHostsInclude(env, alias)).added, true, 'positive control: added once the file is valid');
  });

  it('[Q26] without an ssh program the files are written unchecked, and the result says so', { skip }, async () => {
    const home = temp();
    const noSsh = homeEnv(home, { ssh: join(home, 'no-ssh-here') });
    const unchecked = await writeHost(noSsh, request(join(home, 'k.pem')));
    assert.deepEqual([unchecked.written, unchecked.checked], [true, false]);
    assert.match(readFileSync(noSsh.paths.hostsFile, 'utf8'), /^Host modelarts-train$/m);
    const include = await addHostsInclude(noSsh, unchecked.alias);
    assert.deepEqual([include.added, include.checked], [true, false]);
    // Positive control: with the system ssh the same write is checked.
    const checked = await writeHost(homeEnv(temp()), request(join(home, 'k.pem')));
    assert.deepEqual([checked.written, checked.checked], [true, true]);
  });

  it('[Q26] each refusal is told in words that name the file and why; other errors pass as they are', () => {
    const say = (error: unknown): string => String((sshFileError(error, englishL10n) as Error).message);
    assert.equal(
      say(new SshConfigError({ kind: 'unsafeValue', keyword: 'IdentityFile', value: '/keys/a\nb.pem', unsafe: 'line break' })),
      '"/keys/a\\nb.pem" cannot be written into an SSH config file (IdentityFile): it contains a line break. Rename the file or its folder, or choose another one; nothing was written.',
    );
    assert.match(configProblemMessage({ kind: 'unsafeValue', keyword: 'Include', value: '/x/${A}', unsafe: '${' }, englishL10n), /it contains "\$\{" \(ssh would read an environment variable\)/);
    assert.match(configProblemMessage({ kind: 'unsafeValue', keyword: 'Include', value: '/x/"', unsafe: '"' }, englishL10n), /it contains a double quote \("\)/);
    assert.equal(
      say(new SshConfigError({ kind: 'rejected', file: '/home/me/.ssh/config', reason: 'line 12: Bad configuration option: frobnicate' })),
      'ssh rejects /home/me/.ssh/config as it would be written (line 12: Bad configuration option: frobnicate), so it was left as it was.',
    );
    assert.equal(
      say(new SshConfigError({ kind: 'misread', file: '/h/modelarts_config', keyword: 'IdentityFile', expected: '/k/a\\b', actual: '/k/ab' })),
      'ssh would read IdentityFile in /h/modelarts_config as /k/ab instead of /k/a\\b, so it was left as it was.',
    );
    assert.equal(
      say(new SshConfigError({ kind: 'notIncluded', file: '/home/me/.ssh/config', alias: 'modelarts-train' })),
      'Through the Include line that would be added to /home/me/.ssh/config, ssh does not find modelarts-train, so that file was left as it was.',
    );
    const other = new Error('EACCES');
    assert.equal(sshFileError(other, englishL10n), other);
  });

  it("[Q26] ssh -G: a home folder with an apostrophe and a %, a key \"bob's key.pem\": the user's hosts still work, the alias resolves to the right files", { skip }, async () => {
    const home = join(temp(), "o'brien%d");
    const env = homeEnv(home);
    const keyFile = join(home, 'keys', "bob's key.pem");
    writeFileSync(env.paths.userConfig, USER_CONFIG, { mode: 0o600 });
    const { alias } = await writeHost(env, request(keyFile));
    const include = await addHostsInclude(env, alias);
    assert.equal(include.added, true);
    const config = env.paths.userConfig;

    const github = resolve(config, 'github.com');
    assert.equal(github.status, 0, github.stderr);
    assert.equal(one(github, 'user'), 'git', "the user's own host still resolves as before");
    assert.equal(one(github, 'serveraliveinterval'), '60');

    const nb = resolve(config, alias);
    assert.equal(nb.status, 0, nb.stderr);
    assert.equal(one(nb, 'hostname'), 'dev-modelarts-cnnorth4.huaweicloud.com');
    assert.equal(one(nb, 'port'), '31248');
    assert.equal(one(nb, 'user'), 'ma-user');
    // ssh -G prints IdentityFile before its %-expansion and UserKnownHostsFile after it.
    assert.deepEqual(nb.values.get('identityfile'), [keyFile.replace(/%/g, '%%')]);
    assert.equal(one(nb, 'userknownhostsfile'), env.paths.knownHosts, 'the known_hosts path is the file itself, % and all');
  });
});

describe('[Q27] two windows never lose each other\'s hosts', () => {
  const setupModule = join(__dirname, '..', '..', '..', 'src', 'ssh', 'setup.js');
  const lockModule = join(__dirname, '..', '..', '..', 'src', 'ssh', 'lock.js');
  /** A process that writes `count` hosts once it reads a line, then prints what it measured. */
  const writer = `
    const { join } = require('node:path');
    const { writeHost } = require(${JSON.stringify(setupModule)});
    const [home, label, count] = process.argv.slice(1);
    const paths = { sshDir: join(home, '.ssh'), userConfig: join(home, '.ssh', 'config'), hostsFile: join(home, '.ssh', 'modelarts_config'), knownHosts: join(home, '.ssh', 'modelarts_known_hosts') };
    process.stdin.once('data', async () => {
      const started = Date.now();
      for (let i = 0; i < Number(count); i++) {
        await writeHost({ paths, home, platform: process.platform }, { notebookId: label + '-' + i, notebookName: label + '-' + i, profile: 'Work', address: { host: '127.0.0.1', port: 2000 + i }, user: 'ma-user', keyFile: join(home, 'key.pem') });
      }
      let stats = null;
      try { stats = require(${JSON.stringify(lockModule)}).lockStats(); } catch {}
      process.stdout.write(JSON.stringify({ ms: Date.now() - started, stats }) + '\\n');
      process.stdin.destroy();
    });
    process.stdout.write('ready\\n');
  `;

  it('[Q27] two processes writing 25 hosts each at the same time leave 50 blocks', async () => {
    const home = temp();
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    const children = ['a', 'b'].map((label) => {
      const child = spawn(process.execPath, ['-e', writer, home, label, '25'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('ready\n') && resolve());
        child.once('exit', () => reject(new Error(`writer ${label} exited early: ${stderr}`)));
      });
      const done = new Promise<{ code: number | null }>((resolve) => child.once('close', (code) => resolve({ code })));
      return { child, ready, done, out: () => stdout, err: () => stderr };
    });
    await Promise.all(children.map((c) => c.ready));
    const started = Date.now();
    for (const c of children) c.child.stdin.write('go\n');
    const exits = await Promise.all(children.map((c) => c.done));
    const ms = Date.now() - started;
    exits.forEach((exit, i) => assert.equal(exit.code, 0, children[i].err()));
    const reports = children.map((c) => JSON.parse(c.out().split('\n')[1]) as { ms: number; stats: { waits: number; staleRecovered: number } | null });
    const blocks = await readHosts(join(home, '.ssh', 'modelarts_config'));
    const waits = reports.reduce((sum, r) => sum + (r.stats?.waits ?? 0), 0);
    console.log(`[figure Q27] two processes × 25 hosts at the same time: ${blocks.length} blocks kept [= 50], ${(ms / 1000).toFixed(1)} s, ${waits} lock retries`);
    assert.equal(blocks.length, 50, `blocks kept: ${blocks.length}`);
    assert.deepEqual(new Set(blocks.map((b) => b.notebookId)).size, 50);
    assert.deepEqual(readdirSync(join(home, '.ssh')).filter((n) => /\.tmp$|lock/.test(n)), [], 'no temporary or lock file left');
  });
});

describe('[Q28] a hand-edited hosts file never stops Connect via SSH', () => {
  const HAND_EDITED = [
    '# SSH hosts of ModelArts notebooks',
    '',
    '# modelarts-explorer begin notebook=50%-off profile=Work',
    'Host modelarts-train',
    '  HostName old.example',
    '# modelarts-explorer end',
    '',
    '# modelarts-explorer begin notebook=nb-2 profile=Work',
    'Host modelarts-eval',
    '  HostName eval.example',
    '# modelarts-explorer end',
    '',
  ].join('\n');

  it('[Q28] a marker with a malformed % is kept as the user\'s own text; the other blocks are read', () => {
    const file = HostsFile.parse(HAND_EDITED);
    assert.deepEqual(file.blocks(), [{ notebookId: 'nb-2', profile: 'Work', alias: 'modelarts-eval' }], 'positive control: the well-formed block is a block');
    assert.equal(file.toString(), HAND_EDITED, 'every line kept as it was');
    assert.equal(HostsFile.parse(HAND_EDITED.replace('50%-off', '50%25-off')).blocks().length, 2, 'the same marker well encoded is a block');
    assert.equal(file.aliasFor('nb-9', 'Work', 'train'), 'modelarts-train-nb9', "the user's Host line keeps its name: a new host does not hide behind it");
  });

  it('[Q28] Connect\'s write, the pruning of stale hosts and the removal of a profile still work with such a file', async () => {
    const home = temp();
    const env = homeEnv(home);
    writeFileSync(env.paths.hostsFile, HAND_EDITED, { mode: 0o600 });
    const written = await writeHost(env, request(join(home, 'k.pem'), { notebookId: 'nb-9' }));
    assert.equal(written.written, true);
    assert.equal(written.alias, 'modelarts-train-nb9');
    const text = readFileSync(env.paths.hostsFile, 'utf8');
    assert.ok(text.startsWith(HAND_EDITED), 'the hand-edited lines stay first, unchanged');
    assert.deepEqual((await readHosts(env.paths.hostsFile)).map((b) => b.alias), ['modelarts-eval', 'modelarts-train-nb9']);
    assert.deepEqual(
      (await pruneHosts(env.paths.hostsFile, 'Work', (id) => Promise.resolve(id !== 'nb-2'))).map((b) => b.alias),
      ['modelarts-eval'],
    );
    assert.match(readFileSync(env.paths.hostsFile, 'utf8'), /notebook=50%-off/);
    if (!skip) {
      const nb = resolve(env.paths.hostsFile, written.alias);
      assert.equal(nb.status, 0, nb.stderr);
      assert.equal(one(nb, 'hostname'), 'dev-modelarts-cnnorth4.huaweicloud.com', 'ssh reads the new host');
    }
  });
});

describe('[Q29] notebook hosts do not inherit the user\'s forwarding', () => {
  it('[Q29] each block sets ForwardAgent no and ForwardX11 no', () => {
    const lines = renderBlock({ notebookId: 'n', profile: 'p', alias: 'modelarts-n', host: 'h', port: 22, user: 'ma-user', identityFile: '/k', knownHosts: '/kh' });
    assert.ok(lines.includes('  ForwardAgent no'), lines.join('\n'));
    assert.ok(lines.includes('  ForwardX11 no'), lines.join('\n'));
  });

  it('[Q29] with Host * / ForwardAgent yes in the user\'s config, ssh -G modelarts-<notebook> says no; a block above the Include or -o turns it on', { skip }, async () => {
    const home = temp();
    const env = homeEnv(home);
    const own = ['Host *', '  ForwardAgent yes', '  ForwardX11 yes', ''].join('\n');
    writeFileSync(env.paths.userConfig, own, { mode: 0o600 });
    const train = await writeHost(env, request(join(home, 'k.pem')));
    const evalHost = await writeHost(env, request(join(home, 'k.pem'), { notebookId: 'nb-eval-0002', notebookName: 'eval' }));
    await addHostsInclude(env, train.alias);
    const config = env.paths.userConfig;

    const nb = resolve(config, train.alias);
    assert.equal(nb.status, 0, nb.stderr);
    assert.equal(one(nb, 'forwardagent'), 'no');
    assert.equal(one(nb, 'forwardx11'), 'no');
    // Positive control: the user's Host * does reach their other hosts.
    const other = resolve(config, 'example.org');
    assert.deepEqual([one(other, 'forwardagent'), one(other, 'forwardx11')], ['yes', 'yes']);
    // Asked for on the command line, it is on.
    assert.equal(one(resolve(config, train.alias, ['-o', 'ForwardAgent=yes']), 'forwardagent'), 'yes');
    // A block for the notebook above the Include line (closed by Host *, so the Include still applies to all).
    const above = ['Host modelarts-train', '  ForwardAgent yes', '', 'Host *', readFileSync(config, 'utf8')].join('\n');
    writeFileSync(config, above);
    const wanted = resolve(config, train.alias);
    assert.equal(wanted.status, 0, wanted.stderr);
    assert.deepEqual([one(wanted, 'forwardagent'), one(wanted, 'hostname')], ['yes', 'dev-modelarts-cnnorth4.huaweicloud.com']);
    const others = resolve(config, evalHost.alias);
    assert.deepEqual([one(others, 'forwardagent'), one(others, 'hostname')], ['no', 'dev-modelarts-cnnorth4.huaweicloud.com'], 'the other notebooks still say no');
  });
});
