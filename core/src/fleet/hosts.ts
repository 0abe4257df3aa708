import type { MitraClient } from '../client';
import { UsageError } from '../errors';
import {
  INVENTORY_FORMATS,
  INVENTORY_PATHS,
  allCompositeBuckets,
  countMatching,
  everyHostJoined,
  everyHostWritesHostDoc,
  hitCount,
  maxDate,
  newestTimestamp,
  page,
  pathIs,
  present,
  search,
  term,
  terms,
  type Aggs,
  type CompositeBucket,
  type PageParams,
  type Query,
} from './common';
import { compositeHostNames } from './host-names';
import { parseDuration, parseSize } from '../parse';
import { parseVersionRange, satisfies, type VersionConstraint } from './version';
import { currentIndex } from '../names';
import { HOST_DOC_PATH, HOST_JOIN } from '../wire';
import { duration, kernelVersion, size, text } from '../shapes/fields';
import type { ParamInput, Params } from '../shapes/param';

const hostText = (example: string) => text(example, 256);

/**
 * Which hosts match a set of conditions, each answered from the current-state
 * index. Every condition is a filter on the documents that already carry what
 * is asked — the host's /proc/version (`mitra.kernel.major_minor`), os-release,
 * package inventory (`mitra.package_names`, `mitra.package_versions`: flat
 * keywords the pipeline writes), file F (`file.size`) — so a condition only
 * reads the documents that match it. When every current document is joined
 * to its host document (HOST_JOIN), the conditions combine in the engine: one
 * search over the host documents, a has_child per condition (joinedFilter).
 * Otherwise they combine by host name: the condition with the fewest
 * documents is listed first and every other one is asked only about the hosts
 * still in the answer. Either way the cost follows the matching documents,
 * not the fleet, and the total is exact. See docs/architecture.md "Host
 * questions".
 *
 * The parameters are declared here once (HOST_PARAMS: shape, label, help);
 * the catalog's `hosts` question (questions/hosts.ts) and every surface
 * derived from it reuse them.
 */
export const HOST_PARAMS = {
  kernel: {
    type: kernelVersion().optional(),
    label: 'Kernel',
    help: '4.4 matches major.minor exactly (never 4.40 or 4.14); or a full release 4.4.0-210-generic',
  },
  os: {
    type: hostText('ubuntu:20.04').optional(),
    label: 'OS',
    help: 'os-release ID (ubuntu), ID:VERSION_ID (ubuntu:20.04) or PRETTY_NAME',
  },
  missingPackage: {
    type: hostText('zsh').optional(),
    label: 'Package',
    help: 'hosts whose inventory lacks it (exact name: zsh is not zsh-common); hosts that send no inventory are listed apart as unknown',
  },
  package: { type: hostText('openssl').optional(), label: 'Package', help: 'hosts that have it (exact name)' },
  // Compared in JS over the versions the server returns per host.
  versionRange: {
    type: hostText('>=1.1,<3').optional(),
    label: 'Version range',
    help: "narrows package by version: '>=3.0' or '>=1.1,<3'",
  },
  file: { type: text('/etc/hosts', 4096).optional(), label: 'File', help: 'a file path, with larger-than or smaller-than' },
  largerThan: {
    type: size('4k').optional(),
    label: 'Larger than',
    unit: 'bytes',
    help: 'size of file, strictly: 4k means more than 4096 bytes (k = 1024, M = 1024², G = 1024³; plain numbers are bytes)',
  },
  smallerThan: { type: size('1M').optional(), label: 'Smaller than', unit: 'bytes', help: 'size of file, strictly smaller' },
  // Last @timestamp older than now - stale.
  stale: { type: duration('2h').optional(), label: 'Not seen for', help: 'hosts not seen for this long (90m, 2h, 3d)' },
} satisfies Params;

/** The conditions as a caller passes them (HOST_PARAMS, the one declaration), a page, and the reference time for `stale` (default now). */
export type HostQuery = ParamInput<typeof HOST_PARAMS> & PageParams & { now?: Date };

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

type Detail = Omit<HostRow, 'host' | 'lastSeen'>;

