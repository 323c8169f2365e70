import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { writeJson } from './dialogProtocol';

// The main file of a small development extension that runs extension-host suites WITHOUT `extensionTestsPath`:
// with it the workbench refuses every dialog (a confirmation counts as confirmed and is never shown), so a suite
// that needs real dialogs (the language model tools' confirmations, answered by Playwright) runs from here.
// test/e2e/tools.test.ts writes the extension's package.json and loads it beside ModelArts Explorer; when
// mocha is done, the result goes to MODELARTS_HOST_RUNNER_OUT as `{ failures, report }`.

export const RUNNER_OUT_ENV = 'MODELARTS_HOST_RUNNER_OUT';
export const RUNNER_FILES_ENV = 'MODELARTS_HOST_RUNNER_FILES';

export interface RunnerResult {
  failures: number;
  /** Mocha's spec report. */
  report: string;
  error?: string;
}

export function activate(): void {
  const out = process.env[RUNNER_OUT_ENV];
  if (!out) return;
  const files = (process.env[RUNNER_FILES_ENV] ?? '').split(',').filter((f) => f !== '');
  const lines: string[] = [];
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const consoleLog = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    lines.push(format(...args));
    consoleLog(...args);
  };
  const finish = (result: RunnerResult): void => {
    base.consoleLog = consoleLog;
    writeJson(out, result);
  };
  try {
    const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000 });
    const grep = process.env.MODELARTS_HOST_GREP;
    if (grep) mocha.grep(grep);
    for (const file of files) mocha.addFile(join(__dirname, file));
    mocha.run((failures) => finish({ failures, report: lines.join('\n') }));
  } catch (error) {
    finish({ failures: 1, report: lines.join('\n'), error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

export function deactivate(): void {
  // Nothing to undo: the workbench closes with the test.
}
