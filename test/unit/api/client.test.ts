import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createClient, defaultEndpoint, defaultIamEndpoint } from '../../../src/api/client';
import { ManualClock } from '../../../src/api/clock';
import { credentialsFromEnv, type CredentialConfig } from '../../../src/api/credentials';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';

// The assembled client against the emulator with each kind of credential, the project id looked up.

async function withClient(
  credentials: (emu: RunningEmulator) => CredentialConfig,
  run: (client: ReturnType<typeof createClient>, emu: RunningEmulator) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock();
  const emu = await startEmulator({ port: 0, iamPort: 0, clock, gatewayClock: clock });
  const client = createClient({ region: emu.region, endpoint: emu.endpoint, iamEndpoint: emu.iamEndpoint, credentials: credentials(emu), clock });
  try {
    await run(client, emu);
  } finally {
    client.dispose();
    await emu.close();
  }
}

const paths = (emu: RunningEmulator): string[] => emu.requests.filter((r) => r.service !== 'admin').map((r) => `${r.service} ${r.method} ${r.path}`);

describe('createClient', { timeout: 30_000 }, () => {
  it('signs in with an IAM password: one token request, the project id from its scope, then the list', () =>
    withClient(
      (emu) => ({ kind: 'password', username: emu.credentials.username, password: emu.credentials.password, domain: emu.credentials.domain }),
      async (client, emu) => {
        const pager = client.notebooks.list({ pageSize: 10 });
        const first = await pager.loadNext();
        assert.ok(first.length > 0);
        await client.workspaces.list().loadNext();
        const sent = paths(emu);
        assert.deepEqual(sent.filter((p) => p.startsWith('iam')), ['iam POST /v3/auth/tokens']);
        assert.ok(sent.includes(`modelarts GET /v1/${emu.projectId}/notebooks`));
        assert.equal(await client.connection.projectId(), emu.projectId);
      },
    ));

  it('signs with AK/SK and looks the project id up in IAM once', () =>
    withClient(
      (emu) => ({ kind: 'aksk', ak: emu.credentials.ak, sk: emu.credentials.sk }),
      async (client, emu) => {
        await Promise.all([client.workspaces.list().loadNext(), client.trainingJobs.search().loadNext(), client.workflows.list().loadNext()]);
        const sent = paths(emu);
        assert.deepEqual(sent.filter((p) => p.startsWith('iam')), ['iam GET /v3/projects']);
        assert.equal(sent.filter((p) => p.startsWith('modelarts')).length, 3);
      },
    ));

  it('signs with temporary credentials and their security token', () =>
    withClient(
      (emu) => {
        const temp = emu.issueTemporaryCredentials();
        return { kind: 'aksk', ak: temp.ak, sk: temp.sk, securityToken: temp.securityToken };
      },
      async (client) => {
        const jobs = await client.trainingJobs.search().loadNext();
        assert.ok(jobs.length > 0);
      },
    ));

  it('reads the HUAWEICLOUD_SDK_* environment variables as one source', () => {
    assert.equal(credentialsFromEnv({}), undefined);
    const found = credentialsFromEnv({ HUAWEICLOUD_SDK_AK: 'ak1', HUAWEICLOUD_SDK_SK: 'sk1', HUAWEICLOUD_SDK_SECURITY_TOKEN: 'st', HUAWEICLOUD_SDK_PROJECT_ID: 'p1' });
    assert.deepEqual(found, { config: { kind: 'aksk', ak: 'ak1', sk: 'sk1', securityToken: 'st' }, projectId: 'p1' });
  });

  it('knows the default endpoints, including the .cn one', () => {
    assert.equal(defaultEndpoint('cn-north-4'), 'https://modelarts.cn-north-4.myhuaweicloud.com');
    assert.equal(defaultEndpoint('ap-southeast-1'), 'https://modelarts.ap-southeast-1.myhuaweicloud.cn');
    assert.equal(defaultIamEndpoint('cn-north-4'), 'https://iam.cn-north-4.myhuaweicloud.com');
  });
});
