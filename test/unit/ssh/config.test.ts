import { strict as assert } from 'node:assert';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { notebookSshEndpoint } from '../../../src/api/notebooks';
import { DEMO_SSH_ENV, demoEmulatorOptions } from '../../../src/auth/demo';
import { UsageError, parseArgs } from '../../../src/emulator/main';
import { resourceContext } from '../../../src/explorer/nodes/look';
import { HostsFile, INCLUDE_COMMENT, aliasBase, configValue, findInclude, withInclude, type HostEntry } from '../../../src/ssh/config';
import { BACKUP_SUFFIX, writeFileAtomic } from '../../../src/ssh/files';
import { forgetHostKey, knownHostsLineMatches } from '../../../src/ssh/knownHosts';
import { SshMemory } from '../../../src/ssh/memory';
import { configPath, sshBinary, sshPaths } from '../../../src/ssh/paths';
import { SshUriError, hostPort, knownHostsName, parseSshUri } from '../../../src/ssh/uri';
import { classifySshFailure, commandLine, runSsh, verifyArgs, verifyHost } from '../../../src/ssh/verify';
import { contributionsOf } from '../helpers/manifest';

// The SSH pieces that need no sshd: endpoint addresses, paths per platform, the hosts file and the Include
// line as text, ssh's messages, known_hosts entries (hashed too), atomic writes, what is remembered, the menus.

const temps: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'modelarts-sshcfg-'));
  temps.push(dir);
  return dir;
};
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const entry = (over: Partial<HostEntry> = {}): HostEntry => ({
  notebookId: 'nb-1',
  profile: 'Work',
  alias: 'modelarts-train',
  host: 'dev-modelarts-cnnorth4.huaweicloud.com',
  port: 31248,
  user: 'ma-user',
  identityFile: '~/.ssh/KeyPair-1.pem',
  knownHosts: '~/.ssh/modelarts_known_hosts',
  ...over,
});

describe('SSH endpoint addresses', () => {
  it('accept an optional ssh://, an optional user@ and host:port', () => {
    assert.deepEqual(parseSshUri('ssh://ma-user@dev-modelarts-cnnorth4.huaweicloud.com:31248'), { host: 'dev-modelarts-cnnorth4.huaweicloud.com', port: 31248, user: 'ma-user' });
    assert.deepEqual(parseSshUri('dev-modelarts.example.com:2222'), { host: 'dev-modelarts.example.com', port: 2222 });
    assert.deepEqual(parseSshUri('ma-user@10.0.0.5:22'), { host: '10.0.0.5', port: 22, user: 'ma-user' });
    assert.deepEqual(parseSshUri(' SSH://ma-user@host.example:31248/ '), { host: 'host.example', port: 31248, user: 'ma-user' });
    assert.deepEqual(parseSshUri('ssh://[::1]:2200'), { host: '::1', port: 2200 });
    assert.deepEqual(parseSshUri('host.example'), { host: 'host.example', port: 22 });
    assert.equal(hostPort({ host: '::1', port: 2200 }), '[::1]:2200');
    assert.equal(knownHostsName({ host: 'h', port: 22 }), 'h');
    assert.equal(knownHostsName({ host: '127.0.0.1', port: 2222 }), '[127.0.0.1]:2222');
  });

  it('refuse what is not an SSH address, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['https://host:22', /not an SSH address/],
      ['host:0', /invalid port "0"/],
      ['host:70000', /invalid port/],
      ['host:ssh', /invalid port "ssh"/],
      ['ma user@host:22', /invalid user/],
      ['ssh://host:22/home', /has a path/],
      ['-oProxyCommand=x:22', /no valid host/],
      ['host name:22', /no valid host/],
    ];
    for (const [raw, why] of cases) assert.throws(() => parseSshUri(raw), (e: unknown) => e instanceof SshUriError && why.test(e.message), raw);
  });

  it('the client finds the SSH endpoint by service or dev_service, with its key pairs', () => {
    assert.deepEqual(notebookSshEndpoint({ endpoints: [{ service: 'NOTEBOOK' }, { service: 'SSH', uri: 'ssh://ma-user@h:1', key_pair_names: ['kp'] }] }), {
      uri: 'ssh://ma-user@h:1',
      keyPairNames: ['kp'],
    });
    assert.deepEqual(notebookSshEndpoint({ endpoints: [{ dev_service: 'ssh', key_pair_names: [] }] }), { keyPairNames: [] });
    assert.equal(notebookSshEndpoint({ endpoints: [{ service: 'NOTEBOOK', uri: 'https://x' }] }), undefined);
    assert.equal(notebookSshEndpoint({}), undefined);
  });

  it('the tree tags a notebook with an SSH endpoint, and only the SSH menus look at the tag', () => {
    assert.equal(resourceContext('notebook', 'RUNNING', { refreshable: true, malformed: false, ssh: true }), ';resource;notebook;running;refreshable;ssh;');
    const c = contributionsOf(['modelarts.notebook.connectSsh', 'modelarts.notebook.copySshCommand']);
    assert.deepEqual(c.commands.map((x) => x.title), ['Connect via SSH', 'Copy SSH Command']);
    assert.deepEqual(c.zh, { 'Connect via SSH': '通过 SSH 连接', 'Copy SSH Command': '复制 SSH 命令' });
    const menus = c.menus['view/item/context'];
    assert.deepEqual(menus.map((m) => `${m.command} ${m.group}`), [
      'modelarts.notebook.connectSsh inline@3',
      'modelarts.notebook.connectSsh 3_notebook@5',
      'modelarts.notebook.copySshCommand 3_notebook@6',
    ]);
    for (const m of menus) {
      const regexes = [...m.when.matchAll(/viewItem =~ \/([^/]+)\//g)].map((x) => new RegExp(x[1]));
      const shows = (value: string): boolean => regexes.every((r) => r.test(value));
      assert.equal(shows(';resource;notebook;running;refreshable;ssh;'), true, m.when);
      assert.equal(shows(';resource;notebook;running;refreshable;'), false, 'no SSH endpoint, no SSH menu');
      assert.equal(shows(';resource;notebook;stopped;refreshable;ssh;'), false, 'not running');
      assert.equal(shows(';resource;trainingjob;running;ssh;'), false);
    }
  });
});

