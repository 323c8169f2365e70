import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { CredentialConfig } from '../../../src/api/credentials';
import {
  ACTIVE_PROFILE_KEY,
  KeychainError,
  PROFILES_KEY,
  ProfileStore,
  parseStoredCredentials,
  profileKindOf,
  secretKey,
  type ProfileRecord,
} from '../../../src/auth/profiles';
import { englishL10n as l10n } from '../../../src/common/translate';
import { MemorySecrets, MemoryState } from './fakes';

// Canary values: they must end up in the secret store and nowhere else.
const AKSK: CredentialConfig = { kind: 'aksk', ak: 'CANARYAK000000000001', sk: 'CanarySecretKey000000000000000000000001' };
const TEMP: CredentialConfig = { kind: 'aksk', ak: 'CANARYTEMPAK00000001', sk: 'CanaryTempSecret0000000000000000000001', securityToken: 'CanarySecurityToken'.repeat(4) };
const PASSWORD: CredentialConfig = { kind: 'password', username: 'ml-user', password: 'Canary@Passw0rd', domain: 'ml-account' };
const CANARIES = ['CANARYAK000000000001', 'CanarySecretKey000000000000000000000001', 'CanaryTempSecret', 'CanarySecurityToken', 'Canary@Passw0rd'];

function record(name: string, config: CredentialConfig, region = 'cn-north-4'): ProfileRecord {
  return { name, kind: profileKindOf(config), region, projectId: 'p-0001' };
}

function setup(env: NodeJS.ProcessEnv = {}): { state: MemoryState; secrets: MemorySecrets; store: ProfileStore } {
  const state = new MemoryState();
  const secrets = new MemorySecrets();
  return { state, secrets, store: new ProfileStore(state, secrets, l10n, env) };
}

