import type { estypes } from '@elastic/elasticsearch';
import { NotFoundError, UsageError } from '../errors';
import { lastSeen, LENIENT, sourcePath, type IndexScope } from './scope';
import { historyIndices } from '../names';
import { sortedPage, type PageRequest } from '../sorted-page';

/** One stored observation of a file, without its content. */
export interface Version {
  /** The history document's _id: sha256(host + "_" + path + "_" + @timestamp). */
  id: string;
  index: string;
  timestamp: string;
  sha256: string | null;
  size: number | null;
  state: string;
}

export interface VersionWithContent extends Version {
  host: string;
  path: string;
  content: string | null;
}

/** A page of `size` versions (default 100) from `cursor` (the `next` of the previous page). */
export interface VersionsQuery extends PageRequest {
  host: string;
  path: string;
  /** ISO instants bounding @timestamp (inclusive). */
  from?: string;
  to?: string;
}

export interface VersionList {
  host: string;
  path: string;
  /** Newest first. */
  versions: Version[];
  /** Versions in the whole list (all pages). */
  total: number;
  size: number;
  /** Pass as `cursor` for the next page; absent on the last. */
  next?: string;
  /** When the agent last confirmed the file (current-state @timestamp), else the newest version; null if never seen. */
  asOf: string | null;
}

const SUMMARY_FIELDS = ['@timestamp', 'file.hash.sha256', 'file.size', 'mitra.state', 'host.name', 'file.path'];
const NEWEST_FIRST: estypes.SortCombinations[] = [{ '@timestamp': { order: 'desc' } }, { 'mitra.ingested_at': { order: 'desc' } }];
/**
 * The listing's order, unique per version so a cursor pages exactly. Versions
 * can tie on @timestamp (a date keeps milliseconds: "…00Z" and "…00.0001Z" are
 * two versions, two ids, one sort value) and nothing mapped tells them apart;
 * _id would, but Elasticsearch 8+ refuses to sort on it. Each history index has
 * one shard (templates/snapshot-history.yml), where _seq_no is unique per
 * document, so index + sequence number is a unique tie-breaker everywhere
 * (newest written first, as ingested_at orders content at a time).
 */
const VERSION_ORDER: estypes.SortCombinations[] = [
  { '@timestamp': { order: 'desc' } },
  { _index: { order: 'desc' } },
  { _seq_no: { order: 'desc' } },
];

const fileFilter = (host: string, path: string) => [{ term: { 'host.name': host } }, { term: { 'file.path': path } }];

export async function listVersions(scope: IndexScope, q: VersionsQuery): Promise<VersionList> {
  const range = q.from || q.to ? [{ range: { '@timestamp': { gte: q.from, lte: q.to } } }] : [];
  // The version page and the last-seen time are independent: one round trip, not two.
  const [page, seen] = await Promise.all([
    sortedPage<Version, Record<string, unknown>>(
      scope.client,
      {
        index: historyIndices(scope.prefix),
        ...LENIENT,
        query: { bool: { filter: [...fileFilter(q.host, q.path), ...range] } },
        sort: VERSION_ORDER,
        _source: SUMMARY_FIELDS,
      },
      q,
      { what: 'version list', kinds: ['number', 'string', 'number'], defaultSize: 100, item: toVersion },
    ),
    lastSeen(scope, q.host, q.path),
  ]);
  const { items: versions, ...rest } = page;
  return { host: q.host, path: q.path, versions, ...rest, asOf: seen ?? versions[0]?.timestamp ?? null };
}

export interface ContentAt {
  host: string;
  path: string;
  at: string;
  /** The latest version observed at or before `at`; null if the file was not yet known then. */
  version: Version | null;
  content: string | null;
  asOf: string | null;
}

/** What the file looked like at `at`: the latest history document with @timestamp <= at. */
export async function contentAt(scope: IndexScope, q: { host: string; path: string; at: string }): Promise<ContentAt> {
  const [res, seen] = await Promise.all([
    scope.client.search<Record<string, unknown>>({
      index: historyIndices(scope.prefix),
      ...LENIENT,
      query: { bool: { filter: [...fileFilter(q.host, q.path), { range: { '@timestamp': { lte: q.at } } }] } },
      sort: NEWEST_FIRST,
      size: 1,
      _source: [...SUMMARY_FIELDS, 'mitra.content'],
    }),
    lastSeen(scope, q.host, q.path),
  ]);
  const hit = res.hits.hits[0];
  if (!hit) return { host: q.host, path: q.path, at: q.at, version: null, content: null, asOf: seen };
  const content = sourcePath(hit._source, 'mitra.content');
  return {
    host: q.host,
    path: q.path,
    at: q.at,
    version: toVersion(hit),
    content: typeof content === 'string' ? content : null,
    asOf: seen ?? toVersion(hit).timestamp,
  };
}

/** A version by its history _id (as listed by listVersions), with content. */
export async function versionById(scope: IndexScope, id: string): Promise<VersionWithContent> {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new UsageError(`version id "${id}" is not a sha256 id (64 lowercase hex digits)`);
  const res = await scope.client.search<Record<string, unknown>>({
    index: historyIndices(scope.prefix),
    ...LENIENT,
    query: { ids: { values: [id] } },
    size: 1,
    _source: [...SUMMARY_FIELDS, 'mitra.content'],
  });
  const hit = res.hits.hits[0];
  if (!hit) throw new NotFoundError(`no history version with id ${id}: list versions with mitra history HOST PATH`);
  const content = sourcePath(hit._source, 'mitra.content');
  return {
    ...toVersion(hit),
    host: String(sourcePath(hit._source, 'host.name')),
    path: String(sourcePath(hit._source, 'file.path')),
    content: typeof content === 'string' ? content : null,
  };
}

interface Hit {
  _id?: string | null;
  _index: string;
  _source?: Record<string, unknown>;
}

function toVersion(hit: Hit): Version {
  const s = hit._source;
  const size = sourcePath(s, 'file.size');
  const sha = sourcePath(s, 'file.hash.sha256');
  return {
    id: String(hit._id),
    index: hit._index,
    timestamp: String(sourcePath(s, '@timestamp')),
    sha256: typeof sha === 'string' ? sha : null,
    size: typeof size === 'number' ? size : null,
    state: String(sourcePath(s, 'mitra.state') ?? 'present'),
  };
}
