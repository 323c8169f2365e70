// What a code folder holds for Run on ModelArts: its files (relative POSIX paths, sizes, mtimes) after the
// ignore rules, and the ModelArts code folder limits checked before any request.

import type { Dirent } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { abortedError, formatMegabytes } from '../wire';
import { obsInputError } from './errors';
import { OBS_MAX_KEY_BYTES } from './limits';

/** ModelArts code folders: at most this many files and folders… */
export const CODE_FOLDER_MAX_ENTRIES = 1000;
/** …and this many bytes in all. */
export const CODE_FOLDER_MAX_BYTES = 5 * 1024 ** 3;
/** Above this a run still goes, with a warning: data belongs in OBS inputs, not in the code. */
export const CODE_FOLDER_RECOMMENDED_BYTES = 50 * 1024 ** 2;
/** A scan stops counting here: enough to say "more than", without walking a whole disk. */
export const DEFAULT_SCAN_CEILING = 20_000;

/** Never uploaded, wherever they are: git's own folder and the extension's run configuration. */
const ALWAYS_SKIPPED = new Set(['.git', '.modelarts']);
export const MODELARTS_IGNORE_FILE = '.modelartsignore';

export interface ScannedFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface FolderScan {
  /** The root, absolute. */
  root: string;
  /** Sorted by path. */
  files: ScannedFile[];
  /** Folders below the root that hold an uploaded file (OBS has no empty folders, so only these arrive). */
  folders: number;
  bytes: number;
  /** Symbolic links met: never followed, never uploaded. */
  links: string[];
  /** True when the walk stopped at the ceiling: there are more files than `files` holds. */
  truncated: boolean;
}

export interface ScanOptions {
  /** Files and folders counted before the walk stops (default 20,000). */
  ceiling?: number;
  /** More patterns in .gitignore syntax, relative to the root, applied with `.modelartsignore`'s. */
  exclude?: readonly string[];
  /** A folder above the root (the repository's, say) whose .gitignore files, and those between, apply too. */
  top?: string;
  signal?: AbortSignal;
}

/**
 * One ignore file's rules and where they sit: `base` is their folder below the root (`''` or `a/b/`), stripped
 * from a path; `above` the root's path below theirs (`src/` for a .gitignore one folder up), put before it.
 */
interface Rules {
  base: string;
  above?: string;
  matcher: Ignore;
}

async function readRules(file: string, base: string): Promise<Rules | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
  return { base, matcher: ignore().add(text) };
}

