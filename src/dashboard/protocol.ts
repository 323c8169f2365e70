// The messages between the dashboard panels and their webview, in one place for both sides: the extension
// (dailyLoop.js) and the webview's own bundle (dashboardView.js) import this file. Every message is
// checked where it arrives: a malformed one is dropped (and logged by the extension), never evaluated. Nothing
// here imports vscode or the DOM.
//
// Text from the service (job names, states, tags, events) travels as plain strings and the webview inserts it
// with textContent only. Numbers are finite or null (a gap).

/** What a panel shows: one job's dashboard or a comparison of jobs. */
export type DashboardMode = 'job' | 'compare';

/** The actions the header offers, each the extension's command of the same meaning. */
export const DASHBOARD_ACTIONS = ['followLogs', 'stop', 'saveImage', 'openOutputs', 'downloadLog'] as const;
export type DashboardAction = (typeof DASHBOARD_ACTIONS)[number];

/** How a job's state is drawn: the same categories the tree's icons use. */
export type StateTone = 'running' | 'moving' | 'done' | 'failed' | 'stopped' | 'unknown';

export interface HeaderField {
  label: string;
  value: string;
}

export interface DashboardHeader {
  title: string;
  state: string;
  tone: StateTone;
  /** Flavor, accelerator, nodes, duration, started, ended, … in the order shown; values are text. */
  fields: HeaderField[];
  tags: string[];
  actions: { action: DashboardAction; label: string }[];
  /** Whether the panel is being kept current (the job runs); an ended job is read once. */
  live: boolean;
}

/** One resource series of a task: value i is the average of minute i after `start`; null is a gap. */
export interface ResourceSeries {
  name: string;
  label: string;
  values: (number | null)[];
}

export interface ResourcesMessage {
  type: 'resources';
  tasks: string[];
  task: string;
  /** Epoch ms of minute 0. */
  start: number;
  stepMs: number;
  series: ResourceSeries[];
  /** Shown instead of charts when there is no data yet (the service's "not ready"). */
  note?: string;
}

/** New points of one training curve: they start at index `from` of the series (earlier ones were sent before). */
export interface CurvePoints {
  name: string;
  from: number;
  x: number[];
  y: number[];
}

export interface CurvesMessage {
  type: 'curves';
  /** Drop every curve first (a new log, a different task). */
  reset: boolean;
  /** What x is: a step, an epoch, or the line's ordinal in the log. */
  axis: 'step' | 'epoch' | 'line';
  series: CurvePoints[];
}

export interface TimelinePhase {
  label: string;
  tone: StateTone;
  from: number;
  /** Absent while the phase lasts. */
  to?: number;
}

export interface TimelineEvent {
  time: number;
  text: string;
  level: 'info' | 'warning' | 'error';
}

export interface TimelineMessage {
  type: 'timeline';
  phases: TimelinePhase[];
  events: TimelineEvent[];
  /** The axis' end: now for a running job, its end otherwise. */
  now: number;
}

export interface CompareJob {
  id: string;
  name: string;
}

/** One metric across the compared jobs: `runs[i]` belongs to `jobs[i]`. */
export interface CompareCurve {
  name: string;
  runs: { x: number[]; y: number[] }[];
}

export interface CompareMessage {
  type: 'compare';
  jobs: CompareJob[];
  curves: CompareCurve[];
  /** A table: one row per job, `cells[i]` under `columns[i]`. */
  summary: { columns: string[]; rows: { job: string; cells: string[] }[] };
  /** Whether Compare Specs can be offered (two jobs or more). */
  canCompareSpecs: boolean;
  /** What x is in every run (as in CurvesMessage); the view says "Step" when absent. */
  axis?: CurvesMessage['axis'];
}

export type HostMessage =
  | { type: 'init'; mode: DashboardMode; strings: Record<string, string>; state: DashboardPanelState }
  | { type: 'header'; header: DashboardHeader }
  | { type: 'status'; text: string; level: 'info' | 'warning' | 'error' }
  | ResourcesMessage
  | CurvesMessage
  | TimelineMessage
  | CompareMessage;

export type ViewMessage =
  | { type: 'ready' }
  | { type: 'selectTask'; task: string }
  | { type: 'action'; action: DashboardAction }
  | { type: 'copyCsv'; chart: string }
  | { type: 'compareSpecs' }
  | { type: 'problem'; text: string };

/** What a panel remembers across a window reload (the webview's state, restored by the serializer). */
export interface DashboardPanelState {
  mode: DashboardMode;
  profile: string;
  workspaceId: string;
  jobIds: string[];
  task?: string;
}

// ---------------------------------------------------------------- checks

/** Longest text field accepted in either direction; longer ones make the message malformed. */
export const MAX_TEXT = 4_096;
/** Most points of one series in one message. */
export const MAX_POINTS = 2_000_000;
const MAX_ITEMS = 10_000;
const SHORT_NAME = /^[\w./:-]{1,128}$/;

type Check<T> = (value: unknown) => value is T;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText: Check<string> = (value): value is string => typeof value === 'string' && value.length <= MAX_TEXT;
const isName: Check<string> = (value): value is string => typeof value === 'string' && SHORT_NAME.test(value);
const isNumber: Check<number> = (value): value is number => typeof value === 'number' && Number.isFinite(value);
const isBoolean: Check<boolean> = (value): value is boolean => typeof value === 'boolean';
const isGap = (value: unknown): value is number | null => value === null || isNumber(value);
const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (value): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);
// A plain loop, not every(): series of a million points are checked on arrival, and every() skips holes.
const listOf =
  <T>(check: Check<T>, max = MAX_ITEMS): Check<T[]> =>
  (value): value is T[] => {
    if (!Array.isArray(value) || value.length > max) return false;
    for (let i = 0; i < value.length; i++) if (!check(value[i])) return false;
    return true;
  };
