// Every time the extension shows is the computer's local time, in one format: `2026-12-07 09:30`, with the
// zone where it matters (`2026-12-07 09:30 (UTC+08:00)` in tooltips). The service writes China time
// (+08:00) into its event strings and ISO times; those are converted here.

export interface TimeFormat {
  /** `09:30:05` rather than `09:30`. */
  seconds?: boolean;
  /** The time of day only. */
  timeOnly?: boolean;
  /** Ends with the zone: ` (UTC+08:00)`. */
  zone?: boolean;
  /** Minutes east of UTC; by default the computer's offset at that instant (so daylight saving is right). */
  offsetMinutes?: number;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The computer's offset from UTC at `ms`, in minutes east of UTC. */
export function localOffsetMinutes(ms: number): number {
  // `|| 0` turns the -0 of a UTC computer into 0.
  return -new Date(ms).getTimezoneOffset() || 0;
}

/** `UTC+08:00`, `UTC-03:30`, or `UTC`. */
export function zoneLabel(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const abs = Math.abs(offsetMinutes);
  return `UTC${offsetMinutes > 0 ? '+' : '-'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** `2026-12-07 09:30` in the computer's zone (see TimeFormat for seconds, the zone, or another offset). */
export function formatLocalTime(ms: number, format: TimeFormat = {}): string {
  const offset = format.offsetMinutes ?? localOffsetMinutes(ms);
  // Shifted by the offset, the UTC fields read as the local ones.
  const d = new Date(ms + offset * 60_000);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${format.seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
  const text = format.timeOnly ? time : `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${time}`;
  return format.zone ? `${text} (${zoneLabel(offset)})` : text;
}

/** A time as the API sent it (ms epoch, or an ISO string with an offset); undefined when there is none. */
export function formatServiceTime(value: number | string | undefined, format: TimeFormat = {}): string | undefined {
  if (value === undefined || value === '' || value === 0) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  // A string that does not parse is shown as it came; a number that makes no time is left out.
  if (!Number.isFinite(ms) || ms <= 0) return typeof value === 'string' ? value : undefined;
  return formatLocalTime(ms, format);
}

/** The offset of the times the service writes without one (workflow event strings): China time. */
export const SERVICE_OFFSET_MINUTES = 8 * 60;

const EVENT_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?=\s|$)/;

/**
 * A workflow event string (`2022-06-17 17:08:17 step x change status from init to creating`) with its
 * leading China-time stamp in local time; the rest of the line as the service wrote it. A line without a
 * stamp that makes sense is returned as it is.
 */
export function localEventLine(line: string, format: Pick<TimeFormat, 'offsetMinutes'> = {}): string {
  const m = EVENT_TIME.exec(line);
  if (!m) return line;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - SERVICE_OFFSET_MINUTES * 60_000;
  // Date.UTC rolls over what is out of range (month 13, 25 o'clock): such a stamp is kept as written.
  if (formatLocalTime(ms, { seconds: true, offsetMinutes: SERVICE_OFFSET_MINUTES }) !== m[0]) return line;
  return `${formatLocalTime(ms, { seconds: true, ...format })}${line.slice(m[0].length)}`;
}
