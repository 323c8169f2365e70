import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

// Writes to the user's SSH files: whole-file replacement through a temporary file in the same folder (a
// crash leaves the old file or the new one, never half of each), the previous content kept next to it, the
// file's mode kept, and a symlinked config (dotfile managers) written through to its target.

export const BACKUP_SUFFIX = '.modelarts-backup';

export interface WriteResult {
  /** False when the file already had this content (nothing was written). */
  written: boolean;
  /** The copy of the previous content, when there was one. */
  backup?: string;
}

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}

/** The file's text, or undefined when it does not exist. */
export async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The file a path names, following symlinks; the path itself when nothing exists there yet. */
async function target(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return path;
    throw error;
  }
}

/**
 * Replaces `path` with `content` atomically. An existing file is first copied to `<file>.modelarts-backup`
 * and keeps its mode; a new one gets `mode` (0600: ssh refuses configs others may write) in a folder created
 * 0700 when missing. `check` sees the complete candidate (a temporary file next to the target, with its final
 * mode) before anything else is written: when it throws, the candidate is removed and nothing changes.
 */
export async function writeFileAtomic<C = undefined>(
  path: string,
  content: string,
  options: { mode?: number; backup?: boolean; check?: (candidate: string) => Promise<C> } = {},
): Promise<WriteResult & { checked?: C }> {
  const file = await target(path);
  const current = await readTextFile(file);
  if (current === content) return { written: false };
  await fs.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const mode = current === undefined ? (options.mode ?? 0o600) : (await fs.stat(file)).mode & 0o777;
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let backup: string | undefined;
  let checked: C | undefined;
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The umask may have narrowed the mode at creation.
    await fs.chmod(temp, mode);
    if (options.check) checked = await options.check(temp);
    if (current !== undefined && options.backup !== false) {
      backup = `${file}${BACKUP_SUFFIX}`;
      await fs.writeFile(backup, current, { mode });
      await fs.chmod(backup, mode);
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { written: true, ...(backup === undefined ? {} : { backup }), ...(options.check ? { checked } : {}) };
}