const shape =
  <T>(fields: Record<string, Check<unknown>>, optional: Record<string, Check<unknown>> = {}): Check<T> =>
  (value): value is T =>
    isObject(value) &&
    Object.entries(fields).every(([key, check]) => check(value[key])) &&
    Object.entries(optional).every(([key, check]) => value[key] === undefined || check(value[key]));

const isAction = oneOf(DASHBOARD_ACTIONS);
const isTone = oneOf<StateTone>(['running', 'moving', 'done', 'failed', 'stopped', 'unknown']);
const isLevel = oneOf<'info' | 'warning' | 'error'>(['info', 'warning', 'error']);
const isMode = oneOf<DashboardMode>(['job', 'compare']);
const isAxis = oneOf<CurvesMessage['axis']>(['step', 'epoch', 'line']);
const isNumbers = listOf(isNumber, MAX_POINTS);
const isStrings = (value: unknown): value is Record<string, string> => isObject(value) && Object.keys(value).length <= 500 && Object.values(value).every(isText);

const isHeader = shape<DashboardHeader>({
  title: isText,
  state: isText,
  tone: isTone,
  fields: listOf(shape<HeaderField>({ label: isText, value: isText }), 64),
  tags: listOf(isText, 64),
  actions: listOf(shape({ action: isAction, label: isText }), DASHBOARD_ACTIONS.length),
  live: isBoolean,
});
const isSamePoints = (value: unknown): boolean => isObject(value) && Array.isArray(value.x) && Array.isArray(value.y) && value.x.length === value.y.length;
const isCurvePoints: Check<CurvePoints> = (value): value is CurvePoints =>
  shape<CurvePoints>({ name: isName, from: isNumber, x: isNumbers, y: isNumbers })(value) && isSamePoints(value) && value.from >= 0;
const isRun = (value: unknown): value is { x: number[]; y: number[] } => shape<{ x: number[]; y: number[] }>({ x: isNumbers, y: isNumbers })(value) && isSamePoints(value);

const HOST_CHECKS: Record<HostMessage['type'], Check<unknown>> = {
  init: shape({ mode: isMode, strings: isStrings, state: (value): value is DashboardPanelState => readPanelState(value) !== undefined }),
  header: shape({ header: isHeader }),
  status: shape({ text: isText, level: isLevel }),
  resources: shape(
    {
      tasks: listOf(isText, 1_024),
      task: isText,
      start: isNumber,
      stepMs: (value): value is number => isNumber(value) && value > 0,
      series: listOf(shape<ResourceSeries>({ name: isName, label: isText, values: listOf(isGap, MAX_POINTS) }), 32),
    },
    { note: isText },
  ),
  curves: shape({ reset: isBoolean, axis: isAxis, series: listOf(isCurvePoints, 256) }),
  timeline: shape({
    phases: listOf(shape<TimelinePhase>({ label: isText, tone: isTone, from: isNumber }, { to: isNumber }), 1_024),
    events: listOf(shape<TimelineEvent>({ time: isNumber, text: isText, level: isLevel })),
    now: isNumber,
  }),
  compare: shape(
    {
      jobs: listOf(shape<CompareJob>({ id: isText, name: isText }), 4),
      curves: listOf(shape<CompareCurve>({ name: isName, runs: listOf(isRun, 4) }), 256),
      summary: shape({ columns: listOf(isText, 32), rows: listOf(shape({ job: isText, cells: listOf(isText, 32) }), 4) }),
      canCompareSpecs: isBoolean,
    },
    { axis: isAxis },
  ),
};

const VIEW_CHECKS: Record<ViewMessage['type'], Check<unknown>> = {
  ready: isObject,
  selectTask: shape({ task: isText }),
  action: shape({ action: isAction }),
  copyCsv: shape({ chart: isName }),
  compareSpecs: isObject,
  problem: shape({ text: isText }),
};

function read<M extends { type: string }>(checks: Record<string, Check<unknown>>, value: unknown): M | undefined {
  if (!isObject(value) || typeof value.type !== 'string' || !Object.prototype.hasOwnProperty.call(checks, value.type)) return undefined;
  return checks[value.type](value) ? (value as unknown as M) : undefined;
}

/** A message from the webview, or undefined when it is not one the extension knows in every field. */
export function readViewMessage(value: unknown): ViewMessage | undefined {
  return read<ViewMessage>(VIEW_CHECKS, value);
}

/** The types of HostMessage, for a report that names the kind of a malformed message (never its content). */
export const HOST_MESSAGE_TYPES = Object.keys(HOST_CHECKS) as readonly HostMessage['type'][];

/** A message from the extension, or undefined when it is malformed. */
export function readHostMessage(value: unknown): HostMessage | undefined {
  return read<HostMessage>(HOST_CHECKS, value);
}

/** Restored webview state, or undefined when it is not a dashboard's. */
export function readPanelState(value: unknown): DashboardPanelState | undefined {
  const check = shape<DashboardPanelState>({ mode: isMode, profile: isText, workspaceId: isText, jobIds: listOf(isText, 4) }, { task: isText });
  return check(value) && value.jobIds.length > 0 ? value : undefined;
}