interface Condition {
  label: string;
  /** The documents that carry the answer: at most a few per host (one per path). */
  filter: Query;
  /** Per-host sub-aggregations read back by `detail`. */
  aggs?: Aggs;
  detail?: (b: CompositeBucket) => Detail;
  /** Exactly one document per host can match (one path): a document count is a host count. */
  onePerHost?: boolean;
  /** The package a package condition asks about (a version range narrows its filter). */
  package?: string;
}

/** Host names per request when a condition is asked about the hosts still in the answer (terms query limit is 65536). */
const HOST_CHUNK = 50_000;
/** Hosts in each half when a first condition's list is narrowed in two (intersect); a shorter list takes one request a step. */
const SPLIT_FROM = 2_000;
/** A condition with at most this many times the smallest condition's documents is listed in full beside it (intersect). */
const LIST_ALONGSIDE = 2;
/**
 * Host names per composite page. Each page reads every matching document again
 * (the index is not sorted by host name), so pages are as large as the
 * default bucket limit allows (search.max_buckets: 65,535 on 7.9+ and
 * OpenSearch, 65,536 on 8), less a margin: the per-host sub-aggregations
 * asked with a host list are single-bucket or metric ones, which do not
 * count, and detail's terms run on a page of at most 10,000 hosts.
 */
const PAGE = 65_000;
/** Hosts per answer when the caller names no size: a page a person reads. Alerts and saved searches take every host (allHosts). */
export const HOST_PAGE = 100;
/** Hosts with two matching documents (os-release in /etc and /usr/lib) counted apart; more than this and the hosts are listed instead. */
const DUPLICATE_LIMIT = 1000;

/** The question, checked and turned into filters (a version range becomes the versions it allows). */
interface Plan {
  conditions: Condition[];
  staleBefore?: number;
  missing?: string;
  labels: string[];
}

/**
 * One page of the matching hosts (`size`, default HOST_PAGE, after the
 * cursor `after`), the exact total, and the detail of each host on the page.
 * Only the page's hosts get their detail and last-seen time; with a single
 * condition the page itself comes from the sorted documents (no host list
 * is built at all), so the cost follows the page and a count.
 */
export async function findHosts(client: MitraClient, prefix: string, q: HostQuery): Promise<HostsResult> {
  const index = currentIndex(prefix);
  const plan = await planQuestion(client, index, q);
  const ask = asker(client, index);
  const size = q.size ?? HOST_PAGE;
  const lastSeen = new Map<string, string | null>();
  const single = singleCondition(plan);
  const found = (await joinable(client, index, plan))
    ? await pageOfJoined(client, index, plan, size, q.after)
    : ((single ? await pageOfSingle(client, index, ask, single, size, q.after) : undefined) ??
      pageOfList(await matchingHosts(client, index, ask, plan, lastSeen), size, q.after));

  const [asOf, details] = await Promise.all([
    newestTimestamp(client, index),
    pageDetails(ask, plan.conditions, found.rows),
    fillLastSeen(
      ask,
      [...found.rows, ...(found.unknown ?? [])].filter((h) => !lastSeen.has(h)),
      lastSeen,
    ),
  ]);
  const row = (host: string): HostRow => ({ host, lastSeen: lastSeen.get(host) ?? null, ...details.get(host) });
  return {
    asOf,
    total: found.total,
    hosts: found.rows.map(row),
    ...(found.unknown ? { unknown: found.unknown.map(row) } : {}),
    ...(found.next ? { next: found.next } : {}),
    conditions: plan.labels,
  };
}

/** Every matching host's name, in order: what alert rules and saved searches compare (no page, no detail). */
export async function allHosts(client: MitraClient, prefix: string, q: HostQuery): Promise<{ count: number; hosts: string[] }> {
  const index = currentIndex(prefix);
  const plan = await planQuestion(client, index, q);
  const names = (await joinable(client, index, plan))
    ? await compositeHostNames(client, index, joinedFilter(plan), PAGE)
    : (await matchingHosts(client, index, asker(client, index), plan, new Map())).names;
  return { count: names.length, hosts: names };
}

/**
 * Whether the question is answered by the host join: a condition combined with
 * another, with stale or with a missing package, on an index whose every
 * document is joined. A question that comes down to one filter reads that
 * filter's own documents in host order (pageOfSingle), and stale alone or with
 * a missing package starts from the few hosts with an old document: both are
 * faster than a has_child over every host document (measured at 100,000
 * hosts: kernel 4.4 22.3 ms p50 against 40.2, stale 6.0 against 51.0;
 * bench/README.md).
 */
