import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DASHBOARD_ACTIONS, HOST_MESSAGE_TYPES, MAX_TEXT, readHostMessage, readPanelState, readViewMessage, type HostMessage, type ViewMessage } from '../../../src/dashboard/protocol';

// The messages between the dashboard panels and their webview are checked where they arrive: each kind is
// accepted whole, and a malformed one (wrong types, overlong text, an unknown type, NaN, x and y of different
// lengths, an unknown action) is refused instead of being half-used.

const state = { mode: 'job' as const, profile: 'default', workspaceId: '0', jobIds: ['job-1'] };
const header = {
  title: 'resnet-train',
  state: 'Running',
  tone: 'running' as const,
  fields: [{ label: 'Flavor', value: 'modelarts.p3.large' }],
  tags: ['team=vision'],
  actions: [{ action: 'followLogs' as const, label: 'Follow Logs' }],
  live: true,
};

/** One well-formed message of each type the extension sends. */
const HOST: Record<HostMessage['type'], HostMessage> = {
  init: { type: 'init', mode: 'job', strings: { 'Copy as CSV': '复制为 CSV' }, state },
  header: { type: 'header', header },
  status: { type: 'status', text: 'Reading the log…', level: 'info' },
  resources: { type: 'resources', tasks: ['worker-0', 'worker-1'], task: 'worker-0', start: 1_700_000_000_000, stepMs: 60_000, series: [{ name: 'cpuUsage', label: 'CPU', values: [12.5, null, 40] }] },
  curves: { type: 'curves', reset: false, axis: 'step', series: [{ name: 'loss', from: 0, x: [1, 2, 3], y: [0.9, 0.7, 0.5] }] },
  timeline: { type: 'timeline', phases: [{ label: 'Pending', tone: 'moving', from: 1, to: 2 }, { label: 'Running', tone: 'running', from: 2 }], events: [{ time: 2, text: 'Started', level: 'info' }], now: 3 },
  compare: {
    type: 'compare',
    jobs: [
      { id: 'a', name: 'run-a' },
      { id: 'b', name: 'run-b' },
    ],
    curves: [{ name: 'loss', runs: [{ x: [1, 2], y: [0.5, 0.4] }, { x: [1], y: [0.6] }] }],
    summary: { columns: ['Final loss'], rows: [{ job: 'run-a', cells: ['0.4'] }] },
    canCompareSpecs: true,
  },
};

