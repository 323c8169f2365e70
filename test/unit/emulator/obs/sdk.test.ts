import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/server';
import { startTestEmulator } from '../../helpers/emulatorHelpers';
import { sdkClient } from './obsRig';

// The official OBS SDK (esdk-obs-nodejs) against the emulator: path-style at 127.0.0.1 (the SDK then signs AWS
// V2) and virtual-hosted names resolved to loopback (the OBS signature), with and without its negotiation probe.

describe('the official OBS SDK is accepted by the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ port: 0, iamPort: 0, obsPort: 0 });
  });
  after(() => emu.close());

  for (const [style, negotiation] of [['path', false], ['virtual', false], ['virtual', true]] as const) {
    it(`${style}-style${negotiation ? ' with signature negotiation' : ''}: lists buckets, puts, gets, lists and deletes objects`, async () => {
      const client = await sdkClient(emu, { style, negotiation });
      const buckets = await client.listBuckets({ QueryLocation: true });
      assert.equal(buckets.CommonMsg.Status, 200, JSON.stringify(buckets.CommonMsg));
      const names = buckets.InterfaceResult.Buckets.map((b: { BucketName: string }) => b.BucketName);
      assert.ok(names.includes('demo-bucket'), names.join(','));
      const key = `sdk/${style}-${negotiation}/hello world ü.txt`;
      const put = await client.putObject({ Bucket: 'demo-bucket', Key: key, Body: 'hello from the SDK' });
      assert.equal(put.CommonMsg.Status, 200, JSON.stringify(put.CommonMsg));
      const got = await client.getObject({ Bucket: 'demo-bucket', Key: key });
      assert.equal(got.CommonMsg.Status, 200, JSON.stringify(got.CommonMsg));
      assert.equal(String(got.InterfaceResult.Content), 'hello from the SDK');
      const listed = await client.listObjects({ Bucket: 'demo-bucket', Prefix: `sdk/${style}-${negotiation}/` });
      assert.equal(listed.CommonMsg.Status, 200, JSON.stringify(listed.CommonMsg));
      assert.deepEqual(listed.InterfaceResult.Contents.map((c: { Key: string }) => c.Key), [key]);
      const deleted = await client.deleteObjects({ Bucket: 'demo-bucket', Quiet: false, Objects: [{ Key: key }] });
      assert.equal(deleted.CommonMsg.Status, 200, JSON.stringify(deleted.CommonMsg));
      const gone = await client.getObject({ Bucket: 'demo-bucket', Key: key });
      assert.equal(gone.CommonMsg.Status, 404);
      assert.equal(gone.CommonMsg.Code, 'NoSuchKey');
    });
  }

  it('refuses the SDK\'s requests signed with a wrong SK or an unknown AK, in both styles, with the documented codes', async () => {
    for (const style of ['path', 'virtual'] as const) {
      const wrongSk = await sdkClient(emu, { style, credentials: { ak: emu.credentials.ak, sk: 'not-the-secret' } });
      const refused = await wrongSk.listObjects({ Bucket: 'demo-bucket' });
      assert.equal(refused.CommonMsg.Status, 403, style);
      assert.equal(refused.CommonMsg.Code, 'SignatureDoesNotMatch', style);
      assert.match(refused.CommonMsg.RequestId, /^[0-9A-F]{32}$/);
      const unknown = await sdkClient(emu, { style, credentials: { ak: 'NOSUCHAK000000000000', sk: 'x' } });
      const put = await unknown.putObject({ Bucket: 'demo-bucket', Key: 'never.txt', Body: 'x' });
      assert.equal(put.CommonMsg.Status, 403, style);
      assert.equal(put.CommonMsg.Code, 'InvalidAccessKeyId', style);
    }
    assert.equal(emu.obs.readHead('demo-bucket', 'never.txt', 1), undefined);
  });

  it('refuses the SDK\'s requests when its clock is more than 15 minutes off the gateway\'s (RequestTimeTooSkewed)', async () => {
    const { emu: ahead } = await startTestEmulator({ start: Date.now() + 20 * 60_000 });
    try {
      for (const style of ['path', 'virtual'] as const) {
        const client = await sdkClient(ahead, { style });
        const res = await client.listBuckets();
        assert.equal(res.CommonMsg.Status, 403, style);
        assert.equal(res.CommonMsg.Code, 'RequestTimeTooSkewed', style);
      }
    } finally {
      await ahead.close();
    }
  });
});
