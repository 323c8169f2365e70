import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadOnce } from '../../../src/commands/loadOnce';

// The lazy feature loader the OBS view, Run on ModelArts and the language model tools share.

describe('loadOnce', () => {
  it('loads once for every caller, and says whether it began', async () => {
    let loads = 0;
    const load = loadOnce(() => Promise.resolve(++loads));
    assert.equal(load.started(), undefined);
    const [a, b] = await Promise.all([load(), load()]);
    assert.deepEqual([a, b, await load(), loads], [1, 1, 1, 1]);
    assert.equal(await load.started(), 1);
  });

  it('tries again on the next call after a failed load, telling onError once per failure', async () => {
    let attempt = 0;
    const errors: unknown[] = [];
    const load = loadOnce(() => (++attempt === 1 ? Promise.reject(new Error('bundle missing')) : Promise.resolve('feature')), (error) => errors.push(error));
    await assert.rejects(load(), /bundle missing/);
    assert.equal(load.started(), undefined, 'a failed load is forgotten');
    assert.equal(await load(), 'feature');
    assert.equal(errors.length, 1);
    assert.equal(attempt, 2);
  });
});
