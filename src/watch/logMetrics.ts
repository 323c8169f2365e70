// Training curves from a job's log: text in arbitrary chunks (the whole log first, then what a follow adds),
// numbers out, one series per metric. Plain Node: no vscode here. The text is data: nothing in it is evaluated;
// what comes out is metric names limited to METRIC_NAME and finite numbers.
//
// Forms read on each line (keys case-insensitive, names kept in lower case):
// - `key=0.12`, `key: 0.12`, `'key': 0.12`, `"key": 0.12` (so Python dicts and Keras' `loss: 0.1 - acc: 0.9`),
//   and JSON lines (a line starting with `{`, read with JSON.parse, top-level numbers only). A bare
//   `loss 0.12` is not read: in prose ("loss went up 3 times") it is noise more often than a value.
// - Metric keys: those of KNOWN_METRICS, optionally after a split prefix (`val_`, `eval/`, `train.`, …), and any
//   key with a part `loss` (`ce_loss`, `loss_cls`, `decode.loss_ce`) or whose last part is `acc` or `accuracy`.
//   Keys end with a letter, except top1, top5, acc1, acc5 and f1 (so `loss_2` is not read).
// - Separators are spaces and tabs around `:`/`=`; the value follows on the same line.
// - The x: `step`/`global_step`/`iter`/`iteration` and `epoch`, with `=`, `:`, spaces or a bracket:
//   `epoch 3/10`, `Epoch [3/10]`, `epoch=3`, `step 1200`, `'epoch': 0.5`. A line's x is its step; else the last
//   step seen; else its epoch; else the last epoch seen; else its ordinal (the line number from 1). So once a
//   log has shown a step, lines that name only an epoch (validation) sit at the step they follow. A step within
//   its epoch (`epoch 3/10 step 120/500`: a step with a total, on a line with a whole epoch) counts from the
//   start of training: (3 - 1) × 500 + 120, so a log that mixes it with a global step draws one curve.
// - Values: decimal or scientific notation; NaN, Infinity and overflows (1e400) are dropped and counted.
// - Lines end at `\n`, `\r\n` or a lone `\r` (progress bars). A line longer than MAX_LINE_CHARS is dropped
//   whole and counted; at most MAX_SERIES series are kept, the first value of a metric on a line counts.
// - Custom patterns (metricPatterns.ts) run first on each line up to MAX_PATTERN_LINE_CHARS; their values and
//   x win over the built-in reading of the same line. With patterns set, every line is scanned (slower).
// Speed: most lines of a log carry no metric; a screen (mayHoldValues) lets them pass with a few character
// comparisons, and the pair scan runs in place on the chunk, so a line is copied only for JSON or patterns.

import { type CompiledMetricPattern, MAX_PATTERN_LINE_CHARS, METRIC_NAME, compileMetricPatterns } from './metricPatterns';

/** Longest line read, in characters; a longer one is dropped whole (and the partial tail never grows past it). */
export const MAX_LINE_CHARS = 64 * 1024;
/** Most series kept: a log that names endless distinct metrics cannot grow memory without bound. */
export const MAX_SERIES = 64;

export const KNOWN_METRICS: ReadonlySet<string> = new Set([
  'loss', 'acc', 'accuracy', 'lr', 'learning_rate', 'ppl', 'perplexity', 'top1', 'top5', 'acc1', 'acc5',
  'f1', 'map', 'miou', 'iou', 'auc', 'bleu', 'wer', 'cer', 'mae', 'mse', 'rmse', 'grad_norm',
]);
const SPLIT_PREFIX = /^(?:train|training|val|valid|validation|eval|test|dev)[_./-]/;
const KEY_END = /[a-z]$/;
const DIGIT_METRIC = /(?:^|[_./-])(?:top1|top5|acc1|acc5|f1)$/;
const ACC = new Set(['acc', 'accuracy']);
const STEP_RANK: ReadonlyMap<string, number> = new Map([['global_step', 3], ['step', 2], ['iteration', 1], ['iter', 1]]);

export type MetricAxis = 'line' | 'epoch' | 'step';

