// The user's own metric patterns (`modelarts.dashboard.metricPatterns`): each a JavaScript regular expression
// whose named groups are metric names, except `step` and `epoch`, which give the line's x. One pattern can
// yield several metrics: `l=(?<loss>\S+) s=(?<step>\d+)`. Plain Node: no vscode here.

/** Most patterns read from the setting; the rest are reported and ignored. */
export const MAX_METRIC_PATTERNS = 32;
/** Longest pattern accepted, in characters. */
export const MAX_METRIC_PATTERN_CHARS = 1_000;
/**
 * Custom patterns run only on lines up to this many characters: a pattern that backtracks badly on some text
 * then costs at most what it costs on 4 KiB, not on a 64 KiB line.
 */
export const MAX_PATTERN_LINE_CHARS = 4 * 1024;
/** Metric names: what a series may be called (the dashboard shows them as text, never as markup). */
export const METRIC_NAME = /^[A-Za-z0-9_./-]{1,64}$/;

export type MetricPatternProblemReason = 'notText' | 'tooMany' | 'tooLong' | 'invalid' | 'noMetricGroup' | 'nestedQuantifier';

/** A pattern that is not used, and why; a later command words it for the user. */
export interface MetricPatternProblem {
  /** Its position in the setting's array. */
  readonly index: number;
  /** The pattern as written (or its JSON for a value that is not text), at most 200 characters. */
  readonly pattern: string;
  readonly reason: MetricPatternProblemReason;
  /** The regular expression engine's own message, for `invalid`. */
  readonly detail?: string;
}

export interface CompiledMetricPattern {
  readonly source: string;
  readonly regex: RegExp;
  /** Group name → metric name (lower case, as the built-in forms name theirs). */
  readonly metrics: ReadonlyArray<readonly [group: string, metric: string]>;
  readonly hasStep: boolean;
  readonly hasEpoch: boolean;
}

const X_GROUPS = new Set(['step', 'epoch']);
const NAMED_GROUP = /\(\?<([^>=!]+)>/g;

/**
 * True when a quantified group itself holds a quantifier, as in `(a+)+` or `(\d*,?)*`: the shape that
 * backtracks exponentially on a line that almost matches. A screen, not a proof: `(a|aa)*` slips through,
 * which is why patterns also run only on short lines.
 */
export function hasNestedQuantifier(source: string): boolean {
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')') {
      const inner = groups.pop() ?? false;
      const repeated = isRepeat(source, i + 1);
      if (inner && repeated) return true;
      // The group, repeated or holding a repeat, is itself a repeat inside its parent.
      if ((inner || repeated) && groups.length > 0) groups[groups.length - 1] = true;
    } else if (isRepeat(source, i) && groups.length > 0) groups[groups.length - 1] = true;
  }
  return false;
}

/** Whether the quantifier at `i` lets what precedes it repeat (`*`, `+`, `{n,}`, `{n,m}` with m > 1). */
function isRepeat(source: string, i: number): boolean {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return false;
  return m[2] !== undefined && (m[3] === '' || Number(m[3]) > 1);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Compiles the setting's patterns; each one that cannot be used is left out and reported. */
export function compileMetricPatterns(patterns: readonly unknown[]): { compiled: CompiledMetricPattern[]; problems: MetricPatternProblem[] } {
  const compiled: CompiledMetricPattern[] = [];
  const problems: MetricPatternProblem[] = [];
  patterns.forEach((pattern, index) => {
    const problem = (reason: MetricPatternProblemReason, detail?: string): void => {
      problems.push({ index, pattern: shown(pattern), reason, ...(detail === undefined ? {} : { detail }) });
    };
    if (typeof pattern !== 'string' || pattern.length === 0) return problem('notText');
    if (index >= MAX_METRIC_PATTERNS) return problem('tooMany');
    if (pattern.length > MAX_METRIC_PATTERN_CHARS) return problem('tooLong');
    let regex: RegExp;
    try {
      regex = new RegExp(pattern);
    } catch (error) {
      return problem('invalid', error instanceof Error ? error.message : String(error));
    }
    if (hasNestedQuantifier(pattern)) return problem('nestedQuantifier');
    const groups = [...pattern.matchAll(NAMED_GROUP)].map((m) => m[1]);
    const metrics = groups.filter((g) => !X_GROUPS.has(g) && METRIC_NAME.test(g)).map((g) => [g, g.toLowerCase()] as const);
    if (metrics.length === 0) return problem('noMetricGroup');
    compiled.push({ source: pattern, regex, metrics, hasStep: groups.includes('step'), hasEpoch: groups.includes('epoch') });
  });
  return { compiled, problems };
}

/** The patterns of the setting that cannot be used, each with its reason (empty when all are fine). */
export function metricPatternProblems(patterns: readonly unknown[]): MetricPatternProblem[] {
  return compileMetricPatterns(patterns).problems;
}
