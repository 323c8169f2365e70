import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ManualClock } from '../../../src/api/clock';
import { createClient, type ModelArtsClient } from '../../../src/api/client';
import { createRedactor } from '../../../src/api/redact';
import { trainingTaskOutput } from '../../../src/api/trainingTaskOutput';
import { englishL10n } from '../../../src/common/translate';
import { streamFullLog } from '../../../src/dashboard/fullLog';
import { JobCurvesCache } from '../../../src/dashboard/jobCurves';
import { JobDashboard, METRICS_EVERY_MS, type FollowedLogs } from '../../../src/dashboard/jobDashboard';
import type { CurvesMessage, HostMessage, ResourcesMessage } from '../../../src/dashboard/protocol';
import type { RunningEmulator } from '../../../src/emulator/server';
import { MANUAL_SAVE_IMAGE_JOB_ID } from '../../../src/emulator/training/seed';
import { stableUuid } from '../../../src/emulator/familyKit';
import { LogMetricParser } from '../../../src/watch/logMetrics';
import type { LogTap } from '../../../src/watch/streams';
import { emulatorConnection, signedFetch, startTestEmulator } from '../helpers/emulatorHelpers';

// One job's dashboard model against the emulator with a real client, on a manual clock: what it posts, what it
// reads and when (the whole log once, rounds while visible and running, nothing while hidden or once ended), the
// Follow Logs channel's text heard instead of read, and a failed log link.

const INTERVAL_MS = 10_000;
const RUNNING_JOB = MANUAL_SAVE_IMAGE_JOB_ID;
/** Completed hours ago in the demo seed. */
const ENDED_JOB = stableUuid('training-demo/resnet50-imagenet-baseline');
/** Running on two nodes in the demo seed. */
const TWO_NODE_JOB = stableUuid('training-demo/vision-cls-efficientnet');
const logKey = (profile: string, jobId: string, task: string): string => `logs:${profile}:${jobId}/${task}`;

/** The Follow Logs channels as the dashboard sees them: which keys are followed, and their text as it is read. */
class FakeFollowedLogs implements FollowedLogs {
  readonly followed = new Set<string>();
  private readonly taps = new Map<string, Set<LogTap>>();

  has(key: string): boolean {
    return this.followed.has(key);
  }

  listen(key: string, tap: LogTap): { dispose(): void } {
    const taps = this.taps.get(key) ?? new Set<LogTap>();
    this.taps.set(key, taps.add(tap));
    return { dispose: () => taps.delete(tap) };
  }

  emit(key: string, text: string, end: number): void {
    this.taps.get(key)?.forEach((tap) => tap(text, end));
  }

  listeners(key: string): number {
    return this.taps.get(key)?.size ?? 0;
  }
}

interface Rig {
  emu: RunningEmulator;
  clock: ManualClock;
  client: ModelArtsClient;
  logs: FakeFollowedLogs;
  cache: JobCurvesCache;
  warnings: string[];
  open(jobId: string, posted: HostMessage[], onPost?: (message: HostMessage) => void): JobDashboard;
  close(): Promise<void>;
}

async function startRig(): Promise<Rig> {
  const { emu, clock } = await startTestEmulator({ seed: 'demo' });
  const redactor = createRedactor();
  const client = createClient(emulatorConnection(emu, clock, { obsEndpoint: emu.obsEndpoint, redactor }));
  const logs = new FakeFollowedLogs();
  const cache = new JobCurvesCache();
  const warnings: string[] = [];
  const dashboards: JobDashboard[] = [];
  return {
    emu,
    clock,
    client,
    logs,
    cache,
    warnings,
    open: (jobId, posted, onPost) => {
      const dashboard = new JobDashboard({
        session: { profile: 'demo', client, serviceClock: clock },
        jobId,
        post: (message) => {
          posted.push(message);
          onPost?.(message);
        },
        l10n: englishL10n,
        clock,
        intervalMs: () => INTERVAL_MS,
        patterns: () => [],
        logs,
        logKey,
        cache,
        place: { region: client.obs.region, endpoint: client.obs.endpoint },
        redactor,
        log: { warn: (text) => warnings.push(text), info: () => undefined },
        describe: (error) => (error instanceof Error ? error.message : String(error)),
      });
      dashboards.push(dashboard);
      return dashboard;
    },
    close: async () => {
      for (const dashboard of dashboards) dashboard.dispose();
      client.dispose();
      await emu.close();
    },
  };
}

