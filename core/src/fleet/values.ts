import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import {
  allCompositeBuckets,
  countMatching,
  everyHostWritesHostDoc,
  lastSeenAgg,
  maxDate,
  pathIs,
  present,
  search,
  term,
  terms,
  type Aggs,
  type PageParams,
  type Query,
} from './common';
import { HOST_DOC_PATH } from '../wire';
import { currentIndex } from '../names';
import { text } from '../shapes/fields';
import type { ParamInput, Params } from '../shapes/param';

/**
 * The distribution of one setting (vm.swappiness) across the fleet: value →
 * host count first (settingValues), the hosts behind one value on request, a
 * page at a time (valueHosts). A host can report a key twice: live (the
 * `mitra:sysctl` snapshot or a /proc/sys/* file) and configured (sysctl.conf,
 * sysctl.d). The live value is what the kernel runs with, so it wins; the
 * configured one is used only for hosts without a live snapshot of the key.
 *
 * Counting: almost every host reports the key once, in `mitra:sysctl`, and
 * those are counted by one terms aggregation on the value. The hosts whose
 * value comes from elsewhere are found among the documents that could give
 * it: a /proc/sys file next to the snapshot (rare), and the hosts with a
 * configuration file setting the key less those of them with a live value.
 * A file-only host with one such file is counted by one more aggregation;
 * only hosts with several files or a /proc/sys file are resolved one by one
 * (resolveHosts). So the cost follows the hosts that configure the key in a
 * file, not the fleet — unless most hosts do. When every document comes from
 * an agent that writes a host document, it follows the hosts that may lack a
 * live value instead (no snapshot, or a snapshot without the key), which for
 * a common key are far fewer than those configuring it.
 */
/** The question's parameters, declared once (the catalog's `values` question reuses them). */
export const VALUES_PARAMS = {
  key: { type: text('vm.swappiness', 1024), label: 'Setting', help: 'a dotted setting key', positional: 'one' },
  value: {
    type: text('60', 1024).optional(),
    label: 'Hosts with value',
    help: 'list the hosts with this value',
    default: 'the most common value',
  },
} satisfies Params;

export type ValuesParams = Pick<ParamInput<typeof VALUES_PARAMS>, 'key'>;

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
}

export interface ValuesResult {
  key: string;
  asOf: string | null;
  /** Hosts reporting the key. */
  total: number;
  /** live: every host from its live snapshot; file: every host from configuration files; mixed: some of each. */
  source: SettingSource | 'mixed' | 'none';
  /** Most common value first: at most VALUE_LIMIT values (and any value asked for). */
  values: ValueBucket[];
  /** Hosts whose value is not listed (a key with more than VALUE_LIMIT distinct values, e.g. kernel.hostname). */
  otherHosts?: number;
}

/** The key, the value whose hosts to list (default: the most common one), a page (size default 100, at most 10000). */
export type ValueHostsParams = ParamInput<typeof VALUES_PARAMS> &
  PageParams & {
    /** Hosts to skip first (page-numbered callers: (page - 1) × size). */
    from?: number;
  };

export interface ValueHostsResult extends ValuesResult {
  /** The value listed (null when no host reports the key). */
  value: string | null;
  /** Hosts with this value, all pages. */
  valueTotal: number;
  size: number;
  /** In host-name order. */
  hosts: ValueHost[];
  /** Pass as `after` for the next page; absent on the last one. */
  next?: string;
}

const LIVE: Query = {
  bool: { should: [term('file.path', 'mitra:sysctl'), { prefix: { 'file.path': '/proc/sys/' } }], minimum_should_match: 1 },
};
const SNAPSHOT: Query = term('file.path', 'mitra:sysctl');
const MAX_HOSTS = 65_000;

function keyQueries(rawKey: string): { key: string; keyFilter: Query; query: Query } {
  const key = rawKey.trim();
  if (!key) throw new UsageError('setting key is empty: give a dotted key, e.g. vm.swappiness');
  const keyFilter = term('mitra.settings.key', key);
  return { key, keyFilter, query: { bool: { filter: [present, { nested: { path: 'mitra.settings', query: keyFilter } }] } } };
}

