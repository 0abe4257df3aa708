import type { MitraClient } from '../client';
import { countMatching, everyHostWritesHostDoc, newestTimestamp, pathIs, present, search, term } from './common';
import { currentIndex } from '../names';
import { HOST_DOC_PATH } from '../wire';

export interface OverviewBucket {
  value: string;
  hosts: number;
}

export interface OverviewResult {
  /** Hosts with any current-state document. */
  hosts: number;
  /** Set when `hosts` is an estimate: a cardinality past its precision threshold (40,000 hosts), within about 0.1% (never when every host writes a host document: then they are counted). */
  approximate?: true;
  /** Hosts per kernel major.minor (from /proc/version). */
  kernels: OverviewBucket[];
  /** Hosts per OS (PRETTY_NAME from os-release). */
  os: OverviewBucket[];
  /** Hosts whose kernel or OS is not known (no /proc/version or os-release snapshot). */
  unknownKernel: number;
  unknownOs: number;
  total: number;
  asOf?: string;
}

/**
 * The fleet at a glance, for the Fleet screen's facets: one request, three
 * aggregations. Each host has one /proc/version and one os-release document,
 * so document counts are host counts there; the host total is the count of
 * host documents when every host writes one (HOST_DOC_PATH), else a
 * cardinality (exact below 40,000 hosts with this precision threshold).
 */
/** Elasticsearch's largest: below it a cardinality counts exactly (in practice), above it estimates. */
const PRECISION_THRESHOLD = 40_000;

export async function fleetOverview(client: MitraClient, prefix: string, params: { top?: number } = {}): Promise<OverviewResult> {
  const top = params.top ?? 50;
  const index = currentIndex(prefix);
  const [res, asOf, counted] = await Promise.all([
    search(client, {
      index,
      size: 0,
      track_total_hits: false,
      aggs: {
        hosts: { cardinality: { field: 'host.name', precision_threshold: PRECISION_THRESHOLD } },
        kernels: {
          filter: { bool: { filter: [term('mitra.format', 'proc_version'), present] } },
          aggs: { by: { terms: { field: 'mitra.kernel.major_minor', size: top } } },
        },
        os: {
          filter: { bool: { filter: [term('mitra.format', 'os_release'), present] } },
          aggs: { by: { terms: { field: 'mitra.os.pretty_name', size: top } } },
        },
      },
    }),
    newestTimestamp(client, index),
    hostDocCount(client, index),
  ]);
  const aggs = res.aggregations as unknown as {
    hosts: { value: number };
    kernels: { doc_count: number; by: { buckets: { key: string; doc_count: number }[] } };
    os: { doc_count: number; by: { buckets: { key: string; doc_count: number }[] } };
  };
  const buckets = (b: { buckets: { key: string; doc_count: number }[] }) =>
    b.buckets.map((x) => ({ value: String(x.key), hosts: x.doc_count }));
  const hosts = counted ?? aggs.hosts.value;
  return {
    hosts,
    ...(counted === undefined && hosts >= PRECISION_THRESHOLD ? { approximate: true as const } : {}),
    kernels: buckets(aggs.kernels.by),
    os: buckets(aggs.os.by),
    unknownKernel: Math.max(0, hosts - aggs.kernels.doc_count),
    unknownOs: Math.max(0, hosts - aggs.os.doc_count),
    total: hosts,
    ...(asOf ? { asOf } : {}),
  };
}

/** Hosts, exactly, when every host writes a host document (one each); undefined otherwise. */
async function hostDocCount(client: MitraClient, index: string): Promise<number | undefined> {
  if (!(await everyHostWritesHostDoc(client, index))) return undefined;
  return countMatching(client, index, pathIs(HOST_DOC_PATH));
}
