import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../api/clock';

// A lock across processes around read–change–rename of one SSH file: two VS Code windows (two extension hosts)
// each read the file, add their host and rename their version into place, and without it one window's hosts are
// lost. The lock is `<file>.modelarts-lock`, created exclusively (O_EXCL), naming its owner; it is removed
// after the change. A lock whose owner process is gone (same computer), or older than any change takes, is
// stale and taken over.

export const LOCK_SUFFIX = '.modelarts-lock';

export interface LockOptions {
  clock: Clock;
  /** How long to wait for a lock another process holds before giving up. */
  timeoutMs: number;
  /**
   * A lock older than this is stale whoever holds it (a hung process, a pid reused). A change takes far less:
   * two ssh -G checks at most, each stopped after 10 s.
   */
  staleMs: number;
}

const DEFAULTS = { timeoutMs: 40_000, staleMs: 30_000 } as const;
/** Between two tries: 20–60 ms, random so that two waiting processes do not keep colliding. */
const RETRY_MS = { min: 20, spread: 40 } as const;

/** What a lock file says about its owner. */
export interface LockOwner {
  pid: number;
  host: string;
  /** When it was taken (ms since the epoch). */
  at: number;
  /** Tells this process's own lock from a later one that took over a stale one. */
  token?: string;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner | undefined,
    /** How long it was allowed to wait. */
    readonly waitedMs: number,
  ) {
    super(
      `${lockFile} is held by ${owner ? `process ${owner.pid} on ${owner.host} since ${new Date(owner.at).toISOString()}` : 'another process'}; ` +
        `gave up after ${Math.round(waitedMs / 1000)} s (delete it if no other window is writing SSH files)`,
    );
    this.name = 'LockTimeoutError';
  }
}

const stats = { acquired: 0, waits: 0, staleRecovered: 0 };

/** What the locks of this process did: locks taken, tries that found another's lock, stale locks taken over. */
export function lockStats(): { acquired: number; waits: number; staleRecovered: number } {
  return { ...stats };
}

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.at !== 'number') return undefined;
    return { pid: o.pid, host: o.host, at: o.at, ...(typeof o.token === 'string' ? { token: o.token } : {}) };
  } catch {
    return undefined;
  }
}

interface Seen {
  text: string;
  owner?: LockOwner;
  mtimeMs: number;
}

/** The lock as it is now; undefined when it is gone. */
async function look(lock: string): Promise<Seen | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lock, 'utf8'), fs.stat(lock)]);
    return { text, owner: parseOwner(text), mtimeMs: stat.mtimeMs };
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return code(error) === 'EPERM';
  }
}

function stale(seen: Seen, o: LockOptions): boolean {
  // A lock file without a readable owner is one being written, or damaged: only its age tells.
  const since = seen.owner?.at ?? seen.mtimeMs;
  if (o.clock.now() - since > o.staleMs) return true;
  return seen.owner !== undefined && seen.owner.host === hostname() && !alive(seen.owner.pid);
}

/**
 * Removes the stale lock `seen`. It is renamed aside first, so that of two processes taking it over only one
 * does; should a fresh lock have replaced it in between, that one is put back.
 */
async function takeOver(lock: string, seen: Seen): Promise<boolean> {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await fs.rename(lock, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return false;
    throw error;
  }
  const moved = await fs.readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== seen.text) {
    // link, unlike rename, never replaces a lock a third process took meanwhile.
    await fs.link(aside, lock).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
  return moved === seen.text;
}

async function acquire(lock: string, o: LockOptions): Promise<string> {
  const token = randomBytes(8).toString('hex');
  const started = o.clock.now();
  let folderMade = false;
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), at: o.clock.now(), token } satisfies LockOwner));
      } finally {
        await handle.close();
      }
      stats.acquired++;
      return token;
    } catch (error) {
      if (code(error) === 'ENOENT' && !folderMade) {
        await fs.mkdir(dirname(lock), { recursive: true, mode: 0o700 });
        folderMade = true;
        continue;
      }
      if (code(error) !== 'EEXIST') throw error;
    }
    const seen = await look(lock);
    if (seen === undefined) continue;
    if (stale(seen, o)) {
      if (await takeOver(lock, seen)) stats.staleRecovered++;
      continue;
    }
    const waited = o.clock.now() - started;
    // The message names the time allowed: the last retry may wake a little after it, which is no news to the user.
    if (waited >= o.timeoutMs) throw new LockTimeoutError(lock, seen.owner, o.timeoutMs);
    stats.waits++;
    await o.clock.sleep(RETRY_MS.min + Math.random() * RETRY_MS.spread);
  }
}

/** Removes the lock if it is still this one (a stale lock taken over by another process is theirs now). */
async function release(lock: string, token: string): Promise<void> {
  const seen = await look(lock);
  if (seen?.owner?.token === token) await fs.rm(lock, { force: true });
}

/** Runs `task` holding the lock of `file` (created next to it); throws LockTimeoutError when it stays taken. */
export async function withFileLock<T>(file: string, task: () => Promise<T>, options: Partial<LockOptions> = {}): Promise<T> {
  const o: LockOptions = { clock: systemClock, ...DEFAULTS, ...options };
  const lock = `${file}${LOCK_SUFFIX}`;
  const token = await acquire(lock, o);
  try {
    return await task();
  } finally {
    // A lock left behind is taken over once stale; it must not hide the task's own outcome.
    await release(lock, token).catch(() => undefined);
  }
}
