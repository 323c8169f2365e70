import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { forbiddenImports, importEdges, layerRules, namedPaths, repoRoot } from './helpers/architecture';

// docs/ARCHITECTURE.md and the README's Layout are a newcomer's map: every path they name exists, every
// folder of src/ is on them, and the arrows between layers are the ones the code has.

const ROOT = repoRoot();
const architecture = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const layout = readme.slice(readme.indexOf('\n## Layout'), readme.indexOf('\n## ', readme.indexOf('\n## Layout') + 1));
const srcFolders = readdirSync(join(ROOT, 'src')).filter((name) => statSync(join(ROOT, 'src', name)).isDirectory());

describe('the architecture document and the README layout', () => {
  it('name only paths that exist', () => {
    const architecturePaths = namedPaths(architecture);
    const layoutPaths = namedPaths(layout);
    assert.ok(architecturePaths.length >= 20 && layoutPaths.length >= 8, `${architecturePaths.length} and ${layoutPaths.length} paths named`);
    const missing = [...architecturePaths, ...layoutPaths].filter((path) => !existsSync(join(ROOT, path)));
    assert.deepEqual(missing, []);
  });

  it('a path that is gone is caught (the check can fail)', () => {
    const paths = namedPaths('The tree is in `src/explorer/`, the follow in `src/watch/nowhere.ts`; `npm test` is not a path.');
    assert.deepEqual(paths, ['src/explorer', 'src/watch/nowhere.ts']);
    assert.equal(existsSync(join(ROOT, paths[1])), false);
  });

  it('name every folder of src/', () => {
    assert.ok(srcFolders.length >= 6, srcFolders.join(', '));
    for (const folder of srcFolders) {
      assert.ok(namedPaths(architecture).some((path) => path === `src/${folder}` || path.startsWith(`src/${folder}/`)), `ARCHITECTURE.md names src/${folder}`);
      assert.ok(namedPaths(layout).some((path) => path === `src/${folder}` || path.startsWith(`src/${folder}/`)), `README Layout names src/${folder}`);
    }
  });
});

describe('the layers: which may import which', () => {
  const rules = layerRules(architecture);
  const edges = importEdges(ROOT);

  it('the table has a row for every layer of src/', () => {
    const layers = new Set(rules.map((rule) => rule.layer));
    for (const folder of srcFolders) assert.ok(layers.has(`src/${folder}`), `a row for src/${folder}`);
    assert.ok(layers.has('src/extension.ts'));
  });

  it('the code has no arrow the table does not allow', () => {
    assert.ok(edges.length > 50, `${edges.length} imports between layers read`);
    assert.deepEqual(forbiddenImports(edges, rules), []);
  });

  it('an arrow the table forbids is caught, and a types-only arrow is told apart', () => {
    const table = '| layer | may import |\n|---|---|\n| `src/api` | nothing |\n| `src/auth` | `src/api`, `src/emulator` (types) |\n';
    const parsed = layerRules(table);
    const problems = forbiddenImports(
      [
        { file: 'src/api/x.ts', from: 'src/api', to: 'src/explorer', typeOnly: false },
        { file: 'src/auth/demo.ts', from: 'src/auth', to: 'src/emulator', typeOnly: true },
        { file: 'src/auth/y.ts', from: 'src/auth', to: 'src/emulator', typeOnly: false },
      ],
      parsed,
    );
    assert.deepEqual(problems, ['src/api/x.ts imports src/explorer, which src/api may not', 'src/auth/y.ts imports src/emulator, which src/auth may not']);
  });
});
