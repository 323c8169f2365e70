import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { JobCurves, JobCurvesCache } from '../../../src/dashboard/jobCurves';

// A task's curves placed by byte offset into the whole log: text already read is never parsed twice, a jump
// is counted, a character split across chunks is kept whole, the last line counts once the job ended.

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const loss = (curves: JobCurves): Array<[number, number]> => {
  const series = curves.parser.series().get('loss');
  return series ? Array.from(series.x, (x, i) => [x, series.y[i]]) : [];
};

describe('JobCurves: placing text by byte offset', () => {
  const first = 'step 1 loss=0.9\nstep 2 loss=0.8\n';
  const second = 'step 3 loss=0.7\n';
  const third = 'step 4 loss=0.6\n';

  it('exact continuation: parsed once, the offset moves to its end', () => {
    const curves = new JobCurves('[]', []);
    curves.pushText(first, bytes(first));
    curves.pushText(second, bytes(first + second));
    assert.deepEqual(loss(curves), [[1, 0.9], [2, 0.8], [3, 0.7]]);
    assert.equal(curves.offset, bytes(first + second));
    assert.equal(curves.skippedBytes, 0);
  });

  it('overlap: only the part past what is read is parsed', () => {
    const curves = new JobCurves('[]', []);
    curves.pushText(first, bytes(first));
    // A window that starts inside what was read (the preview's newest bytes) and runs on past it.
    const window = first.slice(16) + second;
    curves.pushText(window, bytes(first + second));
    assert.deepEqual(loss(curves), [[1, 0.9], [2, 0.8], [3, 0.7]]);
    assert.equal(curves.parser.stats.lines, 3, 'no line read twice');
  });

  it('text entirely at or before the offset is ignored', () => {
    const curves = new JobCurves('[]', []);
    curves.pushText(first + second, bytes(first + second));
    curves.pushText(second, bytes(first + second));
    curves.pushText(first, bytes(first));
    assert.equal(curves.parser.stats.lines, 3);
    assert.equal(curves.offset, bytes(first + second));
    // Positive control: the same text past the offset is read.
    curves.pushText(third, bytes(first + second + third));
    assert.deepEqual(loss(curves).at(-1), [4, 0.6]);
  });

  it('a gap: the bytes never read are counted, the text after it is parsed', () => {
    const curves = new JobCurves('[]', []);
    curves.pushText(first, bytes(first));
    curves.pushText(third, bytes(first + second + third));
    assert.equal(curves.skippedBytes, bytes(second));
    assert.deepEqual(loss(curves), [[1, 0.9], [2, 0.8], [4, 0.6]]);
    assert.equal(curves.offset, bytes(first + second + third));
  });

  it('an overlap with multi-byte characters is cut by bytes, not characters', () => {
    const curves = new JobCurves('[]', []);
    const head = 'step 1 loss=0.9 说明\n';
    curves.pushText(head, bytes(head));
    const tail = 'step 2 损失 loss=0.5\n';
    curves.pushText(head + tail, bytes(head + tail));
    assert.deepEqual(loss(curves), [[1, 0.9], [2, 0.5]]);
  });

  it('pushBytes: a character split across chunks is kept whole; the offset counts bytes', () => {
    const curves = new JobCurves('[]', []);
    const text = 'epoch 1 note=“中文” loss=0.5\nstep 7 loss=0.25\n';
    const all = Buffer.from(text, 'utf8');
    const split = all.indexOf(Buffer.from('中', 'utf8')) + 1;
    curves.pushBytes(all.subarray(0, split));
    curves.pushBytes(all.subarray(split, split + 1));
    curves.pushBytes(all.subarray(split + 1));
    assert.equal(curves.offset, all.length);
    assert.deepEqual(loss(curves), [[1, 0.5], [7, 0.25]]);
    assert.equal(curves.parser.stats.droppedValues, 0);
    // Text placed after the bytes continues them.
    curves.pushText('step 8 loss=0.125\n', all.length + bytes('step 8 loss=0.125\n'));
    assert.deepEqual(loss(curves).at(-1), [8, 0.125]);
  });

  it('text heard while the whole log downloads is placed once the download ends, never ahead of it', () => {
    // A Follow Logs channel emits the newest text while the download is still at the start of the log.
    const whole = Array.from({ length: 40 }, (_, i) => `step ${i + 1} loss=${(1 / (i + 1)).toFixed(4)}\n`).join('');
    const all = Buffer.from(whole, 'utf8');
    const heardFrom = all.length - 200;
    const expected = new JobCurves('[]', []);
    expected.pushText(whole, all.length);

    const curves = new JobCurves('[]', []);
    curves.beginDownload();
    curves.pushBytes(all.subarray(0, 100));
    curves.pushText(all.subarray(heardFrom).toString('utf8'), all.length);
    curves.pushBytes(all.subarray(100, 300));
    curves.pushText(all.subarray(200, 250).toString('utf8'), 250);
    curves.pushBytes(all.subarray(300));
    curves.endDownload();
    assert.equal(curves.offset, all.length);
    assert.equal(curves.skippedBytes, 0);
    assert.deepEqual(loss(curves), loss(expected));

    // The download stopped half-way (its link failed): what was heard is placed after what arrived, the jump counted.
    const broken = new JobCurves('[]', []);
    broken.beginDownload();
    broken.pushBytes(all.subarray(0, 100));
    broken.pushText(all.subarray(heardFrom).toString('utf8'), all.length);
    broken.endDownload();
    assert.equal(broken.offset, all.length);
    assert.equal(broken.skippedBytes, heardFrom - 100);
    // Positive control: outside a download, heard text is placed at once.
    const heard = loss(broken).length;
    broken.pushText('step 99 loss=0.001\n', all.length + Buffer.byteLength('step 99 loss=0.001\n'));
    assert.equal(loss(broken).length, heard + 1);
  });

  it('finish(): a last line without a line break counts, and the curves are complete', () => {
    const curves = new JobCurves('[]', []);
    curves.pushText('step 1 loss=0.9\nstep 2 loss=0.8', bytes('step 1 loss=0.9\nstep 2 loss=0.8'));
    assert.deepEqual(loss(curves), [[1, 0.9]], 'the unfinished line waits');
    assert.equal(curves.complete, false);
    curves.finish();
    assert.deepEqual(loss(curves), [[1, 0.9], [2, 0.8]]);
    assert.equal(curves.complete, true);
  });

  it('finish() after pushBytes reads a last line that ended in the middle of a character', () => {
    const curves = new JobCurves('[]', []);
    const all = Buffer.from('step 1 loss=0.9\nstep 2 loss=0.8 ok', 'utf8');
    curves.pushBytes(all);
    curves.finish();
    assert.deepEqual(loss(curves), [[1, 0.9], [2, 0.8]]);
  });

  it('pointsSince: only the new points, from their index', () => {
    const curves = new JobCurves('[]', []);
    curves.pushText(first, bytes(first));
    const { mark, points } = curves.pointsSince();
    assert.deepEqual(points.map((p) => [p.name, p.from, Array.from(p.x)]), [['loss', 0, [1, 2]]]);
    curves.pushText(second, bytes(first + second));
    const next = curves.pointsSince(mark);
    assert.deepEqual(next.points.map((p) => [p.name, p.from, Array.from(p.x)]), [['loss', 2, [3]]]);
    assert.deepEqual(curves.pointsSince(next.mark).points, []);
  });
});

