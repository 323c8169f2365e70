// The numbers behind the charts, kept whole: training curves grow by appends (`curves` messages carry only the
// new points, from an index) into growable typed arrays, so a million points cost 16 MB and no garbage per
// update. Tables and CSV read the full data; only the drawing is decimated. Pure: no DOM, no uPlot.

import type { CurvesMessage } from '../protocol';

const FIRST_CAPACITY = 256;

/** One series of (x, y) points in two Float64Arrays that double when full. NaN in y is a gap. */
export class GrowableSeries {
  private xs = new Float64Array(FIRST_CAPACITY);
  private ys = new Float64Array(FIRST_CAPACITY);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Views of the points held (valid until the next change). */
  get x(): Float64Array {
    return this.xs.subarray(0, this.count);
  }

  get y(): Float64Array {
    return this.ys.subarray(0, this.count);
  }

  /**
   * Writes `x`/`y` from index `from`: points already held from there on are replaced (a resend), so the series
   * ends after the new points. Refuses (false) a `from` past the end, which would leave a hole.
   */
  put(from: number, x: ArrayLike<number>, y: ArrayLike<number | null>): boolean {
    if (!Number.isInteger(from) || from < 0 || from > this.count || x.length !== y.length) return false;
    const end = from + x.length;
    this.reserve(end);
    // A plain loop: Chromium's TypedArray.set from a JS array is about four times slower; null (a gap) is NaN.
    const { xs, ys } = this;
    for (let i = 0; i < x.length; i++) {
      xs[from + i] = x[i];
      ys[from + i] = y[i] ?? Number.NaN;
    }
    this.count = end;
    return true;
  }

  clear(): void {
    this.count = 0;
  }

  private reserve(size: number): void {
    if (size <= this.xs.length) return;
    let capacity = this.xs.length;
    while (capacity < size) capacity *= 2;
    const xs = new Float64Array(capacity);
    const ys = new Float64Array(capacity);
    xs.set(this.x);
    ys.set(this.y);
    this.xs = xs;
    this.ys = ys;
  }
}

/** What one `curves` message changed. */
export interface CurvesUpdate {
  /** Curves that got points (new ones included), in the order they first appeared in the message. */
  changed: string[];
  /** Curves whose points did not fit where they said they start (an earlier message was lost). */
  refused: string[];
}

/** The training curves of one job, by name, in the order they first arrived. */
export class CurveStore {
  private readonly series = new Map<string, GrowableSeries>();

  get names(): string[] {
    return [...this.series.keys()];
  }

  get(name: string): GrowableSeries | undefined {
    return this.series.get(name);
  }

  /** Applies a `curves` message: `reset` drops every curve first, then each series' points go in from `from`. */
  apply(message: Pick<CurvesMessage, 'reset' | 'series'>): CurvesUpdate {
    if (message.reset) this.series.clear();
    const changed: string[] = [];
    const refused: string[] = [];
    for (const points of message.series) {
      // A curve comes into being only with points that fit (a refused first message leaves no empty curve).
      const target = this.series.get(points.name) ?? new GrowableSeries();
      if (!target.put(points.from, points.x, points.y)) {
        refused.push(points.name);
        continue;
      }
      this.series.set(points.name, target);
      if (!changed.includes(points.name)) changed.push(points.name);
    }
    return { changed, refused };
  }
}

/** One column of numbers of a table or CSV: NaN and null are empty cells. */
export interface ValueColumn {
  label: string;
  values: ArrayLike<number | null>;
}

export type Cell = string | number | null;

/** Rows of a table: the last `cap` of them, and how many there are in all (the caller says so when it cuts). */
export interface TableRows {
  header: string[];
  rows: Cell[][];
  total: number;
}

const cell = (value: number | null | undefined): Cell => (value === null || value === undefined || Number.isNaN(value) ? null : value);

/**
 * A table of one x column and value columns of the same length (a job's curve or resource), the last `cap`
 * rows; `formatX` writes x (a time, say).
 */
export function columnRows(xLabel: string, x: ArrayLike<number>, columns: readonly ValueColumn[], cap: number, formatX: (x: number) => Cell = (v) => v): TableRows {
  const total = x.length;
  const start = Math.max(0, total - Math.max(0, cap));
  const rows: Cell[][] = [];
  for (let i = start; i < total; i++) rows.push([formatX(x[i]), ...columns.map((column) => cell(column.values[i]))]);
  return { header: [xLabel, ...columns.map((column) => column.label)], rows, total };
}

/** Runs of different x (compared jobs): one row per point, `[run, x, y]`, each run's last `cap / runs` points. */
export interface NamedRun {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number | null>;
}

export function runRows(runLabel: string, xLabel: string, yLabel: string, runs: readonly NamedRun[], cap: number): TableRows {
  const share = runs.length > 0 ? Math.floor(Math.max(0, cap) / runs.length) : 0;
  const rows: Cell[][] = [];
  let total = 0;
  for (const run of runs) {
    total += run.x.length;
    for (let i = Math.max(0, run.x.length - share); i < run.x.length; i++) rows.push([run.name, run.x[i], cell(run.y[i])]);
  }
  return { header: [runLabel, xLabel, yLabel], rows, total };
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused for spreadsheets. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text of a header and rows (CRLF line ends). */
export function toCsv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
