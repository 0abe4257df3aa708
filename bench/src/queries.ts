import { loadavg } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import {
  contentAt,
  diffVersions,
  series,
  fileDrift,
  findHosts,
  listVersions,
  searchSnapshots,
  settingValues,
  staleHosts,
  valueHosts,
  currentIndex,
  historyIndices,
} from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';
import { loadFleet } from '@mitra/test/dist/fleet/load';
import { hostName, simulateHost, type FleetOptions } from '@mitra/test/dist/fleet/simulator';

/**
 * Fleet query latency on a simulated 10,000-host fleet: every fleet question
 * and the per-file history calls, timed client-side with hrtime around the
 * library call (what the CLI and the API wait for), N sequential runs each
 * after warm-up rounds. The fleet is loaded once under its own prefix and
 * reused by later runs (and by the api-load benchmark).
 */

export const FLEET_PREFIX = process.env.BENCH_FLEET_PREFIX || 'bench-fleet-';
export const FLEET_HOSTS = Number(process.env.BENCH_FLEET_HOSTS) || 10_000;
// The simulator's defaults, spelled out: a reused fleet must have been loaded with these.
const FLEET_SHAPE: FleetOptions = { hosts: FLEET_HOSTS, seed: 42, days: 3 };
// Issue 13: every fleet question p99 <= 100 ms at 10k hosts, history calls <= 20 ms.
const FLEET_QUERY_TARGET_MS = 100;
const HISTORY_TARGET_MS = 20;
const DAY_MS = 86_400_000;
const MIN_RUNS = 50;
const SLOW_CASE_BUDGET_MS = 120_000;
const LUCENE = 'filename:"/etc/fstab" AND content:ext4';

const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Fleet {
  prefix: string;
  hosts: number;
  reused: boolean;
  loadSeconds?: number;
  /** Top-level documents (nested package/settings entries not counted). */
  currentDocs: number;
  historyDocs: number;
  /** Newest @timestamp in the current state: the fleet's "now", so relative times give the same answers on every run. */
  asOf: Date;
}

/** Loads the simulated fleet unless a complete one is already there. */
export async function ensureFleet(client: Client, prefix = FLEET_PREFIX, shape: FleetOptions = FLEET_SHAPE): Promise<Fleet> {
  let reused = true;
  let loadSeconds: number | undefined;
  if (!(await fleetComplete(client, prefix, shape))) {
    reused = false;
    loadSeconds = await reloadFleet(client, prefix, shape);
  }
  const current = await countDocs(client, currentIndex(prefix));
  const history = await countDocs(client, historyIndices(prefix));
  const asOf = await newestTimestamp(client, currentIndex(prefix));
  log(
    `fleet: ${shape.hosts} hosts under "${prefix}" (${reused ? 'reused' : `loaded in ${loadSeconds} s`}), ${current} current, ${history} history documents`,
  );
  return { prefix, hosts: shape.hosts, reused, loadSeconds, currentDocs: current, historyDocs: history, asOf };
}

/**
 * Complete means every host has its /proc/version and the last host has all
 * of its files: the loader sends hosts in order, so an interrupted load shows
 * in the last host (and a different fleet size in the first count).
 */
async function fleetComplete(client: Client, prefix: string, shape: FleetOptions): Promise<boolean> {
  const index = currentIndex(prefix);
  const exists = await client.indices.exists({ index });
  if (!exists) return false;
  const kernels = await countDocs(client, index, { term: { 'file.path': '/proc/version' } });
  const lastIndex = shape.hosts - 1;
  const lastFiles = await countDocs(client, index, { term: { 'host.name': hostName(lastIndex) } });
  const expected = simulateHost(lastIndex, shape).files.length;
  return kernels === shape.hosts && lastFiles === expected;
}

