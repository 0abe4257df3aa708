import type { estypes } from '@elastic/elasticsearch';
import { NotFoundError, UsageError } from '../errors';
import { lastSeen, LENIENT, sourcePath, type IndexScope } from './scope';
import { historyIndices } from '../names';

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

export interface VersionsQuery {
  host: string;
  path: string;
  /** ISO instants bounding @timestamp (inclusive). */
  from?: string;
  to?: string;
  /** 1-based page of `size` versions (size ≤ 1000). */
  page?: number;
  size?: number;
}

export interface VersionList {
  host: string;
  path: string;
  /** Newest first. */
  versions: Version[];
  total: number;
  page: number;
  size: number;
  /** When the agent last confirmed the file (current-state @timestamp), else the newest version; null if never seen. */
  asOf: string | null;
}

const SUMMARY_FIELDS = ['@timestamp', 'file.hash.sha256', 'file.size', 'mitra.state', 'host.name', 'file.path'];
const NEWEST_FIRST: estypes.SortCombinations[] = [{ '@timestamp': { order: 'desc' } }, { 'mitra.ingested_at': { order: 'desc' } }];

const fileFilter = (host: string, path: string) => [{ term: { 'host.name': host } }, { term: { 'file.path': path } }];

export async function listVersions(scope: IndexScope, q: VersionsQuery): Promise<VersionList> {
  const size = q.size ?? 100;
  const page = q.page ?? 1;
  const range = q.from || q.to ? [{ range: { '@timestamp': { gte: q.from, lte: q.to } } }] : [];
  // The version page and the last-seen time are independent: one round trip, not two.
  const [res, seen] = await Promise.all([
    scope.client.search<Record<string, unknown>>({
      index: historyIndices(scope.prefix),
      ...LENIENT,
      query: { bool: { filter: [...fileFilter(q.host, q.path), ...range] } },
      sort: NEWEST_FIRST,
      from: (page - 1) * size,
      size,
      track_total_hits: true,
      _source: SUMMARY_FIELDS,
    }),
    lastSeen(scope, q.host, q.path),
  ]);
  const versions = res.hits.hits.map(toVersion);
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? versions.length);
  return { host: q.host, path: q.path, versions, total, page, size, asOf: seen ?? versions[0]?.timestamp ?? null };
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
