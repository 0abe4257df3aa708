import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import {
  INVENTORY_FORMATS,
  allCompositeBuckets,
  lastSeenAgg,
  maxDate,
  page,
  pathIs,
  present,
  term,
  terms,
  type Aggs,
  type CompositeBucket,
  type PageParams,
  type Query,
} from './common';
import { parseDuration, parseSize } from '../parse';
import { parseVersionRange, satisfies, type VersionConstraint } from './version';
import { currentIndex } from '../names';

/**
 * Which hosts match a set of conditions, each answered from the current-state
 * index. Every condition is a filter on one kind of document (the host's
 * /proc/version, os-release, package inventory, file F); a composite
 * aggregation on host.name counts each filter per host and a bucket_selector
 * keeps the hosts where all counts are non-zero — so only matching hosts leave
 * the server, page by page, and the total is exact.
 */
export interface HostQuery extends PageParams {
  /** `4.4` (major.minor: never 4.40 or 4.14) or a full release `4.4.0-210-generic`. */
  kernel?: string;
  /** os-release ID (`ubuntu`), `ID:VERSION_ID` (`ubuntu:20.04`) or the PRETTY_NAME. */
  os?: string;
  /** Exact package name the host's inventory lacks. Hosts with no inventory go to `unknown`. */
  missingPackage?: string;
  /** Exact package name the host has, optionally within `versionRange`. */
  package?: string;
  /** `>=3.0`, `>=1.1,<3`: compared in JS over the versions the server returns per host. */
  versionRange?: string;
  /** A file path, with `largerThan` or `smallerThan`. */
  file?: string;
  /** Strictly larger: `4k` means more than 4096 bytes. */
  largerThan?: string | number;
  /** Strictly smaller. */
  smallerThan?: string | number;
  /** Hosts not seen for this long: last @timestamp older than now - stale (`90m`, `2h`, `3d`). */
  stale?: string;
  /** Reference time for `stale` (default now). */
  now?: Date;
}

export interface HostRow {
  host: string;
  /** Newest @timestamp of any of the host's snapshots. */
  lastSeen: string | null;
  kernel?: string;
  os?: string;
  file?: { path: string; size: number | null };
  package?: { name: string; versions: string[] };
}

export interface HostsResult {
  /** Newest @timestamp in the data the answer was computed from. */
  asOf: string | null;
  /** Number of matching hosts (all pages). */
  total: number;
  hosts: HostRow[];
  /** With `missingPackage`: hosts that report no package inventory — not known to lack it. */
  unknown?: HostRow[];
  /** Pass as `after` for the next page. */
  next?: string;
  /** The conditions, in words, for display. */
  conditions: string[];
}

interface Condition {
  name: string;
  label: string;
  filter: Query;
  /** Detail sub-aggregations read back into the row. */
  aggs?: Aggs;
}

export async function findHosts(client: MitraClient, prefix: string, q: HostQuery): Promise<HostsResult> {
  const conditions = buildConditions(q);
  const range = q.versionRange === undefined ? undefined : parseVersionRange(q.versionRange, 'version range');
  if (range && !q.package) throw new UsageError('a version range needs a package: pass --package NAME with --version-range');
  const staleBefore = q.stale === undefined ? undefined : (q.now ?? new Date()).getTime() - parseDuration(q.stale, 'stale');
  if (!conditions.length && staleBefore === undefined)
    throw new UsageError('no condition given: pass at least one of kernel, os, missing-package, package, file with a size, stale');

  const inventory = q.missingPackage === undefined ? undefined : inventoryFilter();
  const aggs: Aggs = { ...lastSeenAgg };
  for (const c of conditions) aggs[c.name] = { filter: c.filter, ...(c.aggs ? { aggs: c.aggs } : {}) };
  if (inventory) aggs.inventory = { filter: inventory };
  aggs.keep = { bucket_selector: selector(conditions, staleBefore, inventory !== undefined) };

  const { buckets, top } = await allCompositeBuckets(
    client,
    { index: currentIndex(prefix), query: { match_all: {} }, sources: [{ host: { terms: { field: 'host.name' } } }], aggs },
    { topAggs: { as_of: { max: { field: '@timestamp' } } } },
  );
  const matched: HostRow[] = [];
  const unknown: HostRow[] = [];
  for (const b of buckets) {
    const row = toRow(b, q.package);
    if (inventory && count(b, 'inventory') === 0) unknown.push(row);
    else if (!range || row.package?.versions.some((v) => satisfies(v, range))) matched.push(row);
  }
  const { rows, next } = page(matched, (r) => r.host, q);
  const labels = conditions.map((c) => c.label);
  if (range) labels.push(`version ${q.versionRange}`);
  if (q.stale) labels.push(`not seen for ${q.stale}`);
  return {
    asOf: maxDate(top.as_of),
    total: matched.length,
    hosts: rows,
    ...(inventory ? { unknown } : {}),
    ...(next ? { next } : {}),
    conditions: labels,
  };
}