async function joinable(client: MitraClient, index: string, plan: Plan): Promise<boolean> {
  if (!plan.conditions.length || singleCondition(plan)) return false;
  return everyHostJoined(client, index);
}

/**
 * The whole question as one filter over the host documents, when every
 * current document is joined to its host's (HOST_JOIN): a has_child per
 * condition. Stale is a host document older than the threshold with no
 * newer document under it (the newest of a host's documents is its last
 * seen); a missing package is an inventory that lacks it. The engine reads
 * each condition's matching documents once and keeps a bit per host, so the
 * cost follows those documents, where listing them by host name costs a
 * name per host (about 4x more at 100,000 hosts, bench/README.md "the broad
 * pair"). `inventory: false` asks for the hosts with no inventory instead
 * (unknown, never "missing").
 */
function joinedFilter(plan: Plan, inventory = true): Query {
  const child = (query: Query): Query => ({ has_child: { type: HOST_JOIN.child, query, score_mode: 'none' } });
  const filter: Query[] = [pathIs(HOST_DOC_PATH), ...plan.conditions.map((c) => child(c.filter))];
  const mustNot: Query[] = [];
  if (plan.staleBefore !== undefined) {
    filter.push({ range: { '@timestamp': { lt: plan.staleBefore } } });
    mustNot.push(child({ range: { '@timestamp': { gte: plan.staleBefore } } }));
  }
  if (plan.missing !== undefined && inventory)
    filter.push(child({ bool: { filter: [inventoryFilter()], must_not: [hasPackage(plan.missing)] } }));
  if (plan.missing !== undefined && !inventory) mustNot.push(child(inventoryFilter()));
  return { bool: { filter, must_not: mustNot } };
}

/** A page of the joined answer, sorted by host name, with the exact total; with a missing package, every unknown host. */
async function pageOfJoined(client: MitraClient, index: string, plan: Plan, size: number, after?: string): Promise<HostPage> {
  const [res, unknown] = await Promise.all([
    search(client, {
      index,
      size: size + 1,
      track_total_hits: true,
      _source: false,
      query: joinedFilter(plan),
      sort: [{ 'host.name': 'asc' }],
      // One host document per host: the name alone is a unique cursor.
      ...(after === undefined ? {} : { search_after: [after] }),
    }),
    plan.missing === undefined ? undefined : compositeHostNames(client, index, joinedFilter(plan, false), PAGE),
  ]);
  const names = res.hits.hits.map((h) => String(h.sort![0]));
  const rows = names.slice(0, size);
  return {
    total: hitCount(res.hits.total),
    rows,
    ...(names.length > size ? { next: rows[size - 1] } : {}),
    ...(unknown ? { unknown } : {}),
  };
}

async function planQuestion(client: MitraClient, index: string, q: HostQuery): Promise<Plan> {
  const range = q.versionRange === undefined ? undefined : parseVersionRange(q.versionRange, 'version range');
  if (range && !q.package) throw new UsageError('a version range needs a package: pass --package NAME with --version-range');
  const conditions = buildConditions(q);
  // Not before 1970: a stale of up to 100 years is allowed, and the engine refuses a negative time (no host is older anyway).
  const staleBefore = q.stale === undefined ? undefined : Math.max(0, (q.now ?? new Date()).getTime() - parseDuration(q.stale, 'stale'));
  const missing = q.missingPackage === undefined ? undefined : requireName(q.missingPackage, 'missing package');
  if (!conditions.length && staleBefore === undefined && missing === undefined)
    throw new UsageError('no condition given: pass at least one of kernel, os, missing-package, package, file with a size, stale');
  if (range) await narrowToVersions(client, index, conditions, requireName(q.package!, 'package'), range);

  const labels = conditions.map((c) => c.label);
  // In the order the question is written: kernel, os, missing package, package, file.
  if (missing !== undefined) labels.splice(Number(q.kernel !== undefined) + Number(q.os !== undefined), 0, `without package ${missing}`);
  if (range) labels.push(`version ${q.versionRange}`);
  if (q.stale) labels.push(`not seen for ${q.stale}`);
  return { conditions, staleBefore, missing, labels };
}

