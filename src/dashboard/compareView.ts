// What Compare Training Jobs shows, built from what was read of each job: every curve any of them has, one
// run per job on shared axes, and a summary table (state, duration, flavor, resource averages and peaks, the
// last value of the loss). No vscode at run time.

import type * as vscode from 'vscode';
import type { TrainingJob, TrainingMetrics } from '../api/types';
import { stateWord } from '../common/stateWords';
import { formatDuration, trainingJobSpan } from '../explorer/text';
import type { CompareCurve, CompareMessage } from './protocol';
import type { MetricSeries } from '../watch/logMetrics';

type L10n = typeof vscode.l10n;

export interface ComparedJob {
  job: TrainingJob;
  /** The first task's metrics, when read. */
  metrics?: TrainingMetrics;
  /** Its curves by name, when its log was read. */
  curves?: ReadonlyMap<string, MetricSeries>;
}

const values = (metrics: TrainingMetrics | undefined, names: readonly string[]): number[] => {
  if (metrics?.status !== 'ready') return [];
  for (const name of names) {
    const found = metrics.series[name]?.filter((v): v is number => v !== null);
    if (found && found.length > 0) return found;
  }
  return [];
};
const percent = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(1)}%`);
const mean = (xs: number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const peak = (xs: number[]): number | undefined => (xs.length ? Math.max(...xs) : undefined);

const copy = (series: MetricSeries | undefined): { x: number[]; y: number[] } =>
  series ? { x: Array.from(series.x.subarray(0, series.length)), y: Array.from(series.y.subarray(0, series.length)) } : { x: [], y: [] };

export function compareMessage(jobs: readonly ComparedJob[], now: number, l10n: L10n): CompareMessage {
  const names = [...new Set(jobs.flatMap((j) => [...(j.curves?.keys() ?? [])]))].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
  const curves: CompareCurve[] = names.map((name) => ({ name, runs: jobs.map((j) => copy(j.curves?.get(name))) }));
  const columns = [l10n.t('State'), l10n.t('Duration'), l10n.t('Flavor'), l10n.t('CPU (mean)'), l10n.t('Memory (peak)'), l10n.t('Accelerator (mean)'), l10n.t('Accelerator memory (peak)'), l10n.t('Last loss')];
  const rows = jobs.map(({ job, metrics, curves: c }) => {
    const span = trainingJobSpan(job, now);
    const loss = c?.get('loss');
    return {
      job: job.metadata.name || job.metadata.id,
      cells: [
        stateWord('trainingJob', job.status.phase, l10n),
        span === undefined ? '—' : formatDuration(span, l10n),
        job.spec?.resource?.flavor_name ?? job.spec?.resource?.flavor_id ?? '—',
        percent(mean(values(metrics, ['cpuUsage']))),
        percent(peak(values(metrics, ['memUsage']))),
        percent(mean(values(metrics, ['gpuUtil', 'npuUtil']))),
        percent(peak(values(metrics, ['gpuMemUsage', 'npuMemUsage']))),
        loss && loss.length > 0 ? String(Number(loss.y[loss.length - 1].toPrecision(6))) : '—',
      ],
    };
  });
  return {
    type: 'compare',
    jobs: jobs.map(({ job }) => ({ id: job.metadata.id, name: job.metadata.name || job.metadata.id })),
    curves,
    summary: { columns, rows },
    canCompareSpecs: jobs.length >= 2,
  };
}
