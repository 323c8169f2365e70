import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../src/api/client';
import type { ManualClock } from '../../../src/api/clock';
import { englishL10n } from '../../../src/common/translate';
import type { RunningEmulator } from '../../../src/emulator/server';
import { SUBSCRIPTION_WORKFLOW_ID } from '../../../src/emulator/workflowsSeed';
import { EventCursor, streamExecutionEvents, type StreamEnd } from '../../../src/watch/executionEvents';
import { MemorySink } from '../actions/trainingRig';
import { emulatorClient, signedFetch, startTestEmulator } from '../helpers/emulatorHelpers';

// A workflow execution's events go through the same capped output as a job's log: a channel never holds more
// than the line cap, whatever the execution's history holds.

const WF = SUBSCRIPTION_WORKFLOW_ID;

async function until(done: () => boolean, turns = 5_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(done(), 'condition not reached');
}

describe('execution events through the capped output', () => {
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
