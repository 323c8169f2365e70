import type * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type * as EmulatorBundle from '../emulator/main';
import type { EmulatorOptions } from '../emulator/main';
import { parseSshUri } from '../ssh/uri';

// Demo mode runs the emulator from its own bundle (dist/emulator.js), loaded only when the demo starts: the
// extension bundle never contains it, and activation never pays for it.

export type EmulatorModule = Pick<typeof EmulatorBundle, 'startEmulator'>;

/** Emulated seconds per real second: a notebook's 20 s start takes 2 s. */
export const DEMO_TIME_SCALE = 10;
export const DEMO_JOBS_ENV = 'MODELARTS_EXPLORER_DEMO_JOBS';
export const DEMO_AUTOSTART_ENV = 'MODELARTS_EXPLORER_DEMO';
/**
 * `[user@]host:port` of an sshd on this computer that the demo notebooks' SSH endpoints name, so "Connect via
 * SSH" can be tried for real; the user defaults to the one running VS Code (a local sshd logs in local users).
 */
export const DEMO_SSH_ENV = 'MODELARTS_EXPLORER_DEMO_SSH';
const MAX_DEMO_JOBS = 1_000_000;

export function emulatorBundlePath(extensionPath: string): string {
  return join(extensionPath, 'dist', 'emulator.js');
}

function isEmulatorModule(value: unknown): value is EmulatorModule {
  return typeof value === 'object' && value !== null && typeof (value as { startEmulator?: unknown }).startEmulator === 'function';
}

/** Loads the emulator bundle at run time; throws a readable error when it is missing or is not the emulator. */
export function loadEmulator(bundlePath: string, l10n: typeof vscode.l10n): EmulatorModule {
  if (!existsSync(bundlePath)) throw new Error(l10n.t('The demo emulator is missing from this installation: {0} was not found.', bundlePath));
  // A require created at run time and given a computed path: esbuild cannot follow it, so it stays out of
  // the extension bundle.
  const load = createRequire(__filename);
  let loaded: unknown;
  try {
    loaded = load(bundlePath);
  } catch (error) {
    throw new Error(l10n.t('The demo emulator could not be loaded from {0}: {1}', bundlePath, error instanceof Error ? error.message : String(error)));
  }
  if (!isEmulatorModule(loaded)) throw new Error(l10n.t('{0} does not provide the demo emulator (startEmulator is missing).', bundlePath));
  return loaded;
}

export interface DemoOptions {
  options: EmulatorOptions;
  /** Environment values that were ignored, with why: for the log. */
  problems: string[];
}

/**
 * Loopback on a free port, no admin route, the demo seed, a fast clock, `MODELARTS_EXPLORER_DEMO_JOBS` extra
 * jobs, and the SSH endpoint of `MODELARTS_EXPLORER_DEMO_SSH`.
 */
export function demoEmulatorOptions(env: NodeJS.ProcessEnv): DemoOptions {
  // No admin route: nothing but the extension's own client can change what the demo answers.
  const options: EmulatorOptions = { host: '127.0.0.1', port: 0, iamPort: 0, seed: 'demo', timeScale: DEMO_TIME_SCALE, admin: false };
  const problems: string[] = [];
  const raw = env[DEMO_JOBS_ENV]?.trim();
  if (raw) {
    const jobs = Number(raw);
    if (Number.isInteger(jobs) && jobs >= 0 && jobs <= MAX_DEMO_JOBS) options.jobs = jobs;
    else problems.push(`${DEMO_JOBS_ENV}=${raw} ignored: it must be a whole number from 0 to ${MAX_DEMO_JOBS}.`);
  }
  const ssh = env[DEMO_SSH_ENV]?.trim();
  if (ssh) {
    try {
      const { host, port, user } = parseSshUri(ssh);
      options.sshEndpoint = { host, port, user: user ?? userInfo().username };
    } catch (error) {
      problems.push(`${DEMO_SSH_ENV}=${ssh} ignored: ${error instanceof Error ? error.message : String(error)}; expected [user@]host:port.`);
    }
  }
  return { options, problems };
}

/** `MODELARTS_EXPLORER_DEMO=1` (as `npm run demo` sets it): start the demo once on activation. */
export function demoAutoStart(env: NodeJS.ProcessEnv): boolean {
  const value = env[DEMO_AUTOSTART_ENV]?.trim().toLowerCase();
  return value === '1' || value === 'true';
}
