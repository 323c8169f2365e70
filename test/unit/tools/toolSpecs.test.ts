import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TOOL_SPECS } from '../../../src/tools/toolSpecs';

// What agents see of the tools (package.json) is what the tools accept (src/tools/toolSpecs.ts), in English
// and Chinese, and every schema says exactly what it takes.

const root = join(__dirname, '..', '..', '..', '..');
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, name), 'utf8')) as Record<string, unknown>;
interface ManifestTool {
  name: string;
  toolReferenceName: string;
  displayName: string;
  userDescription: string;
  modelDescription: string;
  inputSchema: unknown;
}
const manifest = read('package.json') as { contributes: { languageModelTools: ManifestTool[] }; engines: { vscode: string } };
const en = read('package.nls.json');
const zh = read('package.nls.zh-cn.json');
const key = (ref: string): string => ref.replace(/^%|%$/g, '');

describe('language model tools: the manifest and the table', () => {
  it('contributes the ten tools of the table, in its order, with the same schemas and descriptions', () => {
    const tools = manifest.contributes.languageModelTools;
    assert.deepEqual(
      tools.map((t) => t.name),
      ['modelarts_list', 'modelarts_describe', 'modelarts_logTail', 'modelarts_events', 'modelarts_metrics', 'modelarts_startNotebook', 'modelarts_stopNotebook', 'modelarts_stopJob', 'modelarts_rerunExecution', 'modelarts_runFolder'],
    );
    TOOL_SPECS.forEach((spec, i) => {
      const tool = tools[i];
      assert.equal(tool.name, spec.name);
      assert.equal(tool.toolReferenceName, spec.referenceName);
      assert.equal(tool.displayName, spec.displayNameKey);
      assert.equal(tool.userDescription, spec.userDescriptionKey);
      assert.equal(tool.modelDescription, spec.modelDescription);
      assert.deepEqual(tool.inputSchema, spec.inputSchema, spec.name);
    });
  });

  it('names and describes each tool in English and Chinese', () => {
    for (const spec of TOOL_SPECS) {
      for (const ref of [spec.displayNameKey, spec.userDescriptionKey]) {
        assert.equal(typeof en[key(ref)], 'string', `${ref} in package.nls.json`);
        assert.equal(typeof zh[key(ref)], 'string', `${ref} in package.nls.zh-cn.json`);
        assert.match(zh[key(ref)] as string, /[\u4e00-\u9fff]/, `${ref} is Chinese`);
      }
    }
  });

  it('tells the model enough: what it does, and for tools that change or bill, that the user is asked', () => {
    for (const spec of TOOL_SPECS) {
      assert.ok(spec.modelDescription.length >= 80 && spec.modelDescription.length <= 600, `${spec.name}: ${spec.modelDescription.length} characters`);
      assert.equal(/always asked to confirm/.test(spec.modelDescription), spec.confirms, `${spec.name} says whether it asks`);
      assert.equal(/always asks first/.test(en[key(spec.userDescriptionKey)] as string), spec.confirms, `${spec.name}: the user's description says whether it asks`);
    }
  });

  it('schemas are closed, their required fields exist, every field is described and bounded', () => {
    for (const spec of TOOL_SPECS) {
      const { properties, required = [] } = spec.inputSchema;
      assert.equal(spec.inputSchema.additionalProperties, false, spec.name);
      for (const name of required) assert.ok(name in properties, `${spec.name}.${name} is required and defined`);
      for (const [name, property] of Object.entries(properties)) {
        assert.ok(property.description.length > 5, `${spec.name}.${name} is described`);
        if (property.type === 'string' && !property.enum) assert.ok(property.maxLength !== undefined, `${spec.name}.${name} has a length bound`);
        if (property.type === 'integer' || property.type === 'number') assert.ok(property.minimum !== undefined && property.maximum !== undefined, `${spec.name}.${name} has a range`);
      }
    }
  });

  it('needs VS Code 1.95, where the tools API is stable', () => {
    assert.equal(manifest.engines.vscode, '^1.95.0');
  });
});
