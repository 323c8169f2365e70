import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { contextValue, dedupeByKey, itemId, nodeIds } from '../../../src/explorer/ids';

describe('explorer ids and contextValues', () => {
  it('builds stable paths that include the profile', () => {
    assert.equal(nodeIds.workspace('dev', '0'), 'dev/ws/0');
    assert.equal(nodeIds.group('dev', '0', 'notebooks'), 'dev/ws/0/notebooks');
    assert.equal(nodeIds.notebook('dev', '0', 'nb1'), 'dev/ws/0/notebook/nb1');
    assert.equal(nodeIds.task('dev', '0', 'j1', 'worker-0'), 'dev/ws/0/job/j1/task/worker-0');
    assert.equal(nodeIds.step('dev', '0', 'w1', 'e1', 's1'), 'dev/ws/0/workflow/w1/execution/e1/step/s1');
    assert.equal(nodeIds.loadMore('dev/ws/0/trainingJobs'), 'dev/ws/0/trainingJobs/loadMore');
    assert.notEqual(nodeIds.notebook('dev', '0', 'x'), nodeIds.notebook('prod', '0', 'x'), 'two profiles never collide');
  });

  it('encodes every segment, so a name or profile cannot forge another id', () => {
    assert.equal(nodeIds.workspace('a/ws/b', '0'), 'a%2Fws%2Fb/ws/0');
    assert.equal(nodeIds.task('p', '0', 'j', '../loadMore'), 'p/ws/0/job/j/task/..%2FloadMore');
    assert.notEqual(nodeIds.task('p', '0', 'j', 'loadMore'), nodeIds.loadMore(nodeIds.trainingJob('p', '0', 'j')));
  });

  it('gives items without an id a positional id that cannot clash with a real one', () => {
    assert.equal(itemId('p/ws/0/job', 'abc', 3), 'p/ws/0/job/abc');
    assert.equal(itemId('p/ws/0/job', '', 3), 'p/ws/0/job/#item3');
    for (const forged of ['#item3', '~item3', '%23item3']) assert.notEqual(itemId('p/ws/0/job', forged, 0), itemId('p/ws/0/job', '', 3));
    assert.notEqual(nodeIds.message('p/ws/0/job/x', 'empty'), nodeIds.task('p', '0', 'x', '#empty'));
  });

  it('[Q14] keeps the first of each id (pages that shifted), and every item without one', () => {
    const items = [{ id: 'a' }, { id: 'b' }, { id: '' }, { id: 'a' }, { id: '' }, { id: 'c' }];
    assert.deepEqual(
      dedupeByKey(items, (i) => i.id).map((i) => i.id),
      ['a', 'b', '', '', 'c'],
    );
  });

  it('writes contextValues as ;tag; lists', () => {
    assert.equal(contextValue('resource', 'notebook', 'running', 'refreshable'), ';resource;notebook;running;refreshable;');
    assert.equal(contextValue('resource', 'step', undefined, false), ';resource;step;');
    assert.match(contextValue('group', 'trainingJobs', 'refreshable'), /;refreshable;/);
  });
});