/** The values of one key among the documents' settings (nested entries), `size` at most, each with `sub` aggregations; read back as settings.key.value. */
const valuesOfKey = (keyFilter: Query, size: number, sub?: Aggs, include?: string[]): Aggs => ({
  settings: {
    nested: { path: 'mitra.settings' },
    aggs: {
      key: {
        filter: keyFilter,
        aggs: {
          value: { terms: { field: 'mitra.settings.value', size, ...(include ? { include } : {}) }, ...(sub ? { aggs: sub } : {}) },
        },
      },
    },
  },
});

/** Values listed by a distribution; past it the hosts are counted as other values, never dropped. */
export const VALUE_LIMIT = 1000;

/** Host counts per value, and the hosts with a value past the listed ones. */
interface ValueCounts {
  counts: Map<string, number>;
  other: number;
}

type ValueCount = { key: string; doc_count: number };
type ValueBuckets<T = object> = { buckets: (ValueCount & T)[]; sum_other_doc_count?: number };

const withHosts = (query: Query, hosts: string[]): Query => ({ bool: { filter: [query, terms('host.name', hosts)] } });

export async function settingValues(
  client: MitraClient,
  prefix: string,
  params: ValuesParams,
  /** Values to count exactly even when they are not among the most common (the value whose hosts are listed). */
  wanted: string[] = [],
): Promise<ValuesResult> {
  const { key, keyFilter, query } = keyQueries(params.key);
  const d = await distribution(client, prefix, keyFilter, query, wanted);
  const values = [...d.counts.entries()]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const otherHosts = d.total - values.reduce((n, v) => n + v.count, 0);
  const source = !d.total ? 'none' : d.fileHosts === 0 ? 'live' : d.fileHosts === d.total ? 'file' : 'mixed';
  return { key, asOf: d.asOf, total: d.total, source, values, ...(otherHosts > 0 ? { otherHosts } : {}) };
}

/**
 * Host counts per value: the snapshot's values counted server-side, then
 * corrected for the hosts resolved one by one (a /proc/sys file overrides
 * their snapshot; file-only hosts are added). Every host list here follows
 * hosts that are special (a /proc/sys file, a configuration file setting the
 * key), never the whole fleet. A key with more distinct values than
 * VALUE_LIMIT (kernel.hostname) is counted in two passes: the most common
 * values found, then those (and the wanted ones) counted exactly; the total
 * stays exact either way.
 */
async function distribution(
  client: MitraClient,
  prefix: string,
  keyFilter: Query,
  query: Query,
  wanted: string[],
): Promise<{ counts: Map<string, number>; total: number; fileHosts: number; asOf: string | null }> {
  const index = currentIndex(prefix);
  const [snapshot, proc, fileOnly] = await Promise.all([
    snapshotValues(client, index, keyFilter, query),
    // A /proc/sys file: rare (listed by hand in `files`), and it wins over the snapshot.
    hostDocCounts(client, index, { bool: { filter: [query, LIVE], must_not: [SNAPSHOT] } }),
    fileOnlyHosts(client, index, keyFilter, query),
  ]);
  const asOf = snapshot.asOf;
  // A file-only host with one configuration document has that document's value: those are counted server-side.
  const oneFile = [...fileOnly].filter(([, docs]) => docs === 1).map(([host]) => host);
  const resolve = [...new Set([...proc.keys(), ...[...fileOnly].filter(([, docs]) => docs > 1).map(([host]) => host)])];
  const [single, resolved] = await Promise.all([
    configuredValues(client, index, keyFilter, query, oneFile),
    resolveHosts(client, prefix, keyFilter, query, resolve),
  ]);
  const adjust = new Map<string, number>();
  const add = (counts: Map<string, number>, value: string, n: number) => counts.set(value, (counts.get(value) ?? 0) + n);
  let fileHosts = sum(single);
  for (const r of resolved.hosts.values()) {
    const snap = r.live.find((p) => p.path === 'mitra:sysctl');
    if (snap) add(adjust, snap.value, -1);
    const chosen = chooseValue(r.live, r.file);
    if (!chosen) continue;
    add(adjust, chosen.value, 1);
    if (chosen.source === 'file') fileHosts++;
  }
  const total = sum(snapshot) + sum(single) + [...adjust.values()].reduce((n, x) => n + x, 0);
  const merge = (...parts: Map<string, number>[]) => {
    const counts = new Map<string, number>();
    for (const part of parts) for (const [value, n] of part) add(counts, value, n);
    return counts;
  };
  const counts = merge(snapshot.counts, single.counts, adjust);
  if (!snapshot.other && !single.other) return { counts, total, fileHosts, asOf };
  // Some values went uncounted: count the most common ones found, and the wanted ones, exactly.
  const listed = [
    ...new Set([
      ...[...counts.entries()]
        .sort((x, y) => y[1] - x[1])
        .slice(0, VALUE_LIMIT)
        .map(([value]) => value),
      ...wanted,
    ]),
  ];
  const [exactSnapshot, exactSingle] = await Promise.all([
    snapshotValues(client, index, keyFilter, query, listed),
    configuredValues(client, index, keyFilter, query, oneFile, listed),
  ]);
  const exact = merge(exactSnapshot.counts, exactSingle.counts, new Map(listed.map((v) => [v, adjust.get(v) ?? 0])));
  return { counts: exact, total, fileHosts, asOf };
}