const VIEW: ViewMessage[] = [
  { type: 'ready' },
  { type: 'selectTask', task: 'worker-1' },
  ...DASHBOARD_ACTIONS.map((action) => ({ type: 'action' as const, action })),
  { type: 'copyCsv', chart: 'curve:loss' },
  { type: 'compareSpecs' },
  { type: 'problem', text: 'Dropped a malformed "curves" message' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases below break the types on purpose
type Loose = Record<string, any>;

/** A deep copy of `message` with `change` applied to it. */
function altered<T>(message: T, change: (copy: Loose) => void): unknown {
  const copy = structuredClone(message) as Loose;
  change(copy);
  return copy;
}

describe('dashboard protocol: messages to the webview', () => {
  it('accepts one well-formed message of every type, as it is', () => {
    assert.deepEqual([...HOST_MESSAGE_TYPES].sort(), Object.keys(HOST).sort());
    for (const message of Object.values(HOST)) assert.deepEqual(readHostMessage(structuredClone(message)), message, message.type);
    // Optional fields: a resource note, a compare axis, a phase that has ended.
    assert.ok(readHostMessage({ ...HOST.resources, series: [], note: 'Not ready yet' }));
    assert.ok(readHostMessage({ ...HOST.compare, axis: 'epoch' }));
  });

  it('refuses fields of the wrong type', () => {
    const bad: unknown[] = [
      altered(HOST.header, (m) => (m.header.live = 'yes')),
      altered(HOST.header, (m) => (m.header.tone = 'green')),
      altered(HOST.header, (m) => (m.header.fields = [{ label: 'Flavor', value: 3 }])),
      altered(HOST.status, (m) => (m.level = 'fatal')),
      altered(HOST.resources, (m) => (m.stepMs = 0)),
      altered(HOST.resources, (m) => (m.series[0].values = ['12'])),
      altered(HOST.resources, (m) => (m.series[0].name = 'cpu usage <b>')),
      altered(HOST.curves, (m) => (m.reset = 1)),
      altered(HOST.curves, (m) => (m.axis = 'time')),
      altered(HOST.curves, (m) => (m.series[0].from = -1)),
      altered(HOST.timeline, (m) => (m.phases[1].to = '3')),
      altered(HOST.compare, (m) => (m.axis = 'minute')),
      altered(HOST.compare, (m) => (m.jobs = [1, 2, 3, 4, 5].map((i) => ({ id: `${i}`, name: `${i}` })))),
      altered(HOST.init, (m) => (m.mode = 'grid')),
      altered(HOST.init, (m) => (m.state.jobIds = [])),
      null,
      'init',
      [HOST.init],
    ];
    bad.forEach((message, i) => assert.equal(readHostMessage(message), undefined, `case ${i}: ${JSON.stringify(message)}`));
  });

  it('refuses text over MAX_TEXT characters, and accepts it at the limit', () => {
    assert.ok(readHostMessage({ ...HOST.status, text: 'x'.repeat(MAX_TEXT) }));
    assert.equal(readHostMessage({ ...HOST.status, text: 'x'.repeat(MAX_TEXT + 1) }), undefined);
    assert.equal(readHostMessage(altered(HOST.timeline, (m) => (m.events[0].text = 'e'.repeat(MAX_TEXT + 1)))), undefined);
    assert.equal(readHostMessage(altered(HOST.header, (m) => (m.header.tags = ['t'.repeat(MAX_TEXT + 1)]))), undefined);
  });

  it('refuses an unknown or missing type, including names of Object.prototype', () => {
    for (const type of ['chart', 'ready', 'toString', '__proto__', 'constructor', undefined, 3]) {
      assert.equal(readHostMessage({ ...HOST.status, type }), undefined, String(type));
    }
  });

  it('refuses NaN and infinite numbers where numbers are expected; null is a gap only in resource values', () => {
    assert.equal(readHostMessage(altered(HOST.curves, (m) => (m.series[0].y = [0.9, Number.NaN, 0.5]))), undefined);
    assert.equal(readHostMessage(altered(HOST.curves, (m) => (m.series[0].x = [1, Number.POSITIVE_INFINITY, 3]))), undefined);
    assert.equal(readHostMessage(altered(HOST.curves, (m) => (m.series[0].from = Number.NaN))), undefined);
    assert.equal(readHostMessage(altered(HOST.resources, (m) => (m.series[0].values = [1, Number.NaN]))), undefined);
    assert.equal(readHostMessage(altered(HOST.resources, (m) => (m.start = Number.NaN))), undefined);
    assert.equal(readHostMessage(altered(HOST.timeline, (m) => (m.now = Number.NEGATIVE_INFINITY))), undefined);
    assert.equal(readHostMessage(altered(HOST.curves, (m) => (m.series[0].y = [0.9, null, 0.5]))), undefined);
    assert.ok(readHostMessage(altered(HOST.resources, (m) => (m.series[0].values = [null, null]))));
    // A hole in an array is not a number either (a plain loop checks every index).
    assert.equal(readHostMessage(altered(HOST.curves, (m) => (m.series[0].x = [1, , 3]))), undefined);
  });

  it('refuses x and y of different lengths, in a curve and in a compared run', () => {
    assert.equal(readHostMessage(altered(HOST.curves, (m) => m.series[0].y.pop())), undefined);
    assert.equal(readHostMessage(altered(HOST.compare, (m) => m.curves[0].runs[1].x.push(2))), undefined);
    assert.ok(readHostMessage(altered(HOST.curves, (m) => (m.series[0] = { ...m.series[0], x: [], y: [] }))));
  });
});

describe('dashboard protocol: messages from the webview', () => {
  it('accepts one well-formed message of every type', () => {
    for (const message of VIEW) assert.deepEqual(readViewMessage(structuredClone(message)), message, message.type);
  });

  it('refuses an unknown action, an unknown type, a chart id that is not a short name and overlong text', () => {
    const bad: unknown[] = [
      { type: 'action', action: 'deleteJob' },
      { type: 'action', action: 'toString' },
      { type: 'action' },
      { type: 'navigate', url: 'https://example.com' },
      { type: 'copyCsv', chart: 'curve:loss; rm -rf' },
      { type: 'copyCsv', chart: '' },
      { type: 'selectTask', task: 7 },
      { type: 'problem', text: 'p'.repeat(MAX_TEXT + 1) },
      { type: 'hasOwnProperty' },
      undefined,
    ];
    bad.forEach((message, i) => assert.equal(readViewMessage(message), undefined, `case ${i}: ${JSON.stringify(message)}`));
  });
});

describe('dashboard protocol: readPanelState', () => {
  it('reads a job panel and a compare panel, with or without a task', () => {
    assert.deepEqual(readPanelState(state), state);
    assert.deepEqual(readPanelState({ ...state, task: 'worker-1' }), { ...state, task: 'worker-1' });
    const compare = { mode: 'compare', profile: 'p', workspaceId: 'w', jobIds: ['a', 'b', 'c', 'd'] };
    assert.deepEqual(readPanelState(compare), compare);
  });

  it('refuses what is not a dashboard panel state', () => {
    for (const value of [undefined, null, 'state', [], {}, { ...state, mode: 'grid' }, { ...state, jobIds: [] }, { ...state, jobIds: ['a', 'b', 'c', 'd', 'e'] }, { ...state, jobIds: 'job-1' }, { ...state, profile: 1 }, { ...state, task: 2 }]) {
      assert.equal(readPanelState(value), undefined, JSON.stringify(value));
    }
  });
});
