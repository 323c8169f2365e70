import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

// Where the SSH files live and which `ssh` runs, per platform. Linux is what the tests run on; Windows and macOS
// follow OpenSSH's documented locations (untested here: see the README).
//   Linux, macOS: ~/.ssh/config; ssh from PATH (macOS: /usr/bin/ssh, which ships with the system).
//   Windows: %USERPROFILE%\.ssh\config, which is what Windows' OpenSSH reads; ssh.exe from
//   %SystemRoot%\System32\OpenSSH (the optional Windows feature), else from PATH (Git for Windows).

export interface SshPaths {
  /** The folder of the user's SSH files (~/.ssh). */
  sshDir: string;
  /** The SSH config that ssh and Remote-SSH read: gets the one Include line. */
  userConfig: string;
  /** The extension's own file with one Host block per notebook. */
  hostsFile: string;
  /** The extension's own known_hosts, so a notebook's changing host key never touches the user's. */
  knownHosts: string;
}

export interface PathEnvironment {
  platform: NodeJS.Platform;
  /** The home folder (os.homedir()). */
  home: string;
  /** Remote-SSH's `remote.SSH.configFile`, when set: the Include goes there, since Remote-SSH reads only it. */
  configFile?: string;
  /** `modelarts.ssh.hostsFile`, when set: where the notebook hosts are written instead of ~/.ssh/modelarts_config. */
  hostsFile?: string;
}

export const HOSTS_FILE_NAME = 'modelarts_config';
export const KNOWN_HOSTS_FILE_NAME = 'modelarts_known_hosts';

function pathApi(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** `~` and `~/x` (also `~\x` on Windows) against the home folder; other paths unchanged. */
export function expandHome(path: string, home: string, platform: NodeJS.Platform): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || (platform === 'win32' && path.startsWith('~\\'))) return pathApi(platform).join(home, path.slice(2));
  return path;
}

export function sshPaths(env: PathEnvironment): SshPaths {
  const p = pathApi(env.platform);
  const sshDir = p.join(env.home, '.ssh');
  const configured = env.configFile?.trim();
  const userConfig = configured ? p.resolve(sshDir, expandHome(configured, env.home, env.platform)) : p.join(sshDir, 'config');
  const chosenHosts = env.hostsFile?.trim();
  const hostsFile = chosenHosts ? p.resolve(sshDir, expandHome(chosenHosts, env.home, env.platform)) : p.join(sshDir, HOSTS_FILE_NAME);
  return { sshDir, userConfig, hostsFile, knownHosts: p.join(sshDir, KNOWN_HOSTS_FILE_NAME) };
}

/**
 * A path as ssh_config takes it: absolute, with forward slashes on Windows (its OpenSSH reads both). Never
 * `~/…`: ssh expands `~` to the home folder of the account database, which is not always $HOME.
 */
export function configPath(path: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? path.replace(/\\/g, '/') : path;
}

export interface BinaryEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Remote-SSH's `remote.SSH.path`, when set: the same ssh Remote-SSH will run. */
  configured?: string;
  exists?: (path: string) => boolean;
}

/** The ssh program to run: the configured one, else the platform's usual place, else `ssh` from PATH. */
export function sshBinary(o: BinaryEnvironment): string {
  const exists = o.exists ?? existsSync;
  const configured = o.configured?.trim();
  if (configured) return configured;
  if (o.platform === 'win32') {
    const systemRoot = o.env.SystemRoot ?? o.env.SYSTEMROOT ?? 'C:\\Windows';
    const builtIn = win32.join(systemRoot, 'System32', 'OpenSSH', 'ssh.exe');
    return exists(builtIn) ? builtIn : 'ssh.exe';
  }
  if (o.platform === 'darwin' && exists('/usr/bin/ssh')) return '/usr/bin/ssh';
  return 'ssh';
}