/**
 * A version range as a filter: the package's versions across the fleet,
 * compared in JS, and the package condition narrowed to the name=version
 * entries that satisfy it.
 */
async function narrowToVersions(client: MitraClient, index: string, conditions: Condition[], name: string, range: VersionConstraint[]) {
  const condition = conditions.find((c) => c.package === name)!;
  const entries = await packageVersions(client, index, condition.filter, name);
  const allowed = entries.filter((entry) => satisfies(entry.slice(name.length + 1), range));
  condition.filter = { bool: { filter: [condition.filter, terms('mitra.package_versions', allowed)] } };
}

/** Rounds of sampling, and versions found, before one aggregation over every inventory answers instead. */
const VERSION_ROUNDS = 8;
const VERSION_LIMIT = 200;
const VERSION_SAMPLE = 500;

/**
 * Every name=version entry of a package across the inventories matching
 * `filter`, exactly, without reading every inventory: a few hundred
 * inventories are sampled and their versions collected, then only the
 * inventories with an entry not seen yet (ranges over the terms between the
 * entries found) are sampled again, until none is left, or until a round's
 * inventories all fit in its sample. A
 * fleet runs a handful of versions of a package, so that is one to three
 * rounds; past VERSION_ROUNDS or VERSION_LIMIT (which also keeps the ranges
 * under the engine's 1024 clauses) one terms aggregation over every matching
 * inventory answers instead.
 */
/** @internal exported for the test that samples one inventory a round */
export async function packageVersions(
  client: MitraClient,
  index: string,
  filter: Query,
  name: string,
  sample = VERSION_SAMPLE,
): Promise<string[]> {
  const versions = packageEntries(name, 10_000);
  const keys = (agg: unknown) => ((agg as { buckets?: { key: string }[] } | undefined)?.buckets ?? []).map((b) => b.key);
  const found = new Set<string>();
  for (let round = 0; round < VERSION_ROUNDS && found.size <= VERSION_LIMIT; round++) {
    const res = await search(client, {
      index,
      size: 0,
      track_total_hits: true,
      query: found.size ? { bool: { filter: [filter, unseenEntry(name, found)] } } : filter,
      aggs: { sample: { sampler: { shard_size: sample }, aggs: { versions } } },
    });
    const left = hitCount(res.hits.total);
    if (left === 0) return [...found];
    const before = found.size;
    for (const key of keys((res.aggregations as Record<string, { versions?: unknown }> | undefined)?.sample?.versions)) found.add(key);
    // No shard held more matching inventories than it samples: every one was read, so nothing is left unseen.
    if (left <= sample) return [...found];
    if (found.size === before) break;
  }
  const res = await search(client, { index, size: 0, query: filter, aggs: { versions } });
  return keys((res.aggregations as Record<string, unknown> | undefined)?.versions);
}

/**
 * Inventories with an entry of the package other than the ones found: an
 * inventory that lists a found version and an unseen one (two kernels side
 * by side) still matches, which "has none of the found" would miss. The
 * unseen entries are the gaps between the found ones in the terms' order,
 * from `name=` up to `name>` ('>' follows '='): one range query each. Not a
 * regular expression "name=.* and none of these": Lucene determinizes its
 * complement, ~100 ms at 5 versions and 2.3 s at 20 (measured at 10,000
 * hosts), and refuses one past `index.max_regex_length`.
 */
function unseenEntry(name: string, found: Set<string>): Query {
  // Sorted, the gaps are disjoint; in any order they would still cover every unseen entry.
  const bounds = [`${name}=`, ...[...found].sort(), `${name}>`];
  const gaps = bounds.slice(1).map((upper, i) => ({
    range: { 'mitra.package_versions': { [i === 0 ? 'gte' : 'gt']: bounds[i], lt: upper } },
  }));
  return { bool: { should: gaps, minimum_should_match: 1 } };
}

/**
 * The one filter a question comes down to, when it does: a single condition,
 * or a missing package alone (the inventories that lack it; the hosts with no
 * inventory are listed apart as unknown).
 */
