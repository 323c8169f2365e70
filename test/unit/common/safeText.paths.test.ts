import { createdChannels, shown } from '../helpers/vscodeStandIn';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import { MemoryLogger } from '../../../src/api/log';
import { createRedactor } from '../../../src/api/redact';
import type { TrainingJob } from '../../../src/api/types';
import { createNotebookActions } from '../../../src/commands/notebooks/notebookActions';
import { submitOutcome } from '../../../src/commands/specs/jobs';
import { createTrainingActions } from '../../../src/commands/training/trainingActions';
import { createWorkflowActions } from '../../../src/commands/workflows/workflowActions';
import { pickTrainingJob, pickWorkspace } from '../../../src/commands/workspace/pickers';
import { statusBarView } from '../../../src/auth/statusBar';
import type { ActionDeps } from '../../../src/commands/actionDeps';
import { reportFailure } from '../../../src/commands/registry';
import type { ExtensionLogger } from '../../../src/common/logger';
import { labelText } from '../../../src/common/safeText';
import type { ActiveSession } from '../../../src/common/session';
import { englishL10n } from '../../../src/common/translate';
import { DEMO_NOTEBOOK_IDS } from '../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../src/emulator/server';
import { OutputStreams } from '../../../src/watch/streams';
import { WatchRegistry } from '../../../src/watch/watcher';
import { startTrainingRig, type TrainingRig } from '../helpers/trainingRig';
import { emulatorClient, startTestEmulator } from '../helpers/emulatorHelpers';
import { ALL, HOSTILE_VALUES, LINK, MEGABYTE, assertInert, hostileInterceptor } from '../helpers/hostile';

// Q24: every path that shows server text, with hostile values in every server field it shows (error_msg and
// solution, names, descriptions, tags, a notebook's failure reason, a training task's and an image build's
// message), through the real commands and the window the stand-in records: every notification, modal, pick,
// input box, progress title and output line is inert on its surface, and still says what the server said.

const logger = (): ExtensionLogger => Object.assign(new MemoryLogger(), { channel: undefined, show: () => undefined }) as unknown as ExtensionLogger;

/** Everything the window was asked to show since `shown.clear()`, each checked on its own surface. */
function assertAllShownInert(where: string): void {
  for (const [i, m] of shown.messages.entries()) {
    assertInert(m.message, 'message', `${where}: message ${i}`);
    assertInert(m.detail, 'message', `${where}: detail of message ${i}`);
    for (const b of m.buttons) assertInert(b, 'message', `${where}: a button of message ${i}`);
  }
  for (const [i, title] of shown.progress.entries()) assertInert(title, 'message', `${where}: progress title ${i}`);
  for (const [i, pick] of shown.picks.entries()) {
    // A QuickInput's title and placeholder are plain text (textContent, an attribute).
    assertInert(pick.title, 'label', `${where}: the title of pick ${i}`);
    assertInert(pick.placeHolder, 'label', `${where}: the placeholder of pick ${i}`);
    for (const item of pick.items) {
      assertInert(item.label, 'pick', `${where}: an item label of pick ${i}`);
      assertInert(item.description, 'pick', `${where}: an item description of pick ${i}`);
      assertInert(item.detail, 'pick', `${where}: an item detail of pick ${i}`);
    }
  }
  for (const [i, input] of shown.inputs.entries()) {
    assertInert(input.title, 'label', `${where}: the title of input ${i}`);
    assertInert(input.placeHolder, 'label', `${where}: the placeholder of input ${i}`);
    assertInert(input.prompt, 'prompt', `${where}: the prompt of input ${i}`);
    for (const v of input.validation) assertInert(typeof v === 'string' ? v : (v as { message: string }).message, 'prompt', `${where}: a validation message of input ${i}`);
  }
  for (const [i, text] of shown.statusBar.entries()) assertInert(text, 'pick', `${where}: status bar message ${i}`);
}

/** Every line written to the channels created since `from`: one event a line, nothing hidden. */
function assertChannelsInert(from: number, where: string): number {
  let lines = 0;
  for (const channel of createdChannels.slice(from)) {
    for (const line of channel.text.split('\n')) {
      assertInert(line, 'line', `${where}: a line of ${channel.name}`);
      lines++;
    }
  }
  return lines;
}

