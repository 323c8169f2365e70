import type { KeyValueStore, SecretStore } from '../../../src/auth/profiles';

// In-memory stand-ins for globalState and SecretStorage, for the auth tests.

export class MemoryState implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  /** Everything stored, as one text (for canary searches). */
  dump(): string {
    return JSON.stringify([...this.values]);
  }
}

export type SecretOperation = 'get' | 'store' | 'delete';

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  readonly calls: Array<{ op: SecretOperation; key: string }> = [];
  /** Operations that throw, like a locked or missing system keychain. */
  failing = new Set<SecretOperation>();

  private check(op: SecretOperation, key: string): void {
    this.calls.push({ op, key });
    if (this.failing.has(op)) throw new Error(`keychain ${op} failed (locked)`);
  }
  // Async, so a failure is a rejected promise like SecretStorage's.
  async get(key: string): Promise<string | undefined> {
    await Promise.resolve();
    this.check('get', key);
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    await Promise.resolve();
    this.check('store', key);
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    await Promise.resolve();
    this.check('delete', key);
    this.values.delete(key);
  }
  dump(): string {
    return JSON.stringify([...this.values]);
  }
}
