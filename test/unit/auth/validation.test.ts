import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { englishL10n as l10n } from '../../../src/common/translate';
import {
  checkNewProfileName,
  suggestProfileName,
  validateAccessKeyId,
  validateAccountName,
  validateCredentials,
  validatePassword,
  validateProfileName,
  validateSecretAccessKey,
  validateSecurityToken,
  validateUserName,
} from '../../../src/auth/validation';

const AK = 'HPUAEXAMPLEAK0000001';
const SK = 'ExampleSecretKey0000000000000000000000001';

describe('credential validation (shown in the input boxes)', () => {
  it('access key ID: required, letters and digits, plausible length', () => {
    assert.equal(validateAccessKeyId(AK, l10n), undefined);
    assert.equal(validateAccessKeyId('', l10n), 'Enter the access key ID (AK).');
    assert.equal(validateAccessKeyId('HPUA EXAMPLE', l10n), 'The access key ID has only letters and digits, no spaces.');
    assert.equal(validateAccessKeyId('HPUA-EXAMPLE', l10n), 'The access key ID has only letters and digits, no spaces.');
    assert.equal(validateAccessKeyId('SHORT', l10n), 'An access key ID has 10 to 128 characters; this one has 5.');
    assert.match(validateAccessKeyId('A'.repeat(129), l10n) ?? '', /this one has 129/);
  });

  it('secret access key: required, no whitespace, plausible length', () => {
    assert.equal(validateSecretAccessKey(SK, l10n), undefined);
    assert.equal(validateSecretAccessKey('', l10n), 'Enter the secret access key (SK).');
    assert.equal(validateSecretAccessKey('abc def ghi jkl mno pqr', l10n), 'The secret access key has no spaces.');
    assert.equal(validateSecretAccessKey('tooShort', l10n), 'A secret access key has 20 to 128 characters; this one has 8.');
  });

  it('security token: required, no whitespace or line breaks, plausible length', () => {
    const token = `gQ5jbi1ub3J0aC00${'x'.repeat(300)}`;
    assert.equal(validateSecurityToken(token, l10n), undefined);
    assert.equal(validateSecurityToken('', l10n), 'Enter the security token.');
    assert.equal(validateSecurityToken(`${token}\n${token}`, l10n), 'The security token has no spaces or line breaks.');
    assert.equal(validateSecurityToken('abc', l10n), 'A security token has 32 to 16384 characters; this one has 3.');
  });

  it('IAM user name, password and account name', () => {
    assert.equal(validateUserName('ml engineer', l10n), undefined, 'inner spaces are allowed in IAM user names');
    assert.equal(validateUserName('', l10n), 'Enter the IAM user name.');
    assert.equal(validateUserName('a\tb', l10n), 'The IAM user name has no tabs or line breaks.');
    assert.equal(validateUserName('u'.repeat(65), l10n), 'An IAM user name has at most 64 characters; this one has 65.');
    assert.equal(validatePassword(' pass word ', l10n), undefined, 'a password is taken as typed');
    assert.equal(validatePassword('   ', l10n), 'Enter the password.');
    assert.equal(validatePassword('a\nb', l10n), 'The password has no line breaks.');
    assert.equal(validatePassword('p'.repeat(129), l10n), 'A password has at most 128 characters; this one has 129.');
    assert.equal(validateAccountName('my-account', l10n), undefined);
    assert.equal(validateAccountName('', l10n), 'Enter the account name.');
    assert.equal(validateAccountName('my account', l10n), 'The account name has no spaces.');
    assert.equal(validateAccountName('d'.repeat(65), l10n), 'An account name has at most 64 characters; this one has 65.');
  });

  it('checks a whole credential config the same way', () => {
    assert.equal(validateCredentials({ kind: 'aksk', ak: AK, sk: SK }, l10n), undefined);
    assert.equal(validateCredentials({ kind: 'aksk', ak: AK, sk: 'short' }, l10n), 'A secret access key has 20 to 128 characters; this one has 5.');
    assert.equal(validateCredentials({ kind: 'aksk', ak: AK, sk: SK, securityToken: '' }, l10n), 'Enter the security token.');
    assert.equal(validateCredentials({ kind: 'password', username: 'u', password: 'p', domain: 'bad domain' }, l10n), 'The account name has no spaces.');
  });
});

describe('profile names', () => {
  it('allows 1 to 32 letters, digits, - and _, and reserves Demo for saved profiles', () => {
    for (const ok of ['default', 'cn-north-4', 'team_a', 'x', 'A'.repeat(32)]) assert.equal(validateProfileName(ok, l10n), undefined, ok);
    assert.equal(validateProfileName('', l10n), 'Enter a profile name.');
    for (const bad of ['has space', 'dot.name', 'A'.repeat(33), 'naïve', '../x']) assert.equal(validateProfileName(bad, l10n), 'Use 1 to 32 letters, digits, - or _.', bad);
    assert.equal(validateProfileName('demo', l10n), 'The name Demo is reserved for the demo.');
    assert.equal(validateProfileName('Demo', l10n, { reserved: false }), undefined);
  });

  it('flags a replacement, and refuses another spelling of an existing name', () => {
    assert.deepEqual(checkNewProfileName('work', ['work', 'home'], l10n), { replaces: true });
    assert.deepEqual(checkNewProfileName('WORK', ['work'], l10n), { error: 'A profile named work already exists.' });
    assert.deepEqual(checkNewProfileName('new', ['work'], l10n), {});
    assert.deepEqual(checkNewProfileName('bad name', ['work'], l10n), { error: 'Use 1 to 32 letters, digits, - or _.' });
  });

  it('suggests default first, then the region, then numbered names', () => {
    assert.equal(suggestProfileName([], 'cn-north-4'), 'default');
    assert.equal(suggestProfileName(['default'], 'cn-north-4'), 'cn-north-4');
    assert.equal(suggestProfileName(['default', 'cn-north-4', 'CN-NORTH-4-2'], 'cn-north-4'), 'cn-north-4-3');
  });
});
