import type { Client } from '@elastic/elasticsearch';
import { UsageError } from '../errors';
import {
  allCompositeBuckets,
  currentIndex,
  lastSeenAgg,
  maxDate,
  present,
  term,
  type Aggs,
  type CompositeBucket,
  type Query,
} from './common';

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

export async function settingValues(client: Client, prefix: string, params: ValuesParams): Promise<ValuesResult> {
  const key = params.key.trim();
  if (!key) throw new UsageError('setting key is empty: give a dotted key, e.g. vm.swappiness');
  const keyFilter = term('mitra.settings.key', key);
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
    {
      index: currentIndex(prefix),
      query: { bool: { filter: [present, { nested: { path: 'mitra.settings', query: keyFilter } }] } },
      sources: [{ host: { terms: { field: 'host.name' } } }],
      aggs,
    },
    { topAggs: { as_of: { max: { field: '@timestamp' } } } },
  );
  const byValue = new Map<string, ValueHost[]>();
  for (const b of buckets) {
    const chosen = chooseValue(b);
    if (!chosen) continue;
    const row: ValueHost = { host: String(b.key.host), path: chosen.path, source: chosen.source, lastSeen: maxDate(b.last_seen) };
    byValue.set(chosen.value, [...(byValue.get(chosen.value) ?? []), row]);
  }
  const values = [...byValue.entries()]
    .map(([value, hosts]) => ({ value, count: hosts.length, hosts }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const all = values.flatMap((v) => v.hosts);
  return { key, asOf: maxDate(top.as_of), total: all.length, source: overallSource(all), values };
}

interface PathValue {
  path: string;
  value: string;
  source: SettingSource;
}

function chooseValue(b: CompositeBucket): PathValue | undefined {
  const live = pathValues(b.live, 'live');
  if (live.length) return live[0];
  const files = pathValues(b.file, 'file');
  // `sysctl --system` applies sysctl.d in name order and /etc/sysctl.conf last: the last one applied wins.
  files.sort((x, y) => applyOrder(x.path) - applyOrder(y.path) || x.path.localeCompare(y.path));
  return files[files.length - 1];
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
