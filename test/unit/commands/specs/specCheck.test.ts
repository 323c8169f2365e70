// The spec checker shared by the Problems panel and Submit: each kind of problem in JSON and in YAML with the
// text it sits on, the template's placeholders, a valid spec without problems, the refusal Submit shows, and the
// checker agreeing with the contributed schema (it reads the schema itself; these tests fail when the schema
// uses a keyword, a pattern or a placeholder the checker has no words for, or when the two give different
// verdicts on the same spec).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatSpec, jobToSpec, templateSpec } from '../../../../src/commands/specs/spec';
import { ANNOTATION_KEYWORDS, CHECKED_KEYWORDS, checkSpec, checkSpecText, patternMessage, placeholderHint, refusalMessage, type JsonSchema } from '../../../../src/commands/specs/specCheck';
import { lineOf, parseSpecSource, type SpecFormat } from '../../../../src/commands/specs/specSource';
import { englishL10n as l10n } from '../../../../src/common/translate';
import { runConfigurationSpec, runnableSpec } from '../../helpers/specs';

const root = join(__dirname, '..', '..', '..', '..', '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(root, file), 'utf8'));
const schema = readJson('schemas/training-job-spec.schema.json') as JsonSchema;
const seed = (name: string): Record<string, unknown> => readJson(`test/fixtures/seeds/${name}`) as Record<string, unknown>;

interface Seen {
  code: string;
  /** The text the problem sits on. */
  on: string;
  line: number;
  message: string;
}

function problems(text: string, format: SpecFormat): Seen[] {
  return checkSpecText(text, format, schema, l10n).problems.map((p) => ({ code: p.code, on: text.slice(p.start, p.end), line: lineOf(text, p.start), message: p.message }));
}

const both = (spec: unknown): Array<[SpecFormat, string]> => [
  ['json', formatSpec(spec, 'json')],
  ['yaml', formatSpec(spec, 'yaml', 'Submit with "ModelArts: Submit Training Job".')],
];

describe('spec checker: problems and where they sit', () => {
  it('a valid spec has no problem, in JSON and in YAML (the seed manual bodies, the filled template, an exported job)', () => {
    const specs = [
      seed('training-job.create.request-free-flavor.json'),
      seed('training-job.create.request-custom-image.json'),
      runnableSpec('my-job'),
      jobToSpec(seed('training-job.get.200.json'), l10n),
    ];
    for (const spec of specs) {
      for (const [format, text] of both(spec)) {
        const result = checkSpecText(text, format, schema, l10n);
        assert.deepEqual(result.problems, [], `${format}: ${text}`);
        assert.deepEqual(result.value, spec);
      }
    }
  });

  it("the template's placeholders are errors on the placeholder itself, saying what to put there", () => {
    for (const [format, text] of both(templateSpec('my-job'))) {
      const seen = problems(text, format);
      assert.deepEqual(
        seen.map((p) => [p.code, p.on, p.message]),
        [
          ['placeholder', '<organization>', 'Replace the placeholder <organization> in algorithm.engine.image_url with your SWR organization.'],
          ['placeholder', '<image>', 'Replace the placeholder <image> in algorithm.engine.image_url with the name of your image.'],
          ['placeholder', '<tag>', 'Replace the placeholder <tag> in algorithm.engine.image_url with the image version, e.g. 1.0.'],
        ],
        format,
      );
      const imageLine = text.split('\n').findIndex((line) => line.includes('<organization>')) + 1;
      assert.ok(seen.every((p) => p.line === imageLine), format);
    }
    // Any other `<word>` is a placeholder too, except in a description (free text).
    const other: Record<string, unknown> = { ...runnableSpec('x'), metadata: { name: 'x', description: 'uses <b>bold</b>' } };
    (other.algorithm as { command: string }).command = 'python train.py --data <data-dir>';
    assert.deepEqual(
      checkSpec(other, schema, l10n).map((f) => f.message),
      ['Replace the placeholder <data-dir> in algorithm.command with your own value.'],
    );
  });

  it('unknown keys, in JSON and in YAML: on the key, with the key it resembles or the keys that fit', () => {
    const spec = runnableSpec('typo');
    (spec.spec as { resource: Record<string, unknown> }).resource.flavour_id = 'x';
    (spec.metadata as Record<string, unknown>).colour = 'red';
    spec.priority = 1;
    for (const [format, text] of both(spec)) {
      assert.deepEqual(
        problems(text, format).map((p) => [p.code, p.on.replace(/"/g, ''), p.message]),
        [
          ['unknown-key', 'colour', '"colour" is not a key of metadata, which takes: name, workspace_id, description, annotations, training_experiment_reference.'],
          ['unknown-key', 'flavour_id', '"flavour_id" is not a key of spec.resource. Did you mean "flavor_id"?'],
          ['unknown-key', 'priority', '"priority" is not a key of a training job spec, which takes: $schema, kind, metadata, algorithm, spec, endpoints, tasks, train_type, ftjob_config, code.'],
        ],
        format,
      );
    }
    // Open maps take any key.
    const open = runnableSpec('open');
    (open.algorithm as Record<string, unknown>).environments = { ANY_NAME: '1' };
    (open.metadata as Record<string, unknown>).annotations = { 'fault-tolerance/job-retry-num': '3' };
    assert.deepEqual(checkSpec(open, schema, l10n), []);
  });

  it('wrong types sit on the value and say what was found', () => {
    const yaml = ['kind: job', 'metadata:', '  name: typed', 'algorithm:', '  id: algo-1', '  parameters: { name: epochs }', 'spec:', '  resource:', '    flavor_id: modelarts.vm.cpu.8u', '    node_count: "2"', ''].join('\n');
    assert.deepEqual(problems(yaml, 'yaml'), [
      { code: 'type', on: '{ name: epochs }', line: 6, message: 'algorithm.parameters must be a list, not keys with values.' },
      { code: 'type', on: '"2"', line: 10, message: 'spec.resource.node_count must be a whole number, not "2".' },
    ]);
    const json = '{"kind": "job", "metadata": {"name": "typed"}, "algorithm": {"id": 7}, "spec": {"resource": {"flavor_id": "f", "node_count": 1.5}}}';
    assert.deepEqual(
      problems(json, 'json').map((p) => [p.on, p.message]),
      [
        ['7', 'algorithm.id must be text, not 7.'],
        ['1.5', 'spec.resource.node_count must be a whole number, not 1.5.'],
      ],
    );
    assert.deepEqual(problems('- a\n- b\n', 'yaml'), [{ code: 'type', on: '- a', line: 1, message: 'A training job spec must be keys with values, not a list.' }]);
  });

  it('missing required fields sit on the key of the object that lacks them', () => {
    const yaml = ['kind: job', 'metadata:', '  description: no name', 'algorithm:', '  code_dir: obs://b/code/', '  boot_file: obs://b/code/train.py', '  engine: {}', '  inputs:', '    - name: data', 'spec:', '  resource: { flavor_id: f }', ''].join('\n');
    assert.deepEqual(problems(yaml, 'yaml'), [
      { code: 'required', on: 'metadata', line: 2, message: 'metadata.name is required.' },
      { code: 'required', on: 'engine', line: 7, message: 'algorithm.engine needs one of: engine_id; engine_name + engine_version.' },
      { code: 'required', on: 'name: data', line: 9, message: 'algorithm.inputs[0].remote is required.' },
      { code: 'required', on: 'resource', line: 11, message: 'spec.resource.node_count is required.' },
    ]);
    const json = '{\n  "metadata": {"name": "n"},\n  "algorithm": {},\n  "spec": {"resource": {"node_count": 1}}\n}';
    assert.deepEqual(problems(json, 'json'), [
      { code: 'required', on: '{', line: 1, message: 'kind is required.' },
      { code: 'required', on: '"algorithm"', line: 3, message: 'algorithm needs one of: id; boot_file + engine; engine.image_url + command; boot_file + engine.image_url; subscription_id + item_version_id.' },
      { code: 'required', on: '"resource"', line: 4, message: 'spec.resource needs one of: flavor_id; pool_id.' },
    ]);
  });

  it('values outside their documented ranges: names, workspace ids, node counts, lengths, entries, enums', () => {
    const spec = runnableSpec('ok');
    const metadata = spec.metadata as Record<string, unknown>;
    metadata.name = 'has space';
    metadata.workspace_id = '1';
    metadata.description = 'd'.repeat(257);
    const algorithm = spec.algorithm as Record<string, unknown>;
    algorithm.environments = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, '1']));
    const body = spec.spec as Record<string, Record<string, unknown>>;
    body.resource.node_count = 0;
    body.schedule_policy = { priority: 4 };
    body.auto_stop = { time_unit: 'HOURS', duration: 0 };
    spec.kind = 'batch';
    for (const [format, text] of both(spec)) {
      assert.deepEqual(
        problems(text, format).map((p) => [p.code, p.message]),
        [
          ['value', 'kind must be one of job, federated_pool_job, edge_job, hetero_job, mrs_job, autosearch_job, diag_job, visualization_job.'],
          ['value', 'metadata.name must be 1 to 64 letters, digits, "_" or "-".'],
          ['value', 'metadata.description must be at most 256 characters long.'],
          ['value', 'metadata.workspace_id must be "0" or a 32-character workspace id.'],
          ['value', 'algorithm.environments may hold at most 100 entries.'],
          ['value', 'spec.resource.node_count must be a whole number of at least 1.'],
          ['value', 'spec.schedule_policy.priority must be one of 1, 2, 3.'],
          ['value', 'spec.auto_stop.duration must be a whole number of at least 1.'],
        ],
        format,
      );
    }
    const empty = problems('{"kind": "job", "metadata": {"name": ""}, "algorithm": {"id": "a"}, "spec": {"resource": {"flavor_id": "f", "node_count": 1}}}', 'json');
    assert.deepEqual(
      empty.map((p) => [p.on, p.message]),
      [['""', 'metadata.name must be 1 to 64 letters, digits, "_" or "-".']],
    );
  });

  it('JSON syntax errors sit where the text goes wrong, in words', () => {
    const cases: Array<[string, string, string]> = [
      ['{"kind": "job",}', '}', 'Remove the comma before "}".'],
      ['{"a": [1, 2,]}', ']', 'Remove the comma before "]".'],
      ['{"kind" "job"}', '"', 'Expected ":" after the key.'],
      ['{"kind": "job" "x": 1}', '"', 'Expected "," or "}".'],
      ['{kind: "job"}', 'k', 'Expected a key in double quotes.'],
      ['{"kind": "job', '"', 'This text has no closing double quote.'],
      ['{"kind": job}', 'j', 'Expected a value: an object, a list, text in double quotes, a number, true, false or null.'],
      ['{"kind": "job"} x', 'x', 'Unexpected text after the end of the spec.'],
      ['{"a": "\\q"}', '\\', 'Unknown escape after a backslash: write \\\\ for a backslash.'],
      ['{"kind": ', '', 'The text ends where a value is expected.'],
      ['{"kind": "job", "kind": "edge_job"}', '"kind"', 'The key "kind" appears twice here: keep one.'],
      ['  ', '  ', 'The spec is empty.'],
    ];
    for (const [text, on, message] of cases) assert.deepEqual(problems(text, 'json'), [{ code: 'syntax', on, line: 1, message }], text);
    const multi = problems('{\n  "kind": "job",\n  "metadata": }', 'json');
    assert.deepEqual(
      multi.map((p) => [p.line, p.on]),
      [[3, '}']],
    );
  });

  it("YAML syntax errors sit where the yaml library places them, with its words after ours", () => {
    assert.deepEqual(
      problems('kind: job\nkind: edge_job\n', 'yaml').map((p) => [p.code, p.line, p.message]),
      [['syntax', 2, 'Not valid YAML: Map keys must be unique']],
    );
    const flow = problems('kind: job\nmetadata:\n  name: [a\n', 'yaml');
    assert.ok(flow.length >= 1 && flow.every((p) => p.code === 'syntax' && /^Not valid YAML: /.test(p.message)), JSON.stringify(flow));
    assert.ok((flow[0]?.line ?? 0) >= 3, 'at the unclosed list or after it');
    assert.ok(flow.every((p) => p.on.length <= 1), 'within the text');
    assert.deepEqual(
      problems('a: b: c\n', 'yaml').map((p) => [p.on, p.message]),
      [['b', 'Not valid YAML: Nested mappings are not allowed in compact mappings']],
    );
  });

  it('the JSON scanner agrees with JSON.parse on valid and invalid texts', () => {
    const texts = ['{}', '[]', '{"a":[1,2,{"b":null}]}', '"x\\"y"', '-1.5e3', '{"a":}', '[1,]', '{"a":1} x', '01', '{"a" 1}', '"\u0001"', '"\\u00e9"', '"\\u00g9"', '{"a":1,}', 'tru', '-', '{"a":{"b":[true,false]}}'];
    for (const text of texts) {
      let parsed: unknown;
      let valid = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        valid = false;
      }
      const result = parseSpecSource(text, 'json', l10n);
      assert.equal(result.problems.length === 0, valid, text);
      if (valid) assert.deepEqual(result.value, parsed, text);
    }
  });
});