function singleCondition(plan: Plan): { condition: Condition; missing: boolean } | undefined {
  if (plan.staleBefore !== undefined) return undefined;
  if (plan.missing === undefined) return plan.conditions.length === 1 ? { condition: plan.conditions[0], missing: false } : undefined;
  if (plan.conditions.length) return undefined;
  const filter = { bool: { filter: [inventoryFilter()], must_not: [hasPackage(plan.missing)] } };
  return { condition: { label: `without package ${plan.missing}`, filter }, missing: true };
}

async function pageOfSingle(
  client: MitraClient,
  index: string,
  ask: Ask,
  single: { condition: Condition; missing: boolean },
  size: number,
  after?: string,
): Promise<HostPage | undefined> {
  const [found, unknown] = await Promise.all([
    pageOfCondition(client, index, single.condition, size, after),
    single.missing ? hostsWithoutInventory(client, index, ask) : undefined,
  ]);
  return found && unknown ? { ...found, unknown: [...unknown].sort() } : found;
}

interface HostPage {
  total: number;
  rows: string[];
  next?: string;
  unknown?: string[];
}

/**
 * A page straight from the condition's documents sorted by host name, the
 * total from a count. A host can have two matching documents (os-release in
 * /etc and /usr/lib, two inventories): the page skips repeats and the total
 * subtracts them. Undefined when too many hosts repeat to count them apart.
 */
async function pageOfCondition(
  client: MitraClient,
  index: string,
  c: Condition,
  size: number,
  after?: string,
): Promise<HostPage | undefined> {
  const [total, rows] = await Promise.all([distinctHosts(client, index, c), hostsInOrder(client, index, c.filter, size + 1, after)]);
  if (total === undefined) return undefined;
  return rows.length > size ? { total, rows: rows.slice(0, size), next: rows[size - 1] } : { total, rows };
}

async function distinctHosts(client: MitraClient, index: string, c: Condition): Promise<number | undefined> {
  const res = await search(client, {
    index,
    size: 0,
    track_total_hits: true,
    query: c.filter,
    ...(c.onePerHost ? {} : { aggs: { repeats: { terms: { field: 'host.name', min_doc_count: 2, size: DUPLICATE_LIMIT } } } }),
  });
  const docs = hitCount(res.hits.total);
  const repeats =
    ((res.aggregations as Record<string, unknown> | undefined)?.repeats as { buckets?: { doc_count: number }[] } | undefined)?.buckets ??
    [];
  if (repeats.length >= DUPLICATE_LIMIT) return undefined;
  return docs - repeats.reduce((n, b) => n + b.doc_count - 1, 0);
}

/** The first `n` distinct host names after `after` among the documents matching `filter`. */
async function hostsInOrder(client: MitraClient, index: string, filter: Query, n: number, after?: string): Promise<string[]> {
  const out: string[] = [];
  let from = after;
  for (;;) {
    const res = await search(client, {
      index,
      size: n - out.length,
      track_total_hits: false,
      _source: false,
      query: filter,
      sort: [{ 'host.name': 'asc' }],
      // search_after on the host name alone skips the host's other documents: each host comes once.
      ...(from === undefined ? {} : { search_after: [from] }),
    });
    const names = res.hits.hits.map((h) => String(h.sort![0]));
    const wanted = n - out.length;
    for (const name of names) if (out[out.length - 1] !== name) out.push(name);
    if (names.length < wanted || out.length >= n) return out.slice(0, n);
    from = names[names.length - 1];
  }
}

function pageOfList(matched: { names: string[]; unknown?: string[] }, size: number, after?: string): HostPage {
  const { rows, next } = page(matched.names, (h) => h, { size, after });
  return { total: matched.names.length, rows, ...(next ? { next } : {}), ...(matched.unknown ? { unknown: matched.unknown } : {}) };
}

/** Every matching host's name (conditions, then stale, then missing package), in order. */
async function matchingHosts(
  client: MitraClient,
  index: string,
  ask: Ask,
  plan: Plan,
  lastSeen: Map<string, string | null>,
): Promise<{ names: string[]; unknown?: string[] }> {
  let found = await intersect(client, index, ask, plan.conditions);
  if (plan.staleBefore !== undefined) found = await keepStale(ask, found, plan.staleBefore, lastSeen);
  if (plan.missing === undefined) return { names: [...found!].sort() };
  const split = await splitByInventory(client, index, ask, found, plan.missing);
  return { names: [...split.found].sort(), unknown: [...split.unknown].sort() };
}

