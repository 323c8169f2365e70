import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { claimExpectation, shownFile, unexpectedFile, writeJson, type DialogRecord } from '../../host/dialogProtocol';
import { answerDialog } from './workbench';

/**
 * Answers the workbench's modal dialogs until `stopped()`, for tests running in the extension host
 * (test/host/dialogProtocol.ts): each with the button the oldest open expectation asks for, or "Cancel" when none
 * does (recorded as unexpected, so the host test can fail on it); a dialog without the asked button is closed
 * with Escape and the error recorded. Resolves with how many dialogs were answered as asked.
 *
 * Only where the workbench shows dialogs: with `extensionTestsPath` in the payload (test/e2e/host.test.ts) its
 * dialog service refuses every dialog (a confirmation is taken as confirmed without being shown).
 */
export async function answerDialogs(page: Page, dir: string, stopped: () => boolean): Promise<number> {
  const box = page.locator('.monaco-dialog-box');
  let asked = 0;
  let unexpected = 0;
  while (!stopped() && !page.isClosed()) {
    const present = await box.waitFor({ state: 'attached', timeout: 500 }).then(
      () => true,
      () => false,
    );
    if (!present || stopped()) continue;
    const expectation = claimExpectation(dir);
    const button = expectation?.button ?? 'Cancel';
    let record: DialogRecord;
    try {
      record = { ...(await answerDialog(page, button, 5_000)), answered: button };
    } catch (error) {
      const text = async (selector: string): Promise<string> => ((await box.locator(selector).first().textContent({ timeout: 1_000 }).catch(() => '')) ?? '').trim();
      record = {
        message: await text('.dialog-message-text'),
        detail: await text('.dialog-message-detail'),
        buttons: (await box.locator('.dialog-buttons .monaco-button').allTextContents().catch(() => [])).map((b) => b.trim()),
        answered: 'Escape',
        error: error instanceof Error ? error.message : String(error),
      };
      await page.keyboard.press('Escape').catch(() => undefined);
      await box.waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    }
    if (expectation) {
      asked++;
      writeJson(join(dir, shownFile(expectation.seq)), record);
    } else {
      writeJson(join(dir, unexpectedFile(++unexpected)), record);
    }
  }
  return asked;
}
