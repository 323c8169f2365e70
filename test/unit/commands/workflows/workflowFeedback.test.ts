import { createdChannels, shown } from '../../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { actionSentMessage, rerunConfirmation } from '../../../../src/commands/workflows/actionMessages';
import { createWorkflowActions } from '../../../../src/commands/workflows/workflowActions';
import type { ActionDeps } from '../../../../src/commands/actionDeps';
import { englishL10n } from '../../../../src/common/translate';
import type { ExplorerNode } from '../../../../src/explorer/nodes/node';
import { OutputStreams } from '../../../../src/watch/streams';
import { WatchRegistry } from '../../../../src/watch/watcher';
import { withRig, type ExplorerRig } from '../../helpers/explorerRig';

// The workflow actions through their real commands, against the demo emulator, with a window that records
// what it shows: each action says at once that it was sent (naming the step or execution, and what follows),
// and the rerun confirmation is worded for the execution's state.

const l10n = englishL10n;

describe('workflow actions: the words', () => {
  it('a completed execution reruns from the start; a stopped or abnormal one reruns what did not complete', () => {
    assert.deepEqual(rerunConfirmation('execution-064', 'wf', 'completed', l10n), { message: 'Rerun execution execution-064 of wf from the start?', detail: 'Every step runs again.' });
    for (const status of ['stopped', 'abnormal']) {
      assert.deepEqual(rerunConfirmation('execution-001', 'wf', status, l10n), {
        message: 'Rerun execution execution-001 of wf?',
        detail: 'Its steps that did not complete, and the steps after them, run again.',
      });
    }
  });

  it('the sent message names the action, the step and the execution, what follows, and where the events stream', () => {
    assert.equal(actionSentMessage({ on: 'step', action: 'continue', step: 'train' }, 'execution-064', undefined, l10n), 'Continue sent to step train of execution-064. You are told when the execution ends.');
    assert.equal(actionSentMessage({ on: 'step', action: 'retry', step: 'train' }, 'execution-064', undefined, l10n), 'Retry sent to step train of execution-064. You are told when the execution ends.');
    assert.equal(actionSentMessage({ on: 'step', action: 'stop', step: 'train' }, 'execution-064', undefined, l10n), 'Stop sent to step train of execution-064. You are told when the execution ends.');
    assert.equal(actionSentMessage({ on: 'execution', action: 'stop' }, 'execution-064', undefined, l10n), 'Stop sent to execution execution-064. You are told when it ends.');
    assert.equal(
      actionSentMessage({ on: 'execution', action: 'rerun' }, 'execution-064', 'ModelArts Events: execution-064', l10n),
      'Rerun sent to execution execution-064. You are told when it ends. Its events stream to ModelArts Events: execution-064.',
    );
  });
});

interface ActionsRig {
  rig: ExplorerRig;
  watches: WatchRegistry;
  streams: OutputStreams;
  run: (id: string, arg: ExplorerNode) => Promise<void>;
  /** POSTs to the workflow actions so far. */
  posts: () => string[];
}

async function withActions(test: (a: ActionsRig) => Promise<void>): Promise<void> {
  await withRig(async (rig) => {
    shown.clear();
    const watches = new WatchRegistry({ clock: rig.clock, baseIntervalMs: () => 5_000 });
    const streams = new OutputStreams();
    const deps = {
      sessions: { current: rig.model.session, onDidChange: () => ({ dispose: () => undefined }) },
      explorer: { model: rig.model },
      log: rig.log,
      redactor: rig.redactor,
      watches,
      streams,
    } as unknown as ActionDeps;
    const actions = createWorkflowActions(deps);
    const run = async (id: string, arg: ExplorerNode): Promise<void> => {
      const command = actions.commands.find((c) => c.id === id);
      assert.ok(command, id);
      await command.run(arg);
    };
    try {
      await test({ rig, watches, streams, run, posts: () => rig.served(/^POST .*\/actions$/) });
    } finally {
      actions.dispose();
      watches.dispose();
      streams.dispose();
    }
  });
}

async function rowAt(rig: ExplorerRig, ...labels: string[]): Promise<ExplorerNode> {
  let node: ExplorerNode | undefined;
  for (const label of labels) node = await rig.row(node, label);
  assert.ok(node);
  return node;
}

const infos = (): string[] => shown.messages.filter((m) => m.kind === 'info').map((m) => m.message);

