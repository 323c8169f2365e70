// One training job's dashboard: header, status line, resource charts per task, training curves that grow as the
// log is read, and the timeline of phases and events.

import type { CurvesMessage, DashboardHeader, ResourcesMessage, StateTone, TimelineMessage, ViewMessage } from '../protocol';
import type { ChartBoard } from './board';
import type { DashboardChart } from './chart';
import { button, el, nextId } from './dom';
import { CurveStore } from './store';
import { viewText, type ViewStringTable } from './strings';
import { renderTimeline } from './timeline';

export interface JobViewContext {
  strings: ViewStringTable;
  board: ChartBoard;
  post(message: ViewMessage): void;
  /** A problem to report to the extension (no message content in it). */
  problem(text: string): void;
  /** The user chose another task: the panel's saved state follows. */
  taskChosen(task: string): void;
}

/** The symbol beside the state word, by tone (the words say the state; the symbol and colour only help). */
export const TONE_SYMBOL: Record<StateTone, string> = { running: '●', moving: '◐', done: '✓', failed: '✕', stopped: '■', unknown: '?' };

export function section(title: string, ...children: Node[]): HTMLElement {
  const id = nextId('section');
  return el('section', { className: 'dash-section', attrs: { 'aria-labelledby': id } }, el('h2', { text: title, attrs: { id } }), ...children);
}

