import { HostsFile, findInclude, withInclude, type HostBlock, type IncludeFound } from './config';
import { readTextFile, writeFileAtomic, type WriteResult } from './files';
import { forgetHostKey } from './knownHosts';
import { configPath, type SshPaths } from './paths';
import type { SshAddress } from './uri';

// The SSH files on disk: a notebook's block in the extension's hosts file, stale blocks removed, and the one
// Include line in the user's config. Writes are serialised, so two commands never interleave a file.

/** Only ma-user can log in to a notebook. */
export const NOTEBOOK_USER = 'ma-user';
/** Where a notebook keeps its files: the folder a Remote-SSH window opens. */
export const NOTEBOOK_WORK_DIR = '/home/ma-user/work';

export interface SshEnvironment {
  paths: SshPaths;
  home: string;
  platform: NodeJS.Platform;
}

export interface HostRequest {
  notebookId: string;
  notebookName: string;
  profile: string;
  address: Pick<SshAddress, 'host' | 'port'>;
  /**
   * The login user. Always NOTEBOOK_USER against ModelArts; the demo passes the user of its endpoint's
   * address instead, because its "notebook" is an sshd on this computer, which cannot log in a user that
   * does not exist here (and only root could serve another user).
   */
  user: string;
  keyFile: string;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `task` after every earlier one has settled. */
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** Writes (or rewrites) the notebook's block; returns its alias and whether the file changed. */
export function writeHost(env: SshEnvironment, req: HostRequest): Promise<WriteResult & { alias: string }> {
  return serial(async () => {
    const { hostsFile, knownHosts } = env.paths;
    const file = HostsFile.parse(await readTextFile(hostsFile));
    const alias = file.aliasFor(req.notebookId, req.profile, req.notebookName);
    file.upsert({
      notebookId: req.notebookId,
      profile: req.profile,
      alias,
      host: req.address.host,
      port: req.address.port,
      user: req.user,
      identityFile: configPath(req.keyFile, env.platform),
      knownHosts: configPath(knownHosts, env.platform),
    });
    return { alias, ...(await writeFileAtomic(hostsFile, file.toString())) };
  });
}

/** The blocks of the hosts file (none when it does not exist). */
export async function readHosts(hostsFile: string): Promise<HostBlock[]> {
  return HostsFile.parse(await readTextFile(hostsFile)).blocks();
}

/**
 * Removes the blocks of `profile`'s notebooks that no longer exist. `exists` is asked once per block (a
 * failed check keeps the block); blocks of other profiles are never judged, since this session cannot see them.
 */
export async function pruneHosts(hostsFile: string, profile: string, exists: (notebookId: string) => Promise<boolean>): Promise<HostBlock[]> {
  const candidates = (await readHosts(hostsFile)).filter((b) => b.profile === profile);
  const gone = new Set<string>();
  for (const block of candidates) {
    let present = true;
    try {
      present = await exists(block.notebookId);
    } catch {
      present = true;
    }
    if (!present) gone.add(block.notebookId);
  }
  if (gone.size === 0) return [];
  return serial(async () => {
    const file = HostsFile.parse(await readTextFile(hostsFile));
    const removed = file.remove((b) => b.profile === profile && gone.has(b.notebookId));
    if (removed.length > 0) await writeFileAtomic(hostsFile, file.toString());
    return removed;
  });
}

/**
 * Removes every block of `profile` and the host keys its addresses left in the extension's known_hosts (the
 * demo's, when it stops: its hosts are an sshd on this computer that is gone with it). Returns the aliases.
 */
export function removeProfileHosts(paths: Pick<SshPaths, 'hostsFile' | 'knownHosts'>, profile: string): Promise<string[]> {
  return serial(async () => {
    const text = await readTextFile(paths.hostsFile);
    if (text === undefined) return [];
    const file = HostsFile.parse(text);
    const removed = file.remove((b) => b.profile === profile);
    if (removed.length === 0) return [];
    await writeFileAtomic(paths.hostsFile, file.toString());
    for (const block of removed) if (block.address) await forgetHostKey(paths.knownHosts, block.address);
    return removed.map((b) => b.alias);
  });
}

const includeContext = (env: SshEnvironment): { platform: NodeJS.Platform; home: string; sshDir: string } => ({
  platform: env.platform,
  home: env.home,
  sshDir: env.paths.sshDir,
});

/** The user config's Include of the hosts file, if there is one. */
export async function findHostsInclude(env: SshEnvironment): Promise<IncludeFound | undefined> {
  return findInclude(await readTextFile(env.paths.userConfig), env.paths.hostsFile, includeContext(env));
}

/** Puts `Include <hosts file>` at the top of the user's config unless it is there already (anywhere). */
export function addHostsInclude(env: SshEnvironment): Promise<WriteResult & { added: boolean }> {
  return serial(async () => {
    const { userConfig, hostsFile } = env.paths;
    const text = await readTextFile(userConfig);
    if (findInclude(text, hostsFile, includeContext(env))) return { added: false, written: false };
    const result = await writeFileAtomic(userConfig, withInclude(text, configPath(hostsFile, env.platform)));
    return { added: true, ...result };
  });
}