describe('workflow actions: feedback against the emulator', () => {
  it('Continue Step says at once that it was sent and what follows; the end is said only when it comes', () =>
    withActions(async ({ rig, run, posts }) => {
      const step = await rowAt(rig, 'default', 'Workflows', 'workflow-service-infer', 'execution-005', 'service_step');
      assert.equal(step.view().description, 'Waiting for inputs');
      await run('modelarts.step.continue', step);
      assert.equal(posts().length, 1, 'one action sent');
      assert.deepEqual(shown.progress, ['Continuing service_step…']);
      const sent = shown.messages.at(-1);
      assert.equal(sent?.message, 'Continue sent to step service_step of execution-005. You are told when the execution ends.');
      assert.deepEqual(sent?.buttons, ['Stream Events'], 'offers the events, which are not streaming');
      assert.equal(sent?.modal, false);
      // The step goes on; the execution then waits for the next step's inputs, so it has not ended.
      await rig.runFor(5 * 60_000, 5_000);
      assert.equal(step.view().description, 'Completed', 'the row followed the step');
      assert.ok(!infos().some((m) => m.includes('ended')), infos().join('\n'));
    }));

  it('Stop Step: Stream Events on its message streams the events; the end is said; a rerun then says where the events stream', () =>
    withActions(async ({ rig, run, streams }) => {
      const step = await rowAt(rig, 'vision-team', 'Workflows', 'train-and-deploy', 'execution-002', 'job_step');
      const execution = await rowAt(rig, 'vision-team', 'Workflows', 'train-and-deploy', 'execution-002');
      assert.equal(step.view().description, 'Running');
      shown.answers.push('Stop', 'Stream Events');
      await run('modelarts.step.stop', step);
      const [confirmation, sent] = shown.messages;
      assert.equal(confirmation?.message, 'Stop step job_step of execution-002?');
      assert.equal(sent?.message, 'Stop sent to step job_step of execution-002. You are told when the execution ends.');
      assert.deepEqual(sent?.buttons, ['Stream Events']);
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(streams.keys.length, 1, 'the button started the events stream');
      const channel = createdChannels.find((c) => c.name === 'ModelArts Events: execution-002');
      assert.match(channel?.text ?? '', /^Streaming the events of execution-002 \(.+, workflow train-and-deploy\); times are local \(UTC([+-]\d\d:\d\d)?\)…\n/);
      await rig.runFor(5 * 60_000, 5_000);
      assert.ok(infos().includes('Execution execution-002 of train-and-deploy ended: Stopped.'), infos().join('\n'));
      assert.equal(execution.view().description, 'Stopped');
      const before = shown.messages.length;
      shown.answers.push('Rerun');
      await run('modelarts.execution.rerun', execution);
      const [ask, rerunSent] = shown.messages.slice(before);
      assert.equal(ask?.message, 'Rerun execution execution-002 of train-and-deploy?', 'not from the start: it stopped');
      assert.equal(ask?.detail, 'Its steps that did not complete, and the steps after them, run again.');
      assert.equal(rerunSent?.message, 'Rerun sent to execution execution-002. You are told when it ends. Its events stream to ModelArts Events: execution-002.');
      assert.deepEqual(rerunSent?.buttons, []);
    }));

  it('Rerun of a completed execution asks to rerun it from the start; declining sends nothing', () =>
    withActions(async ({ rig, run, posts }) => {
      const execution = await rowAt(rig, 'default', 'Workflows', 'workflow_model_service_no_modify_xiahou_copy', 'execution-064');
      assert.equal(execution.view().description, 'Completed');
      await run('modelarts.execution.rerun', execution).catch(() => undefined);
      assert.equal(shown.messages.length, 1);
      assert.equal(shown.messages[0]?.message, 'Rerun execution execution-064 of workflow_model_service_no_modify_xiahou_copy from the start?');
      assert.equal(shown.messages[0]?.detail, 'Every step runs again.');
      assert.equal(posts().length, 0, 'declined: nothing sent');
      shown.answers.push('Rerun');
      await run('modelarts.execution.rerun', execution);
      assert.equal(posts().length, 1, 'confirmed: one action sent');
      assert.equal(shown.messages.at(-1)?.message, 'Rerun sent to execution execution-064. You are told when it ends.');
    }));

  it('Retry Step and Stop Execution each say they were sent', () =>
    withActions(async ({ rig, run, posts }) => {
      const failed = await rowAt(rig, 'nlp-research', 'Workflows', 'nlp-finetune-pipeline', 'execution-001', 'train_step');
      assert.equal(failed.view().description, 'Failed');
      shown.answers.push('Retry');
      await run('modelarts.step.retry', failed);
      assert.equal(shown.messages.at(-1)?.message, 'Retry sent to step train_step of execution-001. You are told when the execution ends.');
      const execution = await rowAt(rig, 'nlp-research', 'Workflows', 'nlp-finetune-pipeline', 'execution-001');
      await rig.runFor(10_000, 5_000);
      assert.equal(execution.view().description, 'Running', 'the retry runs the execution again');
      shown.answers.push('Stop');
      await run('modelarts.execution.stop', execution);
      assert.equal(shown.messages.at(-1)?.message, 'Stop sent to execution execution-001. You are told when it ends.');
      assert.equal(posts().length, 2);
    }));
});
