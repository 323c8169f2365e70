import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock } from '../../../src/api/clock';
import { isModelArtsError } from '../../../src/api/errors';
import type { WireInterceptor } from '../../../src/api/http';
import { MemoryLogger } from '../../../src/api/log';
import { createRedactor, type Redactor } from '../../../src/api/redact';
import { EndpointTrust, TRUSTED_HOSTS_KEY } from '../../../src/auth/endpointTrust';
import { ACTIVE_PROFILE_KEY, KeychainError, PROFILES_KEY, ProfileStore, secretKey } from '../../../src/auth/profiles';
import { HostNotTrusted, SignInCore, type EndpointSettings, type ProfileInput } from '../../../src/auth/signInCore';
import { englishL10n as l10n } from '../../../src/common/translate';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { MemorySecrets, MemoryState } from './fakes';

// The sign-in core against the emulator on a free loopback port: one verifying call, then save; restore
// without a request; unknown hosts asked about before anything is sent.

const SUITE = { timeout: 30_000 };

interface Rig {
  state: MemoryState;
  secrets: MemorySecrets;
  store: ProfileStore;
  redactor: Redactor;
  log: MemoryLogger;
  core: SignInCore;
  settings: EndpointSettings;
}

const clock = new ManualClock();
let emu: RunningEmulator;

function rig(options: { env?: NodeJS.ProcessEnv; interceptor?: WireInterceptor; state?: MemoryState; secrets?: MemorySecrets } = {}): Rig {
  const state = options.state ?? new MemoryState();
  const secrets = options.secrets ?? new MemorySecrets();
  const store = new ProfileStore(state, secrets, l10n, options.env ?? {});
  const redactor = createRedactor();
  const log = new MemoryLogger();
  const settings: EndpointSettings = { projectId: '', endpoint: '', iamEndpoint: '', obsEndpoint: '' };
  const core = new SignInCore({
    store,
    trust: new EndpointTrust(state, l10n),
    settings: () => settings,
    log,
    redactor,
    l10n,
    env: options.env ?? {},
    clientOptions: options.interceptor ? { clock, interceptor: options.interceptor } : { clock },
  });
  return { state, secrets, store, redactor, log, core, settings };
}

function emulatorInput(name: string, credentials?: ProfileInput['credentials']): ProfileInput {
  return {
    name,
    region: emu.region,
    credentials: credentials ?? { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk },
    endpoint: emu.endpoint,
    iamEndpoint: emu.iamEndpoint,
  };
}

const sent = (from = 0): string[] =>
  emu.requests
    .slice(from)
    .filter((r) => r.service !== 'admin')
    .map((r) => `${r.service} ${r.method} ${r.path}`);

