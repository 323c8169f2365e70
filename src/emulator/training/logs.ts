import { eventTimeChina } from '../framework';
import { noise } from '../familyKit';

// A training task's log: it grows while the task runs and is served by the log preview API as its newest
// 5 MB with byte sizes. Only that window is kept in memory, with the total ever written, so a million lines
// or one huge line cost no more than the window. The whole log (for its OBS link) is rebuilt on demand from
// a record of what was written: generated line ranges (rebuilt from their source) and appended text (kept up
// to a cap).

/** The most the log preview returns, in bytes. */
export const PREVIEW_WINDOW_BYTES = 5 * 1024 * 1024;

/** Lines a running task writes per emulated second unless told otherwise. */
export const DEFAULT_LOG_RATE = 2;

export interface LogPreview {
  content: string;
  current_size: number;
  full_size: number;
}

/** The lines a running task writes. */
export interface LineSource {
  /** Line `index` (0-based) written at emulated time `at`, newline included. */
  line: (index: number, at: number) => string;
  /**
   * Total bytes of lines [from, to), for sources whose line sizes are known without building them: a read
   * after a long gap then skips the lines that fall before the window instead of building them all.
   */
  bytes?: (from: number, to: number) => number;
  /** The shortest line in bytes (with `bytes`). */
  minLineBytes?: number;
}

const SMALL_CHUNK = 64 * 1024;
const GENERATE_BATCH = 10_000;
/** Appended text kept for the whole log, per task; past it a note stands in for the text. */
export const FULL_LOG_TEXT_CAP = 32 * 1024 * 1024;

/** What was written, in order: generated lines [from, to) at a rate, or appended text, or its size only. */
type Piece =
  | { kind: 'lines'; from: number; to: number; rateSince: number; linesAtRateSince: number; rate: number }
  | { kind: 'text'; data: Buffer }
  | { kind: 'omitted'; bytes: number };

export class TaskLog {
  private chunks: Buffer[] = [];
  /** Bytes held in `chunks`: at least the window once that much was written, a little more at most. */
  private retained = 0;
  private total = 0;
  private cached: LogPreview | undefined;

  // Generated lines come at `rate` per emulated second from `rateSince`; lines already counted before
  // `rateSince` are `linesAtRateSince`. Lines are produced lazily, when the log is read or appended to.
  private generating = false;
  private rate: number;
  private rateSince = 0;
  private linesAtRateSince = 0;
  private generated = 0;
  private readonly pieces: Piece[] = [];
  private keptText = 0;

  constructor(
    private readonly source: LineSource,
    linesPerSecond = DEFAULT_LOG_RATE,
  ) {
    this.rate = Math.max(0, linesPerSecond);
  }

  /** Total bytes ever written. */
  get fullSize(): number {
    return this.total;
  }

  /** Generated lines so far (not counting appended text). */
  get generatedLines(): number {
    return this.generated;
  }

  get linesPerSecond(): number {
    return this.rate;
  }

  /** Starts generating lines at `at`. */
  startGenerating(at: number): void {
    if (this.generating) return;
    this.generating = true;
    this.rateSince = at;
    this.linesAtRateSince = this.generated;
  }

  /** Stops generating at `at`, after writing every line due by then. */
  stopGenerating(at: number): void {
    this.catchUp(at);
    this.generating = false;
  }

  /** Changes the rate from `now` on; 0 pauses the log. */
  setRate(now: number, linesPerSecond: number): void {
    this.catchUp(now);
    this.rate = Math.max(0, linesPerSecond);
    this.rateSince = now;
    this.linesAtRateSince = this.generated;
  }

  /** Writes `text` as it is at `now`, after the generated lines due by then. */
  append(now: number, text: string | Buffer): void {
    this.catchUp(now);
    const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (data.length === 0) return;
    if (this.keptText + data.length <= FULL_LOG_TEXT_CAP) {
      this.pieces.push({ kind: 'text', data });
      this.keptText += data.length;
    } else {
      const last = this.pieces[this.pieces.length - 1];
      if (last?.kind === 'omitted') last.bytes += data.length;
      else this.pieces.push({ kind: 'omitted', bytes: data.length });
    }
    this.push(data);
  }

