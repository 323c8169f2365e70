import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EndpointTrust, InvalidEndpointError, TRUSTED_HOSTS_KEY, classifyEndpoint, isLoopbackHost, isTrustedByDefault } from '../../../src/auth/endpointTrust';
import { englishL10n as l10n } from '../../../src/common/translate';
import { MemoryState } from './fakes';

describe('endpoint trust: host classification', () => {
  const cases: Array<[string, 'huawei' | 'loopback' | 'other', boolean]> = [
    ['https://modelarts.cn-north-4.myhuaweicloud.com', 'huawei', true],
    ['https://modelarts.ap-southeast-1.myhuaweicloud.cn', 'huawei', true],
    ['https://IAM.CN-NORTH-4.MyHuaweiCloud.com/', 'huawei', true],
    ['https://myhuaweicloud.com', 'huawei', true],
    // Lookalikes are not Huawei Cloud.
    ['https://evilmyhuaweicloud.com', 'other', false],
    ['https://modelarts.myhuaweicloud.com.evil.example', 'other', false],
    ['https://myhuaweicloud.com@evil.example', 'other', false],
    ['https://modelarts.cn-north-4.myhuaweicloud.com.', 'other', false],
    ['https://myhuaweicloud.co', 'other', false],
    // Loopback, in its spellings.
    ['http://127.0.0.1:8080', 'loopback', true],
    ['http://127.45.6.7', 'loopback', true],
    ['http://127.1:9000', 'loopback', true],
    ['http://0x7f.0.0.1', 'loopback', true],
    ['http://localhost:3000', 'loopback', true],
    ['http://LOCALHOST', 'loopback', true],
    ['http://[::1]:8443', 'loopback', true],
    ['http://128.0.0.1', 'other', false],
    ['http://localhost.evil.example', 'other', false],
    ['http://10.0.0.5', 'other', false],
    ['https://ma.corp.example:8443', 'other', false],
    // Plain HTTP to a Huawei host goes through the question too.
    ['http://modelarts.cn-north-4.myhuaweicloud.com', 'huawei', false],
  ];
  for (const [url, kind, trusted] of cases) {
    it(`[Q20] ${url}: ${kind}, ${trusted ? 'trusted' : 'asked about'}`, () => {
      if (url.includes('@')) {
        assert.throws(() => classifyEndpoint(url, l10n), InvalidEndpointError);
        return;
      }
      const target = classifyEndpoint(url, l10n);
      assert.equal(target.kind, kind);
      assert.equal(isTrustedByDefault(target), trusted);
    });
  }

  it('names the host, or the whole origin for plain HTTP, and refuses what is no endpoint', () => {
    assert.equal(classifyEndpoint('https://ma.corp.example:8443/base', l10n).display, 'ma.corp.example:8443');
    assert.equal(classifyEndpoint('http://ma.corp.example', l10n).display, 'http://ma.corp.example');
    assert.equal(classifyEndpoint('https://ma.corp.example:8443/base', l10n).key, 'https://ma.corp.example:8443');
    assert.throws(() => classifyEndpoint('ftp://ma.corp.example', l10n), /must start with https:\/\//);
    assert.throws(() => classifyEndpoint('not a url', l10n), /is not a valid endpoint URL/);
    assert.throws(() => classifyEndpoint('https://ak:sk@ma.corp.example', l10n), /must not contain a user name or password/);
    assert.ok(isLoopbackHost('127.255.255.254'));
    assert.ok(!isLoopbackHost('127.0.0.1.nip.io'));
  });
});

describe('endpoint trust: asking once', () => {
  it('asks once per unknown origin, remembers a yes, and is not asked about trusted hosts', async () => {
    const state = new MemoryState();
    const trust = new EndpointTrust(state, l10n);
    const asked: string[] = [];
    const yes = (host: string): Promise<boolean> => {
      asked.push(host);
      return Promise.resolve(true);
    };
    const endpoints = ['https://ma.corp.example', 'https://iam.corp.example', 'https://ma.corp.example/other-path'];
    assert.equal(await trust.ensure(endpoints, yes), true);
    assert.deepEqual(asked, ['ma.corp.example', 'iam.corp.example']);
    assert.deepEqual(state.get(TRUSTED_HOSTS_KEY), ['https://ma.corp.example', 'https://iam.corp.example']);
    assert.equal(await trust.ensure(endpoints, yes), true);
    assert.equal(await trust.ensure(['https://modelarts.cn-north-4.myhuaweicloud.com', 'http://127.0.0.1:1'], yes), true);
    assert.equal(asked.length, 2, 'no further questions');
    // Another port is another origin.
    assert.equal(trust.untrusted(['https://ma.corp.example:8443']).length, 1);
  });

  it('[Q20] declining (or having nobody to ask) trusts nothing and remembers nothing', async () => {
    const state = new MemoryState();
    const trust = new EndpointTrust(state, l10n);
    let asked = 0;
    const no = (): Promise<boolean> => {
      asked++;
      return Promise.resolve(false);
    };
    assert.equal(await trust.ensure(['https://ma.corp.example', 'https://iam.corp.example'], no), false);
    assert.equal(asked, 1, 'stops at the first refusal');
    assert.equal(await trust.ensure(['https://ma.corp.example']), false);
    assert.equal(state.get(TRUSTED_HOSTS_KEY), undefined);
    assert.equal(await trust.ensure(['https://modelarts.cn-north-4.myhuaweicloud.com']), true, 'Huawei hosts need nobody to ask');
  });
});
