import { loadavg } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { currentIndex, historyIndices } from '@mitra/core';
import { dropFleet, growFleet, readFleetState, type FleetState, type LoadOptions, type LoadStep } from './fleet-load';
import { questions, summarise, type Question, type QuestionKind, type QueryLibrary } from './questions';

/**
 * The growth curve: every fleet question and history call (bench/src/questions.ts)
 * on simulated fleets of growing size (default 10k, 30k, 100k hosts, 3 days
 * of history, seed 42), timed client-side with hrtime around the library call
 * (what the CLI and the API wait for), warm-up rounds then N sequential runs
 * per question; p50/p99 and the answer's size as JSON. The fleet grows in
 * place between sizes (bench/src/fleet-load.ts) under its own prefix, which
 * is dropped at the end unless `--keep`.
 */

/** The 10k fleet api-load and ui share (`ensureFleet`); the growth curve has its own prefix. */
export const FLEET_PREFIX = process.env.BENCH_FLEET_PREFIX || 'bench-fleet-';
export const FLEET_HOSTS = Number(process.env.BENCH_FLEET_HOSTS) || 10_000;
export const GROWTH_PREFIX = process.env.BENCH_GROWTH_PREFIX || 'bench-growth-';
export const DEFAULT_SIZES = [10_000, 30_000, 100_000];
const SHAPE = { seed: 42, days: 3 };
/** Issue 13's goals: fleet questions p99 ≤ 100 ms at 10k hosts and ≤ 200 ms at 100k; history calls ≤ 20 ms. */
const fleetTargetMs = (hosts: number) => (hosts <= 10_000 ? 100 : 200);
const HISTORY_TARGET_MS = 20;
const MIN_RUNS = 50;
const SLOW_CASE_BUDGET_MS = 120_000;

const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Fleet {
  prefix: string;
  hosts: number;
  reused: boolean;
  load: LoadStep | null;
  /** Top-level documents (nested package/settings entries not counted). */
  currentDocs: number;
  historyDocs: number;
  /** Newest @timestamp in the current state: the fleet's "now", so relative times give the same answers on every run. */
  asOf: Date;
  state: FleetState;
}

/** The simulated fleet of `hosts` hosts under `prefix`: reused, grown from a smaller one, or loaded. */
export async function ensureFleet(client: Client, prefix = FLEET_PREFIX, hosts = FLEET_HOSTS, opts: LoadOptions = {}): Promise<Fleet> {
  const load = await growFleet(client, prefix, hosts, SHAPE, { log, ...opts });
  const state = await readFleetState(client, prefix);
  if (!state?.complete) throw new Error(`the fleet under "${prefix}" is incomplete after loading: run the benchmark again`);
  const current = await countDocs(client, currentIndex(prefix));
  const history = await countDocs(client, historyIndices(prefix));
  const asOf = await newestTimestamp(client, currentIndex(prefix));
  log(
    `fleet: ${hosts} hosts under "${prefix}" (${load ? `loaded in ${load.seconds} s` : 'reused'}), ${current} current, ${history} history documents`,
  );
  return { prefix, hosts, reused: !load, load, currentDocs: current, historyDocs: history, asOf, state };
}

