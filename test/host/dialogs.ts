import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DIALOGS_ENV, expectationFile, readJson, shownFile, unexpectedDialogs, writeJson, type DialogRecord } from './dialogProtocol';
import { waitFor } from './support';

// The extension host's side of the dialog answerer (test/host/dialogProtocol.ts): ask for a button, do what shows
// the dialog, read back what it showed. Only in code-server's run of the suite (test/e2e/tools.test.ts), which
// names the folder in MODELARTS_HOST_DIALOGS; elsewhere `available` is false.

export interface Answered<T> {
  /** What the dialog showed and the button pressed; undefined when no dialog was shown. */
  shown: DialogRecord | undefined;
  /** How `run` settled. */
  outcome: { ok: true; value: T } | { ok: false; error: unknown };
}

export class DialogAnswerer {
  private seq = 0;
  readonly dir: string | undefined = process.env[DIALOGS_ENV];

  get available(): boolean {
    return this.dir !== undefined && existsSync(this.dir);
  }

  /**
   * Asks for `button` on the next dialog, runs `run`, and returns how it settled and what the dialog showed.
   * A dialog's record is written right after its button is pressed, so it is polled for once `run` settles; when
   * none comes, the expectation is withdrawn (unless claimed meanwhile) and `shown` is undefined.
   */
  async answer<T>(button: 'Yes' | 'Cancel', run: () => Thenable<T>): Promise<Answered<T>> {
    const dir = this.dir;
    if (dir === undefined) throw new Error(`${DIALOGS_ENV} is not set: no dialog answerer runs beside this suite`);
    const seq = ++this.seq;
    const expectation = join(dir, expectationFile(seq));
    const shownPath = join(dir, shownFile(seq));
    writeJson(expectation, { seq, button });
    let outcome: Answered<T>['outcome'];
    try {
      outcome = { ok: true, value: await run() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    let claimed = true;
    if (existsSync(expectation)) {
      try {
        unlinkSync(expectation);
        claimed = false;
      } catch {
        // Claimed between the check and the unlink: its record follows.
      }
    }
    const shown = claimed ? await waitFor(`the answerer's record of dialog ${seq}`, () => readJson<DialogRecord>(shownPath), 15_000) : undefined;
    return { shown, outcome };
  }

  /** Dialogs answered "Cancel" because no test asked for them, so far. */
  unexpected(): DialogRecord[] {
    return this.dir === undefined ? [] : unexpectedDialogs(this.dir);
  }
}
