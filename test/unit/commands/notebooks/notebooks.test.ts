import { contributionsOf, menuShows as shows } from '../../helpers/manifest';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { ModelArtsClient } from '../../../../src/api/client';
import type { ManualClock } from '../../../../src/api/clock';
import { leaseEnd } from '../../../../src/api/notebooks';
import type { Notebook } from '../../../../src/api/types';
import { HOUR_MS } from '../../../../src/api/validate';
import {
  LEASE_WARNING_MS,
  LeaseWarnings,
  NOTEBOOK_ACTION_STATES,
  TransitionLog,
  autoStopChoices,
  extendChoices,
  extendOneHourDecision,
  followNotebook,
  isNotebookSettled,
  notebookActionsFor,
  type NotebookActionName,
} from '../../../../src/commands/notebooks/notebookLogic';
import { englishL10n } from '../../../../src/common/translate';
import { DEMO_NOTEBOOK_IDS, EMU_NOTEBOOK_STATUSES, NOTEBOOK_TIMINGS } from '../../../../src/emulator/notebooks';
import type { RunningEmulator } from '../../../../src/emulator/server';
import type { NotebookNode } from '../../../../src/explorer/nodes/notebookNode';
import { stateTag } from '../../../../src/explorer/status';
import { notebookDescription } from '../../../../src/explorer/text';
import { WatchRegistry } from '../../../../src/watch/watcher';
import { emulatorClient, startTestEmulator } from '../../helpers/emulatorHelpers';
import { withRig } from '../../helpers/explorerRig';
import { advanceInSteps as run, turnsUntil as until } from '../../helpers/clockSteps';

// Notebook actions without VS Code: state → actions (and the menus agree), auto-stop choices, transition
// lines while a start is followed against the emulator, and the lease warning on a ManualClock.


