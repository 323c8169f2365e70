import type { EmuStateCategory } from '../kit/states';
import type { Phase } from './records';

// The phases of training jobs as the emulator plays them, kept apart from the client's lifecycle so the
// emulator stays an independent oracle of the service.

/**
 * Every training job phase the API reference lists, with its category. A job moves Creating → Pending →
 * Running → Completed | Failed on the emulator's clock (TRAINING_TIMINGS); a stop goes through Terminating to
 * Terminated; Abnormal is the seed manual's example and never moves.
 */
export const TRAINING_PHASE_STATES = {
  Creating: 'moving',
  Pending: 'moving',
  Running: 'moving',
  Completed: 'stable',
  Failed: 'failed',
  Terminating: 'moving',
  Terminated: 'stable',
  Abnormal: 'failed',
} as const satisfies Record<Phase, EmuStateCategory>;

/** Phases that count against the running-job quota. */
export const ACTIVE: ReadonlySet<Phase> = new Set(['Creating', 'Pending', 'Running', 'Terminating']);
/** Phases a stop action applies to. */
export const TERMINABLE: ReadonlySet<Phase> = new Set(['Creating', 'Pending', 'Running']);

/** The `secondary_phase` shown with a phase: Pending is Queuing. */
export function secondaryOf(phase: Phase): string {
  return phase === 'Pending' ? 'Queuing' : phase;
}

/** A save-image job: INIT → CREATING → ACTIVE, or CREATE_FAILED. */
export const SAVE_IMAGE_STATES = {
  INIT: 'moving',
  CREATING: 'moving',
  ACTIVE: 'stable',
  CREATE_FAILED: 'failed',
} as const satisfies Record<string, EmuStateCategory>;