const allText = (): string => [...shown.messages.map((m) => `${m.message} ${m.detail ?? ''}`), ...shown.progress, ...shown.picks.flatMap((p) => p.items.map((i) => `${i.label} ${i.description ?? ''} ${i.detail ?? ''}`))].join('\n');

async function settle(clock: ManualClock, until: () => boolean, stepMs = 1_000, maxMs = 600_000): Promise<void> {
  for (let t = 0; t <= maxMs && !until(); t += stepMs) {
    for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    if (until()) return;
    await clock.advance(stepMs);
  }
  for (let i = 0; i < 50; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('[Q24] server text on every message path', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: ModelArtsClient;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
    client = emulatorClient(emu, clock, { retry: { maxAttempts: 1 } });
  });
  after(async () => {
    client.dispose();
    await emu.close();
  });

  it('[Q24] a failed command: hostile error_msg, error_solution and error_code make an inert toast that still says them', async () => {
    for (const [name, value] of HOSTILE_VALUES) {
      for (const demo of [false, true]) {
        shown.clear();
        emu.faults.clear();
        emu.faults.add({ service: 'modelarts', method: 'GET', path: '/workspaces/[^/]+$', status: 400, body: { error_code: `ModelArts.4104 ${value === MEGABYTE ? 'x' : value}`, error_msg: value, error_solution: value } });
        const error: unknown = await client.workspaces.get('0').then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error, `${name}: the request failed`);
        await reportFailure(logger(), 'Show Details', error, { demo });
        assert.equal(shown.messages.length, 1, name);
        const toast = shown.messages[0];
        assert.equal(toast.kind, 'error');
        assert.ok(toast.message.startsWith('Show Details failed: '), toast.message.slice(0, 200));
        assertInert(toast.message, 'message', `${name}${demo ? ' (demo)' : ''}: the failure toast`);
        if (value === LINK || value === ALL) assert.ok(toast.message.includes('Renew key pair'), `still readable: ${toast.message.slice(0, 300)}`);
      }
    }
    emu.faults.clear();
  });

  it('[Q24] a submitted job that failed: the task message in its notification is inert', () => {
    const job = (message: string): TrainingJob =>
      ({
        kind: 'job',
        metadata: { id: 'job-1', name: `train ${ALL}` },
        status: { phase: 'Failed', tasks: ['worker-0'], task_statuses: [{ task: 'worker-0', exit_code: 1, message }] },
      });
    for (const [name, value] of HOSTILE_VALUES) {
      const outcome = submitOutcome(job(value), englishL10n);
      assertInert(outcome.message, 'message', `${name}: the submitted job's failure`);
    }
  });

  it('[Q24] the status bar: a profile name or region from a settings file shows no icon but the extension\'s own', () => {
    for (const [name, value] of HOSTILE_VALUES.filter(([n]) => n !== '1 MB')) {
      const view = statusBarView({ kind: 'signedIn', profile: `team ${value}`, region: value });
      const text = view.text.for('pick');
      assertInert(text, 'pick', `${name}: the status bar text`, { ownIcons: ['cloud'] });
      assertInert(view.tooltip.for('label'), 'label', `${name}: the status bar tooltip`);
      assert.match(text, /^\$\(cloud\) /, 'the extension\'s own icon stays');
    }
  });
});

