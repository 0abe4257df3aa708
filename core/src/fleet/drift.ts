import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import { currentStateId } from '../ids';
import {
  explainSearchError,
  allCompositeBuckets,
  hitCount,
  maxDate,
  pathIs,
  present,
  search,
  term,
  type PageParams,
  type Query,
} from './common';
import { currentIndex } from '../names';
import { text } from '../shapes/fields';
import type { ParamInput, Params } from '../shapes/param';

/**
 * Hosts whose copy of a file differs from a reference: the fleet's majority
 * version (the most common file.hash.sha256, from a terms aggregation) or the
 * copy on a named golden host. Hosts whose file is not present (missing,
 * unreadable, ...) drift too and are listed with their state; hosts that do
 * not report the path at all are not counted.
 */
export const DRIFT_PARAMS = {
  path: { type: text('/etc/resolv.conf', 4096), label: 'File', help: 'the file to compare', positional: 'one' },
  golden: { type: text('web-01', 1024).optional(), label: 'Golden host', help: "compare with this host's copy", default: 'the majority' },
} satisfies Params;

/** The path, the reference, and a page of drifted hosts (`size`, default 100, after host `after`). */
export type DriftParams = ParamInput<typeof DRIFT_PARAMS> & PageParams;

/** Drifted hosts per answer when the caller names no size. */
export const DRIFT_PAGE = 100;

export interface DriftHost {
  host: string;
  hash: string | null;
  state: string;
  lastSeen: string | null;
}

export interface DriftResult {
  path: string;
  asOf: string | null;
  reference: { source: 'majority' | 'golden'; hash: string; host?: string; hosts: number; tie?: boolean };
  /** Each distinct version (by hash; non-present states by state) and how many hosts have it. */
  variants: { hash: string | null; state: string; hosts: number }[];
  /** Hosts reporting the path. */
  reporting: number;
  /** Drifted hosts, all pages. */
  total: number;
  /** One page, in host-name order. */
  hosts: DriftHost[];
  /** Pass as `after` for the next page; absent on the last one. */
  next?: string;
}

export async function fileDrift(client: MitraClient, prefix: string, params: DriftParams): Promise<DriftResult> {
  const path = params.path.trim();
  if (!path) throw new UsageError('drift needs a file path, e.g. /etc/resolv.conf');
  const index = currentIndex(prefix);
  const summary = await search(client, {
    index,
    size: 0,
    query: pathIs(path),
    aggs: {
      as_of: { max: { field: '@timestamp' } },
      present: { filter: present, aggs: { hashes: { terms: { field: 'file.hash.sha256', size: 100 } } } },
      states: { terms: { field: 'mitra.state', size: 10 } },
    },
  });
  const aggs = summary.aggregations as unknown as {
    as_of: unknown;
    present: { hashes: { buckets: { key: string; doc_count: number }[] } };
    states: { buckets: { key: string; doc_count: number }[] };
  };
  const hashes = aggs.present.hashes.buckets;
  const reporting = aggs.states.buckets.reduce((n, b) => n + b.doc_count, 0);
  if (!reporting) throw new UsageError(`no host reports ${path}: check the path (mitra search 'filename:"${path}"')`);
  const reference = params.golden ? await goldenReference(client, index, params.golden, path, hashes) : majorityReference(path, hashes);
  const variants = [
    ...hashes.map((h) => ({ hash: h.key, state: 'present', hosts: h.doc_count })),
    ...aggs.states.buckets.filter((s) => s.key !== 'present').map((s) => ({ hash: null, state: s.key, hosts: s.doc_count })),
  ];
  // One document per (host, path): the drifted documents are the drifted hosts, so a page is a sorted search and the total a count.
  const size = params.size ?? DRIFT_PAGE;
  const res = await search<DriftSource>(client, {
    index,
    size: size + 1,
    track_total_hits: true,
    query: driftedFilter(path, reference.hash),
    sort: [{ 'host.name': 'asc' }],
    _source: ['host.name', 'file.hash.sha256', 'mitra.state', '@timestamp'],
    ...(params.after === undefined ? {} : { search_after: [params.after] }),
  });
  const total = hitCount(res.hits.total);
  const hosts = res.hits.hits.slice(0, size).map((h) => toDriftHost(String(h.sort![0]), h._source ?? {}));
  const next = res.hits.hits.length > size ? hosts[hosts.length - 1].host : undefined;
  return { path, asOf: maxDate(aggs.as_of), reference, variants, reporting, total, hosts, ...(next ? { next } : {}) };
}

/** Every drifted host's name: what alert rules and saved searches compare (no page). */
export async function allDriftedHosts(
  client: MitraClient,
  prefix: string,
  params: DriftParams,
): Promise<{ count: number; hosts: string[] }> {
  const first = await fileDrift(client, prefix, { ...params, size: 1, after: undefined });
  const { buckets } = await allCompositeBuckets(client, {
    index: currentIndex(prefix),
    query: driftedFilter(first.path, first.reference.hash),
    sources: [{ host: { terms: { field: 'host.name' } } }],
    aggs: {},
  });
  return { count: buckets.length, hosts: buckets.map((b) => String(b.key.host)) };
}

const driftedFilter = (path: string, hash: string): Query => ({
  bool: { filter: [pathIs(path)], must_not: [{ bool: { filter: [present, term('file.hash.sha256', hash)] } }] },
});

function majorityReference(path: string, hashes: { key: string; doc_count: number }[]): DriftResult['reference'] {
  if (!hashes.length) throw new UsageError(`no host has a readable copy of ${path}: nothing to compare with`);
  const [top, second] = hashes;
  return {
    source: 'majority',
    hash: top.key,
    hosts: top.doc_count,
    ...(second && second.doc_count === top.doc_count ? { tie: true } : {}),
  };
}

async function goldenReference(
  client: MitraClient,
  index: string,
  golden: string,
  path: string,
  hashes: { key: string; doc_count: number }[],
): Promise<DriftResult['reference']> {
  let doc: { mitra?: { state?: string }; file?: { hash?: { sha256?: string } } } | undefined;
  try {
    const res = await client.get<typeof doc>(
      { index, id: currentStateId(golden, path), _source_includes: ['mitra.state', 'file.hash.sha256'] },
      { ignore: [404] },
    );
    doc = res.found ? res._source : undefined;
  } catch (e) {
    throw explainSearchError(e, client, index);
  }
  if (!doc)
    throw new UsageError(`golden host ${golden} has no snapshot of ${path}: check the host name (mitra hosts) or pick another --golden`);
  const hash = doc.file?.hash?.sha256;
  if (doc.mitra?.state !== 'present' || !hash)
    throw new UsageError(`golden host ${golden} has no readable copy of ${path} (state ${doc.mitra?.state}): pick another --golden`);
  return { source: 'golden', host: golden, hash, hosts: hashes.find((h) => h.key === hash)?.doc_count ?? 1 };
}

interface DriftSource {
  '@timestamp'?: string;
  mitra?: { state?: string };
  file?: { hash?: { sha256?: string } };
}

function toDriftHost(host: string, doc: DriftSource): DriftHost {
  const ts = doc['@timestamp'];
  return {
    host,
    hash: doc.file?.hash?.sha256 ?? null,
    state: doc.mitra?.state ?? 'present',
    lastSeen: ts ? new Date(ts).toISOString() : null,
  };
}
