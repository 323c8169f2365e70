import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

// Typed access to scripts/lib/*.mjs, the helpers the e2e tests share with `npm run setup:e2e` and `npm run demo`
// (install paths, run folders, settings, starting and stopping code-server by process group).

export interface E2ePaths {
  cache: string;
  node24Root: string;
  node: string;
  csPrefix: string;
  csEntry: string;
  runs: string;
  chromium: string;
}

export interface RunFolder {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  config: string;
  log: string;
  env: Record<string, string>;
}

export interface RunningCodeServer {
  url: string;
  port: number;
  pid: number;
  run: RunFolder;
  logText(): string;
  /** Settles with how code-server ended (exit code or signal). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  env?: Record<string, string>;
  smokeTestDriver?: boolean;
  /** Keeps workspace trust on (no `--disable-workspace-trust`). */
  workspaceTrust?: boolean;
  /** More command-line arguments for code-server. */
  args?: string[];
  timeoutMs?: number;
}

interface PathsModule {
  PROJECT_ROOT: string;
  VSIX: string;
  EXTENSION_ID: string;
  CHROMIUM_ARGS: readonly string[];
  e2ePaths(cache?: string): E2ePaths;
}

interface CodeServerModule {
  pruneRunFolders(parent: string, maxAgeMs?: number): void;
  createRunFolder(parent: string, name: string, options?: { exact?: boolean }): RunFolder;
  writeUserSettings(run: RunFolder, extra: Record<string, unknown>): void;
  writeMachineSettings(run: RunFolder, settings: Record<string, unknown>): void;
  installExtension(paths: E2ePaths, run: RunFolder, vsix: string): string;
  startCodeServer(paths: E2ePaths, run: RunFolder, options?: StartOptions): Promise<RunningCodeServer>;
  spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
  stopGroup(pid: number | undefined, graceMs?: number): Promise<void>;
}

export interface Tools extends PathsModule, CodeServerModule {
  paths: E2ePaths;
}

/** The project root: the nearest folder above this file whose package.json is this extension's. */
export function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'modelarts-explorer') return dir;
    if (dirname(dir) === dir) throw new Error(`no modelarts-explorer package.json above ${from}`);
  }
}

let loaded: Promise<Tools> | undefined;

/** Loads scripts/lib once; fails with the setup command when code-server or Chromium is missing. */
export function tools(): Promise<Tools> {
  loaded ??= (async () => {
    const lib = (file: string): Promise<unknown> => import(pathToFileURL(join(projectRoot(), 'scripts', 'lib', file)).href);
    const pathsModule = (await lib('paths.mjs')) as PathsModule;
    const codeServer = (await lib('codeServer.mjs')) as CodeServerModule;
    const paths = pathsModule.e2ePaths();
    for (const [what, path] of [['code-server', paths.csEntry], ['Node 24', paths.node], ['Chromium', paths.chromium]] as const) {
      if (!existsSync(path)) throw new Error(`${what} is missing (${path}): run \`npm run setup:e2e\` first`);
    }
    codeServer.pruneRunFolders(paths.runs);
    return { ...pathsModule, ...codeServer, paths };
  })();
  return loaded;
}
