import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OBS_MAX_PARTS, OBS_MIN_PART_BYTES, bucketNameProblem, objectKeyProblem, partSizeFor } from '../../../../src/api/obs/limits';

test('bucket names: the documented rules, each refusal names its rule', () => {
  for (const good of ['abc', 'my-bucket.01', '1bucket', 'a'.repeat(63)]) assert.equal(bucketNameProblem(good), undefined, good);
  const cases: Array<[string, RegExp]> = [
    ['ab', /3 to 63/],
    ['a'.repeat(64), /3 to 63/],
    ['My-Bucket', /lower-case/],
    ['a_b', /lower-case/],
    ['-abc', /starts with/],
    ['abc-', /does not end/],
    ['abc.', /does not end/],
    ['a..b', /"\.\."/],
    ['a.-b', /"\.-"/],
    ['a-.b', /"-\."/],
    ['192.168.0.1', /IP address/],
  ];
  for (const [name, reason] of cases) assert.match(bucketNameProblem(name) ?? '', reason, name);
});

test('object keys: non-empty, at most 1,024 bytes of UTF-8 (not characters)', () => {
  assert.equal(objectKeyProblem('a/b c+&<ü.txt'), undefined);
  assert.equal(objectKeyProblem('x'.repeat(1024)), undefined);
  assert.match(objectKeyProblem('ü'.repeat(513)) ?? '', /1026/);
  assert.match(objectKeyProblem('') ?? '', /empty/);
});

test('part sizes: kept within 100 KB–5 GB, grown to stay within 10,000 parts, refused beyond', () => {
  assert.equal(partSizeFor(1e6, 1), OBS_MIN_PART_BYTES);
  assert.equal(partSizeFor(1e6, 8 * 1024 * 1024), 8 * 1024 * 1024);
  const huge = 200 * 1024 ** 3;
  const size = partSizeFor(huge, 8 * 1024 * 1024) ?? 0;
  assert.ok(Math.ceil(huge / size) <= OBS_MAX_PARTS && size > 8 * 1024 * 1024);
  assert.equal(partSizeFor(5 * 1024 ** 3 * OBS_MAX_PARTS + 1, 1), undefined);
});