/** Turns of the event loop (loopback HTTP is real I/O) until `done`; no emulated time passes. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200_000 && !done(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(done(), `never happened: ${what}`);
}

/** Advances the clock by one interval and waits for the round it starts to end (and the next to be set). */
async function oneRound(rig: Rig, dashboard: JobDashboard): Promise<void> {
  const rounds = dashboard.stats.rounds;
  await rig.clock.advance(INTERVAL_MS);
  await until(() => dashboard.stats.rounds > rounds && rig.clock.pending > 0, 'a round');
}

const count = (rig: Rig, pattern: RegExp): number => rig.emu.requests.filter((r) => r.service !== 'admin' && pattern.test(r.path)).length;
const LOG_URL = /\/logs\/url$/;
const PREVIEW = /\/logs\/preview$/;
const METRICS = /\/metrics\//;

const ofType = <T extends HostMessage['type']>(posted: HostMessage[], type: T): Array<Extract<HostMessage, { type: T }>> =>
  posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);

/** The curves as the webview holds them after every message: a reset empties them, `from` says where points go. */
function applyCurves(messages: CurvesMessage[]): Map<string, { x: number[]; y: number[] }> {
  const held = new Map<string, { x: number[]; y: number[] }>();
  for (const message of messages) {
    if (message.reset) held.clear();
    for (const s of message.series) {
      const series = held.get(s.name) ?? { x: [], y: [] };
      assert.equal(s.from, series.x.length, `${s.name}: new points start where the held ones end`);
      series.x.push(...s.x);
      series.y.push(...s.y);
      held.set(s.name, series);
    }
  }
  return held;
}

/** The task's whole log as of now, through its link, parsed in one go. */
async function parsedWholeLog(rig: Rig, jobId: string, task: string): Promise<{ parser: LogMetricParser; bytes: number; text: string }> {
  const link = await trainingTaskOutput(rig.client).getLogUrl(jobId, task);
  const chunks: Buffer[] = [];
  const bytes = await streamFullLog({ link, place: { region: rig.client.obs.region, endpoint: rig.client.obs.endpoint }, signal: new AbortController().signal, redactor: createRedactor(), onData: (c) => chunks.push(c) });
  const text = Buffer.concat(chunks).toString('utf8');
  const parser = new LogMetricParser();
  parser.push(text);
  return { parser, bytes, text };
}

const pointsOf = (parser: LogMetricParser): Map<string, { x: number[]; y: number[] }> =>
  new Map([...parser.series()].map(([name, s]) => [name, { x: Array.from(s.x), y: Array.from(s.y) }]));

