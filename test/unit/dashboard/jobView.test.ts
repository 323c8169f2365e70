import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TrainingJob, TrainingJobEvent, TrainingMetrics } from '../../../src/api/types';
import { englishL10n } from '../../../src/common/translate';
import { acceleratorOf, csvField, csvOf, curveCsv, jobEnd, jobHeader, resourceCsv, resourcesMessage, stateTone, timelineMessage } from '../../../src/dashboard/jobView';

// What a job's dashboard shows, from what the API answered: the header, the resource charts, the timeline, the
// CSV of a chart.

const l10n = englishL10n;
const T0 = Date.UTC(2026, 0, 1, 8);
const MINUTE = 60_000;

function job(phase: string, extra: { start?: number; duration?: number; tasks?: string[]; flavorDetail?: Record<string, unknown>; outputs?: boolean; statuses?: TrainingJob['status']['task_statuses'] } = {}): TrainingJob {
  return {
    kind: 'job',
    metadata: { id: 'job-1', name: 'resnet', create_time: T0 },
    status: {
      phase,
      tasks: extra.tasks ?? ['worker-0'],
      ...(extra.start !== undefined ? { start_time: extra.start } : {}),
      ...(extra.duration !== undefined ? { duration: extra.duration } : {}),
      ...(extra.statuses ? { task_statuses: extra.statuses } : {}),
    },
    algorithm: { outputs: extra.outputs ? [{ name: 'train_url' }] : [] },
    spec: { resource: { flavor_id: 'modelarts.vm.cpu.2u', node_count: 1, ...(extra.flavorDetail ? { flavor_detail: extra.flavorDetail } : {}) } },
  };
}

describe('jobView: state tones and the header', () => {
  it('draws every phase of the lifecycle by its category; an unknown or missing one as unknown', () => {
    const tones: Record<string, string> = {
      Creating: 'moving',
      Pending: 'moving',
      Running: 'running',
      Terminating: 'moving',
      Completed: 'done',
      Failed: 'failed',
      Abnormal: 'failed',
      Terminated: 'stopped',
    };
    for (const [phase, tone] of Object.entries(tones)) assert.equal(stateTone(phase), tone, phase);
    assert.equal(stateTone('Exploding'), 'unknown');
    assert.equal(stateTone(undefined), 'unknown');
    assert.equal(stateTone('toString'), 'unknown', 'not a property of every object');
  });

  it('offers Stop and Save Image while running, neither once completed; Follow Logs and Download only with tasks', () => {
    const running = jobHeader({ job: job('Running', { start: T0 + MINUTE, outputs: true }), now: T0 + 10 * MINUTE, tags: ['team=vision'], l10n });
    assert.deepEqual(running.actions.map((a) => a.action), ['followLogs', 'stop', 'saveImage', 'openOutputs', 'downloadLog']);
    assert.equal(running.live, true);
    assert.equal(running.tone, 'running');
    assert.equal(running.state, 'Running');
    assert.equal(running.title, 'resnet');
    assert.deepEqual(running.tags, ['team=vision']);

    const completed = jobHeader({ job: job('Completed', { start: T0 + MINUTE, duration: 5 * MINUTE }), now: T0 + 10 * MINUTE, tags: [], l10n });
    assert.deepEqual(completed.actions.map((a) => a.action), ['followLogs', 'downloadLog']);
    assert.equal(completed.live, false);
    assert.equal(completed.tone, 'done');

    const noTasks = jobHeader({ job: job('Creating', { tasks: [''] }), now: T0 + MINUTE, tags: [], l10n });
    assert.deepEqual(noTasks.actions.map((a) => a.action), ['stop']);
  });

  it('leaves out fields without a value; an ended job has Ended, a running one does not', () => {
    const running = jobHeader({ job: job('Running', { start: T0 + MINUTE }), now: T0 + 11 * MINUTE, tags: [], l10n });
    const labels = running.fields.map((f) => f.label);
    assert.deepEqual(labels, ['Flavor', 'Nodes', 'Duration', 'Started', 'ID'], 'no accelerator (CPU), no end, no reason');
    assert.ok(running.fields.every((f) => f.value !== ''));
    assert.equal(running.fields.find((f) => f.label === 'Flavor')?.value, 'modelarts.vm.cpu.2u');
    assert.equal(running.fields.find((f) => f.label === 'Nodes')?.value, '1');

    const failed = jobHeader({
      job: job('Failed', { start: T0 + MINUTE, duration: 2 * MINUTE, statuses: [{ task: 'worker-0', exit_code: 1, message: 'CUDA out of memory' }] }),
      now: T0 + 11 * MINUTE,
      tags: [],
      l10n,
    });
    const failedLabels = failed.fields.map((f) => f.label);
    assert.ok(failedLabels.includes('Ended') && failedLabels.includes('Reason'), failedLabels.join());
    assert.match(failed.fields.find((f) => f.label === 'Reason')?.value ?? '', /CUDA out of memory/);
    assert.equal(jobEnd(job('Failed', { start: T0 + MINUTE, duration: 2 * MINUTE })), T0 + 3 * MINUTE);
    assert.equal(jobEnd(job('Running', { start: T0 + MINUTE, duration: 2 * MINUTE })), undefined);
  });

  it('names the accelerator from the flavor detail: none for CPU, count, product and memory for GPU and Ascend', () => {
    assert.equal(acceleratorOf(job('Running')), undefined, 'no detail');
    assert.equal(acceleratorOf(job('Running', { flavorDetail: { flavor_type: 'CPU', flavor_info: { cpu: { core_num: 8 } } } })), undefined);
    assert.equal(acceleratorOf(job('Running', { flavorDetail: { flavor_type: 'GPU', flavor_info: { gpu: { unit_num: 1, product_name: 'GP-Vnt1', memory: '32GB' } } } })), '1 × GPU GP-Vnt1 (32GB)');
    assert.equal(acceleratorOf(job('Running', { flavorDetail: { flavor_type: 'Ascend', flavor_info: { npu: { unit_num: 8, product_name: 'Ascend-snt9b' } } } })), '8 × Ascend Ascend-snt9b');
    assert.equal(acceleratorOf(job('Running', { flavorDetail: { flavor_type: 'GPU', flavor_info: { gpu: { unit_num: '1', memory: 32 } } } })), 'GPU', 'fields of the wrong type are left out');
  });
});

