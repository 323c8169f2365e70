import { commandsSeen, shown } from '../../helpers/vscodeStandIn';
import { recorded, StandInUri } from '../../helpers/obsStandIn';
import { panels, StandInPanel } from '../../helpers/webviewStandIn';
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ManualClock } from '../../../../src/api/clock';
import { createClient } from '../../../../src/api/client';
import { createRedactor } from '../../../../src/api/redact';
import type { TrainingJob } from '../../../../src/api/types';
import type { ActionDeps } from '../../../../src/commands/actionDeps';
import { DashboardPanels } from '../../../../src/commands/dashboard/dashboardPanels';
import type { ActiveSession } from '../../../../src/common/session';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { MANUAL_SAVE_IMAGE_JOB_ID } from '../../../../src/emulator/training/seed';
import { emulatorConnection, startTestEmulator } from '../../helpers/emulatorHelpers';

// The dashboard panels as VS Code wires them, on a stand-in webview panel: the page and its one local resource
// root, the messages the page may send (a malformed one is dropped and logged, never acted on), a job's panel
// opened twice is one panel, the header's buttons run the commands, Copy as CSV, and a panel brought back after
// a reload (a state that is not a dashboard's closes it; another profile's asks to sign in).

/** Waits for what the emulator's answers bring (loopback requests take real time), up to 20 s. */
async function until(what: string, probe: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`never: ${what}`);
}

describe('dashboard panels on a stand-in webview', { timeout: 60_000 }, () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let session: ActiveSession;
  let job: TrainingJob;
  const logged: string[] = [];
  const reached: string[] = [];
  let current: ActiveSession | undefined;
  let deps: ActionDeps;

  before(async () => {
    ({ emu, clock } = await startTestEmulator({ seed: 'demo' }));
    const redactor = createRedactor();
    const client = createClient(emulatorConnection(emu, clock, { obsEndpoint: emu.obsEndpoint, redactor }));
    session = { profile: 'demo', region: emu.region, client, demo: true, serviceClock: clock };
    current = session;
    job = await client.trainingJobs.get(MANUAL_SAVE_IMAGE_JOB_ID);
    const log = { info: (line: string) => logged.push(line), warn: (line: string) => logged.push(line), error: (line: string) => logged.push(line) };
    deps = {
      context: { extensionUri: StandInUri.file('/ext') },
      sessions: {
        get current() {
          return current;
        },
      },
      log,
      redactor,
      streams: { has: () => false, listen: () => ({ dispose: () => undefined }) },
      walkthrough: { reached: (step: string) => reached.push(step) },
    } as unknown as ActionDeps;
  });
  after(async () => {
    session?.client.dispose();
    await emu?.close();
  });
  beforeEach(() => {
    shown.clear();
    recorded.clear();
    commandsSeen.executed.length = 0;
    logged.length = 0;
    panels.length = 0;
  });

  it("serves the page from dist/webview only, drops a malformed message, and answers the page's ready with everything", async () => {
    const host = new DashboardPanels(deps, { openOutputs: () => Promise.resolve() });
    host.openJob(session, job);
    assert.equal(panels.length, 1);
    const [panel] = panels;
    assert.equal(panel.viewType, 'modelarts.dashboard');
    assert.equal(panel.title, `Dashboard: ${job.metadata.name}`);
    assert.deepEqual(panel.webview.options.localResourceRoots?.map((u) => u.path), ['/ext/dist/webview']);
    assert.match(panel.webview.html, /script-src 'nonce-[^']+'/);
    assert.match(panel.webview.html, /src="https:\/\/webview\.test\/ext\/dist\/webview\/dashboardView\.js"/);

    // Before the page says it is ready, nothing is posted (it would be lost), though the first load runs.
    const requests = emu.requests.length;
    await until('the first load', () => emu.requests.length > requests + 2);
    assert.equal(panel.posted.length, 0);

    // Malformed: an unknown type, a known type with a wrong field, not an object. Dropped and logged, no command.
    for (const bad of [{ type: 'eval', code: 'alert(1)' }, { type: 'action', action: 'deleteEverything' }, 'ready', null]) panel.send(bad);
    assert.equal(logged.filter((l) => l.includes('dropped a malformed message')).length, 4);
    assert.equal(commandsSeen.executed.length, 0);
    assert.equal(panel.posted.length, 0, 'a malformed ready is not a ready');

    panel.send({ type: 'ready' });
    await until('the header', () => panel.messages('header').length > 0);
    const [init] = panel.messages('init');
    assert.equal(init.mode, 'job');
    assert.deepEqual(init.state, { mode: 'job', profile: 'demo', workspaceId: job.metadata.workspace_id ?? '', jobIds: [job.metadata.id] });
    assert.equal(init.strings['Copy as CSV'], 'Copy as CSV');
    await until('resources and curves', () => panel.messages('resources').length > 0 && panel.messages('curves').some((m) => m.series.length > 0));
    assert.ok(reached.includes('dashboardWatched'), 'the walkthrough step is done once curves show');

    // The same job again: the same panel, revealed.
    host.openJob(session, job);
    assert.equal(panels.length, 1);
    assert.equal(panel.revealed, 1);

    // The header's buttons run the commands with the job's id and task; Copy as CSV fills the clipboard.
    panel.send({ type: 'action', action: 'stop' });
    await until('the stop command', () => commandsSeen.executed.length > 0);
    assert.deepEqual(commandsSeen.executed[0], { id: 'modelarts.trainingJob.stop', args: [{ trainingJobId: job.metadata.id, task: 'worker-0' }] });
    panel.send({ type: 'copyCsv', chart: 'curve:loss' });
    await until('the clipboard', () => recorded.clipboard.length > 0);
    assert.match(recorded.clipboard[0], /^step,loss\r\n\d+,[\d.]+\r\n/);

    // A reloaded page (hidden and shown again) gets everything again.
    const before = panel.posted.length;
    panel.send({ type: 'ready' });
    await until('the replay', () => panel.posted.length > before + 2);
    assert.ok(panel.posted.slice(before).some((m) => (m as { type: string }).type === 'header'));
    host.dispose();
    assert.ok(panel.disposed);
  });

  it('a restored panel: a state that is not a dashboard closes it; another profile asks to sign in, reading nothing', async () => {
    const host = new DashboardPanels(deps, { openOutputs: () => Promise.resolve() });
    const stray = new StandInPanel('modelarts.dashboard', 'x');
    await host.restore(stray as never, { mode: 'job', profile: 'demo', jobIds: 'not-a-list' });
    assert.ok(stray.disposed);

    const other = new StandInPanel('modelarts.dashboard', 'y');
    const requests = emu.requests.length;
    await host.restore(other as never, { mode: 'job', profile: 'work', workspaceId: '0', jobIds: [job.metadata.id] });
    other.send({ type: 'ready' });
    const [status] = other.messages('status');
    assert.equal(status.level, 'warning');
    assert.match(status.text, /Sign in with profile work/);
    assert.equal(emu.requests.length, requests, 'nothing requested for another profile');

    // Positive control: the active profile's state brings the dashboard back and reads the job.
    const same = new StandInPanel('modelarts.dashboard', 'z');
    await host.restore(same as never, { mode: 'job', profile: 'demo', workspaceId: '0', jobIds: [job.metadata.id] });
    same.send({ type: 'ready' });
    await until('the header', () => same.messages('header').length > 0);
    assert.ok(emu.requests.length > requests);
    host.dispose();
  });
});
