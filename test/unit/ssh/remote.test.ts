import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SshMemory, remoteAlias } from '../../../src/ssh/memory';
import { sshPaths } from '../../../src/ssh/paths';
import { readHosts, removeProfileHosts, writeHost, type SshEnvironment } from '../../../src/ssh/setup';

// Around Connect via SSH without a command: which notebook a Remote-SSH window is on (the alias in its
// authority, the notebook recorded when the connection was made), and the demo's hosts leaving the SSH files.

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function memento(): { get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const store = new Map<string, unknown>();
  return { get: <T>(key: string) => store.get(key) as T | undefined, update: (key, value) => Promise.resolve(void store.set(key, value)) };
}

describe('SSH: the Remote-SSH window of a notebook', () => {
  it('reads the host alias from the window authority, plain or in the hex-encoded JSON form', () => {
    assert.equal(remoteAlias('ssh-remote+modelarts-pytorch-dev'), 'modelarts-pytorch-dev');
    const hex = Buffer.from(JSON.stringify({ hostName: 'modelarts-resnet' })).toString('hex');
    assert.equal(remoteAlias(`ssh-remote+${hex}`), 'modelarts-resnet');
    assert.equal(remoteAlias('wsl+Ubuntu'), undefined);
    assert.equal(remoteAlias('ssh-remote+7b7d'), undefined, 'JSON without a host name');
  });

  it('remembers the notebook of each alias, newest 50, and forgets the ones named', async () => {
    const memory = new SshMemory(memento());
    await memory.rememberRemote('modelarts-a', { notebookId: 'id-a', name: 'a', profile: 'Work' });
    assert.deepEqual(memory.remote('modelarts-a'), { notebookId: 'id-a', name: 'a', profile: 'Work' });
    assert.equal(memory.remote('modelarts-b'), undefined);
    for (let i = 0; i < 60; i++) await memory.rememberRemote(`alias-${i}`, { notebookId: `id-${i}`, name: `n${i}`, profile: 'Work' });
    assert.equal(memory.remote('modelarts-a'), undefined, 'the oldest went');
    assert.deepEqual(memory.remote('alias-10'), { notebookId: 'id-10', name: 'n10', profile: 'Work' });
    assert.equal(memory.remote('alias-9'), undefined);
    assert.ok(memory.remote('alias-59'));
    await memory.forgetRemotes(['alias-59']);
    assert.equal(memory.remote('alias-59'), undefined);
    assert.ok(memory.remote('alias-58'));
  });
});

describe('SSH: the demo\'s hosts leave the SSH files', () => {
  it('removes every block of a profile and its host keys; other profiles and the user\'s lines stay', async () => {
    const home = mkdtempSync(join(tmpdir(), 'modelarts-sshremote-'));
    temps.push(home);
    const env: SshEnvironment = { paths: sshPaths({ platform: 'linux', home }), home, platform: 'linux' };
    const write = (profile: string, notebookId: string, name: string, port: number): Promise<unknown> =>
      writeHost(env, { notebookId, notebookName: name, profile, address: { host: '127.0.0.1', port }, user: 'ma-user', keyFile: join(home, 'key.pem') });
    await write('Demo', 'nb-1', 'pytorch-dev', 2201);
    await write('Work', 'nb-9', 'train', 2299);
    await write('Demo', 'nb-2', 'resnet-finetune', 2202);
    writeFileSync(env.paths.hostsFile, `${readFileSync(env.paths.hostsFile, 'utf8')}\n# the user's own line\nHost mine\n  HostName example.test\n`);
    writeFileSync(
      env.paths.knownHosts,
      ['[127.0.0.1]:2201 ssh-ed25519 AAAAdemo1', '[127.0.0.1]:2299 ssh-ed25519 AAAAwork', '[127.0.0.1]:2202 ssh-ed25519 AAAAdemo2', ''].join('\n'),
    );

    assert.deepEqual((await readHosts(env.paths.hostsFile)).map((b) => b.profile), ['Demo', 'Work', 'Demo'], 'positive control: the demo blocks are there');
    const removed = await removeProfileHosts(env.paths, 'Demo');
    assert.deepEqual(removed.sort(), ['modelarts-pytorch-dev', 'modelarts-resnet-finetune']);
    assert.deepEqual((await readHosts(env.paths.hostsFile)).map((b) => b.alias), ['modelarts-train']);
    const hosts = readFileSync(env.paths.hostsFile, 'utf8');
    assert.match(hosts, /# the user's own line\nHost mine\n/);
    assert.doesNotMatch(hosts, /2201|2202/);
    assert.equal(readFileSync(env.paths.knownHosts, 'utf8'), '[127.0.0.1]:2299 ssh-ed25519 AAAAwork\n');

    assert.deepEqual(await removeProfileHosts(env.paths, 'Demo'), [], 'nothing left to remove');
    assert.deepEqual(await removeProfileHosts({ hostsFile: join(home, 'none'), knownHosts: join(home, 'none2') }, 'Demo'), [], 'no hosts file at all');
  });
});
