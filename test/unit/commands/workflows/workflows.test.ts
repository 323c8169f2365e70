import { contributionsOf, menuShows as shows } from '../../helpers/manifest';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../../src/api/client';
import type { ManualClock } from '../../../../src/api/clock';
import { EXECUTION_STATUSES, STEP_STATUSES } from '../../../../src/api/types';
import { EXECUTION_ACTION_STATES, STEP_ACTION_STATES } from '../../../../src/api/validate';
import { executionActionsFor, isExecutionFinal, stepActionsFor } from '../../../../src/watch/executionEvents';
import { watchExecution } from '../../../../src/commands/workflows/executionWatch';
import { SUBSCRIPTION_WORKFLOW_ID } from '../../../../src/emulator/workflows/seed';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { stateTag } from '../../../../src/explorer/status';
import { WatchRegistry } from '../../../../src/watch/watcher';
import { emulatorClient, signedFetch, startTestEmulator } from '../../helpers/emulatorHelpers';
import { advanceInSteps as run } from '../../helpers/clockSteps';

// Workflow actions without VS Code: the watch after an action against the emulator, and the state tables the
// menus follow (streaming an execution's events is tested in test/unit/watch/executionEvents.test.ts).

const WF = SUBSCRIPTION_WORKFLOW_ID;

describe('workflow actions: states, menus', () => {
  it('actions by state follow the tables of validate.ts; only init and running are not final', () => {
    assert.deepEqual(executionActionsFor('running'), ['stop']);
    assert.deepEqual(executionActionsFor('init'), ['stop']);
    for (const s of ['completed', 'stopped', 'abnormal']) assert.deepEqual(executionActionsFor(s), ['rerun']);
    assert.deepEqual(stepActionsFor('wait_inputs'), ['stop', 'continue']);
    assert.deepEqual(stepActionsFor('failed'), ['retry']);
    assert.deepEqual(stepActionsFor('completed'), []);
    assert.deepEqual(stepActionsFor(undefined), []);
    for (const s of EXECUTION_STATUSES) assert.equal(isExecutionFinal(s), s !== 'init' && s !== 'running', s);
  });

  it('the workflow menus offer each action in exactly the states where it applies', () => {
    const c = contributionsOf(['modelarts.execution.', 'modelarts.step.']);
    const ids = ['modelarts.execution.streamEvents', 'modelarts.execution.stop', 'modelarts.execution.rerun', 'modelarts.step.stop', 'modelarts.step.retry', 'modelarts.step.continue'];
    assert.deepEqual(c.commands.map((x) => x.command).sort(), [...ids].sort());
    for (const cmd of c.commands) assert.ok(c.zh[cmd.title], `zh title for ${cmd.title}`);
    const menus = c.menus['view/item/context'];
    const check = (id: string, kind: string, statuses: readonly string[], applies: (s: string) => boolean): void => {
      const entries = menus.filter((m) => m.command === id);
      assert.ok(entries.length > 0, id);
      for (const status of statuses) {
        for (const entry of entries) assert.equal(shows(entry.when, `;resource;${kind};${stateTag(status)};refreshable;`), applies(status), `${id} on ${status}`);
      }
      for (const entry of entries) assert.equal(shows(entry.when, ';resource;notebook;running;refreshable;'), false, `${id} never on a notebook`);
    };
    check('modelarts.execution.streamEvents', 'execution', EXECUTION_STATUSES, () => true);
    check('modelarts.execution.stop', 'execution', EXECUTION_STATUSES, (s) => EXECUTION_ACTION_STATES.stop.includes(s));
    check('modelarts.execution.rerun', 'execution', EXECUTION_STATUSES, (s) => EXECUTION_ACTION_STATES.rerun.includes(s));
    check('modelarts.step.stop', 'step', STEP_STATUSES, (s) => STEP_ACTION_STATES.stop.includes(s));
    check('modelarts.step.retry', 'step', STEP_STATUSES, (s) => STEP_ACTION_STATES.retry.includes(s));
    check('modelarts.step.continue', 'step', STEP_STATUSES, (s) => STEP_ACTION_STATES.continue.includes(s));
  });
});

describe('workflow actions against the emulator', () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: ModelArtsClient;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
    client = emulatorClient(emu, clock);
  });
  after(async () => {
    client.dispose();
    await emu.close();
  });

  const newExecution = async (): Promise<string> => {
    const res = await signedFetch(emu, 'POST', `/v2/{pid}/workflows/${WF}/executions`, { body: {} });
    assert.equal(res.status, 201, res.text);
    return res.json.execution_id as string;
  };

  const gets = (executionId: string): number => emu.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/executions/${executionId}`)).length;

  it('after stop, the execution is watched until stopped; the row is redrawn on each change', async () => {
    const id = await newExecution();
    await clock.advance(3_000);
    const ex = await client.workflows.getExecution(WF, id);
    assert.equal(ex.status, 'running');
    await client.workflows.stopExecution(WF, id, { currentStatus: ex.status });
    const watches = new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
    const changes: string[] = [];
    let ended = false;
    const watch = watchExecution({ api: client.workflows, watches, key: `execution:t/${id}`, workflowId: WF, executionId: id, onChange: (e) => changes.push(e.status ?? '') });
    void watch.done.then(() => (ended = true));
    await run(clock, 5 * 60_000, 1_000, () => ended);
    const result = await watch.done;
    assert.equal(result.status === 'final' && result.value.status, 'stopped');
    assert.equal(changes.at(-1), 'stopped');
    assert.equal(watches.has(`execution:t/${id}`), false);
  });

  it('a final state read before the action shows does not end the watch at once', async () => {
    const id = await newExecution();
    await clock.advance(5 * 60_000);
    assert.equal((await client.workflows.getExecution(WF, id)).status, 'completed');
    const watches = new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
    let ended = false;
    const watch = watchExecution({ api: client.workflows, watches, key: `execution:t2/${id}`, workflowId: WF, executionId: id, settleReads: 3 });
    void watch.done.then(() => (ended = true));
    const before = gets(id);
    await run(clock, 10 * 60_000, 1_000, () => ended);
    assert.equal((await watch.done).status, 'final');
    assert.equal(gets(id) - before, 3, 'three final reads in a row end it');
  });
});

