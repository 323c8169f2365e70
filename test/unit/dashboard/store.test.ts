import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { columnRows, csvField, CurveStore, GrowableSeries, runRows, toCsv } from '../../../src/dashboard/view/store';

// The numbers behind the charts: curves grow by appends from an index, a reset drops them, and the tables and
// CSV read every point while the drawing is thinned.

describe('GrowableSeries', () => {
  it('appends from the end, grows past its first capacity and keeps every point', () => {
    const series = new GrowableSeries();
    const n = 10_000;
    for (let from = 0; from < n; from += 1_000) {
      const x = Array.from({ length: 1_000 }, (_, i) => from + i);
      assert.ok(series.put(from, x, x.map((v) => v / 2)));
    }
    assert.equal(series.length, n);
    assert.equal(series.x.length, n);
    assert.equal(series.x[n - 1], n - 1);
    assert.equal(series.y[1234], 617);
  });

  it('replaces points from an earlier index (a resend) and refuses a start past the end (a hole)', () => {
    const series = new GrowableSeries();
    assert.ok(series.put(0, [1, 2, 3], [10, 20, 30]));
    assert.ok(series.put(2, [3, 4], [31, 40]));
    assert.deepEqual([...series.x], [1, 2, 3, 4]);
    assert.deepEqual([...series.y], [10, 20, 31, 40]);
    assert.equal(series.put(5, [6], [60]), false);
    assert.equal(series.put(1.5, [6], [60]), false);
    assert.equal(series.put(0, [1, 2], [1]), false);
    assert.equal(series.length, 4, 'a refused put changes nothing');
    assert.ok(series.put(4, [5], [50]), 'from = length appends');
    assert.equal(series.length, 5);
  });

  it('holds a gap (null) as NaN', () => {
    const series = new GrowableSeries();
    series.put(0, [1, 2, 3], [1, null, 3]);
    assert.ok(Number.isNaN(series.y[1]));
  });

  it('takes a million points in a few appends (the figure is reported, not asserted)', () => {
    const series = new GrowableSeries();
    const chunk = Array.from({ length: 100_000 }, (_, i) => i);
    const started = performance.now();
    for (let from = 0; from < 1_000_000; from += chunk.length) series.put(from, chunk, chunk);
    console.log(`GrowableSeries: 1,000,000 points appended in ${(performance.now() - started).toFixed(1)} ms`);
    assert.equal(series.length, 1_000_000);
  });
});

describe('CurveStore', () => {
  it('appends the new points of each curve from `from`, in the order the curves first came', () => {
    const store = new CurveStore();
    let update = store.apply({ reset: false, series: [{ name: 'loss', from: 0, x: [1, 2], y: [0.9, 0.8] }] });
    assert.deepEqual(update, { changed: ['loss'], refused: [] });
    update = store.apply({
      reset: false,
      series: [
        { name: 'acc', from: 0, x: [1, 2, 3], y: [0.1, 0.2, 0.3] },
        { name: 'loss', from: 2, x: [3], y: [0.7] },
      ],
    });
    assert.deepEqual(update.changed, ['acc', 'loss']);
    assert.deepEqual(store.names, ['loss', 'acc']);
    assert.deepEqual([...store.get('loss')!.y], [0.9, 0.8, 0.7]);
    assert.deepEqual([...store.get('acc')!.x], [1, 2, 3]);
  });

  it('refuses points that would leave a hole, names the curve, and keeps the others', () => {
    const store = new CurveStore();
    store.apply({ reset: false, series: [{ name: 'loss', from: 0, x: [1], y: [0.9] }] });
    const update = store.apply({
      reset: false,
      series: [
        { name: 'loss', from: 5, x: [6], y: [0.1] },
        { name: 'lr', from: 0, x: [1], y: [0.001] },
      ],
    });
    assert.deepEqual(update, { changed: ['lr'], refused: ['loss'] });
    assert.equal(store.get('loss')!.length, 1);
    // A curve whose first points do not start at 0 is not created empty.
    assert.deepEqual(store.apply({ reset: false, series: [{ name: 'acc', from: 3, x: [4], y: [0.5] }] }), { changed: [], refused: ['acc'] });
    assert.deepEqual(store.names, ['loss', 'lr']);
  });

  it('reset drops every curve before taking the message’s points', () => {
    const store = new CurveStore();
    store.apply({ reset: false, series: [{ name: 'loss', from: 0, x: [1, 2], y: [0.9, 0.8] }, { name: 'acc', from: 0, x: [1], y: [0.5] }] });
    const update = store.apply({ reset: true, series: [{ name: 'loss', from: 0, x: [10], y: [0.3] }] });
    assert.deepEqual(update.changed, ['loss']);
    assert.deepEqual(store.names, ['loss']);
    assert.deepEqual([...store.get('loss')!.x], [10]);
    assert.equal(store.get('acc'), undefined);
    store.apply({ reset: true, series: [] });
    assert.deepEqual(store.names, []);
  });
});

describe('table rows and CSV', () => {
  it('columnRows: the last `cap` rows of every column, gaps empty, with the total', () => {
    const x = [0, 60_000, 120_000];
    const rows = columnRows('Time', x, [{ label: 'CPU', values: [10, null, Number.NaN] }], 1_000, (v) => `t+${v / 60_000}`);
    assert.deepEqual(rows, { header: ['Time', 'CPU'], rows: [['t+0', 10], ['t+1', null], ['t+2', null]], total: 3 });
    const capped = columnRows('Step', Float64Array.from({ length: 5_000 }, (_, i) => i), [{ label: 'loss', values: Float64Array.from({ length: 5_000 }, (_, i) => i * 2) }], 1_000);
    assert.equal(capped.rows.length, 1_000);
    assert.equal(capped.total, 5_000);
    assert.deepEqual(capped.rows[0], [4_000, 8_000]);
    assert.deepEqual(capped.rows[999], [4_999, 9_998]);
  });

  it('runRows: one row per point of each run, each run’s last share of the cap', () => {
    const runs = [
      { name: 'run-a', x: [1, 2, 3], y: [0.3, 0.2, 0.1] },
      { name: 'run-b', x: [1, 2], y: [0.5, Number.NaN] },
    ];
    assert.deepEqual(runRows('Job', 'Step', 'loss', runs, 1_000), {
      header: ['Job', 'Step', 'loss'],
      rows: [
        ['run-a', 1, 0.3],
        ['run-a', 2, 0.2],
        ['run-a', 3, 0.1],
        ['run-b', 1, 0.5],
        ['run-b', 2, null],
      ],
      total: 5,
    });
    const capped = runRows('Job', 'Step', 'loss', runs, 2);
    assert.deepEqual(capped.rows, [
      ['run-a', 3, 0.1],
      ['run-b', 2, null],
    ]);
    assert.equal(capped.total, 5);
  });

  it('CSV: every row in full, quoted where needed, spreadsheet formulas defused', () => {
    const { header, rows } = columnRows('Step', [1, 2, 3], [{ label: 'loss, smoothed', values: [0.5, null, -1] }], Number.POSITIVE_INFINITY);
    assert.equal(toCsv(header, rows), 'Step,"loss, smoothed"\r\n1,0.5\r\n2,\r\n3,-1\r\n');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('-cmd'), "'-cmd");
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(-0.25), '-0.25');
  });
});
