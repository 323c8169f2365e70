// `npm run bench -- --vscode [--minutes N]`: builds the package and bench/vscode/main.ts, runs it in its own
// process (it starts code-server, Chromium and the emulator, and stops them), prints its figures as a markdown
// table and writes them under `vscode` in bench/results.json, the file's other keys kept as they are.
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, '..');
const root = join(benchDir, '..');
const buildDir = join(benchDir, '.build');
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** Runs the VS Code figures; resolves with the exit code for `npm run bench`. */
export async function runVscodeBench(argv) {
  const at = argv.indexOf('--minutes');
  const minutes = at >= 0 ? Number(argv[at + 1]) : 10;
  if (!Number.isFinite(minutes) || minutes <= 0) {
    log(`--minutes needs a positive number, got ${argv[at + 1]}`);
    return 2;
  }
  log('building the package (npm run package) and bench/vscode …');
  const pkg = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (pkg.status !== 0) {
    log(`npm run package exited ${pkg.status}: ${(pkg.stderr || pkg.stdout).slice(-2000)}`);
    return 1;
  }
  mkdirSync(buildDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(buildDir, 'vscode.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    logLevel: 'error',
    external: ['playwright-core'],
    absWorkingDir: root,
  });
  log(`VS Code figures: 3 fresh workbenches, a 10,000-job workspace, then ${minutes} min visible + ${minutes} min hidden + ${minutes} min without the extension (about ${Math.round(3 * minutes + 5)} min)`);
  // Node 20's WebSocket (the extension host's inspector) is behind a flag; later versions have it anyway.
  const major = Number(process.versions.node.split('.')[0]);
  const child = spawn(process.execPath, [...(major < 22 ? ['--experimental-websocket'] : []), join(buildDir, 'vscode.cjs'), '--minutes', String(minutes)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  const code = await new Promise((resolve) => child.once('exit', (c, signal) => resolve(c ?? signal)));
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) {
    log(`the VS Code bench ended (${code}) without a result: ${stdout.slice(-2000)}`);
    return 1;
  }
  const result = JSON.parse(line.slice('BENCH_RESULT '.length));

  const file = join(benchDir, 'results.json');
  const existing = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, `${JSON.stringify({ ...existing, vscode: result }, null, 2)}\n`);

  const cell = (s) => String(s).replaceAll('|', '\\|');
  process.stdout.write(
    [
      `ModelArts Explorer bench in VS Code (code-server ${result.codeServer}) — ${result.minutes}-minute sessions; ${result.date}`,
      '',
      '| Figure | Measured | Bar | Meets? |',
      '|---|---|---|---|',
      ...result.figures.map((f) => `| ${cell(f.figure)} | ${cell(f.measured)} | ${cell(f.bar)} | ${f.meets === null ? 'not measured' : f.meets ? 'yes' : 'NO'} |`),
      '',
      `Total ${result.wallSeconds} s. Details: bench/results.json (vscode)`,
      '',
    ].join('\n'),
  );
  return 0;
}