describe('Submit: the refusal', () => {
  it('lists the first three problems with their lines, then how many more', () => {
    const spec = templateSpec('refused');
    (spec.metadata as Record<string, unknown>).colour = 'red';
    (spec.spec as { resource: Record<string, unknown> }).resource.node_count = 0;
    const text = formatSpec(spec, 'yaml', 'hint');
    const result = checkSpecText(text, 'yaml', schema, l10n);
    assert.equal(result.problems.length, 5);
    assert.equal(
      refusalMessage(result.problems, text, l10n),
      'Not submitted: the spec has 5 problem(s). Line 6: "colour" is not a key of metadata, which takes: name, workspace_id, description, annotations, training_experiment_reference. ' +
        'Line 9: Replace the placeholder <organization> in algorithm.engine.image_url with your SWR organization. ' +
        'Line 9: Replace the placeholder <image> in algorithm.engine.image_url with the name of your image. …and 2 more.',
    );
    const one = checkSpecText(formatSpec(runnableSpec('x'), 'json').replace('"kind"', '"knd"'), 'json', schema, l10n);
    assert.match(refusalMessage(one.problems, '', l10n), /^Not submitted: the spec has 2 problem\(s\)\. Line 1: kind is required\. Line 1: "knd" is not a key of a training job spec\. Did you mean "kind"\?$/);
  });
});

