import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import { currentStateId } from '../ids';
import { explainSearchError, allCompositeBuckets, maxDate, pathIs, present, search, term, type CompositeBucket } from './common';
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

export type DriftParams = ParamInput<typeof DRIFT_PARAMS>;

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
  /** Drifted hosts. */
  total: number;
  hosts: DriftHost[];
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
  const { buckets } = await allCompositeBuckets(client, {
    index,
    query: { bool: { filter: [pathIs(path)], must_not: [{ bool: { filter: [present, term('file.hash.sha256', reference.hash)] } }] } },
    sources: [{ host: { terms: { field: 'host.name' } } }],
    aggs: { doc: { top_hits: { size: 1, _source: ['file.hash.sha256', 'mitra.state', '@timestamp'] } } },
  });
  const hosts = buckets.map(toDriftHost);
  return { path, asOf: maxDate(aggs.as_of), reference, variants, reporting, total: hosts.length, hosts };
}

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

function toDriftHost(b: CompositeBucket): DriftHost {
  const hit = (
    b.doc as { hits: { hits: { _source: { '@timestamp'?: string; mitra?: { state?: string }; file?: { hash?: { sha256?: string } } } }[] } }
  ).hits.hits[0]._source;
  const ts = hit['@timestamp'];
  return {
    host: String(b.key.host),
    hash: hit.file?.hash?.sha256 ?? null,
    state: hit.mitra?.state ?? 'present',
    lastSeen: ts ? new Date(ts).toISOString() : null,
  };
}