describe('JobCurvesCache', () => {
  it('keeps the latest `limit` keys, the least recently taken leaves first', () => {
    const cache = new JobCurvesCache(2);
    const a = cache.take('a', []);
    assert.equal(a.isNew, true);
    cache.take('b', []);
    assert.equal(cache.take('a', []).curves, a.curves, 'taken again: the same entry');
    assert.equal(cache.take('a', []).isNew, false);
    cache.take('c', []); // b is the least recently taken: it leaves
    assert.equal(cache.take('a', []).isNew, false, 'a stays');
    assert.equal(cache.take('b', []).isNew, true, 'b was dropped');
  });

  it('different patterns make a new entry (read again); the same patterns keep it', () => {
    const cache = new JobCurvesCache();
    const first = cache.take('k', ['(?<name>score)=(?<value>\\S+)']).curves;
    assert.equal(cache.take('k', ['(?<name>score)=(?<value>\\S+)']).curves, first);
    const changed = cache.take('k', []);
    assert.equal(changed.isNew, true);
    assert.notEqual(changed.curves, first);
    assert.equal(cache.take('k', []).curves, changed.curves);
  });

  it('drop forgets the entry only when it is the one given', () => {
    const cache = new JobCurvesCache();
    const old = cache.take('k', []).curves;
    cache.drop('k', new JobCurves('[]', []));
    assert.equal(cache.take('k', []).curves, old, 'another object: kept');
    cache.drop('k', old);
    const again = cache.take('k', []);
    assert.equal(again.isNew, true);
    assert.notEqual(again.curves, old);
  });
});
