// What a running demo training task produces in the emulator: resource metrics with the shapes real ones have
// (warm-up, steady state, checkpoint dips, minutes without data), training lines in several common forms with a
// falling loss, and the whole log rebuilt for its OBS link.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FULL_LOG_TEXT_CAP, TRAINING_LINE_FORMS, TaskLog, trainingLineMaker } from '../../../src/emulator/training/logs';
import { MAX_METRIC_MINUTES, metricNames, metricRhythm, metricValues } from '../../../src/emulator/training/metrics';

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe('emulator training metrics: shapes', () => {
  it('names by flavor: CPU and memory always, GPU or NPU series for accelerator flavors', () => {
    assert.deepEqual(metricNames('CPU'), ['cpuUsage', 'memUsage']);
    assert.deepEqual(metricNames('GPU'), ['cpuUsage', 'memUsage', 'gpuUtil', 'gpuMemUsage']);
    assert.deepEqual(metricNames('Ascend'), ['cpuUsage', 'memUsage', 'npuUtil', 'npuMemUsage']);
  });

  it('deterministic per seed, different between seeds; percentages with two decimals or -1', () => {
    assert.deepEqual(metricValues(42, 'gpuUtil', 300), metricValues(42, 'gpuUtil', 300));
    assert.notDeepEqual(metricValues(42, 'gpuUtil', 300), metricValues(43, 'gpuUtil', 300));
    for (const metric of metricNames('GPU').concat(metricNames('Ascend'))) {
      for (const v of metricValues(7, metric, 500)) assert.ok(v === -1 || (v >= 0 && v <= 100 && /^\d+(\.\d{1,2})?$/.test(String(v))), `${metric} ${v}`);
    }
  });

  it('accelerator: a warm-up below the steady state, dips at every checkpoint, some minutes without data (never the first)', () => {
    for (const seed of [1, 99, 123456, 0xdeadbeef]) {
      const { warmup, checkpointEvery, gap } = metricRhythm(seed);
      const util = metricValues(seed, 'npuUtil', 600);
      const data = (from: number, to: number, keep: (i: number) => boolean): number[] =>
        util.slice(from, to).filter((v, k) => v !== -1 && keep(from + k));
      const isDip = (i: number): boolean => i >= warmup && (i + 1) % checkpointEvery === 0;
      const steady = data(warmup, 600, (i) => !isDip(i));
      const dips = data(warmup, 600, isDip);
      assert.ok(util[0] >= 0, 'minute 0 has data');
      assert.ok(util[0] < mean(steady) - 20, `warm-up ${util[0]} below steady ${mean(steady)}`);
      assert.ok(mean(steady) > 80 && mean(dips) < 30, `steady ${mean(steady)}, dips ${mean(dips)}`);
      const gaps = util.filter((v) => v === -1).length;
      assert.ok(gaps > 5 && gaps < 60, `${gaps} gaps in 600 minutes`);
      util.forEach((v, i) => assert.equal(v === -1, gap(i), `minute ${i}: -1 exactly where there is no data`));
      const mem = metricValues(seed, 'npuMemUsage', 600);
      mem.forEach((v, i) => assert.equal(v === -1, gap(i), 'every metric misses the same minutes'));
    }
  });

  it('at most 7 days of minutes', () => {
    assert.equal(metricValues(5, 'cpuUsage', MAX_METRIC_MINUTES + 100).length, MAX_METRIC_MINUTES);
  });
});

describe('emulator training lines: the common forms, a falling loss', () => {
  const source = trainingLineMaker(2024, 'worker-0', 10);
  const at = Date.UTC(2026, 0, 1);
  const lines = Array.from({ length: 5000 }, (_, i) => source.line(i, at + i * 500));

  it('four forms in turn: key=value, a JSON line, bracketed, a dict; a validation line every 100th', () => {
    assert.equal(TRAINING_LINE_FORMS.length, 4);
    assert.match(lines[0], /\[worker-0\] epoch 01\/10 step 001\/500 loss=\d\.\d{6} acc=0\.\d{4} lr=0\.\d{6}\n$/);
    const json = JSON.parse(lines[1]) as Record<string, number>;
    assert.deepEqual(Object.keys(json), ['epoch', 'step', 'loss', 'acc', 'lr']);
    assert.equal(json.step, 2);
    assert.match(lines[2], /\[worker-0\] Epoch \[01\/10\] Step \[003\/500\] loss: \d\.\d{6}, acc: 0\.\d{4}, lr: 0\.\d{6}\n$/);
    assert.match(lines[3], /step 0000004: \{'loss': \d\.\d{6}, 'accuracy': 0\.\d{4}, 'learning_rate': \d\.\d{3}e-\d, 'epoch': +0\.01\}\n$/);
    assert.match(lines[99], /validation: val_loss=\d\.\d{6} val_acc=0\.\d{4}\n$/);
    assert.ok(lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1), 'one line each');
  });

  it('the loss falls over the run in every form', () => {
    const lossOf = (line: string): number | undefined => {
      const m = /(?:loss=|"loss": |loss: |'loss': )(\d+\.\d+)/.exec(line);
      return m && !line.includes('validation') ? Number(m[1]) : undefined;
    };
    for (let form = 0; form < 4; form++) {
      const losses = lines.filter((_, i) => i % 4 === form).map(lossOf).filter((v): v is number => v !== undefined);
      assert.ok(losses.length > 1000, `form ${form}`);
      assert.ok(mean(losses.slice(-100)) < mean(losses.slice(0, 100)) / 3, `form ${TRAINING_LINE_FORMS[form]} falls`);
    }
  });
});

describe('emulator training: the whole log for the link', () => {
  it('is every byte written: generated lines (rebuilt, also those only counted past the window) and appended text', () => {
    const log = new TaskLog(trainingLineMaker(9, 'worker-0', 2000), 1000);
    const start = Date.UTC(2026, 0, 1);
    log.append(start, 'preamble\n');
    log.startGenerating(start);
    log.catchUp(start + 5_000);
    const small = Buffer.concat([...log.fullLog(start + 5_000)]).toString('utf8');
    assert.equal(small, log.preview(start + 5_000).content, 'small: the whole log is the preview');
    log.setRate(start + 5_000, 2000);
    log.append(start + 6_000, 'a note in the middle\n');
    // 200 s at 2000 lines a second: far more than the window, so most lines are only counted.
    const end = start + 206_000;
    log.stopGenerating(end);
    log.append(end, 'the end\n');
    const whole = Buffer.concat([...log.fullLog(end)]);
    assert.equal(whole.length, log.fullSize);
    const text = whole.toString('utf8');
    assert.ok(text.startsWith(small));
    assert.ok(text.includes('a note in the middle\n'));
    assert.ok(text.endsWith(log.preview(end).content), 'ends with the preview window');
    assert.equal(text.split('\n').length - 1, log.generatedLines + 3);
  });

  it('appended text past the cap is replaced by one note line', () => {
    const log = new TaskLog(trainingLineMaker(9, 'worker-0', 1), 0);
    const big = Buffer.alloc(FULL_LOG_TEXT_CAP - 10, 'a');
    log.append(0, big);
    log.append(0, 'b'.repeat(20));
    log.append(0, 'c'.repeat(30));
    const whole = Buffer.concat([...log.fullLog(0)]).toString('utf8');
    assert.ok(whole.startsWith('aaaa'));
    assert.ok(whole.endsWith('[emulator: 50 bytes of appended text were not kept]\n'), whole.slice(-80));
    assert.equal(log.fullSize, big.length + 50);
  });
});
