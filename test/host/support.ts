import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';

// What the extension-host suites share: waiting in real time (the extension's own clock and pollers run
// here), and the extension activated with the demo signed in.

export const EXTENSION_ID = 'modelarts-explorer.modelarts-explorer';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 100 ms until it returns something other than undefined or false. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Activates the extension and runs "Try the Demo"; resolves once the demo session is current. */
export async function activateWithDemo(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await vscode.commands.executeCommand('modelarts.demo.start');
  await waitFor('the demo session', () => api.sessions.current?.demo);
  return api;
}
