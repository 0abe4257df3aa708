import { UsageError } from './errors';

/**
 * Parsers for the values users type (CLI flags, HTTP query parameters). Each
 * throws a UsageError that names the parameter and shows an accepted form.
 */

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Bytes from `4096`, `4k`, `4K`, `10M`, `1G` (also `4KiB`, `4kb`). Units are
 * binary: k = 1024, M = 1024², G = 1024³ — the way `ls -lh` and `du -h` count.
 */
export function parseSize(text: string, param = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`${param} "${text}" is not a size: use bytes or a number with k, M or G (k = 1024 bytes), e.g. 4k or 4096`);
  return Math.round(Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()]);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds from `90m`, `2h`, `3d`, `1w`, `30s`, `500ms`. */
export function parseDuration(text: string, param = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/.exec(text);
  if (!m) throw new UsageError(`${param} "${text}" is not a duration: use a number with s, m, h, d or w, e.g. 90m, 2h or 3d`);
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2]]);
}

/**
 * A point in time from an ISO date (`2026-11-27T03:00:00Z`, `2026-11-27`; without a zone, UTC),
 * `now`, or a time relative to now: `-2h`, `now-2h`, `-3d`.
 */
export function parseTime(text: string, param = 'time', now: Date = new Date()): Date {
  const t = text.trim();
  if (t === 'now') return new Date(now);
  const relative = /^(?:now)?-(.+)$/.exec(t);
  if (relative && /^\d/.test(relative[1])) return new Date(now.getTime() - parseDuration(relative[1], param));
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(t);
  if (day) {
    const ms = parseUtc(t);
    if (!Number.isNaN(ms) && isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3]))) return new Date(ms);
  }
  throw new UsageError(`${param} "${text}" is not a time: use an ISO date (2026-11-27T03:00:00Z) or a relative time like -2h or -3d`);
}

/** Whether the month has that day: Date.parse reads 2026-02-30 as 2 March instead of refusing it. */
function isCalendarDay(year: number, month: number, dayOfMonth: number): boolean {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, dayOfMonth);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === dayOfMonth;
}

/**
 * A stored date (@timestamp, changed_at) as epoch milliseconds, read as the pipeline and Elasticsearch read it:
 * a date-time without a zone is UTC (Date.parse would read it in the machine's zone), a number is epoch
 * milliseconds. NaN for anything else.
 */
export function storedMillis(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  return parseUtc(value);
}

/** A date-time without a zone, which Date.parse would read in the machine's zone. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/i;

/** Date.parse, with a date-time that names no zone read as UTC: Mitra's times (typed or stored) without one are UTC. */
const parseUtc = (text: string): number => Date.parse(ZONELESS.test(text) ? `${text}Z` : text);

/** A stored date as an ISO instant (storedMillis). */
export const storedInstant = (value: string | number): string => new Date(storedMillis(value)).toISOString();