describe('[Q24] notebook actions with hostile names and failure reasons', () => {
  it('[Q24] Start Notebook from the palette: the pick, the duration pick, the progress, the START_FAILED toast and the output lines are inert', async () => {
    const { emu, clock } = await startTestEmulator();
    const plain = emulatorClient(emu, clock);
    const hostile = hostileInterceptor(emu.endpoint, { keys: (k) => k === 'name' || k === 'description' });
    const client = emulatorClient(emu, clock, { interceptor: hostile, retry: { maxAttempts: 1 } });
    const watches = new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
    const session: ActiveSession = { profile: 'test', region: emu.region, client, demo: false, serviceClock: clock };
    const deps = {
      sessions: { current: session, onDidChange: () => ({ dispose: () => undefined }) },
      explorer: { model: undefined },
      log: logger(),
      redactor: createRedactor(),
      watches,
      walkthrough: { reached: () => undefined },
    } as unknown as ActionDeps;
    const actions = createNotebookActions(deps);
    const channels = createdChannels.length;
    try {
      const id = DEMO_NOTEBOOK_IDS.yoloLabeling;
      assert.equal((await plain.notebooks.get(id)).status, 'STOPPED');
      assert.ok(emu.notebooks.failNextStart(id, `Insufficient GPU. ${ALL}`));
      shown.clear();
      shown.pickAnswers.push((item) => item.detail === id, () => true);
      const start = actions.commands.find((c) => c.id === 'modelarts.notebook.start');
      await start!.run();
      await settle(clock, () => shown.messages.some((m) => m.kind === 'error'));
      assert.ok(hostile.changed > 0, 'the names came hostile');
      assert.ok(shown.messages.some((m) => m.kind === 'error' && m.message.includes('Insufficient GPU')), JSON.stringify(shown.messages).slice(0, 500));
      assertAllShownInert('Start Notebook');
      assert.ok(allText().includes('Renew key pair'), 'still readable');
      const lines = assertChannelsInert(channels, 'Start Notebook');
      assert.ok(lines > 0, 'lines were written');
    } finally {
      actions.dispose();
      watches.dispose();
      client.dispose();
      plain.dispose();
      await emu.close();
    }
  });
});

describe('[Q24] training job actions with hostile names, tags and build messages', () => {
  let rig: TrainingRig;
  let client: ModelArtsClient;
  let watches: WatchRegistry;
  let streams: OutputStreams;
  let actions: ReturnType<typeof createTrainingActions>;
  let job: TrainingJob;
  const run = async (id: string): Promise<void> => {
    const command = actions.commands.find((c) => c.id === id);
    assert.ok(command, id);
    await command.run();
  };
  before(async () => {
    rig = await startTrainingRig();
    job = await rig.runningJob('q24-job');
    await rig.client.trainingJobs.addTags(job.metadata.id, [{ key: 'team', value: 'vision' }]);
    const hostile = hostileInterceptor(rig.emu.endpoint, { keys: (k) => ['name', 'description', 'key', 'value', 'values', 'message'].includes(k) });
    client = emulatorClient(rig.emu, rig.clock, { interceptor: hostile, retry: { maxAttempts: 1 } });
    watches = new WatchRegistry({ clock: rig.clock, baseIntervalMs: () => 1_000, maxMs: 1_000 });
    streams = new OutputStreams();
    const session: ActiveSession = { profile: 'test', region: rig.emu.region, client, demo: false, serviceClock: rig.clock };
    const deps = {
      sessions: { current: session, onDidChange: () => ({ dispose: () => undefined }) },
      explorer: { model: undefined },
      log: logger(),
      redactor: createRedactor(),
      watches,
      streams,
      walkthrough: { reached: () => undefined },
    } as unknown as ActionDeps;
    actions = createTrainingActions(deps);
  });
  after(async () => {
    actions.dispose();
    streams.dispose();
    watches.dispose();
    client.dispose();
    await rig.close();
  });

  it('[Q24] Save Image to SWR that fails: the job pick, the inputs, the progress, the failure toast and the Images lines are inert', async () => {
    shown.clear();
    const channels = createdChannels.length;
    const task = job.status.tasks[0];
    rig.training.failNextSaveImage(job.metadata.id, task, `no space left on device ${ALL}`);
    shown.pickAnswers.push((item) => item.detail === job.metadata.id, () => true);
    shown.inputAnswers.push('img', 'team', 'v1', '');
    const done = run('modelarts.trainingJob.saveImage');
    await settle(rig.clock, () => shown.messages.some((m) => m.kind === 'error'));
    await done;
    assert.ok(shown.messages.some((m) => m.kind === 'error' && m.message.startsWith('Saving the image failed')), JSON.stringify(shown.messages).slice(0, 500));
    assertAllShownInert('Save Image to SWR');
    assert.ok(assertChannelsInert(channels, 'Save Image to SWR') > 0);
  });

  it('[Q24] Remove Tag: the tags in the pick are inert', async () => {
    shown.clear();
    shown.pickAnswers.push((item) => item.detail === job.metadata.id);
    // The tag pick is dismissed: nothing is removed.
    await run('modelarts.trainingJob.removeTag').catch((error: unknown) => assert.equal((error as Error).message, 'cancelled'));
    assert.ok(shown.picks.length >= 2, 'the job pick, then the tag pick');
    assert.ok(shown.picks[1].items.some((i) => i.label.includes('team')), JSON.stringify(shown.picks[1]).slice(0, 300));
    assertAllShownInert('Remove Tag');
  });

  it('[Q24] Stop Training Job: the confirmation, the progress and the ended notification are inert', async () => {
    shown.clear();
    shown.pickAnswers.push((item) => item.detail === job.metadata.id);
    shown.answers.push('Stop');
    await run('modelarts.trainingJob.stop');
    await settle(rig.clock, () => shown.messages.some((m) => m.message.includes('ended')));
    assert.ok(shown.messages.some((m) => m.modal), 'asked first');
    assert.ok(shown.messages.some((m) => m.message.includes('ended')), JSON.stringify(shown.messages).slice(0, 500));
    assertAllShownInert('Stop Training Job');
  });
});

