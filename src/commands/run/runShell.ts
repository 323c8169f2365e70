// Run on ModelArts as the extension bundle holds it: the command, handing over to the feature itself, a bundle
// loaded on its first use (dist/dailyLoop.js).

import * as vscode from 'vscode';
import { COMMAND } from '../ids';
import { loadOnce } from '../loadOnce';
import type { CommandSpec } from '../registry';
import type { RunFeature, RunHost } from './runFeature';

export function createRunShell(host: RunHost): { commands: CommandSpec[]; load(): Promise<RunFeature>; dispose(): void } {
  const load = loadOnce(() => import('./runFeature').then((m) => m.createRunFeature(host)));
  return {
    load,
    commands: [{ id: COMMAND.runFolder, title: vscode.l10n.t('Run on ModelArts'), run: async (...args) => (await load()).run(args) }],
    dispose: () => void load.started()?.then((f) => f.dispose()),
  };
}