describe('JobDashboard on the emulator', { timeout: 120_000 }, () => {
  it('first load of a running job: header, timeline, resources with null gaps, curves matching the log; the whole log read once', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(RUNNING_JOB, posted);
      await dashboard.start();

      const header = ofType(posted, 'header').at(-1)?.header;
      assert.ok(header);
      assert.equal(header.title, 'pytorch-mnist-long-run');
      assert.equal(header.state, 'Running');
      assert.equal(header.tone, 'running');
      assert.equal(header.live, true);
      assert.ok(header.tags.includes('team=vision'), header.tags.join());
      const labels = header.fields.map((f) => f.label);
      for (const label of ['Flavor', 'Accelerator', 'Nodes', 'Duration', 'Started', 'ID']) assert.ok(labels.includes(label), `${label} in ${labels.join()}`);
      assert.equal(header.fields.find((f) => f.label === 'ID')?.value, RUNNING_JOB);
      assert.ok(header.actions.some((a) => a.action === 'stop'));

      const timeline = ofType(posted, 'timeline').at(-1);
      assert.ok(timeline);
      assert.deepEqual(timeline.phases.map((p) => p.tone), ['moving', 'running']);
      assert.equal(timeline.phases[1].to, undefined, 'still running');

      const resources = ofType(posted, 'resources').at(-1);
      assert.ok(resources);
      assert.equal(resources.task, 'worker-0');
      assert.deepEqual(resources.series.map((s) => s.name), ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage']);
      // The emulator's own answer: -1 where it has no data for a minute.
      const raw = (await signedFetch(rig.emu, 'GET', `/v2/{pid}/training-jobs/${RUNNING_JOB}/metrics/worker-0`)).json as { metrics: Array<{ metric: string; value: number[] }> };
      const cpu = raw.metrics.find((m) => m.metric === 'cpuUsage')?.value ?? [];
      const shown = resources.series.find((s) => s.name === 'cpuUsage')?.values ?? [];
      assert.ok(cpu.length >= 30, `${cpu.length} minutes`);
      assert.equal(shown.length, cpu.length);
      assert.ok(cpu.includes(-1), 'the emulator has a gap in these minutes (positive control)');
      for (let i = 0; i < cpu.length; i++) assert.equal(shown[i], cpu[i] === -1 ? null : cpu[i], `minute ${i}`);
      assert.ok(!shown.includes(0), 'never 0 for a gap');
      assert.ok(shown.some((v) => typeof v === 'number' && v > 0));

      const curves = applyCurves(ofType(posted, 'curves'));
      const loss = curves.get('loss');
      assert.ok(loss && loss.x.length > 1000, `loss points: ${loss?.x.length}`);
      const whole = await parsedWholeLog(rig, RUNNING_JOB, 'worker-0');
      assert.deepEqual(curves, pointsOf(whole.parser), 'every curve as a parse of the whole log');
      assert.equal(dashboard.stats.logBytesRead, whole.bytes);
      assert.equal(count(rig, LOG_URL), 2, 'the dashboard asked for the link once (and this test once)');
      assert.equal(count(rig, PREVIEW), 0, 'no preview on the first load');
      assert.equal(dashboard.stats.previewReads, 0);
      assert.equal(dashboard.stats.metricsReads, 1);
      assert.ok(ofType(posted, 'status').some((s) => s.level === 'info' && /Read the whole log of worker-0/.test(s.text)));
      assert.ok(!ofType(posted, 'status').some((s) => s.level !== 'info'));
    } finally {
      await rig.close();
    }
  });

  it('two rounds later: the curves grew from where they were, nothing twice; then equal to a parse of the whole log', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(RUNNING_JOB, posted);
      await dashboard.start();
      const firstMessages = ofType(posted, 'curves').length;
      const before = applyCurves(ofType(posted, 'curves')).get('loss')?.x.length ?? 0;
      await oneRound(rig, dashboard);
      await oneRound(rig, dashboard);
      const later = ofType(posted, 'curves').slice(firstMessages);
      assert.ok(later.length >= 1, 'new points posted');
      assert.ok(later.every((m) => !m.reset), 'no reset: only the new points');
      const lossFrom = later.flatMap((m) => m.series.filter((s) => s.name === 'loss').map((s) => s.from));
      assert.equal(lossFrom[0], before, 'the first new loss point follows the ones held');
      const held = applyCurves(ofType(posted, 'curves'));
      // 2 lines a second for 20 s, 3 in 4 with a loss.
      assert.ok((held.get('loss')?.x.length ?? 0) >= before + 25, `${held.get('loss')?.x.length} vs ${before}`);
      assert.equal(count(rig, LOG_URL), 1, 'the whole log once');
      assert.equal(dashboard.stats.previewReads, 2, 'one preview a round');
      const whole = await parsedWholeLog(rig, RUNNING_JOB, 'worker-0');
      assert.deepEqual(held, pointsOf(whole.parser));
    } finally {
      await rig.close();
    }
  });

  it('hidden: no timer and no request however long; visible again: one round at once', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(RUNNING_JOB, posted);
      await dashboard.start();
      // Positive control: while visible, an interval brings a round and requests.
      let requests = rig.emu.requests.length;
      await oneRound(rig, dashboard);
      assert.ok(rig.emu.requests.length > requests, 'a visible round reads');

      dashboard.setVisible(false);
      assert.equal(rig.clock.pending, 0, 'the timer is cancelled');
      requests = rig.emu.requests.length;
      const rounds = dashboard.stats.rounds;
      for (let i = 0; i < 30; i++) {
        await rig.clock.advance(INTERVAL_MS);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      assert.equal(rig.emu.requests.length, requests, 'no request while hidden');
      assert.equal(dashboard.stats.rounds, rounds);

      dashboard.setVisible(true);
      await until(() => dashboard.stats.rounds === rounds + 1, 'the catch-up round');
      assert.ok(rig.emu.requests.length > requests, 'read at once');
      assert.equal(rig.clock.pending, 1, 'and one timer for the next round');
      assert.equal(count(rig, METRICS), 2, 'the metrics again: more than a minute passed');
      // Visible twice in a row: still one round.
      dashboard.setVisible(true);
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.equal(dashboard.stats.rounds, rounds + 1);
    } finally {
      await rig.close();
    }
  });

  it('a Follow Logs channel on the task: its text is heard, no preview read; text already read is not parsed twice; a jump is counted', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(RUNNING_JOB, posted);
      const key = logKey('demo', RUNNING_JOB, 'worker-0');
      rig.logs.followed.add(key);
      await dashboard.start();
      assert.equal(rig.logs.listeners(key), 1);
      const parsedLines = (): number => (rig.cache.take(key, []).curves.parser.stats.lines);
      const linesAfterLoad = parsedLines();

      await oneRound(rig, dashboard);
      await oneRound(rig, dashboard);
      assert.equal(dashboard.stats.previewReads, 0, 'no preview of its own while the channel follows');
      assert.equal(count(rig, PREVIEW), 0);
      assert.equal(parsedLines(), linesAfterLoad, 'nothing new heard yet');

      // The channel reads the newest text (as Follow Logs does) and emits it with the offset of its end.
      const preview = (await signedFetch(rig.emu, 'GET', `/v2/{pid}/training-jobs/${RUNNING_JOB}/tasks/worker-0/logs/preview`)).json as { content: string; full_size: number };
      const curvesBefore = ofType(posted, 'curves').length;
      rig.logs.emit(key, preview.content, preview.full_size);
      assert.ok(parsedLines() > linesAfterLoad, 'the heard text is parsed');
      assert.ok(ofType(posted, 'curves').length > curvesBefore, 'and posted');
      const whole = await parsedWholeLog(rig, RUNNING_JOB, 'worker-0');
      assert.equal(whole.bytes, preview.full_size, 'no time passed: the same log');
      assert.deepEqual(applyCurves(ofType(posted, 'curves')), pointsOf(whole.parser), 'as one parse of the whole log');

      const linesNow = parsedLines();
      rig.logs.emit(key, preview.content, preview.full_size);
      rig.logs.emit(key, preview.content.slice(0, 100), Buffer.byteLength(preview.content.slice(0, 100)));
      assert.equal(parsedLines(), linesNow, 'text up to an offset already read is not parsed again');
      assert.equal(dashboard.stats.previewReads, 0);

      // A jump: text that starts 1,000 bytes past what was read.
      const curves = rig.cache.take(key, []).curves;
      const jumped = '2026-01-01 INFO step 999999 loss=0.01\n';
      rig.logs.emit(key, jumped, preview.full_size + 1_000 + Buffer.byteLength(jumped));
      assert.equal(curves.skippedBytes, 1_000);
      assert.equal(curves.offset, preview.full_size + 1_000 + Buffer.byteLength(jumped));

      // The channel stops: the next round reads the preview itself.
      rig.logs.followed.delete(key);
      await oneRound(rig, dashboard);
      assert.equal(dashboard.stats.previewReads, 1, 'positive control: a preview read once no channel follows');
      assert.equal(rig.logs.listeners(key), 0, 'and the tap is gone');
    } finally {
      await rig.close();
    }
  });

  it('the text of a channel heard while the whole log streams in: placed once the download ends, the curves as one parse', async () => {
    const rig = await startRig();
    try {
      const key = logKey('demo', RUNNING_JOB, 'worker-0');
      rig.logs.followed.add(key);
      // What the channel read when it began following: the whole (small) log, ending at its full size.
      const preview = (await signedFetch(rig.emu, 'GET', `/v2/{pid}/training-jobs/${RUNNING_JOB}/tasks/worker-0/logs/preview`)).json as { content: string; full_size: number };
      const posted: HostMessage[] = [];
      let heard = false;
      const dashboard = rig.open(RUNNING_JOB, posted, (message) => {
        // The dashboard starts reading the whole log: the channel's text arrives while the link is being fetched.
        if (!heard && message.type === 'status' && /Reading the whole log/.test(message.text)) {
          heard = true;
          setImmediate(() => rig.logs.emit(key, preview.content, preview.full_size));
        }
      });
      await dashboard.start();
      assert.ok(heard, 'the text was emitted during the first load');
      const curves = rig.cache.take(key, []).curves;
      assert.equal(curves.offset, preview.full_size, 'the offset is the size of the log, not more');
      assert.equal(curves.skippedBytes, 0);
      const whole = await parsedWholeLog(rig, RUNNING_JOB, 'worker-0');
      assert.equal(whole.bytes, preview.full_size);
      assert.deepEqual(applyCurves(ofType(posted, 'curves')), pointsOf(whole.parser), 'nothing parsed twice or out of order');
    } finally {
      await rig.close();
    }
  });

  it('an ended job: read once, never polled; its curves complete in the cache, a second dashboard reads no log', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(ENDED_JOB, posted);
      await dashboard.start();
      assert.equal(dashboard.ended, true);
      const header = ofType(posted, 'header').at(-1)?.header;
      assert.equal(header?.live, false);
      assert.equal(header?.state, 'Completed');
      assert.equal(rig.clock.pending, 0, 'no timer');
      assert.equal(count(rig, LOG_URL), 1);
      const key = logKey('demo', ENDED_JOB, dashboard.currentTask ?? '');
      const curves = rig.cache.take(key, []).curves;
      assert.equal(curves.complete, true);
      const first = applyCurves(ofType(posted, 'curves'));
      assert.ok((first.get('loss')?.x.length ?? 0) > 100);
      const whole = await parsedWholeLog(rig, ENDED_JOB, dashboard.currentTask ?? '');
      whole.parser.end();
      assert.deepEqual(first, pointsOf(whole.parser), 'the whole log, its last line too');

      const requests = rig.emu.requests.length;
      for (let i = 0; i < 10; i++) {
        await rig.clock.advance(INTERVAL_MS * 10);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      assert.equal(rig.emu.requests.length, requests, 'no request once ended');

      const again: HostMessage[] = [];
      const second = rig.open(ENDED_JOB, again);
      await second.start();
      assert.equal(count(rig, LOG_URL), 2, 'no new link asked for (the one more is this test’s)');
      assert.equal(count(rig, PREVIEW), 0, 'no preview either');
      assert.equal(second.stats.logBytesRead, 0);
      assert.deepEqual(applyCurves(ofType(again, 'curves')), first, 'the same curves, from the cache');
      assert.ok(rig.emu.requests.length > requests, 'positive control: the second dashboard did read the job');
    } finally {
      await rig.close();
    }
  });

  it('metrics at most once a minute; CSV of a resource and a curve; an unknown chart or task does nothing', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(RUNNING_JOB, posted);
      await dashboard.start();
      assert.equal(count(rig, METRICS), 1);
      const rounds = METRICS_EVERY_MS / INTERVAL_MS;
      for (let i = 1; i < rounds; i++) await oneRound(rig, dashboard);
      assert.equal(count(rig, METRICS), 1, `not again within ${METRICS_EVERY_MS} ms`);
      await oneRound(rig, dashboard);
      assert.equal(count(rig, METRICS), 2, 'again once a minute passed');
      assert.equal(dashboard.stats.metricsReads, 2);
      assert.equal(ofType(posted, 'resources').length, 2);

      const cpu = dashboard.csv('resource:cpuUsage');
      assert.ok(cpu);
      const cpuLines = cpu.trimEnd().split('\r\n');
      const resources = ofType(posted, 'resources').at(-1) as ResourcesMessage;
      assert.equal(cpuLines[0], 'time,cpuUsage');
      assert.equal(cpuLines.length, 1 + (resources.series[0].values.length));
      assert.match(cpuLines[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,[\d.]+$/);
      const at = (line: string): number => Date.parse(line.slice(0, line.indexOf(',')));
      assert.equal(at(cpuLines[1]), resources.start, 'minute 0 is the start');
      assert.equal(at(cpuLines[2]) - at(cpuLines[1]), 60_000, 'one line a minute');
      assert.ok(cpuLines.some((line) => line.endsWith(',')), 'a gap is an empty value');

      const loss = dashboard.csv('curve:loss');
      assert.ok(loss);
      const lossLines = loss.trimEnd().split('\r\n');
      assert.match(lossLines[0], /^(step|epoch|line),loss$/);
      assert.ok(lossLines.length > 1000);
      assert.match(lossLines[1], /^\d+(\.\d+)?,\d+\.\d+$/);
      assert.equal(dashboard.csv('nope:x'), undefined);
      assert.equal(dashboard.csv('curve:nope'), undefined);
      assert.equal(dashboard.csv('resource:nope'), undefined);
      assert.equal(dashboard.csv('no colon'), undefined);

      const requests = rig.emu.requests.length;
      const messages = posted.length;
      await dashboard.selectTask('worker-9');
      await dashboard.selectTask('worker-0');
      assert.equal(rig.emu.requests.length, requests, 'an unknown task, or the one shown: no request');
      assert.equal(posted.length, messages, 'and no message');
      assert.equal(dashboard.currentTask, 'worker-0');
    } finally {
      await rig.close();
    }
  });

  it('opened while the job waits: no tasks yet, a note; once it runs, its charts and curves appear; once it ends, polling stops', async () => {
    const rig = await startRig();
    try {
      const created = await signedFetch(rig.emu, 'POST', '/v2/{pid}/training-jobs', {
        body: {
          kind: 'job',
          metadata: { name: 'dash-waits', workspace_id: '0' },
          algorithm: { command: 'python train.py', engine: { image_url: 'swr.example.com/team/train:1.0' } },
          spec: { resource: { flavor_id: 'modelarts.vm.cpu.2u', node_count: 1 } },
        },
      });
      const jobId = String(created.json.metadata.id);
      // The service may list no task before the job runs: the first read of the job says so.
      const waiting = (await signedFetch(rig.emu, 'GET', `/v2/{pid}/training-jobs/${jobId}`)).json as { status: { tasks: string[] } };
      waiting.status.tasks = [];
      rig.emu.faults.add({ method: 'GET', path: `/training-jobs/${jobId}$`, status: 200, body: waiting, times: 1 });
      const posted: HostMessage[] = [];
      const dashboard = rig.open(jobId, posted);
      await dashboard.start();
      assert.equal(ofType(posted, 'header').at(-1)?.header.live, true);
      assert.ok(ofType(posted, 'status').some((s) => /has no tasks yet/.test(s.text)), 'a note while there are no tasks');
      assert.equal(dashboard.currentTask, undefined);
      assert.equal(count(rig, LOG_URL), 0);

      // Waiting, then running (its log grows 2 lines a second), rounds every interval.
      for (let i = 0; i < 8; i++) await oneRound(rig, dashboard);
      assert.equal(ofType(posted, 'header').at(-1)?.header.state, 'Running');
      assert.equal(dashboard.currentTask, 'worker-0');
      assert.ok(ofType(posted, 'resources').length >= 1, 'resource charts once it runs');
      const held = applyCurves(ofType(posted, 'curves'));
      assert.ok((held.get('loss')?.x.length ?? 0) > 10, `curves once it runs: ${held.get('loss')?.x.length ?? 0} loss points`);

      // Until it ends (120 s of running), then one last read and no timer.
      for (let i = 0; i < 20 && !dashboard.ended; i++) await oneRound(rig, dashboard).catch(() => undefined);
      await until(() => dashboard.ended && rig.clock.pending === 0, 'the end');
      const whole = await parsedWholeLog(rig, jobId, 'worker-0');
      whole.parser.end();
      assert.deepEqual(applyCurves(ofType(posted, 'curves')), pointsOf(whole.parser), 'every point of the log once, its last line too');
      assert.equal(rig.cache.take(logKey('demo', jobId, 'worker-0'), []).curves.complete, true);
      assert.equal(count(rig, LOG_URL), 2, 'one whole-log read by the dashboard (while the log was still empty) and this test’s');
    } finally {
      await rig.close();
    }
  });

  it('another task of a two-node job: its metrics and its whole log; back again: from the cache; replay shows it all again', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(TWO_NODE_JOB, posted);
      await dashboard.start();
      assert.equal(dashboard.currentTask, 'worker-0');
      assert.deepEqual(ofType(posted, 'resources').at(-1)?.tasks, ['worker-0', 'worker-1']);
      const linkRequests = (task: string): number => rig.emu.requests.filter((r) => r.path.endsWith(`/tasks/${task}/logs/url`)).length;
      assert.equal(linkRequests('worker-0'), 1);

      const mark = posted.length;
      await dashboard.selectTask('worker-1');
      assert.equal(dashboard.currentTask, 'worker-1');
      const after = posted.slice(mark);
      assert.equal(ofType(after, 'resources').at(-1)?.task, 'worker-1', 'its metrics at once (not a minute later)');
      assert.equal(count(rig, /\/metrics\/worker-1$/), 1);
      assert.equal(ofType(after, 'curves')[0]?.reset, true, 'the curves start again');
      assert.equal(linkRequests('worker-1'), 1);
      const worker1 = await parsedWholeLog(rig, TWO_NODE_JOB, 'worker-1');
      assert.deepEqual(applyCurves(ofType(posted, 'curves')), pointsOf(worker1.parser), 'the curves of worker-1 alone');

      // Back to worker-0: its curves are in the cache; only its newer text is read (the preview), not its whole log.
      await dashboard.selectTask('worker-0');
      assert.equal(linkRequests('worker-0'), 1, 'no second whole-log read');
      assert.equal(dashboard.stats.previewReads, 1);
      const worker0 = await parsedWholeLog(rig, TWO_NODE_JOB, 'worker-0');
      const held = applyCurves(ofType(posted, 'curves'));
      assert.deepEqual(held, pointsOf(worker0.parser));

      // The webview reloaded: everything again, the curves whole in one reset.
      const shown = posted.length;
      dashboard.replay();
      const replayed = posted.slice(shown);
      assert.deepEqual(replayed.map((m) => m.type).sort(), ['curves', 'header', 'resources', 'status', 'timeline']);
      assert.deepEqual(ofType(replayed, 'resources')[0], ofType(posted.slice(0, shown), 'resources').at(-1));
      const curves = ofType(replayed, 'curves');
      assert.equal(curves[0].reset, true);
      assert.deepEqual(applyCurves(curves), held);
    } finally {
      await rig.close();
    }
  });

  it('a task chosen while a round still reads the metrics of the one before: the older answer is not shown over the newer', async () => {
    const rig = await startRig();
    try {
      const posted: HostMessage[] = [];
      const dashboard = rig.open(TWO_NODE_JOB, posted);
      await dashboard.start();
      for (let i = 1; i < METRICS_EVERY_MS / INTERVAL_MS; i++) await oneRound(rig, dashboard);
      const rounds = dashboard.stats.rounds;
      // The next round reads the metrics again; those of worker-0 answer late (the emulator holds the answer, real ms).
      const late = rig.emu.faults.add({ path: '/metrics/worker-0$', latencyMs: 300, times: 1 });
      await rig.clock.advance(INTERVAL_MS);
      await until(() => !rig.emu.faults.list().some((rule) => rule.id === late), 'the round asks for the metrics of worker-0');
      await dashboard.selectTask('worker-1');
      assert.equal(ofType(posted, 'resources').at(-1)?.task, 'worker-1');
      await until(() => dashboard.stats.rounds > rounds, 'the round ends');
      assert.equal(dashboard.currentTask, 'worker-1');
      assert.equal(ofType(posted, 'resources').at(-1)?.task, 'worker-1', 'the charts shown are those of the task chosen');
    } finally {
      await rig.close();
    }
  });

  it('the log link refused: a warning, the curves from what was read, later rounds read the preview', async () => {
    const rig = await startRig();
    try {
      rig.emu.faults.add({ path: '/logs/url$', status: 403, body: { error_code: 'ModelArts.0403', error_msg: 'no permission to the log' }, times: 1 });
      const posted: HostMessage[] = [];
      const dashboard = rig.open(RUNNING_JOB, posted);
      await dashboard.start();
      const warning = ofType(posted, 'status').find((s) => s.level === 'warning');
      assert.ok(warning, 'a warning status');
      assert.match(warning.text, /The whole log of worker-0 could not be read/);
      assert.equal(rig.warnings.length, 1);
      assert.equal(dashboard.stats.previewReads, 0);
      assert.equal(ofType(posted, 'header').length, 1, 'the rest of the first load still shows');
      assert.equal(ofType(posted, 'resources').length, 1);

      await oneRound(rig, dashboard);
      assert.equal(dashboard.stats.previewReads, 1, 'the preview instead');
      assert.equal(count(rig, LOG_URL), 1, 'the link is not asked for again');
      const held = applyCurves(ofType(posted, 'curves'));
      assert.ok((held.get('loss')?.x.length ?? 0) > 1000, 'the preview (the whole small log) gave the curves');
      await oneRound(rig, dashboard);
      assert.equal(dashboard.stats.previewReads, 2);
      assert.equal(count(rig, LOG_URL), 1);
    } finally {
      await rig.close();
    }
  });
});
