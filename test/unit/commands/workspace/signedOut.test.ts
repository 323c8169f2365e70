import { commandsSeen, shown } from '../../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import type { ActionDeps } from '../../../../src/commands/actionDeps';
import { CancelledByUser } from '../../../../src/commands/registry';
import { createAppCommand } from '../../../../src/commands/workspace/createApp';
import { updateQuotaCommand, type WorkspaceCommandDeps } from '../../../../src/commands/workspace/updateQuota';

// Signed out, the workspace commands behave as every command does: the information message with Sign In
// (it was a warning before), and a quiet end before anything is asked or sent.

const signedOut = { sessions: { current: undefined } } as unknown as WorkspaceCommandDeps & Pick<ActionDeps, 'sessions'>;

describe('workspace commands, signed out', () => {
  beforeEach(() => {
    shown.clear();
    commandsSeen.clear();
  });

  for (const command of [updateQuotaCommand(signedOut), createAppCommand(signedOut)]) {
    it(`${command.id}: Sign In offered in an information message, nothing else asked`, async () => {
      await assert.rejects(Promise.resolve().then(() => command.run()), CancelledByUser);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(shown.messages, [{ kind: 'info', message: 'Sign in to ModelArts first.', modal: false, buttons: ['Sign In'] }]);
      assert.deepEqual([shown.picks.length, shown.inputs.length], [0, 0]);
    });
  }
});
