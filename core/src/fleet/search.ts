import type { estypes } from '@elastic/elasticsearch';
import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import { allCompositeBuckets, explainSearchError, hitCount, maxDate, search, type CompositeBucket, type Query } from './common';
import { parseTime, storedInstant } from '../parse';
import { currentIndex, historyIndices } from '../names';
import { text, time } from '../shapes/fields';
import type { ParamInput, Params } from '../shapes/param';

/**
 * Free Lucene queries (`filename:"/etc/fstab" AND content:ext4`: the original
 * field names are aliases) over the current state, or over the state as it was
 * at a past time.
 */
export const SEARCH_PARAMS = {
  query: {
    type: text('filename:"/etc/fstab" AND content:ext4', 32_768),
    label: 'Query',
    help: 'a Lucene query string',
    positional: 'words',
  },
  at: {
    type: time('-2h').optional(),
    label: 'At',
    help: 'the state as it was then (ISO 2026-11-27T03:00:00Z, or -2h, -3d): for each host and path the latest version recorded by then',
    default: 'now (the current state)',
  },
} satisfies Params;

/**
 * The query, `at` (search the state as it was then, from history), hits per page (default 100, at most 10000),
 * where the page starts (a previous result's `next`), and the reference time of a relative `at`.
 */
export type SearchParams = ParamInput<typeof SEARCH_PARAMS> & { size?: number; cursor?: string; now?: Date };

export interface SearchHit {
  id: string;
  index: string;
  host: string;
  path: string;
  state: string;
  format?: string;
  size?: number;
  hash?: string;
  /** @timestamp of the matching snapshot: last seen (current) or when that version was recorded (history). */
  timestamp: string;
}

export interface SearchResult {
  query: string;
  /** The `at` time as ISO, for history searches. */
  at?: string;
  asOf: string | null;
  total: number;
  size: number;
  hits: SearchHit[];
  /** Pass as `cursor` for the next page; absent on the last. */
  next?: string;
}

/** The internal searches count pages from 0; callers see a cursor (the offset of the page, as text). */
type PagedResult = Omit<SearchResult, 'next'> & { page: number };

const SOURCE = ['host.name', 'file.path', 'mitra.state', 'mitra.format', 'file.size', 'file.hash.sha256', '@timestamp'];

export async function searchSnapshots(client: MitraClient, prefix: string, params: SearchParams): Promise<SearchResult> {
  const query = params.query.trim();
  if (!query) throw new UsageError('search query is empty: give a Lucene query, e.g. filename:"/etc/fstab" AND content:ext4');
  const size = params.size ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new UsageError(`size ${params.size} is out of range: use 1 to 10000`);
  const pageNo = pageOfCursor(params.cursor, size);
  if (params.at !== undefined) {
    const at = toDate(params.at, params.now);
    await validateQuery(client, prefix, query);
    return withCursor(await searchAt(client, prefix, { query, size, page: pageNo, at }));
  }
  return withCursor(await searchCurrent(client, prefix, { query, size, page: pageNo }));
}

/** A search cursor is the offset of its page's first hit, made with the same size. */
function pageOfCursor(cursor: string | undefined, size: number): number {
  if (cursor === undefined) return 0;
  const offset = /^\d{1,6}$/.test(cursor.trim()) ? Number(cursor) : NaN;
  if (!(offset >= 0 && offset % size === 0))
    throw new UsageError(
      `cursor "${cursor}" is not a search cursor for size ${size}: pass the next of the previous answer, with the same size`,
    );
  return offset / size;
}

function withCursor({ page, ...r }: PagedResult): SearchResult {
  const end = (page + 1) * r.size;
  return end < r.total ? { ...r, next: String(end) } : r;
}

const toDate = (at: string | Date, now?: Date): Date => (at instanceof Date ? at : parseTime(at, 'at', now));
const queryString = (query: string): Query => ({ query_string: { query } });

async function searchCurrent(client: MitraClient, prefix: string, p: { query: string; size: number; page: number }): Promise<PagedResult> {
  if (p.page * p.size + p.size > 10_000) throw new UsageError('search pages stop at 10000 hits: narrow the query');
  const res = await search<Record<string, unknown>>(
    client,
    {
      index: currentIndex(prefix),
      query: queryString(p.query),
      from: p.page * p.size,
      size: p.size,
      sort: [{ 'host.name': 'asc' }, { 'file.path': 'asc' }],
      track_total_hits: true,
      _source: SOURCE,
      aggs: { as_of: { max: { field: '@timestamp' } } },
    },
    p.query,
  );
  const total = hitCount(res.hits.total);
  const hits = res.hits.hits.map((h) => toHit(h._id ?? '', h._index, h._source ?? {}));
  return {
    query: p.query,
    asOf: maxDate((res.aggregations as Record<string, unknown> | undefined)?.as_of),
    total,
    page: p.page,
    size: p.size,
    hits,
  };
}

