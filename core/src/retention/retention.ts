import { UsageError } from '../errors';
import { historyIndex } from '../names';

/**
 * How long daily history is kept. One owner for the setting: `--retention`,
 * MITRA_RETENTION, the config file's `retention:` key, then the default.
 * `off` keeps history forever.
 */
export const DEFAULT_RETENTION_DAYS = 90;
const MAX_RETENTION_DAYS = 9999;
const DAY_MS = 86_400_000;

/** Days, or undefined for `off`. */
export type RetentionDays = number | undefined;

export function parseRetention(text: string, where = '--retention'): RetentionDays {
  const t = text.trim().toLowerCase();
  if (t === 'off') return undefined;
  const m = /^(\d+)d$/.exec(t);
  const days = m ? Number(m[1]) : NaN;
  if (!(days >= 1 && days <= MAX_RETENTION_DAYS)) {
    throw new UsageError(`${where} "${text}" is not a retention: use a number of days like 90d (1d-${MAX_RETENTION_DAYS}d), or off`);
  }
  return days;
}

/** Flag, then MITRA_RETENTION, then the config file's `retention:`, then 90 days. */
export function resolveRetention(
  flag: string | undefined,
  file: { retention?: unknown } = {},
  env: NodeJS.ProcessEnv = process.env,
): RetentionDays {
  if (flag !== undefined) return parseRetention(flag);
  if (env.MITRA_RETENTION !== undefined) return parseRetention(env.MITRA_RETENTION, 'MITRA_RETENTION');
  const fromFile = file.retention;
  if (fromFile === undefined || fromFile === null) return DEFAULT_RETENTION_DAYS;
  if (fromFile === false) return undefined;
  return parseRetention(String(fromFile), 'config retention:');
}

export const formatRetention = (days: RetentionDays): string => (days === undefined ? 'off' : `${days}d`);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The UTC day a daily history index holds, from its name `<prefix>history-YYYY.MM.DD`;
 * undefined for any other name — another prefix's (`mitra-x-history-...` is not
 * `mitra-`'s), the current-state index, a reindexed copy with a suffix.
 */
export function historyIndexDay(prefix: string, index: string): Date | undefined {
  const m = new RegExp(`^${escapeRegExp(historyIndex(prefix, ''))}(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(index);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  // 2026.02.31 is not a day: never guess what such an index holds.
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  return day;
}

/**
 * Whether a day's index is past retention: its whole day ended more than
 * `days` days ago, so nothing in it is younger than the retention. ILM and ISM
 * use the same age (`days + 1` from the start of the day, see lifecycle.ts).
 */
export function expired(day: Date, days: number, now: Date): boolean {
  return day.getTime() + (days + 1) * DAY_MS <= now.getTime();
}

/**
 * Index names in groups for one request each (a DELETE, an ISM change_policy):
 * keeps the URL short on a cluster with years of daily history.
 */
export function inUrlSizedGroups(names: string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < names.length; i += 50) groups.push(names.slice(i, i + 50));
  return groups;
}