const sum = (v: ValueCounts): number => [...v.counts.values()].reduce((n, x) => n + x, v.other);

/**
 * Host counts per value in the `mitra:sysctl` snapshots (one per host), the
 * most common VALUE_LIMIT or those in `include`; and the newest @timestamp of
 * any document reporting the key (a max over the documents the request reads anyway).
 */
async function snapshotValues(
  client: MitraClient,
  index: string,
  keyFilter: Query,
  query: Query,
  include?: string[],
): Promise<ValueCounts & { asOf: string | null }> {
  const res = await search(client, {
    index,
    size: 0,
    query,
    aggs: {
      as_of: { max: { field: '@timestamp' } },
      snapshot: { filter: SNAPSHOT, aggs: valuesOfKey(keyFilter, include?.length ?? VALUE_LIMIT, undefined, include) },
    },
  });
  const a = res.aggregations as unknown as { as_of: unknown; snapshot: { settings: { key: { value: ValueBuckets } } } };
  const value = a.snapshot.settings.key.value;
  return {
    counts: new Map(value.buckets.map((b) => [b.key, b.doc_count])),
    other: include ? 0 : (value.sum_other_doc_count ?? 0),
    asOf: maxDate(a.as_of),
  };
}

/** Documents per host of the documents matching `query` (composite pages of 50,000, under the default bucket limit: any number of hosts). */
async function hostDocCounts(client: MitraClient, index: string, query: Query): Promise<Map<string, number>> {
  const { buckets } = await allCompositeBuckets(
    client,
    { index, query, sources: [{ host: { terms: { field: 'host.name' } } }], aggs: {} },
    { pageSize: 50_000 },
  );
  return new Map(buckets.map((b) => [String(b.key.host), b.doc_count]));
}

/**
 * Hosts that set the key in a configuration file and have no live value for
 * it (with how many configuration documents each): the hosts with such a
 * file, less those of them with a live document. Only the hosts that may lack
 * a live value are looked at when the host documents say which they are.
 */
async function fileOnlyHosts(client: MitraClient, index: string, keyFilter: Query, query: Query): Promise<Map<string, number>> {
  const configuredIn = (scope: Query): Query => ({ bool: { filter: [scope], must_not: [LIVE] } });
  const candidates = await hostsMaybeWithoutLiveKey(client, index, keyFilter, configuredIn(query));
  const configured = candidates
    ? await inChunks(candidates, (chunk) => hostDocCounts(client, index, configuredIn(withHosts(query, chunk))))
    : await hostDocCounts(client, index, configuredIn(query));
  const names = [...configured.keys()];
  const live = await inChunks(names, (chunk) => hostDocCounts(client, index, { bool: { filter: [withHosts(query, chunk), LIVE] } }));
  for (const h of live.keys()) configured.delete(h);
  return configured;
}

