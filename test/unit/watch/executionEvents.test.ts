import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import type { StepExecution } from '../../../src/api/types';
import { localEventLine } from '../../../src/common/time';
import { englishL10n } from '../../../src/common/translate';
import type { RunningEmulator } from '../../../src/emulator/server';
import type { WorkflowsFamily } from '../../../src/emulator/workflows';
import { SUBSCRIPTION_WORKFLOW_ID } from '../../../src/emulator/workflows/seed';
import { EventCursor, stepSummary, streamExecutionEvents, type StreamEnd } from '../../../src/watch/executionEvents';
import { MemorySink } from '../helpers/trainingRig';
import { emulatorClient, signedFetch, startTestEmulator } from '../helpers/emulatorHelpers';
import { advanceInSteps as run, turnsUntil as until } from '../helpers/clockSteps';

// A workflow execution's events without VS Code: the event cursor and step summaries, streaming against the
// emulator across clock advances (a failed step, a rerun, a stop), and the same capped output as a job's log:
// a channel never holds more than the line cap, whatever the execution's history holds.

const WF = SUBSCRIPTION_WORKFLOW_ID;

const step = (step_name: string, status: string): StepExecution => ({ uuid: `u-${step_name}`, step_name, status, events: [] });

describe('execution events: cursor and summaries', () => {
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
});

describe('execution events against the emulator', () => {
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


  /** Streams a finished execution (its whole history in the first read) into a sink capped at `maxLines`. */
  const streamFinished = async (maxLines: number): Promise<{ sink: MemorySink; end: StreamEnd; events: number }> => {
    const res = await signedFetch(emu, 'POST', `/v2/{pid}/workflows/${WF}/executions`, { body: {} });
    assert.equal(res.status, 201, res.text);
    const id = res.json.execution_id as string;
    await clock.advance(10 * 60_000);
    const ex = await client.workflows.getExecution(WF, id);
    assert.equal(ex.status, 'completed');
    const sink = new MemorySink();
    let end: StreamEnd | undefined;
    const done = streamExecutionEvents({
      api: client.workflows,
      workflowId: WF,
      executionId: id,
      clock,
      cursor: new EventCursor(),
      baseIntervalMs: () => 5_000,
      l10n: englishL10n,
      sink,
      maxLines: () => maxLines,
      signal: new AbortController().signal,
      offsetMinutes: 0,
    }).then((e) => (end = e));
    await until(() => end !== undefined);
    await done;
    return { sink, end: end!, events: ex.events.length };
  };

  it('a history longer than the cap shows only the newest lines, after the dropped-lines marker (positive control: a larger cap shows it all)', async () => {
    const whole = await streamFinished(1_000);
    assert.equal(whole.end, 'ended');
    assert.ok(whole.events >= 10, `${whole.events} events`);
    assert.ok(whole.sink.lines.length > whole.events, 'every event, a summary and the closing line');
    assert.equal(whole.sink.lines.includes('[... older lines dropped ...]'), false);
    assert.equal(whole.sink.replaces, 0);

    const capped = await streamFinished(6);
    assert.equal(capped.end, 'ended');
    assert.ok(capped.sink.lines.length <= 6, capped.sink.text);
    assert.equal(capped.sink.lines[0], '[... older lines dropped ...]');
    assert.match(capped.sink.lines.at(-1)!, /: Completed\. Event streaming ended\.$/);
    assert.equal(capped.sink.appends + capped.sink.replaces, 1, 'one write for the one read');
  });
});
