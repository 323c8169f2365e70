// One chart of the dashboard: a uPlot canvas plus its accessible twin, a real table of the same numbers, and a
// Copy as CSV button. The container carries the test hook (`data-chart`, `data-points`, `data-series`), kept
// current as soon as data arrives; the drawing itself waits for the next animation frame (ChartBoard).

import uPlot from 'uplot';
import type { ViewMessage } from '../protocol';
import { decimateMinMax } from './decimate';
import { button, el, nextId } from './dom';
import { columnRows, runRows, type TableRows } from './store';
import { viewText, type ViewStringTable } from './strings';
import type { ChartTheme } from './theme';

/** One line of a chart: its points, NaN in y being a gap. */
export interface ChartRun {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface ChartSpec {
  /** `resource:<name>`, `curve:<name>` or `compare:<name>`. */
  id: string;
  title: string;
  xLabel: string;
  /** x is epoch ms. */
  time: boolean;
  /** y is a percentage: the axis starts at 0 and reaches 100 at least. */
  percent: boolean;
  /** Several runs of different x (compared jobs): a legend, and lines drawn across missing points. */
  compare: boolean;
}

export interface ChartContext {
  strings: ViewStringTable;
  post(message: ViewMessage): void;
}

/** Rows a table shows at most: enough to read, few enough for a screen reader and the DOM. */
export const TABLE_ROWS = 1_000;
/** Above this many points per pixel of width, a run is drawn decimated. */
const POINTS_PER_PIXEL = 4;
const HEIGHT = 220;
const FALLBACK_WIDTH = 600;

export class DashboardChart {
  readonly root: HTMLElement;
  readonly plotHost: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly tableHost: HTMLElement;
  private readonly note: HTMLElement;
  private readonly tableToggle: HTMLButtonElement;
  private plot: uPlot | undefined;
  private runs: ChartRun[] = [];
  private tableShown = false;
  private drawnWidth = 0;
  private drawnNames = '';

  constructor(
    private spec: ChartSpec,
    private readonly context: ChartContext,
  ) {
    const t = (key: string): string => viewText(context.strings, key);
    const headingId = nextId('chart');
    this.heading = el('h3', { text: spec.title, attrs: { id: headingId } });
    this.tableToggle = button(t('Show Table'), () => this.toggleTable());
    this.tableToggle.setAttribute('aria-expanded', 'false');
    const toolbar = el('div', { className: 'chart-toolbar' }, button(t('Copy as CSV'), () => context.post({ type: 'copyCsv', chart: spec.id })), this.tableToggle);
    this.plotHost = el('div', { className: 'chart-plot', attrs: { role: 'img' } });
    this.note = el('p', { className: 'chart-note' });
    this.note.hidden = true;
    this.tableHost = el('div', { className: 'chart-table' });
    this.tableHost.hidden = true;
    this.root = el('section', { className: 'chart', attrs: { 'data-chart': spec.id, 'aria-labelledby': headingId } }, el('div', { className: 'chart-head' }, this.heading, toolbar), this.plotHost, this.note, this.tableHost);
    this.setRuns([]);
  }

  get id(): string {
    return this.spec.id;
  }

  /** Points held, all runs together. */
  get points(): number {
    return this.runs.reduce((sum, run) => sum + Math.min(run.x.length, run.y.length), 0);
  }

  /** New data (held by reference: the store's arrays): the hook and the label now, the drawing at the next frame. */
  setRuns(runs: ChartRun[]): void {
    this.runs = runs;
    const t = this.t.bind(this);
    this.root.dataset.points = String(this.points);
    if (this.spec.compare) {
      this.root.dataset.series = String(runs.length);
      this.plotHost.setAttribute('aria-label', t('{0}: {1} series, {2} points', this.spec.title, runs.length, this.points));
    } else this.plotHost.setAttribute('aria-label', t('{0}: {1} points', this.spec.title, this.points));
  }

  /** A new x label or kind of axis: the chart is rebuilt at the next draw. */
  respec(spec: ChartSpec): void {
    if (spec.xLabel === this.spec.xLabel && spec.title === this.spec.title && spec.time === this.spec.time) return;
    this.spec = spec;
    this.heading.textContent = spec.title;
    this.invalidate();
  }