describe('profile store', () => {
  it('saves each kind: credentials in the secret store only, the record in globalState, the last one active', async () => {
    const { state, secrets, store } = setup();
    await store.save(record('keys', AKSK), AKSK);
    await store.save(record('temp', TEMP, 'ap-southeast-1'), TEMP);
    await store.save(record('user', PASSWORD), PASSWORD);
    assert.deepEqual(store.names(), ['keys', 'temp', 'user']);
    assert.equal(store.activeName(), 'user');
    assert.deepEqual(store.get('temp'), { name: 'temp', kind: 'temporary', region: 'ap-southeast-1', projectId: 'p-0001' });
    for (const [name, config] of [['keys', AKSK], ['temp', TEMP], ['user', PASSWORD]] as const) {
      const found = await store.credentials(store.get(name)!);
      assert.deepEqual(found, { config }, name);
    }
    // The canary search works (positive control) and finds nothing in globalState.
    for (const canary of CANARIES) {
      assert.ok(secrets.dump().includes(canary), `planted ${canary} is found in the secret store`);
      assert.ok(!state.dump().includes(canary), `${canary} must not reach globalState`);
    }
    assert.deepEqual([...secrets.values.keys()], [secretKey('keys'), secretKey('temp'), secretKey('user')]);
  });

  it('replaces a profile of the same name instead of listing it twice', async () => {
    const { store } = setup();
    await store.save(record('work', AKSK), AKSK);
    await store.save(record('work', PASSWORD, 'cn-east-3'), PASSWORD);
    assert.deepEqual(store.list(), [{ name: 'work', kind: 'password', region: 'cn-east-3', projectId: 'p-0001' }]);
    assert.deepEqual(await store.credentials(store.get('work')!), { config: PASSWORD });
  });

  it('[Q10] when SecretStorage throws on store: a clear keychain error, and nothing saved anywhere else', async () => {
    const { state, secrets, store } = setup();
    await store.save(record('old', AKSK), AKSK);
    secrets.failing.add('store');
    await assert.rejects(
      store.save(record('new', TEMP), TEMP),
      (error: unknown) => error instanceof KeychainError && error.message === 'Could not store the credentials in the system keychain: keychain store failed (locked)',
    );
    assert.deepEqual(store.names(), ['old']);
    assert.equal(store.activeName(), 'old');
    for (const canary of CANARIES) assert.ok(!state.dump().includes(canary), canary);
  });

  it('when globalState fails after the secret was stored: the secret is taken back', async () => {
    const { secrets, store } = setup();
    const broken = new ProfileStore(
      { get: () => undefined, update: () => Promise.reject(new Error('disk full')) },
      secrets,
      l10n,
      {},
    );
    await assert.rejects(broken.save(record('x', AKSK), AKSK), /disk full/);
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(store.names(), []);
  });

  it('[Q10] reading: missing or mismatched secrets give undefined; a keychain failure is an error', async () => {
    const { secrets, store } = setup();
    await store.save(record('keys', AKSK), AKSK);
    secrets.values.delete(secretKey('keys'));
    assert.equal(await store.credentials(store.get('keys')!), undefined);
    secrets.values.set(secretKey('keys'), '{not json');
    assert.equal(await store.credentials(store.get('keys')!), undefined);
    secrets.values.set(secretKey('keys'), JSON.stringify(PASSWORD));
    assert.equal(await store.credentials(store.get('keys')!), undefined, 'a password blob is not AK/SK');
    secrets.failing.add('get');
    await assert.rejects(store.credentials(store.get('keys')!), /^KeychainError: Could not read the credentials from the system keychain: keychain get failed/);
  });

  it('parses stored credentials strictly by kind', () => {
    assert.deepEqual(parseStoredCredentials('aksk', JSON.stringify(AKSK)), AKSK);
    assert.deepEqual(parseStoredCredentials('aksk', JSON.stringify(TEMP)), { kind: 'aksk', ak: TEMP.kind === 'aksk' ? TEMP.ak : '', sk: TEMP.kind === 'aksk' ? TEMP.sk : '' });
    assert.equal(parseStoredCredentials('temporary', JSON.stringify(AKSK)), undefined, 'temporary needs its token');
    assert.equal(parseStoredCredentials('password', JSON.stringify({ username: 'u', password: '', domain: 'd' })), undefined);
    assert.equal(parseStoredCredentials('aksk', 'null'), undefined);
  });

  it('an env profile stores no secret and reads HUAWEICLOUD_SDK_* each time', async () => {
    const env: NodeJS.ProcessEnv = { HUAWEICLOUD_SDK_AK: 'ENVAK0000000000000001', HUAWEICLOUD_SDK_SK: 'EnvSecretKey00000000000000000000000001', HUAWEICLOUD_SDK_PROJECT_ID: 'p-env' };
    const { secrets, store } = setup(env);
    await store.save({ name: 'env', kind: 'env', region: 'cn-north-4' }, undefined);
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(await store.credentials(store.get('env')!), {
      config: { kind: 'aksk', ak: 'ENVAK0000000000000001', sk: 'EnvSecretKey00000000000000000000000001' },
      projectId: 'p-env',
    });
    delete env.HUAWEICLOUD_SDK_SK;
    assert.equal(await store.credentials(store.get('env')!), undefined);
  });

  it('removes a profile: secret, record and the active mark; a failed delete keeps the record', async () => {
    const { state, secrets, store } = setup();
    await store.save(record('a', AKSK), AKSK);
    await store.save(record('b', PASSWORD), PASSWORD);
    await store.remove('a');
    assert.deepEqual(store.names(), ['b']);
    assert.equal(store.activeName(), 'b', 'removing another profile keeps the active one');
    secrets.failing.add('delete');
    await assert.rejects(store.remove('b'), /Could not remove the credentials from the system keychain/);
    assert.deepEqual(store.names(), ['b']);
    secrets.failing.clear();
    await store.remove('b');
    assert.deepEqual(store.names(), []);
    assert.equal(state.get(ACTIVE_PROFILE_KEY), undefined);
    assert.equal(secrets.values.size, 0);
  });

  it('skips damaged or duplicate records and a dangling active name', async () => {
    const { state, store } = setup();
    await state.update(PROFILES_KEY, [
      { name: 'good', kind: 'aksk', region: 'cn-north-4', projectId: 'p' },
      { name: 'good', kind: 'password', region: 'cn-east-3' },
      { name: 'bad name', kind: 'aksk', region: 'cn-north-4' },
      { name: 'nokind', region: 'cn-north-4' },
      { name: 'odd', kind: 'oauth', region: 'cn-north-4' },
      'text',
      null,
    ]);
    await state.update(ACTIVE_PROFILE_KEY, 'gone');
    assert.deepEqual(store.list(), [{ name: 'good', kind: 'aksk', region: 'cn-north-4', projectId: 'p' }]);
    assert.equal(store.activeName(), undefined);
    await state.update(PROFILES_KEY, 'not a list');
    assert.deepEqual(store.list(), []);
  });
});
