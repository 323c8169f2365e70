import { posix, win32 } from 'node:path';
import { expandHome } from './paths';

// The text of the SSH config files: the extension's hosts file, one marked block per notebook, and the one
// `Include` line in the user's config. Pure functions of text; ./setup.ts reads and writes the files.

export const BLOCK_BEGIN = '# modelarts-explorer begin';
export const BLOCK_END = '# modelarts-explorer end';

/** Keep-alive of every block: an idle Remote-SSH window notices a notebook that stopped within about 2 minutes. */
export const KEEP_ALIVE = { interval: 30, countMax: 4 } as const;

export interface HostEntry {
  notebookId: string;
  /** The profile the notebook was read with: a stale block is only judged by its own profile. */
  profile: string;
  alias: string;
  host: string;
  port: number;
  user: string;
  /** As ssh_config takes it (see configPath). */
  identityFile: string;
  knownHosts: string;
}

export interface HostBlock {
  notebookId: string;
  profile: string;
  alias: string;
}

type Segment = { kind: 'text'; lines: string[] } | ({ kind: 'block'; lines: string[] } & HostBlock);

const HEADER = [
  '# SSH hosts of ModelArts notebooks, written by ModelArts Explorer. It rewrites the blocks between its',
  '# "modelarts-explorer begin" and "modelarts-explorer end" lines; lines outside them stay as they are.',
  '',
];

/** A value for ssh_config: quoted when it has spaces; refused when it cannot be written at all. */
export function configValue(value: string): string {
  if (/["\r\n]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} into an SSH config (it contains a quote or a line break)`);
  return /[\s#]/.test(value) ? `"${value}"` : value;
}

/** `modelarts-<name>`: lower case (ssh lowercases the host it is given), other characters as `-`. */
export function aliasBase(notebookName: string): string {
  const name = notebookName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `modelarts-${name || 'notebook'}`;
}

export function renderBlock(e: HostEntry): string[] {
  return [
    `${BLOCK_BEGIN} notebook=${encodeURIComponent(e.notebookId)} profile=${encodeURIComponent(e.profile)}`,
    `Host ${e.alias}`,
    `  HostName ${e.host}`,
    `  Port ${e.port}`,
    `  User ${e.user}`,
    `  IdentityFile ${configValue(e.identityFile)}`,
    '  IdentitiesOnly yes',
    // A notebook gets a new host key each time it restarts: its keys go to a known_hosts of the extension's
    // own, a new host's key is accepted once, and a changed one is refused (and can be forgotten).
    `  UserKnownHostsFile ${configValue(e.knownHosts)}`,
    '  StrictHostKeyChecking accept-new',
    `  ServerAliveInterval ${KEEP_ALIVE.interval}`,
    `  ServerAliveCountMax ${KEEP_ALIVE.countMax}`,
    BLOCK_END,
  ];
}

function splitLines(text: string): { lines: string[]; eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { lines, eol };
}

/** The extension's hosts file as text and blocks; everything outside its blocks is kept line for line. */
export class HostsFile {
  private constructor(
    private readonly segments: Segment[],
    private readonly eol: string,
  ) {}

  static parse(text: string | undefined): HostsFile {
    if (text === undefined || text === '') return new HostsFile([{ kind: 'text', lines: [...HEADER] }], '\n');
    const { lines, eol } = splitLines(text);
    const segments: Segment[] = [];
    let plain: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const begin = lines[i].startsWith(BLOCK_BEGIN) ? /notebook=(\S*) profile=(\S*)/.exec(lines[i]) : null;
      const end = begin ? lines.findIndex((line, j) => j > i && line.trim() === BLOCK_END) : -1;
      if (!begin || end < 0) {
        plain.push(lines[i]);
        continue;
      }
      if (plain.length > 0) segments.push({ kind: 'text', lines: plain });
      plain = [];
      const body = lines.slice(i, end + 1);
      const alias = /^\s*Host\s+(\S+)/i.exec(body.find((line) => /^\s*Host\s/i.test(line)) ?? '')?.[1] ?? '';
      segments.push({ kind: 'block', lines: body, notebookId: decodeURIComponent(begin[1]), profile: decodeURIComponent(begin[2]), alias });
      i = end;
    }
    if (plain.length > 0) segments.push({ kind: 'text', lines: plain });
    return new HostsFile(segments, eol);
  }

  blocks(): HostBlock[] {
    return this.segments.flatMap((s) => (s.kind === 'block' ? [{ notebookId: s.notebookId, profile: s.profile, alias: s.alias }] : []));
  }

  find(notebookId: string, profile: string): HostBlock | undefined {
    return this.blocks().find((b) => b.notebookId === notebookId && b.profile === profile);
  }

  /** `modelarts-<name>`, or with the start of its id when another notebook's block has that alias already. */
  aliasFor(notebookId: string, profile: string, notebookName: string): string {
    const taken = new Set(this.blocks().filter((b) => !(b.notebookId === notebookId && b.profile === profile)).map((b) => b.alias));
    const base = aliasBase(notebookName);
    if (!taken.has(base)) return base;
    const suffixed = `${base}-${notebookId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8)}`;
    let alias = suffixed;
    for (let n = 2; taken.has(alias); n++) alias = `${suffixed}-${n}`;
    return alias;
  }

  /** Replaces the notebook's block in place, or appends one. */
  upsert(entry: HostEntry): void {
    const lines = renderBlock(entry);
    const index = this.segments.findIndex((s) => s.kind === 'block' && s.notebookId === entry.notebookId && s.profile === entry.profile);
    const segment: Segment = { kind: 'block', lines, notebookId: entry.notebookId, profile: entry.profile, alias: entry.alias };
    if (index >= 0) {
      this.segments[index] = segment;
      return;
    }
    const last = this.segments[this.segments.length - 1];
    if (last && !(last.kind === 'text' && last.lines[last.lines.length - 1] === '')) this.segments.push({ kind: 'text', lines: [''] });
    this.segments.push(segment);
  }

  /** Drops the blocks `drop` picks (and the blank line before each); returns them, with the address each named. */
  remove(drop: (block: HostBlock) => boolean): Array<HostBlock & { address?: { host: string; port: number } }> {
    const removed: Array<HostBlock & { address?: { host: string; port: number } }> = [];
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i];
      if (s.kind !== 'block' || !drop(s)) continue;
      const value = (keyword: string): string | undefined => s.lines.map((line) => new RegExp(`^\\s*${keyword}\\s+(\\S+)`, 'i').exec(line)?.[1]).find((v) => v !== undefined);
      const host = value('HostName');
      const port = Number(value('Port') ?? 22);
      removed.unshift({ notebookId: s.notebookId, profile: s.profile, alias: s.alias, ...(host && Number.isInteger(port) ? { address: { host, port } } : {}) });
      this.segments.splice(i, 1);
      const before = this.segments[i - 1];
      if (before?.kind === 'text' && before.lines[before.lines.length - 1] === '') {
        before.lines.pop();
        if (before.lines.length === 0) this.segments.splice(i - 1, 1);
      }
    }
    return removed;
  }

  toString(): string {
    const lines = this.segments.flatMap((s) => s.lines);
    return lines.length === 0 ? '' : `${lines.join(this.eol)}${this.eol}`;
  }
}

