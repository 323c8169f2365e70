import { commandsSeen, createdChannels, shown, type RecordingChannel } from '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { ModelArtsError } from '../../../src/api/errors';
import { createRedactor } from '../../../src/api/redact';
import { CancelledByUser, registerCommands, type FailureContext } from '../../../src/commands/registry';
import { createExtensionLogger, type ExtensionLogger } from '../../../src/common/logger';

// The one wrapper every command runs through, on the vscode stand-in: the failure toast's wording and
// buttons, what each button does, silence on cancelling, and the full error in the log with secrets out.

const SECRET = 'sk-0123456789abcdef';

interface Run {
  log: ExtensionLogger;
  channel: RecordingChannel;
  /** Registers one command that throws `error`, runs it, and waits for the toast and its button. */
  fail(error: unknown, context?: FailureContext): Promise<void>;
}

function rig(): Run {
  const log = createExtensionLogger(createRedactor([SECRET]));
  const channel = createdChannels[createdChannels.length - 1];
  assert.ok(channel);
  return {
    log,
    channel,
    async fail(error, context = {}) {
      const [registration] = registerCommands([{ id: 'modelarts.test.fails', title: 'Stop Training Job', run: () => {
        throw error;
      } }], log, () => context);
      const handler = commandsSeen.registered.get('modelarts.test.fails');
      assert.ok(handler, 'registered under its id');
      assert.equal(await handler(), undefined, 'a failed command resolves: VS Code shows nothing of its own');
      // The toast is not awaited by the command: let it and its button's command run.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      registration?.dispose();
    },
  };
}

const apiError = (init: Partial<ConstructorParameters<typeof ModelArtsError>[0]> = {}): ModelArtsError =>
  new ModelArtsError({ kind: 'http', status: 404, code: 'ModelArts.2763', message: 'The training job does not exist.', ...init });

describe('the command wrapper', () => {
  beforeEach(() => {
    shown.clear();
    commandsSeen.clear();
  });

  it('a failure is one error toast: `<Title> failed: <message> (<code>)`, with Show Log', async () => {
    const run = rig();
    await run.fail(apiError());
    assert.deepEqual(shown.messages, [{ kind: 'error', message: 'Stop Training Job failed: The training job does not exist. (ModelArts.2763)', modal: false, buttons: ['Show Log'] }]);
    shown.clear();
    await run.fail(new Error('disk full'));
    assert.equal(shown.messages[0]?.message, 'Stop Training Job failed: disk full', 'no code: nothing in brackets');
    shown.clear();
    await run.fail(apiError({ solution: 'Check the job id.' }));
    assert.equal(shown.messages[0]?.message, 'Stop Training Job failed: The training job does not exist. (ModelArts.2763) Check the job id.', 'the documented solution follows');
  });

  it('Show Log shows the log, only when pressed', async () => {
    const run = rig();
    await run.fail(apiError());
    assert.equal(run.channel.shownCount, 0, 'dismissed: the log stays where it is');
    shown.answers.push('Show Log');
    await run.fail(apiError());
    assert.equal(run.channel.shownCount, 1);
  });

  it('a refused credential offers Sign In, which runs the sign-in; other failures do not', async () => {
    const run = rig();
    await run.fail(apiError({ status: 500, code: 'ModelArts.0001', message: 'Internal error.' }));
    assert.deepEqual(shown.messages[0]?.buttons, ['Show Log']);
    for (const refused of [apiError({ status: 401, code: 'APIGW.0301', message: 'Incorrect IAM authentication information.' }), apiError({ status: 403 }), apiError({ kind: 'auth', status: 0, code: 'auth' })]) {
      shown.clear();
      commandsSeen.executed.length = 0;
      shown.answers.push('Sign In');
      await run.fail(refused);
      assert.deepEqual(shown.messages[0]?.buttons, ['Sign In', 'Show Log'], refused.message);
      assert.deepEqual(commandsSeen.executed, [{ id: 'modelarts.signIn', args: [] }]);
    }
  });

  it('in demo mode the way forward is Restart the Demo, never Sign In', async () => {
    const run = rig();
    shown.answers.push('Restart the Demo');
    await run.fail(apiError({ status: 401, code: 'APIGW.0301', message: 'Refused.' }), { demo: true });
    const [toast] = shown.messages;
    assert.deepEqual(toast?.buttons, ['Restart the Demo', 'Show Log']);
    assert.match(toast?.message ?? '', /^Stop Training Job failed: Refused\. \(APIGW\.0301\) \(Demo mode: /);
    assert.deepEqual(commandsSeen.executed, [{ id: 'modelarts.demo.start', args: [{ restart: true }] }]);
  });

  it('cancelling stays silent: no toast, one debug line; a real failure beside it does show', async () => {
    const run = rig();
    const abort = new Error('The operation was aborted');
    abort.name = 'AbortError';
    for (const cancelled of [new CancelledByUser(), new vscode.CancellationError(), apiError({ kind: 'aborted', status: 0, code: 'aborted' }), abort]) await run.fail(cancelled);
    assert.deepEqual(shown.messages, []);
    assert.equal(run.channel.text.match(/modelarts\.test\.fails: cancelled/g)?.length, 4);
    assert.doesNotMatch(run.channel.text, /\[error\]/);
    await run.fail(new Error('boom'));
    assert.equal(shown.messages.length, 1, 'the same command failing for real shows its toast');
  });

  it('the log has the full error, its secrets replaced', async () => {
    const run = rig();
    await run.fail(new Error(`token ${SECRET} refused`));
    assert.match(run.channel.text, /\[error\] Stop Training Job failed: Error: token \*\*\* refused/);
    assert.ok(!run.channel.text.includes(SECRET), 'the secret never reaches the log');
    await run.fail(apiError({ requestId: 'req-1' }));
    assert.match(run.channel.text, /Stop Training Job failed: The training job does not exist\. \(ModelArts\.2763, HTTP 404, request id req-1\)/, 'an API error is logged with its status and request id');
  });
});
