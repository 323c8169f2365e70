import type { ObsReader } from '../framework';
import { isObject, stringAt } from '../familyKit';

// A created job's code in the emulator's OBS: with `algorithm.code_dir` (`/bucket/path/` or `obs://bucket/path/`)
// and `algorithm.boot_file` (absolute in either form, or relative to code_dir), the boot file must exist, or
// the job fails with a message naming it; when it does, the task log starts with its first lines.

/** How many lines of the boot file start the log. */
export const BOOT_FILE_LOG_LINES = 5;

export interface BootFileOutcome {
  /** The job's failure when the boot file is missing. */
  failure?: string;
  /** The boot file's first lines (newline-terminated) when it exists. */
  head?: string;
}

/** `obs://bucket/path` or `/bucket/path` → bucket and the rest; undefined for any other form. */
function obsLocation(text: string): { bucket: string; path: string } | undefined {
  const m = /^(?:obs:\/)?\/([^/]+)\/(.*)$/.exec(text);
  return m ? { bucket: m[1], path: m[2] } : undefined;
}

/** The message of a job whose boot file is missing. */
export function missingBootFileMessage(bucket: string, key: string): string {
  return `The boot file obs://${bucket}/${key} does not exist in OBS.`;
}

/** The boot-file check of a create request's algorithm; undefined when it does not apply. */
export function checkBootFile(algorithm: unknown, obs: ObsReader | undefined): BootFileOutcome | undefined {
  if (!obs || !isObject(algorithm)) return undefined;
  const codeDir = stringAt(algorithm, 'code_dir');
  const bootFile = stringAt(algorithm, 'boot_file');
  if (!codeDir || !bootFile) return undefined;
  const code = obsLocation(codeDir);
  if (!code) return undefined;
  const absolute = bootFile.startsWith('/') || bootFile.startsWith('obs://');
  const boot = absolute ? obsLocation(bootFile) : { bucket: code.bucket, path: `${code.path.replace(/\/?$/, '/')}${bootFile.replace(/^\.\//, '')}`.replace(/^\//, '') };
  if (!boot) return undefined;
  const head = obs.readHead(boot.bucket, boot.path, 8 * 1024);
  if (head === undefined) return { failure: missingBootFileMessage(boot.bucket, boot.path) };
  const lines = head.toString('utf8').replace(/\n$/, '').split('\n').slice(0, BOOT_FILE_LOG_LINES);
  return { head: lines.map((line) => `${line}\n`).join('') };
}