describe('emulator and demo SSH endpoints', () => {
  it('--ssh-endpoint points running notebooks at an sshd', () => {
    assert.deepEqual(parseArgs(['--ssh-endpoint', 'me@127.0.0.1:2222']).emulator, { sshEndpoint: { host: '127.0.0.1', port: 2222, user: 'me' } });
    assert.deepEqual(parseArgs(['--ssh-endpoint=127.0.0.1:2222']).emulator, { sshEndpoint: { host: '127.0.0.1', port: 2222 } });
    for (const bad of [['--ssh-endpoint'], ['--ssh-endpoint', 'host:0']]) {
      assert.throws(() => parseArgs(bad), (e: unknown) => e instanceof UsageError && /--ssh-endpoint needs \[user@\]host:port/.test(e.message), bad.join(' '));
    }
  });

  it(`${DEMO_SSH_ENV} gives the demo notebooks an SSH endpoint, logging in the local user by default`, () => {
    assert.deepEqual(demoEmulatorOptions({ [DEMO_SSH_ENV]: '127.0.0.1:2222' }).options.sshEndpoint, { host: '127.0.0.1', port: 2222, user: userInfo().username });
    assert.deepEqual(demoEmulatorOptions({ [DEMO_SSH_ENV]: 'alice@127.0.0.1:2222' }).options.sshEndpoint, { host: '127.0.0.1', port: 2222, user: 'alice' });
    const bad = demoEmulatorOptions({ [DEMO_SSH_ENV]: 'localhost:abc' });
    assert.equal(bad.options.sshEndpoint, undefined);
    assert.match(bad.problems.join('\n'), /MODELARTS_EXPLORER_DEMO_SSH=localhost:abc ignored: .*invalid port/);
    assert.equal(demoEmulatorOptions({}).options.sshEndpoint, undefined);
  });
});