/**
 * The state at time T: for each (host, path), the version with
 * @timestamp <= T that no newer version had replaced by T. Versions from a
 * sealing sender carry `mitra.superseded_at` (core/src/history/supersede.ts),
 * so when every version up to T has it, "in force at T and matching" is one
 * filter, paged and counted by Elasticsearch like a current-state search.
 * Versions without it (Filebeat, older agents) make that filter unsafe: an
 * older matching version would look in force next to its newer replacement.
 * Then the versions are grouped per (host, path) instead (groupedAt).
 */
async function searchAt(
  client: MitraClient,
  prefix: string,
  p: { query: string; size: number; page: number; at: Date },
): Promise<PagedResult> {
  const until: Query = { range: { '@timestamp': { lte: p.at.toISOString() } } };
  if (await hasUnsealed(client, prefix, until)) return groupedAt(client, prefix, p, until);
  if (p.page * p.size + p.size > 10_000) throw new UsageError('search pages stop at 10000 hits: narrow the query');
  const res = await search<Record<string, unknown>>(
    client,
    {
      index: historyIndices(prefix),
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { filter: [until, { range: { 'mitra.superseded_at': { gt: p.at.toISOString() } } }, queryString(p.query)] } },
      from: p.page * p.size,
      size: p.size,
      sort: [{ 'host.name': 'asc' }, { 'file.path': 'asc' }, { '@timestamp': 'desc' }],
      track_total_hits: true,
      _source: SOURCE,
      aggs: { as_of: { max: { field: '@timestamp' } } },
    },
    p.query,
  );
  const total = hitCount(res.hits.total);
  return {
    query: p.query,
    at: p.at.toISOString(),
    asOf: maxDate((res.aggregations as Record<string, unknown> | undefined)?.as_of),
    total,
    page: p.page,
    size: p.size,
    hits: res.hits.hits.map((h) => toHit(h._id ?? '', h._index, h._source ?? {})),
  };
}

/** Whether any version up to T lacks superseded_at (one document is enough to know). */
async function hasUnsealed(client: MitraClient, prefix: string, until: Query): Promise<boolean> {
  const res = await client.search({
    index: historyIndices(prefix),
    ignore_unavailable: true,
    allow_no_indices: true,
    size: 0,
    terminate_after: 1,
    track_total_hits: 1,
    query: { bool: { filter: [until], must_not: [{ exists: { field: 'mitra.superseded_at' } }] } },
  });
  const total = hitCount(res.hits.total);
  return total > 0;
}

/**
 * The fallback for unsealed data: group by (host, path) and compare two maxima
 * per group, the newest version and the newest matching version; they are
 * equal exactly when the version in force at T matches. A bucket_selector
 * drops every other group server-side. (`collapse` cannot do this: it would
 * collapse after the query filter, picking an older matching version over a
 * newer one that no longer matches.) Versions closed before T are left out
 * of the grouping: each group keeps the one in force, so sealed history costs
 * one document per (host, path) here too.
 */
async function groupedAt(
  client: MitraClient,
  prefix: string,
  p: { query: string; size: number; page: number; at: Date },
  until: Query,
): Promise<PagedResult> {
  const open: Query = {
    bool: {
      should: [
        { range: { 'mitra.superseded_at': { gt: p.at.toISOString() } } },
        { bool: { must_not: [{ exists: { field: 'mitra.superseded_at' } }] } },
      ],
      minimum_should_match: 1,
    },
  };
  const window: Query = { bool: { filter: [until, open] } };
  const paths = await matchingPaths(client, prefix, p.query, window);
  const empty = { query: p.query, at: p.at.toISOString(), asOf: null, total: 0, page: p.page, size: p.size, hits: [] };
  if (paths?.length === 0) return empty;
  const { buckets } = await allCompositeBuckets(
    client,
    {
      index: historyIndices(prefix),
      // Only paths that ever matched by T can be in force and matching at T: grouping the others is wasted work.
      query: paths ? { bool: { filter: [window, { terms: { 'file.path': paths } }] } } : window,
      sources: [{ host: { terms: { field: 'host.name' } } }, { path: { terms: { field: 'file.path' } } }],
      aggs: {
        newest: { max: { field: '@timestamp' } },
        match: {
          filter: queryString(p.query),
          aggs: { newest: { max: { field: '@timestamp' } } },
        },
        in_force: {
          bucket_selector: {
            buckets_path: { all: 'newest', hit: 'match>newest' },
            script: 'params.hit != null && params.hit == params.all',
          },
        },
      },
    },
    { userQuery: p.query },
  );
  const inForce = buckets.map(versionOf);
  const from = p.page * p.size;
  return {
    query: p.query,
    at: p.at.toISOString(),
    asOf: inForce.reduce<string | null>((max, v) => (!max || v.at > max ? v.at : max), null),
    total: inForce.length,
    page: p.page,
    size: p.size,
    hits: await fetchVersions(client, prefix, inForce.slice(from, from + p.size), p.query),
  };
}

