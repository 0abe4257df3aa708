import { historyId } from '../ids';
import { historyIndex } from '../names';

/**
 * Version validity on history documents. Each history document is one version
 * of one (host, path), valid from its @timestamp until the next version's
 * @timestamp, kept in `mitra.superseded_at`. A sender that seals (the agent
 * shipping to Elasticsearch) writes every new version as open
 * (`superseded_at` = OPEN_UNTIL) and, in the same bulk, closes the version it
 * replaces. "The state at T" is then one range filter:
 * `@timestamp <= T AND mitra.superseded_at > T`.
 *
 * A document without the field came from a sender that does not seal
 * (Filebeat, older agents, data from before this field): queries detect it
 * and fall back to grouping versions per (host, path) (fleet/search.ts).
 */

/** `superseded_at` of a version no newer version has replaced yet (the `date` type's range holds it). */
export const OPEN_UNTIL = '9999-12-31T23:59:59.999Z';

/**
 * The daily history index a version lives in: `<prefix>history-YYYY.MM.DD`,
 * the UTC day of its @timestamp (the rule the snapshot pipeline applies, and
 * retention's historyIndexDay reads back). Undefined for a time that does not parse.
 */
export function historyIndexAt(prefix: string, timestamp: string): string | undefined {
  // The pipeline reads a time without a zone as UTC; Date would read it as local time.
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(timestamp) ? timestamp : `${timestamp}Z`;
  const ms = Date.parse(zoned);
  if (!Number.isFinite(ms)) return undefined;
  const day = new Date(ms).toISOString().slice(0, 10).replace(/-/g, '.');
  return historyIndex(prefix, day);
}

export interface Supersession {
  host: string;
  path: string;
  /** @timestamp of the version being replaced, as it was sent (its history id depends on it). */
  previousAt: string;
  /** @timestamp of the new version: the end of the previous one's validity. */
  at: string;
}

/**
 * The bulk `update` that closes the previous version: addressed by its index
 * and id (both derived from its timestamp), no upsert, so a version already
 * gone (pruned by retention, never delivered) is a 404 that changes nothing.
 */
export function supersedeOperation(prefix: string, s: Supersession): [object, object] | undefined {
  // The same timestamp is the same history id: the new version has replaced the old document, and must not close itself.
  if (s.previousAt === s.at) return undefined;
  const index = historyIndexAt(prefix, s.previousAt);
  if (!index) return undefined;
  return [
    { update: { _index: index, _id: historyId(s.host, s.path, s.previousAt), retry_on_conflict: 3 } },
    { doc: { mitra: { superseded_at: s.at } } },
  ];
}
