// The dashboard webview's own bundle (dist/webview/dashboardView.js): it receives the extension's messages, checks each
// (src/dashboard/protocol.ts) and draws; it answers with the user's clicks. It runs in the webview's browser
// page: no vscode module, no Node.

import { HOST_MESSAGE_TYPES, readHostMessage, type DashboardPanelState, type HostMessage, type ViewMessage } from '../protocol';
import { ChartBoard } from './board';
import { CompareView } from './compareView';
import { el } from './dom';
import { JobView } from './jobView';
import type { ViewStringTable } from './strings';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  setState(state: DashboardPanelState): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Problems reported at most per page: a flood of bad messages must not become a flood of reports. */
const MAX_PROBLEMS = 20;

const vscode = acquireVsCodeApi();
const root = document.getElementById('dashboard') ?? document.body.appendChild(el('main', { attrs: { id: 'dashboard' } }));
const post = (message: ViewMessage): void => vscode.postMessage(message);

let problems = 0;
function problem(text: string): void {
  if (problems >= MAX_PROBLEMS) return;
  problems++;
  post({ type: 'problem', text: text.slice(0, 300) });
}

let state: DashboardPanelState | undefined;
let strings: ViewStringTable = {};
let board: ChartBoard | undefined;
let job: JobView | undefined;
let compare: CompareView | undefined;
/** Messages that came before `init` (there should be none), shown once it comes. */
const early: HostMessage[] = [];

function start(message: Extract<HostMessage, { type: 'init' }>): void {
  state = message.state;
  vscode.setState(message.state);
  strings = message.strings;
  board?.dispose();
  board = new ChartBoard({ strings, post });
  job = undefined;
  compare = undefined;
  if (message.mode === 'job') {
    job = new JobView(root, {
      strings,
      board,
      post,
      problem,
      taskChosen: (task) => {
        if (state) vscode.setState((state = { ...state, task }));
      },
    });
  } else compare = new CompareView(root, { strings, board, post });
  for (const pending of early.splice(0)) show(pending);
}

function show(message: HostMessage): void {
  if (message.type === 'init') return start(message);
  if (!job && !compare) {
    if (early.length < 100) early.push(message);
    return;
  }
  switch (message.type) {
    case 'header':
      return job?.showHeader(message.header);
    case 'status':
      return job?.showStatus(message.text, message.level);
    case 'resources':
      return job?.showResources(message);
    case 'curves':
      return job?.showCurves(message);
    case 'timeline':
      return job?.showTimeline(message);
    case 'compare':
      return compare?.show(message);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = readHostMessage(event.data);
  if (!message) {
    // Say which kind of message it was when that is one we know, never what it held.
    const type: unknown = typeof event.data === 'object' && event.data !== null ? (event.data as { type?: unknown }).type : undefined;
    const known = HOST_MESSAGE_TYPES.find((name) => name === type);
    problem(known ? `Dropped a malformed "${known}" message` : 'Dropped a message of no known type');
    return;
  }
  show(message);
});
window.addEventListener('error', (event) => problem(`Uncaught error: ${event.message}`));
window.addEventListener('unhandledrejection', () => problem('Unhandled promise rejection'));

post({ type: 'ready' });
