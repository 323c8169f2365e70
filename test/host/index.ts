import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

// The extension-host test index, as @vscode/test-electron and VS Code's extensionTestsPath expect it: `run()`
// loads every sibling *.test.js into mocha and settles when they are done (rejects when one failed).
// MODELARTS_HOST_GREP narrows the run to matching test titles.

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000 });
  const grep = process.env.MODELARTS_HOST_GREP;
  if (grep) mocha.grep(grep);
  // deactivate.test.js deactivates the extension: it runs last.
  const last = 'deactivate.test.js';
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort((a, b) => Number(a === last) - Number(b === last) || a.localeCompare(b));
  for (const name of files) mocha.addFile(join(__dirname, name));
  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
