import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { LogMetricParser, MAX_LINE_CHARS, MAX_SERIES, classifyKey } from '../../../src/watch/logMetrics';
import { MAX_METRIC_PATTERNS, METRIC_NAME, compileMetricPatterns, hasNestedQuantifier, metricPatternProblems } from '../../../src/watch/metricPatterns';
import { HOSTILE_VALUES, MEGABYTE } from '../helpers/hostile';

// The log metric parser: training curves from log text in any chunks. Only metric names (METRIC_NAME) and
// finite numbers come out, whatever the text.

type Points = Record<string, Array<[number, number]>>;

function pointsOf(parser: LogMetricParser): Points {
  const out: Points = {};
  for (const [name, s] of parser.series()) out[name] = Array.from(s.x, (x, i) => [x, s.y[i]]);
  return out;
}

function parse(text: string, patterns?: readonly unknown[]): LogMetricParser {
  const parser = new LogMetricParser({ patterns });
  parser.push(text);
  parser.end();
  return parser;
}

const read = (text: string, patterns?: readonly unknown[]): Points => pointsOf(parse(text, patterns));

describe('LogMetricParser: forms', () => {
  const cases: Array<[form: string, line: string, expected: Points]> = [
    ['key=value', 'loss=0.12', { loss: [[1, 0.12]] }],
    ['key: value', 'loss: 0.12', { loss: [[1, 0.12]] }],
    ['spaces around =', 'loss = 0.12', { loss: [[1, 0.12]] }],
    ['Python dict', "{'loss': 0.6931, 'learning_rate': 4.5e-05, 'epoch': 0.09}", { loss: [[0.09, 0.6931]], learning_rate: [[0.09, 4.5e-5]] }],
    ['JSON line', '{"global_step": 100, "loss": 0.5, "ppl": 12.25, "note": "loss=9", "nested": {"acc": 1}}', { loss: [[100, 0.5]], ppl: [[100, 12.25]] }],
    ['JSON inside a log line', '[INFO] metrics {"step": 7, "val_acc": 0.75}', { val_acc: [[7, 0.75]] }],
    ['Keras', '1875/1875 [====] - 5s 3ms/step - loss: 0.2972 - accuracy: 0.9139 - val_loss: 0.2511', { loss: [[1, 0.2972]], accuracy: [[1, 0.9139]], val_loss: [[1, 0.2511]] }],
    ['tqdm postfix', 'Epoch 2:  50%|█████| 50/100 [00:05<00:05, 10.00it/s, loss=0.123, v_num=0]', { loss: [[2, 0.123]] }],
    ['mmcv', 'Epoch [1][50/500]\tlr: 1.000e-02, eta: 0:10:00, time: 0.5, loss_cls: 0.1, loss_bbox: 0.2, loss: 0.3', { lr: [[1, 0.01]], loss_cls: [[1, 0.1]], loss_bbox: [[1, 0.2]], loss: [[1, 0.3]] }],
    ['case-insensitive keys, lower-case names', 'Step 3 LOSS=1.5 Acc: 0.5', { loss: [[3, 1.5]], acc: [[3, 0.5]] }],
    ['prefixes and separators', 'eval/loss=1 train.acc=0.5 val_top1=0.7 test-f1=0.6 dev_map=0.4', { 'eval/loss': [[1, 1]], 'train.acc': [[1, 0.5]], val_top1: [[1, 0.7]], 'test-f1': [[1, 0.6]], dev_map: [[1, 0.4]] }],
    ['the known list', 'lr=1 ppl=2 perplexity=3 top5=4 acc1=5 miou=6 iou=7 grad_norm=8 auc=9 bleu=10 wer=11 cer=12 mae=13 mse=14 rmse=15', Object.fromEntries(['lr', 'ppl', 'perplexity', 'top5', 'acc1', 'miou', 'iou', 'grad_norm', 'auc', 'bleu', 'wer', 'cer', 'mae', 'mse', 'rmse'].map((k, i) => [k, [[1, i + 1]]]))],
    ['any key with a part loss, or ending in acc', 'kd_loss=1 mlm_acc=2 decode.loss_ce=3 aux_accuracy=4 grad_acc_steps=8 acc_seg=5', { kd_loss: [[1, 1]], mlm_acc: [[1, 2]], 'decode.loss_ce': [[1, 3]], aux_accuracy: [[1, 4]] }],
    ['a value ending a sentence', 'Validation done, val_loss: 0.2345. Next.', { val_loss: [[1, 0.2345]] }],
    ['scientific notation and signs', 'lr=1.5E-4 loss=-2 acc=+.5 grad_norm=3.', { lr: [[1, 1.5e-4]], loss: [[1, -2]], acc: [[1, 0.5]], grad_norm: [[1, 3]] }],
  ];
  for (const [form, line, expected] of cases) {
    it(`reads ${form}`, () => {
      assert.deepEqual(read(`${line}\n`), expected);
    });
  }

  it('leaves out what is not a metric value, beside a value it reads on the same line', () => {
    const line = 'loss 0.9 myloss=3 lossy=4 time: 12:00:01 batch_size=32 v_num=0 loss=0.5abc acc=1.2.3x loss_2=7 f2=1 step=oops lr=0.1';
    assert.deepEqual(read(line), { lr: [[1, 0.1]] });
    assert.deepEqual(read('loss 0.9 loss=0.5'), { loss: [[1, 0.5]] }, 'the = form is read where the bare one is not');
  });

  it('reads the first value of a metric on a line', () => {
    assert.deepEqual(read('loss=1 loss=2\nloss=3'), { loss: [[1, 1], [2, 3]] });
  });

  it('names what a key is', () => {
    assert.deepEqual(classifyKey('Val_Loss'), { kind: 'metric', name: 'val_loss' });
    assert.deepEqual(classifyKey('EPOCH'), { kind: 'epoch' });
    assert.deepEqual(classifyKey('global_step'), { kind: 'step', rank: 3 });
    assert.equal(classifyKey('precision'), undefined);
    assert.equal(classifyKey('loss_'), undefined);
    assert.equal(classifyKey(`${'a'.repeat(60)}_loss`), undefined, 'longer than 64');
  });
});

