import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../../../../src/emulator/server';
import { startTestEmulator } from '../../helpers/emulatorHelpers';
import { md5Base64, obsFetch, xmlField, xmlFields } from './obsRig';

// ListObjects (prefix, delimiter, marker, max-keys, NextMarker, encoding-type=url, XML escaping) and
// DeleteObjects (Quiet, Content-MD5 required, at most 1000 keys) in the emulator's OBS.

const KEYS = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'c&<>"\'.txt', 'd/4.txt', 'e.txt'];

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

describe('OBS listings in the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator({ seed: 'empty' }));
    assert.equal((await obsFetch(emu, 'PUT', 'list-bucket', undefined)).status, 200);
    for (const key of KEYS) assert.equal((await obsFetch(emu, 'PUT', 'list-bucket', key, { body: key })).status, 200, key);
  });
  after(() => emu.close());

  async function list(query: string): Promise<string> {
    const res = await obsFetch(emu, 'GET', 'list-bucket', undefined, { query });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['x-obs-bucket-location'], 'cn-north-4');
    return res.text;
  }

  it('lists every key in byte order with its size and ETag; prefix narrows it; XML special characters are escaped', async () => {
    const all = await list('');
    assert.deepEqual(xmlFields(all, 'Key').map(decodeXml), KEYS);
    assert.ok(all.includes('<Key>c&amp;&lt;&gt;&quot;&apos;.txt</Key>'), all);
    assert.equal(xmlField(all, 'IsTruncated'), 'false');
    assert.equal(xmlField(all, 'MaxKeys'), '1000');
    assert.deepEqual(xmlFields(all, 'Size').map(Number), KEYS.map((k) => Buffer.byteLength(k)));
    assert.deepEqual(xmlFields(await list('prefix=b%2F'), 'Key'), ['b/1.txt', 'b/2.txt', 'b/c/3.txt']);
  });

  it('a delimiter rolls keys into CommonPrefixes; with a prefix, one folder level', async () => {
    const top = await list('delimiter=%2F');
    assert.deepEqual(xmlFields(top, 'Key').map(decodeXml), ['a.txt', 'c&<>"\'.txt', 'e.txt']);
    assert.deepEqual(xmlFields(top, 'Prefix').slice(1), ['b/', 'd/']);
    const inB = await list('prefix=b%2F&delimiter=%2F');
    assert.deepEqual(xmlFields(inB, 'Key'), ['b/1.txt', 'b/2.txt']);
    assert.deepEqual(xmlFields(inB, 'Prefix'), ['b/', 'b/c/']);
    assert.equal(xmlField(inB, 'Delimiter'), '/');
  });

  it('max-keys pages with NextMarker until IsTruncated is false, folders counted as entries; out-of-range max-keys is 1000, text is 400', async () => {
    const seen: string[] = [];
    let marker = '';
    for (let page = 0; page < 10; page++) {
      const text = await list(`delimiter=%2F&max-keys=2${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`);
      const entries = [...xmlFields(text, 'Key').map(decodeXml), ...xmlFields(text, 'Prefix').slice(1)];
      assert.ok(entries.length <= 2, entries.join(','));
      seen.push(...entries);
      if (xmlField(text, 'IsTruncated') === 'false') {
        assert.equal(xmlField(text, 'NextMarker'), undefined);
        break;
      }
      marker = decodeXml(xmlField(text, 'NextMarker') ?? '');
      assert.ok(marker !== '', text);
    }
    assert.deepEqual(seen.sort(), ['a.txt', 'b/', 'c&<>"\'.txt', 'd/', 'e.txt'].sort());
    assert.equal(xmlField(await list('max-keys=0'), 'MaxKeys'), '1000');
    assert.equal(xmlField(await list('max-keys=5000'), 'MaxKeys'), '1000');
    const bad = await obsFetch(emu, 'GET', 'list-bucket', undefined, { query: 'max-keys=ten' });
    assert.equal(bad.status, 400);
    assert.equal(xmlField(bad.text, 'Code'), 'InvalidArgument');
  });

  it('encoding-type=url encodes Key, Prefix, Marker, NextMarker and Delimiter (control characters too)', async () => {
    const odd = 'odd dir/line\u0001break ü.txt';
    assert.equal((await obsFetch(emu, 'PUT', 'list-bucket', odd, { body: 'x' })).status, 200);
    const plain = await list('prefix=odd');
    assert.ok(plain.includes('<Key>odd dir/line&#x1;break ü.txt</Key>'), plain);
    const text = await list('prefix=odd%20dir%2F&encoding-type=url&delimiter=%2F&max-keys=1&marker=odd%20dir%2F');
    assert.equal(xmlField(text, 'EncodingType'), 'url');
    assert.equal(xmlField(text, 'Prefix'), 'odd%20dir/');
    assert.equal(xmlField(text, 'Marker'), 'odd%20dir/');
    assert.equal(xmlField(text, 'Delimiter'), '/');
    assert.equal(xmlField(text, 'Key'), 'odd%20dir/line%01break%20%C3%BC.txt');
    assert.equal(decodeURIComponent(xmlField(text, 'Key') ?? ''), odd);
    assert.equal(xmlField(text, 'IsTruncated'), 'false');
    await obsFetch(emu, 'PUT', 'list-bucket', 'odd dir/zz z.txt', { body: 'x' });
    const truncated = await list('prefix=odd%20dir%2F&encoding-type=url&max-keys=1');
    assert.equal(xmlField(truncated, 'NextMarker'), 'odd%20dir/line%01break%20%C3%BC.txt');
  });
});

