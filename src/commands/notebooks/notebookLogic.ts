// What the notebook actions decide without VS Code: which actions a state allows, the auto-stop choices,
// one output line per status transition, following a notebook until it settles, and the warning shortly
// before a lease's auto-stop, scheduled on a Clock so tests run it on a ManualClock. Lease times are the
// service's: they are read against the session's service clock (the demo's emulator runs faster).

import type * as vscode from 'vscode';
import type { Clock } from '../../api/clock';
import { actionsIn, movingStates, NOTEBOOK_LIFECYCLE, statesAllowing, type NotebookActionName } from '../../api/lifecycle';
import { leaseEnd, type NotebooksApi } from '../../api/notebooks';
import type { Notebook } from '../../api/types';
import { HOUR_MS } from '../../api/validate';
import { formatLocalTime } from '../../common/time';
import { startTimer, type Timer } from '../../watch/timer';
import type { Watch, WatchRegistry } from '../../watch/watcher';

// ---------------------------------------------------------------- states

/** States a notebook leaves on its own; anything else is settled. */
export const NOTEBOOK_MOVING_STATES: readonly string[] = movingStates(NOTEBOOK_LIFECYCLE);

export function isNotebookSettled(status: string | undefined): boolean {
  return status !== undefined && !NOTEBOOK_MOVING_STATES.includes(status);
}

export type { NotebookActionName };

/** The states each action is offered in (the menus' `when` clauses in package.json say the same). */
export const NOTEBOOK_ACTION_STATES: Readonly<Record<NotebookActionName, readonly string[]>> = {
  start: statesAllowing(NOTEBOOK_LIFECYCLE, 'start'),
  stop: statesAllowing(NOTEBOOK_LIFECYCLE, 'stop'),
  extendLease: statesAllowing(NOTEBOOK_LIFECYCLE, 'extendLease'),
  openInBrowser: statesAllowing(NOTEBOOK_LIFECYCLE, 'openInBrowser'),
};

export function notebookActionsFor(status: string | undefined): NotebookActionName[] {
  return actionsIn(NOTEBOOK_LIFECYCLE, status);
}

// ---------------------------------------------------------------- durations

export const AUTO_STOP_HOURS: readonly number[] = [1, 2, 4, 8, 24, 72];

export interface DurationChoice {
  label: string;
  /** ms, or 'none' for no auto-stop. */
  durationMs: number | 'none';
  /** No auto-stop keeps billing until stopped: ask first. */
  needsConfirmation: boolean;
}

function hoursLabel(hours: number, l10n: typeof vscode.l10n): string {
  return hours === 1 ? l10n.t('1 hour') : l10n.t('{0} hours', hours);
}

/** Start: 1, 2, 4, 8, 24, 72 h, then "No auto-stop". */
export function autoStopChoices(l10n: typeof vscode.l10n): DurationChoice[] {
  return [
    ...AUTO_STOP_HOURS.map((h) => ({ label: hoursLabel(h, l10n), durationMs: h * HOUR_MS, needsConfirmation: false })),
    { label: l10n.t('No auto-stop'), durationMs: 'none' as const, needsConfirmation: true },
  ];
}

export interface ExtendChoice extends DurationChoice {
  durationMs: number;
  /** The new auto-stop (the service's time). */
  stopsAt: number;
}

/**
 * A renewal sets the auto-stop `duration` from now (the SDK's lease request counts from now), so "N hours"
 * means "stop N hours from now": only the choices that move the auto-stop later than it is are offered (all
 * of them when auto-stop is off). `now` is the service's time.
 */
export function extendChoices(nb: Notebook, now: number, l10n: typeof vscode.l10n): ExtendChoice[] {
  const end = leaseEnd(nb);
  const left = end === undefined ? 0 : end - now;
  return AUTO_STOP_HOURS.filter((h) => h * HOUR_MS > left).map((h) => {
    const stopsAt = now + h * HOUR_MS;
    return {
      label: l10n.t('Stop {0} from now (at {1})', hoursLabel(h, l10n), stopTime(stopsAt, now)),
      durationMs: h * HOUR_MS,
      needsConfirmation: false,
      stopsAt,
    };
  });
}

/**
 * What the warning's `Extend 1 h` does with the notebook as it is now: stop it one hour from now, unless it
 * is no longer running, or already stops later or not at all (changed meanwhile), which a renewal would
 * bring closer.
 */
export function extendOneHourDecision(
  nb: Notebook,
  now: number,
): { kind: 'renew' } | { kind: 'not-running' } | { kind: 'no-auto-stop' } | { kind: 'later'; end: number } {
  if (nb.status !== 'RUNNING') return { kind: 'not-running' };
  const end = leaseEnd(nb);
  if (end === undefined) return { kind: 'no-auto-stop' };
  return end >= now + HOUR_MS ? { kind: 'later', end } : { kind: 'renew' };
}

// ---------------------------------------------------------------- output lines

/** `09:30:05`, local: the prefix of the notebook output lines. */
export function timeOfDay(ms: number): string {
  return formatLocalTime(ms, { seconds: true, timeOnly: true });
}

