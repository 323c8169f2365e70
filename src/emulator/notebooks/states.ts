import type { EmuStateCategory } from '../kit/states';

// The states of notebook instances and of the images they save, as the emulator plays them. The emulator
// keeps its own tables, apart from the client's lifecycle, so it stays an independent oracle of the service.

/**
 * Every notebook status the API reference lists, with its category. Moving states end on their own on the
 * emulator's clock (NOTEBOOK_TIMINGS); RUNNING ends when the lease runs out; the rest wait for an action.
 */
export const NOTEBOOK_STATES = {
  INIT: 'moving',
  CREATING: 'moving',
  STARTING: 'moving',
  STOPPING: 'moving',
  DELETING: 'moving',
  RUNNING: 'stable',
  STOPPED: 'stable',
  SNAPSHOTTING: 'moving',
  CREATE_FAILED: 'failed',
  START_FAILED: 'failed',
  DELETE_FAILED: 'failed',
  ERROR: 'failed',
  DELETED: 'gone',
  FROZEN: 'stable',
} as const satisfies Record<string, EmuStateCategory>;

export type EmuNotebookStatus = keyof typeof NOTEBOOK_STATES;

/** The notebook statuses in the reference's order (the list filter accepts exactly these). */
export const EMU_NOTEBOOK_STATUSES = Object.keys(NOTEBOOK_STATES) as EmuNotebookStatus[];

/** A saved image: INIT, then CREATING, then ACTIVE (a built-in image is ACTIVE from the start). */
export const NOTEBOOK_IMAGE_STATES = {
  INIT: 'moving',
  CREATING: 'moving',
  ACTIVE: 'stable',
} as const satisfies Record<string, EmuStateCategory>;
