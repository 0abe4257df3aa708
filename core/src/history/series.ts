import { UsageError } from '../errors';
import { isDeclaredField, type FieldRef } from '../schema';
import { lastSeen, LENIENT, readAll, sourcePath, type IndexScope } from './scope';
import { historyIndices } from '../names';
import { storedMillis } from '../parse';

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
/**
 * A longer range is read whole from `_source` (the /proc maps are not indexed, so no
 * aggregation can average them): past this many snapshots the caller narrows from/to.
 * A snapshot a minute is 69 days of one host's file.
 */
export const MAX_SERIES_DOCUMENTS = 100_000;

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
  if (!isDeclaredField(field)) {
    throw new UsageError(
      `field "${field}" is not a declared /proc key: a series reads one of the keys listed in core/FIELDS.md (check the spelling, e.g. mitra.meminfo.Cached)`,
    );
  }
  return SERIES_SOURCES[m[1]];
}

/**
 * A numeric /proc key over time for one host, from history documents. The /proc
 * maps are not indexed (core/FIELDS.md), so the values come from `_source`: one
 * request when the range holds at most maxPoints observations (every value
 * exactly as the pipeline stored it), else every document of the range is read
 * (bounded by MAX_SERIES_DOCUMENTS) and averaged into at most maxPoints buckets.
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
        ...(q.from || q.to ? [{ range: { '@timestamp': { gte: q.from, lte: q.to } } }] : []),
      ],
    },
  };
  const index = historyIndices(scope.prefix);
  const source = ['@timestamp', q.field];
  // One page answers a short series outright; the last-seen time goes alongside.
  const [page, seen] = await Promise.all([
    scope.client.search<Record<string, unknown>>({
      index,
      ...LENIENT,
      query,
      size: maxPoints,
      sort: [{ '@timestamp': { order: 'asc' } }],
      _source: source,
      track_total_hits: true,
    }),
    lastSeen(scope, q.host, path),
  ]);
  const total = typeof page.hits.total === 'number' ? page.hits.total : (page.hits.total?.value ?? 0);
  const docs = total <= maxPoints ? page.hits.hits.map((h) => h._source) : await readAll(scope, index, query, source, MAX_SERIES_DOCUMENTS);
  const points = observed(docs, field);
  const base = { host: q.host, field: q.field, path, observations: points.length, asOf: seen };
  if (points.length <= maxPoints) return { ...base, mode: 'raw', interval: null, points: points.map(({ t, value }) => ({ t, value })) };
  const first = q.from ? Date.parse(q.from) : points[0].ms;
  const last = q.to ? Date.parse(q.to) : points[points.length - 1].ms;
  const seconds = Math.max(1, Math.ceil((last - first) / 1000 / maxPoints));
  return { ...base, mode: 'histogram', interval: `${seconds}s`, points: buckets(points, seconds) };
}

interface Observed extends SeriesPoint {
  ms: number;
}

/** The documents that carry a number for the field (a snapshot the parser refused has none), in time order. */
function observed(docs: unknown[], field: FieldRef): Observed[] {
  const out: Observed[] = [];
  for (const doc of docs) {
    const t = String(sourcePath(doc, '@timestamp'));
    const raw = sourcePath(doc, field);
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() ? Number(raw) : NaN;
    const ms = storedMillis(sourcePath(doc, '@timestamp'));
    if (Number.isFinite(value) && Number.isFinite(ms)) out.push({ t, ms, value });
  }
  return out.sort((a, b) => a.ms - b.ms);
}

/** What a date_histogram (fixed_interval, epoch-aligned, min_doc_count 1) with avg/min/max would answer. */
function buckets(points: Observed[], seconds: number): SeriesPoint[] {
  const width = seconds * 1000;
  const out: SeriesPoint[] = [];
  let sum = 0;
  for (const p of points) {
    const key = Math.floor(p.ms / width) * width;
    const t = new Date(key).toISOString();
    const b = out[out.length - 1];
    if (b?.t !== t) {
      if (b) b.value = sum / b.count!;
      out.push({ t, value: 0, min: p.value, max: p.value, count: 1 });
      sum = p.value;
      continue;
    }
    b.min = Math.min(b.min!, p.value);
    b.max = Math.max(b.max!, p.value);
    b.count!++;
    sum += p.value;
  }
  if (out.length) out[out.length - 1].value = sum / out[out.length - 1].count!;
  return out;
}