async function countDocs(client: Client, index: string): Promise<number> {
  const res = await client.count({ index, ignore_unavailable: true, allow_no_indices: true });
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

export interface QuestionResult {
  question: string;
  kind: QuestionKind;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  targetMs: number;
  pass: boolean;
  /** The answer as JSON (what `--json` prints and the API returns), in bytes. */
  answerBytes: number;
  answer: string;
  /** Elasticsearch requests one call sends, and their summed server-side `took`: the rest of the latency is transport and client work. */
  esRequests: number;
  esTookMs: number;
  /** With BENCH_BASELINE_CORE: the same question through the baseline library, timed in alternation with this tree's. */
  baseline?: BaselineResult;
}

export interface BaselineResult {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  answer: string;
  /** The baseline's answer summarised the same: a faster library must not have changed the answer. */
  sameAnswer: boolean;
}

export interface SizeResult {
  hosts: number;
  fleet: { reused: boolean; load: LoadStep | null; currentDocs: number; historyDocs: number; asOf: string };
  /** Engine heap (used/max, MiB) and primary store (MiB) after loading, before timing. */
  engine: { heapUsedMiB: number; heapMaxMiB: number; storeMiB: number };
  /** `uptime` load averages (1, 5, 15 min) before and after timing this size: the machine may be shared. */
  loadBefore: number[];
  loadAfter: number[];
  questions: QuestionResult[];
}

export interface QueriesOptions {
  sizes: number[];
  runs: number;
  warmupRounds: number;
  /** Keep the fleet after the run (it is dropped by default). */
  keep: boolean;
  load?: LoadOptions;
  /** Another build of the query library (BENCH_BASELINE_CORE), timed side by side with this tree's. */
  baseline?: QueryLibrary;
}

export interface QueriesResult {
  prefix: string;
  engineVersion: string;
  runs: number;
  warmupRounds: number;
  sizes: SizeResult[];
  /** The side-by-side table (question × size), as printed. */
  table: string;
}

export async function benchQueries(client: Client, opts: QueriesOptions): Promise<QueriesResult> {
  const sizes = [...new Set(opts.sizes)].sort((a, b) => a - b);
  const info = await client.info();
  const results: SizeResult[] = [];
  try {
    for (const hosts of sizes) results.push(await benchSize(client, hosts, opts));
  } finally {
    if (!opts.keep) {
      await dropFleet(client, GROWTH_PREFIX);
      log(`fleet: dropped "${GROWTH_PREFIX}" (pass --keep to keep it)`);
    }
  }
  const table = sideBySide(results);
  log(table);
  return {
    prefix: GROWTH_PREFIX,
    engineVersion: info.version.number,
    runs: opts.runs,
    warmupRounds: opts.warmupRounds,
    sizes: results,
    table,
  };
}

async function benchSize(client: Client, hosts: number, opts: QueriesOptions): Promise<SizeResult> {
  const fleet = await ensureFleet(client, GROWTH_PREFIX, hosts, opts.load);
  const engine = await engineFigures(client, GROWTH_PREFIX);
  const subject = { client, prefix: GROWTH_PREFIX, asOf: fleet.asOf, fleet: fleet.state };
  const list = questions(subject);
  const baseList = opts.baseline ? questions(subject, opts.baseline) : undefined;
  log(
    `queries at ${hosts} hosts: ${opts.warmupRounds} warm-up rounds of ${list.length} questions, shard request cache off${baseList ? ', each timed in alternation with the baseline library' : ''}`,
  );
  const loadBefore = loadAverage();
  const measured: QuestionResult[] = [];
  await setRequestCache(client, GROWTH_PREFIX, false);
  try {
    for (let r = 0; r < opts.warmupRounds; r++) for (const q of [...list, ...(baseList ?? [])]) await q.ask();
    for (const [i, q] of list.entries()) {
      const target = q.kind === 'fleet' ? fleetTargetMs(hosts) : HISTORY_TARGET_MS;
      const r = await measure(client, q, opts.runs, target, baseList?.[i]);
      measured.push(r);
      const base = r.baseline
        ? ` (baseline p50 ${r.baseline.p50Ms}, p99 ${r.baseline.p99Ms}${r.baseline.sameAnswer ? '' : `, ANSWER DIFFERS: ${r.baseline.answer}`})`
        : '';
      log(
        `queries at ${hosts}: ${q.name}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${base} (target ${target}) ${r.pass ? 'pass' : 'FAIL'}, ${r.answerBytes} B — ${r.answer}`,
      );
    }
  } finally {
    await setRequestCache(client, GROWTH_PREFIX, null);
  }
  return {
    hosts,
    fleet: {
      reused: fleet.reused,
      load: fleet.load,
      currentDocs: fleet.currentDocs,
      historyDocs: fleet.historyDocs,
      asOf: fleet.asOf.toISOString(),
    },
    engine,
    loadBefore,
    loadAfter: loadAverage(),
    questions: measured,
  };
}

/**
 * Switches the shard request cache of the fleet's indices off (false) or back
 * to the default (null). Repeating one question 50 times would otherwise time
 * the cache: every aggregation-only request (size 0) is answered from memory
 * after the first run. A live fleet's current index refreshes every second
 * under ingest, which empties that cache, so operators see the uncached time.
 */
async function setRequestCache(client: Client, prefix: string, enable: false | null): Promise<void> {
  await client.indices.putSettings({
    index: [currentIndex(prefix), historyIndices(prefix)],
    settings: { 'index.requests.cache.enable': enable },
  });
}

async function engineFigures(client: Client, prefix: string): Promise<SizeResult['engine']> {
  const nodes = (await client.nodes.stats({ metric: 'jvm' })) as {
    nodes: Record<string, { jvm: { mem: { heap_used_in_bytes: number; heap_max_in_bytes: number } } }>;
  };
  const heap = Object.values(nodes.nodes).reduce(
    (a, n) => ({ used: a.used + n.jvm.mem.heap_used_in_bytes, max: a.max + n.jvm.mem.heap_max_in_bytes }),
    { used: 0, max: 0 },
  );
  const stats = await client.indices.stats({ index: [currentIndex(prefix), historyIndices(prefix)], metric: 'store' });
  const store = stats._all.primaries?.store?.size_in_bytes ?? 0;
  const mib = (b: number) => Math.round(b / 2 ** 20);
  return { heapUsedMiB: mib(heap.used), heapMaxMiB: mib(heap.max), storeMiB: mib(store) };
}

/**
 * Times `q` `runs` times; with a baseline, the two alternate run by run (which
 * goes first swaps every run), so both see the same machine.
 */
async function measure(client: Client, q: Question, runs: number, targetMs: number, base?: Question): Promise<QuestionResult> {
  const times: number[] = [];
  const baseTimes: number[] = [];
  let last: unknown;
  let baseLast: unknown;
  const started = Date.now();
  for (let i = 0; i < runs; i++) {
    // A question far off its target need not hold the machine for minutes: stop at 50 runs after two minutes.
    if (i >= MIN_RUNS && Date.now() - started > SLOW_CASE_BUDGET_MS) break;
    const baseFirst = i % 2 === 1;
    if (base && baseFirst) baseLast = await timed(base, baseTimes);
    last = await timed(q, times);
    if (base && !baseFirst) baseLast = await timed(base, baseTimes);
  }
  const { requests } = await captureRequests(client, () => q.ask());
  const stats = timing(times);
  const answer = summarise(last);
  return {
    question: q.name,
    kind: q.kind,
    runs: times.length,
    ...stats,
    targetMs,
    pass: stats.p99Ms <= targetMs,
    answerBytes: Buffer.byteLength(JSON.stringify(last)),
    answer,
    esRequests: requests.length,
    esTookMs: requests.reduce((n, r) => n + (r.tookMs ?? 0), 0),
    ...(base ? { baseline: { ...timing(baseTimes), answer: summarise(baseLast), sameAnswer: summarise(baseLast) === answer } } : {}),
  };
}

async function timed(q: Question, into: number[]): Promise<unknown> {
  const t0 = process.hrtime.bigint();
  const answer = await q.ask();
  into.push(Number(process.hrtime.bigint() - t0) / 1e6);
  return answer;
}

function timing(times: number[]): { p50Ms: number; p99Ms: number; meanMs: number; maxMs: number } {
  return {
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    meanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    maxMs: round(Math.max(...times)),
  };
}

/**
 * Markdown: one row per question, one column per fleet size, "p50 / p99 ms
 * (answer size)", with a baseline "base p50 / p99 → p50 / p99"; a miss of the
 * target in bold.
 */
export function sideBySide(sizes: SizeResult[]): string {
  const withBase = sizes.some((s) => s.questions.some((q) => q.baseline));
  const unit = withBase ? 'baseline → now, p50 / p99 ms (answer)' : 'p50 / p99 ms (answer)';
  const head = ['question', ...sizes.map((s) => `${s.hosts.toLocaleString('en-US')} hosts: ${unit}`)];
  const names = sizes[0]?.questions.map((q) => q.question) ?? [];
  const rows = names.map((name) => [
    name,
    ...sizes.map((s) => {
      const q = s.questions.find((x) => x.question === name);
      if (!q) return '—';
      const p99 = q.pass ? `${q.p99Ms}` : `**${q.p99Ms}**`;
      const base = q.baseline ? `${q.baseline.p50Ms} / ${q.baseline.p99Ms} → ` : '';
      return `${base}${q.p50Ms} / ${p99} (${bytes(q.answerBytes)})`;
    }),
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 2 ** 20).toFixed(1)} MiB`);

/** Nearest-rank percentile: the smallest sample with at least p% of samples at or below it. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export const loadAverage = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);
