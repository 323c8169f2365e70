import type { EmuStateCategory } from '../kit/states';

// The states of workspaces as the emulator plays them, kept apart from the client's lifecycle so the emulator
// stays an independent oracle of the service.

/**
 * Every workspace status the API reference lists, with its category. The emulator creates workspaces NORMAL
 * at once and shows a deleted one DELETING for WORKSPACE_DELETE_MS; the failed states are never entered.
 */
export const WORKSPACE_STATES = {
  NORMAL: 'stable',
  CREATE_FAILED: 'failed',
  DELETING: 'moving',
  DELETE_FAILED: 'failed',
} as const satisfies Record<string, EmuStateCategory>;
