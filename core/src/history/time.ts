import { UsageError } from '../errors';
import { parseDuration, parseTime } from '../parse';

/**
 * Time parameters for history, series and alert schedules, on top of the
 * fleet parsers (ISO, now, -2h / now-2h; 90s, 5m, 2h): the same accepted
 * forms and messages everywhere a user types a time.
 */

/** An instant as ISO text in UTC; `param` names the flag or query parameter in errors. */
export const parseInstant = (text: string, param: string, now?: Date): string => parseTime(text, param, now).toISOString();

/** A duration in milliseconds, strictly positive. */
export function parseInterval(text: string, param: string): number {
  const ms = parseDuration(text, param);
  if (ms <= 0) throw new UsageError(`${param} "${text}" must be longer than zero, e.g. 60s`);
  return ms;
}
