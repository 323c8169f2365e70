import assert from 'node:assert/strict';
import * as net from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, sleep, waitFor } from './support';
import type { ExtensionApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/explorer/nodes/node';

// Quality 18 in the real extension host: while a log follow and the tree's polling send requests,
// `deactivate()` of the loaded extension module is called as VS Code calls it on shutdown; it is timed, and
// no request may start afterwards. The index runs this file last: the extension stays deactivated.



/**
 * Listens on the ports the demo emulator used, once it has closed them, and counts connections: a request
 * started after deactivate() would arrive here. (Counting inside the process is no option: the extension host
 * hands each extension its own wrapped copy of Node's http modules.)
 */
async function listenOn(ports: readonly number[]): Promise<{ connections: () => number; seen: string[]; close: () => Promise<void> }> {
  let connections = 0;
  // The request lines that arrived, so a failure names what was sent.
  const seen: string[] = [];
  const servers: net.Server[] = [];
  for (const port of ports) {
    const server = net.createServer((socket) => {
      connections++;
      socket.once('data', (data) => {
        seen.push(data.toString('latin1').split('\r\n')[0]);
        socket.destroy();
      });
      setTimeout(() => socket.destroy(), 500);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    servers.push(server);
  }
  return {
    connections: () => connections,
    seen,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

describe('Deactivate in the extension host', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let listener: Awaited<ReturnType<typeof listenOn>> | undefined;

  /** The first child whose label (or, with `byDescription`, description) matches. */
  async function child(parent: ExplorerNode | undefined, match: RegExp, byDescription = false): Promise<ExplorerNode> {
    const nodes = (await api.explorer.provider.getChildren(parent)) ?? [];
    for (const node of nodes) {
      const item = await api.explorer.provider.getTreeItem(node);
      const text = byDescription ? item.description : typeof item.label === 'string' ? item.label : item.label?.label;
      if (typeof text === 'string' && match.test(text)) return node;
    }
    throw new Error(`no row matching ${String(match)}`);
  }

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    if (!api.sessions.current?.demo) {
      await vscode.commands.executeCommand('modelarts.demo.start');
      await waitFor('the demo session', () => api.sessions.current?.demo);
    }
  });

  after(async () => listener?.close());

  it('[Q18] deactivate(): returns promptly, and no request starts after it (positive control: requests before)', async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!;
    const emulator = api.sessions.demoEmulator;
    assert.ok(emulator, 'the demo emulator runs');
    const ports = [Number(new URL(emulator.endpoint).port), Number(new URL(emulator.iamEndpoint).port)];
    const served = (): number => emulator.requests.filter((r) => r.service !== 'admin').length;

    const jobs = await child(await child(undefined, /^default$/), /^Training Jobs$/);
    const task = await child(await child(jobs, /^Running/, true), /./);
    await vscode.commands.executeCommand('modelarts.trainingJob.followLogs', task);
    assert.ok(api.streams.keys.some((k) => k.startsWith('logs:')), 'a log follow runs');
    // Positive control: the follow polls (every 2 s in this profile), so requests do start while it runs.
    const before = served();
    await waitFor('requests from the follow', () => served() >= before + 2, 20_000);
    const sentBefore = served() - before;

    // The module VS Code loaded (the same instance: its follow is the one that stops).
    const loaded = createRequire(__filename)(join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    const t0 = performance.now();
    await loaded.deactivate();
    const ms = performance.now() - t0;
    assert.deepEqual(api.streams.keys, [], 'every stream stopped');
    assert.equal(api.sessions.demoEmulator, undefined, 'the demo emulator ended');
    listener = await listenOn(ports);
    await sleep(3_000);
    assert.equal(listener.connections(), 0, `no request after deactivate(), yet: ${JSON.stringify(listener.seen)}`);
    console.log(
      `[figure Q18] deactivate() returned in ${ms.toFixed(1)} ms [< 2 s] with a log follow and the demo running; ` +
        `${sentBefore} requests while following, 0 connections in the 3 s after it returned`,
    );
    assert.ok(ms < 30_000);
  });
});