/** One series: `x[i]`, `y[i]` for i < length. Views into the parser's buffers: read, never write. */
export interface MetricSeries {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly length: number;
}

/** Where a reader is: pass it back to `pointsSince` to get only what arrived after. */
export interface MetricMark {
  readonly version: number;
  readonly lengths: ReadonlyMap<string, number>;
}

/** Points of one series that arrived after a mark: `x`, `y` are copies, `from` the index of their first. */
export interface MetricPoints {
  readonly name: string;
  readonly from: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export interface LogMetricStats {
  /** Lines read, dropped ones included. */
  lines: number;
  linesWithMetrics: number;
  points: number;
  /** Lines longer than MAX_LINE_CHARS, dropped whole. */
  droppedLines: number;
  /** NaN, Infinity and numbers too large for a double. */
  droppedValues: number;
  /** Points of metrics beyond MAX_SERIES. */
  droppedPoints: number;
}

/** A metric key; `series` is its series once known, which spares a map look-up for each point. */
type MetricKey = { kind: 'metric'; name: string; series?: GrowingSeries };
type KeyKind = MetricKey | { kind: 'step'; rank: number } | { kind: 'epoch' } | undefined;

/**
 * `key` + `=`/`:` (or, for the x words only, spaces or `[`) + a number. Keys start where a word does, not after
 * `.`, `/` or `-` (the lookbehind, which also keeps a line of `a.a.a.…` linear); the value must end a word
 * (`0.12abc` and `1.2.3` are not values; a full stop after one is fine). A line break ends the search: the
 * scan runs in place on the chunk and must not read on into the next lines.
 */
const PAIR = /(?<![\w./-])(?:['"]?([A-Za-z_][\w./-]{0,63})['"]?[ \t]*[:=]|([Ee][Pp][Oo][Cc][Hh]|[Ss][Tt][Ee][Pp]|[Ii][Tt][Ee][Rr](?:[Aa][Tt][Ii][Oo][Nn])?|[Gg][Ll][Oo][Bb][Aa][Ll]_[Ss][Tt][Ee][Pp])(?:[ \t]+\[?|\[))[ \t]*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[Nn]a[Nn]|[-+]?(?:[Ii]nf|INF)(?:inity|INITY)?)(?!\w|\.\d)|[\r\n]/g;
const KEY_CACHE_LIMIT = 4_096;
/** The screen (see mayHoldValues): a separator before a number-like character, and the x words. */
const SEPARATOR = /[:=]\s*[-+.\dNnIi]/g;
const X_WORD = /epoch|step|iter/gi;
const SPACE = /\s/;

/**
 * Where the next SEPARATOR match at or after `from` whose key side can end a key ends; Infinity when none. (Its
 * end, not its start, so that `test` serves and no match array is made for each timestamp.)
 */
function nextSeparator(text: string, from: number): number {
  SEPARATOR.lastIndex = from;
  while (SEPARATOR.test(text)) {
    const last = SEPARATOR.lastIndex - 1;
    let at = last - 1;
    while (text.charCodeAt(at) !== 58 && text.charCodeAt(at) !== 61) at--;
    if (endsKey(text, at)) return last;
  }
  return Number.POSITIVE_INFINITY;
}

/** Whether what precedes text[at] (spaces and one quote aside) can end a key: a letter, `_`, or `1`/`5` after a letter (top1, acc5). */
function endsKey(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && SPACE.test(text[i])) i--;
  let c = text.charCodeAt(i);
  if (c === 39 || c === 34) c = text.charCodeAt(--i);
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  if (c !== 49 && c !== 53) return false;
  const b = text.charCodeAt(i - 1) | 32;
  return b >= 97 && b <= 122;
}

class GrowingSeries implements MetricSeries {
  x = new Float64Array(16);
  y = new Float64Array(16);
  length = 0;
  /** The ordinal of the line of the last point: one value per metric per line. */
  lastLine = 0;

  add(x: number, y: number): void {
    if (this.length === this.x.length) {
      // Doubling: 1,000,000 points cost about 20 copies in all, and at most twice the memory they need.
      const nx = new Float64Array(this.length * 2);
      const ny = new Float64Array(this.length * 2);
      nx.set(this.x);
      ny.set(this.y);
      this.x = nx;
      this.y = ny;
    }
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.length++;
  }
}

export interface LogMetricParserOptions {
  /** The `modelarts.dashboard.metricPatterns` setting; patterns that cannot be used are skipped. */
  readonly patterns?: readonly unknown[];
}

export class LogMetricParser {
  /** Increments after each push (or end) that added points. */
  version = 0;
  readonly stats: LogMetricStats = { lines: 0, linesWithMetrics: 0, points: 0, droppedLines: 0, droppedValues: 0, droppedPoints: 0 };

  private readonly all = new Map<string, GrowingSeries>();
  /** What each key seen is; null: nothing read. */
  private readonly keys = new Map<string, KeyKind | null>();
  private readonly patterns: readonly CompiledMetricPattern[];
  private tail = '';
  /** The current line already passed MAX_LINE_CHARS: skip to its end. */
  private skipping = false;
  /** The last chunk ended in `\r`: a `\n` opening the next one closes nothing. */
  private afterCr = false;
  private lastStep: number | undefined;
  private lastEpoch: number | undefined;
  // Per line, reused.
  /** The total after the line's step (`step 120/500`): with an epoch on the line, the step counts from the start. */
  private lineStepTotal: number | undefined;
  private lineStep: number | undefined;
  private lineStepRank = 0;
  private lineEpoch: number | undefined;
  private readonly pendingMetrics: MetricKey[] = [];
  private readonly pendingValues: number[] = [];
  // Where the screen's two searches found their next hit in the current chunk (-1: not searched yet).
  private separatorAt = -1;
  private xWordAt = -1;

  constructor(options: LogMetricParserOptions = {}) {
    this.patterns = compileMetricPatterns(options.patterns ?? []).compiled;
  }

  /** The kind of x the newest points have. */
  get axis(): MetricAxis {
    return this.lastStep !== undefined ? 'step' : this.lastEpoch !== undefined ? 'epoch' : 'line';
  }

  push(text: string): void {
    const before = this.stats.points;
    let start = 0;
    if (this.afterCr && text.charCodeAt(0) === 10) start = 1;
    this.afterCr = false;
    this.separatorAt = -1;
    this.xWordAt = -1;
    let nl = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    while (nl >= 0 || cr >= 0) {
      const end = cr >= 0 && (nl < 0 || cr < nl) ? cr : nl;
      this.endLine(text, start, end);
      start = end + 1;
      if (end === cr) {
        if (text.charCodeAt(start) === 10) start++;
        else if (start === text.length) this.afterCr = true;
        cr = text.indexOf('\r', start);
      }
      if (nl >= 0 && nl < start) nl = text.indexOf('\n', start);
    }
    this.keepTail(text, start);
    if (this.stats.points > before) this.version++;
  }

  /** Reads the last line, which no line break ended. */
  end(): void {
    const before = this.stats.points;
    if (this.skipping) {
      this.stats.lines++;
      this.stats.droppedLines++;
    } else if (this.tail.length > 0) this.readLine(this.tail, 0, this.tail.length);
    this.tail = '';
    this.skipping = false;
    if (this.stats.points > before) this.version++;
  }

  series(): ReadonlyMap<string, MetricSeries> {
    const views = new Map<string, MetricSeries>();
    for (const [name, s] of this.all) views.set(name, { x: s.x.subarray(0, s.length), y: s.y.subarray(0, s.length), length: s.length });
    return views;
  }

  mark(): MetricMark {
    return { version: this.version, lengths: new Map([...this.all].map(([name, s]) => [name, s.length])) };
  }

  /** The points that arrived after `since` (all of them without it), and the mark to pass next time. */
  pointsSince(since?: MetricMark): { mark: MetricMark; points: MetricPoints[] } {
    const points: MetricPoints[] = [];
    for (const [name, s] of this.all) {
      const from = since?.lengths.get(name) ?? 0;
      if (s.length > from) points.push({ name, from, x: s.x.slice(from, s.length), y: s.y.slice(from, s.length) });
    }
    return { mark: this.mark(), points };
  }

  private endLine(text: string, start: number, end: number): void {
    if (this.skipping || this.tail.length + (end - start) > MAX_LINE_CHARS) {
      this.stats.lines++;
      this.stats.droppedLines++;
    } else if (this.tail.length === 0 && this.patterns.length === 0 && !this.mayHoldValues(text, start, end)) this.stats.lines++;
    else if (this.tail.length > 0) {
      const line = this.tail + text.slice(start, end);
      this.readLine(line, 0, line.length);
    } else this.readLine(text, start, end);
    this.tail = '';
    this.skipping = false;
  }

  private keepTail(text: string, start: number): void {
    if (start >= text.length || this.skipping) return;
    if (this.tail.length + (text.length - start) > MAX_LINE_CHARS) {
      this.tail = '';
      this.skipping = true;
    } else this.tail += text.slice(start);
  }

  /**
   * Whether text[start, end) may hold a value the pair scan reads: a `:` or `=` before something number-like
   * with a key-like character before it, or an x word. A screen that lets every such line through, so that most
   * lines (timestamps, paths, prose) cost a few character comparisons instead of the pair scan; its two
   * searches run ahead over the chunk and are redone only once a line passes them.
   */
  private mayHoldValues(text: string, start: number, end: number): boolean {
    if (this.separatorAt < start) this.separatorAt = nextSeparator(text, start);
    if (this.separatorAt < end) return true;
    if (this.xWordAt < start) {
      X_WORD.lastIndex = start;
      this.xWordAt = X_WORD.test(text) ? X_WORD.lastIndex - 1 : Number.POSITIVE_INFINITY;
    }
    return this.xWordAt < end;
  }

  /** Reads the line text[start, end) (read in place: most lines are never copied out of their chunk). */
  private readLine(text: string, start: number, end: number): void {
    const ordinal = ++this.stats.lines;
    if (end === start) return;
    this.lineStep = undefined;
    this.lineStepRank = 0;
    this.lineStepTotal = undefined;
    this.lineEpoch = undefined;
    this.pendingMetrics.length = 0;
    this.pendingValues.length = 0;
    if (this.patterns.length > 0 && end - start <= MAX_PATTERN_LINE_CHARS) this.readPatterns(text.slice(start, end));
    // JSON.parse only where it can succeed: a Python dict (`{'loss': …}`) has no double quote.
    const line = text.charCodeAt(start) === 123 ? text.slice(start, end) : '';
    if (!(line.indexOf('"') > 0 && this.readJson(line))) this.readPairs(text, start, end);
    const step = this.stepOfLine();
    if (step !== undefined) this.lastStep = step;
    if (this.lineEpoch !== undefined) this.lastEpoch = this.lineEpoch;
    if (this.pendingMetrics.length === 0) return;
    const x = this.lastStep ?? this.lastEpoch ?? ordinal;
    let added = false;
    for (let i = 0; i < this.pendingMetrics.length; i++) added = this.addPoint(this.pendingMetrics[i], x, this.pendingValues[i], ordinal) || added;
    if (added) this.stats.linesWithMetrics++;
  }

  /** The line's step, counted from the start of training when it is a step within the line's epoch. */
  private stepOfLine(): number | undefined {
    const { lineStep: step, lineStepTotal: total, lineEpoch: epoch } = this;
    if (step === undefined || total === undefined || epoch === undefined || !Number.isInteger(epoch) || epoch < 1) return step;
    return (epoch - 1) * total + step;
  }

  private addPoint(metric: MetricKey, x: number, y: number, ordinal: number): boolean {
    let series = metric.series ?? this.all.get(metric.name);
    if (!series) {
      if (this.all.size >= MAX_SERIES) {
        this.stats.droppedPoints++;
        return false;
      }
      series = new GrowingSeries();
      this.all.set(metric.name, series);
    }
    metric.series = series;
    if (series.lastLine === ordinal) return false;
    series.lastLine = ordinal;
    series.add(x, y);
    this.stats.points++;
    return true;
  }

  private readPairs(text: string, start: number, end: number): void {
    PAIR.lastIndex = start;
    for (let m = PAIR.exec(text); m !== null && m.index < end; m = PAIR.exec(text)) {
      // Group 1: a key before `:`/`=`; group 2: an x word before a space or `[`; neither: the line's end.
      const key = m[1] ?? m[2];
      if (key === undefined) break;
      const kind = this.kindOf(key);
      if (kind !== undefined) this.take(kind, Number(m[3]), kind.kind === 'step' ? totalAt(text, PAIR.lastIndex) : undefined);
      // Fewer than 3 characters left (`a=1` is 3) hold no pair: no search for the line's end.
      if (end - PAIR.lastIndex < 3) break;
    }
  }

  /** Reads a JSON line; false when it is not one (a Python dict, say), for the pair scan to read instead. */
  private readJson(line: string): boolean {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return false;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v !== 'number') continue;
      const kind = this.kindOf(key);
      if (kind !== undefined) this.take(kind, v);
    }
    return true;
  }