describe('SSH paths per platform', () => {
  it('Linux and macOS: ~/.ssh; Windows: %USERPROFILE%\\.ssh; remote.SSH.configFile moves the Include', () => {
    assert.deepEqual(sshPaths({ platform: 'linux', home: '/home/me' }), {
      sshDir: '/home/me/.ssh',
      userConfig: '/home/me/.ssh/config',
      hostsFile: '/home/me/.ssh/modelarts_config',
      knownHosts: '/home/me/.ssh/modelarts_known_hosts',
    });
    assert.equal(sshPaths({ platform: 'darwin', home: '/Users/me' }).userConfig, '/Users/me/.ssh/config');
    assert.deepEqual(sshPaths({ platform: 'win32', home: 'C:\\Users\\me' }), {
      sshDir: 'C:\\Users\\me\\.ssh',
      userConfig: 'C:\\Users\\me\\.ssh\\config',
      hostsFile: 'C:\\Users\\me\\.ssh\\modelarts_config',
      knownHosts: 'C:\\Users\\me\\.ssh\\modelarts_known_hosts',
    });
    assert.equal(sshPaths({ platform: 'linux', home: '/home/me', configFile: '~/work/ssh_config' }).userConfig, '/home/me/work/ssh_config');
    // modelarts.ssh.hostsFile: the hosts go where the user chose; the Include and known_hosts stay put.
    const chosen = sshPaths({ platform: 'linux', home: '/home/me', hostsFile: '~/ssh/notebooks.conf' });
    assert.equal(chosen.hostsFile, '/home/me/ssh/notebooks.conf');
    assert.equal(chosen.userConfig, '/home/me/.ssh/config');
    assert.equal(chosen.knownHosts, '/home/me/.ssh/modelarts_known_hosts');
    assert.equal(sshPaths({ platform: 'linux', home: '/home/me', hostsFile: 'work_hosts' }).hostsFile, '/home/me/.ssh/work_hosts');
    assert.equal(sshPaths({ platform: 'win32', home: 'C:\\Users\\me', hostsFile: 'D:\\ssh\\nb' }).hostsFile, 'D:\\ssh\\nb');
    assert.equal(sshPaths({ platform: 'linux', home: '/home/me', configFile: 'team_config' }).userConfig, '/home/me/.ssh/team_config');
    assert.equal(sshPaths({ platform: 'win32', home: 'C:\\Users\\me', configFile: 'D:\\ssh\\config' }).userConfig, 'D:\\ssh\\config');
    assert.equal(sshPaths({ platform: 'linux', home: '/home/me', configFile: '  ' }).userConfig, '/home/me/.ssh/config');
  });

  it('writes paths into ssh_config absolute (ssh takes ~ from the account, not $HOME), with forward slashes on Windows', () => {
    assert.equal(configPath('/home/me/.ssh/modelarts_config', 'linux'), '/home/me/.ssh/modelarts_config');
    assert.equal(configPath('C:\\Users\\me\\.ssh\\modelarts_config', 'win32'), 'C:/Users/me/.ssh/modelarts_config');
    assert.equal(configPath('D:\\keys\\KeyPair 1.pem', 'win32'), 'D:/keys/KeyPair 1.pem');
  });

  it('runs the configured ssh, else Windows\' OpenSSH, else ssh from PATH', () => {
    const none = (): boolean => false;
    const all = (): boolean => true;
    assert.equal(sshBinary({ platform: 'win32', env: {}, exists: all }), 'C:\\Windows\\System32\\OpenSSH\\ssh.exe');
    assert.equal(sshBinary({ platform: 'win32', env: { SystemRoot: 'D:\\Win' }, exists: all }), 'D:\\Win\\System32\\OpenSSH\\ssh.exe');
    assert.equal(sshBinary({ platform: 'win32', env: {}, exists: none }), 'ssh.exe');
    assert.equal(sshBinary({ platform: 'darwin', env: {}, exists: all }), '/usr/bin/ssh');
    assert.equal(sshBinary({ platform: 'linux', env: {}, exists: all }), 'ssh');
    assert.equal(sshBinary({ platform: 'win32', env: {}, exists: all, configured: 'C:\\Git\\usr\\bin\\ssh.exe' }), 'C:\\Git\\usr\\bin\\ssh.exe');
  });
});

