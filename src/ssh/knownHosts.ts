import { createHmac } from 'node:crypto';
import { readTextFile, writeFileAtomic } from './files';
import { knownHostsName, type SshAddress } from './uri';

// Forgetting a host's key in the extension's own known_hosts, after the notebook restarted with a new one.
// Rewritten here rather than with `ssh-keygen -R`, which not every Windows machine has; hashed entries
// (`|1|salt|hash`, written when HashKnownHosts is on, as in Debian's /etc/ssh/ssh_config) are matched too.

function matchesHashed(pattern: string, name: string): boolean {
  const m = /^\|1\|([^|]+)\|([^|]+)$/.exec(pattern);
  if (!m) return false;
  const digest = createHmac('sha1', Buffer.from(m[1], 'base64')).update(name).digest('base64');
  return digest === m[2];
}

/** Whether a known_hosts line is a plain entry (no @marker) for `name`. */
export function knownHostsLineMatches(line: string, name: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('@')) return false;
  const hosts = trimmed.split(/\s+/, 1)[0];
  return hosts.split(',').some((pattern) => pattern === name || matchesHashed(pattern, name));
}

/** Removes the host's keys from `file`; returns how many lines went. The rest of the file is kept as it was. */
export async function forgetHostKey(file: string, address: Pick<SshAddress, 'host' | 'port'>): Promise<number> {
  const text = await readTextFile(file);
  if (text === undefined) return 0;
  const name = knownHostsName(address);
  const lines = text.split('\n');
  const kept = lines.filter((line) => !knownHostsLineMatches(line.replace(/\r$/, ''), name));
  const removed = lines.length - kept.length;
  if (removed > 0) await writeFileAtomic(file, kept.join('\n'));
  return removed;
}
