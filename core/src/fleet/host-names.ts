import type { estypes } from '@elastic/elasticsearch';
import { unzipSync } from 'node:zlib';
import type { MitraClient } from '../client';
import { explainSearchError, search, shardsFailed, type Query } from './common';

/**
 * Every host name among the documents matching `query`, in name order: a
 * composite aggregation on `host.name`, paged like allCompositeBuckets, with
 * the names read straight from the response text. A list of 50,000 hosts is
 * ~2.4 MB of JSON holding two objects per host; JSON.parse spends 22-38 ms of
 * the one JS thread building them (Node 20), where this scan takes 7-12 ms,
 * and a question that lists two conditions parses both responses one after
 * the other. A client that does not hand back the raw body (one that ignores
 * `asStream`) gets the parsed response instead, read the usual way.
 */
export async function compositeHostNames(client: MitraClient, index: string, query: Query, pageSize: number): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  for (;;) {
    const composite = {
      size: pageSize,
      sources: [{ host: { terms: { field: 'host.name' } } }],
      ...(after === undefined ? {} : { after: { host: after } }),
    };
    const page = await namePage(client, { index, size: 0, track_total_hits: false, query, aggs: { groups: { composite } } });
    for (const name of page.names) names.push(name);
    if (page.after === undefined || page.names.length < pageSize) return names;
    after = page.after;
  }
}

interface NamePage {
  names: string[];
  after?: string;
  failedShards: number;
  totalShards: number;
}

/** A JSON string's contents as the regular expressions below capture them: escapes left as they are. */
const STRING = '"((?:[^"\\\\]|\\\\.)*)"';
// A quote right before `key` cannot be escaped inside a string (it would read \"key\"), so neither pattern can start within a host name.
const BUCKET_KEY = new RegExp(`"key"\\s*:\\s*\\{\\s*"host"\\s*:\\s*${STRING}\\s*\\}`, 'g');
const AFTER_KEY = new RegExp(`"after_key"\\s*:\\s*\\{\\s*"host"\\s*:\\s*${STRING}\\s*\\}`);
const SHARDS = /"_shards"\s*:\s*\{\s*"total"\s*:\s*(\d+)[^{}[\]]*?"failed"\s*:\s*(\d+)/;

const unescape = (s: string) => (s.includes('\\') ? (JSON.parse(`"${s}"`) as string) : s);

/** @internal exported for the test that feeds it hostile names */
export function scanPage(text: string): NamePage {
  const shards = SHARDS.exec(text);
  const names = Array.from(text.matchAll(BUCKET_KEY), (m) => unescape(m[1]));
  const after = AFTER_KEY.exec(text)?.[1];
  return {
    names,
    ...(after === undefined ? {} : { after: unescape(after) }),
    totalShards: Number(shards?.[1] ?? 0),
    failedShards: Number(shards?.[2] ?? 0),
  };
}

function parsedPage(res: estypes.SearchResponse): NamePage {
  const groups = (res.aggregations as Record<string, { buckets: { key: { host: unknown } }[]; after_key?: { host: unknown } }> | undefined)
    ?.groups;
  return {
    names: (groups?.buckets ?? []).map((b) => String(b.key.host)),
    ...(groups?.after_key ? { after: String(groups.after_key.host) } : {}),
    totalShards: res._shards?.total ?? 0,
    failedShards: res._shards?.failed ?? 0,
  };
}

/**
 * One page of names: the answer read as text (or parsed, from a client that
 * ignores `asStream`), and a shard that failed on every copy is an error,
 * never a shorter list. An error answer is asked again through `search`, so
 * it is the error `search` gives, and the client's own handling of it
 * applies: Kibana's transport refreshes an expired session's credentials on a
 * 401 and retries, but returns a streamed 401 as it came
 * (src/core/packages/elasticsearch/client-server-internal/src/create_transport.ts,
 * KibanaTransport.request: "Without this flag, streamed 401 responses are
 * returned as-is to the caller").
 */
async function namePage(client: MitraClient, request: estypes.SearchRequest): Promise<NamePage> {
  const index = String(request.index);
  let res: Answer;
  try {
    const answer: unknown = await client.search({ allow_partial_search_results: false, ...request }, {
      asStream: true,
      meta: true,
    } as never);
    // A client that ignores the options answers the parsed body alone.
    res = typeof answer === 'object' && answer !== null && 'body' in answer ? (answer as Answer) : { body: answer };
  } catch (e) {
    throw explainSearchError(e, client, index);
  }
  if (!isReadable(res.body)) return checked(parsedPage(res.body as estypes.SearchResponse), client, index);
  if ((res.statusCode ?? 200) >= 400) {
    // Read to the end so the connection is free again; search throws its own error (or answers after the client's retry).
    for await (const chunk of res.body) void chunk;
    return parsedPage(await search(client, request));
  }
  return checked(scanPage(await readText(res.body, String(res.headers?.['content-encoding'] ?? ''))), client, index);
}

function checked(page: NamePage, client: MitraClient, index: string): NamePage {
  if (page.failedShards) throw shardsFailed(page.failedShards, page.totalShards, client, index);
  return page;
}

/** What the client answers with `meta: true`. */
interface Answer {
  statusCode?: number;
  headers?: Record<string, unknown>;
  body: unknown;
}

const isReadable = (body: unknown): body is AsyncIterable<Buffer | string> =>
  typeof body === 'object' && body !== null && Symbol.asyncIterator in body;

/** The whole body as text; a client configured with `compression` is answered in gzip, which `asStream` leaves as it came. */
async function readText(body: AsyncIterable<Buffer | string>, encoding: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const bytes = Buffer.concat(chunks);
  return (/gzip|deflate/i.test(encoding) ? unzipSync(bytes) : bytes).toString('utf8');
}
