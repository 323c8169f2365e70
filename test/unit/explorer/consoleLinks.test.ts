import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { englishL10n } from '../../../src/common/translate';
import { CONSOLE_ROUTES, consoleUrl, openInConsole } from '../../../src/explorer/consoleLinks';

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

  it('in demo mode opens nothing and says the demo resources live only in the emulator; signed in, opens the page', async () => {
    const opened: string[] = [];
    const told: string[] = [];
    const opener = { openExternal: (url: string) => Promise.resolve(opened.push(url)), inform: (m: string) => told.push(m), l10n: englishL10n };
    await openInConsole({ region: 'cn-north-4', demo: true }, { kind: 'trainingJob', jobId: 'j1' }, opener);
    assert.deepEqual(opened, [], '0 external opens in the demo');
    assert.deepEqual(told, ['The demo has no console page: its resources exist only in the built-in emulator on this computer, not in Huawei Cloud.']);
    // Positive control: a real session opens the console once, and says nothing.
    await openInConsole({ region: 'cn-north-4', demo: false }, { kind: 'trainingJob', jobId: 'j1' }, opener);
    assert.deepEqual(opened, ['https://console.huaweicloud.com/modelarts/?region=cn-north-4#/training/detail/j1']);
    assert.equal(told.length, 1);
  });
});
