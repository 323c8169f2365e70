import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_AUTOSTART_ENV } from '../../src/auth/demo';

// F5 in desktop VS Code (.vscode/launch.json and tasks.json). Desktop VS Code cannot run here, so what F5 relies
// on is checked instead: the files parse (JSON with comments), each launch's task exists, each task's npm script
// exists and runs, and the paths the launches name are where the build puts them.

const ROOT = join(__dirname, '..', '..', '..');

/** JSON with `//` and `/* *\/` comments and trailing commas, as VS Code reads its .vscode files. */
function parseJsonc(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

interface Launch {
  name: string;
  type: string;
  args: string[];
  env?: Record<string, string>;
  preLaunchTask?: string;
}
interface Task {
  label: string;
  type: string;
  script?: string;
}

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const launch = parseJsonc(read('.vscode/launch.json')) as { configurations: Launch[] };
const tasks = parseJsonc(read('.vscode/tasks.json')) as { tasks: Task[] };
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const resolvePath = (arg: string): string => arg.replace(/^--[a-zA-Z]+=/, '').replace('${workspaceFolder}', ROOT);

describe('F5 in desktop VS Code', () => {
  it('reads JSON with comments the way VS Code does (the checker itself)', () => {
    assert.deepEqual(parseJsonc('{\n // a comment\n "a": "http://x", /* b */ "c": [1, 2,], "d": "say \\"//\\"",\n}'), { a: 'http://x', c: [1, 2], d: 'say "//"' });
  });

  it('runs the extension with the demo, without it, and the extension-host tests, each after a task that exists', () => {
    const names = launch.configurations.map((c) => c.name);
    assert.deepEqual(names, ['Run the extension (demo)', 'Run the extension', 'Extension-host tests']);
    const labels = new Set(tasks.tasks.map((t) => t.label));
    for (const config of launch.configurations) {
      assert.equal(config.type, 'extensionHost', config.name);
      assert.ok(config.preLaunchTask && labels.has(config.preLaunchTask), `${config.name}: task ${config.preLaunchTask}`);
    }
    // The demo starts on activation through the variable the extension reads.
    assert.equal(launch.configurations[0].env?.[DEMO_AUTOSTART_ENV], '1');
  });

  it('names paths the build produces: the extension folder and its main bundle, the extension-host test index', () => {
    for (const config of launch.configurations) {
      const dev = config.args.find((a) => a.startsWith('--extensionDevelopmentPath='));
      assert.ok(dev, config.name);
      const main = (JSON.parse(readFileSync(join(resolvePath(dev), 'package.json'), 'utf8')) as { main: string }).main;
      assert.ok(existsSync(join(resolvePath(dev), main)), `${config.name}: ${main} (npm run build)`);
      const tests = config.args.find((a) => a.startsWith('--extensionTestsPath='));
      if (tests) assert.ok(existsSync(`${resolvePath(tests)}.js`), `${config.name}: ${tests} (npm run build:tests)`);
    }
  });

  it('each task is an npm script of package.json, and the tests half of "build with tests" runs', () => {
    for (const task of tasks.tasks) {
      assert.equal(task.type, 'npm', task.label);
      assert.ok(task.script && scripts[task.script], `${task.label}: npm script ${task.script}`);
    }
    const withTests = tasks.tasks.find((t) => t.label === 'build with tests');
    assert.match(scripts[withTests!.script!], /node esbuild\.mjs --tests/);
    // Into a folder of its own: dist/ and out/ belong to the running suite.
    const outdir = mkdtempSync(join(tmpdir(), 'modelarts-f5-'));
    try {
      const run = spawnSync(process.execPath, ['esbuild.mjs', '--tests', '--quiet', `--outdir=${outdir}`], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(existsSync(join(outdir, 'test', 'host', 'index.js')), 'the extension-host test index is built');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