/** Host document counts for a long host list, MAX_HOSTS names per request (a terms filter's limit). */
async function inChunks(hosts: string[], count: (chunk: string[]) => Promise<Map<string, number>>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < hosts.length; i += MAX_HOSTS) for (const [h, n] of await count(hosts.slice(i, i + MAX_HOSTS))) out.set(h, n);
  return out;
}

/**
 * The hosts that may have no live value for the key, when every document
 * comes from an agent that writes a host document (mitra.agent.host_doc):
 * those whose host document lists no `mitra:sysctl` snapshot, and those whose
 * snapshot lacks the key (a module not loaded). Every other host has the key
 * in its snapshot, so it is not file-only, whatever its files say. For a
 * common key that is a few thousand names where "every host configuring the
 * key" is tens of thousands at 100,000 hosts. Undefined when some document is
 * unstamped (the original tool's, a hand-made one), or when the candidates
 * are not fewer than the configuration documents (a key most kernels lack):
 * the caller then starts from every host configuring the key.
 */
async function hostsMaybeWithoutLiveKey(
  client: MitraClient,
  index: string,
  keyFilter: Query,
  configured: Query,
): Promise<string[] | undefined> {
  const noSnapshot: Query = { bool: { filter: [pathIs(HOST_DOC_PATH), present], must_not: [term('mitra.reports', 'mitra:sysctl')] } };
  const snapshotWithoutKey: Query = {
    bool: { filter: [SNAPSHOT, present], must_not: [{ nested: { path: 'mitra.settings', query: keyFilter } }] },
  };
  const candidates: Query = { bool: { should: [noSnapshot, snapshotWithoutKey], minimum_should_match: 1 } };
  const [stamped, candidateDocs, configuredDocs] = await Promise.all([
    everyHostWritesHostDoc(client, index),
    countMatching(client, index, candidates),
    countMatching(client, index, configured),
  ]);
  if (!stamped || candidateDocs >= configuredDocs) return undefined;
  return [...(await hostDocCounts(client, index, candidates)).keys()];
}

/** Host counts per configured value, for hosts whose one configuration document sets the key (the most common VALUE_LIMIT, or those in `include`). */
async function configuredValues(
  client: MitraClient,
  index: string,
  keyFilter: Query,
  query: Query,
  hosts: string[],
  include?: string[],
): Promise<ValueCounts> {
  const out: ValueCounts = { counts: new Map(), other: 0 };
  for (let i = 0; i < hosts.length; i += MAX_HOSTS) {
    const res = await search(client, {
      index,
      size: 0,
      query: { bool: { filter: [withHosts(query, hosts.slice(i, i + MAX_HOSTS))], must_not: [LIVE] } },
      aggs: valuesOfKey(keyFilter, include?.length ?? VALUE_LIMIT, { hosts: { reverse_nested: {} } }, include),
    });
    const value = (res.aggregations as unknown as { settings: { key: { value: ValueBuckets<{ hosts: { doc_count: number } }> } } }).settings
      .key.value;
    for (const b of value.buckets) out.counts.set(b.key, (out.counts.get(b.key) ?? 0) + b.hosts.doc_count);
    // One configuration document per host here, and a key once per document: other entries are other hosts.
    if (!include) out.other += value.sum_other_doc_count ?? 0;
  }
  return out;
}

/**
 * One page of the hosts whose value is `value`, in host-name order, with the
 * distribution. The candidates are the hosts reporting that value anywhere
 * (composite pages after the cursor); each is resolved with everything it
 * reports, since a configured 10 does not count on a host whose live value is 60.
 */