describe('LogMetricParser: the x axis', () => {
  it('reads the x forms: epoch 3/10, Epoch [3/10], epoch=3, step 1200, step=1200, iter 50, Iteration 60, global_step', () => {
    const lines = ['epoch 3/10 loss=1', 'Epoch [4/10] loss=2', 'epoch=5 loss=3', 'step 1200 loss=4', 'step=1300 loss=5', 'iter 50 loss=6', 'Iteration: 60 loss=7', 'global_step=7000 step=12 loss=8', "{'epoch': 0.5, 'loss': 9}"];
    const xs = lines.map((line) => read(line).loss[0][0]);
    assert.deepEqual(xs, [3, 4, 5, 1200, 1300, 50, 60, 7000, 0.5]);
  });

  it('a line without an x takes the last x seen, the line number when none was ever seen', () => {
    assert.deepEqual(read('loss=1\n\nloss=2\nepoch 3\nloss=3\nloss=4'), { loss: [[1, 1], [3, 2], [3, 3], [3, 4]] });
  });

  it('once a step was seen, a line naming only an epoch sits at the last step', () => {
    const parser = parse('Epoch 1 loss=9\nstep 100 loss=1\nstep 200 loss=0.5\nEpoch 1 done: val_loss=0.7\nEpoch 2 loss=0.4');
    assert.deepEqual(pointsOf(parser), { loss: [[1, 9], [100, 1], [200, 0.5], [200, 0.4]], val_loss: [[200, 0.7]] });
    assert.equal(parser.axis, 'step');
    assert.equal(parse('epoch 2 loss=1').axis, 'epoch');
    assert.equal(parse('loss=1').axis, 'line');
  });

  it('a step within its epoch (step 120/500 on an epoch 3 line) counts from the start, so it lines up with a global step', () => {
    const log = [
      'epoch 1/10 step 500/500 loss=3',
      '{"epoch": 2, "step": 501, "loss": 2}',
      'Epoch [2/10] Step [002/500] loss: 1',
      "step 0503: {'loss': 0.5, 'epoch': 2.01}",
      'epoch 3/10 step 120/500 loss=0.25',
    ].join('\n');
    assert.deepEqual(read(log).loss.map(([x]) => x), [500, 501, 502, 503, 1120]);
    // Without an epoch on the line, or without a total, the step is taken as written.
    assert.deepEqual(read('step 120/500 loss=1\nepoch 3 step 7 loss=2\nepoch 2.5 step 10/100 loss=3').loss.map(([x]) => x), [120, 7, 10]);
  });

  it('an x word inside another word or path is not an x', () => {
    assert.deepEqual(read('3ms/step 99 loss=1\nmystep 5 loss=2\nepochs 7 loss=3'), { loss: [[1, 1], [2, 2], [3, 3]] });
  });
});

