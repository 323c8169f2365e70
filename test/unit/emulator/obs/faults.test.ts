import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { adminFetch, startTestEmulator } from '../../helpers/emulatorHelpers';
import { obsFetch, xmlField, xmlFields } from './obsRig';

// Planted faults on OBS routes (a connection dropped mid-part, the Nth request failing, throttling, a reset
// answer), in-process and over the admin route; and the byte cap on what the emulator's OBS keeps in memory.

describe('faults on OBS routes', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator({ seed: 'empty' }));
    await obsFetch(emu, 'PUT', 'fault-bucket', undefined);
  });
  after(() => emu.close());
  afterEach(() => emu.faults.clear());

  async function initiate(key: string): Promise<string> {
    const res = await obsFetch(emu, 'POST', 'fault-bucket', key, { query: 'uploads' });
    return xmlField(res.text, 'UploadId') ?? '';
  }

  it('drops the connection after N bytes of a part upload; the part is not stored, the next try succeeds', async () => {
    const id = await initiate('dropped.bin');
    emu.faults.add({ service: 'obs', method: 'PUT', path: '/dropped\\.bin$', resetAfterBytes: 64 * 1024, times: 1 });
    const part = Buffer.alloc(1024 * 1024, 3);
    await assert.rejects(obsFetch(emu, 'PUT', 'fault-bucket', 'dropped.bin', { query: `partNumber=1&uploadId=${id}`, body: part }), /ECONNRESET|socket hang up|EPIPE/);
    const listed = await obsFetch(emu, 'GET', 'fault-bucket', 'dropped.bin', { query: `uploadId=${id}` });
    assert.deepEqual(xmlFields(listed.text, 'PartNumber'), [], 'nothing stored');
    const retried = await obsFetch(emu, 'PUT', 'fault-bucket', 'dropped.bin', { query: `partNumber=1&uploadId=${id}`, body: part });
    assert.equal(retried.status, 200, 'the rule was spent');
    assert.equal(emu.faults.size, 0);
  });

  it('fails only the Nth matching request (skip), with 503 SlowDown in OBS\'s XML; other services are untouched', async () => {
    emu.faults.add({ service: 'obs', method: 'GET', path: '^/fault-bucket$', skip: 2, times: 1, status: 503 });
    emu.faults.add({ service: 'modelarts', status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await obsFetch(emu, 'GET', 'fault-bucket', undefined);
      statuses.push(res.status);
      if (res.status === 503) {
        assert.equal(xmlField(res.text, 'Code'), 'SlowDown');
        assert.match(String(res.headers['x-obs-request-id']), /^[0-9A-F]{32}$/);
      }
    }
    assert.deepEqual(statuses, [200, 200, 503, 200]);
  });

  it('throttles past a limit per window: 503 SlowDown by default, 429 when asked', async () => {
    emu.faults.add({ service: 'obs', throttle: { limit: 2, windowMs: 60_000 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await obsFetch(emu, 'GET', 'fault-bucket', undefined)).status);
    assert.deepEqual(statuses, [200, 200, 503]);
    emu.faults.clear();
    emu.faults.add({ service: 'obs', throttle: { limit: 0, windowMs: 60_000 }, status: 429 });
    const throttled = await obsFetch(emu, 'GET', 'fault-bucket', undefined);
    assert.equal(throttled.status, 429);
    assert.equal(xmlField(throttled.text, 'Code'), 'SlowDown');
  });

  it('resets mid-body after the operation ran, and takes OBS rules over the admin route', async () => {
    await obsFetch(emu, 'PUT', 'fault-bucket', 'read-me.txt', { body: 'x'.repeat(10_000) });
    const added = await adminFetch(emu, 'POST', '/__admin/faults', { body: { service: 'obs', method: 'GET', path: 'read-me', reset: 'mid-body', times: 1 } });
    assert.equal(added.status, 200, added.text);
    await assert.rejects(obsFetch(emu, 'GET', 'fault-bucket', 'read-me.txt'), /aborted|ECONNRESET|socket hang up/);
    assert.equal((await obsFetch(emu, 'GET', 'fault-bucket', 'read-me.txt')).text.length, 10_000);
    const invalid = await adminFetch(emu, 'POST', '/__admin/faults', { body: { service: 'obs', resetAfterBytes: -1 } });
    assert.equal(invalid.status, 400, invalid.text);
    const health = await adminFetch(emu, 'GET', '/__admin/health');
    assert.equal(health.json.obsEndpoint, emu.obsEndpoint);
  });
});

describe('the OBS byte cap', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator({ seed: 'empty', obsMaxBytes: 300_000 }));
    await obsFetch(emu, 'PUT', 'cap-bucket', undefined);
  });
  after(() => emu.close());

  it('refuses what would pass the cap with 403 InsufficientStorageSpace; replacing or deleting frees room', async () => {
    assert.equal((await obsFetch(emu, 'PUT', 'cap-bucket', 'a.bin', { body: Buffer.alloc(200_000) })).status, 200);
    const over = await obsFetch(emu, 'PUT', 'cap-bucket', 'b.bin', { body: Buffer.alloc(200_000) });
    assert.equal(over.status, 403, over.text);
    assert.equal(xmlField(over.text, 'Code'), 'InsufficientStorageSpace');
    assert.equal((await obsFetch(emu, 'GET', 'cap-bucket', 'b.bin')).status, 404);
    assert.equal(emu.obs.usedBytes, 200_000);
    assert.equal((await obsFetch(emu, 'PUT', 'cap-bucket', 'a.bin', { body: Buffer.alloc(290_000) })).status, 200, 'a replacement counts the bytes it frees');
    const id = xmlField((await obsFetch(emu, 'POST', 'cap-bucket', 'c.bin', { query: 'uploads' })).text, 'UploadId');
    const part = await obsFetch(emu, 'PUT', 'cap-bucket', 'c.bin', { query: `partNumber=1&uploadId=${id}`, body: Buffer.alloc(20_000) });
    assert.equal(xmlField(part.text, 'Code'), 'InsufficientStorageSpace', 'parts count too');
    assert.equal((await obsFetch(emu, 'DELETE', 'cap-bucket', 'a.bin')).status, 204);
    assert.equal(emu.obs.usedBytes, 0);
    assert.equal((await obsFetch(emu, 'PUT', 'cap-bucket', 'b.bin', { body: Buffer.alloc(200_000) })).status, 200);
  });

  it('a body far past the cap is refused from its Content-Length, without being kept', async () => {
    const before = emu.obs.usedBytes;
    const big = Buffer.alloc(4 * 1024 * 1024);
    try {
      const res = await obsFetch(emu, 'PUT', 'cap-bucket', 'huge.bin', { body: big });
      assert.equal(res.status, 403);
      assert.equal(xmlField(res.text, 'Code'), 'InsufficientStorageSpace');
    } catch (error) {
      // The emulator closes the connection after answering; a client still sending may see that first.
      assert.match(String(error), /EPIPE|ECONNRESET/);
    }
    assert.equal(emu.obs.usedBytes, before);
  });
});
