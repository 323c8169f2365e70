// Reads docs/ARCHITECTURE.md as data: the paths it names and its table of which layer may import which, and
// the imports the source really has, so a test can hold the document and the code to each other.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

const PATH_ROOTS = ['src', 'test', 'bench', 'scripts', 'docs', 'media', 'l10n', '.vscode', '.ci'];

/** Every repository path the markdown names in backticks (`src/api/http.ts`, `src/commands/`). */
export function namedPaths(markdown: string): string[] {
  const found = new Set<string>();
  for (const [, token] of markdown.matchAll(/`([^`\s]+)`/g)) {
    const path = token.replace(/\/$/, '');
    if (PATH_ROOTS.some((root) => path === root || path.startsWith(`${root}/`)) && !/[*{}<>…]/.test(path)) found.add(path);
  }
  return [...found].sort();
}

export interface LayerRule {
  layer: string;
  /** The layers it may import at run time. */
  imports: Set<string>;
  /** The layers it may import only with `import type` (erased from the bundle). */
  typeImports: Set<string>;
}

/** The rows of the "| layer | may import |" table: `src/api` | `src/common` (types), … or "nothing". */
export function layerRules(markdown: string): LayerRule[] {
  const rules: LayerRule[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !/^`src[/\w.]*`$/.test(cells[1])) continue;
    const rule: LayerRule = { layer: cells[1].slice(1, -1), imports: new Set(), typeImports: new Set() };
    for (const [, target, types] of cells[2].matchAll(/`(src[/\w.]*)`( \(types\))?/g)) (types ? rule.typeImports : rule.imports).add(target);
    rules.push(rule);
  }
  return rules;
}

export interface ImportEdge {
  file: string;
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The layer of a path under src/: its first folder (`src/api`), or the file itself at the top (`src/extension.ts`). */
export function layerOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : path.replace(/\.ts$/, '.ts');
}

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/** Every relative import between layers in the source under `root/src`. */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const path of tsFiles(join(root, 'src'))) {
    const file = relative(root, path).split('\\').join('/');
    const text = readFileSync(path, 'utf8');
    const pattern = /(import\s+type\s[^;]*?from\s*|import\s[^;]*?from\s*|export\s[^;]*?from\s*|import\(\s*)'(\.{1,2}\/[^']+)'/g;
    for (const [, head, spec] of text.matchAll(pattern)) {
      const target = posix.normalize(posix.join(posix.dirname(file), spec));
      const to = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
      const from = layerOf(file);
      if (from !== to) edges.push({ file, from, to, typeOnly: /^import\s+type\s/.test(head) });
    }
  }
  return edges;
}

/** The edges no rule allows, as readable lines. */
export function forbiddenImports(edges: readonly ImportEdge[], rules: readonly LayerRule[]): string[] {
  const byLayer = new Map(rules.map((rule) => [rule.layer, rule]));
  const problems: string[] = [];
  for (const edge of edges) {
    const rule = byLayer.get(edge.from);
    if (!rule) problems.push(`${edge.file}: layer ${edge.from} is not in the table`);
    else if (!rule.imports.has(edge.to) && !(edge.typeOnly && rule.typeImports.has(edge.to))) {
      problems.push(`${edge.file} imports ${edge.to}${edge.typeOnly ? ' (types)' : ''}, which ${edge.from} may not`);
    }
  }
  return [...new Set(problems)];
}

export const repoRoot = (): string => join(__dirname, '..', '..', '..', '..');