describe('LogMetricParser: the screen', () => {
  // Most lines skip the pair scan after a cheap screen; a custom pattern makes every line take the scan, so the
  // two readings of the same random text must agree.
  const KEYS = ['loss', 'Loss', 'val_acc', 'top1', 'acc5', 'f1', 'x1', 'Epoch', 'EPOCH', 'step', 'global_step', 'iter', 'Iteration', 'lr', 'ms/step', 'time', 'T12', '12', 'a.loss', '"loss"', "'acc'", '{"loss"', '{"step"'];
  const SEPARATORS = [':', '=', ' ', '[', ' [', ': ', ' = ', '', '\t:', ' :\t', ' - '];
  const VALUES = ['1', '0.5', '-3e-2', '+.5', '1e400', 'nan', 'Inf', '12:00:01', 'abc', '3/10', '7]', '"x"', '2.5.1', '4x'];
  const JOINERS = [' ', ', ', ' - ', '', '/', '\t', '|', '}', '\n', '\r', '\r\n'];

  it('skips only lines the pair scan would read nothing from (20,000 random fragments)', () => {
    let seed = 17;
    const pick = <T>(list: readonly T[]): T => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return list[seed % list.length];
    };
    let text = '';
    for (let i = 0; i < 20_000; i++) text += `${pick(KEYS)}${pick(SEPARATORS)}${pick(VALUES)}${pick(JOINERS)}`;
    const screened = parse(text);
    const scanned = parse(text, ['(?<never_loss>NEVER MATCHES)']);
    assert.ok(screened.stats.points > 1_000, `${screened.stats.points} points`);
    assert.deepEqual(screened.stats, scanned.stats);
    assert.deepEqual(pointsOf(screened), pointsOf(scanned));
  });
});

describe('LogMetricParser: values', () => {
  it('drops NaN, Infinity and overflows and counts them, keeping the finite values around them', () => {
    const parser = parse('loss=nan acc=0.5\nloss=NaN\nloss=inf\nloss=-Infinity\nloss=1e400\n{"loss": 1e999, "acc": 0.25}\nloss=1e-400\nloss=1.7976931348623157e308');
    assert.equal(parser.stats.droppedValues, 6);
    assert.deepEqual(pointsOf(parser), { acc: [[1, 0.5], [6, 0.25]], loss: [[7, 0], [8, 1.7976931348623157e308]] });
    for (const s of parser.series().values()) for (const y of s.y) assert.ok(Number.isFinite(y));
  });
});