  /**
   * The whole log as of `now`, in chunks of at most about 1 MB: every generated line rebuilt, the appended
   * text as written (past FULL_LOG_TEXT_CAP, one note line in place of what was not kept).
   */
  *fullLog(now: number): Generator<Buffer> {
    this.catchUp(now);
    for (const piece of this.pieces) {
      if (piece.kind === 'text') yield piece.data;
      else if (piece.kind === 'omitted') yield Buffer.from(`[emulator: ${piece.bytes} bytes of appended text were not kept]\n`, 'utf8');
      else {
        for (let start = piece.from; start < piece.to; start += GENERATE_BATCH) {
          const end = Math.min(piece.to, start + GENERATE_BATCH);
          const lines: string[] = [];
          for (let i = start; i < end; i++) lines.push(this.source.line(i, lineTime(piece, i)));
          yield Buffer.from(lines.join(''), 'utf8');
        }
      }
    }
  }

  /** Notes generated lines [from, to) under the current rate, joined to the previous range when it continues it. */
  private recordLines(from: number, to: number): void {
    if (to <= from) return;
    const last = this.pieces[this.pieces.length - 1];
    if (last?.kind === 'lines' && last.to === from && last.rateSince === this.rateSince && last.linesAtRateSince === this.linesAtRateSince && last.rate === this.rate) {
      last.to = to;
      return;
    }
    this.pieces.push({ kind: 'lines', from, to, rateSince: this.rateSince, linesAtRateSince: this.linesAtRateSince, rate: this.rate });
  }

  /** The preview as of `now`: the newest window, cut forward to a UTF-8 character boundary. */
  preview(now: number): LogPreview {
    this.catchUp(now);
    if (this.cached && this.cached.full_size === this.total) return this.cached;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.retained);
    let start = all.length > PREVIEW_WINDOW_BYTES ? all.length - PREVIEW_WINDOW_BYTES : 0;
    // Older bytes exist before the window (in memory or not): never start in the middle of a character.
    const cut = this.total > all.length - start;
    if (cut) while (start < all.length && (all[start] & 0xc0) === 0x80) start++;
    const window = all.subarray(start);
    this.cached = { content: window.toString('utf8'), current_size: window.length, full_size: this.total };
    return this.cached;
  }

  /** Writes every generated line due by `now`. */
  catchUp(now: number): void {
    if (!this.generating || this.rate <= 0 || now < this.rateSince) return;
    const due = this.linesAtRateSince + Math.floor(((now - this.rateSince) * this.rate) / 1000);
    this.skipOutsideWindow(due);
    while (this.generated < due) {
      const end = Math.min(due, this.generated + GENERATE_BATCH);
      const lines: string[] = [];
      const rate = { rateSince: this.rateSince, linesAtRateSince: this.linesAtRateSince, rate: this.rate };
      for (let i = this.generated; i < end; i++) lines.push(this.source.line(i, lineTime(rate, i)));
      this.recordLines(this.generated, end);
      this.generated = end;
      this.push(Buffer.from(lines.join(''), 'utf8'));
    }
  }

  /**
   * When more lines are due than the window can show, counts the older ones by size only: the lines still
   * to build then fill the window by themselves, so everything before them (kept chunks included) is out.
   */
  private skipOutsideWindow(due: number): void {
    const { bytes, minLineBytes } = this.source;
    if (!bytes || !minLineBytes) return;
    const keep = Math.ceil(PREVIEW_WINDOW_BYTES / minLineBytes) + 1;
    if (due - this.generated <= keep + GENERATE_BATCH) return;
    const skipTo = due - keep;
    this.recordLines(this.generated, skipTo);
    this.total += bytes(this.generated, skipTo);
    this.generated = skipTo;
    this.chunks = [];
    this.retained = 0;
    this.cached = undefined;
  }

  private push(data: Buffer): void {
    if (data.length === 0) return;
    this.total += data.length;
    this.cached = undefined;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last.length < SMALL_CHUNK && data.length < SMALL_CHUNK) {
      this.chunks[this.chunks.length - 1] = Buffer.concat([last, data]);
    } else {
      this.chunks.push(data);
    }
    this.retained += data.length;
    // Drop whole chunks that lie entirely before the window, then trim a chunk larger than the window.
    while (this.chunks.length > 1 && this.retained - this.chunks[0].length >= PREVIEW_WINDOW_BYTES) {
      this.retained -= this.chunks[0].length;
      this.chunks.shift();
    }
    if (this.chunks.length === 1 && this.retained > PREVIEW_WINDOW_BYTES) {
      this.chunks[0] = Buffer.from(this.chunks[0].subarray(this.retained - PREVIEW_WINDOW_BYTES));
      this.retained = PREVIEW_WINDOW_BYTES;
    }
  }
}

