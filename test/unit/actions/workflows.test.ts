import { contributionsOf } from '../helpers/manifest';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import { EXECUTION_STATUSES, STEP_STATUSES, type StepExecution } from '../../../src/api/types';
import { EXECUTION_ACTION_STATES, STEP_ACTION_STATES } from '../../../src/api/validate';
import {
  EventCursor,
  executionActionsFor,
  isExecutionFinal,
  stepActionsFor,
  stepSummary,
  streamExecutionEvents,
  type StreamEnd,
} from '../../../src/actions/workflows/executionEvents';
import { watchExecution } from '../../../src/commands/workflows/executionWatch';
import { localEventLine } from '../../../src/common/time';
import { englishL10n } from '../../../src/common/translate';
import type { WorkflowsFamily } from '../../../src/emulator/workflows';
import { SUBSCRIPTION_WORKFLOW_ID } from '../../../src/emulator/workflowsSeed';
import type { RunningEmulator } from '../../../src/emulator/server';
import { stateTag } from '../../../src/explorer/status';
import { WatchRegistry } from '../../../src/watch/watcher';
import { emulatorClient, signedFetch, startTestEmulator } from '../helpers/emulatorHelpers';

// Workflow actions without VS Code: the event cursor and step summaries, streaming an execution's events
// against the emulator across clock advances (a failed step, a rerun), the watch after an action, and the
// state tables the menus follow.

const WF = SUBSCRIPTION_WORKFLOW_ID;

async function until(done: () => boolean, turns = 5_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(done(), 'condition not reached');
}

async function run(clock: ManualClock, ms: number, stepMs: number, ended: () => boolean): Promise<void> {
  for (let left = ms; left > 0 && !ended(); left -= stepMs) {
    await clock.advance(Math.min(stepMs, left));
    await until(() => ended() || clock.pending > 0);
  }
}

const step = (step_name: string, status: string): StepExecution => ({ uuid: `u-${step_name}`, step_name, status, events: [] });