describe('LogMetricParser: chunks', () => {
  const log = [
    'Epoch [1/3] step 10 loss=0.123456 lr=1.5e-4',
    "{'loss': 0.5, 'epoch': 0.25}",
    '{"step": 20, "loss": 0.25, "acc": 0.875}',
    'progress loss=0.3\rprogress loss=0.2\r\nstep 30 val_loss: 0.111',
    'no metrics here: 12:00:01',
    'step 40 loss=-1.25E+2',
  ].join('\r\n');
  const whole = parse(log);

  it('gives the same series whatever the chunks: one character at a time, and at every split point', () => {
    assert.equal(whole.stats.lines, 8);
    assert.equal(whole.stats.points, 9);
    const byChar = new LogMetricParser();
    for (const c of log) byChar.push(c);
    byChar.end();
    assert.deepEqual(pointsOf(byChar), pointsOf(whole));
    assert.deepEqual(byChar.stats, whole.stats);
    for (let at = 1; at < log.length; at++) {
      const split = new LogMetricParser();
      split.push(log.slice(0, at));
      split.push(log.slice(at));
      split.end();
      assert.deepEqual(pointsOf(split), pointsOf(whole), `split at ${at}`);
      assert.equal(split.stats.lines, whole.stats.lines, `lines, split at ${at}`);
    }
  });

  it('a number split across chunks is read whole; the last line waits for end()', () => {
    const parser = new LogMetricParser();
    parser.push('loss=0.12');
    parser.push('34\nacc=0.');
    assert.deepEqual(pointsOf(parser), { loss: [[1, 0.1234]] });
    parser.push('5');
    assert.equal(parser.series().has('acc'), false);
    parser.end();
    assert.deepEqual(pointsOf(parser), { loss: [[1, 0.1234]], acc: [[2, 0.5]] });
  });

  it('\\r\\n split between chunks ends one line, not two; a lone \\r ends a line', () => {
    const parser = new LogMetricParser();
    parser.push('loss=1\r');
    parser.push('\nloss=2\rloss=3\n');
    parser.end();
    assert.equal(parser.stats.lines, 3);
    assert.deepEqual(pointsOf(parser), { loss: [[1, 1], [2, 2], [3, 3]] });
  });

  it('version increments when points arrive; pointsSince gives only the new ones', () => {
    const parser = new LogMetricParser();
    assert.equal(parser.version, 0);
    parser.push('step 1 loss=1\nstep 2 loss=0.5 acc=0.1\n');
    assert.equal(parser.version, 1);
    const first = parser.pointsSince();
    assert.deepEqual(first.points.map((p) => [p.name, p.from, [...p.x], [...p.y]]), [['loss', 0, [1, 2], [1, 0.5]], ['acc', 0, [2], [0.1]]]);
    parser.push('nothing new\n');
    assert.equal(parser.version, 1, 'no points, same version');
    assert.deepEqual(parser.pointsSince(first.mark).points, []);
    parser.push('step 3 loss=0.25\nstep 4 ppl=7\n');
    assert.equal(parser.version, 2);
    const second = parser.pointsSince(first.mark);
    assert.deepEqual(second.points.map((p) => [p.name, p.from, [...p.x], [...p.y]]), [['loss', 2, [3], [0.25]], ['ppl', 0, [4], [7]]]);
    assert.equal(second.mark.version, 2);
  });
});

