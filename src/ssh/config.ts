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

/** The keywords whose values are paths the extension writes. */
export type ConfigKeyword = 'IdentityFile' | 'UserKnownHostsFile' | 'Include';

/** What makes a value impossible to write: ssh_config has no escape for a line break, and none for `${`. */
export type UnsafeCharacter = '"' | 'line break' | '${';

/** Why an SSH file was not written. src/ssh has no UI: the commands turn each kind into words. */
export type SshConfigProblem =
  /** A value that cannot be written safely; found before anything is written. */
  | { kind: 'unsafeValue'; keyword: ConfigKeyword; value: string; unsafe: UnsafeCharacter }
  /** `ssh -G` refused the file as it would be written; `reason` is ssh's line, naming the real file. */
  | { kind: 'rejected'; file: string; reason: string }
  /** ssh reads one of the values written differently from what was meant. */
  | { kind: 'misread'; file: string; keyword: string; expected: string; actual: string }
  /** Through the user's config as it would be written, ssh does not find the notebook's host. */
  | { kind: 'notIncluded'; file: string; alias: string };

function describeProblem(p: SshConfigProblem): string {
  switch (p.kind) {
    case 'unsafeValue':
      return `cannot write ${JSON.stringify(p.value)} into an SSH config as ${p.keyword}: it contains ${p.unsafe === 'line break' ? 'a line break' : p.unsafe}`;
    case 'rejected':
      return `ssh rejects ${p.file} as it would be written: ${p.reason}`;
    case 'misread':
      return `ssh would read ${p.keyword} in ${p.file} as ${p.actual}, not ${p.expected}`;
    case 'notIncluded':
      return `ssh does not find ${p.alias} through the Include line that would be added to ${p.file}`;
  }
}

export class SshConfigError extends Error {
  constructor(readonly problem: SshConfigProblem) {
    super(describeProblem(problem));
    this.name = 'SshConfigError';
  }
}

function unsafeCharacter(value: string): UnsafeCharacter | undefined {
  if (value.includes('"')) return '"';
  if (/[\r\n]/.test(value)) return 'line break';
  if (value.includes('${')) return '${';
  return undefined;
}

/**
 * A path as an ssh_config value: always double-quoted (an unquoted `'` makes OpenSSH refuse the whole file), a
 * backslash doubled (ssh reads `\\` as `\`), and `%` written `%%` where ssh expands %-tokens (IdentityFile,
 * UserKnownHostsFile). `escapePercent` for Include: OpenSSH 9.2 expands no tokens there, so by default a `%` stays
 * as it is (the ssh -G check before the Include is written tells which way the user's ssh reads it).
 * Throws SshConfigError for a value that cannot be written safely.
 */
export function configValue(value: string, keyword: ConfigKeyword, escapePercent = keyword !== 'Include'): string {
  const unsafe = unsafeCharacter(value);
  if (unsafe) throw new SshConfigError({ kind: 'unsafeValue', keyword, value, unsafe });
  const escaped = value.replace(/\\/g, '\\\\');
  return `"${escapePercent ? escaped.replace(/%/g, '%%') : escaped}"`;
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
    `  IdentityFile ${configValue(e.identityFile, 'IdentityFile')}`,
    '  IdentitiesOnly yes',
    // A host the server chose gets neither the user's agent nor their display, whatever their `Host *` says
    // (ssh keeps the first value it reads, and this file is included at the top of their config).
    '  ForwardAgent no',
    '  ForwardX11 no',
    // A notebook gets a new host key each time it restarts: its keys go to a known_hosts of the extension's
    // own, a new host's key is accepted once, and a changed one is refused (and can be forgotten).
    `  UserKnownHostsFile ${configValue(e.knownHosts, 'UserKnownHostsFile')}`,
    '  StrictHostKeyChecking accept-new',
    `  ServerAliveInterval ${KEEP_ALIVE.interval}`,
    `  ServerAliveCountMax ${KEEP_ALIVE.countMax}`,
    BLOCK_END,
  ];
}

/**
 * The notebook and profile of a begin marker; undefined when they do not decode (a hand edit such as
 * `notebook=50%-off`): such a block stays the user's own text.
 */