describe('sign-in core against the emulator', SUITE, () => {
  before(async () => {
    emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock });
  });
  after(async () => {
    await emu.close();
  });
  let mark = 0;
  beforeEach(() => {
    mark = emu.requests.length;
  });

  it('verifies with ONE call after the project id lookup, then saves: secrets in SecretStorage only', async () => {
    const r = rig();
    const { record, client } = await r.core.connect(emulatorInput('work'), { persist: true });
    client.dispose();
    assert.deepEqual(sent(mark), ['iam GET /v3/projects', `modelarts GET /v1/${emu.projectId}/workspaces`]);
    assert.deepEqual(emu.requests.at(-1)?.query.find(([k]) => k === 'limit'), ['limit', '1']);
    assert.deepEqual(record, { name: 'work', kind: 'aksk', region: emu.region, endpoint: emu.endpoint, iamEndpoint: emu.iamEndpoint, projectId: emu.projectId });
    assert.deepEqual(r.state.get(PROFILES_KEY), [record]);
    assert.equal(r.state.get(ACTIVE_PROFILE_KEY), 'work');
    assert.deepEqual(JSON.parse(r.secrets.values.get(secretKey('work')) ?? '{}'), { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk });
    assert.ok(r.secrets.dump().includes(emu.credentials.sk), 'the canary search finds the planted SK (positive control)');
    assert.ok(!r.state.dump().includes(emu.credentials.sk) && !r.state.dump().includes(emu.credentials.ak), 'no AK/SK in globalState');
    assert.equal(r.redactor.redact(`sk=${emu.credentials.sk}`), 'sk=***');
    assert.ok(!r.log.text().includes(emu.credentials.sk));
    assert.match(r.log.text(), /Signed in as profile work \(aksk/);
  });

  it('an IAM password: one token request, the project from its scope, then the call', async () => {
    const r = rig();
    const { client, record } = await r.core.connect(
      emulatorInput('user', { kind: 'password', username: emu.credentials.username, password: emu.credentials.password, domain: emu.credentials.domain }),
      { persist: true },
    );
    client.dispose();
    assert.deepEqual(sent(mark), ['iam POST /v3/auth/tokens', `modelarts GET /v1/${emu.projectId}/workspaces`]);
    assert.equal(record.kind, 'password');
    assert.ok(!r.state.dump().includes(emu.credentials.password));
    assert.equal(r.redactor.redact(emu.credentials.password), '***');
  });

  it('wrong credentials: the service error comes through, one request, nothing saved', async () => {
    const r = rig();
    await assert.rejects(
      r.core.connect(emulatorInput('bad', { kind: 'aksk', ak: emu.credentials.ak, sk: 'WrongSecretKey0000000000000000000000000' }), { persist: true }),
      (error: unknown) => isModelArtsError(error) && error.status === 401,
    );
    assert.deepEqual(sent(mark), ['iam GET /v3/projects']);
    assert.equal(r.state.values.size, 0);
    assert.equal(r.secrets.calls.length, 0, 'the keychain is not even touched');
  });

  it('[Q10] a SecretStorage failure after verification: the keychain error, nothing in globalState', async () => {
    const r = rig();
    r.secrets.failing.add('store');
    await assert.rejects(r.core.connect(emulatorInput('locked'), { persist: true }), (error: unknown) => {
      return error instanceof KeychainError && error.message.startsWith('Could not store the credentials in the system keychain: ');
    });
    assert.equal(sent(mark).length, 2, 'the verification ran');
    assert.equal(r.state.values.size, 0);
  });

  it('[Q22] refuses invalid input before any request', async () => {
    const r = rig();
    const cases: Array<[ProfileInput, RegExp]> = [
      [emulatorInput('bad name'), /Use 1 to 32 letters/],
      [emulatorInput('Demo'), /reserved for the demo/],
      [{ ...emulatorInput('x'), region: 'north' }, /not a Huawei Cloud region id/],
      [emulatorInput('x', { kind: 'aksk', ak: 'AK WITH SPACE', sk: emu.credentials.sk }), /only letters and digits/],
      [emulatorInput('x', { kind: 'env' }), /HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set/],
      [{ ...emulatorInput('x'), endpoint: 'ftp://127.0.0.1' }, /must start with https/],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(r.core.connect(input, { persist: true }), (error: unknown) => isModelArtsError(error) && error.kind === 'invalid-input' && message.test(error.message), input.name);
    }
    assert.deepEqual(sent(mark), []);
    assert.equal(r.state.values.size, 0);
  });

  it('a cancelled sign-in sends nothing and saves nothing', async () => {
    const r = rig();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(r.core.connect(emulatorInput('c'), { persist: true, signal: controller.signal }), (error: unknown) => isModelArtsError(error) && error.kind === 'aborted');
    assert.deepEqual(sent(mark), []);
    assert.equal(r.state.values.size, 0);
  });

  it('the demo (persist: false) verifies the same way and writes nothing', async () => {
    const r = rig();
    const { record, client } = await r.core.connect(emulatorInput('Demo'), { persist: false });
    client.dispose();
    assert.equal(record.name, 'Demo');
    assert.equal(sent(mark).length, 2);
    assert.equal(r.state.values.size, 0);
    assert.equal(r.secrets.calls.length, 0);
  });

  it('environment variables: read at sign-in, their project id used, no secret stored', async () => {
    const env: NodeJS.ProcessEnv = { HUAWEICLOUD_SDK_AK: emu.credentials.ak, HUAWEICLOUD_SDK_SK: emu.credentials.sk, HUAWEICLOUD_SDK_PROJECT_ID: emu.projectId };
    const r = rig({ env });
    const { record, client } = await r.core.connect(emulatorInput('env', { kind: 'env' }), { persist: true });
    client.dispose();
    assert.deepEqual(sent(mark), [`modelarts GET /v1/${emu.projectId}/workspaces`], 'the project id came from the environment');
    assert.equal(record.kind, 'env');
    assert.equal(r.secrets.values.size, 0);
    assert.ok(!r.state.dump().includes(emu.credentials.sk));
    delete env.HUAWEICLOUD_SDK_AK;
    const restored = await r.core.restore('env');
    assert.equal(restored.ok, false);
    assert.match(restored.ok ? '' : restored.message, /HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, which are not set/);
  });

  it('the endpoint settings are used when the profile has no overrides (and not saved with it)', async () => {
    const r = rig();
    r.settings.endpoint = emu.endpoint;
    r.settings.iamEndpoint = emu.iamEndpoint;
    const { record, client } = await r.core.connect({ name: 'viaSettings', region: emu.region, credentials: { kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk } }, { persist: true });
    client.dispose();
    assert.equal(sent(mark).length, 2);
    assert.equal(record.endpoint, undefined);
    assert.equal(record.iamEndpoint, undefined);
  });

  it('restores a saved profile without any request, secrets into the redactor, project id reused', async () => {
    const first = rig();
    (await first.core.connect(emulatorInput('keep'), { persist: true })).client.dispose();
    const again = rig({ state: first.state, secrets: first.secrets });
    const before = emu.requests.length;
    const restored = await again.core.restore('keep');
    assert.ok(restored.ok);
    assert.equal(emu.requests.length, before, 'restoring sends nothing');
    assert.equal(again.redactor.redact(emu.credentials.sk), '***');
    await restored.client.workspaces.list({ pageSize: 1 }).loadNext();
    restored.client.dispose();
    assert.deepEqual(sent(before), [`modelarts GET /v1/${emu.projectId}/workspaces`], 'no IAM lookup: the saved project id is used');
  });

  it('restore reports a profile without credentials, or an unknown one, and sends nothing', async () => {
    const r = rig();
    (await r.core.connect(emulatorInput('lost'), { persist: true })).client.dispose();
    r.secrets.values.clear();
    const before = emu.requests.length;
    const lost = await r.core.restore('lost');
    assert.deepEqual(lost, { ok: false, reason: 'no-credentials', message: 'The credentials of the profile lost are no longer in the system keychain. Sign in again.' });
    assert.deepEqual(await r.core.restore('nobody'), { ok: false, reason: 'no-profile', message: 'There is no ModelArts profile named nobody.' });
    r.secrets.failing.add('get');
    await assert.rejects(r.core.restore('lost'), KeychainError);
    assert.equal(emu.requests.length, before);
  });
});