describe('LogMetricParser: hostile text', () => {
  it('drops a 1 MB line whole and counts it, reading the lines around it; pushed whole or in pieces', () => {
    const log = `loss=1\n${MEGABYTE} loss=5\nloss=2\n`;
    const whole = parse(log);
    assert.equal(whole.stats.droppedLines, 1);
    assert.equal(whole.stats.lines, 3);
    assert.deepEqual(pointsOf(whole), { loss: [[1, 1], [3, 2]] });
    const pieces = new LogMetricParser();
    for (let at = 0; at < log.length; at += 1000) pieces.push(log.slice(at, at + 1000));
    pieces.end();
    assert.deepEqual(pieces.stats, whole.stats);
    assert.deepEqual(pointsOf(pieces), pointsOf(whole));
    // Positive control: a line of exactly MAX_LINE_CHARS is read.
    const longest = `loss=3 ${'x'.repeat(MAX_LINE_CHARS - 7)}`;
    assert.equal(longest.length, MAX_LINE_CHARS);
    assert.deepEqual(read(`${longest}\n`), { loss: [[1, 3]] });
    assert.equal(parse(`${longest}x\n`).stats.droppedLines, 1);
  });

  it('an endless last line is dropped at end(), and holds no more than MAX_LINE_CHARS meanwhile', () => {
    const parser = new LogMetricParser();
    for (let i = 0; i < 100; i++) parser.push(`loss=${i} `.padEnd(10_000, 'y'));
    assert.ok((parser as unknown as { tail: string }).tail.length <= MAX_LINE_CHARS);
    parser.end();
    assert.equal(parser.stats.droppedLines, 1);
    assert.equal(parser.stats.points, 0);
  });

  it('markup and injected text stay out: only metric names and numbers come out', () => {
    const log = [
      '<script>alert(1)</script> loss=0.5',
      '**acc**: 0.7 [x](command:evil) <img src=x onerror=alert(1)> val_loss=<b>1</b>',
      '{"<b>loss</b>": 1, "__proto__": 5, "constructor": 6, "loss": 2}',
      ...HOSTILE_VALUES.map(([, value]) => `${value} grad_norm=3`),
      `${'a'.repeat(100)}_loss=1`,
    ].join('\n');
    const parser = parse(log);
    const names = [...parser.series().keys()];
    assert.deepEqual(names.sort(), ['grad_norm', 'loss']);
    for (const name of names) assert.match(name, METRIC_NAME);
    assert.deepEqual(pointsOf(parser).loss, [[1, 0.5], [3, 2]]);
    assert.equal(parser.series().get('grad_norm')?.length, HOSTILE_VALUES.length - 1, 'all but the 1 MB line');
    // Positive control: a 60-character key is a name.
    assert.deepEqual(read(`${'a'.repeat(55)}_loss=1`), { [`${'a'.repeat(55)}_loss`]: [[1, 1]] });
  });

  it(`keeps at most ${MAX_SERIES} series and counts the points left out`, () => {
    const line = Array.from({ length: MAX_SERIES + 6 }, (_, i) => `m${i}_loss=${i}`).join(' ');
    const parser = parse(`${line}\n${line}\n`);
    assert.equal(parser.series().size, MAX_SERIES);
    assert.equal(parser.stats.droppedPoints, 12);
    assert.equal(parser.stats.points, MAX_SERIES * 2);
  });

  it('reads 1,000,000 lines with the right counts (not timed)', () => {
    const parser = new LogMetricParser();
    const block: string[] = [];
    for (let i = 0; i < 1_000; i++) block.push(i % 5 === 4 ? `step ${i} loss=0.5 acc=0.25` : `2026-12-07 12:00:01 INFO line ${i} of the block`);
    const text = `${block.join('\n')}\n`;
    for (let b = 0; b < 1_000; b++) parser.push(text);
    parser.end();
    assert.equal(parser.stats.lines, 1_000_000);
    assert.equal(parser.stats.linesWithMetrics, 200_000);
    assert.equal(parser.stats.points, 400_000);
    const loss = parser.series().get('loss');
    assert.equal(loss?.length, 200_000);
    assert.equal(loss?.x[199_999], 999);
    assert.equal(parser.version, 1_000);
  });
});