describe('jobView: resources', () => {
  const input = (metrics: TrainingMetrics): Parameters<typeof resourcesMessage>[0] => ({ metrics, tasks: ['worker-0', 'worker-1'], task: 'worker-1', start: T0, l10n });

  it('not ready: no series and a note naming the task', () => {
    const message = resourcesMessage(input({ status: 'notReady' }));
    assert.deepEqual(message.series, []);
    assert.match(message.note ?? '', /worker-1/);
    assert.equal(message.stepMs, MINUTE);
    assert.deepEqual(message.tasks, ['worker-0', 'worker-1']);
  });

  it('drops series with no value at all, keeps gaps as null, orders CPU, memory, accelerator, then the rest', () => {
    const message = resourcesMessage(
      input({ status: 'ready', series: { zzz: [1], gpuMemUsage: [40, null], gpuUtil: [null, null], memUsage: [50, 51], cpuUsage: [null, 30], abc: [2] } }),
    );
    assert.deepEqual(message.series.map((s) => s.name), ['cpuUsage', 'memUsage', 'gpuMemUsage', 'abc', 'zzz']);
    assert.deepEqual(message.series[0].values, [null, 30]);
    assert.equal(message.series[0].label, 'CPU usage (%)');
    assert.equal(message.note, undefined);
    const empty = resourcesMessage(input({ status: 'ready', series: { cpuUsage: [null] } }));
    assert.deepEqual(empty.series, []);
    assert.match(empty.note ?? '', /no resource data/);
  });

  it('a resource chart as CSV: ISO minute and value, empty where there was none; an unknown chart none', () => {
    const message = resourcesMessage(input({ status: 'ready', series: { cpuUsage: [12.5, null, 30] } }));
    assert.equal(resourceCsv(message, 'cpuUsage'), 'time,cpuUsage\r\n2026-01-01T08:00:00.000Z,12.5\r\n2026-01-01T08:01:00.000Z,\r\n2026-01-01T08:02:00.000Z,30\r\n');
    assert.equal(resourceCsv(message, 'gpuUtil'), undefined);
    assert.equal(curveCsv('loss', 'step', { x: [10, 20], y: [0.5, 0.25], length: 2 }), 'step,loss\r\n10,0.5\r\n20,0.25\r\n');
  });
});

