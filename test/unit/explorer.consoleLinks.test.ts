import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CONSOLE_ROUTES, consoleUrl } from '../../src/explorer/consoleLinks';

describe('explorer console links', () => {
  it('opens the documented routes of the region', () => {
    assert.equal(consoleUrl('cn-north-4', { kind: 'dashboard' }), 'https://console.huaweicloud.com/modelarts/?region=cn-north-4#/dashboard');
    assert.equal(consoleUrl('cn-north-4', { kind: 'trainingJobs' }), 'https://console.huaweicloud.com/modelarts/?region=cn-north-4#/training');
    assert.equal(
      consoleUrl('ap-southeast-1', { kind: 'trainingJob', jobId: '3faf5c03-aaa1-4cbe-879d-24b05d997347' }),
      'https://console.huaweicloud.com/modelarts/?region=ap-southeast-1#/training/detail/3faf5c03-aaa1-4cbe-879d-24b05d997347',
    );
    assert.equal(consoleUrl('cn-north-4', { kind: 'notebooks' }), 'https://console.huaweicloud.com/modelarts/?region=cn-north-4#/dev-container');
  });

  it('falls back to the nearest list page for workflows (no route known)', () => {
    assert.equal(consoleUrl('cn-north-4', { kind: 'workflows' }), 'https://console.huaweicloud.com/modelarts/?region=cn-north-4#/dashboard');
  });

  it('encodes what comes from the API or the settings', () => {
    assert.equal(consoleUrl('x&y=1', { kind: 'trainingJob', jobId: 'a/b#c' }), 'https://console.huaweicloud.com/modelarts/?region=x%26y%3D1#/training/detail/a%2Fb%23c');
  });

  it('keeps every route in one table', () => {
    assert.deepEqual(Object.keys(CONSOLE_ROUTES).sort(), ['dashboard', 'notebooks', 'trainingJob', 'trainingJobs', 'workflows']);
  });
});
