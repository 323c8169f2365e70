// What the SSH commands remember between runs, in globalState: the private key file chosen for each key pair
// (its path only, never its content), and the SSH configs whose Include line the user declined.

/** The part of vscode.Memento used here. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY_FILES = 'modelarts.ssh.keyFiles';
const DECLINED = 'modelarts.ssh.includeDeclined';

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
}
