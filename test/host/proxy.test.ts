import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { createClient } from '../../src/api/client';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server';

// The client has no proxy code of its own: in the extension host, VS Code's proxy support (`http.proxy`,
// `http.proxySupport` "override" by default) patches Node's http and https modules and puts its proxy agent
// in place of the client's. This checks that it does: the endpoint's host name resolves nowhere, so the
// call only succeeds through the proxy, which forwards to the emulator on loopback.

const UNRESOLVABLE = 'modelarts.proxy-check.invalid';

/** A forward proxy for plain HTTP: takes absolute-form requests and sends them to loopback on the same port. */
function startProxy(seen: string[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    seen.push(target.host);
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('Proxies through VS Code (http.proxy)', function () {
  this.timeout(60_000);
  const seen: string[] = [];
  let proxy: http.Server;
  let emulator: RunningEmulator;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('http');

  before(async () => {
    proxy = await startProxy(seen);
    // The emulator answers only the Host names it owns: the proxied name is made one of them.
    emulator = await startEmulator({ port: 0, iamPort: 0, hostNames: [UNRESOLVABLE] });
  });

  after(async () => {
    await config().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    proxy.close();
    await emulator.close();
  });

  it('[Q21] sends the client’s requests through the proxy set in http.proxy', async () => {
    const port = (address: string): string => new URL(address).port;
    const client = createClient({
      region: emulator.region,
      endpoint: `http://${UNRESOLVABLE}:${port(emulator.endpoint)}`,
      iamEndpoint: `http://${UNRESOLVABLE}:${port(emulator.iamEndpoint)}`,
      credentials: { kind: 'aksk', ak: emulator.credentials.ak, sk: emulator.credentials.sk },
      projectId: emulator.projectId,
      retry: { maxAttempts: 1 },
    });
    try {
      // Control: without a proxy the host name does not resolve.
      await assert.rejects(client.workspaces.list({ pageSize: 10 }).loadNext(), /could not be resolved|ENOTFOUND|EAI_AGAIN/);
      assert.equal(seen.length, 0, "nothing went through a proxy yet");

      const changed = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidChangeConfiguration((event) => {
          if (event.affectsConfiguration('http.proxy')) {
            listener.dispose();
            resolve();
          }
        });
      });
      await config().update('proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
      await changed;
      const page = await client.workspaces.list({ pageSize: 10 }).loadNext();
      assert.ok(page.length > 0, 'workspaces listed through the proxy');
      assert.ok(seen.includes(`${UNRESOLVABLE}:${port(emulator.endpoint)}`), `the proxy saw the request: ${seen.join(', ')}`);
    } finally {
      client.dispose();
    }
  });
});
