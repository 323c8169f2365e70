import { readFileSync, readdirSync } from 'node:fs';

// What the VS Code bench reads from the system and from code-server: /proc/<pid>/stat and status, the process
// tree under code-server, and the extension host's activation line. Parsers take text so tests feed samples.

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** User and system CPU time, in clock ticks (`getconf CLK_TCK`, 100 on Linux). */
  utime: number;
  stime: number;
}

/**
 * Parses `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may itself hold spaces and
 * parentheses, so the fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 100)}`);
  // After ")": state (field 3), ppid (4), …, utime (14), stime (15).
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isInteger(value)) throw new Error(`/proc/<pid>/stat field ${n} is not a number: ${text.slice(0, 200)}`);
    return value;
  };
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid: field(4), utime: field(14), stime: field(15) };
}

/** VmRSS of `/proc/<pid>/status`, in bytes. */
export function parseRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (!match) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]) * 1024;
}

export interface ProcessEntry {
  pid: number;
  ppid: number;
  cmdline: string;
}

/** Every process readable now, with its parent and command line (NULs as spaces). */
export function listProcesses(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid: stat.pid, ppid: stat.ppid, cmdline });
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return out;
}

/** The processes below `root` (children, grandchildren, …). */
export function descendants(all: readonly ProcessEntry[], root: number): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** The extension host among code-server's descendants: the one whose command line says `--type=extensionHost`. */
export function findExtensionHost(all: readonly ProcessEntry[], codeServerPid: number): ProcessEntry {
  const hosts = descendants(all, codeServerPid).filter((p) => /--type=extensionHost\b/.test(p.cmdline));
  if (hosts.length !== 1) {
    const seen = descendants(all, codeServerPid).map((p) => `${p.pid}: …${p.cmdline.slice(-160)}`);
    throw new Error(`expected one extension host under code-server (pid ${codeServerPid}), found ${hosts.length}; its processes: ${JSON.stringify(seen)}`);
  }
  return hosts[0];
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number, ticksPerSecond = 100): number {
  const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return (stat.utime + stat.stime) / ticksPerSecond;
}

export interface ActivationTime {
  ms: number;
  /** "Startup Activation" (activated by a startup event) rather than "Activation". */
  startup: boolean;
}

/**
 * The activation time "Developer: Show Running Extensions" shows for an extension, read from the text of its
 * row ("ModelArts Explorer 0.1.0 … Activation: 808ms", or "Startup Activation: 549ms"). VS Code computes it as
 * the code loading time plus the synchronous part of `activate()`. Undefined while the row shows none.
 */
export function parseActivationText(rowText: string): ActivationTime | undefined {
  const match = /(Startup )?Activation:\s*([\d.,]+)\s*ms/i.exec(rowText.replace(/\u00a0/g, ' '));
  if (!match) return undefined;
  const ms = Number(match[2].replace(/,/g, ''));
  return Number.isFinite(ms) ? { ms, startup: match[1] !== undefined } : undefined;
}

/** The inspector port on a process's command line (`--inspect=9339`, `--inspect-brk=127.0.0.1:9339`). */
export function inspectPortOf(cmdline: string): number | undefined {
  const match = /--inspect(?:-brk)?=(?:[^\s:]+:)?(\d+)/.exec(cmdline);
  return match ? Number(match[1]) : undefined;
}
