import type { EmuStateCategory } from '../kit/states';
import type { EmuExecutionStatus, EmuStepStatus } from './records';

// The states of workflow executions and their steps as the emulator plays them, kept apart from the client's
// lifecycle so the emulator stays an independent oracle of the service. The transitions are in run.ts.

/** Every execution status, with its category: init and running move on the clock; the rest wait for an action. */
export const WORKFLOW_EXECUTION_STATES = {
  init: 'moving',
  running: 'moving',
  completed: 'stable',
  stopped: 'stable',
  abnormal: 'failed',
} as const satisfies Record<EmuExecutionStatus, EmuStateCategory>;

/** Every step status, with its category: a held step waits for Continue; failed, timed-out and create-failed steps for Retry. */
export const WORKFLOW_STEP_STATES = {
  init: 'moving',
  wait_inputs: 'moving',
  pending: 'moving',
  creating: 'moving',
  created: 'moving',
  create_failed: 'failed',
  running: 'moving',
  stopping: 'moving',
  stopped: 'stable',
  timeout: 'failed',
  completed: 'stable',
  failed: 'failed',
  hold: 'stable',
  skipped: 'stable',
} as const satisfies Record<EmuStepStatus, EmuStateCategory>;