/** When generated line `i` is written at a rate that began at `rateSince` with `linesAtRateSince` lines. */
function lineTime(rate: { rateSince: number; linesAtRateSince: number; rate: number }, i: number): number {
  return rate.rateSince + Math.ceil(((i - rate.linesAtRateSince + 1) * 1000) / rate.rate);
}

function logTime(at: number): string {
  return `${eventTimeChina(at)},${String(at % 1000).padStart(3, '0')}`;
}

/** Steps in one epoch of the generated training output. */
export const STEPS_PER_EPOCH = 500;
const STEP_WIDTH = String(STEPS_PER_EPOCH).length;

/** The forms training progress lines take, in turn (`i % 4`): what common training scripts print. */
export const TRAINING_LINE_FORMS = ['key=value', 'json', 'bracketed', 'dict'] as const;

/**
 * The deterministic training output of one task: steps with a falling loss in four common forms taken in turn
 * (`epoch 3/10 step 120/500 loss=0.43 acc=0.81 lr=0.001`, a JSON line `{"epoch": 3, "step": 1120, "loss": …}`,
 * `Epoch [3/10] Step [120/500] loss: 0.43, acc: 0.81, lr: 0.001`, a dict `step 1120: {'loss': 0.43,
 * 'accuracy': 0.81, 'learning_rate': 1.000e-03, 'epoch': 2.24}`), a validation line every 100th. Every field
 * has a fixed width (time, padded counters, fixed decimals; JSON pads with spaces), so a line's size depends
 * only on its form and sizes of whole ranges are simple arithmetic.
 */