describe('jobView: timeline', () => {
  const events: TrainingJobEvent[] = [
    { time: new Date(T0 + 2 * MINUTE).toISOString(), level: 'Info', message: 'started' },
    { time: 'not a time', level: 'Info', message: 'bad' },
    { time: new Date(T0 + 5 * MINUTE).toISOString(), level: 'Error', message: 'failed: exit 1' },
    { message: 'no time at all' },
    { time: new Date(T0 + 3 * MINUTE).toISOString(), level: 'Warning', message: 'slow' },
  ];

  it('a running job: waiting, then running with no end; now is the service time', () => {
    const message = timelineMessage({ job: job('Running', { start: T0 + MINUTE }), events, now: T0 + 9 * MINUTE, l10n });
    assert.deepEqual(message.phases, [
      { label: 'Waiting', tone: 'moving', from: T0, to: T0 + MINUTE },
      { label: 'Running', tone: 'running', from: T0 + MINUTE },
    ]);
    assert.equal(message.now, T0 + 9 * MINUTE);
  });

  it('an ended job: waiting, running to its end, and its end state; now is the end', () => {
    const message = timelineMessage({ job: job('Failed', { start: T0 + MINUTE, duration: 4 * MINUTE }), events, now: T0 + 60 * MINUTE, l10n });
    assert.deepEqual(message.phases, [
      { label: 'Waiting', tone: 'moving', from: T0, to: T0 + MINUTE },
      { label: 'Running', tone: 'running', from: T0 + MINUTE, to: T0 + 5 * MINUTE },
      { label: 'Failed', tone: 'failed', from: T0 + 5 * MINUTE, to: T0 + 5 * MINUTE },
    ]);
    assert.equal(message.now, T0 + 5 * MINUTE);
  });

  it('events newest first with their level; events without a usable time are dropped', () => {
    const message = timelineMessage({ job: job('Running', { start: T0 + MINUTE }), events, now: T0 + 9 * MINUTE, l10n });
    assert.deepEqual(
      message.events.map((e) => [e.text, e.level]),
      [
        ['failed: exit 1', 'error'],
        ['slow', 'warning'],
        ['started', 'info'],
      ],
    );
    const pending = timelineMessage({ job: job('Pending'), events: [], now: T0 + MINUTE, l10n });
    assert.deepEqual(pending.phases, [{ label: 'Waiting', tone: 'moving', from: T0 }], 'still waiting: no end');
  });
});

describe('jobView: CSV', () => {
  it('quotes a field with a comma, quote or line break; numbers and null as they are', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), `"cr\rhere"`);
    assert.equal(csvField(0.25), '0.25');
    assert.equal(csvField(-3), '-3', 'a negative number is a number, not a formula');
    assert.equal(csvField(null), '');
  });

  it('neutralises a leading =, +, -, @ (and tab or CR) so a spreadsheet does not run it', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      const field = csvField(`${lead}HYPERLINK("http://x")`);
      assert.ok(field.startsWith("'") || field.startsWith(`"'`), JSON.stringify(field));
    }
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('=SUM(A1,A2)'), `"'=SUM(A1,A2)"`, 'neutralised, then quoted');
    assert.equal(csvField('a=1'), 'a=1', 'only a leading one');
  });

  it('csvOf: a header, one line per row, CRLF, a final line break', () => {
    assert.equal(csvOf(['step', 'loss'], [[1, 0.5], [2, null]]), 'step,loss\r\n1,0.5\r\n2,\r\n');
    assert.equal(csvOf(['a'], []), 'a\r\n');
  });
});