// ---------------------------------------------------------------- the checker and the schema agree

type SchemaNode = Record<string, unknown>;

/** Every subschema with its JSON pointer. */
function subschemas(node: SchemaNode, pointer = '#'): Array<[string, SchemaNode]> {
  const out: Array<[string, SchemaNode]> = [[pointer, node]];
  const each = (value: unknown, at: string): void => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push(...subschemas(value as SchemaNode, at));
  };
  for (const group of ['properties', 'definitions'] as const) {
    for (const [key, value] of Object.entries((node[group] as Record<string, unknown> | undefined) ?? {})) each(value, `${pointer}/${group}/${key}`);
  }
  each(node.items, `${pointer}/items`);
  each(node.additionalProperties, `${pointer}/additionalProperties`);
  ((node.anyOf as unknown[] | undefined) ?? []).forEach((value, i) => each(value, `${pointer}/anyOf/${i}`));
  return out;
}

function unknownKeywords(root: SchemaNode): string[] {
  const known = new Set([...CHECKED_KEYWORDS, ...ANNOTATION_KEYWORDS]);
  return subschemas(root).flatMap(([pointer, node]) => Object.keys(node).filter((key) => !known.has(key)).map((key) => `${pointer}: ${key}`));
}

// A second, independent reading of the schema: a tiny JSON Schema walker written for the test (the keywords
// the schema uses), to compare verdicts with the checker's on the same specs.
function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function oracle(s: SchemaNode, value: unknown, rootSchema: SchemaNode = s, path = '$'): string[] {
  if (typeof s.$ref === 'string') return oracle((rootSchema.definitions as Record<string, SchemaNode>)[s.$ref.replace('#/definitions/', '')], value, rootSchema, path);
  const errors: string[] = [];
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeOk(value, t))) return [`${path}: type`];
  }
  if (Array.isArray(s.enum) && !s.enum.includes(value)) errors.push(`${path}: enum`);
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${path}: pattern`);
    if (typeof s.minLength === 'number' && value.length < s.minLength) errors.push(`${path}: minLength`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) errors.push(`${path}: maxLength`);
  }
  if (typeof value === 'number' && typeof s.minimum === 'number' && value < s.minimum) errors.push(`${path}: minimum`);
  if (typeof value === 'number' && typeof s.maximum === 'number' && value > s.maximum) errors.push(`${path}: maximum`);
  if (typeOk(value, 'object')) {
    const obj = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) if (!Object.hasOwn(obj, key)) errors.push(`${path}.${key}: required`);
    const props = (s.properties as Record<string, SchemaNode> | undefined) ?? {};
    for (const [key, v] of Object.entries(obj)) {
      if (Object.hasOwn(props, key)) errors.push(...oracle(props[key], v, rootSchema, `${path}.${key}`));
      else if (s.additionalProperties === false) errors.push(`${path}.${key}: additional`);
      else if (typeof s.additionalProperties === 'object') errors.push(...oracle(s.additionalProperties as SchemaNode, v, rootSchema, `${path}.${key}`));
    }
    if (typeof s.maxProperties === 'number' && Object.keys(obj).length > s.maxProperties) errors.push(`${path}: maxProperties`);
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...oracle(s.items as SchemaNode, v, rootSchema, `${path}[${i}]`)));
  if (Array.isArray(s.anyOf) && !(s.anyOf as SchemaNode[]).some((b) => oracle(b, value, rootSchema, path).length === 0)) errors.push(`${path}: anyOf`);
  return errors;
}

/** Specs that break one rule each: every closed object gets a stranger, every present field a wrong type. */
function mutations(base: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    const set = (replacement: (old: unknown) => unknown, label: string): void => {
      const copy = structuredClone(base);
      if (path.length === 0) return void out.push([label, replacement(copy)]);
      let parent: Record<string | number, unknown> = copy;
      for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
      const last = path[path.length - 1];
      parent[last] = replacement(parent[last]);
      out.push([label, copy]);
    };
    const where = path.join('.') || '(root)';
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      set((old) => ({ ...(old as object), zz_stranger: 1 }), `${where}: stranger`);
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    if (path.length > 0) {
      set(() => (typeof value === 'number' ? 'text' : 12.5), `${where}: wrong type`);
      if (typeof value === 'number') set(() => -1, `${where}: negative`);
      if (typeof value === 'string') set(() => '', `${where}: empty`);
    }
  };
  visit(base, []);
  return out;
}

describe('spec checker and schema agree', () => {
  it('the schema uses only keywords the checker enforces or that only annotate (a new keyword fails here)', () => {
    assert.deepEqual(unknownKeywords(schema as SchemaNode), []);
    const drifted = structuredClone(schema) as SchemaNode;
    ((drifted.properties as Record<string, SchemaNode>).algorithm.properties as Record<string, SchemaNode>).inputs.minItems = 1;
    assert.deepEqual(unknownKeywords(drifted), ['#/properties/algorithm/properties/inputs: minItems']);
  });

  it('every pattern of the schema is worded, and every placeholder of the template has a hint', () => {
    const patterns = subschemas(schema as SchemaNode).flatMap(([pointer, node]) => (typeof node.pattern === 'string' ? [[pointer, node.pattern] as const] : []));
    assert.ok(patterns.length >= 2, 'the schema has patterns');
    for (const [pointer, pattern] of patterns) assert.ok(patternMessage(pattern, 'x', l10n), `${pointer}: ${pattern} has no words`);
    assert.equal(patternMessage('^[a-z]+$', 'x', l10n), undefined, 'an unworded pattern is seen (positive control)');
    const template = formatSpec(templateSpec('x'), 'json');
    const placeholders = [...template.matchAll(/<[A-Za-z][\w.-]*>/g)].map((m) => m[0]);
    assert.deepEqual(placeholders, ['<organization>', '<image>', '<tag>']);
    for (const placeholder of placeholders) assert.ok(placeholderHint(placeholder, l10n), placeholder);
    assert.equal(placeholderHint('<other>', l10n), undefined);
  });

  it('the checker and an independent reading of the schema give the same verdict on each mutated spec', () => {
    const bases = [
      runnableSpec('base'),
      seed('training-job.create.request-custom-image.json'),
      seed('training-job.create.request-free-flavor.json'),
      jobToSpec(seed('training-job.get.200.json'), l10n),
      runConfigurationSpec(),
    ];
    let count = 0;
    let refused = 0;
    for (const base of bases) {
      assert.deepEqual(oracle(schema as SchemaNode, base), []);
      assert.deepEqual(checkSpec(base, schema, l10n), []);
      for (const [label, spec] of mutations(base)) {
        const byOracle = oracle(schema as SchemaNode, spec);
        const byChecker = checkSpec(spec, schema, l10n);
        assert.equal(byChecker.length > 0, byOracle.length > 0, `${label}: oracle ${JSON.stringify(byOracle)}, checker ${JSON.stringify(byChecker.map((f) => f.message))}`);
        count++;
        if (byOracle.length > 0) refused++;
      }
    }
    // Both verdicts occur: a stranger in a closed object is refused, one in an open map is not.
    assert.ok(refused > 50 && refused < count, `${refused} of ${count} mutations refused`);
    console.log(`[figures] checker and schema agree on ${count} mutated specs (${refused} refused)`);
  });

  it('the checker follows the schema it is given: loosened, it lets a stranger through (positive control)', () => {
    const lax = structuredClone(schema) as SchemaNode;
    delete (lax as { additionalProperties?: unknown }).additionalProperties;
    const spec = { ...runnableSpec('x'), stranger: 1 };
    assert.deepEqual(oracle(schema as SchemaNode, spec), ['$.stranger: additional']);
    assert.deepEqual(checkSpec(spec, lax as JsonSchema, l10n), [], 'the lax schema lets it through');
    assert.equal(checkSpec(spec, schema, l10n).length, 1);
  });
});
