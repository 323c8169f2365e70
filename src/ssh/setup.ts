import { checkHostsCandidate, includeFindsHost, type CheckOutcome } from './check';
import { HostsFile, SshConfigError, configValue, findInclude, withInclude, type HostBlock, type IncludeFound } from './config';
import { readTextFile, writeFileAtomic, type WriteResult } from './files';
import { forgetHostKey } from './knownHosts';
import { withFileLock } from './lock';
import { configPath, sshBinary, type SshPaths } from './paths';
import type { SshAddress } from './uri';

// The SSH files on disk: a notebook's block in the extension's hosts file, stale blocks removed, and the one
// Include line in the user's config. Writes are serialised within this process and locked across processes
// (./lock.ts: two VS Code windows), so no change is lost; what is added is checked with `ssh -G` before it is
// renamed into place (./check.ts).

/** Only ma-user can log in to a notebook. */
export const NOTEBOOK_USER = 'ma-user';
/** Where a notebook keeps its files: the folder a Remote-SSH window opens. */
export const NOTEBOOK_WORK_DIR = '/home/ma-user/work';

export interface SshEnvironment {
  paths: SshPaths;
  home: string;
  platform: NodeJS.Platform;
  /** The ssh program that checks each file before it is written; by default the one sshBinary picks. */
  ssh?: string;
}

/** The outcome of a write: `checked` is false when no ssh program could check it (it was written anyway). */
export type Checked = { checked: boolean; unchecked?: string };

const sshOf = (env: SshEnvironment): string => env.ssh ?? sshBinary({ platform: env.platform, env: process.env });

const outcome = (check: CheckOutcome | undefined): Checked => (check === undefined || check.checked ? { checked: true } : { checked: false, unchecked: check.unchecked });

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

/**
 * Throws SshConfigError when a path this setup would write cannot go into an SSH config (the key file, the
 * extension's known_hosts, the hosts file in the Include line), before anything is written.
 */
export function assertWritable(env: SshEnvironment, keyFile: string): void {
  configValue(configPath(keyFile, env.platform), 'IdentityFile');
  configValue(configPath(env.paths.knownHosts, env.platform), 'UserKnownHostsFile');
  configValue(configPath(env.paths.hostsFile, env.platform), 'Include');
}

/** Writes (or rewrites) the notebook's block; returns its alias and whether the file changed. */
export function writeHost(env: SshEnvironment, req: HostRequest): Promise<WriteResult & Checked & { alias: string }> {
  const { hostsFile, knownHosts } = env.paths;
  return serial(() =>
    withFileLock(hostsFile, async () => {
      const file = HostsFile.parse(await readTextFile(hostsFile));
      const alias = file.aliasFor(req.notebookId, req.profile, req.notebookName);
      const entry = {
        notebookId: req.notebookId,
        profile: req.profile,
        alias,
        host: req.address.host,
        port: req.address.port,
        user: req.user,
        identityFile: configPath(req.keyFile, env.platform),
        knownHosts: configPath(knownHosts, env.platform),
      };
      file.upsert(entry);
      const result = await writeFileAtomic(hostsFile, file.toString(), {
        check: (candidate) => checkHostsCandidate(sshOf(env), candidate, hostsFile, entry, env.platform),
      });
      return { alias, written: result.written, ...(result.backup === undefined ? {} : { backup: result.backup }), ...outcome(result.checked) };
    }),
  );
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
  // Removing whole blocks of the extension's cannot make ssh read the rest differently: no ssh check.
  return serial(() =>
    withFileLock(hostsFile, async () => {
      const file = HostsFile.parse(await readTextFile(hostsFile));
      const removed = file.remove((b) => b.profile === profile && gone.has(b.notebookId));
      if (removed.length > 0) await writeFileAtomic(hostsFile, file.toString());
      return removed;
    }),
  );
}

/**
 * Removes every block of `profile` and the host keys its addresses left in the extension's known_hosts (the
 * demo's, when it stops: its hosts are an sshd on this computer that is gone with it). Returns the aliases.
 */
export function removeProfileHosts(paths: Pick<SshPaths, 'hostsFile' | 'knownHosts'>, profile: string): Promise<string[]> {
  return serial(() =>
    withFileLock(paths.hostsFile, async () => {
      const text = await readTextFile(paths.hostsFile);
      if (text === undefined) return [];
      const file = HostsFile.parse(text);
      const removed = file.remove((b) => b.profile === profile);
      if (removed.length === 0) return [];
      await writeFileAtomic(paths.hostsFile, file.toString());
      for (const block of removed) if (block.address) await forgetHostKey(paths.knownHosts, block.address);
      return removed.map((b) => b.alias);
    }),
  );
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

/**
 * Puts `Include "<hosts file>"` at the top of the user's config unless it is there already (anywhere). Before
 * it is renamed into place, ssh reads the candidate (`ssh -G -F <candidate> <alias>`): it must accept it and,
 * given the notebook's `alias`, find that host through the Include. A `%` in the path is first written as it
 * is, then as `%%` should the user's ssh expand tokens in Include.
 */
export function addHostsInclude(env: SshEnvironment, alias?: string): Promise<WriteResult & Checked & { added: boolean }> {
  const { userConfig, hostsFile } = env.paths;
  const includePath = configPath(hostsFile, env.platform);
  return serial(() =>
    withFileLock(userConfig, async () => {
      const text = await readTextFile(userConfig);
      if (findInclude(text, hostsFile, includeContext(env))) return { added: false, written: false, checked: true };
      const write = (escapePercent: boolean): ReturnType<typeof writeFileAtomic<CheckOutcome>> =>
        writeFileAtomic(userConfig, withInclude(text, includePath, escapePercent), {
          check: async (candidate) => {
            const found = await includeFindsHost(sshOf(env), candidate, userConfig, alias ?? 'modelarts-include-check');
            if (found.checked && alias !== undefined && !found.found) throw new SshConfigError({ kind: 'notIncluded', file: userConfig, alias });
            return found;
          },
        });
      let result: Awaited<ReturnType<typeof write>>;
      try {
        result = await write(false);
      } catch (error) {
        if (!(includePath.includes('%') && error instanceof SshConfigError && error.problem.kind === 'notIncluded')) throw error;
        result = await write(true);
      }
      return { added: true, written: result.written, ...(result.backup === undefined ? {} : { backup: result.backup }), ...outcome(result.checked) };
    }),
  );
}
