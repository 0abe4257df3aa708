import type { estypes } from '@elastic/elasticsearch';
import { clusterUrl, responseStatus, type EsResponseError, type MitraClient } from '../client';
import { explainError, responseReason } from '../connection';
import { ClusterError, UsageError } from '../errors';
import type { FieldRef } from '../schema';
import { HOST_JOIN } from '../wire';

/** Paths that hold a package inventory are recognised by their parsed format, not their name. */
export const INVENTORY_FORMATS = ['dpkg', 'rpm'];
/**
 * The paths the pipeline parses as an inventory without being told a format
 * (its format choice in assets/pipelines/snapshot.yml; test/src/host-document.test.ts
 * holds the two to each other): what a host document must list for its host to have one.
 */
export const INVENTORY_PATHS = ['mitra:packages', '/tmp/pkgs'];

export type Query = estypes.QueryDslQueryContainer;
export type Aggs = Record<string, estypes.AggregationsAggregationContainer>;

/** Host name pages: `size` hosts after host `after` (the `next` of the previous page). */
export interface PageParams {
  /** Hosts per page (default: all). */
  size?: number;
  /** Host name to continue after, from a previous result's `next`. */
  after?: string;
}

/** Field names come from the schema (core/src/schema.ts): a misspelt field fails tsc instead of matching nothing. */
export const term = (field: FieldRef, value: string | number | boolean): Query => ({ term: { [field]: value } });
export const terms = (field: FieldRef, values: string[]): Query => ({ terms: { [field]: values } });
export const present: Query = term('mitra.state', 'present');
export const pathIs = (path: string): Query => term('file.path', path);

/**
 * Runs a search and turns failures into one-line Mitra errors: a query the
 * server cannot parse becomes a UsageError naming the query, a missing index
 * points at `mitra setup`, anything else goes through explainError.
 */
export async function search<T = unknown>(
  client: MitraClient,
  request: estypes.SearchRequest,
  userQuery?: string,
): Promise<estypes.SearchResponse<T>> {
  let res: estypes.SearchResponse<T>;
  try {
    // A shard that fails on every copy (a node gone, no replica) must be an error, never a smaller answer.
    res = await client.search<T>({ allow_partial_search_results: false, ...request });
  } catch (e) {
    throw explainSearchError(e, client, String(request.index), userQuery);
  }
  if (res._shards?.failed) throw shardsFailed(res._shards.failed, res._shards.total, client, String(request.index));
  return res;
}

export const shardsFailed = (failed: number, total: number, client: MitraClient, index: string) =>
  new ClusterError(
    `${failed} of ${total} shards of ${index} failed to answer at ${clusterUrl(client)}: the answer would be incomplete; retry when the cluster is healthy`,
  );

/**
 * What Elasticsearch answers when Mitra's own sorts and aggregations meet an index with another mapping (an index
 * of that name that mitra setup did not make): never a fault of the user's query, which neither sorts nor aggregates.
 */
const NOT_MITRA_MAPPING =
  /No mapping found for \[[^\]]*\] in order to sort on|Text fields are not optimised for operations|of type \[[^\]]*\] is not supported for aggregation/;

export function explainSearchError(e: unknown, client: MitraClient, index: string, userQuery?: string): Error {
  const status = responseStatus(e);
  if (status !== undefined) {
    const err = e as EsResponseError;
    const reason = responseReason(err);
    const type = JSON.stringify(err.meta.body ?? '');
    if (status === 404 && /index_not_found/.test(type)) {
      return new ClusterError(`index ${index} does not exist at ${clusterUrl(client)}: run mitra setup (or check --prefix)`, { cause: e });
    }
    if (status === 400 && NOT_MITRA_MAPPING.test(reason)) {
      return new ClusterError(
        `index ${index} at ${clusterUrl(client)} is not a Mitra index (${oneLine(reason)}): check --prefix (mitra setup makes a new prefix's indices)`,
        { cause: e },
      );
    }
    // The parse error Elasticsearch reports first hides this cause, deeper in the shard failure: the syntax is fine.
    const clauses =
      userQuery !== undefined && status === 400 ? /"type":"too_many(?:_nested)?_clauses","reason":"([^"]*)"/.exec(type) : null;
    if (clauses) {
      return new UsageError(
        `query "${userQuery}" has too many clauses (${clauses[1]}): use fewer terms, or split it into several searches`,
        { cause: e },
      );
    }
    if (userQuery !== undefined && status === 400) {
      return new UsageError(
        `query "${userQuery}" does not parse: ${oneLine(reason)}; check the Lucene syntax (quote paths: filename:"/etc/fstab")`,
        {
          cause: e,
        },
      );
    }
  }
  return explainError(e, clusterUrl(client));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface CompositeBucket {
  key: Record<string, string | number>;
  doc_count: number;
  [agg: string]: unknown;
}

/**
 * Every bucket of a composite aggregation, page by page (`pageSize` buckets a
 * request), so host lists of any length are built server-side without pulling
 * documents. Returns the buckets and the top-level aggregations of the first page.
 */
