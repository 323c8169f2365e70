import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalSubresources, encodeObsKey, obsAuthorization, obsStringToSign, parseObsAuthorization } from '../../../../src/api/obs/signer';

// The vectors computed with the official OBS Node.js SDK's signer (and re-checked with the Python SDK's).
const KEY = { ak: 'AKEXAMPLE0000000000', sk: 'SKexample0000000000000000000000000000000' };
const D = 'Tue, 02 Jan 2024 03:04:05 GMT';

test('GET of an object: the documented vector', () => {
  const input = { method: 'GET', resource: '/bucket/object.txt', query: '', headers: { Date: D, 'User-Agent': 'x', Host: 'bucket.obs.cn-north-4.myhuaweicloud.com' } };
  assert.equal(obsStringToSign(input), `GET\n\n\n${D}\n/bucket/object.txt`);
  assert.equal(obsAuthorization(KEY, input), 'OBS AKEXAMPLE0000000000:wzZOQR8Hxf2SuKQ586NQhO7Yqcc=');
});

test('a listing signs no query parameter', () => {
  const input = { method: 'GET', resource: '/my-bucket/', query: 'prefix=code%2F&marker=code%2Fa.py&max-keys=100&delimiter=%2F', headers: { date: D } };
  assert.equal(obsStringToSign(input), `GET\n\n\n${D}\n/my-bucket/`);
  assert.equal(obsAuthorization(KEY, input), 'OBS AKEXAMPLE0000000000:wSGToWEfJSvbONZAyOuzwIuMghc=');
});

test('temporary credentials: the security token and metadata headers are signed, sorted', () => {
  const input = {
    method: 'PUT',
    resource: '/my-bucket/code/train.py',
    query: '',
    headers: { 'Content-MD5': 'il7O+NU0UCIesz47aOFGmg==', 'Content-Type': 'application/json', Date: D, 'x-obs-security-token': 'SECURITYTOKENEXAMPLE', 'X-Obs-Meta-Origin': ' vscode ' },
  };
  assert.equal(obsStringToSign(input), `PUT\nil7O+NU0UCIesz47aOFGmg==\napplication/json\n${D}\nx-obs-meta-origin:vscode\nx-obs-security-token:SECURITYTOKENEXAMPLE\n/my-bucket/code/train.py`);
  assert.equal(obsAuthorization({ ak: 'TEMPAKEXAMPLE', sk: 'TEMPSKexample' }, input), 'OBS TEMPAKEXAMPLE:iAYs4stJwQtnWwmmsL2QA9NmQL4=');
});

test('x-obs-date blanks the Date line', () => {
  const input = {
    method: 'PUT',
    resource: '/my-bucket/code/train.py',
    query: '',
    headers: { 'Content-MD5': 'il7O+NU0UCIesz47aOFGmg==', 'Content-Type': 'text/plain', 'x-obs-date': D, 'x-obs-security-token': 'SECURITYTOKENEXAMPLE', 'x-obs-meta-origin': 'vscode' },
  };
  assert.equal(obsAuthorization({ ak: 'TEMPAKEXAMPLE', sk: 'TEMPSKexample' }, input), 'OBS TEMPAKEXAMPLE:9+ytYmBv2dTvAw/mJhntjSfsblQ=');
});

test('the remaining vectors: ListBuckets, a part upload, a batch delete, an encoded key', () => {
  const cases: Array<[Parameters<typeof obsStringToSign>[0], string]> = [
    [{ method: 'GET', resource: '/', query: '', headers: { date: D } }, '18+rT6gv52YDaoCle1TGi/sa2N4='],
    [{ method: 'PUT', resource: '/my-bucket/data/big.bin', query: 'partNumber=1&uploadId=00000163D40171ED8DF4050919BD02B8', headers: { date: D, 'content-type': 'application/json' } }, 'EWMJ1wIuamc6soCWrH+koeJ4IsQ='],
    [{ method: 'POST', resource: '/my-bucket/', query: 'delete', headers: { date: D, 'content-md5': '9qD8OENUTFha9PVf71Pi4Q==' } }, 'i7ydo9h3Pa6oqpp5gmqKYJUuaW4='],
    [{ method: 'GET', resource: `/my-bucket/${encodeObsKey('dir a/ü.txt')}`, query: '', headers: { date: D } }, 'fIbWgdIwplLllvnJqiceG8PGtXo='],
  ];
  for (const [input, signature] of cases) assert.equal(obsAuthorization(KEY, input), `OBS AKEXAMPLE0000000000:${signature}`, obsStringToSign(input));
});

test('sub-resources: decoded, sorted, first of repeats, bare keys bare; others dropped', () => {
  assert.equal(canonicalSubresources('uploadId=abc&partNumber=2&max-parts=5'), '?partNumber=2&uploadId=abc');
  assert.equal(canonicalSubresources('acl&acl=x'), '?acl');
  assert.equal(canonicalSubresources('response-content-type=text%2Fplain'), '?response-content-type=text/plain');
  assert.equal(canonicalSubresources('prefix=a&delimiter=%2F&encoding-type=url'), '');
});

test('AWS V2: the same algorithm over x-amz- headers; x-obs- ones are not signed then', () => {
  const input = { method: 'GET', resource: '/bucket/object.txt', query: '', headers: { date: D, 'x-amz-security-token': 'T', 'x-obs-meta-a': 'b' }, scheme: 'AWS' as const };
  assert.equal(obsStringToSign(input), `GET\n\n\n${D}\nx-amz-security-token:T\n/bucket/object.txt`);
  assert.match(obsAuthorization(KEY, input), /^AWS AKEXAMPLE0000000000:/);
});

test('keys: `/` kept, spaces, non-ASCII and !*\'() encoded; the Authorization header parsed back', () => {
  assert.equal(encodeObsKey("a b/c+d&e<f>/ü!*'()#?%"), 'a%20b/c%2Bd%26e%3Cf%3E/%C3%BC%21%2A%27%28%29%23%3F%25');
  assert.deepEqual(parseObsAuthorization('OBS AK:c2ln'), { scheme: 'OBS', ak: 'AK', signature: 'c2ln' });
  assert.equal(parseObsAuthorization('SDK-HMAC-SHA256 Access=AK'), undefined);
});
