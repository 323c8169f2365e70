import type * as vscode from 'vscode';
import type { SessionService } from './session';

// The getting-started walkthrough (package.json `contributes.walkthroughs`) checks a step off when its context
// key turns true; the code sets each key where the user truly got there, never on a click that may fail.

export const WALKTHROUGH_CONTEXT_KEYS = {
  /** A session with the user's own credentials is active (the demo has a step of its own). */
  signedIn: 'modelarts.walkthrough.signedIn',
  /** A notebook the user started reached RUNNING. */
  notebookRunning: 'modelarts.walkthrough.notebookRunning',
  /** A log follow wrote its first output. */
  logsFollowed: 'modelarts.walkthrough.logsFollowed',
  /** A save-image job reached ACTIVE. */
  imageSaved: 'modelarts.walkthrough.imageSaved',
} as const;

export type WalkthroughMilestone = keyof typeof WALKTHROUGH_CONTEXT_KEYS;

export class WalkthroughProgress {
  private readonly reachedSoFar = new Set<WalkthroughMilestone>();

  /** `setContext` is `vscode.commands.executeCommand('setContext', key, value)` in the extension. */
  constructor(private readonly setContext: (key: string, value: boolean) => unknown) {}

  /** Sets the milestone's context key, once per window: the workbench remembers a checked step itself. */
  reached(milestone: WalkthroughMilestone): void {
    if (this.reachedSoFar.has(milestone)) return;
    this.reachedSoFar.add(milestone);
    void Promise.resolve(this.setContext(WALKTHROUGH_CONTEXT_KEYS[milestone], true)).catch(() => undefined);
  }

  has(milestone: WalkthroughMilestone): boolean {
    return this.reachedSoFar.has(milestone);
  }

  /** "Sign in" is reached by a session that is not the demo, including one restored at start-up. */
  watchSessions(sessions: SessionService): vscode.Disposable {
    const check = (): void => {
      if (sessions.current && !sessions.current.demo) this.reached('signedIn');
    };
    check();
    return sessions.onDidChange(check);
  }
}