describe('OBS batch delete in the emulator', () => {
  let emu: RunningEmulator;
  before(async () => {
    ({ emu } = await startTestEmulator({ seed: 'empty' }));
    await obsFetch(emu, 'PUT', 'del-bucket', undefined);
  });
  after(() => emu.close());

  function deleteBody(keys: string[], quiet: boolean, encoding = false): string {
    const objects = keys.map((k) => `<Object><Key>${encoding ? encodeURIComponent(k) : k}</Key></Object>`).join('');
    return `<Delete><Quiet>${quiet}</Quiet>${encoding ? '<EncodingType>url</EncodingType>' : ''}${objects}</Delete>`;
  }

  it('deletes the keys named (missing ones too), verbose lists each Deleted, Quiet lists none', async () => {
    for (const key of ['x/1', 'x/2', 'x/3', 'x/4 ü']) await obsFetch(emu, 'PUT', 'del-bucket', key, { body: key });
    const verbose = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body: deleteBody(['x/1', 'x/2', 'never-was'], false), md5: true });
    assert.equal(verbose.status, 200, verbose.text);
    assert.deepEqual(xmlFields(verbose.text, 'Key'), ['x/1', 'x/2', 'never-was']);
    const quiet = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body: deleteBody(['x/3', 'x/4 ü'], true, true), md5: true });
    assert.equal(quiet.status, 200, quiet.text);
    assert.match(quiet.text, /<DeleteResult xmlns="[^"]+"><\/DeleteResult>$/);
    const left = await obsFetch(emu, 'GET', 'del-bucket', undefined);
    assert.deepEqual(xmlFields(left.text, 'Key'), []);
  });

  it('refuses a body without Content-MD5, with a wrong one, malformed, empty, or naming more than 1000 keys', async () => {
    await obsFetch(emu, 'PUT', 'del-bucket', 'keep', { body: 'x' });
    const body = deleteBody(['keep'], false);
    const noMd5 = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body });
    assert.equal(noMd5.status, 400);
    assert.equal(xmlField(noMd5.text, 'Code'), 'MissingRequiredHeader');
    const wrongMd5 = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body, headers: { 'Content-MD5': md5Base64('other') } });
    assert.equal(xmlField(wrongMd5.text, 'Code'), 'BadDigest');
    for (const malformed of ['<Delete><Object><Key>keep</Key>', '<Delete></Delete>', '<Other/>', 'not xml']) {
      const res = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body: malformed, md5: true });
      assert.equal(res.status, 400, malformed);
      assert.equal(xmlField(res.text, 'Code'), 'MalformedXML', malformed);
    }
    const many = deleteBody(Array.from({ length: 1001 }, (_, i) => `k${i}`), true);
    const tooMany = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body: many, md5: true });
    assert.equal(tooMany.status, 400);
    assert.equal(xmlField(tooMany.text, 'Code'), 'MalformedXML');
    const thousand = await obsFetch(emu, 'POST', 'del-bucket', undefined, { query: 'delete', body: deleteBody(Array.from({ length: 1000 }, (_, i) => `k${i}`), true), md5: true });
    assert.equal(thousand.status, 200, 'exactly 1000 keys is fine');
    assert.equal((await obsFetch(emu, 'GET', 'del-bucket', 'keep')).status, 200, 'nothing deleted by the refused requests');
  });
});
