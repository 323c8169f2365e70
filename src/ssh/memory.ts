// What the SSH commands remember between runs, in globalState: the private key file chosen for each key pair
// (its path only, never its content), the SSH configs whose Include line the user declined, and which notebook
// each host alias connects to (read by the Remote-SSH window the connection opens, which shares globalState).

/** The part of vscode.Memento used here. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY_FILES = 'modelarts.ssh.keyFiles';
const DECLINED = 'modelarts.ssh.includeDeclined';
const REMOTES = 'modelarts.ssh.remotes';
/** The newest connections kept (older aliases are forgotten first). */
const MAX_REMOTES = 50;

export interface RemoteNotebook {
  notebookId: string;
  name: string;
  profile: string;
}

/**
 * The SSH host alias of a Remote-SSH window's authority: `ssh-remote+<alias>`, or the hex-encoded JSON form
 * (`ssh-remote+7b22686f73744e616d65223a…`, `{"hostName":"<alias>"}`) Remote-SSH uses for some hosts.
 */
export function remoteAlias(authority: string): string | undefined {
  const m = /^ssh-remote\+(.+)$/.exec(authority);
  if (!m) return undefined;
  const rest = decodeURIComponent(m[1]);
  if (/^7b([0-9a-f]{2})+$/i.test(rest)) {
    try {
      const host = (JSON.parse(Buffer.from(rest, 'hex').toString('utf8')) as { hostName?: unknown }).hostName;
      return typeof host === 'string' && host !== '' ? host : undefined;
    } catch {
      return undefined;
    }
  }
  return rest;
}

export class SshMemory {
  constructor(private readonly state: MementoLike) {}

  keyFile(keyPair: string): string | undefined {
    const files = this.state.get<Record<string, unknown>>(KEY_FILES) ?? {};
    const path = files[keyPair];
    return typeof path === 'string' && path !== '' ? path : undefined;
  }

  async rememberKeyFile(keyPair: string, path: string): Promise<void> {
    const files = { ...(this.state.get<Record<string, string>>(KEY_FILES) ?? {}), [keyPair]: path };
    await this.state.update(KEY_FILES, files);
  }

  includeDeclined(userConfig: string): boolean {
    return (this.state.get<string[]>(DECLINED) ?? []).includes(userConfig);
  }

  async setIncludeDeclined(userConfig: string, declined: boolean): Promise<void> {
    const others = (this.state.get<string[]>(DECLINED) ?? []).filter((p) => p !== userConfig);
    await this.state.update(DECLINED, declined ? [...others, userConfig] : others);
  }

  async rememberRemote(alias: string, notebook: RemoteNotebook): Promise<void> {
    const { [alias]: _old, ...others } = this.state.get<Record<string, RemoteNotebook>>(REMOTES) ?? {};
    const kept = Object.entries(others).slice(-(MAX_REMOTES - 1));
    await this.state.update(REMOTES, Object.fromEntries([...kept, [alias, notebook]]));
  }

  remote(alias: string): RemoteNotebook | undefined {
    const found = (this.state.get<Record<string, unknown>>(REMOTES) ?? {})[alias];
    if (typeof found !== 'object' || found === null) return undefined;
    const { notebookId, name, profile } = found as Partial<RemoteNotebook>;
    return typeof notebookId === 'string' && typeof name === 'string' && typeof profile === 'string' ? { notebookId, name, profile } : undefined;
  }

  async forgetRemotes(aliases: readonly string[]): Promise<void> {
    if (aliases.length === 0) return;
    const all = { ...(this.state.get<Record<string, RemoteNotebook>>(REMOTES) ?? {}) };
    for (const alias of aliases) delete all[alias];
    await this.state.update(REMOTES, all);
  }
}