/**
 * A history search filters by time first, and Elasticsearch parses a query
 * only on shards it searches: with no history in the window it would answer
 * "0 matches" to a query that does not parse. The current-state index exists
 * from `mitra setup` on and shares the history mapping, so asking it to
 * validate the query always parses it. Saved searches and alert rules ask
 * the same before they store one.
 */
export async function validateQuery(client: MitraClient, prefix: string, query: string): Promise<void> {
  const index = currentIndex(prefix);
  let res: estypes.IndicesValidateQueryResponse;
  try {
    res = await client.indices.validateQuery({ index, query: queryString(query), explain: true });
  } catch (e) {
    throw explainSearchError(e, client, index, query);
  }
  if (res.valid) return;
  const reason = res.explanations?.find((x) => x.error)?.error ?? res.error ?? 'invalid query';
  throw new UsageError(
    `query "${query}" does not parse: ${parseReason(reason)}; check the Lucene syntax (quote paths: filename:"/etc/fstab")`,
  );
}

/** Elasticsearch explains a parse failure as a chain of Java exceptions; the user needs the last parser message. */
function parseReason(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cannot = /Cannot parse '.*?': (.*?)(?:\]; nested:|\]$|$)/.exec(oneLine);
  if (cannot) return `Cannot parse: ${cannot[1].replace(/ Was expecting.*$/, '').trim()}`;
  return oneLine.replace(/\b(?:[a-z]+\.)+[A-Z]\w*(?:Exception|Error):? ?/g, '').replace(/^\[[^\]]*\]\s*/, '');
}

interface VersionKey {
  host: string;
  path: string;
  /** @timestamp of the version in force, as the aggregation prints it. */
  at: string;
  millis: number;
}

function versionOf(b: CompositeBucket): VersionKey {
  const newest = b.newest as { value: number; value_as_string?: string };
  return { host: String(b.key.host), path: String(b.key.path), millis: newest.value, at: new Date(newest.value).toISOString() };
}

/**
 * The documents of one page of versions. Fetched after grouping rather than
 * carried in it (a top_hits per group), so the grouping stays light however
 * many (host, path) pairs match.
 */
async function fetchVersions(client: MitraClient, prefix: string, keys: VersionKey[], query: string): Promise<SearchHit[]> {
  if (!keys.length) return [];
  const res = await search<Record<string, unknown>>(
    client,
    {
      index: historyIndices(prefix),
      size: keys.length * 2,
      _source: SOURCE,
      query: {
        bool: {
          should: keys.map((k) => ({
            bool: { filter: [{ term: { 'host.name': k.host } }, { term: { 'file.path': k.path } }, { term: { '@timestamp': k.millis } }] },
          })),
          minimum_should_match: 1,
        },
      },
    },
    query,
  );
  const byKey = new Map(
    res.hits.hits.map((h) => [keyOf(h._source as Parameters<typeof keyOf>[0]), toHit(h._id ?? '', h._index, h._source ?? {})]),
  );
  return keys.flatMap((k) => byKey.get(`${k.host}\u0000${k.path}\u0000${k.at}`) ?? []);
}

function keyOf(src: { host?: { name?: string }; file?: { path?: string }; '@timestamp'?: string }): string {
  return `${src.host?.name}\u0000${src.file?.path}\u0000${storedInstant(src['@timestamp'] ?? 0)}`;
}

const MAX_NARROWING_PATHS = 1000;

/** The paths with a version matching the query by T; undefined when there are too many to be worth a filter. */
async function matchingPaths(client: MitraClient, prefix: string, query: string, until: Query): Promise<string[] | undefined> {
  const res = await search(
    client,
    {
      index: historyIndices(prefix),
      size: 0,
      query: { bool: { filter: [until, queryString(query)] } },
      aggs: { paths: { terms: { field: 'file.path', size: MAX_NARROWING_PATHS } } },
    },
    query,
  );
  const paths = (res.aggregations as { paths?: { buckets: { key: string }[]; sum_other_doc_count: number } } | undefined)?.paths;
  if (!paths || paths.sum_other_doc_count > 0) return undefined;
  return paths.buckets.map((b) => b.key);
}

function toHit(id: string, index: string, src: Record<string, unknown>): SearchHit {
  const s = src as {
    '@timestamp'?: string;
    host?: { name?: string };
    file?: { path?: string; size?: number; hash?: { sha256?: string } };
    mitra?: { state?: string; format?: string };
  };
  const hit: SearchHit = {
    id,
    index,
    host: s.host?.name ?? '',
    path: s.file?.path ?? '',
    state: s.mitra?.state ?? 'present',
    timestamp: s['@timestamp'] ? storedInstant(s['@timestamp']) : '',
  };
  if (s.mitra?.format) hit.format = s.mitra.format;
  if (s.file?.size !== undefined) hit.size = s.file.size;
  if (s.file?.hash?.sha256) hit.hash = s.file.hash.sha256;
  return hit;
}