describe('notebook actions: states, menus, durations', () => {
  const COMMAND: Record<NotebookActionName, string> = {
    start: 'modelarts.notebook.start',
    stop: 'modelarts.notebook.stop',
    extendLease: 'modelarts.notebook.extendLease',
    openInBrowser: 'modelarts.notebook.openInBrowser',
  };

  it('each state offers exactly the actions that apply', () => {
    assert.deepEqual(notebookActionsFor('STOPPED'), ['start']);
    assert.deepEqual(notebookActionsFor('START_FAILED'), ['start']);
    assert.deepEqual(notebookActionsFor('RUNNING'), ['stop', 'extendLease', 'openInBrowser']);
    assert.deepEqual(notebookActionsFor('STARTING'), ['stop']);
    for (const s of ['STOPPING', 'CREATING', 'DELETING', 'ERROR', 'FROZEN']) assert.deepEqual(notebookActionsFor(s), [], s);
    assert.deepEqual(notebookActionsFor(undefined), []);
  });

  it("the notebook menus show a command in exactly its action's states", () => {
    const c = contributionsOf(['modelarts.notebook.']);
    // The SSH commands have a test of their own (test/unit/ssh/config.test.ts): they also need the `ssh` tag.
    const ssh = ['modelarts.notebook.connectSsh', 'modelarts.notebook.copySshCommand'];
    assert.deepEqual(c.commands.map((x) => x.command).filter((id) => !ssh.includes(id)).sort(), Object.values(COMMAND).sort());
    for (const cmd of c.commands) assert.ok(c.zh[cmd.title], `zh title for ${cmd.title}`);
    const menus = c.menus['view/item/context'];
    for (const [action, id] of Object.entries(COMMAND) as Array<[NotebookActionName, string]>) {
      const entries = menus.filter((m) => m.command === id);
      assert.ok(entries.length > 0, id);
      for (const status of EMU_NOTEBOOK_STATUSES) {
        const value = `;resource;notebook;${stateTag(status)};refreshable;`;
        for (const entry of entries) assert.equal(shows(entry.when, value), NOTEBOOK_ACTION_STATES[action].includes(status), `${id} on ${status}`);
      }
      // A job or step in a state of the same name never gets a notebook action.
      for (const entry of entries) assert.equal(shows(entry.when, ';resource;trainingjob;running;'), false);
    }
  });

  it('[Q23] auto-stop choices: 1, 2, 4, 8, 24, 72 h, then no auto-stop, which alone needs a confirmation', () => {
    const choices = autoStopChoices(englishL10n);
    assert.deepEqual(
      choices.map((c) => c.durationMs),
      [1, 2, 4, 8, 24, 72].map((h) => h * HOUR_MS).concat(['none' as never]),
    );
    assert.deepEqual(choices.map((c) => c.label), ['1 hour', '2 hours', '4 hours', '8 hours', '24 hours', '72 hours', 'No auto-stop']);
    assert.deepEqual(choices.filter((c) => c.needsConfirmation).map((c) => c.durationMs), ['none']);
  });

  it('extend choices stop the notebook N hours from now, and only later than it stops now', () => {
    const now = new Date(2026, 0, 1, 9, 0).getTime();
    const nb = (leftMs: number, enable = true): Notebook => ({
      id: 'n',
      name: 'n',
      status: 'RUNNING',
      lease: { create_at: now - HOUR_MS, duration: HOUR_MS + leftMs, enable },
    });
    const hours = (n: Notebook): number[] => extendChoices(n, now, englishL10n).map((c) => c.durationMs / HOUR_MS);
    assert.deepEqual(hours(nb(30 * 60_000)), [1, 2, 4, 8, 24, 72]);
    assert.equal(extendChoices(nb(0), now, englishL10n).length, 6);
    // 3 h left: "1 hour" or "2 hours" from now would bring the auto-stop closer.
    assert.deepEqual(hours(nb(3 * HOUR_MS)), [4, 8, 24, 72]);
    assert.deepEqual(hours(nb(50 * HOUR_MS)), [72]);
    assert.deepEqual(extendChoices(nb(72 * HOUR_MS), now, englishL10n), []);
    // Auto-stop off: any choice sets one.
    assert.equal(extendChoices(nb(71 * HOUR_MS, false), now, englishL10n).length, 6);
    assert.equal(leaseEnd(nb(10, false)), undefined);
    assert.equal(leaseEnd(nb(10)), now + 10);
    // Each item says when the notebook will stop.
    const [two, day] = extendChoices(nb(90 * 60_000), now, englishL10n).filter((c) => c.durationMs === 2 * HOUR_MS || c.durationMs === 24 * HOUR_MS);
    assert.deepEqual([two.label, two.stopsAt], ['Stop 2 hours from now (at 11:00)', now + 2 * HOUR_MS]);
    assert.equal(day.label, 'Stop 24 hours from now (at 2026-01-02 09:00)');
  });

  it("the warning's Extend 1 h renews to one hour from now, unless the notebook already stops later or not at all", () => {
    const now = Date.UTC(2026, 0, 1);
    const running = (leftMs: number): Notebook => ({ id: 'n', name: 'n', status: 'RUNNING', lease: { create_at: now - HOUR_MS, duration: HOUR_MS + leftMs, enable: true } });
    assert.deepEqual(extendOneHourDecision(running(10 * 60_000), now), { kind: 'renew' });
    assert.deepEqual(extendOneHourDecision(running(3 * HOUR_MS), now), { kind: 'later', end: now + 3 * HOUR_MS });
    assert.deepEqual(extendOneHourDecision({ ...running(0), lease: { enable: false, duration: -1 } }, now), { kind: 'no-auto-stop' });
    assert.deepEqual(extendOneHourDecision({ ...running(10 * 60_000), status: 'STOPPED' }, now), { kind: 'not-running' });
  });

  it('settled states end a follow; moving states do not', () => {
    for (const s of ['RUNNING', 'START_FAILED', 'STOPPED', 'ERROR']) assert.equal(isNotebookSettled(s), true, s);
    for (const s of ['STARTING', 'STOPPING', 'CREATING', 'SNAPSHOTTING']) assert.equal(isNotebookSettled(s), false, s);
  });
});