describe('sign-in core: hosts outside Huawei Cloud and loopback', SUITE, () => {
  const UNKNOWN = { endpoint: 'https://modelarts.corp.example', iamEndpoint: 'https://iam.corp.example' };
  const input: ProfileInput = {
    name: 'corp',
    region: 'cn-north-4',
    credentials: { kind: 'aksk', ak: 'CORPAK00000000000001', sk: 'CorpSecretKey000000000000000000000000001' },
    ...UNKNOWN,
  };

  /** Answers every request as a gateway refusing the credentials, without sending it; records the URLs. */
  function recordingServer(): { interceptor: WireInterceptor; urls: string[] } {
    const urls: string[] = [];
    const interceptor: WireInterceptor = (request) => {
      urls.push(request.url.href);
      const body = JSON.stringify({ error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' });
      return Promise.resolve({ status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });
    };
    return { interceptor, urls };
  }

  it('[Q20] asks before the first request; declining sends nothing and saves nothing', async () => {
    const { interceptor, urls } = recordingServer();
    const r = rig({ interceptor });
    const asked: string[] = [];
    const decline = (host: string): Promise<boolean> => {
      asked.push(host);
      return Promise.resolve(false);
    };
    await assert.rejects(r.core.connect(input, { persist: true, confirmHost: decline }), HostNotTrusted);
    await assert.rejects(r.core.connect(input, { persist: true }), HostNotTrusted, 'nobody to ask: refused');
    assert.deepEqual(asked, ['modelarts.corp.example']);
    assert.equal(urls.length, 0, '0 requests');
    assert.equal(r.state.values.size, 0);

    // Positive control: once trusted, the same sign-in does reach the host (and fails there, saving nothing).
    const accept = (host: string): Promise<boolean> => {
      asked.push(host);
      return Promise.resolve(true);
    };
    await assert.rejects(r.core.connect(input, { persist: true, confirmHost: accept }), (error: unknown) => isModelArtsError(error) && error.status === 401);
    assert.ok(urls.length >= 1 && urls.every((u) => u.startsWith('https://iam.corp.example/') || u.startsWith('https://modelarts.corp.example/')), urls.join());
    assert.deepEqual(asked, ['modelarts.corp.example', 'modelarts.corp.example', 'iam.corp.example']);
    assert.deepEqual(r.state.get(TRUSTED_HOSTS_KEY), ['https://modelarts.corp.example', 'https://iam.corp.example']);
    assert.equal(r.state.get(PROFILES_KEY), undefined);
  });

  it('[Q20] a machine-level endpoint setting outside Huawei Cloud is asked about too', async () => {
    const { interceptor, urls } = recordingServer();
    const r = rig({ interceptor });
    r.settings.endpoint = UNKNOWN.endpoint;
    let asked = 0;
    const decline = (): Promise<boolean> => {
      asked++;
      return Promise.resolve(false);
    };
    await assert.rejects(r.core.connect({ ...input, endpoint: undefined, iamEndpoint: undefined }, { persist: true, confirmHost: decline }), HostNotTrusted);
    assert.equal(asked, 1);
    assert.deepEqual(urls, []);
  });

  it('restore never asks on its own: an unconfirmed host leaves the profile signed out', async () => {
    const { interceptor, urls } = recordingServer();
    const r = rig({ interceptor });
    await r.store.save({ name: 'corp', kind: 'aksk', region: 'cn-north-4', projectId: 'p', ...UNKNOWN }, input.credentials.kind === 'aksk' ? input.credentials : undefined);
    const result = await r.core.restore('corp');
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.reason, 'untrusted-host');
    assert.match(result.ok ? '' : result.message, /sends credentials to modelarts\.corp\.example, iam\.corp\.example, which is not confirmed yet/);
    let asked = 0;
    const accept = (): Promise<boolean> => {
      asked++;
      return Promise.resolve(true);
    };
    const confirmed = await r.core.restore('corp', accept);
    assert.ok(confirmed.ok);
    confirmed.client.dispose();
    assert.equal(asked, 2);
    assert.deepEqual(urls, [], 'restoring sends nothing, even once trusted');
  });
});
