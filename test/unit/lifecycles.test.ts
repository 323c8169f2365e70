import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  EXECUTION_LIFECYCLE,
  NOTEBOOK_LIFECYCLE,
  SAVE_IMAGE_LIFECYCLE,
  STEP_LIFECYCLE,
  TRAINING_JOB_LIFECYCLE,
  WORKSPACE_LIFECYCLE,
  statesAllowing,
  type Lifecycle,
} from '../../src/api/lifecycle';
import type { EmuStateCategory } from '../../src/emulator/kit/states';
import { NOTEBOOK_STATES } from '../../src/emulator/notebooks/states';
import { SAVE_IMAGE_STATES, TERMINABLE, TRAINING_PHASE_STATES } from '../../src/emulator/training/states';
import { WORKFLOW_EXECUTION_STATES, WORKFLOW_STEP_STATES } from '../../src/emulator/workflows/states';
import { WORKSPACE_STATES } from '../../src/emulator/workspaces/states';

// The client's lifecycle tables and the emulator's state tables are written apart on purpose (the emulator is
// an independent oracle of the service); this test keeps them from drifting: the same states, moving in both or
// in neither, failed in both or in neither.

/** The disagreements between one client table and one emulator table, as readable lines. */
function disagreements(kind: string, client: Lifecycle<string>, emulator: Readonly<Record<string, EmuStateCategory>>): string[] {
  const problems: string[] = [];
  for (const state of Object.keys(emulator)) if (!Object.hasOwn(client, state)) problems.push(`${kind}: the emulator plays ${state}, the client does not know it`);
  for (const state of Object.keys(client)) if (!Object.hasOwn(emulator, state)) problems.push(`${kind}: the client knows ${state}, the emulator never plays it`);
  for (const state of Object.keys(emulator).filter((s) => Object.hasOwn(client, s))) {
    const meaning = client[state];
    if ((emulator[state] === 'moving') !== meaning.moving) problems.push(`${kind}: ${state} is ${emulator[state]} in the emulator, ${meaning.moving ? 'moving' : 'at rest'} in the client`);
    if ((emulator[state] === 'failed') !== (meaning.category === 'failed')) problems.push(`${kind}: ${state} is ${emulator[state]} in the emulator, ${meaning.category} in the client`);
  }
  return problems;
}

describe('lifecycles: the client and the emulator agree', () => {
  const pairs: Array<[string, Lifecycle<string>, Readonly<Record<string, EmuStateCategory>>]> = [
    ['workspace', WORKSPACE_LIFECYCLE, WORKSPACE_STATES],
    ['training job', TRAINING_JOB_LIFECYCLE, TRAINING_PHASE_STATES],
    ['save-image job', SAVE_IMAGE_LIFECYCLE, SAVE_IMAGE_STATES],
    ['notebook', NOTEBOOK_LIFECYCLE, NOTEBOOK_STATES],
    ['workflow execution', EXECUTION_LIFECYCLE, WORKFLOW_EXECUTION_STATES],
    ['workflow step', STEP_LIFECYCLE, WORKFLOW_STEP_STATES],
  ];

  for (const [kind, client, emulator] of pairs) {
    it(`${kind}: the same states, moving and failed alike`, () => {
      assert.ok(Object.keys(emulator).length >= 4, `${kind}: ${Object.keys(emulator).length} states`);
      assert.deepEqual(disagreements(kind, client, emulator), []);
    });
  }

  it('a training job can be stopped in exactly the phases the emulator terminates', () => {
    assert.deepEqual(statesAllowing(TRAINING_JOB_LIFECYCLE, 'stop').sort(), [...TERMINABLE].sort());
  });

  it('a drift is caught: a state only one side knows, one moving on one side only, one failed on one side only', () => {
    const client: Lifecycle<string> = { A: { category: 'running', moving: true }, B: { category: 'stopped', moving: false }, C: { category: 'completed', moving: false } };
    const emulator = { A: 'stable', B: 'stable', C: 'failed', D: 'moving' } as const;
    assert.deepEqual(disagreements('x', client, emulator), [
      'x: the emulator plays D, the client does not know it',
      'x: A is stable in the emulator, moving in the client',
      'x: C is failed in the emulator, completed in the client',
    ]);
  });
});
