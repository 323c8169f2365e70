import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  actionsIn,
  EXECUTION_LIFECYCLE,
  finalStates,
  isFinal,
  LIFECYCLES,
  movingStates,
  NOTEBOOK_LIFECYCLE,
  SAVE_IMAGE_LIFECYCLE,
  statesAllowing,
  STEP_LIFECYCLE,
  TRAINING_JOB_LIFECYCLE,
} from '../../../src/api/lifecycle';
import { EXECUTION_STATUSES, NOTEBOOK_STATUSES, SAVE_IMAGE_STATUSES, STEP_STATUSES, TRAINING_PHASES, WORKFLOW_STATUSES, WORKSPACE_STATUSES } from '../../../src/api/types';
import { knownStates, type StateKind } from '../../../src/common/stateWords';
import { englishL10n } from '../../../src/common/translate';

// The lifecycle tables: every state the client parses has a meaning and words, and what the code derives from
// them (final and moving states, the states each action is offered in) is what the reference says.

const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('lifecycle tables', () => {
  it('cover exactly the states the client parses, and the state words cover the same', () => {
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.trainingJob)), sorted(TRAINING_PHASES));
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.notebook)), sorted(NOTEBOOK_STATUSES));
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.workspace)), sorted(WORKSPACE_STATUSES));
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.workflow)), sorted(WORKFLOW_STATUSES));
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.saveImage)), sorted(SAVE_IMAGE_STATUSES));
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.execution)), sorted(EXECUTION_STATUSES));
    assert.deepEqual(sorted(Object.keys(LIFECYCLES.step)), sorted(STEP_STATUSES));
    for (const kind of ['workspace', 'trainingJob', 'notebook', 'workflow', 'execution', 'step'] as const satisfies readonly StateKind[]) {
      assert.deepEqual(sorted(knownStates(kind, englishL10n)), sorted(Object.keys(LIFECYCLES[kind])), kind);
    }
  });

  it('final and moving states', () => {
    assert.deepEqual(sorted(finalStates(TRAINING_JOB_LIFECYCLE)), ['Abnormal', 'Completed', 'Failed', 'Terminated']);
    assert.deepEqual(sorted(movingStates(NOTEBOOK_LIFECYCLE)), ['CREATING', 'DELETING', 'INIT', 'SNAPSHOTTING', 'STARTING', 'STOPPING']);
    assert.deepEqual(sorted(finalStates(SAVE_IMAGE_LIFECYCLE)), ['ACTIVE', 'CREATE_FAILED']);
    assert.equal(isFinal(TRAINING_JOB_LIFECYCLE, 'Completed'), true);
    assert.equal(isFinal(TRAINING_JOB_LIFECYCLE, 'Running'), false);
    assert.equal(isFinal(TRAINING_JOB_LIFECYCLE, 'Exploded'), false, 'a state the table does not know is never final');
    assert.equal(isFinal(TRAINING_JOB_LIFECYCLE, undefined), false);
    assert.equal(isFinal(TRAINING_JOB_LIFECYCLE, 'toString'), false, 'only the table\'s own states');
  });

  it('the states each action is offered in', () => {
    assert.deepEqual(sorted(statesAllowing(TRAINING_JOB_LIFECYCLE, 'stop')), ['Creating', 'Pending', 'Running']);
    assert.deepEqual(statesAllowing(TRAINING_JOB_LIFECYCLE, 'saveImage'), ['Running']);
    assert.deepEqual(sorted(statesAllowing(NOTEBOOK_LIFECYCLE, 'start')), ['START_FAILED', 'STOPPED']);
    assert.deepEqual(sorted(statesAllowing(NOTEBOOK_LIFECYCLE, 'stop')), ['RUNNING', 'STARTING']);
    assert.deepEqual(statesAllowing(NOTEBOOK_LIFECYCLE, 'extendLease'), ['RUNNING']);
    assert.deepEqual(statesAllowing(NOTEBOOK_LIFECYCLE, 'openInBrowser'), ['RUNNING']);
    assert.deepEqual(sorted(statesAllowing(EXECUTION_LIFECYCLE, 'stop')), ['init', 'running']);
    assert.deepEqual(sorted(statesAllowing(EXECUTION_LIFECYCLE, 'rerun')), ['abnormal', 'completed', 'stopped']);
    assert.deepEqual(sorted(statesAllowing(STEP_LIFECYCLE, 'stop')), ['created', 'creating', 'hold', 'pending', 'running', 'wait_inputs']);
    assert.deepEqual(sorted(statesAllowing(STEP_LIFECYCLE, 'retry')), ['create_failed', 'failed', 'stopped', 'timeout']);
    assert.deepEqual(sorted(statesAllowing(STEP_LIFECYCLE, 'continue')), ['hold', 'wait_inputs']);
    assert.deepEqual(actionsIn(NOTEBOOK_LIFECYCLE, 'RUNNING'), ['stop', 'extendLease', 'openInBrowser']);
    assert.deepEqual(actionsIn(NOTEBOOK_LIFECYCLE, 'Nope'), []);
  });
});
