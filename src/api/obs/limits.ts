// OBS's documented limits, checked before any request so that bad input is named, not sent.

export const OBS_MIN_PART_BYTES = 100 * 1024;
export const OBS_MAX_PART_BYTES = 5 * 1024 ** 3;
export const OBS_MAX_PARTS = 10_000;
/** One PUT (or CopyObject) at most. */
export const OBS_MAX_PUT_BYTES = 5 * 1024 ** 3;
export const OBS_MAX_KEY_BYTES = 1024;
export const OBS_MAX_LIST_KEYS = 1000;
export const OBS_MAX_DELETE_KEYS = 1000;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why `name` cannot be a bucket name (3–63 of `a-z0-9-.`, …), or undefined when it can. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `A bucket name has 3 to 63 characters; "${name}" has ${name.length}.`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'A bucket name holds only lower-case letters, digits, hyphens (-) and periods (.).';
  if (!/^[a-z0-9]/.test(name)) return 'A bucket name starts with a letter or a digit.';
  if (/[.-]$/.test(name)) return 'A bucket name does not end with a hyphen or a period.';
  if (/\.\.|\.-|-\./.test(name)) return 'A bucket name has no "..", ".-" or "-." in it.';
  if (IPV4.test(name)) return 'A bucket name cannot look like an IP address.';
  return undefined;
}

/** Why `key` cannot be an object key (empty, or over 1,024 bytes of UTF-8), or undefined when it can. */
export function objectKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'An object key cannot be empty.';
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > OBS_MAX_KEY_BYTES) return `An object key has at most ${OBS_MAX_KEY_BYTES} bytes of UTF-8; this one has ${bytes}.`;
  return undefined;
}

/**
 * The part size for a file: the one asked for (within 100 KB–5 GB), grown when the file would need more than
 * 10,000 parts. Undefined when even 5 GB parts cannot hold it.
 */
export function partSizeFor(fileBytes: number, wanted: number): number | undefined {
  let size = Math.min(Math.max(wanted, OBS_MIN_PART_BYTES), OBS_MAX_PART_BYTES);
  if (Math.ceil(fileBytes / size) > OBS_MAX_PARTS) size = Math.ceil(fileBytes / OBS_MAX_PARTS);
  return size > OBS_MAX_PART_BYTES ? undefined : size;
}