export async function allCompositeBuckets(
  client: MitraClient,
  request: { index: string; query: Query; sources: Record<string, estypes.AggregationsCompositeAggregationSource>[]; aggs: Aggs },
  opts: { pageSize?: number; topAggs?: Aggs; userQuery?: string } = {},
): Promise<{ buckets: CompositeBucket[]; top: Record<string, unknown> }> {
  const buckets: CompositeBucket[] = [];
  let after: Record<string, string | number> | undefined;
  let top: Record<string, unknown> = {};
  const pageSize = opts.pageSize ?? 5000;
  // A bucket_selector can empty a page while more groups remain: then only a missing after_key ends the list.
  const selects = Object.values(request.aggs).some((a) => 'bucket_selector' in a);
  for (let first = true; ; first = false) {
    const res = await search(
      client,
      {
        index: request.index,
        size: 0,
        query: request.query,
        aggs: {
          groups: {
            composite: { size: pageSize, sources: request.sources, ...(after ? { after } : {}) },
            aggs: request.aggs,
          },
          ...(first ? opts.topAggs : {}),
        },
      },
      opts.userQuery,
    );
    const aggs = (res.aggregations ?? {}) as Record<string, unknown>;
    if (first) top = aggs;
    const groups = aggs.groups as { buckets: CompositeBucket[]; after_key?: Record<string, string | number> } | undefined;
    // A page holds up to 65,000 buckets: appended one by one, since a spread of that many arguments is near the call-stack limit.
    for (const b of groups?.buckets ?? []) buckets.push(b);
    if (!groups?.after_key || (groups.buckets.length === 0 && groups.after_key === after)) break;
    // Without a selector a short page is the last one: asking again would read every matching document once more for nothing.
    if (!selects && groups.buckets.length < pageSize) break;
    after = groups.after_key;
  }
  return { buckets, top };
}

/**
 * No current document lacks the agent's stamp (`mitra.agent.host_doc`, see
 * HOST_DOC_PATH): then every host has a host document, one per host, and
 * questions about the set of hosts can read those.
 */
export const everyHostWritesHostDoc = (client: MitraClient, index: string): Promise<boolean> =>
  noDocumentMatches(client, index, [{ bool: { must_not: [term('mitra.agent.host_doc', true)] } }]);

/**
 * Every current document is stamped as above and joined to its host's host
 * document (HOST_JOIN): then a host question is one filter over the host
 * documents (a has_child per condition). A fleet with documents from the
 * original tool or Filebeat, or written before the join existed, is not.
 */
export const everyHostJoined = (client: MitraClient, index: string): Promise<boolean> =>
  noDocumentMatches(client, index, [
    { bool: { must_not: [term('mitra.agent.host_doc', true)] } },
    { bool: { must_not: [{ exists: { field: HOST_JOIN.field } }] } },
  ]);

/** No current document matches any of `exceptions`: one request, stopped at the first that does. */
async function noDocumentMatches(client: MitraClient, index: string, exceptions: Query[]): Promise<boolean> {
  const res = await search(client, {
    index,
    size: 0,
    terminate_after: 1,
    track_total_hits: true,
    query: { bool: { should: exceptions, minimum_should_match: 1 } },
  });
  return hitCount(res.hits.total) === 0;
}

/** How many documents match `query`, exactly. */
export async function countMatching(client: MitraClient, index: string, query: Query): Promise<number> {
  return hitCount((await search(client, { index, size: 0, track_total_hits: true, query })).hits.total);
}

/** A search's hit total as a number (the engine answers a number or `{value, relation}`). */
export const hitCount = (total: estypes.SearchTotalHits | number | undefined): number =>
  typeof total === 'number' ? total : (total?.value ?? 0);

/** The value of a max aggregation on a date field, as ISO text (null when no documents). */
export function maxDate(agg: unknown): string | null {
  const a = agg as { value?: number | null; value_as_string?: string } | undefined;
  if (a?.value === null || a?.value === undefined || !Number.isFinite(a.value)) return null;
  return new Date(a.value).toISOString();
}

export const lastSeenAgg: Aggs = { last_seen: { max: { field: '@timestamp' } } };

/**
 * The newest @timestamp in an index (null when empty): one hit sorted by time,
 * which skips the older documents (points), where a max aggregation reads the
 * time of every document (~40 ms over 800,000, uncached).
 */
export async function newestTimestamp(client: MitraClient, index: string): Promise<string | null> {
  const res = await search(client, { index, size: 1, track_total_hits: false, _source: false, sort: [{ '@timestamp': 'desc' }] });
  const newest = res.hits.hits[0]?.sort?.[0];
  return typeof newest === 'number' && Number.isFinite(newest) ? new Date(newest).toISOString() : null;
}

/** One page of a sorted list: rows after `after`, at most `size`, and the `next` cursor. */
export function page<T>(rows: T[], keyOf: (row: T) => string, params: PageParams): { rows: T[]; next?: string } {
  const start = params.after === undefined ? 0 : rows.findIndex((r) => keyOf(r) > params.after!);
  const from = start < 0 ? rows.length : start;
  if (params.size === undefined) return { rows: rows.slice(from) };
  const slice = rows.slice(from, from + params.size);
  const more = from + params.size < rows.length;
  return more ? { rows: slice, next: keyOf(slice[slice.length - 1]) } : { rows: slice };
}

/** Latest of several ISO timestamps (null when none). */
export function latest(times: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const t of times) if (t && (!best || t > best)) best = t;
  return best;
}