/** Each condition's detail (kernel release, package versions, ...) for the hosts on the page: one request per condition. */
async function pageDetails(ask: Ask, conditions: Condition[], hosts: string[]): Promise<Map<string, Detail>> {
  const out = new Map<string, Detail>();
  if (!hosts.length) return out;
  const withDetail = conditions.filter((c) => c.detail);
  const answers = await Promise.all(withDetail.map((c) => ask.buckets(c.filter, hosts, c.aggs ?? {})));
  answers.forEach((buckets, i) => {
    for (const b of buckets) out.set(hostOf(b), { ...out.get(hostOf(b)), ...withDetail[i].detail!(b) });
  });
  return out;
}

/** Questions about the hosts of the current-state index, optionally only about the given hosts (HOST_CHUNK names a request). */
interface Ask {
  /** The names of the hosts with a document matching `filter`, in name order. */
  names(filter: Query, hosts?: string[]): Promise<string[]>;
  /** One bucket per such host, with `aggs` over its matching documents. */
  buckets(filter: Query, hosts: string[] | undefined, aggs: Aggs): Promise<CompositeBucket[]>;
}

function asker(client: MitraClient, index: string): Ask {
  const among = (filter: Query, names?: string[]): Query => (names ? { bool: { filter: [filter, terms('host.name', names)] } } : filter);
  const chunks = (hosts?: string[]) => (hosts === undefined ? [undefined] : chunk(hosts, HOST_CHUNK));
  return {
    // Lists are joined with flat(), never push(...list): spreading 200,000 names overflows the call stack.
    async names(filter, hosts) {
      const lists: string[][] = [];
      for (const names of chunks(hosts)) lists.push(await compositeHostNames(client, index, among(filter, names), PAGE));
      return lists.flat();
    },
    async buckets(filter, hosts, aggs) {
      const lists: CompositeBucket[][] = [];
      for (const names of chunks(hosts)) {
        const request = { index, query: among(filter, names), sources: [{ host: { terms: { field: 'host.name' } } }], aggs };
        lists.push((await allCompositeBuckets(client, request, { pageSize: PAGE })).buckets);
      }
      return lists.flat();
    },
  };
}

const chunk = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
const hostOf = (b: CompositeBucket) => String(b.key.host);

/**
 * The hosts meeting every condition. The condition with the fewest matching
 * documents is listed in full, and so is every condition with at most
 * LIST_ALONGSIDE times as many, side by side (the lists are intersected
 * here); every broader one is asked only about the hosts still in the answer.
 * Listing reads a condition's documents; asking about a list costs a lookup
 * of each name in every segment, about twice a listed document (measured at
 * 100,000 hosts: 52,600 documents listed in 37 ms, 26,000 names asked about
 * in 40-56 ms), so two conditions of about half the fleet each are cheaper
 * listed at once than one listed and the other asked about half the fleet
 * (bench/README.md, the broad pair). A long list still to narrow is narrowed
 * in two halves side by side: each request is one search thread on a shard,
 * so one request a step keeps one core busy while the other waits (the
 * three-condition question at 100,000 hosts: p50 -15 to -25%). Undefined
 * when there is no condition (stale or missing-package alone).
 */
async function intersect(client: MitraClient, index: string, ask: Ask, conditions: Condition[]): Promise<Set<string> | undefined> {
  if (!conditions.length) return undefined;
  const sized = conditions.length === 1 ? [{ c: conditions[0], n: 0 }] : await bySize(client, index, conditions);
  const [first, ...others] = sized;
  const alongside = (n: number) => n <= LIST_ALONGSIDE * first.n;
  const toList = [first, ...others.filter((x) => alongside(x.n))];
  const listed = inAll(await Promise.all(toList.map((x) => ask.names(x.c.filter))));
  const rest = others.filter((x) => !alongside(x.n)).map((x) => x.c);
  const halves = listed.length >= 2 * SPLIT_FROM ? chunk(listed, Math.ceil(listed.length / 2)) : [listed];
  const narrowed = await Promise.all(halves.map((hosts) => narrow(ask, rest, hosts)));
  return new Set(narrowed.flat());
}