/** An auto-stop time: `16:20` on the day of `now`, `2026-01-03 16:20` on another day (local time). */
export function stopTime(ms: number, now: number): string {
  const day = formatLocalTime(ms);
  return day.slice(0, 10) === formatLocalTime(now).slice(0, 10) ? formatLocalTime(ms, { timeOnly: true }) : day;
}

/** Remembers each notebook's last status, so every transition becomes exactly one line. */
export class TransitionLog {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly l10n: typeof vscode.l10n,
  ) {}

  /** Records the state the user saw before acting, without a line. */
  begin(nb: Notebook): void {
    if (nb.status !== undefined) this.last.set(nb.id, nb.status);
  }

  /** A line when the status differs from the last one seen, else undefined. */
  observe(nb: Notebook): string | undefined {
    const status = nb.status;
    if (status === undefined) return undefined;
    const previous = this.last.get(nb.id);
    if (previous === status) return undefined;
    this.last.set(nb.id, status);
    const name = nb.name || nb.id;
    const at = `[${timeOfDay(this.clock.now())}]`;
    const move = previous === undefined ? status : `${previous} → ${status}`;
    const { l10n } = this;
    return nb.fail_reason && status.endsWith('FAILED')
      ? l10n.t('{0} {1}: {2} ({3})', at, name, move, nb.fail_reason)
      : l10n.t('{0} {1}: {2}', at, name, move);
  }

  forget(id: string): void {
    this.last.delete(id);
  }
}

export interface FollowNotebookOptions {
  api: Pick<NotebooksApi, 'get'>;
  watches: WatchRegistry;
  /** The watch key; include the profile so two profiles never share one. */
  key: string;
  transitions: TransitionLog;
  /** One output line per transition. */
  append: (line: string) => void;
  /** Each read whose status changed (redraw the row). */
  onChange?: (nb: Notebook) => void;
}

/** Re-reads the notebook until it settles (RUNNING, START_FAILED, STOPPED…), visible or not. */
export function followNotebook(o: FollowNotebookOptions, notebookId: string): Watch<Notebook> {
  return o.watches.watch(
    o.key,
    (signal) => o.api.get(notebookId, signal),
    (nb) => isNotebookSettled(nb.status),
    {
      signature: (nb) => JSON.stringify([nb.status, nb.fail_reason]),
      onUpdate: (nb) => {
        const line = o.transitions.observe(nb);
        if (line === undefined) return;
        o.append(line);
        o.onChange?.(nb);
      },
    },
  );
}

// ---------------------------------------------------------------- lease warnings

export const LEASE_WARNING_MS = 10 * 60_000;

interface Scheduled<C> {
  end: number;
  timer: Timer;
  context: C;
}

/**
 * One warning about `LEASE_WARNING_MS` before each watched notebook's auto-stop. Tracking again with the
 * same end keeps the timer; a new end (the lease was extended) replaces it; a warning fires once per end.
 * Scheduled on the service's clock (`clock`, or the one of each context's session).
 */
export class LeaseWarnings<C> {
  private readonly scheduled = new Map<string, Scheduled<C>>();
  private readonly warned = new Set<string>();
  private readonly clockOf: (context: C) => Clock;

  constructor(
    clock: Clock | ((context: C) => Clock),
    private readonly onWarn: (key: string, nb: Notebook, end: number, context: C) => void,
    private readonly onError?: (error: unknown) => void,
  ) {
    this.clockOf = typeof clock === 'function' ? clock : () => clock;
  }

  /** Schedules (or keeps, or moves, or drops) the warning for a notebook the user started or extended. */
  track(key: string, nb: Notebook, context: C): void {
    const end = nb.status === 'RUNNING' ? leaseEnd(nb) : undefined;
    const clock = this.clockOf(context);
    const now = clock.now();
    if (end === undefined || end <= now || this.warned.has(`${key}@${end}`)) {
      this.untrack(key);
      return;
    }
    const current = this.scheduled.get(key);
    if (current?.end === end) {
      current.context = context;
      return;
    }
    current?.timer.cancel();
    const timer = startTimer(
      clock,
      Math.max(0, end - LEASE_WARNING_MS - now),
      () => {
        const entry = this.scheduled.get(key);
        if (entry?.end !== end) return;
        this.scheduled.delete(key);
        this.warned.add(`${key}@${end}`);
        this.onWarn(key, nb, end, entry.context);
      },
      this.onError,
    );
    this.scheduled.set(key, { end, timer, context });
  }

  untrack(key: string): void {
    this.scheduled.get(key)?.timer.cancel();
    this.scheduled.delete(key);
  }

  /** When the warning for `key` fires (ms epoch), or undefined. */
  warningAt(key: string): number | undefined {
    const entry = this.scheduled.get(key);
    return entry === undefined ? undefined : Math.max(entry.end - LEASE_WARNING_MS, 0);
  }

  get keys(): string[] {
    return [...this.scheduled.keys()];
  }

  dispose(): void {
    for (const entry of this.scheduled.values()) entry.timer.cancel();
    this.scheduled.clear();
  }
}