describe('notebook actions against the emulator', () => {
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

  const follow = (id: string, lines: string[], changes: string[] = []) => {
    const watches = new WatchRegistry({ clock, baseIntervalMs: () => 5_000 });
    const transitions = new TransitionLog(clock, englishL10n);
    const watch = followNotebook(
      { api: client.notebooks, watches, key: `notebook:test/${id}`, transitions, append: (l) => lines.push(l), onChange: (nb) => changes.push(nb.status ?? '') },
      id,
    );
    let ended = false;
    void watch.done.then(() => (ended = true));
    return { watches, transitions, watch, ended: () => ended };
  };

  it('a started STOPPED notebook: one line per transition, STOPPED → STARTING → RUNNING, then the watch ends', async () => {
    const id = DEMO_NOTEBOOK_IDS.dataCleaning;
    const before = await client.notebooks.get(id);
    assert.equal(before.status, 'STOPPED');
    const started = await client.notebooks.start(id, { durationMs: 2 * HOUR_MS });
    const lines: string[] = [];
    const changes: string[] = [];
    const f = follow(id, lines, changes);
    f.transitions.begin(before);
    const first = f.transitions.observe(started);
    if (first !== undefined) lines.push(first);
    await run(clock, 120_000, 1_000, f.ended);
    const result = await f.watch.done;
    assert.equal(result.status, 'final');
    assert.equal(result.status === 'final' && result.value.status, 'RUNNING');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^\[\d\d:\d\d:\d\d\] data-cleaning: STOPPED → STARTING$/);
    assert.match(lines[1], /^\[\d\d:\d\d:\d\d\] data-cleaning: STARTING → RUNNING$/);
    assert.deepEqual(changes, ['RUNNING'], 'the row is redrawn on the change only');
    assert.equal(f.watches.has(`notebook:test/${id}`), false);
    // Nothing is read once the watch ended.
    const served = emu.requests.length;
    await clock.advance(10 * 60_000);
    await until(() => true);
    assert.equal(emu.requests.length, served);
  });

  it('a start that fails: the START_FAILED line carries the reason', async () => {
    const id = DEMO_NOTEBOOK_IDS.yoloLabeling;
    const before = await client.notebooks.get(id);
    assert.equal(before.status, 'STOPPED');
    assert.ok(emu.notebooks.failNextStart(id, 'Insufficient GPU in the pool.'));
    const started = await client.notebooks.start(id, { durationMs: HOUR_MS });
    const lines: string[] = [];
    const f = follow(id, lines);
    f.transitions.begin(before);
    lines.push(f.transitions.observe(started)!);
    await run(clock, 120_000, 1_000, f.ended);
    const result = await f.watch.done;
    assert.equal(result.status === 'final' && result.value.status, 'START_FAILED');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[1], /yolo-labeling: STARTING → START_FAILED \(Insufficient GPU in the pool\.\)$/);
  });

  it('starting a running notebook is refused with 6305, which the action reports as "already running"', async () => {
    const id = DEMO_NOTEBOOK_IDS.dataCleaning;
    assert.equal((await client.notebooks.get(id)).status, 'RUNNING');
    await assert.rejects(client.notebooks.start(id, { durationMs: HOUR_MS }), (e: { code?: string }) => e.code === 'ModelArts.6305');
  });

  it('the lease warning comes once, 10 minutes before auto-stop, and moves when the lease is extended', async () => {
    const id = DEMO_NOTEBOOK_IDS.dataCleaning;
    const nb = await client.notebooks.get(id);
    const end = leaseEnd(nb);
    assert.ok(end !== undefined && end > clock.now(), 'started with a 2 h lease');
    const warned: Array<{ key: string; at: number; end: number; context: string }> = [];
    const warnings = new LeaseWarnings<string>(clock, (key, _nb, e, context) => warned.push({ key, at: clock.now(), end: e, context }));
    warnings.track('p/nb', nb, 'ctx');
    assert.equal(warnings.warningAt('p/nb'), end - LEASE_WARNING_MS);
    // Tracking again with the same lease keeps the one timer.
    warnings.track('p/nb', nb, 'ctx');
    assert.equal(clock.pending, 1);

    await clock.advance(end - LEASE_WARNING_MS - clock.now() - 1_000);
    assert.deepEqual(warned, []);
    // Extended to 1 h from now just before the warning: the warning moves with the lease.
    await client.notebooks.renewLease(id, { durationMs: HOUR_MS });
    const extended = await client.notebooks.get(id);
    const newEnd = leaseEnd(extended)!;
    assert.equal(newEnd, clock.now() + HOUR_MS);
    warnings.track('p/nb', extended, 'ctx');
    await clock.advance(2_000);
    assert.deepEqual(warned, [], 'the old warning was cancelled');
    await clock.advance(newEnd - LEASE_WARNING_MS - clock.now());
    assert.equal(warned.length, 1);
    assert.deepEqual(warned[0], { key: 'p/nb', at: newEnd - LEASE_WARNING_MS, end: newEnd, context: 'ctx' });
    // Once per lease end, even if tracked again.
    warnings.track('p/nb', extended, 'ctx');
    await clock.advance(HOUR_MS);
    assert.equal(warned.length, 1);
    assert.equal(clock.pending, 0);
    warnings.dispose();
  });

  it('no warning for a stopped notebook, one without auto-stop, or after untrack', async () => {
    const warned: string[] = [];
    const warnings = new LeaseWarnings<undefined>(clock, (key) => warned.push(key));
    const now = clock.now();
    warnings.track('stopped', { id: 's', name: 's', status: 'STOPPED', lease: { create_at: now, duration: HOUR_MS, enable: true } }, undefined);
    warnings.track('off', { id: 'o', name: 'o', status: 'RUNNING', lease: { create_at: now, duration: -1, enable: false } }, undefined);
    warnings.track('gone', { id: 'g', name: 'g', status: 'RUNNING', lease: { create_at: now, duration: HOUR_MS, enable: true } }, undefined);
    warnings.track('soon', { id: 'x', name: 'x', status: 'RUNNING', lease: { create_at: now - HOUR_MS, duration: HOUR_MS + 5 * 60_000, enable: true } }, undefined);
    assert.deepEqual(warnings.keys.sort(), ['gone', 'soon']);
    warnings.untrack('gone');
    await clock.advance(2 * HOUR_MS);
    assert.deepEqual(warned, ['soon'], 'less than 10 minutes left: warned at once');
    warnings.dispose();
  });
});