function parseMarker(line: string): { notebookId: string; profile: string } | undefined {
  const m = /notebook=(\S*) profile=(\S*)/.exec(line);
  if (!m) return undefined;
  try {
    return { notebookId: decodeURIComponent(m[1]), profile: decodeURIComponent(m[2]) };
  } catch {
    return undefined;
  }
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
      const marker = lines[i].startsWith(BLOCK_BEGIN) ? parseMarker(lines[i]) : undefined;
      const end = marker ? lines.findIndex((line, j) => j > i && line.trim() === BLOCK_END) : -1;
      if (!marker || end < 0) {
        plain.push(lines[i]);
        continue;
      }
      if (plain.length > 0) segments.push({ kind: 'text', lines: plain });
      plain = [];
      const body = lines.slice(i, end + 1);
      const alias = /^\s*Host\s+(\S+)/i.exec(body.find((line) => /^\s*Host\s/i.test(line)) ?? '')?.[1] ?? '';
      segments.push({ kind: 'block', lines: body, ...marker, alias });
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

  /**
   * `modelarts-<name>`, or with the start of its id when another notebook's block has that alias already, or a
   * Host line of the user's names it (ssh would take that host's values first).
   */
  aliasFor(notebookId: string, profile: string, notebookName: string): string {
    const taken = new Set(this.blocks().filter((b) => !(b.notebookId === notebookId && b.profile === profile)).map((b) => b.alias));
    for (const name of this.userHostNames()) taken.add(name);
    const base = aliasBase(notebookName);
    if (!taken.has(base)) return base;
    const suffixed = `${base}-${notebookId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8)}`;
    let alias = suffixed;
    for (let n = 2; taken.has(alias); n++) alias = `${suffixed}-${n}`;
    return alias;
  }

  /** The host names (not patterns) of the Host lines outside the extension's blocks, as ssh matches them. */
  private userHostNames(): string[] {
    return this.segments.flatMap((s) =>
      s.kind === 'text'
        ? s.lines.flatMap((line) => {
            const m = /^\s*Host(?:\s*=\s*|\s+)(.*)$/i.exec(line);
            return m ? configArgs(m[1]).filter((name) => !/[*?!]/.test(name)).map((name) => name.toLowerCase()) : [];
          })
        : [],
    );
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

/**
 * Splits an ssh_config argument list as OpenSSH does: whitespace separates, double or single quotes group, a
 * backslash escapes a quote, a backslash (or, unquoted, a space), and a `#` starting an argument ends the line.
 */
function configArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length || text[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < text.length; i++) {
      const c = text[i];
      const next = text[i + 1];
      if (c === '\\' && (next === '"' || next === "'" || next === '\\' || (quote === '' && next === ' '))) arg += text[++i];
      else if (quote === '' && (c === ' ' || c === '\t')) break;
      else if (quote === '' && (c === '"' || c === "'")) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else arg += c;
    }
    args.push(arg);
  }
  return args;
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
  /**
   * True when the Include applies to every host: no Host or Match line comes first, or the last one is `Host *`
   * or `Match all`. False when it then applies only within that block.
   */
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
    const args = configArgs(m[2]);
    if (keyword === 'host') beforeHosts = args.length === 1 && args[0] === '*';
    if (keyword === 'match') beforeHosts = args.length === 1 && args[0].toLowerCase() === 'all';
    // `%%`: written so for an ssh that expands tokens in Include (see configValue).
    if (keyword === 'include' && args.some((arg) => samePath(arg, hostsFile, ctx) || samePath(arg.replace(/%%/g, '%'), hostsFile, ctx))) return { line: i, beforeHosts };
  }
  return undefined;
}

/** The user's config with the Include line (and its comment) put first; nothing else changes. */
export function withInclude(text: string | undefined, includePath: string, escapePercent = false): string {
  const { lines, eol } = splitLines(text ?? '');
  const head = [INCLUDE_COMMENT, `Include ${configValue(includePath, 'Include', escapePercent)}`];
  return `${[...head, ...(lines.length > 0 ? ['', ...lines] : [])].join(eol)}${eol}`;
}