  private readPatterns(line: string): void {
    for (const pattern of this.patterns) {
      const groups = pattern.regex.exec(line)?.groups;
      if (!groups) continue;
      for (const [group, name] of pattern.metrics) {
        const text = groups[group];
        if (text !== undefined) this.take({ kind: 'metric', name }, numberOf(text));
      }
      // A pattern's own x ranks above the built-in forms on its line.
      if (pattern.hasStep && groups.step !== undefined) this.take({ kind: 'step', rank: 4 }, numberOf(groups.step));
      if (pattern.hasEpoch && groups.epoch !== undefined) this.take({ kind: 'epoch' }, numberOf(groups.epoch));
    }
  }

  private take(kind: NonNullable<KeyKind>, value: number, total?: number): void {
    if (!Number.isFinite(value)) {
      this.stats.droppedValues++;
      return;
    }
    if (kind.kind === 'metric') {
      this.pendingMetrics.push(kind);
      this.pendingValues.push(value);
    } else if (kind.kind === 'step') {
      if (kind.rank > this.lineStepRank) {
        this.lineStep = value;
        this.lineStepRank = kind.rank;
        this.lineStepTotal = total;
      }
    } else if (this.lineEpoch === undefined) this.lineEpoch = value;
  }

  private kindOf(key: string): KeyKind {
    const known = this.keys.get(key);
    if (known !== undefined) return known ?? undefined;
    const kind = classifyKey(key);
    if (this.keys.size >= KEY_CACHE_LIMIT) this.keys.clear();
    this.keys.set(key, kind ?? null);
    return kind;
  }
}