describe('notebook lease times in demo mode (time scale 10, manual clocks)', () => {
  const SCALE = 10;
  const MIN = 60_000;

  it('a notebook started with a 1 h lease counts down from ~60 min, and the warning fires after ~5 real minutes', () =>
    withRig(
      async (rig) => {
        const { clock, client, serviceClock } = rig;
        const id = DEMO_NOTEBOOK_IDS.dataCleaning;
        const startedAt = clock.now();
        await client.notebooks.start(id, { durationMs: HOUR_MS });
        // 20 emulated seconds to RUNNING: 2 real seconds.
        await clock.advance(NOTEBOOK_TIMINGS.startMs / SCALE);
        const ws = await rig.row(undefined, 'default');
        const row = (await rig.row(await rig.row(ws, 'Notebooks'), 'data-cleaning')) as NotebookNode;
        const nb = row.item;
        assert.equal(nb.status, 'RUNNING');
        const end = leaseEnd(nb)!;
        const left = end - serviceClock.now();
        assert.ok(left > 59 * MIN && left <= HOUR_MS, `~60 min left right after the start (${left} ms)`);
        assert.equal(row.view().description, notebookDescription(nb, serviceClock.now(), englishL10n));

        // One real minute later: ten emulated minutes have gone, and the row says so (the real clock would say one).
        await clock.advance(MIN);
        const later = end - serviceClock.now();
        assert.ok(later > 49 * MIN && later < 50 * MIN, `${later} ms left`);
        assert.equal(row.view().description, notebookDescription(nb, serviceClock.now(), englishL10n));
        assert.notEqual(row.view().description, notebookDescription(nb, clock.now(), englishL10n));

        // The warning comes 10 emulated minutes before the auto-stop: 50 emulated minutes after the start, 5 real.
        const warned: number[] = [];
        const warnings = new LeaseWarnings<undefined>(serviceClock, () => warned.push(clock.now()));
        warnings.track('demo/nb', nb, undefined);
        await clock.advance(startedAt + 5 * MIN - 1_000 - clock.now());
        assert.deepEqual(warned, []);
        await clock.advance(2_000);
        assert.equal(warned.length, 1);
        const afterRealMs = warned[0] - startedAt;
        assert.ok(Math.abs(afterRealMs - 5 * MIN) <= 1_000, `the warning after ${afterRealMs} real ms`);
        assert.equal((await client.notebooks.get(id)).status, 'RUNNING', 'still running at the warning');
        // And the emulator does stop it 10 emulated (1 real) minutes later: 6 real minutes after the start.
        await clock.advance(startedAt + 6 * MIN - clock.now());
        assert.equal((await client.notebooks.get(id)).status, 'STOPPING');
        warnings.dispose();
      },
      { timeScale: SCALE },
    ));
});