/** As git decides: the deepest file that says something about the path wins; within a file, its last rule. */
function isIgnored(stack: readonly Rules[], path: string, folder: boolean): boolean {
  let ignored = false;
  for (const rules of stack) {
    const verdict = rules.matcher.test((rules.above ?? '') + path.slice(rules.base.length) + (folder ? '/' : ''));
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

class FolderWalk {
  readonly files: ScannedFile[] = [];
  readonly links: string[] = [];
  readonly folders = new Set<string>();
  entries = 0;
  truncated = false;

  constructor(
    private readonly root: string,
    /** `.modelartsignore`: applied after every `.gitignore`, so it can also bring back what git ignores. */
    private readonly last: Rules | undefined,
    private readonly ceiling: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async folder(relativeDir: string, inherited: readonly Rules[]): Promise<void> {
    if (this.signal?.aborted) throw abortedError('folder scan', this.signal.reason);
    const dir = join(this.root, relativeDir);
    const own = await readRules(join(dir, '.gitignore'), relativeDir);
    const stack = own ? [...inherited, own] : inherited;
    const rules = this.last ? [...stack, this.last] : stack;
    const entries: Dirent[] = await fsp.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files: string[] = [];
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      const path = relativeDir + entry.name;
      if (entry.isSymbolicLink()) this.links.push(path);
      else if (entry.isDirectory()) {
        if (!isIgnored(rules, path, true)) subfolders.push(path);
      } else if (entry.isFile() && !isIgnored(rules, path, false)) files.push(path);
    }
    await this.addFiles(files);
    for (const sub of subfolders) {
      if (this.truncated) return;
      await this.folder(`${sub}/`, stack);
    }
  }

  private async addFiles(paths: readonly string[]): Promise<void> {
    const stats = await Promise.all(paths.map((path) => fsp.lstat(join(this.root, path))));
    for (const [index, path] of paths.entries()) {
      const newFolders = parentsOf(path).filter((folder) => !this.folders.has(folder));
      if (this.entries + 1 + newFolders.length > this.ceiling) {
        this.truncated = true;
        return;
      }
      for (const folder of newFolders) this.folders.add(folder);
      this.entries += 1 + newFolders.length;
      this.files.push({ path, size: stats[index].size, mtimeMs: stats[index].mtimeMs });
    }
  }
}

/** The .gitignore files from `top` down to the root's parent, outermost first, as git reads them. */
async function rulesAbove(root: string, top: string | undefined): Promise<Rules[]> {
  if (top === undefined) return [];
  const inside = relative(resolve(top), root);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return [];
  const parts = inside.split(sep);
  const stack: Rules[] = [];
  for (let depth = 0; depth < parts.length; depth++) {
    const folder = join(resolve(top), ...parts.slice(0, depth));
    const rules = await readRules(join(folder, '.gitignore'), '');
    if (rules) stack.push({ ...rules, above: `${parts.slice(depth).join('/')}/` });
  }
  return stack;
}

/** `a/b/c.py` → `a`, `a/b`. */
function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

/**
 * Every file under `root` that a run uploads: `.git` and `.modelarts` skipped, `.gitignore` files honoured where they
 * are (the root's and nested ones, as git does) and then the root's `.modelartsignore` and `exclude` (gitignore syntax). Symbolic
 * links are not followed (listed in `links`).
 */
export async function scanFolder(root: string, options: ScanOptions = {}): Promise<FolderScan> {
  const absolute = resolve(root);
  const own = await readRules(join(absolute, MODELARTS_IGNORE_FILE), '');
  const exclude = options.exclude?.filter((pattern) => pattern.trim() !== '') ?? [];
  const last = exclude.length > 0 ? { base: '', matcher: (own?.matcher ?? ignore()).add([...exclude]) } : own;
  const walk = new FolderWalk(absolute, last, options.ceiling ?? DEFAULT_SCAN_CEILING, options.signal);
  await walk.folder('', await rulesAbove(absolute, options.top));
  walk.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    root: absolute,
    files: walk.files,
    folders: walk.folders.size,
    bytes: walk.files.reduce((sum, file) => sum + file.size, 0),
    links: walk.links,
    truncated: walk.truncated,
  };
}

export type CodeFolderCode = 'TooManyEntries' | 'TooLarge' | 'LargerThanRecommended' | 'KeyTooLong' | 'BootFileOutside' | 'BootFileMissing' | 'BootFileIgnored';

/** A refusal (or, for `LargerThanRecommended`, a warning) with its figures, for the caller to say in its own words. */
export interface CodeFolderProblem {
  code: CodeFolderCode;
  /** English, with the figures. */
  message: string;
  found?: number;
  limit?: number;
  path?: string;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The size limits: too many files and folders, too many bytes, a key OBS cannot hold. */
export function codeFolderLimitProblems(scan: FolderScan, prefix = ''): CodeFolderProblem[] {
  const problems: CodeFolderProblem[] = [];
  const entries = scan.files.length + scan.folders;
  if (scan.truncated || entries > CODE_FOLDER_MAX_ENTRIES) {
    const found = scan.truncated ? `more than ${count(entries)}` : count(entries);
    problems.push({ code: 'TooManyEntries', found: entries, limit: CODE_FOLDER_MAX_ENTRIES, message: `The folder has ${found} files and folders to upload (${count(scan.files.length)} files, ${count(scan.folders)} folders); a ModelArts code folder holds at most ${count(CODE_FOLDER_MAX_ENTRIES)}. Exclude the rest in .gitignore or ${MODELARTS_IGNORE_FILE}.` });
  }
  if (scan.bytes > CODE_FOLDER_MAX_BYTES) {
    problems.push({ code: 'TooLarge', found: scan.bytes, limit: CODE_FOLDER_MAX_BYTES, message: `The folder has ${formatMegabytes(scan.bytes)} to upload; a ModelArts code folder holds at most ${formatMegabytes(CODE_FOLDER_MAX_BYTES)} (5 GB). Put data in OBS and pass it as an input.` });
  }
  const long = scan.files.find((file) => Buffer.byteLength(prefix + file.path, 'utf8') > OBS_MAX_KEY_BYTES);
  if (long) problems.push({ code: 'KeyTooLong', path: long.path, found: Buffer.byteLength(prefix + long.path, 'utf8'), limit: OBS_MAX_KEY_BYTES, message: `The path "${long.path}" makes an OBS key longer than ${count(OBS_MAX_KEY_BYTES)} bytes.` });
  return problems;
}

/** The warning for a folder above the recommended 50 MB, if it is. */
export function codeFolderWarnings(files: readonly ScannedFile[]): CodeFolderProblem[] {
  const bytes = files.reduce((sum, file) => sum + file.size, 0);
  if (bytes <= CODE_FOLDER_RECOMMENDED_BYTES) return [];
  return [{ code: 'LargerThanRecommended', found: bytes, limit: CODE_FOLDER_RECOMMENDED_BYTES, message: `The folder has ${formatMegabytes(bytes)} to upload; ModelArts recommends at most ${formatMegabytes(CODE_FOLDER_RECOMMENDED_BYTES)} of code. Put data in OBS and pass it as an input.` }];
}

/** The boot file (absolute, or relative to the root) as a path of the scan; a problem when it is outside, missing or ignored. */
export async function bootFileProblem(scan: FolderScan, bootFile: string): Promise<CodeFolderProblem | undefined> {
  const absolute = resolve(scan.root, bootFile);
  const inside = relative(scan.root, absolute);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return { code: 'BootFileOutside', path: bootFile, message: `The boot file ${bootFile} is not inside the folder ${scan.root}: only the folder is uploaded.` };
  }
  const path = inside.split(sep).join('/');
  if (scan.files.some((file) => file.path === path)) return undefined;
  const exists = await fsp.lstat(absolute).then(
    () => true,
    () => false,
  );
  if (!exists) return { code: 'BootFileMissing', path, message: `The boot file ${path} does not exist in the folder.` };
  if (scan.links.includes(path)) return { code: 'BootFileIgnored', path, message: `The boot file ${path} is a symbolic link, which is not uploaded.` };
  return { code: 'BootFileIgnored', path, message: `The boot file ${path} is excluded by .gitignore, ${MODELARTS_IGNORE_FILE} or a skipped folder, so it would not be uploaded.` };
}

/** Refuses a folder over the limits or a boot file that would not be uploaded; returns the warnings. */
export async function checkCodeFolder(scan: FolderScan, options: { bootFile?: string; prefix?: string } = {}): Promise<CodeFolderProblem[]> {
  const problems = codeFolderLimitProblems(scan, options.prefix);
  const boot = options.bootFile === undefined ? undefined : await bootFileProblem(scan, options.bootFile);
  if (boot) problems.push(boot);
  if (problems.length > 0) throw obsInputError(problems.map((problem) => problem.message).join(' '), problems[0].code);
  return codeFolderWarnings(scan.files);
}
