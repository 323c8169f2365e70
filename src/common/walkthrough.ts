import type * as vscode from 'vscode';
import type { SessionService } from './session';

// The getting-started walkthrough (package.json `contributes.walkthroughs`) checks a step off when its context
// key turns true; the code sets each key where the user truly got there, never on a click that may fail.
//
// The workbench registers an extension's walkthrough a few seconds after the extension starts, and it never
// checks off a step whose key was already true then (it files the event as seen without progressing the step);
// a demo started on activation, a restored sign-in or a quick first action would stay unchecked for good. So
// each milestone also marks its step done directly (the workbench's own "Mark Done"), which is kept even when
// the walkthrough is not registered yet.

export const WALKTHROUGH_CONTEXT_KEYS = {
  /** A demo session started, however (the palette, the walkthrough's button, `npm run demo`). */
  demoStarted: 'modelarts.walkthrough.demoStarted',
  /** A session with the user's own credentials is active (the demo has a step of its own). */
  signedIn: 'modelarts.walkthrough.signedIn',
  /** A notebook the user started reached RUNNING. */
  notebookRunning: 'modelarts.walkthrough.notebookRunning',
  /** A log follow wrote its first output. */
  logsFollowed: 'modelarts.walkthrough.logsFollowed',
  /** A save-image job reached ACTIVE. */
  imageSaved: 'modelarts.walkthrough.imageSaved',
  /** Run on ModelArts submitted a job from the user's folder. */
  folderRun: 'modelarts.walkthrough.folderRun',
  /** A job's dashboard showed its training curves. */
  dashboardWatched: 'modelarts.walkthrough.dashboardWatched',
} as const;

export type WalkthroughMilestone = keyof typeof WALKTHROUGH_CONTEXT_KEYS;

/** The walkthrough's id in package.json, and the step each milestone checks off. */
export const WALKTHROUGH_ID = 'gettingStarted';
export const WALKTHROUGH_STEPS: Readonly<Record<WalkthroughMilestone, string>> = {
  demoStarted: 'tryDemo',
  signedIn: 'signIn',
  notebookRunning: 'startNotebook',
  logsFollowed: 'followLogs',
  imageSaved: 'saveImage',
  folderRun: 'runFolder',
  dashboardWatched: 'jobDashboard',
};

export class WalkthroughProgress {
  private readonly reachedSoFar = new Set<WalkthroughMilestone>();

  /**
   * `setContext` is `vscode.commands.executeCommand('setContext', key, value)` in the extension; `markStepDone`
   * runs the workbench's `welcome.markStepComplete` with the step's full id.
   */
  constructor(
    private readonly setContext: (key: string, value: boolean) => unknown,
    private readonly markStepDone: (stepId: string) => unknown = () => undefined,
  ) {}

  /** Sets the milestone's context key and marks its step done, once per window: the workbench remembers it. */
  reached(milestone: WalkthroughMilestone): void {
    if (this.reachedSoFar.has(milestone)) return;
    this.reachedSoFar.add(milestone);
    const quietly = (run: () => unknown): void => {
      try {
        void Promise.resolve(run()).catch(() => undefined);
      } catch {
        // A workbench without the command: the context key still checks the step off.
      }
    };
    quietly(() => this.setContext(WALKTHROUGH_CONTEXT_KEYS[milestone], true));
    quietly(() => this.markStepDone(WALKTHROUGH_STEPS[milestone]));
  }

  has(milestone: WalkthroughMilestone): boolean {
    return this.reachedSoFar.has(milestone);
  }

  /** "Sign in" is reached by a session that is not the demo, including one restored at start-up; "Try the demo" by the demo's. */
  watchSessions(sessions: SessionService): vscode.Disposable {
    const check = (): void => {
      if (sessions.current) this.reached(sessions.current.demo ? 'demoStarted' : 'signedIn');
    };
    check();
    return sessions.onDidChange(check);
  }
}
