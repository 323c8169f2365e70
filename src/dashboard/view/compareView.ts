// The comparison of 2–4 training jobs: one chart per curve with one line per job, a summary table, and
// Compare Specs.

import type { CompareMessage, ViewMessage } from '../protocol';
import type { ChartBoard } from './board';
import type { DashboardChart } from './chart';
import { button, el } from './dom';
import { section } from './jobView';
import { viewText, type ViewStringTable } from './strings';

export interface CompareViewContext {
  strings: ViewStringTable;
  board: ChartBoard;
  post(message: ViewMessage): void;
}

export class CompareView {
  private readonly jobs = el('p', { className: 'compare-jobs' });
  private readonly actions = el('div', { className: 'actions' });
  private readonly summary = el('div', { className: 'compare-summary' });
  private readonly curveNote = el('p', { className: 'dash-note' });
  private readonly chartGrid = el('div', { className: 'chart-grid' });
  private readonly charts = new Map<string, DashboardChart>();

  constructor(
    root: HTMLElement,
    private readonly context: CompareViewContext,
  ) {
    this.curveNote.textContent = this.t('Waiting for data…');
    const header = el('header', { className: 'dash-header', attrs: { 'data-state': '' } }, el('h1', { text: this.t('Compare Training Jobs') }), this.jobs, this.actions);
    root.replaceChildren(header, section(this.t('Training curves'), this.curveNote, this.chartGrid), section(this.t('Summary'), this.summary));
  }

  show(message: CompareMessage): void {
    this.jobs.textContent = message.jobs.map((job) => job.name).join(' · ');
    this.actions.replaceChildren(...(message.canCompareSpecs ? [button(this.t('Compare Specs'), () => this.context.post({ type: 'compareSpecs' }))] : []));
    this.showCurves(message);
    this.showSummary(message.summary);
  }

  private showCurves(message: CompareMessage): void {
    const names = new Set(message.curves.map((curve) => curve.name));
    for (const [name, chart] of this.charts) {
      if (names.has(name)) continue;
      this.context.board.remove(chart);
      this.charts.delete(name);
    }
    for (const curve of message.curves) {
      const spec = { id: `compare:${curve.name}`, title: curve.name, xLabel: this.axisLabel(message), time: false, percent: false, compare: true };
      let chart = this.charts.get(curve.name);
      if (!chart) {
        chart = this.context.board.create(spec);
        this.charts.set(curve.name, chart);
      } else chart.respec(spec);
      this.chartGrid.append(chart.root);
      chart.setRuns(curve.runs.map((run, i) => ({ name: message.jobs[i]?.name ?? `#${i + 1}`, x: run.x, y: run.y })));
      this.context.board.schedule(chart);
    }
    this.curveNote.textContent = this.t('No training curves in the logs yet.');
    this.curveNote.hidden = message.curves.length > 0;
  }

  private showSummary(summary: CompareMessage['summary']): void {
    const table = el(
      'table',
      {},
      el('thead', {}, el('tr', {}, el('th', { text: this.t('Job'), attrs: { scope: 'col' } }), ...summary.columns.map((column) => el('th', { text: column, attrs: { scope: 'col' } })))),
      el('tbody', {}, ...summary.rows.map((row) => el('tr', {}, el('th', { text: row.job, attrs: { scope: 'row' } }), ...row.cells.map((value) => el('td', { text: value }))))),
    );
    this.summary.replaceChildren(table);
  }

  private axisLabel(message: CompareMessage): string {
    if (message.axis === 'epoch') return this.t('Epoch');
    if (message.axis === 'line') return this.t('Log line');
    return this.t('Step');
  }

  private t(key: string, ...args: (string | number)[]): string {
    return viewText(this.context.strings, key, ...args);
  }
}
