import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeObsXml, parseObsXml, xmlCanCarry, xmlChild, xmlChildren, xmlText } from '../../../../src/api/obs/xml';

test('elements by name, namespaces ignored, empty elements and whitespace tolerated', () => {
  const root = parseObsXml(
    '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://obs.cn-north-4.myhuaweicloud.com/doc/2015-06-30/">\n  <Name>b</Name><Prefix/><Marker>\n</Marker>\n' +
      '  <Contents><Key>a &amp; b &lt;c&gt;</Key><Size>3</Size></Contents>\n  <Contents><Key><![CDATA[x<y]]></Key></Contents><s3:Extra xmlns:s3="urn:x">e</s3:Extra>\n</ListBucketResult>',
  );
  assert.equal(root.name, 'ListBucketResult');
  assert.equal(xmlText(root, 'Name'), 'b');
  assert.equal(xmlText(root, 'Prefix'), '');
  assert.equal(xmlText(root, 'Marker'), '');
  assert.equal(xmlText(root, 'NextMarker'), undefined);
  assert.deepEqual(xmlChildren(root, 'Contents').map((c) => xmlText(c, 'Key')), ['a & b <c>', 'x<y']);
  assert.equal(xmlText(root, 'Extra'), 'e');
  assert.equal(xmlChild(undefined, 'x'), undefined);
});

test('malformed XML throws; entities are not expanded from a DTD', () => {
  assert.throws(() => parseObsXml('<a><b></a>'));
  assert.throws(() => parseObsXml('not xml'));
  const root = parseObsXml('<!DOCTYPE a [<!ENTITY x "boom">]><a><b>&x;</b></a>');
  assert.equal(xmlText(root, 'b'), '&x;', 'left as it is, never "boom"');
});

test('escaping for request bodies: & < > " \' and CR; what XML cannot carry is detected', () => {
  assert.equal(escapeObsXml(`a&b<c>d"e'f\rg`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g');
  const text = `k & <x> "q" 'a'\r\n\t中`;
  assert.equal(xmlText(parseObsXml(`<r><v>${escapeObsXml(text)}</v></r>`), 'v'), text.trim());
  assert.equal(xmlCanCarry('tab\tand\nnewline'), true);
  assert.equal(xmlCanCarry('ctl\u0001'), false);
  assert.equal(xmlCanCarry('\uFFFE'), false);
});
