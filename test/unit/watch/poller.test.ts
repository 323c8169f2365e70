import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { ModelArtsError } from '../../../src/api/errors';
import { Backoff } from '../../../src/watch/backoff';
import { TreePoller, type PollTarget } from '../../../src/watch/poller';

// Tree polling on a ManualClock with scripted targets: when it polls, how often, and when not at all.

interface Script {
  polls: number[];
  /** What each poll answers: true = changed, false = not, an Error = failed. */
  answer: () => boolean | Error;
}

function target(clock: ManualClock, key: string, script: Script): PollTarget {
  return {
    key,
    poll: () => {
      script.polls.push(clock.now());
      const a = script.answer();
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
  };
}

function rig(options: { visible?: boolean; targets?: number; answer?: () => boolean | Error } = {}) {
  const clock = new ManualClock();
  const start = clock.now();
  const script: Script = { polls: [], answer: options.answer ?? (() => false) };
  const state = { visible: options.visible ?? true, targets: [] as PollTarget[] };
  for (let i = 0; i < (options.targets ?? 1); i++) state.targets.push(target(clock, `k${i}`, script));
  const poller = new TreePoller({ clock, baseIntervalMs: () => 5_000, targets: () => state.targets, visible: () => state.visible });
  /** Poll times in seconds after the start. */
  const times = (): number[] => script.polls.map((t) => (t - start) / 1000);
  const run = async (ms: number): Promise<void> => {
    for (let left = ms; left > 0; left -= 500) {
      await clock.advance(Math.min(500, left));
      await poller.settled();
    }
  };
  return { clock, poller, script, state, times, run };
}

describe('tree poller', () => {
  it('polls a transitional node every interval while it changes', async () => {
    const r = rig({ answer: () => true });
    r.poller.kick();
    await r.run(20_000);
    assert.deepEqual(r.times(), [5, 10, 15, 20]);
    r.poller.dispose();
  });

  it('backs off ×1.5 up to 60 s while nothing changes, and resets on a change', async () => {
    let changeAt = Infinity;
    const r = rig({ answer: () => r.clock.now() - Date.UTC(2026, 0, 1) >= changeAt });
    r.poller.kick();
    await r.run(260_000);
    // 5, +7.5, +11.25, +16.875, +25.3125, +37.96875, +56.953125, +60, +60 ...
    const gaps = r.times().map((t, i, all) => (i === 0 ? t : t - all[i - 1]));
    assert.deepEqual(gaps.slice(0, 8).map((g) => Math.round(g * 1000) / 1000), [5, 7.5, 11.25, 16.875, 25.313, 37.969, 56.953, 60]);
    assert.equal(r.poller.intervalMs, 60_000);
    changeAt = 0;
    await r.run(60_000);
    assert.equal(r.poller.intervalMs, 5_000, 'a change resets the interval');
    r.poller.dispose();
  });

  it('[Q15] doubles the interval when throttled (429), honouring a longer Retry-After', async () => {
    let answer: () => boolean | Error = () => new ModelArtsError({ kind: 'http', status: 429, message: 'too many requests' });
    const r = rig({ answer: () => answer() });
    r.poller.kick();
    await r.run(5_000);
    assert.equal(r.times().length, 1);
    assert.equal(r.poller.intervalMs, 10_000);
    await r.run(10_000);
    assert.equal(r.poller.intervalMs, 20_000);
    answer = () => new ModelArtsError({ kind: 'throttled', status: 429, message: 'throttled, retry after 600 s', retryAfterSeconds: 600 });
    await r.run(20_000);
    assert.equal(r.poller.intervalMs, 600_000, 'a background poll waits as long as the server asked');
    const polls = r.times().length;
    await r.run(599_000);
    assert.equal(r.times().length, polls, 'nothing before the Retry-After');
    answer = () => true;
    await r.run(1_000);
    assert.equal(r.times().length, polls + 1);
    assert.equal(r.poller.intervalMs, 5_000);
    r.poller.dispose();
  });

  it('[Q15] sets no timer at all when nothing is transitional, or the view is hidden (positive control first)', async () => {
    const r = rig();
    r.poller.kick();
    await r.run(5_000);
    assert.equal(r.times().length, 1, 'positive control: a transitional node in view is polled');
    // Nothing transitional any more: the round that finds none schedules nothing.
    r.state.targets = [];
    await r.run(10_000);
    assert.equal(r.clock.pending, 0, 'no timer is waiting');
    const before = r.times().length;
    await r.run(5 * 60_000);
    assert.equal(r.times().length, before, 'no poll in 5 virtual minutes');
    r.poller.kick();
    assert.equal(r.poller.scheduled, false, 'a kick with nothing transitional sets nothing');

    // Hidden with a transitional node: nothing either.
    r.state.targets = [target(r.clock, 'k', r.script)];
    r.state.visible = false;
    r.poller.kick();
    await r.run(5 * 60_000);
    assert.equal(r.times().length, before, 'no poll while hidden');
    assert.equal(r.clock.pending, 0);
    r.state.visible = true;
    r.poller.resume();
    await r.run(5_000);
    assert.equal(r.times().length, before + 1, 'shown again: polls again');
    r.poller.dispose();
  });

  it('pause cancels the scheduled round; a hide during a round schedules no next one', async () => {
    const r = rig({ answer: () => true });
    r.poller.kick();
    r.poller.pause();
    await r.run(30_000);
    assert.deepEqual(r.times(), []);
    r.poller.resume();
    r.script.answer = () => {
      r.state.visible = false;
      return true;
    };
    await r.run(30_000);
    assert.deepEqual(r.times(), [35]);
    assert.equal(r.poller.scheduled, false);
    r.poller.dispose();
  });

  it('polls each key once per round however many nodes share it', async () => {
    const r = rig({ targets: 1 });
    r.state.targets = [r.state.targets[0], r.state.targets[0], target(r.clock, 'k0', r.script), target(r.clock, 'k1', r.script)];
    r.poller.kick();
    await r.run(5_000);
    assert.equal(r.times().length, 2);
    r.poller.dispose();
  });

  it('a dispose stops everything', async () => {
    const r = rig({ answer: () => true });
    r.poller.kick();
    r.poller.dispose();
    r.poller.kick();
    await r.run(60_000);
    assert.deepEqual(r.times(), []);
    assert.equal(r.clock.pending, 0);
  });
});

describe('back-off', () => {
  it('reads the base interval each time and never drops below it', () => {
    let base = 5_000;
    const b = new Backoff({ baseMs: () => base });
    b.grow();
    assert.equal(b.delayMs, 7_500);
    b.reset();
    base = 90_000;
    assert.equal(b.delayMs, 90_000);
    b.grow();
    assert.equal(b.delayMs, 90_000, 'a base above the cap is the cap');
    b.throttle();
    assert.equal(b.delayMs, 180_000);
  });
});
