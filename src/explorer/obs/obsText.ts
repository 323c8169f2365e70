// The OBS view's ids and sizes. Ids are paths with the profile, every segment percent-encoded, so a refresh
// keeps expansion, two profiles never collide and no key can forge another row's id.

const seg = (value: string): string => encodeURIComponent(value);

export const obsNodeIds = {
  root: (profile: string): string => `${seg(profile)}/obs`,
  bucket: (profile: string, bucket: string): string => `${obsNodeIds.root(profile)}/${seg(bucket)}`,
  key: (profile: string, bucket: string, key: string): string => `${obsNodeIds.bucket(profile, bucket)}/${seg(key)}`,
};

const UNITS = ['KB', 'MB', 'GB', 'TB', 'PB'];

/** `512 B`, `1.5 KB`, `12 MB`, `1.2 GB` (1 KB = 1,024 bytes, as OBS Console shows sizes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${UNITS[unit] ?? ''}`;
}