describe('the hosts file', () => {
  it('starts with a header, then one marked block per notebook', () => {
    const file = HostsFile.parse(undefined);
    file.upsert(entry());
    assert.equal(
      file.toString(),
      [
        '# SSH hosts of ModelArts notebooks, written by ModelArts Explorer. It rewrites the blocks between its',
        '# "modelarts-explorer begin" and "modelarts-explorer end" lines; lines outside them stay as they are.',
        '',
        '# modelarts-explorer begin notebook=nb-1 profile=Work',
        'Host modelarts-train',
        '  HostName dev-modelarts-cnnorth4.huaweicloud.com',
        '  Port 31248',
        '  User ma-user',
        '  IdentityFile "~/.ssh/KeyPair-1.pem"',
        '  IdentitiesOnly yes',
        '  ForwardAgent no',
        '  ForwardX11 no',
        '  UserKnownHostsFile "~/.ssh/modelarts_known_hosts"',
        '  StrictHostKeyChecking accept-new',
        '  ServerAliveInterval 30',
        '  ServerAliveCountMax 4',
        '# modelarts-explorer end',
        '',
      ].join('\n'),
    );
  });

  it('rewrites a block in place, keeps lines of the user and CRLF line ends, and removes blocks', () => {
    const own = '# mine\r\nHost my-box\r\n  HostName 10.0.0.1\r\n';
    const file = HostsFile.parse(own);
    file.upsert(entry());
    file.upsert(entry({ notebookId: 'nb-2', alias: 'modelarts-eval', profile: 'Work Profile', port: 31249 }));
    file.upsert(entry({ port: 40000 }));
    const text = file.toString();
    assert.ok(text.startsWith(own), 'the user\'s lines stay first, as they were');
    assert.ok(!/[^\r]\n/.test(text), 'CRLF throughout');
    assert.equal(text.match(/Port 40000/g)?.length, 1);
    assert.ok(!text.includes('Port 31248'), 'the block was replaced, not added');
    const again = HostsFile.parse(text);
    assert.deepEqual(again.blocks(), [
      { notebookId: 'nb-1', profile: 'Work', alias: 'modelarts-train' },
      { notebookId: 'nb-2', profile: 'Work Profile', alias: 'modelarts-eval' },
    ]);
    assert.deepEqual(again.remove((b) => b.notebookId === 'nb-1'), [{ notebookId: 'nb-1', profile: 'Work', alias: 'modelarts-train', address: { host: 'dev-modelarts-cnnorth4.huaweicloud.com', port: 40000 } }]);
    assert.deepEqual(again.blocks().map((b) => b.notebookId), ['nb-2']);
    assert.ok(again.toString().startsWith(own));
    assert.equal(again.remove(() => false).length, 0);
  });

  it('names hosts modelarts-<name>, adding the id\'s start when another notebook has that name', () => {
    assert.equal(aliasBase('pytorch-dev'), 'modelarts-pytorch-dev');
    assert.equal(aliasBase('My Notebook #2'), 'modelarts-my-notebook-2');
    assert.equal(aliasBase('训练'), 'modelarts-notebook');
    const file = HostsFile.parse(undefined);
    assert.equal(file.aliasFor('a1b2c3d4-0000', 'Work', 'train'), 'modelarts-train');
    file.upsert(entry({ notebookId: 'a1b2c3d4-0000', alias: 'modelarts-train' }));
    assert.equal(file.aliasFor('a1b2c3d4-0000', 'Work', 'train'), 'modelarts-train', 'its own alias is kept');
    assert.equal(file.aliasFor('ffee0011-2222', 'Work', 'train'), 'modelarts-train-ffee0011');
    file.upsert(entry({ notebookId: 'ffee0011-2222', alias: 'modelarts-train-ffee0011' }));
    assert.equal(file.aliasFor('ffee0011-9999', 'Home', 'train'), 'modelarts-train-ffee0011-2');
  });

  it('quotes every path and refuses those ssh_config cannot hold', () => {
    assert.equal(configValue('/keys/a.pem', 'IdentityFile'), '"/keys/a.pem"');
    assert.equal(configValue('C:/Users/Li Lei/.ssh/k.pem', 'IdentityFile'), '"C:/Users/Li Lei/.ssh/k.pem"');
    assert.equal(configValue('/a%b/c', 'UserKnownHostsFile'), '"/a%%b/c"');
    assert.equal(configValue('/a%b/c', 'Include'), '"/a%b/c"', 'OpenSSH expands no %-tokens in Include');
    assert.equal(configValue('/a%b/c', 'Include', true), '"/a%%b/c"');
    assert.throws(() => configValue('/keys/"x"', 'IdentityFile'), /contains "$/);
    assert.throws(() => configValue('/keys/a\nHost *', 'IdentityFile'), /contains a line break$/);
    assert.throws(() => configValue('${HOME}/k', 'Include'), /as Include: it contains \$\{$/);
  });
});

describe('the Include line', () => {
  const ctx = { platform: 'linux' as const, home: '/home/me', sshDir: '/home/me/.ssh' };
  const hosts = '/home/me/.ssh/modelarts_config';

  it('finds our Include however it is written, and notices one placed after a Host block', () => {
    assert.deepEqual(findInclude('Include ~/.ssh/modelarts_config\nHost a\n', hosts, ctx), { line: 0, beforeHosts: true });
    assert.deepEqual(findInclude('  include   modelarts_config\n', hosts, ctx), { line: 0, beforeHosts: true });
    assert.deepEqual(findInclude('Include="/home/me/.ssh/modelarts_config"\n', hosts, ctx), { line: 0, beforeHosts: true });
    assert.deepEqual(findInclude('Include ~/.ssh/other ~/.ssh/modelarts_config\n', hosts, ctx), { line: 0, beforeHosts: true });
    assert.deepEqual(findInclude('Host a\n  User b\nInclude /home/me/.ssh/modelarts_config\n', hosts, ctx), { line: 2, beforeHosts: false });
    // After `Host *` or `Match all` an Include applies to every host again.
    assert.deepEqual(findInclude('Host a\n  User b\nHost *\nInclude /home/me/.ssh/modelarts_config\n', hosts, ctx), { line: 3, beforeHosts: true });
    assert.deepEqual(findInclude('Match host a\nMatch all\nInclude /home/me/.ssh/modelarts_config\n', hosts, ctx), { line: 2, beforeHosts: true });
    // Quoted and escaped as OpenSSH reads them; `%%` as written for an ssh that expands tokens in Include.
    const odd = "/home/o'brien/50%/a\\b/modelarts_config";
    for (const written of [`"/home/o'brien/50%/a\\\\b/modelarts_config"`, `'/home/o\\'brien/50%/a\\\\b/modelarts_config'`, `"/home/o'brien/50%%/a\\\\b/modelarts_config"`]) {
      assert.ok(findInclude(`Include ${written}\n`, odd, ctx), written);
    }
    assert.equal(findInclude(`Include "/home/o'brien/50%/a\\\\b/other"\n`, odd, ctx), undefined);
    assert.equal(findInclude('Include ~/.ssh/config.d/*\n# Include ~/.ssh/modelarts_config\n', hosts, ctx), undefined);
    assert.equal(findInclude(undefined, hosts, ctx), undefined);
    const win = { platform: 'win32' as const, home: 'C:\\Users\\me', sshDir: 'C:\\Users\\me\\.ssh' };
    assert.ok(findInclude('Include C:/USERS/ME/.ssh/MODELARTS_CONFIG\r\n', 'C:\\Users\\me\\.ssh\\modelarts_config', win));
    assert.ok(findInclude('Include ~/.ssh/modelarts_config\r\n', 'C:\\Users\\me\\.ssh\\modelarts_config', win));
  });

  it('goes first, above everything else, which stays as it was (CRLF too)', () => {
    assert.equal(withInclude(undefined, '~/.ssh/modelarts_config'), `${INCLUDE_COMMENT}\nInclude "~/.ssh/modelarts_config"\n`);
    assert.equal(withInclude('Host a\r\n  User b\r\n', '~/x y'), `${INCLUDE_COMMENT}\r\nInclude "~/x y"\r\n\r\nHost a\r\n  User b\r\n`);
  });
});

describe('what ssh says', () => {
  const cases: Array<[string, string, string]> = [
    ['Warning: Identity file /k not accessible: No such file or directory.\nma-user@h: Permission denied (publickey).', 'keyMissing', 'Warning: Identity file /k not accessible: No such file or directory'],
    ['no such identity: /k: No such file or directory\nroot@h: Permission denied (publickey).', 'keyMissing', 'no such identity: /k: No such file or directory'],
    [
      "@@@@@\n@  WARNING: UNPROTECTED PRIVATE KEY FILE!  @\n@@@@@\nPermissions 0644 for '/k' are too open.\nLoad key \"/k\": bad permissions\nma-user@h: Permission denied (publickey).",
      'keyPermissions',
      "Permissions 0644 for '/k' are too open",
    ],
    ['@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@\nHost key verification failed.', 'hostKeyChanged', 'Host key verification failed'],
    ['ma-user@h: Permission denied (publickey).', 'authRefused', 'ma-user@h: Permission denied (publickey)'],
    ['Received disconnect from 1.2.3.4 port 22:2: Too many authentication failures', 'authRefused', 'Received disconnect from 1.2.3.4 port 22:2: Too many authentication failures'],
    ['ssh: connect to host 1.2.3.4 port 31248: Connection timed out', 'unreachable', 'connect to host 1.2.3.4 port 31248: Connection timed out'],
    ['ssh: Could not resolve hostname nowhere.invalid: Name or service not known', 'unreachable', 'Could not resolve hostname nowhere.invalid: Name or service not known'],
    ['kex_exchange_identification: read: Connection reset by peer', 'unreachable', 'kex_exchange_identification: read: Connection reset by peer'],
    ['ssh: connect to host 10.0.0.1 port 22: No route to host', 'unreachable', 'connect to host 10.0.0.1 port 22: No route to host'],
    ['/home/me/.ssh/modelarts_config line 3: Bad configuration option: foo', 'failed', '/home/me/.ssh/modelarts_config line 3: Bad configuration option: foo'],
  ];
  for (const [stderr, kind, reason] of cases) {
    it(`${kind}: ${reason.slice(0, 60)}`, () => assert.deepEqual(classifySshFailure(stderr), { kind, reason }));
  }

  it('shows the check as a command line a terminal takes', () => {
    assert.equal(commandLine('ssh', verifyArgs('/home/me/.ssh/modelarts_config', 'modelarts-a')), 'ssh -F /home/me/.ssh/modelarts_config -o BatchMode=yes -o ConnectTimeout=15 modelarts-a true');
    assert.equal(commandLine('ssh', ['-F', 'C:/Users/Li Lei/.ssh/modelarts_config', 'x']), 'ssh -F "C:/Users/Li Lei/.ssh/modelarts_config" x');
  });
});

describe('running ssh', () => {
  /** A TCP server that accepts and never says a word: ssh waits for its banner. */
  async function silentServer(): Promise<{ port: number; server: Server; sockets: Socket[] }> {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : 0, server, sockets };
  }
  const close = async (s: { server: Server; sockets: Socket[] }): Promise<void> => {
    for (const socket of s.sockets) socket.destroy();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  };

  it('a host that never answers is "unreachable (timed out)" once the time limit kills ssh', async () => {
    const dir = temp();
    const silent = await silentServer();
    try {
      const key = join(dir, 'key');
      writeFileSync(key, 'not a key', { mode: 0o600 });
      const hostsFile = join(dir, 'modelarts_config');
      const file = HostsFile.parse(undefined);
      file.upsert(entry({ host: '127.0.0.1', port: silent.port, identityFile: key, knownHosts: join(dir, 'kh') }));
      writeFileSync(hostsFile, file.toString());
      const outcome = await verifyHost({ binary: 'ssh', hostsFile, alias: 'modelarts-train', keyFile: key, timeoutMs: 1500 });
      assert.deepEqual(outcome, { ok: false, problem: { kind: 'unreachable', reason: 'timed out' } });
      assert.ok(silent.sockets.length > 0, 'ssh did connect (the server was reached)');
    } finally {
      await close(silent);
    }
  });

  it('cancelling kills ssh and rejects with an AbortError; a missing program is said plainly', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const run = runSsh('ssh', ['-o', 'BatchMode=yes', '-p', String(silent.port), '127.0.0.1', 'true'], { signal: controller.signal });
      while (silent.sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    } finally {
      await close(silent);
    }
    const dir = temp();
    const key = join(dir, 'key');
    writeFileSync(key, 'k');
    const outcome = await verifyHost({ binary: join(dir, 'no-ssh-here'), hostsFile: join(dir, 'c'), alias: 'a', keyFile: key });
    assert.equal(outcome.ok ? 'ok' : outcome.problem.kind, 'sshMissing');
  });
});