export async function valueHosts(client: MitraClient, prefix: string, params: ValueHostsParams): Promise<ValueHostsResult> {
  const { key, keyFilter, query } = keyQueries(params.key);
  const size = params.size ?? 100;
  const from = params.from ?? 0;
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new UsageError(`size ${params.size} is out of range: use 1 to 10000`);
  if (!Number.isInteger(from) || from < 0 || from + size > 10_000) throw new UsageError('value host pages stop at 10000 hosts: use after');
  const dist = await settingValues(client, prefix, { key }, params.value === undefined ? [] : [params.value]);
  const value = params.value ?? dist.values[0]?.value ?? null;
  const valueTotal = dist.values.find((v) => v.value === value)?.count ?? 0;
  const base = { ...dist, value, valueTotal, size };
  if (value === null || valueTotal === 0) return { ...base, hosts: [] };
  const withValue: Query = {
    bool: {
      filter: [
        present,
        { nested: { path: 'mitra.settings', query: { bool: { filter: [keyFilter, term('mitra.settings.value', value)] } } } },
      ],
    },
  };
  const want = from + size;
  const hosts: ValueHost[] = [];
  let after = params.after;
  let more = true;
  while (hosts.length < want && more) {
    const candidates = await hostPage(client, prefix, withValue, after, size);
    more = candidates.length === size;
    if (!candidates.length) break;
    after = candidates[candidates.length - 1];
    const resolved = await resolveHosts(client, prefix, keyFilter, query, candidates);
    for (const host of candidates) {
      const r = resolved.hosts.get(host);
      const chosen = r ? chooseValue(r.live, r.file) : undefined;
      if (r && chosen?.value === value) hosts.push({ host, path: chosen.path, source: chosen.source, lastSeen: r.lastSeen });
    }
  }
  const page = hosts.slice(from, want);
  const last = page[page.length - 1]?.host;
  const hasNext = last !== undefined && (hosts.length > want || more);
  return { ...base, hosts: page, ...(hasNext ? { next: last } : {}) };
}

/** Host names with a document matching `query`, in order, after `after`. */
async function hostPage(client: MitraClient, prefix: string, query: Query, after: string | undefined, size: number): Promise<string[]> {
  const res = await search(client, {
    index: currentIndex(prefix),
    size: 0,
    query,
    aggs: {
      groups: {
        composite: {
          size,
          sources: [{ host: { terms: { field: 'host.name' } } }],
          ...(after !== undefined ? { after: { host: after } } : {}),
        },
      },
    },
  });
  const groups = (res.aggregations as { groups?: { buckets: { key: { host: string } }[] } } | undefined)?.groups?.buckets ?? [];
  return groups.map((g) => g.key.host);
}

/** Every host reporting the key with its value (saved searches and alerts compare host sets): cost follows the fleet. */
export async function settingHosts(client: MitraClient, prefix: string, params: ValuesParams): Promise<(ValueHost & { value: string })[]> {
  const { keyFilter, query } = keyQueries(params.key);
  const reports = await resolveHosts(client, prefix, keyFilter, query);
  const out: (ValueHost & { value: string })[] = [];
  for (const [host, r] of reports.hosts) {
    const chosen = chooseValue(r.live, r.file);
    if (chosen) out.push({ host, path: chosen.path, source: chosen.source, lastSeen: r.lastSeen, value: chosen.value });
  }
  return out.sort((a, b) => a.host.localeCompare(b.host));
}

/** What the given hosts (all hosts when absent) report for the key; nothing is asked for an empty list. */
async function resolveHosts(client: MitraClient, prefix: string, keyFilter: Query, query: Query, hosts?: string[]): Promise<HostReports> {
  if (hosts && !hosts.length) return { hosts: new Map(), asOf: null };
  const scoped = hosts ? withHosts(query, hosts) : query;
  return (await reportsInOneRequest(client, prefix, keyFilter, scoped)) ?? (await reportsByHostPages(client, prefix, keyFilter, scoped));
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
      aggs: valuesOfKey(keyFilter, VALUE_LIMIT, { doc: { reverse_nested: {}, aggs: hostsOfValue } }),
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
  type Source = { settings: { key: { value: { buckets: Value[]; sum_other_doc_count?: number } } } };
  const a = res.aggregations as unknown as { as_of: unknown; source: { buckets: Record<SettingSource, Source> } };
  // More distinct values than one request lists (kernel.hostname): the per-host pages below see every one.
  if ((['live', 'file'] as const).some((src) => a.source.buckets[src].settings.key.value.sum_other_doc_count)) return undefined;
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
  const valuesOf = valuesOfKey(keyFilter, 5);
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
