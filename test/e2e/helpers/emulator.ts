import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot, tools } from './tools';

// The emulator as a separate process (`node dist/emulator.js --json --port 0`), in its own process group.

export interface EmulatorInfo {
  endpoint: string;
  iamEndpoint: string;
  region: string;
  projectId: string;
  ak: string;
  sk: string;
  /** The admin route's per-run token (header `X-Admin-Token`). */
  adminToken: string;
}

export interface RunningEmulatorProcess {
  info: EmulatorInfo;
  /** Requests the emulator has recorded (its admin route, with the token from the `--json` line). */
  requests(): Promise<Array<{ service: string; method: string; path: string; status: number }>>;
  /** What the emulator has written to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(args: readonly string[] = [], timeoutMs = 30_000): Promise<RunningEmulatorProcess> {
  const lib = await tools();
  const bundle = join(projectRoot(), 'dist', 'emulator.js');
  const child = lib.spawnGroup(process.execPath, [bundle, '--json', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = (): Promise<void> => lib.stopGroup(child.pid);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    const info = await new Promise<EmulatorInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the emulator printed no JSON line in ${timeoutMs} ms`)), timeoutMs);
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        lines.close();
        try {
          resolve(JSON.parse(line) as EmulatorInfo);
        } catch {
          reject(new Error(`the emulator's first line is not JSON: ${line}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited (${code ?? 'signal'}) before it was ready: ${stderr}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    // Keep reading so a full pipe never blocks the emulator.
    child.stdout?.resume();
    const requests = async (): Promise<Array<{ service: string; method: string; path: string; status: number }>> => {
      const res = await fetch(`${info.endpoint}/__admin/requests`, { headers: { 'X-Admin-Token': info.adminToken } });
      if (!res.ok) throw new Error(`the emulator's admin route answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { requests: Array<{ service: string; method: string; path: string; status: number }> };
      return body.requests;
    };
    return { info, requests, stderr: () => stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