async function reloadFleet(client: Client, prefix: string, shape: FleetOptions): Promise<number> {
  log(`fleet: loading ${shape.hosts} hosts under "${prefix}" (takes minutes; later runs reuse it)`);
  await client.indices.delete({ index: `${prefix}*` }, { ignore: [404] });
  await installAssets(client, prefix);
  const t0 = Date.now();
  const every = Math.max(1, Math.round(shape.hosts / 10));
  const stats = await loadFleet(client, prefix, {
    ...shape,
    onHost: (h) => {
      const i = Number(h.name.replace(/\D/g, ''));
      if ((i + 1) % every === 0) log(`fleet: ${i + 1}/${shape.hosts} hosts generated, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    },
  });
  const seconds = Number(((Date.now() - t0) / 1000).toFixed(1));
  log(`fleet: ${stats.documents} wire documents in ${stats.requests} bulk requests, ${seconds} s`);
  return seconds;
}

async function countDocs(client: Client, index: string, query?: object): Promise<number> {
  const res = await client.count({ index, ignore_unavailable: true, allow_no_indices: true, ...(query ? { query } : {}) });
  return res.count;
}

async function newestTimestamp(client: Client, index: string): Promise<Date> {
  const res = await client.search({ index, size: 0, aggs: { newest: { max: { field: '@timestamp' } } } });
  const value = (res.aggregations?.newest as { value?: number | null } | undefined)?.value;
  if (typeof value !== 'number') throw new Error(`${index} has no documents with @timestamp: reload the fleet (delete ${index})`);
  return new Date(value);
}

/** One Elasticsearch request as the client sent it. */
export interface SentRequest {
  method: string;
  path: string;
  querystring: string;
  body: string;
  /** Server-side time Elasticsearch reported (`took`), when the response has it. */
  tookMs?: number;
}

/** Runs `work` and returns the requests the client sent meanwhile (run nothing else on the client at the same time). */
export async function captureRequests<T>(client: Client, work: () => Promise<T>): Promise<{ result: T; requests: SentRequest[] }> {
  const requests: SentRequest[] = [];
  type Diagnostic = {
    meta: { request: { params: { method: string; path: string; querystring?: unknown; body?: unknown } } };
    body?: unknown;
  };
  const listener = (_err: unknown, d: Diagnostic | null) => {
    if (!d) return;
    const p = d.meta.request.params;
    const took = (d.body as { took?: unknown } | undefined)?.took;
    requests.push({
      method: p.method,
      path: p.path,
      querystring: typeof p.querystring === 'string' ? p.querystring : '',
      body: typeof p.body === 'string' ? p.body : p.body instanceof Buffer ? p.body.toString('utf8') : '',
      ...(typeof took === 'number' ? { tookMs: took } : {}),
    });
  };
  client.diagnostic.on('response', listener);
  try {
    return { result: await work(), requests };
  } finally {
    client.diagnostic.off('response', listener);
  }
}

interface Case {
  name: string;
  targetMs: number;
  /** One timed call: hrtime around the library call only; the answer is summarised afterwards. */
  time(): Promise<{ ms: number; answer: () => string }>;
  call(): Promise<unknown>;
}

function defineCase<T>(name: string, targetMs: number, call: () => Promise<T>, answer: (r: T) => string): Case {
  return {
    name,
    targetMs,
    call,
    async time() {
      const t0 = process.hrtime.bigint();
      const r = await call();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      return { ms, answer: () => answer(r) };
    },
  };
}

/** A host whose /etc/hosts changed once during the simulated days, so its history has two versions. */
function hostWithHostsChange(): { host: string; versions: number } {
  for (let i = 12; i < FLEET_SHAPE.hosts; i++) {
    const file = simulateHost(i, FLEET_SHAPE).files.find((f) => f.path === '/etc/hosts');
    if (file && file.versions.length > 1) return { host: hostName(i), versions: file.versions.length };
  }
  return { host: hostName(12), versions: 1 };
}

function fleetCases(client: Client, fleet: Fleet): Case[] {
  const p = fleet.prefix;
  const dayBefore = new Date(fleet.asOf.getTime() - DAY_MS).toISOString();
  const twoDaysBefore = new Date(fleet.asOf.getTime() - 2 * DAY_MS).toISOString();
  const h = hostWithHostsChange();
  const F = FLEET_QUERY_TARGET_MS;
  return [
    defineCase(
      'hosts --kernel 4.4',
      F,
      () => findHosts(client, p, { kernel: '4.4' }),
      (r) => `${r.total} hosts`,
    ),
    defineCase(
      'hosts --missing-package zsh',
      F,
      () => findHosts(client, p, { missingPackage: 'zsh' }),
      (r) => `${r.total} hosts, ${r.unknown?.length ?? 0} without inventory`,
    ),
    defineCase(
      'hosts --file /etc/hosts --larger-than 4k',
      F,
      () => findHosts(client, p, { file: '/etc/hosts', largerThan: '4k' }),
      (r) => `${r.total} hosts`,
    ),
    defineCase(
      'values vm.swappiness',
      F,
      () => settingValues(client, p, { key: 'vm.swappiness' }),
      (r) => `${r.total} hosts, ${r.values.map((v) => `${v.value}:${v.count}`).join(' ')}`,
    ),
    defineCase(
      'values vm.swappiness --value (first 100 hosts of the most common value)',
      F,
      () => valueHosts(client, p, { key: 'vm.swappiness' }),
      (r) => `${r.hosts.length} of ${r.valueTotal} hosts with ${r.value}`,
    ),
    defineCase(
      'drift /etc/hosts',
      F,
      () => fileDrift(client, p, { path: '/etc/hosts' }),
      (r) => `${r.total} of ${r.reporting} drifted, ${r.variants.length} variants`,
    ),
    defineCase(
      'hosts --stale 1d',
      F,
      () => staleHosts(client, p, { olderThan: '1d', now: fleet.asOf }),
      (r) => `${r.total} hosts`,
    ),
    defineCase(
      'search (Lucene)',
      F,
      () => searchSnapshots(client, p, { query: LUCENE }),
      (r) => `${r.total} hits`,
    ),
    defineCase(
      'search (Lucene) --at 1 day before',
      F,
      () => searchSnapshots(client, p, { query: LUCENE, at: dayBefore }),
      (r) => `${r.total} hits`,
    ),
    defineCase(
      `history ${h.host} /etc/hosts`,
      HISTORY_TARGET_MS,
      () => listVersions({ client, prefix: p }, { host: h.host, path: '/etc/hosts' }),
      (r) => `${r.total} versions (simulated: ${h.versions})`,
    ),
    defineCase(
      `content-at ${h.host} /etc/hosts, 1 day before`,
      HISTORY_TARGET_MS,
      () => contentAt({ client, prefix: p }, { host: h.host, path: '/etc/hosts', at: dayBefore }),
      (r) => `${r.content?.length ?? 0} chars, version of ${r.version?.timestamp ?? 'none'}`,
    ),
    defineCase(
      `diff ${h.host} /etc/hosts, 2 days before → now`,
      HISTORY_TARGET_MS,
      () =>
        diffVersions(
          { client, prefix: p },
          { host: h.host, path: '/etc/hosts', from: { at: twoDaysBefore }, to: { at: fleet.asOf.toISOString() } },
        ),
      (r) => `${r.identical ? 'identical' : `${r.diff.split('\n').length} diff lines`}`,
    ),
    defineCase(
      `series ${hostName(12)} mitra.loadavg.load1`,
      HISTORY_TARGET_MS,
      () => series({ client, prefix: p }, { host: hostName(12), field: 'mitra.loadavg.load1' }),
      (r) => `${r.points.length} points (${r.mode})`,
    ),
  ];
}

export interface CaseResult {
  query: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  targetMs: number;
  pass: boolean;
  answer: string;
  /** Elasticsearch requests one call sends, and their summed server-side `took`: the rest of the latency is transport and client work. */
  /** The library's answer as JSON (what the API sends), bytes. */
  answerBytes: number;
  esRequests: number;
  esTookMs: number;
}

export interface QueriesResult {
  fleet: Omit<Fleet, 'asOf'> & { asOf: string };
  warmupRounds: number;
  /** `uptime` load averages (1, 5, 15 min) before and after the measurement: the machine is shared. */
  loadBefore: number[];
  loadAfter: number[];
  cases: CaseResult[];
}

export async function benchQueries(client: Client, runs = Number(process.env.BENCH_RUNS) || 100, warmupRounds = 5): Promise<QueriesResult> {
  const fleet = await ensureFleet(client);
  const cases = fleetCases(client, fleet);
  log(`queries: ${warmupRounds} warm-up rounds`);
  for (let r = 0; r < warmupRounds; r++) for (const c of cases) await c.call();
  const loadBefore = loadAverage();
  const results: CaseResult[] = [];
  for (const c of cases) {
    results.push(await measure(client, c, runs));
    const last = results[results.length - 1];
    log(
      `queries: ${c.name}: p50 ${last.p50Ms} ms, p99 ${last.p99Ms} ms (target ${c.targetMs}) ${last.pass ? 'pass' : 'FAIL'} — ${last.answer}`,
    );
  }
  return { fleet: { ...fleet, asOf: fleet.asOf.toISOString() }, warmupRounds, loadBefore, loadAfter: loadAverage(), cases: results };
}

async function measure(client: Client, c: Case, runs: number): Promise<CaseResult> {
  const times: number[] = [];
  let answer = () => '';
  const started = Date.now();
  for (let i = 0; i < runs; i++) {
    // A query far off its target need not hold the machine for minutes: stop at 50 runs after two minutes.
    if (i >= MIN_RUNS && Date.now() - started > SLOW_CASE_BUDGET_MS) break;
    const t = await c.time();
    times.push(t.ms);
    answer = t.answer;
  }
  const { requests, result } = await captureRequests(client, () => c.call());
  const p99 = percentile(times, 99);
  return {
    query: c.name,
    runs: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(p99),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    maxMs: round(Math.max(...times)),
    targetMs: c.targetMs,
    pass: p99 < c.targetMs,
    answer: answer(),
    answerBytes: Buffer.byteLength(JSON.stringify(result)),
    esRequests: requests.length,
    esTookMs: requests.reduce((n, r) => n + (r.tookMs ?? 0), 0),
  };
}

/** Nearest-rank percentile: the smallest sample with at least p% of samples at or below it. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export const loadAverage = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
