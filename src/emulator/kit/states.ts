// The categories every family's state table uses. Each family keeps its own state list (the emulator must stay
// an independent oracle of the service), in one exported table per family: notebooks/states.ts,
// workspaces/states.ts, training/states.ts, workflows/states.ts.

/** What a state means to whoever watches it: still changing, at rest, failed, or on its way out. */
export type EmuStateCategory = 'moving' | 'stable' | 'failed' | 'gone';
