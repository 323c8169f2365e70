import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { TrainingJob, TrainingMetrics } from '../../../src/api/types';
import { englishL10n } from '../../../src/common/translate';
import { compareMessage } from '../../../src/dashboard/compareView';
import type { MetricSeries } from '../../../src/watch/logMetrics';

// Compare Training Jobs: every curve any job has, one run per job in the jobs' order, and the summary table.

const T0 = Date.UTC(2026, 0, 1, 8);
const MINUTE = 60_000;

function job(id: string, phase: string, flavor?: string): TrainingJob {
  return {
    metadata: { id, name: `job-${id}`, create_time: T0 },
    status: { phase, tasks: ['worker-0'], start_time: T0 + MINUTE, duration: phase === 'Running' ? 0 : 30 * MINUTE },
    spec: { resource: flavor ? { flavor_name: flavor } : {} },
  };
}

const series = (points: Array<[number, number]>): MetricSeries => ({ x: Float64Array.from(points.map((p) => p[0])), y: Float64Array.from(points.map((p) => p[1])), length: points.length });

describe('compareMessage', () => {
  const metricsA: TrainingMetrics = { status: 'ready', series: { cpuUsage: [10, null, 30], memUsage: [40, 70, null], gpuUtil: [80, 90], gpuMemUsage: [null, 60] } };
  const metricsB: TrainingMetrics = { status: 'ready', series: { cpuUsage: [50], memUsage: [20], npuUtil: [null, 40], npuMemUsage: [33] } };
  const jobs = [
    { job: job('a', 'Completed', 'GPU flavor'), metrics: metricsA, curves: new Map([['loss', series([[1, 0.9], [2, 0.123456789]])], ['acc', series([[1, 0.5]])]]) },
    { job: job('b', 'Running'), metrics: metricsB, curves: new Map([['val_loss', series([[1, 1]])], ['acc', series([[2, 0.6]])]]) },
    { job: job('c', 'Failed'), metrics: { status: 'notReady' } as TrainingMetrics },
  ];
  const message = compareMessage(jobs, T0 + 40 * MINUTE, englishL10n);

  it('the union of curve names, loss first then by name; one run per job, in the jobs order, empty where a job has none', () => {
    assert.deepEqual(message.curves.map((c) => c.name), ['loss', 'acc', 'val_loss']);
    const accuracy = message.curves.find((c) => c.name === 'acc');
    assert.deepEqual(accuracy?.runs, [{ x: [1], y: [0.5] }, { x: [2], y: [0.6] }, { x: [], y: [] }]);
    const lossRuns = message.curves[0].runs;
    assert.equal(lossRuns.length, 3);
    assert.deepEqual(lossRuns[1], { x: [], y: [] });
    assert.deepEqual(message.jobs, [{ id: 'a', name: 'job-a' }, { id: 'b', name: 'job-b' }, { id: 'c', name: 'job-c' }]);
    assert.equal(message.canCompareSpecs, true);
  });

  it('summary cells: state, duration, flavor, CPU mean, memory peak, accelerator mean and peak, last loss; — for none', () => {
    assert.deepEqual(message.summary.columns, ['State', 'Duration', 'Flavor', 'CPU (mean)', 'Memory (peak)', 'Accelerator (mean)', 'Accelerator memory (peak)', 'Last loss']);
    const [a, b, c] = message.summary.rows;
    assert.equal(a.job, 'job-a');
    assert.equal(a.cells[0], 'Completed');
    assert.equal(a.cells[2], 'GPU flavor');
    assert.equal(a.cells[3], '20.0%', 'the mean of the values, gaps left out');
    assert.equal(a.cells[4], '70.0%');
    assert.equal(a.cells[5], '85.0%');
    assert.equal(a.cells[6], '60.0%');
    assert.equal(a.cells[7], '0.123457', 'the last loss, 6 significant digits');
    assert.equal(b.cells[5], '40.0%', 'NPU when there is no GPU');
    assert.equal(b.cells[6], '33.0%');
    assert.equal(b.cells[7], '—', 'no loss curve');
    assert.equal(b.cells[2], '—', 'no flavor');
    assert.deepEqual(c.cells.slice(3), ['—', '—', '—', '—', '—'], 'no metrics, no curves');
    assert.notEqual(a.cells[1], '—', 'a duration for the ended job');
  });

  it('one job: nothing to compare specs with', () => {
    assert.equal(compareMessage(jobs.slice(0, 1), T0, englishL10n).canCompareSpecs, false);
  });
});