/** The total after a step's value (`120/500` → 500), read at text[at]; undefined when there is none. */
function totalAt(text: string, at: number): number | undefined {
  if (text.charCodeAt(at) !== 47) return undefined;
  let total = 0;
  let i = at + 1;
  for (; i < at + 10 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    total = total * 10 + (c - 48);
  }
  return i > at + 1 && total > 0 ? total : undefined;
}

/** What a key names: a metric (and its series name), the step or the epoch, or nothing read. */
export function classifyKey(key: string): KeyKind {
  const k = key.toLowerCase();
  // Keys end with a letter, or are one of the few metrics that end with a digit (the screen relies on it).
  if (!METRIC_NAME.test(k) || !(KEY_END.test(k) || DIGIT_METRIC.test(k))) return undefined;
  if (k === 'epoch') return { kind: 'epoch' };
  const rank = STEP_RANK.get(k);
  if (rank !== undefined) return { kind: 'step', rank };
  if (KNOWN_METRICS.has(k) || KNOWN_METRICS.has(k.replace(SPLIT_PREFIX, ''))) return { kind: 'metric', name: k };
  const parts = k.split(/[_./-]/);
  // `acc` only last: `grad_acc_steps` is gradient accumulation, not an accuracy.
  if (ACC.has(parts[parts.length - 1]) || parts.includes('loss')) return { kind: 'metric', name: k };
  return undefined;
}

/** A captured value as a number: NaN for text that is not one (dropped and counted like NaN itself). */
function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}