function shows(when: string, contextValue: string): boolean {
  assert.ok(when.startsWith('view == modelarts.explorer && '), when);
  const regexes = [...when.matchAll(/viewItem =~ \/([^/]+)\//g)].map((m) => new RegExp(m[1]));
  assert.ok(regexes.length > 0, when);
  if (regexes.length > 1) assert.ok(/&& \(viewItem =~ .*\)$/.test(when), `every || parenthesised: ${when}`);
  return regexes.some((r) => r.test(contextValue));
}

describe('workflow actions: cursor, summaries, states, menus', () => {
  it('the cursor hands out each event once, in order, as the list grows', () => {
    const c = new EventCursor();
    assert.deepEqual(c.take([]), { events: [], restarted: false });
    assert.deepEqual(c.take(['a', 'b']), { events: ['a', 'b'], restarted: false });
    assert.deepEqual(c.take(['a', 'b']), { events: [], restarted: false });
    assert.deepEqual(c.take(['a', 'b', 'c']), { events: ['c'], restarted: false });
    assert.equal(c.count, 3);
  });

  it('a list trimmed at the front continues after the last event seen; a list that started over is new', () => {
    const c = new EventCursor();
    c.take(['a', 'b', 'c']);
    assert.deepEqual(c.take(['c', 'd']), { events: ['d'], restarted: false });
    assert.deepEqual(c.take(['x']), { events: ['x'], restarted: true });
    assert.deepEqual(c.take(['x', 'y']), { events: ['y'], restarted: false });
    // Same length, different content: the seen part changed.
    assert.deepEqual(c.take(['p', 'q']), { events: ['p', 'q'], restarted: true });
    assert.deepEqual(c.take([]), { events: [], restarted: true });
    assert.deepEqual(c.take(['r']), { events: ['r'], restarted: false });
  });

  it('the step summary names every step with its state', () => {
    assert.equal(stepSummary([step('model_step', 'completed'), step('service_step', 'running')], englishL10n), 'steps: model_step completed, service_step running');
    assert.equal(stepSummary([], englishL10n), undefined);
  });

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
  let family: WorkflowsFamily;
  before(async () => {
    ({ emu, clock } = await startTestEmulator());
    client = emulatorClient(emu, clock);
    family = emu.families.find((f): f is WorkflowsFamily => 'failStep' in f)!;
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

  /** Streams into `batches` until the stream ends or is aborted. */
  const stream = (executionId: string, cursor: EventCursor, batches: string[][], signal = new AbortController().signal) => {
    let end: StreamEnd | undefined;
    const done = streamExecutionEvents({
      api: client.workflows,
      workflowId: WF,
      executionId,
      clock,
      cursor,
      baseIntervalMs: () => 5_000,
      l10n: englishL10n,
      append: (lines) => batches.push(lines),
      signal,
      // Shown in UTC: the service's China-time stamps move 8 hours back.
      offsetMinutes: 0,
    }).then((e) => (end = e));
    return { done, ended: () => end !== undefined };
  };

  const isEvent = (line: string): boolean => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d step /.test(line);

  it('streams every event exactly once and in order across clock advances, with a summary on each change and a closing line', async () => {
    const id = await newExecution();
    const cursor = new EventCursor();
    const batches: string[][] = [];
    const s = stream(id, cursor, batches);
    await until(() => clock.pending > 0);
    await run(clock, 10 * 60_000, 1_000, s.ended);
    assert.equal(await s.done, 'ended');
    const lines = batches.flat();
    const final = await client.workflows.getExecution(WF, id);
    assert.equal(final.status, 'completed');
    assert.ok(final.events.length >= 10);
    const inUtc = final.events.map((e) => localEventLine(e, { offsetMinutes: 0 }));
    assert.deepEqual(lines.filter(isEvent), inUtc, 'every event once, in order, its time in the shown zone');
    const [stamp, rest] = [final.events[0].slice(0, 19), final.events[0].slice(19)];
    assert.equal(lines.filter(isEvent)[0], `${new Date(Date.parse(`${stamp.replace(' ', 'T')}+08:00`)).toISOString().slice(0, 19).replace('T', ' ')}${rest}`);
    const summaries = lines.filter((l) => l.startsWith('steps: '));
    assert.ok(summaries.length >= 3, summaries.join('\n'));
    for (let i = 1; i < summaries.length; i++) assert.notEqual(summaries[i], summaries[i - 1], 'a summary only when a step changed');
    assert.equal(summaries.at(-1), 'steps: job_step completed, model_step completed, service_step completed');
    assert.equal(lines.at(-1), `Execution ${final.name}: Completed. Event streaming ended.`);
    assert.ok(batches.every((b) => b.length > 0), 'no empty appends');
    // Nothing read after the end.
    const served = gets(id);
    await clock.advance(5 * 60_000);
    await until(() => true);
    assert.equal(gets(id), served);
  });

  it('a failed step ends the stream abnormal; after a rerun the same cursor streams only the new events', async () => {
    const id = await newExecution();
    family.failStep(id, 'model_step');
    const cursor = new EventCursor();
    const first: string[][] = [];
    const s1 = stream(id, cursor, first);
    await until(() => clock.pending > 0);
    await run(clock, 10 * 60_000, 1_000, s1.ended);
    assert.equal(await s1.done, 'ended');
    const abnormal = await client.workflows.getExecution(WF, id);
    assert.equal(abnormal.status, 'abnormal');
    assert.match(first.flat().at(-1)!, /: Abnormal\. Event streaming ended\.$/);
    assert.ok(first.flat().includes('steps: job_step completed, model_step failed'), first.flat().join('\n'));

    await client.workflows.rerunExecution(WF, id, { currentStatus: 'abnormal' });
    const second: string[][] = [];
    const s2 = stream(id, cursor, second);
    await until(() => clock.pending > 0);
    await run(clock, 10 * 60_000, 1_000, s2.ended);
    assert.equal(await s2.done, 'ended');
    const done = await client.workflows.getExecution(WF, id);
    assert.equal(done.status, 'completed');
    const all = [...first.flat(), ...second.flat()].filter(isEvent);
    assert.deepEqual(all, done.events.map((e) => localEventLine(e, { offsetMinutes: 0 })), 'across the rerun: every event once, in order');
    assert.ok(second.flat().filter(isEvent).length > 0);
    assert.equal(second.flat().includes('(the event list started over)'), false);
  });

  it('[Q18] stopping the stream (abort) sends no further request', async () => {
    const id = await newExecution();
    const controller = new AbortController();
    const batches: string[][] = [];
    const s = stream(id, new EventCursor(), batches, controller.signal);
    await until(() => clock.pending > 0);
    await run(clock, 12_000, 1_000, s.ended);
    const served = gets(id);
    assert.ok(served >= 2, 'it was reading');
    controller.abort();
    assert.equal(await s.done, 'stopped');
    await clock.advance(5 * 60_000);
    await until(() => true);
    assert.equal(gets(id), served);
    assert.equal(batches.flat().some((l) => l.includes('event streaming ended')), false, 'the registry writes the closing line of a stop');
  });

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