export class JobView {
  private readonly header = el('header', { className: 'dash-header', attrs: { 'data-state': '' } });
  private readonly status = el('p', { className: 'dash-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly taskPicker = el('div', { className: 'task-picker' });
  private readonly resourceNote = el('p', { className: 'dash-note' });
  private readonly resourceCharts = el('div', { className: 'chart-grid' });
  private readonly curveNote = el('p', { className: 'dash-note' });
  private readonly curveCharts = el('div', { className: 'chart-grid' });
  private readonly timeline = el('div', { className: 'timeline' });
  private readonly resources = new Map<string, DashboardChart>();
  private readonly curves = new Map<string, DashboardChart>();
  private readonly curveStore = new CurveStore();
  private axis: CurvesMessage['axis'] = 'step';
  private tasks: string[] = [];

  constructor(
    root: HTMLElement,
    private readonly context: JobViewContext,
  ) {
    this.status.hidden = true;
    this.resourceNote.textContent = this.t('Waiting for data…');
    this.curveNote.textContent = this.t('No training curves in the log yet.');
    this.timeline.append(el('p', { className: 'dash-note', text: this.t('Waiting for data…') }));
    root.replaceChildren(
      this.header,
      this.status,
      section(this.t('Resources'), this.taskPicker, this.resourceNote, this.resourceCharts),
      section(this.t('Training curves'), this.curveNote, this.curveCharts),
      section(this.t('Timeline'), this.timeline),
    );
  }

  showHeader(header: DashboardHeader): void {
    const stateWord = el('span', { className: 'state-word', text: header.state });
    const state = el('span', { className: `state tone-${header.tone}` }, el('span', { className: 'state-symbol', text: TONE_SYMBOL[header.tone], attrs: { 'aria-hidden': 'true' } }), stateWord);
    const badge = el('span', { className: header.live ? 'badge badge-live' : 'badge', text: header.live ? this.t('Live') : this.t('Ended') });
    const fields = el('dl', { className: 'fields' }, ...header.fields.flatMap((field) => [el('dt', { text: field.label }), el('dd', { text: field.value })]));
    const tags = el('ul', { className: 'tags', attrs: { 'aria-label': this.t('Tags') } }, ...header.tags.map((tag) => el('li', { className: 'chip', text: tag })));
    const actions = el('div', { className: 'actions' }, ...header.actions.map(({ action, label }) => button(label, () => this.context.post({ type: 'action', action }))));
    this.header.dataset.state = header.state;
    this.header.replaceChildren(el('div', { className: 'title-row' }, el('h1', { text: header.title }), state, badge), fields);
    if (header.tags.length > 0) this.header.append(tags);
    if (header.actions.length > 0) this.header.append(actions);
  }

  showStatus(text: string, level: 'info' | 'warning' | 'error'): void {
    this.status.hidden = text === '';
    this.status.className = `dash-status level-${level}`;
    // An error interrupts; the rest waits for a pause.
    this.status.setAttribute('role', level === 'error' ? 'alert' : 'status');
    this.status.textContent = text;
  }

  showResources(message: ResourcesMessage): void {
    this.showTasks(message.tasks, message.task);
    const note = message.note ?? (message.series.length === 0 ? this.t('Waiting for data…') : undefined);
    this.resourceNote.hidden = note === undefined;
    this.resourceNote.textContent = note ?? '';
    const shown = note === undefined ? message.series : [];
    for (const [name, chart] of this.resources) {
      if (shown.some((series) => series.name === name)) continue;
      this.context.board.remove(chart);
      this.resources.delete(name);
    }
    for (const series of shown) {
      const spec = { id: `resource:${series.name}`, title: series.label, xLabel: this.t('Time'), time: true, percent: true, compare: false };
      let chart = this.resources.get(series.name);
      if (!chart) {
        chart = this.context.board.create(spec);
        this.resources.set(series.name, chart);
      } else chart.respec(spec);
      // Keep the series' order: appending an element already in place moves it to the end.
      this.resourceCharts.append(chart.root);
      const x = Float64Array.from({ length: series.values.length }, (_, i) => message.start + i * message.stepMs);
      const y = Float64Array.from(series.values, (value) => value ?? Number.NaN);
      chart.setRuns([{ name: series.label, x, y }]);
      this.context.board.schedule(chart);
    }
  }

  showCurves(message: CurvesMessage): void {
    if (message.reset) {
      for (const chart of this.curves.values()) this.context.board.remove(chart);
      this.curves.clear();
    }
    const axisChanged = message.axis !== this.axis;
    this.axis = message.axis;
    const { changed, refused } = this.curveStore.apply(message);
    if (refused.length > 0) this.context.problem(`Dropped the points of ${refused.length} curve(s) that did not follow the points held`);
    const names = axisChanged ? this.curveStore.names : changed;
    for (const name of names) {
      const series = this.curveStore.get(name);
      if (!series) continue;
      const spec = { id: `curve:${name}`, title: name, xLabel: this.axisLabel(), time: false, percent: false, compare: false };
      let chart = this.curves.get(name);
      if (!chart) {
        chart = this.context.board.create(spec);
        this.curves.set(name, chart);
        this.curveCharts.append(chart.root);
      } else chart.respec(spec);
      chart.setRuns([{ name, x: series.x, y: series.y }]);
      this.context.board.schedule(chart);
    }
    this.curveNote.hidden = this.curves.size > 0;
  }

  showTimeline(message: TimelineMessage): void {
    renderTimeline(this.timeline, message, this.context.strings);
  }

  private showTasks(tasks: string[], task: string): void {
    if (tasks.length <= 1) {
      this.taskPicker.replaceChildren();
      this.tasks = [];
      return;
    }
    const same = tasks.length === this.tasks.length && tasks.every((name, i) => name === this.tasks[i]);
    const existing = this.taskPicker.querySelector('select');
    if (same && existing) {
      existing.value = task;
      return;
    }
    this.tasks = [...tasks];
    const id = nextId('task');
    const select = el('select', { attrs: { id } }, ...tasks.map((name) => el('option', { text: name, attrs: { value: name } })));
    select.value = task;
    select.addEventListener('change', () => {
      this.context.taskChosen(select.value);
      this.context.post({ type: 'selectTask', task: select.value });
    });
    this.taskPicker.replaceChildren(el('label', { text: this.t('Task'), attrs: { for: id } }), select);
  }

  private axisLabel(): string {
    if (this.axis === 'epoch') return this.t('Epoch');
    if (this.axis === 'line') return this.t('Log line');
    return this.t('Step');
  }

  private t(key: string, ...args: (string | number)[]): string {
    return viewText(this.context.strings, key, ...args);
  }
}