function buildConditions(q: HostQuery): Condition[] {
  const out: Condition[] = [];
  if (q.kernel !== undefined) out.push(kernelCondition(q.kernel));
  if (q.os !== undefined) out.push(osCondition(q.os));
  if (q.missingPackage !== undefined) out.push(missingPackageCondition(requireName(q.missingPackage, 'missing package')));
  if (q.package !== undefined) out.push(packageCondition(requireName(q.package, 'package')));
  if (q.file !== undefined || q.largerThan !== undefined || q.smallerThan !== undefined) out.push(fileCondition(q));
  return out;
}

function requireName(name: string, param: string): string {
  if (!name.trim()) throw new UsageError(`${param} is empty: give an exact package name, e.g. zsh`);
  return name.trim();
}

function kernelCondition(kernel: string): Condition {
  const v = kernel.trim();
  if (!/^\d+\.\d+/.test(v))
    throw new UsageError(`kernel "${kernel}" is not a kernel version: use major.minor (4.4) or a full release (4.4.0-210-generic)`);
  // major.minor is its own keyword field, so "4.4" is an exact match and never 4.40 or 4.14.
  const field = /^\d+\.\d+$/.test(v) ? 'mitra.kernel.major_minor' : 'mitra.kernel.release';
  return {
    name: 'kernel',
    label: `kernel ${v}`,
    filter: { bool: { filter: [pathIs('/proc/version'), present, term(field, v)] } },
    aggs: { doc: { top_hits: { size: 1, _source: ['mitra.kernel.release'] } } },
  };
}

function osCondition(os: string): Condition {
  const v = os.trim();
  if (!v) throw new UsageError('os is empty: use an os-release ID (ubuntu), ID:VERSION_ID (ubuntu:20.04) or the PRETTY_NAME');
  const [id, version] = v.split(':', 2);
  const match: Query =
    version !== undefined
      ? { bool: { filter: [term('mitra.os.id', id), term('mitra.os.version_id', version)] } }
      : { bool: { should: [term('mitra.os.id', v), term('mitra.os.pretty_name', v), term('mitra.os.name', v)], minimum_should_match: 1 } };
  return {
    name: 'os',
    label: `os ${v}`,
    filter: { bool: { filter: [terms('file.path', ['/etc/os-release', '/usr/lib/os-release']), present, match] } },
    aggs: { doc: { top_hits: { size: 1, _source: ['mitra.os.pretty_name'] } } },
  };
}

const inventoryFilter = (): Query => ({ bool: { filter: [terms('mitra.format', INVENTORY_FORMATS), present] } });
const hasPackage = (name: string): Query => ({ nested: { path: 'mitra.packages', query: term('mitra.packages.name', name) } });

function missingPackageCondition(name: string): Condition {
  return {
    name: 'missing',
    label: `without package ${name}`,
    filter: { bool: { filter: [inventoryFilter()], must_not: [hasPackage(name)] } },
  };
}

function packageCondition(name: string): Condition {
  return {
    name: 'package',
    label: `with package ${name}`,
    filter: { bool: { filter: [inventoryFilter(), hasPackage(name)] } },
    aggs: {
      pkgs: {
        nested: { path: 'mitra.packages' },
        aggs: {
          named: {
            filter: term('mitra.packages.name', name),
            aggs: { versions: { terms: { field: 'mitra.packages.version', size: 20 } } },
          },
        },
      },
    },
  };
}

