// The language model tools as the extension bundle holds them: one registration per tool the manifest
// contributes, handing each call to the tools feature, a bundle loaded on the first call (dist/dailyLoop.js).
// Agents call tools whatever their `when`: the feature checks the input and the sign-in on every call.

import * as vscode from 'vscode';
import { loadOnce } from '../loadOnce';
import type { ToolHost } from './toolsFeature';

interface ContributedTool {
  name: string;
}

export function registerTools(host: ToolHost): vscode.Disposable[] {
  // Hosts older than the API (it is stable from 1.95, the engine we ask for) simply get no tools.
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  const manifest = host.deps.context.extension.packageJSON as { contributes?: { languageModelTools?: ContributedTool[] } };
  const load = loadOnce(() => import('./toolsFeature').then((m) => m.createToolsFeature(host)));
  return (manifest.contributes?.languageModelTools ?? []).map(({ name }) =>
    vscode.lm.registerTool<unknown>(name, {
      prepareInvocation: async (options, token) => (await load()).prepare(name, options.input, token),
      invoke: async (options, token) => (await load()).invoke(name, options.input, token),
    }),
  );
}