describe('metric patterns (modelarts.dashboard.metricPatterns)', () => {
  it('one pattern gives several metrics and the step; custom and built-in forms add up', () => {
    const patterns = ['l=(?<loss>[0-9.e+-]+) a=(?<Acc>\\S+) s=(?<step>\\d+)', 'EVAL (?<bleu>[\\d.]+)'];
    assert.deepEqual(metricPatternProblems(patterns), []);
    const points = read('l=0.5 a=0.25 s=100 lr=0.1\nEVAL 31.5\nl=0.4 a=nan s=200\n', patterns);
    assert.deepEqual(points, { loss: [[100, 0.5], [200, 0.4]], acc: [[100, 0.25]], lr: [[100, 0.1]], bleu: [[100, 31.5]] });
    // Without the patterns, none of that is read but the lr.
    assert.deepEqual(read('l=0.5 a=0.25 s=100 lr=0.1\nEVAL 31.5\n'), { lr: [[1, 0.1]] });
  });

  it("a pattern's value wins over the built-in reading of the same metric on its line; epoch groups give the x", () => {
    assert.deepEqual(read('loss=9 total (?<x>) mine=1 e3', ['mine=(?<loss>\\d) e(?<epoch>\\d)']), { loss: [[3, 1]] });
  });

  it('runs patterns only on lines up to 4 KiB', () => {
    const patterns = ['score=(?<score>\\d+)'];
    const short = `score=7 ${'z'.repeat(100)}\n`;
    const long = `score=7 ${'z'.repeat(5_000)}\n`;
    assert.deepEqual(read(short, patterns), { score: [[1, 7]] });
    assert.deepEqual(read(long, patterns), {});
  });

  it('are case-sensitive as written', () => {
    assert.deepEqual(read('Score=7', ['score=(?<score>\\d+)']), {});
    assert.deepEqual(read('score=7', ['score=(?<score>\\d+)']), { score: [[1, 7]] });
  });

  it('reports each pattern it cannot use, by position, and uses the others', () => {
    const tooMany = Array.from({ length: MAX_METRIC_PATTERNS + 1 }, () => 'x=(?<x_loss>\\d)');
    const patterns: unknown[] = ['(?<loss>[0-9', 'no group (\\d+)', 'only (?<step>\\d+)', '(?<bad$name>\\d)', '((?<loss>\\d+)\\s?)+$', 42, '', 'a'.repeat(1_001), 'ok=(?<ok_loss>\\d)'];
    const problems = metricPatternProblems(patterns);
    assert.deepEqual(
      problems.map((p) => [p.index, p.reason]),
      [[0, 'invalid'], [1, 'noMetricGroup'], [2, 'noMetricGroup'], [3, 'noMetricGroup'], [4, 'nestedQuantifier'], [5, 'notText'], [6, 'notText'], [7, 'tooLong']],
    );
    assert.match(problems[0].detail ?? '', /Invalid regular expression/);
    assert.equal(problems[0].pattern, '(?<loss>[0-9');
    assert.equal(problems[5].pattern, '42');
    assert.ok(problems[7].pattern.length <= 200);
    assert.deepEqual(compileMetricPatterns(patterns).compiled.map((c) => c.source), ['ok=(?<ok_loss>\\d)']);
    assert.deepEqual(read('ok=3 (?<loss>[0-9', patterns), { ok_loss: [[1, 3]] });
    assert.deepEqual(metricPatternProblems(tooMany).map((p) => [p.index, p.reason]), [[MAX_METRIC_PATTERNS, 'tooMany']]);
  });

  it('screens nested repeats, the shape of catastrophic backtracking', () => {
    for (const bad of ['(a+)+', '(a*)*b', '(\\d+,?)*', '((ab)+c)+', '(?:x{2,})+', '(a+){2,5}', '(?<v>(\\d+\\.?)+)']) assert.equal(hasNestedQuantifier(bad), true, bad);
    for (const fine of ['(a+)?', '(ab)+', 'a+b+', '[(a+)]+', '\\(a+\\)+', '(a{2})+', '(?<v>\\d+(?:\\.\\d+)?)', '(a+)(b)+']) assert.equal(hasNestedQuantifier(fine), false, fine);
  });
});