export function trainingLineMaker(seed: number, task: string, epochs: number): LineSource {
  const epochWidth = String(epochs).length;
  // The global step keeps one width however long a task writes (it stops at the widest number that fits).
  const globalWidth = Math.max(7, String(epochs * STEPS_PER_EPOCH).length);
  const globalMax = 10 ** globalWidth - 1;
  const isValidation = (i: number): boolean => i % 100 === 99;
  const line = (i: number, at: number): string => {
    const epochNumber = Math.min(epochs, Math.floor(i / STEPS_PER_EPOCH) + 1);
    const epoch = String(epochNumber).padStart(epochWidth, '0');
    const step = String((i % STEPS_PER_EPOCH) + 1).padStart(STEP_WIDTH, '0');
    const progress = i / (epochs * STEPS_PER_EPOCH);
    const loss = Math.min(9.9, 2.3 * Math.exp(-4 * progress) + 0.05 + noise(seed, i) * 0.08);
    const prefix = `${logTime(at)} - INFO - [${task}]`;
    const head = `${prefix} epoch ${epoch}/${epochs} step ${step}/${STEPS_PER_EPOCH}`;
    if (isValidation(i)) {
      const valAcc = Math.min(0.9999, 0.1 + 0.85 * (1 - Math.exp(-5 * progress)) + noise(seed ^ 0x5bd1e995, i) * 0.02);
      return `${head} validation: val_loss=${Math.min(9.9, loss * 1.08).toFixed(6)} val_acc=${valAcc.toFixed(4)}\n`;
    }
    const acc = Math.min(0.9999, 0.1 + 0.88 * (1 - Math.exp(-5 * progress)) + noise(seed ^ 0x27d4eb2d, i) * 0.03);
    const lr = 0.001 * Math.pow(0.5, Math.min(6, Math.floor(progress * 4)));
    const global = String(Math.min(globalMax, i + 1));
    switch (i % 4) {
      case 1:
        return `{"epoch": ${String(epochNumber).padStart(epochWidth)}, "step": ${global.padStart(globalWidth)}, "loss": ${loss.toFixed(6)}, "acc": ${acc.toFixed(4)}, "lr": ${lr.toFixed(6)}}\n`;
      case 2:
        return `${prefix} Epoch [${epoch}/${epochs}] Step [${step}/${STEPS_PER_EPOCH}] loss: ${loss.toFixed(6)}, acc: ${acc.toFixed(4)}, lr: ${lr.toFixed(6)}\n`;
      case 3: {
        const fraction = Math.min(epochs, (i + 1) / STEPS_PER_EPOCH).toFixed(2).padStart(epochWidth + 3);
        return `${prefix} step ${global.padStart(globalWidth, '0')}: {'loss': ${loss.toFixed(6)}, 'accuracy': ${acc.toFixed(4)}, 'learning_rate': ${lr.toExponential(3)}, 'epoch': ${fraction}}\n`;
      }
      default:
        return `${head} loss=${loss.toFixed(6)} acc=${acc.toFixed(4)} lr=${lr.toFixed(6)}\n`;
    }
  };
  const sample = Date.UTC(2026, 0, 1);
  // Sizes of the four forms (lines 0–3) and of a validation line (99, which is of form 3).
  const form = [0, 1, 2, 3].map((i) => Buffer.byteLength(line(i, sample)));
  const validation = Buffer.byteLength(line(99, sample));
  // Lines i in [0, n) with i % 4 === k: floor((n - k + 3) / 4); with i % 100 === 99: floor(n / 100).
  const upTo = (n: number): number =>
    form.reduce((sum, size, k) => sum + Math.floor((n - k + 3) / 4) * size, 0) + Math.floor(n / 100) * (validation - form[3]);
  const bytes = (from: number, to: number): number => upTo(to) - upTo(from);
  return { line, bytes, minLineBytes: Math.min(...form, validation) };
}

/** What the platform prints before the user's code starts. */
export function preambleLines(at: number, task: string, codeDir: string, command: string, codeFound = true): string {
  const t = logTime(at);
  const lines = [
    `${t} [ModelArts Service Log]INFO: initializing the training environment for ${task}`,
    `${t} [ModelArts Service Log]INFO: downloading code from ${codeDir || 'the training image'} to /home/ma-user/modelarts/user-job-dir`,
  ];
  if (codeFound) lines.push(`${t} [ModelArts Service Log]INFO: code download completed`, `${t} [ModelArts Service Log]INFO: running: ${command}`);
  return [...lines, ''].join('\n');
}

/** The last lines of a task that ended in `phase`. */
export function closingLines(at: number, task: string, phase: 'Completed' | 'Failed' | 'Terminated', codeFailure?: string): string {
  const t = logTime(at);
  if (phase === 'Failed' && codeFailure !== undefined) return `${t} [ModelArts Service Log]ERROR: ${codeFailure}\n`;
  if (phase === 'Completed') {
    return `${t} - INFO - [${task}] saving the model to /home/ma-user/modelarts/outputs/train_url_0\n${t} [ModelArts Service Log]INFO: training completed, exit code 0\n`;
  }
  if (phase === 'Failed') {
    return [
      'Traceback (most recent call last):',
      '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 118, in <module>',
      '    main()',
      '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 97, in main',
      '    loss.backward()',
      'RuntimeError: CUDA out of memory. Tried to allocate 1.50 GiB',
      `${t} [ModelArts Service Log]ERROR: training failed, exit code 1`,
      '',
    ].join('\n');
  }
  return `${t} [ModelArts Service Log]INFO: received SIGTERM, ${task} is being terminated\n`;
}
