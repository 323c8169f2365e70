import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  canonicalQueryString,
  canonicalUri,
  encodeRfc3986,
  formatSdkDate,
  parseAuthorization,
  parseQueryString,
  parseSdkDate,
  sha256Hex,
  sign,
  stringToSign,
  type SigningInput,
} from '../../../src/api/signer';

const official = { ak: 'AccessKey', sk: 'SecretKey' };
const officialHeaders = { Host: 'service.endpoint.myhuaweicloud.com', 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'TEST_VALUE' };

describe('signer: official vectors', () => {
  it('GET with empty body', () => {
    const input: SigningInput = { method: 'GET', path: '/resources', query: [['size', '1']], headers: officialHeaders, body: '' };
    const sig = sign(input, official);
    assert.equal(
      sig.canonicalRequest,
      'GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(sha256Hex(sig.canonicalRequest), 'de94dd1e1ccdb730b403ce35d7e14f7c7b04337f6def1c3a3a2ba936852b133f');
    assert.equal(
      sig.authorization,
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
    );
  });

  it('POST with JSON body', () => {
    const input: SigningInput = { method: 'POST', path: '/resources', query: [['size', '1']], headers: officialHeaders, body: '{"name":"test","id":1}' };
    assert.equal(
      sign(input, official).authorization,
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f',
    );
  });

  it('canonical query string as the SDK test expects', () => {
    const q = canonicalQueryString([
      ['test', '一 (&=?!#%.*)'],
      ['path', '/tmp/123'],
      ['multi', '3'],
      ['multi', '1'],
      ['multi', '2'],
      ['limit', '1'],
      ['enable', 'true'],
    ]);
    assert.equal(q, 'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29');
  });
});

describe('signer: derived ModelArts vectors', () => {
  const key = { ak: 'AK_EXAMPLE', sk: 'SK_EXAMPLE' };
  const pid = '0123456789abcdef0123456789abcdef';
  const base = { Host: 'modelarts.cn-north-4.myhuaweicloud.com', 'X-Sdk-Date': '20240101T000000Z', 'X-Project-Id': pid };

  it('GET notebooks with a query', () => {
    const sig = sign(
      { method: 'GET', path: `/v1/${pid}/notebooks`, query: [['offset', '0'], ['limit', '10'], ['status', 'RUNNING']], headers: { ...base, 'Content-Type': 'application/json' } },
      key,
    );
    assert.equal(sig.signedHeaders, 'content-type;host;x-project-id;x-sdk-date');
    assert.equal(sig.signature, '9a5cf6cf03ccf0096973ac9f13c57ff15406c7b44374a88f60c853d4539ecf7b');
  });

  it('POST a training job', () => {
    const body = '{"kind":"job","metadata":{"name":"demo"}}';
    assert.equal(sha256Hex(body), '06c7d0c21ae1d90bd4b9592327c1111927d4a3755f3e220917682b9fb2fbcb1e');
    const sig = sign({ method: 'POST', path: `/v2/${pid}/training-jobs`, query: [], headers: { ...base, 'Content-Type': 'application/json;charset=UTF-8' }, body }, key);
    assert.equal(sig.signature, '069b0dfaf1149031acfabccf19944cdafd58dfa828029f43ae0cd3eca9bdb2af');
  });

  it('POST start notebook with a security token', () => {
    const sig = sign(
      {
        method: 'POST',
        path: `/v1/${pid}/notebooks/nb-1/start`,
        query: [['duration', '3600000'], ['type', 'TIMING']],
        headers: { ...base, 'Content-Type': 'application/json', 'X-Security-Token': 'TEMPTOKEN' },
      },
      key,
    );
    assert.equal(sig.signedHeaders, 'content-type;host;x-project-id;x-sdk-date;x-security-token');
    assert.equal(sig.signature, 'cb4d944f4e87254c1b86fb919103700427f14b568ef8f9a467df4c0d16c1a2b1');
  });
});

describe('signer: helpers', () => {
  it('canonical URI always ends in a slash and re-encodes decoded segments', () => {
    assert.equal(canonicalUri('/v1/x/notebooks'), '/v1/x/notebooks/');
    assert.equal(canonicalUri('/v1/x/'), '/v1/x/');
    assert.equal(canonicalUri('/a%20b/c d'), '/a%20b/c%20d/');
  });

  it('dates round-trip and malformed ones are rejected', () => {
    const d = new Date(Date.UTC(2020, 5, 8, 2, 39, 0));
    assert.equal(formatSdkDate(d), '20200608T023900Z');
    assert.equal(parseSdkDate('20200608T023900Z')?.getTime(), d.getTime());
    assert.equal(parseSdkDate('2020-06-08'), undefined);
  });

  it('a date is never taken from the previous second (the text is kept for one second only)', () => {
    const base = Date.UTC(2026, 11, 7, 18, 0, 0);
    for (const ms of [base, base + 999, base + 1000, base - 1, base + 61_000, base + 999]) {
      assert.equal(formatSdkDate(new Date(ms)), new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', ''));
    }
  });

  it('encodes as RFC 3986 whether or not anything needs encoding (the quick path gives the same text)', () => {
    assert.equal(encodeRfc3986('abc-XYZ_0.9~'), 'abc-XYZ_0.9~');
    assert.equal(encodeRfc3986(''), '');
    assert.equal(encodeRfc3986('a b/c+d*é一'), 'a%20b%2Fc%2Bd%2A%C3%A9%E4%B8%80');
    assert.equal(canonicalUri('/v1/p/a%2Fb/plain'), '/v1/p/a%2Fb/plain/');
  });

  it('parses an Authorization header and rejects others', () => {
    assert.deepEqual(parseAuthorization('SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc'), {
      access: 'AK',
      signedHeaders: ['host', 'x-sdk-date'],
      signature: 'abc',
    });
    assert.equal(parseAuthorization('Bearer x'), undefined);
    assert.equal(parseAuthorization('SDK-HMAC-SHA256 Access=AK'), undefined);
  });

  it('parses a raw query with + as space and repeated keys', () => {
    assert.deepEqual(parseQueryString('a=1&b=x+y&a=2&c=%E4%B8%80'), [['a', '1'], ['b', 'x y'], ['a', '2'], ['c', '一']]);
  });

  it('string to sign has the three lines', () => {
    assert.equal(stringToSign('20200608T023900Z', 'x').split('\n').length, 3);
  });
});
