import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import { allCompositeBuckets, lastSeenAgg, maxDate, present, search, term, type Aggs, type Query } from './common';
import { currentIndex } from '../names';

/**
 * The distribution of one setting (vm.swappiness) across the fleet, with the
 * hosts behind each value. A host can report a key twice: live (the
 * `mitra:sysctl` snapshot or a /proc/sys/* file) and configured (sysctl.conf,
 * sysctl.d). The live value is what the kernel runs with, so it wins; the
 * configured one is used only for hosts without a live snapshot of the key.
 *
 * The server does the grouping: a composite aggregation per host with nested
 * aggregations on mitra.settings (key filter, terms on value) split by source;
 * only (host, source, value) triples come back, never documents. The per-host
 * choice of source is made here because it depends on what else the host has.
 */
export interface ValuesParams {
  key: string;
}

export type SettingSource = 'live' | 'file';

export interface ValueHost {
  host: string;
  /** Path the value came from: mitra:sysctl, /proc/sys/..., /etc/sysctl.conf, /etc/sysctl.d/*.conf. */
  path: string;
  source: SettingSource;
  lastSeen: string | null;
}

export interface ValueBucket {
  value: string;
  count: number;
  hosts: ValueHost[];
}

export interface ValuesResult {
  key: string;
  asOf: string | null;
  /** Hosts reporting the key. */
  total: number;
  /** live: every host from its live snapshot; file: every host from configuration files; mixed: some of each. */
  source: SettingSource | 'mixed' | 'none';
  /** Most common value first. */
  values: ValueBucket[];
}

const LIVE: Query = {
  bool: { should: [term('file.path', 'mitra:sysctl'), { prefix: { 'file.path': '/proc/sys/' } }], minimum_should_match: 1 },
};