describe('[Q24] workflow actions with hostile workflow, execution and step names', () => {
  it('[Q24] Stop Execution and Retry Step from the palette: picks, confirmations, progress and notifications are inert', async () => {
    const { emu, clock } = await startTestEmulator();
    const plain = emulatorClient(emu, clock);
    const hostile = hostileInterceptor(emu.endpoint, { keys: (k) => ['name', 'workflow_name', 'step_name', 'step_title', 'description'].includes(k) });
    const client = emulatorClient(emu, clock, { interceptor: hostile, retry: { maxAttempts: 1 } });
    const watches = new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
    const streams = new OutputStreams();
    const session: ActiveSession = { profile: 'test', region: emu.region, client, demo: false, serviceClock: clock };
    const deps = {
      sessions: { current: session, onDidChange: () => ({ dispose: () => undefined }) },
      explorer: { model: undefined },
      log: logger(),
      redactor: createRedactor(),
      watches,
      streams,
    } as unknown as ActionDeps;
    const actions = createWorkflowActions(deps);
    const run = async (id: string): Promise<void> => {
      const command = actions.commands.find((c) => c.id === id);
      assert.ok(command, id);
      await command.run();
    };
    try {
      const workflows = await plain.workflows.list({ pageSize: 50 }).loadNext();
      const wf = workflows.find((w) => w.name === 'train-and-deploy');
      assert.ok(wf);
      const executions = await plain.workflows.executions(wf.workflow_id, { pageSize: 50 }).loadNext();
      const running = executions.find((e) => e.status === 'running');
      assert.ok(running, 'a running execution');
      shown.clear();
      shown.pickAnswers.push((item) => item.detail === wf.workflow_id, (item) => item.detail === running.execution_id);
      shown.answers.push('Stop');
      await run('modelarts.execution.stop');
      await settle(clock, () => shown.messages.some((m) => m.message.includes('ended')), 5_000);
      assert.ok(shown.messages.length >= 2, JSON.stringify(shown.messages).slice(0, 500));
      assertAllShownInert('Stop Execution');
      assert.ok(allText().includes('Renew key pair'), 'still readable');
    } finally {
      actions.dispose();
      streams.dispose();
      watches.dispose();
      client.dispose();
      plain.dispose();
      await emu.close();
    }
  });
});

describe('[Q24] the palette\'s workspace and job picks with hostile names', () => {
  it('[Q24] Pick a workspace, then a training job: labels, descriptions and details are inert', async () => {
    const { emu, clock } = await startTestEmulator();
    const hostile = hostileInterceptor(emu.endpoint, { keys: (k) => ['name', 'description', 'status', 'phase'].includes(k) });
    const client = emulatorClient(emu, clock, { interceptor: hostile, retry: { maxAttempts: 1 } });
    const session: ActiveSession = { profile: 'test', region: emu.region, client, demo: false, serviceClock: clock };
    const deps = { explorer: { model: undefined, view: { selection: [] } } } as unknown as ActionDeps;
    try {
      shown.clear();
      shown.pickAnswers.push((item) => item.description === '0');
      const ws = await pickWorkspace(deps, session, undefined, labelText('Workspace'));
      assert.equal(ws.id, '0');
      shown.pickAnswers.push((item) => item.description === '0', () => true);
      await pickTrainingJob(deps, session, undefined, labelText('Job')).catch(() => undefined);
      assert.ok(shown.picks.length >= 2, `${shown.picks.length} picks`);
      assertAllShownInert('the palette\'s picks');
    } finally {
      client.dispose();
      await emu.close();
    }
  });
});
