// Training job specs: New Training Job Spec, Submit Training Job, Export as Spec and Clone and Resubmit, which
// share the checker of the Problems panel built here.

import * as vscode from 'vscode';
import type { ActionDeps } from '../actionDeps';
import type { CommandSpec } from '../registry';
import { cloneCommand, exportSpecCommand } from './exportSpec';
import { newSpecCommand } from './newSpec';
import { submitCommand } from './submitSpec';
import { createSpecDiagnostics, type SpecDiagnostics } from './specDiagnostics';

export function createSpecActions(deps: ActionDeps): { commands: CommandSpec[]; diagnostics: SpecDiagnostics; dispose(): void } {
  const diagnostics = createSpecDiagnostics(vscode.Uri.joinPath(deps.context.extensionUri, 'schemas', 'training-job-spec.schema.json'), deps.log);
  const specDeps = { ...deps, diagnostics };
  return {
    commands: [newSpecCommand(specDeps), submitCommand(specDeps), exportSpecCommand(specDeps), cloneCommand(specDeps)],
    diagnostics,
    dispose: () => {
      diagnostics.dispose();
    },
  };
}
