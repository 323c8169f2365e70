import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EXECUTION_STATUSES, NOTEBOOK_STATUSES, STEP_STATUSES, TRAINING_PHASES, WORKFLOW_STATUSES, WORKSPACE_STATUSES } from '../../../src/api/types';
import { CATEGORY_LOOKS, stateTag, statusLook, transitionalStates, type ResourceKind } from '../../../src/explorer/status';

describe('explorer status: look and polling by state', () => {
  it('polls exactly the transitional states (creating, starting, stopping, running jobs…) and nothing else', () => {
    assert.deepEqual(transitionalStates('notebook').sort(), ['CREATING', 'DELETING', 'INIT', 'SNAPSHOTTING', 'STARTING', 'STOPPING']);
    assert.deepEqual(transitionalStates('trainingJob').sort(), ['Creating', 'Pending', 'Running', 'Terminating']);
    assert.deepEqual(transitionalStates('execution').sort(), ['init', 'running']);
    assert.deepEqual(transitionalStates('step').sort(), ['created', 'creating', 'init', 'pending', 'running', 'stopping', 'wait_inputs']);
    assert.deepEqual(transitionalStates('workflow').sort(), ['init', 'running']);
    assert.deepEqual(transitionalStates('workspace'), ['DELETING']);
  });

  it('knows every documented state of every kind', () => {
    const kinds: Array<[ResourceKind, readonly string[]]> = [
      ['workspace', WORKSPACE_STATUSES],
      ['trainingJob', TRAINING_PHASES],
      ['notebook', NOTEBOOK_STATUSES],
      ['workflow', WORKFLOW_STATUSES],
      ['execution', EXECUTION_STATUSES],
      ['step', STEP_STATUSES],
    ];
    for (const [kind, states] of kinds) {
      for (const state of states) assert.notEqual(statusLook(kind, state).category, 'unknown', `${kind} ${state}`);
    }
  });

  it('maps categories to codicons with theme colours', () => {
    assert.deepEqual(statusLook('trainingJob', 'Running'), { category: 'running', icon: 'sync~spin', color: 'charts.blue', transitional: true });
    assert.deepEqual(statusLook('notebook', 'STARTING'), { category: 'transitional', icon: 'sync~spin', color: 'charts.blue', transitional: true });
    assert.deepEqual(statusLook('trainingJob', 'Failed'), { category: 'failed', icon: 'error', color: 'errorForeground', transitional: false });
    assert.deepEqual(statusLook('execution', 'completed'), { category: 'completed', icon: 'pass', color: 'testing.iconPassed', transitional: false });
    assert.equal(statusLook('notebook', 'STOPPED').icon, 'debug-stop');
    assert.equal(statusLook('trainingJob', 'Pending').icon, 'clock');
    assert.equal(statusLook('step', 'hold').transitional, false, 'a held step waits for the user, it does not move');
    assert.equal(statusLook('notebook', 'RUNNING').transitional, false, 'a running notebook is steady');
    for (const look of Object.values(CATEGORY_LOOKS)) assert.match(look.icon, /^[a-z-]+(~spin)?$/);
  });

  it('[Q12] a missing or unknown state is "unknown" (question mark) and never polled', () => {
    for (const status of [undefined, '', 'WEIRD', 'running ', 'Running'.toUpperCase()]) {
      const look = statusLook('trainingJob', status);
      assert.equal(look.icon, 'question', String(status));
      assert.equal(look.transitional, false);
    }
    assert.equal(statusLook('task', 'Running').category, 'unknown');
  });

  it('turns a state into a lower-case contextValue tag', () => {
    assert.equal(stateTag('START_FAILED'), 'start_failed');
    assert.equal(stateTag('Running'), 'running');
    assert.equal(stateTag('a;b c'), 'a_b_c', 'no separator can be smuggled into a contextValue');
    assert.equal(stateTag(undefined), undefined);
    assert.equal(stateTag(''), undefined);
  });
});
