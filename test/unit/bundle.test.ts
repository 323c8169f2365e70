import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The extension bundle stays lean: the emulator, the spec checker and the YAML library live in bundles of
// their own, loaded only when the demo starts or a spec is checked. (`npm test` builds dist/ before the unit
// tests.)

const dist = join(__dirname, '..', '..', '..', 'dist');
const read = (name: string): string => {
  const file = join(dist, name);
  assert.ok(existsSync(file), `${file} is missing: run npm run build first`);
  return readFileSync(file, 'utf8');
};

describe('bundles', () => {
  it('keeps the emulator and the YAML library out of dist/extension.js', () => {
    const extension = read('extension.js');
    const emulator = read('emulator.js');
    const yaml = read('yaml.js');
    // Positive controls: each marker is in its own bundle.
    assert.ok(emulator.includes('verify aksk signature fail'));
    assert.ok(yaml.includes('Implicit map keys need to be followed by map values'));
    assert.ok(!extension.includes('verify aksk signature fail'), 'no emulator code in the extension bundle');
    assert.ok(!extension.includes('Implicit map keys need to be followed by map values'), 'no YAML library in the extension bundle');
  });

  it('keeps the spec checker in dist/specCheck.js, and the YAML library out of it', () => {
    const extension = read('extension.js');
    const checker = read('specCheck.js');
    assert.ok(checker.includes('Remove the comma before'), 'the checker is in its own bundle');
    assert.ok(!extension.includes('Remove the comma before'), 'no checker in the extension bundle');
    assert.ok(!checker.includes('Implicit map keys need to be followed by map values'), 'the checker loads the YAML library on demand');
  });

  it('keeps Connect via SSH in dist/sshFeature.js, without copies of the tree or the notebook commands', () => {
    const extension = read('extension.js');
    const ssh = read('sshFeature.js');
    assert.ok(ssh.includes('Forget Old Key'), 'the SSH feature is in its own bundle');
    assert.ok(!extension.includes('Forget Old Key'), 'no SSH feature in the extension bundle');
    // Its classes would be other classes than the extension's: rows and pickers stay in the extension bundle.
    assert.ok(extension.includes('Connect to which notebook?'), 'the notebook pick is in the extension bundle');
    assert.ok(!ssh.includes('Connect to which notebook?'), 'no pick (and so no tree row class) in the SSH bundle');
  });

  it('keeps the OBS view, Run on ModelArts and the dashboard in dist/dailyLoop.js; the extension bundle holds only their shells', () => {
    const extension = read('extension.js');
    const obs = read('dailyLoop.js');
    for (const marker of ['Pick the two training jobs whose specs to compare', 'Pick 2 to 4 training jobs to compare', 'Edit Run Configuration']) {
      assert.ok(obs.includes(marker), `${marker} is in the feature bundle`);
      assert.ok(!extension.includes(marker), `${marker} is not in the extension bundle`);
    }
    assert.ok(obs.includes('Delete {0} objects under {1}? This cannot be undone.'), 'the OBS commands are in their own bundle');
    assert.ok(obs.includes('filter: {0}*'), 'the OBS tree is in its own bundle');
    assert.ok(!extension.includes('Delete {0} objects under {1}? This cannot be undone.'), 'no OBS command in the extension bundle');
    assert.ok(!extension.includes('filter: {0}*'), 'no OBS tree in the extension bundle');
    // The job row is the extension bundle's class: the job is picked there, the feature gets plain data.
    assert.ok(extension.includes('Open the outputs of which training job?'));
    assert.ok(!obs.includes('Connect to which notebook?') && !obs.includes('Workspace of the training job'), 'no copy of the explorer\'s pickers in the OBS bundle');
  });

  it('activation loads neither the checker nor the YAML library; the first spec document does (a JSON one, the checker only)', () => {
    const activate = (format: 'json' | 'yaml'): { atActivation: string[]; afterFirstSpec: string[]; messages: string[] } => {
      const run = spawnSync(process.execPath, ['-e', ACTIVATE_WITH_SPEC, join(dist, '..'), format], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(run.status, 0, `${run.stderr}${run.error ? String(run.error) : ''}`);
      return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { atActivation: string[]; afterFirstSpec: string[]; messages: string[] };
    };
    const yaml = activate('yaml');
    assert.deepEqual(yaml.atActivation, ['extension.js']);
    assert.deepEqual(yaml.afterFirstSpec, ['extension.js', 'specCheck.js', 'yaml.js']);
    assert.deepEqual(yaml.messages, ['algorithm is required.', 'spec is required.']);
    const json = activate('json');
    assert.deepEqual(json.atActivation, ['extension.js']);
    assert.deepEqual(json.afterFirstSpec, ['extension.js', 'specCheck.js']);
    assert.deepEqual(json.messages, ['algorithm is required.', 'spec is required.']);
  });

  it('reports the extension bundle size', () => {
    const bytes = statSync(join(dist, 'extension.js')).size;
    assert.ok(bytes > 10_000, 'the bundle holds the extension');
    console.log(`dist/extension.js: ${(bytes / 1024).toFixed(1)} KB`);
  });
});

/**
 * A fresh process: dist/extension.js activated with the bench's `vscode` stand-in and one spec document open
 * (argv: project root, json|yaml); prints which dist/ files were loaded at activation and once the spec's
 * problems were published.
 */
const ACTIVATE_WITH_SPEC = `
const Module = require('node:module');
const { join } = require('node:path');
const { readFileSync } = require('node:fs');
const [root, format] = process.argv.slice(1);
const standInFile = join(root, 'bench', 'vscodeStandIn.cjs');
const standIn = require(standInFile);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? standInFile : resolve.call(this, request, ...rest);
};
const text = format === 'json' ? '{"kind": "job", "metadata": {"name": "x"}}' : 'kind: job\\nmetadata:\\n  name: x\\n';
const file = '/w/a.modelarts-job.' + format;
standIn.workspace.textDocuments = [{ uri: { scheme: 'file', path: file, toString: () => 'file://' + file }, fileName: file, languageId: format, isClosed: false, getText: () => text, positionAt: (offset) => ({ offset }) }];
standIn.workspace.fs.readFile = async (uri) => readFileSync(uri.fsPath);
standIn.Range = class { constructor(start, end) { Object.assign(this, { start, end }); } };
standIn.Diagnostic = class { constructor(range, message, severity) { Object.assign(this, { range, message, severity }); } };
let published;
const problems = new Promise((resolve) => (published = resolve));
standIn.languages.createDiagnosticCollection = () => ({ set: (_uri, diagnostics) => published(diagnostics), delete() {}, clear() {}, dispose() {} });
const distDir = join(root, 'dist');
const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(distDir)).map((f) => f.slice(distDir.length + 1)).sort();
const extension = require(join(distDir, 'extension.js'));
const context = standIn.makeContext(root);
Promise.resolve(extension.activate(context)).then(async () => {
  const atActivation = loaded();
  const diagnostics = await problems;
  process.stdout.write(JSON.stringify({ atActivation, afterFirstSpec: loaded(), messages: diagnostics.map((d) => d.message) }) + '\\n');
  for (const d of context.subscriptions) d?.dispose?.();
  await extension.deactivate?.();
  process.exit(0);
});
`;