function fileCondition(q: HostQuery): Condition {
  if (!q.file) throw new UsageError('a size condition needs a file: pass --file PATH with --larger-than or --smaller-than');
  if (q.largerThan === undefined && q.smallerThan === undefined)
    throw new UsageError(`file ${q.file}: say --larger-than SIZE or --smaller-than SIZE (e.g. 4k)`);
  const range: Record<string, number> = {};
  const words: string[] = [];
  if (q.largerThan !== undefined) {
    range.gt = typeof q.largerThan === 'number' ? q.largerThan : parseSize(q.largerThan, 'larger-than');
    words.push(`larger than ${range.gt} bytes`);
  }
  if (q.smallerThan !== undefined) {
    range.lt = typeof q.smallerThan === 'number' ? q.smallerThan : parseSize(q.smallerThan, 'smaller-than');
    words.push(`smaller than ${range.lt} bytes`);
  }
  return {
    name: 'file',
    label: `${q.file} ${words.join(' and ')}`,
    filter: { bool: { filter: [pathIs(q.file), present, { range: { 'file.size': range } }] } },
    aggs: { doc: { top_hits: { size: 1, _source: ['file.path', 'file.size'] } } },
  };
}

/** Keep a host when every condition counted a document (or, for missing-package, it has no inventory at all). */
function selector(conditions: Condition[], staleBefore: number | undefined, withInventory: boolean) {
  const bucketsPath: Record<string, string> = { last: 'last_seen' };
  const tests: string[] = [];
  for (const c of conditions) {
    bucketsPath[c.name] = `${c.name}>_count`;
    if (c.name !== 'missing') tests.push(`params.${c.name} > 0`);
  }
  if (withInventory) {
    bucketsPath.inventory = 'inventory>_count';
    tests.push('(params.missing > 0 || params.inventory == 0)');
  }
  if (staleBefore !== undefined) tests.push(`params.last < ${staleBefore}L`);
  return { buckets_path: bucketsPath, script: tests.join(' && ') || 'true' };
}

function toRow(b: CompositeBucket, packageName: string | undefined): HostRow {
  const row: HostRow = { host: String(b.key.host), lastSeen: maxDate(b.last_seen) };
  const kernel = hitSource(b, 'kernel') as { mitra?: { kernel?: { release?: string } } } | undefined;
  if (kernel) row.kernel = kernel.mitra?.kernel?.release;
  const os = hitSource(b, 'os') as { mitra?: { os?: { pretty_name?: string } } } | undefined;
  if (os) row.os = os.mitra?.os?.pretty_name;
  const file = hitSource(b, 'file') as { file?: { path?: string; size?: number } } | undefined;
  if (file) row.file = { path: file.file?.path ?? '', size: file.file?.size ?? null };
  const pkg = b.package as { pkgs?: { named?: { versions?: { buckets: { key: string }[] } } } } | undefined;
  const versions = pkg?.pkgs?.named?.versions?.buckets;
  if (versions && packageName) row.package = { name: packageName.trim(), versions: versions.map((v) => v.key) };
  return row;
}

function hitSource(b: CompositeBucket, agg: string): unknown {
  const sub = b[agg] as { doc?: { hits?: { hits?: { _source?: unknown }[] } } } | undefined;
  return sub?.doc?.hits?.hits?.[0]?._source;
}

const count = (b: CompositeBucket, agg: string): number => (b[agg] as { doc_count?: number } | undefined)?.doc_count ?? 0;

// One function per question, for callers that ask one thing (the HTTP API).
export const hostsByKernel = (client: MitraClient, prefix: string, p: { kernel: string } & PageParams) => findHosts(client, prefix, p);
export const hostsByOs = (client: MitraClient, prefix: string, p: { os: string } & PageParams) => findHosts(client, prefix, p);
export const hostsMissingPackage = (client: MitraClient, prefix: string, p: { package: string } & PageParams) =>
  findHosts(client, prefix, { size: p.size, after: p.after, missingPackage: p.package });
export const hostsWithPackage = (client: MitraClient, prefix: string, p: { package: string; versionRange?: string } & PageParams) =>
  findHosts(client, prefix, p);
export const hostsByFileSize = (
  client: MitraClient,
  prefix: string,
  p: { file: string; largerThan?: string | number; smallerThan?: string | number } & PageParams,
) => findHosts(client, prefix, p);
export const staleHosts = (client: MitraClient, prefix: string, p: { olderThan: string; now?: Date } & PageParams) =>
  findHosts(client, prefix, { size: p.size, after: p.after, stale: p.olderThan, now: p.now });

export type { VersionConstraint };