describe('known_hosts of the extension', () => {
  it('forgets plain and hashed entries of one host, and nothing else', async () => {
    const salt = randomBytes(20);
    const hashed = (name: string): string => `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
    assert.ok(knownHostsLineMatches(`${hashed('[127.0.0.1]:2222')} ssh-ed25519 AAAA`, '[127.0.0.1]:2222'));
    assert.ok(!knownHostsLineMatches(`${hashed('[127.0.0.1]:2223')} ssh-ed25519 AAAA`, '[127.0.0.1]:2222'));
    assert.ok(knownHostsLineMatches('other,[127.0.0.1]:2222 ssh-ed25519 AAAA', '[127.0.0.1]:2222'));
    assert.ok(!knownHostsLineMatches('@revoked [127.0.0.1]:2222 ssh-ed25519 AAAA', '[127.0.0.1]:2222'));
    const dir = temp();
    const file = join(dir, 'modelarts_known_hosts');
    const keep = ['# comment', '[127.0.0.1]:2223 ssh-ed25519 KEEP1', `${hashed('[127.0.0.1]:2223')} ssh-ed25519 KEEP2`];
    writeFileSync(file, [keep[0], '[127.0.0.1]:2222 ssh-ed25519 DROP1', keep[1], `${hashed('[127.0.0.1]:2222')} ecdsa-sha2-nistp256 DROP2`, keep[2], ''].join('\n'));
    assert.equal(await forgetHostKey(file, { host: '127.0.0.1', port: 2222 }), 2);
    assert.equal(readFileSync(file, 'utf8'), `${keep.join('\n')}\n`);
    assert.equal(await forgetHostKey(file, { host: '127.0.0.1', port: 2222 }), 0);
    assert.equal(await forgetHostKey(join(dir, 'none'), { host: 'h', port: 22 }), 0);
  });
});

describe('writing SSH files', () => {
  it('replaces atomically, keeps a backup and the mode, writes through a symlink, leaves no temporary file', async () => {
    const dir = temp();
    const real = join(dir, 'dotfiles-config');
    const link = join(dir, 'config');
    writeFileSync(real, 'Host old\n', { mode: 0o640 });
    symlinkSync(real, link);
    const result = await writeFileAtomic(link, 'Host new\n');
    assert.deepEqual(result, { written: true, backup: `${real}${BACKUP_SUFFIX}` });
    assert.ok(lstatSync(link).isSymbolicLink(), 'the symlink stays a symlink');
    assert.equal(readFileSync(real, 'utf8'), 'Host new\n');
    assert.equal(readFileSync(`${real}${BACKUP_SUFFIX}`, 'utf8'), 'Host old\n');
    assert.equal(statSync(real).mode & 0o777, 0o640);
    assert.deepEqual(await writeFileAtomic(link, 'Host new\n'), { written: false });
    const fresh = join(dir, 'sub', 'modelarts_config');
    assert.deepEqual(await writeFileAtomic(fresh, 'x\n'), { written: true });
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'sub')).mode & 0o777, 0o700);
    assert.ok(!existsSync(`${fresh}${BACKUP_SUFFIX}`), 'nothing to back up for a new file');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });
});

describe('what the SSH commands remember', () => {
  it('a key file path per key pair, and the configs whose Include was declined', async () => {
    const store = new Map<string, unknown>();
    const memory = new SshMemory({ get: <T>(key: string) => store.get(key) as T | undefined, update: (key, value) => Promise.resolve(void store.set(key, value)) });
    assert.equal(memory.keyFile('KeyPair-1'), undefined);
    await memory.rememberKeyFile('KeyPair-1', '/home/me/.ssh/k1.pem');
    await memory.rememberKeyFile('KeyPair-2', '/home/me/.ssh/k2.pem');
    assert.equal(memory.keyFile('KeyPair-1'), '/home/me/.ssh/k1.pem');
    assert.deepEqual(store.get('modelarts.ssh.keyFiles'), { 'KeyPair-1': '/home/me/.ssh/k1.pem', 'KeyPair-2': '/home/me/.ssh/k2.pem' }, 'paths only');
    assert.equal(memory.includeDeclined('/home/me/.ssh/config'), false);
    await memory.setIncludeDeclined('/home/me/.ssh/config', true);
    assert.equal(memory.includeDeclined('/home/me/.ssh/config'), true);
    assert.equal(memory.includeDeclined('/other'), false);
    await memory.setIncludeDeclined('/home/me/.ssh/config', false);
    assert.equal(memory.includeDeclined('/home/me/.ssh/config'), false);
  });
});