  /** Forget the canvas (theme change): the next draw builds it again with the current colours. */
  invalidate(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** Whether the width changed enough to redraw (decimation depends on it). */
  resized(): boolean {
    return Math.abs(this.width() - this.drawnWidth) >= 1;
  }

  draw(theme: ChartTheme): void {
    const width = this.width();
    const series = this.runs.map((run) => this.drawable(run, width));
    const drawn = series.reduce((sum, run) => sum + run.x.length, 0);
    const data = this.align(series);
    // The lines' names are the legend (compared jobs): other names or another count need a new plot.
    const names = JSON.stringify(this.runs.map((run) => run.name));
    if (!this.plot || names !== this.drawnNames) {
      this.drawnNames = names;
      this.plot?.destroy();
      this.plot = new uPlot(this.options(theme, width), data, this.plotHost);
    } else {
      if (width !== this.drawnWidth) this.plot.setSize({ width, height: HEIGHT });
      this.plot.setData(data);
    }
    this.drawnWidth = width;
    this.note.hidden = drawn >= this.points;
    this.note.textContent = this.t('Drawn from {0} of {1} points; the table and the CSV have them all.', drawn, this.points);
    if (this.tableShown) this.renderTable();
  }

  destroy(): void {
    this.invalidate();
    this.root.remove();
  }

  private t(key: string, ...args: (string | number)[]): string {
    return viewText(this.context.strings, key, ...args);
  }

  private width(): number {
    return Math.floor(this.plotHost.clientWidth) || FALLBACK_WIDTH;
  }

  /** Points to draw: all of them, or the extremes per pixel when there are too many. */
  private drawable(run: ChartRun, width: number): { x: ArrayLike<number>; y: ArrayLike<number> } {
    const length = Math.min(run.x.length, run.y.length);
    if (length <= POINTS_PER_PIXEL * width) return { x: run.x, y: run.y };
    return decimateMinMax(run.x, run.y, length, width);
  }

  /** uPlot's columns: one x for all, NaN turned into null (a gap). Compared runs are joined on their x values. */
  private align(series: { x: ArrayLike<number>; y: ArrayLike<number> }[]): uPlot.AlignedData {
    const gapsAsNull = (y: ArrayLike<number>): (number | null)[] => Array.from(y, (value) => (Number.isNaN(value) ? null : value));
    if (series.length === 0) return [[]];
    if (series.length === 1) return [Array.from(series[0].x), gapsAsNull(series[0].y)];
    return uPlot.join(series.map((run) => [Array.from(run.x), gapsAsNull(run.y)]));
  }

  private options(theme: ChartTheme, width: number): uPlot.Options {
    const axis = (label: string): uPlot.Axis => ({ label, stroke: theme.foreground, font: theme.font, labelFont: theme.font, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } });
    const yAxis = axis('');
    if (this.spec.percent) yAxis.values = (_plot, values) => values.map((value) => `${value}%`);
    return {
      width,
      height: HEIGHT,
      // x values are epoch milliseconds where the axis is time.
      ms: 1,
      legend: { show: this.spec.compare },
      scales: {
        x: { time: this.spec.time },
        y: this.spec.percent ? { range: (_plot, _min, max) => [0, Math.max(100, max)] } : {},
      },
      axes: [axis(this.spec.xLabel), yAxis],
      series: [
        { label: this.spec.xLabel },
        ...this.runs.map((run, i) => ({ label: run.name, stroke: theme.palette[i % theme.palette.length], width: theme.lineWidth, spanGaps: this.spec.compare })),
      ],
    };
  }

  private toggleTable(): void {
    this.tableShown = !this.tableShown;
    this.tableHost.hidden = !this.tableShown;
    this.tableToggle.textContent = this.tableShown ? this.t('Hide Table') : this.t('Show Table');
    this.tableToggle.setAttribute('aria-expanded', String(this.tableShown));
    if (this.tableShown) this.renderTable();
    else this.tableHost.replaceChildren();
  }

  private tableRows(): TableRows {
    if (this.spec.compare) return runRows(this.t('Job'), this.spec.xLabel, this.spec.title, this.runs, TABLE_ROWS);
    const run = this.runs[0] ?? { name: this.spec.title, x: [], y: [] };
    const formatX = this.spec.time ? (value: number): string => new Date(value).toLocaleString() : undefined;
    return columnRows(this.spec.xLabel, run.x, [{ label: this.spec.title, values: run.y }], TABLE_ROWS, formatX);
  }

  private renderTable(): void {
    const { header, rows, total } = this.tableRows();
    const table = el(
      'table',
      {},
      el('caption', { text: this.spec.title }),
      el('thead', {}, el('tr', {}, ...header.map((label) => el('th', { text: label, attrs: { scope: 'col' } })))),
      el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((value) => el('td', { text: value === null ? '' : String(value) }))))),
    );
    const children: Node[] = [table];
    if (rows.length < total) children.unshift(el('p', { className: 'chart-note', text: this.t('Showing the last {0} of {1} rows.', rows.length, total) }));
    this.tableHost.replaceChildren(...children);
  }
}
