import type { Page } from 'playwright-core';
import { answerInput, notification, pick, runCommand, until, waitForQuickInput } from './workbench';

// "ModelArts: Sign In" from the palette, as a user answers it: method, credentials, region, profile name.

export type SignInAnswers =
  | { method: 'aksk'; ak: string; sk: string; securityToken?: string }
  | { method: 'password'; username: string; password: string; domain: string };

export interface SignInEntered {
  /** The profile name the box suggested (and Enter accepted). */
  profile: string;
  /** The region the picker marked "current setting" (what the extension read from the settings). */
  currentRegion: string | undefined;
}

const METHOD_LABELS = {
  aksk: 'Access Key (AK/SK)',
  temporary: 'Temporary Access Key (AK/SK + security token)',
  password: 'IAM User Password',
};

/**
 * Answers every step up to the profile name (`profile`, or the suggested one); what follows is the caller's to
 * wait for.
 */
export async function enterSignIn(page: Page, answers: SignInAnswers, region: string, profile?: string): Promise<SignInEntered> {
  await runCommand(page, 'ModelArts: Sign In');
  if (answers.method === 'password') {
    await pick(page, 'How do you want to sign in?', METHOD_LABELS.password);
    await answerInput(page, 'IAM user name', answers.username);
    await answerInput(page, 'Password', answers.password);
    await answerInput(page, 'Account name (domain)', answers.domain);
  } else {
    await pick(page, 'How do you want to sign in?', answers.securityToken === undefined ? METHOD_LABELS.aksk : METHOD_LABELS.temporary);
    await answerInput(page, 'Access Key ID (AK)', answers.ak);
    await answerInput(page, 'Secret Access Key (SK)', answers.sk);
    if (answers.securityToken !== undefined) await answerInput(page, 'Security Token', answers.securityToken);
  }
  await waitForQuickInput(page, 'Huawei Cloud region of this profile');
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await until('the region list', async () => (await rows.count()) > 0);
  const currentRegion = await rows.evaluateAll((rows) =>
    rows
      .find((row) => row.querySelector('.label-description')?.textContent?.includes('current setting'))
      ?.querySelector('.label-name')
      ?.textContent?.trim(),
  );
  await pick(page, 'Huawei Cloud region of this profile', region);
  await waitForQuickInput(page, 'Profile name');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  if (profile !== undefined) await box.fill(profile);
  const name = await box.inputValue();
  await page.keyboard.press('Enter');
  return { profile: name, currentRegion };
}

/** Signs in and waits for the "Signed in" message naming the profile. */
export async function signIn(page: Page, answers: SignInAnswers, region: string, profile?: string): Promise<SignInEntered> {
  const entered = await enterSignIn(page, answers, region, profile);
  await notification(page, `Signed in to ModelArts as ${entered.profile} (${region}).`).waitFor({ timeout: 60_000 });
  return entered;
}
