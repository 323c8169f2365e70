import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// How an extension-host test and the Playwright side of test/e2e/tools.test.ts agree on the workbench's modal
// dialogs (the host cannot click one): files in the folder named by MODELARTS_HOST_DIALOGS. The host writes an
// expectation (`expect-<seq>.json`: the button to press) before it does what shows a dialog; Playwright claims the
// oldest expectation when a dialog appears (renames it to `claimed-<seq>.json`, so a withdrawn and a claimed
// expectation never mix), presses its button and writes what the dialog showed (`shown-<seq>.json`). A dialog
// nobody expected is answered "Cancel" and written as `unexpected-<n>.json`. No vscode here: both sides load it.

export const DIALOGS_ENV = 'MODELARTS_HOST_DIALOGS';

export interface DialogRecord {
  message: string;
  detail: string;
  buttons: string[];
  /** The button pressed. */
  answered: string;
  /** Set when the dialog could not be answered as asked (no such button). */
  error?: string;
}

export interface Expectation {
  seq: number;
  button: string;
}

const pad = (n: number): string => String(n).padStart(6, '0');
export const expectationFile = (seq: number): string => `expect-${pad(seq)}.json`;
export const shownFile = (seq: number): string => `shown-${pad(seq)}.json`;

export function writeJson(path: string, value: unknown): void {
  // Written whole under another name and renamed: the other side never reads half a file.
  writeFileSync(`${path}.tmp`, JSON.stringify(value));
  renameSync(`${path}.tmp`, path);
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Claims the oldest open expectation (Playwright's side); undefined when there is none. */
export function claimExpectation(dir: string): Expectation | undefined {
  for (const name of readdirSync(dir).filter((n) => /^expect-\d+\.json$/.test(n)).sort()) {
    const claimed = join(dir, name.replace(/^expect-/, 'claimed-'));
    try {
      renameSync(join(dir, name), claimed);
    } catch {
      continue; // withdrawn meanwhile
    }
    const expectation = readJson<Expectation>(claimed);
    if (expectation) return expectation;
  }
  return undefined;
}

/** The dialogs answered "Cancel" because no test asked for them, oldest first. */
export function unexpectedDialogs(dir: string): DialogRecord[] {
  return readdirSync(dir)
    .filter((n) => /^unexpected-\d+\.json$/.test(n))
    .sort()
    .map((n) => readJson<DialogRecord>(join(dir, n)))
    .filter((r): r is DialogRecord => r !== undefined);
}

export function unexpectedFile(n: number): string {
  return `unexpected-${pad(n)}.json`;
}
