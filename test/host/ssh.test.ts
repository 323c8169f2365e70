import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/explorer/nodes/node';
import { activateWithDemo, waitFor } from './support';

// "Connect via SSH" in the extension host against the demo, whose SSH endpoint is a real sshd started by
// test/e2e/host.test.ts (MODELARTS_EXPLORER_DEMO_SSH; the private key's path in MODELARTS_HOST_SSH_KEY; HOME
// is a folder of the run, so ~/.ssh is the test's own). Remote-SSH cannot run here: the extension lookup and
// executeCommand are replaced while the suite runs, so the call that would open its window is recorded
// instead, with the extension "installed" and not.

const REMOTE_SSH = 'ms-vscode-remote.remote-ssh';
const NOTEBOOK = 'pytorch-dev';
const ALIAS = 'modelarts-pytorch-dev';

/** The stubs of this suite and what went through them. */
class Stage {
  remoteSshInstalled = true;
  /** What installing an extension answers: undefined (done), or the error of an editor without a gallery. */
  installError: Error | undefined;
  /** Answers of modal dialogs, in order; notifications are answered by `notify`. */
  readonly modal: string[] = [];
  notify: (text: string, buttons: string[]) => string | undefined = () => undefined;
  readonly picks: string[] = [];
  readonly shown: Array<{ kind: string; text: string; buttons: string[] }> = [];
  readonly calls: Array<{ id: string; args: unknown[] }> = [];
  openDialogs = 0;
  private readonly restore: Array<() => void> = [];

  constructor(private readonly keyFile: string) {}

  install(): void {
    const replace = (target: object, name: string, stub: unknown): void => {
      const record = target as Record<string, unknown>;
      const original = record[name];
      record[name] = stub;
      assert.equal(record[name], stub, `${name} cannot be replaced in this host`);
      this.restore.push(() => {
        record[name] = original;
      });
    };
    const originalGet = vscode.extensions.getExtension.bind(vscode.extensions);
    const originalExecute = vscode.commands.executeCommand.bind(vscode.commands);
    replace(vscode.extensions, 'getExtension', (id: string) => {
      if (id.toLowerCase() !== REMOTE_SSH) return originalGet(id);
      return this.remoteSshInstalled ? ({ id: REMOTE_SSH, isActive: false } as unknown as vscode.Extension<unknown>) : undefined;
    });
    replace(vscode.commands, 'executeCommand', (id: string, ...args: unknown[]) => {
      if (id === 'vscode.openFolder' || id === 'workbench.extensions.installExtension') {
        this.calls.push({ id, args });
        return id === 'workbench.extensions.installExtension' && this.installError ? Promise.reject(this.installError) : Promise.resolve(undefined);
      }
      return originalExecute(id, ...args);
    });
    const message = (kind: string) => (text: string, ...rest: unknown[]): Promise<string | undefined> => {
      const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as vscode.MessageOptions).modal === true;
      const buttons = rest.filter((r): r is string => typeof r === 'string');
      this.shown.push({ kind: modal ? 'modal' : kind, text, buttons });
      return Promise.resolve(modal ? this.modal.shift() : this.notify(text, buttons));
    };
    replace(vscode.window, 'showInformationMessage', message('info'));
    replace(vscode.window, 'showWarningMessage', message('warning'));
    replace(vscode.window, 'showErrorMessage', message('error'));
    replace(vscode.window, 'showOpenDialog', (options: vscode.OpenDialogOptions) => {
      this.openDialogs++;
      this.shown.push({ kind: 'open', text: options.title ?? '', buttons: [] });
      return Promise.resolve([vscode.Uri.file(this.keyFile)]);
    });
    replace(vscode.window, 'showQuickPick', async (items: unknown) => {
      const list = ((await (items as Thenable<readonly vscode.QuickPickItem[]>)) ?? []);
      const answer = this.picks.shift();
      return list.find((item) => item.label === answer);
    });
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0).reverse()) undo();
  }

  errors(): string[] {
    return this.shown.filter((s) => s.kind === 'error').map((s) => s.text);
  }

  reset(): void {
    this.shown.length = 0;
    this.calls.length = 0;
    this.notify = () => undefined;
  }
}