/** The names in every list, in the first list's order. */
function inAll([first, ...others]: string[][]): string[] {
  const sets = others.map((names) => new Set(names));
  return first.filter((name) => sets.every((set) => set.has(name)));
}

/** The hosts of `hosts` that meet every one of `conditions`, one condition at a time. */
async function narrow(ask: Ask, conditions: Condition[], hosts: string[]): Promise<string[]> {
  let found = hosts;
  for (const c of conditions) {
    if (!found.length) break;
    found = await ask.names(c.filter, found);
  }
  return found;
}

/** The conditions with their matching document counts, fewest first. */
async function bySize(client: MitraClient, index: string, conditions: Condition[]): Promise<{ c: Condition; n: number }[]> {
  const counts = await Promise.all(conditions.map((c) => countMatching(client, index, c.filter)));
  return conditions.map((c, i) => ({ c, n: counts[i] })).sort((a, b) => a.n - b.n);
}

/**
 * Hosts whose newest snapshot is older than `before`. Alone, the candidates are
 * the hosts with at least one document older than that (a live host refreshes
 * every current document each cycle, so these are few), then those with a
 * newer document are dropped; with other conditions, the hosts found so far.
 */
async function keepStale(
  ask: Ask,
  found: Set<string> | undefined,
  before: number,
  lastSeen: Map<string, string | null>,
): Promise<Set<string>> {
  const old = found ?? new Set(await ask.names({ range: { '@timestamp': { lt: before } } }));
  await fillLastSeen(ask, [...old], lastSeen);
  return new Set(
    [...old].filter((host) => {
      const seen = lastSeen.get(host);
      return seen !== null && seen !== undefined && Date.parse(seen) < before;
    }),
  );
}

/**
 * Missing package: of the hosts found so far (or, alone, of every host), those
 * whose inventory lacks the package, and those with no inventory at all
 * (unknown: not known to lack it).
 */
async function splitByInventory(
  client: MitraClient,
  index: string,
  ask: Ask,
  found: Set<string> | undefined,
  name: string,
): Promise<{ found: Set<string>; unknown: Set<string> }> {
  const lacking = { filter: { bool: { must_not: [hasPackage(name)] } } };
  if (found === undefined) {
    const lacks = await ask.names({ bool: { filter: [inventoryFilter()], must_not: [hasPackage(name)] } });
    return { found: new Set(lacks), unknown: await hostsWithoutInventory(client, index, ask) };
  }
  const inventories = await ask.buckets(inventoryFilter(), [...found], { lacking });
  const withInventory = new Set(inventories.map(hostOf));
  const lackingHosts = new Set(inventories.filter((b) => count(b, 'lacking') > 0).map(hostOf));
  return {
    found: new Set([...found].filter((h) => lackingHosts.has(h))),
    unknown: new Set([...found].filter((h) => !withInventory.has(h))),
  };
}

/**
 * Hosts that report no package inventory. With no other condition there is
 * nothing to start from but the hosts themselves. When every current document
 * comes from an agent that writes a host document each cycle
 * (`mitra.agent.host_doc`), the candidates are the host documents that list
 * no inventory path — one document per host, a filter — less those that have
 * an inventory document after all (one their agent no longer sends).
 * Otherwise (documents from the original tool, a hand-made one, an agent
 * from before the host document) one pass over the host names of every current
 * document keeps the hosts with no inventory document: ~200 ms per 50,000
 * hosts, where the host documents take a few milliseconds.
 */
async function hostsWithoutInventory(client: MitraClient, index: string, ask: Ask): Promise<Set<string>> {
  if (await everyHostWritesHostDoc(client, index)) {
    const listsNone: Query = { bool: { filter: [pathIs(HOST_DOC_PATH), present], must_not: [terms('mitra.reports', INVENTORY_PATHS)] } };
    const candidates = await ask.names(listsNone);
    if (!candidates.length) return new Set();
    const withInventory = new Set(await ask.names(inventoryFilter(), candidates));
    return new Set(candidates.filter((h) => !withInventory.has(h)));
  }
  const buckets = await ask.buckets({ match_all: {} }, undefined, {
    inventory: { filter: inventoryFilter() },
    keep: { bucket_selector: { buckets_path: { inventory: 'inventory>_count' }, script: 'params.inventory == 0' } },
  });
  return new Set(buckets.map(hostOf));
}