// ---------------------------------------------------------------- the Include line

export interface IncludeContext {
  platform: NodeJS.Platform;
  home: string;
  /** Relative Include paths in a user config are taken from here (~/.ssh), as OpenSSH does. */
  sshDir: string;
}

export const INCLUDE_COMMENT = '# Added by ModelArts Explorer: the SSH hosts of your ModelArts notebooks (keep this above any Host block).';

/** Splits an ssh_config argument list: whitespace-separated, double quotes group. */
function configArgs(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

function samePath(a: string, b: string, ctx: IncludeContext): boolean {
  const p = ctx.platform === 'win32' ? win32 : posix;
  const full = (path: string): string => p.resolve(ctx.sshDir, expandHome(path, ctx.home, ctx.platform));
  const norm = (path: string): string => (ctx.platform === 'win32' ? full(path.replace(/\//g, '\\')).toLowerCase() : full(path));
  return norm(a) === norm(b);
}

export interface IncludeFound {
  /** 0-based line of the Include. */
  line: number;
  /** False when a Host or Match line comes first: the Include then applies only to that block. */
  beforeHosts: boolean;
}

/** The user's Include of `hostsFile`, if any. */
export function findInclude(text: string | undefined, hostsFile: string, ctx: IncludeContext): IncludeFound | undefined {
  if (text === undefined) return undefined;
  let beforeHosts = true;
  const { lines } = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\w+)(?:\s*=\s*|\s+)(.*)$/.exec(lines[i]);
    if (!m) continue;
    const keyword = m[1].toLowerCase();
    if (keyword === 'host' || keyword === 'match') beforeHosts = false;
    if (keyword === 'include' && configArgs(m[2]).some((arg) => samePath(arg, hostsFile, ctx))) return { line: i, beforeHosts };
  }
  return undefined;
}

/** The user's config with the Include line (and its comment) put first; nothing else changes. */
export function withInclude(text: string | undefined, includePath: string): string {
  const { lines, eol } = splitLines(text ?? '');
  const head = [INCLUDE_COMMENT, `Include ${configValue(includePath)}`];
  return `${[...head, ...(lines.length > 0 ? ['', ...lines] : [])].join(eol)}${eol}`;
}
