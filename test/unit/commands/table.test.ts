import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND, INTERNAL_COMMANDS } from '../../../src/commands/ids';
import { ROW_COMMANDS } from '../../../src/explorer/nodes/node';
import { ROOT } from '../helpers/manifest';

// The command ids: one constant each, the same set as package.json's commands (plus the internal ones), named
// by the tree rows, the menus and the code that runs a command by id.

interface Manifest {
  contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string; when?: string }>> };
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const contributed = pkg.contributes.commands.map((c) => c.command);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('command ids', () => {
  it('the constants are package.json\'s commands and the internal ones, each once', () => {
    const ids = Object.values(COMMAND) as string[];
    assert.equal(new Set(ids).size, ids.length, 'no id under two names');
    assert.deepEqual([...ids].sort(), [...contributed, ...INTERNAL_COMMANDS].sort());
    for (const internal of INTERNAL_COMMANDS) assert.ok(!contributed.includes(internal), `${internal} has no palette entry`);
  });

  it('the tree rows run commands of the table', () => {
    const ids = new Set<string>(Object.values(COMMAND));
    for (const [row, id] of Object.entries(ROW_COMMANDS)) assert.ok(ids.has(id), `${row}: ${id}`);
  });

  it('every menu entry names a command of the table, and each view/item/context entry is keyed on a tree row', () => {
    const ids = new Set<string>(Object.values(COMMAND));
    let itemEntries = 0;
    for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
      for (const entry of entries) {
        assert.ok(ids.has(entry.command), `${menu}: ${entry.command}`);
        if (menu === 'view/item/context') {
          itemEntries++;
          assert.match(entry.when ?? '', /viewItem\s*(==|=~)/, `${entry.command}: shown on rows of a kind`);
        }
      }
    }
    assert.ok(itemEntries > 5, 'the rows have context menus');
  });

  it('commands and tree rows name command ids through the constants, not as literals', () => {
    const literal = /'modelarts\.[A-Za-z]+(\.[A-Za-z]+)*'/g;
    const known = new Set<string>(Object.values(COMMAND));
    const offenders: string[] = [];
    const files = [...sources(join(ROOT, 'src/commands')), ...sources(join(ROOT, 'src/explorer/nodes')), join(ROOT, 'src/extension.ts')].filter((f) => !f.endsWith('ids.ts'));
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(literal)) if (known.has(m[0].slice(1, -1))) offenders.push(`${file}: ${m[0]}`);
    }
    assert.deepEqual(offenders, []);
    // The check finds a literal where there is one: ids.ts itself holds them all.
    assert.equal([...readFileSync(join(ROOT, 'src/commands/ids.ts'), 'utf8').matchAll(literal)].filter((m) => known.has(m[0].slice(1, -1))).length, known.size);
  });
});