async function fillLastSeen(ask: Ask, hosts: string[], into: Map<string, string | null>): Promise<void> {
  if (!hosts.length) return;
  const buckets = await ask.buckets({ match_all: {} }, hosts, { last_seen: { max: { field: '@timestamp' } } });
  for (const b of buckets) into.set(hostOf(b), maxDate(b.last_seen));
}

function buildConditions(q: HostQuery): Condition[] {
  const out: Condition[] = [];
  if (q.kernel !== undefined) out.push(kernelCondition(q.kernel));
  if (q.os !== undefined) out.push(osCondition(q.os));
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
    label: `kernel ${v}`,
    filter: { bool: { filter: [pathIs('/proc/version'), present, term(field, v)] } },
    onePerHost: true,
    aggs: firstValue('mitra.kernel.release'),
    detail: (b) => ({ kernel: firstKey(b) }),
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
    label: `os ${v}`,
    filter: { bool: { filter: [terms('file.path', ['/etc/os-release', '/usr/lib/os-release']), present, match] } },
    aggs: firstValue('mitra.os.pretty_name'),
    detail: (b) => ({ os: firstKey(b) }),
  };
}

/**
 * An inventory the questions can read: parsed into the flat package fields, or refused by its parser (it lists
 * nothing). One parsed before those fields existed (an index not yet re-parsed, see docs/architecture.md) is
 * not known to lack anything, so its host is `unknown`, never "missing".
 */
const inventoryFilter = (): Query => ({
  bool: {
    filter: [
      terms('mitra.format', INVENTORY_FORMATS),
      present,
      {
        bool: { should: [{ exists: { field: 'mitra.package_names' } }, { exists: { field: 'mitra.error.tag' } }], minimum_should_match: 1 },
      },
    ],
  },
});
/** Package names are a flat keyword list on the inventory document (no nested documents to join). */
const hasPackage = (name: string): Query => term('mitra.package_names', name);

function packageCondition(name: string): Condition {
  return {
    label: `with package ${name}`,
    filter: { bool: { filter: [inventoryFilter(), hasPackage(name)] } },
    package: name,
    // name=version entries of this package only: the regex is anchored at the start by Lucene.
    aggs: { versions: packageEntries(name, 20) },
    detail: (b) => {
      const buckets = (b.versions as { buckets?: { key: string }[] } | undefined)?.buckets ?? [];
      return { package: { name, versions: buckets.map((v) => v.key.slice(name.length + 1)) } };
    },
  };
}

/**
 * The name=version entries of one package among the documents an aggregation
 * sees. By value (`map`), not by global ordinals: those span every entry of
 * every inventory (millions at 100,000 hosts) and are rebuilt after each
 * refresh, ~1.7 s at 100k, which a live fleet pays on every question.
 */
const packageEntries = (name: string, size: number) => ({
  terms: { field: 'mitra.package_versions', include: `${regexLiteral(name)}=.*`, size, execution_hint: 'map' as const },
});

/** A Lucene regular expression matching `s` literally: its reserved characters escaped. */
const regexLiteral = (s: string): string => s.replace(/[.?+*|{}[\]()"\\#@&<>~]/g, (c) => `\\${c}`);

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
    label: `${q.file} ${words.join(' and ')}`,
    filter: { bool: { filter: [pathIs(q.file), present, { range: { 'file.size': range } }] } },
    onePerHost: true,
    // One document per (host, path): its size is the maximum of one value.
    aggs: { size: { max: { field: 'file.size' } } },
    detail: (b) => {
      const size = (b.size as { value?: number | null } | undefined)?.value;
      return { file: { path: q.file!, size: typeof size === 'number' ? size : null } };
    },
  };
}

/** The value of a keyword on the condition's document, read from doc values (no _source fetch per host). */
const firstValue = (field: string): Aggs => ({ value: { terms: { field, size: 1 } } });
const firstKey = (b: CompositeBucket): string | undefined => (b.value as { buckets?: { key: string }[] } | undefined)?.buckets?.[0]?.key;

const count = (b: CompositeBucket, agg: string): number => (b[agg] as { doc_count?: number } | undefined)?.doc_count ?? 0;

export type { VersionConstraint };
