import { commandsSeen, shown } from '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import { askText, confirm, pickOne, requireSession } from '../../../src/commands/prompts';
import { CancelledByUser } from '../../../src/commands/registry';
import { pickText, promptText, safeL10n } from '../../../src/common/safeText';
import type { ActiveSession } from '../../../src/common/session';
import { englishL10n } from '../../../src/common/translate';

// The prompts every command asks through, on the vscode stand-in: one signed-out behaviour, and every
// dismissed prompt ends the command quietly (CancelledByUser, which the wrapper keeps silent).

const l10n = safeL10n(englishL10n);
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('prompts', () => {
  beforeEach(() => {
    shown.clear();
    commandsSeen.clear();
  });

  it('signed out: an information message with Sign In, which runs the sign-in, and a quiet end', async () => {
    shown.answers.push('Sign In');
    assert.throws(() => requireSession({ current: undefined }), CancelledByUser);
    await settle();
    assert.deepEqual(shown.messages, [{ kind: 'info', message: 'Sign in to ModelArts first.', modal: false, buttons: ['Sign In'] }]);
    assert.deepEqual(commandsSeen.executed, [{ id: 'modelarts.signIn', args: [] }]);
    shown.clear();
    commandsSeen.clear();
    assert.throws(() => requireSession({ current: undefined }), CancelledByUser);
    await settle();
    assert.deepEqual(commandsSeen.executed, [], 'dismissed: nothing runs');
  });

  it('signed in: the session, and nothing shown', () => {
    const session = { profile: 'p' } as ActiveSession;
    assert.equal(requireSession({ current: session }), session);
    assert.deepEqual(shown.messages, []);
  });

  it('askText: the answer, checked by its validation; dismissed: a quiet end', async () => {
    shown.inputAnswers.push('bad name');
    const answer = await askText({ prompt: l10n.t('Name'), validateInput: (value) => (value.includes(' ') ? promptText('No spaces.') : undefined) });
    assert.equal(answer, 'bad name');
    assert.deepEqual(shown.inputs[0]?.validation, ['No spaces.']);
    shown.inputAnswers.push('good');
    assert.equal(await askText({ validateInput: (value) => (value.includes(' ') ? promptText('No spaces.') : undefined) }), 'good');
    assert.deepEqual(shown.inputs[1]?.validation, []);
    await assert.rejects(askText({}), CancelledByUser);
  });

  it('pickOne: the item picked; dismissed: a quiet end', async () => {
    const items = [{ label: pickText('One'), n: 1 }, { label: pickText('Two'), n: 2 }];
    shown.pickAnswers.push((item) => item.label === 'Two');
    assert.equal((await pickOne(items)).n, 2);
    await assert.rejects(pickOne(items), CancelledByUser);
  });

  it('confirm: a modal warning that goes ahead only on its button', async () => {
    shown.answers.push('Stop');
    await confirm(l10n.t('Stop it?'), l10n.t('Stop'), { detail: l10n.t('It cannot be resumed.') });
    assert.deepEqual(shown.messages[0], { kind: 'warning', message: 'Stop it?', detail: 'It cannot be resumed.', modal: true, buttons: ['Stop'] });
    await assert.rejects(confirm(l10n.t('Stop it?'), l10n.t('Stop')), CancelledByUser);
  });
});
