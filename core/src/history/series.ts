import { UsageError } from '../errors';
import { isMappedField, type FieldRef } from '../schema';
import { lastSeen, LENIENT, sourcePath, type IndexScope } from './scope';
import { historyIndices } from '../names';

/** The /proc files whose parsed numbers can be read as a series, by field prefix. */
const SERIES_SOURCES: Record<string, string> = {
  'mitra.meminfo': '/proc/meminfo',
  'mitra.vmstat': '/proc/vmstat',
  'mitra.zoneinfo': '/proc/zoneinfo',
  'mitra.buddyinfo': '/proc/buddyinfo',
  'mitra.loadavg': '/proc/loadavg',
};

export const DEFAULT_MAX_POINTS = 1000;
/** Raw points come from one search page; Elasticsearch's default result window is 10000. */
const MAX_RAW_POINTS = 10_000;

export interface SeriesQuery {
  host: string;
  /** A parsed /proc key: mitra.meminfo.Cached, mitra.vmstat.pgscank, mitra.zoneinfo.node0.normal.free, ... */
  field: string;
  from?: string;
  to?: string;
  /** Above this many observations the answer is a date_histogram of at most this many buckets. */
  maxPoints?: number;
}

export interface SeriesPoint {
  t: string;
  value: number;
  /** Histogram buckets only: the spread of the raw values in the bucket. */
  min?: number;
  max?: number;
  count?: number;
}

export interface Series {
  host: string;
  field: string;
  path: string;
  /** raw: every observation, values exactly as ingested; histogram: bucket averages. */
  mode: 'raw' | 'histogram';
  /** Bucket width for histogram mode, e.g. "60s". */
  interval: string | null;
  points: SeriesPoint[];
  /** Observations in the range. */
  observations: number;
  asOf: string | null;
}

/** Checks a series field name and returns the /proc file it comes from. */
export function seriesSource(field: string): string {
  const m = /^(mitra\.(?:meminfo|vmstat|zoneinfo|buddyinfo|loadavg))\.([A-Za-z0-9_()]+(?:\.[A-Za-z0-9_()]+)*)$/.exec(field);
  if (!m) {
    throw new UsageError(
      `field "${field}" is not a /proc series: use mitra.meminfo.<Key>, mitra.vmstat.<counter>, mitra.zoneinfo.node<N>.<zone>.<free|min|low|high|...>, mitra.buddyinfo.node<N>.<zone>.order<K> or mitra.loadavg.load1`,
    );
  }
  if (!isMappedField(field)) {
    throw new UsageError(
      `field "${field}" is not a declared /proc key: only the keys listed in core/FIELDS.md are searchable (the others are kept in each snapshot's _source)`,
    );
  }
  return SERIES_SOURCES[m[1]];
}

/**
 * A numeric /proc key over time for one host, from history documents. Short
 * ranges (≤ maxPoints observations) come back raw, every value exactly as the
 * pipeline stored it; longer ones as a date_histogram (avg, min, max per bucket).
 */
export async function series(scope: IndexScope, q: SeriesQuery): Promise<Series> {
  const path = seriesSource(q.field);
  // seriesSource accepted it: a declared key of a /proc map (or a loadavg field), so a schema field name.
  const field = q.field as FieldRef;
  const maxPoints = Math.min(q.maxPoints ?? DEFAULT_MAX_POINTS, MAX_RAW_POINTS);
  const query = {
    bool: {
      filter: [
        { term: { 'host.name': q.host } },
        { term: { 'file.path': path } },
        { exists: { field: q.field } },
        ...(q.from || q.to ? [{ range: { '@timestamp': { gte: q.from, lte: q.to } } }] : []),
      ],
    },
  };
  // One request answers a short series outright (the raw points come with the count); the last-seen time goes alongside.
  const [stats, seen] = await Promise.all([
    scope.client.search<Record<string, unknown>>({
      index: historyIndices(scope.prefix),
      ...LENIENT,
      query,
      size: maxPoints,
      sort: [{ '@timestamp': { order: 'asc' } }],
      _source: ['@timestamp', q.field],
      track_total_hits: true,
      aggs: { first: { min: { field: '@timestamp' } }, last: { max: { field: '@timestamp' } } },
    }),
    lastSeen(scope, q.host, path),
  ]);
  const observations = typeof stats.hits.total === 'number' ? stats.hits.total : (stats.hits.total?.value ?? 0);
  const aggs = stats.aggregations as { first: { value: number | null }; last: { value: number | null } } | undefined;
  const base = { host: q.host, field: q.field, path, observations, asOf: seen };
  if (observations <= maxPoints) {
    const points = stats.hits.hits.map((h) => ({
      t: String(sourcePath(h._source, '@timestamp')),
      value: Number(sourcePath(h._source, field)),
    }));
    return { ...base, mode: 'raw', interval: null, points };
  }
  const first = q.from ? Date.parse(q.from) : (aggs?.first.value ?? 0);
  const last = q.to ? Date.parse(q.to) : (aggs?.last.value ?? 0);
  const seconds = Math.max(1, Math.ceil((last - first) / 1000 / maxPoints));
  return { ...base, mode: 'histogram', interval: `${seconds}s`, points: await buckets(scope, query, field, seconds) };
}

async function buckets(scope: IndexScope, query: object, field: FieldRef, seconds: number): Promise<SeriesPoint[]> {
  const res = await scope.client.search({
    index: historyIndices(scope.prefix),
    ...LENIENT,
    query,
    size: 0,
    aggs: {
      over_time: {
        date_histogram: { field: '@timestamp', fixed_interval: `${seconds}s`, min_doc_count: 1 },
        aggs: { avg: { avg: { field } }, min: { min: { field } }, max: { max: { field } } },
      },
    },
  });
  type Bucket = { key_as_string: string; doc_count: number; avg: { value: number }; min: { value: number }; max: { value: number } };
  const over = (res.aggregations as { over_time: { buckets: Bucket[] } }).over_time;
  return over.buckets.map((b) => ({ t: b.key_as_string, value: b.avg.value, min: b.min.value, max: b.max.value, count: b.doc_count }));
}