describe('Connect via SSH in the extension host (demo, real sshd)', function () {
  this.timeout(90_000);
  const keyFile = process.env.MODELARTS_HOST_SSH_KEY ?? '';
  const stage = new Stage(keyFile);
  const sshDir = join(homedir(), '.ssh');
  let api: ExtensionApi;

  const provider = (): vscode.TreeDataProvider<ExplorerNode> => api.explorer.provider;
  async function row(...path: string[]): Promise<ExplorerNode> {
    let parent: ExplorerNode | undefined;
    for (const label of path) {
      const nodes = (await provider().getChildren(parent)) ?? [];
      const items = await Promise.all(nodes.map(async (node) => ({ node, item: await provider().getTreeItem(node) })));
      const found = items.find(({ item }) => (typeof item.label === 'string' ? item.label : item.label?.label) === label);
      assert.ok(found, `no row "${label}" under ${JSON.stringify(path)}`);
      parent = found.node;
    }
    return parent!;
  }

  before(async function () {
    if (!keyFile || !existsSync(keyFile)) {
      console.log('#### SKIPPING the SSH extension-host tests: no sshd was started for this run (MODELARTS_HOST_SSH_KEY is not set)');
      this.skip();
    }
    assert.notEqual(homedir(), userInfo().homedir, 'HOME is a folder of the test run, never the real home');
    api = await activateWithDemo();
    stage.install();
  });

  after(async () => {
    stage.uninstall();
    for (const key of api?.watches.keys ?? []) api.watches.cancel(key);
    if (api?.sessions.demoEmulator) await api.sessions.stopDemo();
  });

  it('with Remote-SSH: asks for the key file and the Include line once, verifies, opens /home/ma-user/work in a new window', async () => {
    const node = await row('default', 'Notebooks', NOTEBOOK);
    const context = (await provider().getTreeItem(node)).contextValue ?? '';
    assert.match(context, /;notebook;running;.*;ssh;/, 'the row carries the ssh tag the menus look for');
    stage.modal.push('Add Include Line');
    await vscode.commands.executeCommand('modelarts.notebook.connectSsh', node);
    assert.deepEqual(stage.errors(), []);
    assert.equal(stage.openDialogs, 1, 'the key file was asked for');
    assert.match(stage.shown.find((s) => s.kind === 'open')?.text ?? '', /Private key file of key pair KeyPair-demo/);
    assert.deepEqual(stage.calls.map((c) => c.id), ['vscode.openFolder']);
    const [uri, options] = stage.calls[0].args as [vscode.Uri, { forceNewWindow?: boolean }];
    assert.equal(uri.scheme, 'vscode-remote');
    assert.equal(uri.authority, `ssh-remote+${ALIAS}`);
    assert.equal(uri.path, '/home/ma-user/work');
    assert.deepEqual(options, { forceNewWindow: true });

    const config = readFileSync(join(sshDir, 'config'), 'utf8');
    assert.deepEqual(config.split('\n').filter((line) => line.startsWith('Include ')), [`Include "${join(sshDir, 'modelarts_config')}"`], config);
    const hosts = readFileSync(join(sshDir, 'modelarts_config'), 'utf8');
    assert.match(hosts, new RegExp(`^Host ${ALIAS}$`, 'm'));
    assert.match(hosts, new RegExp(`^ {2}IdentityFile "${keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"$`, 'm'));
    assert.match(hosts, /^ {2}ForwardAgent no$/m);
    assert.match(readFileSync(join(sshDir, 'modelarts_known_hosts'), 'utf8'), /ssh-ed25519 /, 'ssh reached the sshd and kept its host key');

    // Again: nothing is asked, the same window opens.
    stage.reset();
    await vscode.commands.executeCommand('modelarts.notebook.connectSsh', node);
    assert.deepEqual(stage.errors(), []);
    assert.equal(stage.openDialogs, 1, 'the key file is remembered');
    assert.deepEqual(stage.shown.filter((s) => s.kind === 'modal'), [], 'the Include line is not asked again');
    assert.deepEqual(stage.calls.map((c) => c.id), ['vscode.openFolder']);
    assert.equal(readFileSync(join(sshDir, 'config'), 'utf8'), config, 'the user\'s config is not written twice');
  });

  it('without Remote-SSH in an editor that uses Open VSX (code-server): offers Open Remote - SSH and shows the command; Copy SSH Command copies it', async () => {
    stage.reset();
    stage.remoteSshInstalled = false;
    try {
      // This workbench is code-server, not Visual Studio Code: Microsoft's marketplace and its Remote - SSH are not there.
      assert.doesNotMatch(vscode.env.appName, /^Visual Studio Code/);
      const install = 'Install Open Remote - SSH';
      stage.notify = (_text, buttons) => (buttons.includes(install) ? install : undefined);
      await vscode.commands.executeCommand('modelarts.notebook.connectSsh', await row('default', 'Notebooks', NOTEBOOK));
      assert.deepEqual(stage.errors(), []);
      const offer = stage.shown.find((s) => s.buttons.includes(install));
      assert.ok(offer, JSON.stringify(stage.shown));
      assert.deepEqual(offer.buttons, [install, 'Copy SSH Command']);
      assert.match(offer.text, new RegExp(`The SSH connection to ${NOTEBOOK} works\\. This editor gets its extensions from Open VSX.*\\(jeanp413\\.open-remote-ssh\\).*: ssh ${ALIAS}$`));
      assert.deepEqual(stage.calls.map((c) => [c.id, ...c.args]), [['workbench.extensions.installExtension', 'jeanp413.open-remote-ssh']]);
      assert.ok(stage.shown.some((s) => /run "Connect via SSH" again/.test(s.text)), 'the install did not bring the extension here: say what to do next');

      // No gallery at all (code-server started without one): the failure is explained in words a user acts on.
      stage.reset();
      stage.installError = new Error('No extension gallery service configured.');
      stage.notify = (_text, buttons) => (buttons.includes(install) ? install : undefined);
      await vscode.commands.executeCommand('modelarts.notebook.connectSsh', await row('default', 'Notebooks', NOTEBOOK));
      assert.deepEqual(stage.errors(), [], 'no "Connect via SSH failed: No extension gallery service configured"');
      assert.ok(
        stage.shown.some((s) => s.kind === 'warning' && /could not install jeanp413\.open-remote-ssh: it has no extension marketplace it can reach.*: ssh /.test(s.text) && s.buttons.includes('Copy SSH Command')),
        JSON.stringify(stage.shown),
      );
      stage.installError = undefined;

      stage.reset();
      await vscode.env.clipboard.writeText('before');
      assert.equal(await vscode.env.clipboard.readText(), 'before', 'the clipboard works here (control)');
      stage.picks.push(NOTEBOOK);
      await vscode.commands.executeCommand('modelarts.notebook.copySshCommand');
      assert.equal(await vscode.env.clipboard.readText(), `ssh ${ALIAS}`);
      assert.ok(stage.shown.some((s) => s.text === `Copied: ssh ${ALIAS}`));
      assert.deepEqual(stage.calls, [], 'copying opens nothing');
    } finally {
      stage.remoteSshInstalled = true;
      stage.installError = undefined;
    }
  });

  it('a stopped notebook: offers to start it, and connects once it runs', async () => {
    stage.reset();
    const client = api.sessions.current!.client;
    const node = await row('default', 'Notebooks', NOTEBOOK);
    const id = (node as unknown as { key: string }).key;
    await client.notebooks.stop(id);
    await waitFor('the notebook to stop', async () => (await client.notebooks.get(id)).status === 'STOPPED');
    stage.modal.push('Start and Connect');
    stage.picks.push('1 hour');
    await vscode.commands.executeCommand('modelarts.notebook.connectSsh', node);
    assert.deepEqual(stage.errors(), []);
    assert.ok(stage.shown.some((s) => s.kind === 'modal' && /is not running \(Stopped\)\. Start it and connect once it runs\?/.test(s.text)), JSON.stringify(stage.shown));
    assert.equal((await client.notebooks.get(id)).status, 'RUNNING');
    assert.deepEqual(stage.calls.map((c) => c.id), ['vscode.openFolder']);
  });
});