export async function settingValues(client: MitraClient, prefix: string, params: ValuesParams): Promise<ValuesResult> {
  const key = params.key.trim();
  if (!key) throw new UsageError('setting key is empty: give a dotted key, e.g. vm.swappiness');
  const keyFilter = term('mitra.settings.key', key);
  const query: Query = { bool: { filter: [present, { nested: { path: 'mitra.settings', query: keyFilter } }] } };
  const reports =
    (await reportsInOneRequest(client, prefix, keyFilter, query)) ?? (await reportsByHostPages(client, prefix, keyFilter, query));
  const byValue = new Map<string, ValueHost[]>();
  for (const [host, r] of reports.hosts) {
    const chosen = chooseValue(r.live, r.file);
    if (!chosen) continue;
    const row: ValueHost = { host, path: chosen.path, source: chosen.source, lastSeen: r.lastSeen };
    byValue.set(chosen.value, [...(byValue.get(chosen.value) ?? []), row]);
  }
  const values = [...byValue.entries()]
    .map(([value, hosts]) => ({ value, count: hosts.length, hosts }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const all = values.flatMap((v) => v.hosts);
  return { key, asOf: reports.asOf, total: all.length, source: overallSource(all), values };
}

/** What each host reports for the key: live and configured (path, value) pairs, and when it was last seen. */
interface HostReports {
  hosts: Map<string, { live: PathValue[]; file: PathValue[]; lastSeen: string | null }>;
  asOf: string | null;
}

/** Hosts per value per source in one request, while the fleet fits the cluster's bucket limit (tens of thousands of hosts). */
/** @internal exported for the test that checks both strategies agree */
export async function reportsInOneRequest(
  client: MitraClient,
  prefix: string,
  keyFilter: Query,
  query: Query,
): Promise<HostReports | undefined> {
  const hostsOfValue: Aggs = {
    hosts: {
      terms: { field: 'host.name', size: 65_000 },
      aggs: { last_seen: { max: { field: '@timestamp' } }, path: { terms: { field: 'file.path', size: 20 } } },
    },
  };
  const aggs: Aggs = {
    as_of: { max: { field: '@timestamp' } },
    source: {
      filters: { filters: { live: LIVE, file: { bool: { must_not: [LIVE] } } } },
      aggs: {
        settings: {
          nested: { path: 'mitra.settings' },
          aggs: {
            key: {
              filter: keyFilter,
              aggs: {
                value: { terms: { field: 'mitra.settings.value', size: 1000 }, aggs: { doc: { reverse_nested: {}, aggs: hostsOfValue } } },
              },
            },
          },
        },
      },
    },
  };
  let res;
  try {
    res = await search(client, { index: currentIndex(prefix), size: 0, query, aggs });
  } catch (e) {
    // Past the bucket limit the per-host pages below still work.
    if (/too_many_buckets/.test(JSON.stringify((e as { cause?: { meta?: { body?: unknown } } }).cause?.meta?.body ?? ''))) return undefined;
    throw e;
  }
  type Bucket<T> = { key: string; doc_count: number } & T;
  type Host = Bucket<{ last_seen: { value_as_string?: string; value: number | null }; path: { buckets: Bucket<object>[] } }>;
  type Value = Bucket<{ doc: { hosts: { buckets: Host[] } } }>;
  type Source = { settings: { key: { value: { buckets: Value[] } } } };
  const a = res.aggregations as unknown as { as_of: unknown; source: { buckets: Record<SettingSource, Source> } };
  const hosts: HostReports['hosts'] = new Map();
  for (const source of ['live', 'file'] as const) {
    for (const v of a.source.buckets[source].settings.key.value.buckets) {
      for (const h of v.doc.hosts.buckets) {
        const r = hosts.get(h.key) ?? { live: [], file: [], lastSeen: null };
        for (const p of h.path.buckets) r[source].push({ path: p.key, value: v.key, source });
        const seen = maxDate(h.last_seen);
        if (seen && (!r.lastSeen || seen > r.lastSeen)) r.lastSeen = seen;
        hosts.set(h.key, r);
      }
    }
  }
  return { hosts, asOf: maxDate(a.as_of) };
}

/** The same, a page of hosts at a time (composite): any fleet size. */
/** @internal */
export async function reportsByHostPages(client: MitraClient, prefix: string, keyFilter: Query, query: Query): Promise<HostReports> {
  const valuesOf: Aggs = {
    settings: {
      nested: { path: 'mitra.settings' },
      aggs: { key: { filter: keyFilter, aggs: { value: { terms: { field: 'mitra.settings.value', size: 5 } } } } },
    },
  };
  const aggs: Aggs = {
    ...lastSeenAgg,
    live: { filter: LIVE, aggs: { path: { terms: { field: 'file.path', size: 5 }, aggs: valuesOf } } },
    file: { filter: { bool: { must_not: [LIVE] } }, aggs: { path: { terms: { field: 'file.path', size: 50 }, aggs: valuesOf } } },
  };
  const { buckets, top } = await allCompositeBuckets(
    client,
    { index: currentIndex(prefix), query, sources: [{ host: { terms: { field: 'host.name' } } }], aggs },
    { topAggs: { as_of: { max: { field: '@timestamp' } } } },
  );
  const hosts: HostReports['hosts'] = new Map();
  for (const b of buckets) {
    hosts.set(String(b.key.host), { live: pathValues(b.live, 'live'), file: pathValues(b.file, 'file'), lastSeen: maxDate(b.last_seen) });
  }
  return { hosts, asOf: maxDate(top.as_of) };
}

interface PathValue {
  path: string;
  value: string;
  source: SettingSource;
}

function chooseValue(live: PathValue[], files: PathValue[]): PathValue | undefined {
  // Two live sources (mitra:sysctl and a /proc/sys file) agree in practice; take one deterministically.
  if (live.length) return [...live].sort((x, y) => x.path.localeCompare(y.path))[0];
  // `sysctl --system` applies sysctl.d in name order and /etc/sysctl.conf last: the last one applied wins.
  const ordered = [...files].sort((x, y) => applyOrder(x.path) - applyOrder(y.path) || x.path.localeCompare(y.path));
  return ordered[ordered.length - 1];
}

const applyOrder = (path: string): number => (path === '/etc/sysctl.conf' ? 1 : 0);

function pathValues(agg: unknown, source: SettingSource): PathValue[] {
  type Paths = { path?: { buckets: { key: string; settings?: { key?: { value?: { buckets: { key: string }[] } } } }[] } };
  const out: PathValue[] = [];
  for (const p of (agg as Paths | undefined)?.path?.buckets ?? []) {
    const value = p.settings?.key?.value?.buckets?.[0]?.key;
    if (value !== undefined) out.push({ path: p.key, value, source });
  }
  return out;
}

function overallSource(hosts: ValueHost[]): ValuesResult['source'] {
  if (!hosts.length) return 'none';
  const live = hosts.filter((h) => h.source === 'live').length;
  return live === hosts.length ? 'live' : live === 0 ? 'file' : 'mixed';
}
