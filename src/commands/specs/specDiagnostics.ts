// Problems of open training job specs in the Problems panel, from the checker Submit uses: on open, as the
// user types (debounced), cleared on close. A document is a spec by its name (*.modelarts-job.json|yaml|yml)
// or because one of the spec commands opened or checked it. The schema file is read, and the checker's bundle
// (with the YAML library's for YAML) loaded, when the first spec is checked: never during activation.

import * as vscode from 'vscode';
import type { Logger } from '../../api/log';
import { SPEC_FILE_PATTERN, specFormatOf } from './spec';
import type { JsonSchema, SpecCheck } from './specCheck';

const DEBOUNCE_MS = 300;
/** Documents a user edits (a git diff's old side is left alone). */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export interface SpecDiagnostics {
  /** Checks the document now, shows its problems, and keeps checking it while it is open. */
  check(document: vscode.TextDocument): Promise<SpecCheck>;
  /** The same for a document a spec command opened, whatever its name: checked in a moment. */
  adopt(document: vscode.TextDocument): void;
  schema(): Promise<JsonSchema>;
  dispose(): void;
}

export function createSpecDiagnostics(schemaUri: vscode.Uri, log: Logger): SpecDiagnostics {
  const collection = vscode.languages.createDiagnosticCollection('modelarts');
  const adopted = new Set<string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let schema: Promise<JsonSchema> | undefined;

  const loadSchema = (): Promise<JsonSchema> =>
    (schema ??= Promise.resolve(vscode.workspace.fs.readFile(schemaUri)).then(
      (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as JsonSchema,
      (error: unknown) => {
        schema = undefined;
        throw error;
      },
    ));

  const isSpec = (document: vscode.TextDocument): boolean =>
    SCHEMES.has(document.uri.scheme) && (SPEC_FILE_PATTERN.test(document.uri.path) || adopted.has(document.uri.toString()));

  const check = async (document: vscode.TextDocument): Promise<SpecCheck> => {
    if (!document.isClosed) adopted.add(document.uri.toString());
    const [{ checkSpecText }, loaded] = await Promise.all([import('./specCheck'), loadSchema()]);
    const result = checkSpecText(document.getText(), specFormatOf(document.languageId, document.fileName), loaded, vscode.l10n);
    if (!document.isClosed) {
      collection.set(
        document.uri,
        result.problems.map((problem) => {
          const range = new vscode.Range(document.positionAt(problem.start), document.positionAt(problem.end));
          const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
          diagnostic.source = 'ModelArts';
          diagnostic.code = problem.code;
          return diagnostic;
        }),
      );
    }
    return result;
  };

  const schedule = (document: vscode.TextDocument, delayMs: number): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        check(document).catch((error: unknown) => log.warn(`Checking ${key} failed: ${error instanceof Error ? error.message : String(error)}`));
      }, delayMs),
    );
  };

  const forget = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.delete(key);
    adopted.delete(key);
    collection.delete(document.uri);
  };

  const listeners = [
    vscode.workspace.onDidOpenTextDocument((document) => isSpec(document) && schedule(document, 0)),
    vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length > 0 && isSpec(event.document) && schedule(event.document, DEBOUNCE_MS)),
    vscode.workspace.onDidCloseTextDocument(forget),
  ];
  // Specs already open when the extension starts are checked a moment later, not during activation.
  for (const document of vscode.workspace.textDocuments) if (isSpec(document)) schedule(document, DEBOUNCE_MS);

  return {
    check,
    adopt: (document) => {
      adopted.add(document.uri.toString());
      schedule(document, 0);
    },
    schema: loadSchema,
    dispose: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      for (const listener of listeners) listener.dispose();
      collection.dispose();
    },
  };
}
