import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { connect, resolveConnection } from '@mitra/core';
import { engineOptions, probe, startEngine, stopEngine } from '@mitra/engine';
import { benchAgentCycle, benchAgentLargeFiles, benchAgentOutage, benchAgentProcess } from './agent';
import { benchEngineStart } from './engine-start';
import { benchUi } from './ui';
import { benchIngest } from './ingest';
import { benchIndexCost } from './index-cost';
import { benchApiLoad } from './api-load';
import { benchQueries, DEFAULT_SIZES, type QueriesOptions } from './queries';
import type { QueryLibrary } from './questions';
import { benchStorage } from './storage';
import { benchSamples } from './samples';
import { benchSearchable } from './searchable';

/**
 * `npm run bench [-- name ... [--hosts 10000,30000,100000] [--runs N] [--warmup N] [--keep]]`:
 * runs the named benchmarks (all by default) against the local engine and
 * writes bench/results/<date>-<name>.json. The flags are the queries
 * benchmark's (its growth curve). Figures worth keeping are copied into
 * bench/README.md by hand, with the machine.
 */
const USAGE = 'usage: npm run bench -- [name ...] [--hosts N,N,...] [--runs N] [--warmup N] [--keep]';
let queriesOptions: QueriesOptions = { sizes: DEFAULT_SIZES, runs: 100, warmupRounds: 5, keep: false };

const BENCHES: Record<string, () => Promise<unknown>> = {
  'agent-cycle': () => benchAgentCycle(),
  'agent-process': () => benchAgentProcess(),
  'agent-large-files': () => benchAgentLargeFiles(),
  'agent-outage': () => benchAgentOutage(),
  'engine-start': () => benchEngineStart(),
  queries: () => withClient((client) => benchQueries(client, queriesOptions)),
  'api-load': () => withClient((client, url) => benchApiLoad(client, url)),
  ui: () => withClient((client) => benchUi(client)),
  storage: () => withClient((client) => benchStorage(client, Number(process.env.BENCH_STORAGE_HOSTS) || 1000)),
  samples: () => withClient((client) => benchSamples(client, Number(process.env.BENCH_SAMPLES) || 3000)),
  'agent-searchable': () => withClient((client, url) => benchSearchable(client, url, Number(process.env.BENCH_CHANGES) || 50)),
  'index-cost': () =>
    withClient((client) =>
      benchIndexCost(client, {
        hosts: Number(process.env.BENCH_HOSTS) || 400,
        rounds: Number(process.env.BENCH_ROUNDS) || 7,
        sets: (process.env.BENCH_ONLY ?? 'ALL,INVENTORY').split(','),
      }),
    ),
  ingest: async () => {
    const { client } = await connect(resolveConnection());
    try {
      return await benchIngest(client, Number(process.env.BENCH_HOSTS) || 1000, Number(process.env.BENCH_ROUNDS) || 3);
    } finally {
      await client.close();
    }
  },
};

// A fleet-loader bulk can take minutes on a busy engine, and the client's timeout bounds every request
// (per-request timeouts cannot exceed it); the timed questions never come near it.
process.env.MITRA_ES_TIMEOUT_MS ??= '600000';

async function withClient<T>(work: (client: Client, url: string) => Promise<T>): Promise<T> {
  const { client, url } = await connect(resolveConnection());
  try {
    return await work(client, url);
  } finally {
    await client.close();
  }
}

async function main(names: string[]): Promise<void> {
  const selected = names.length ? names : Object.keys(BENCHES);
  const unknown = selected.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown benchmark(s) ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}`);
  const o = engineOptions({ log: () => {} });
  const ownEngine = !(await probe(o));
  if (ownEngine) await startEngine(o);
  const machine = {
    host: hostname(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const dir = resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  try {
    for (const name of selected) {
      process.stderr.write(`bench: ${name}...\n`);
      const engine = await engineInfo();
      const loadAtStart = loadavg()[0];
      const result = await BENCHES[name]();
      const load = { start: round2(loadAtStart), end: round2(loadavg()[0]) };
      const record = { name, date: new Date().toISOString(), machine, engine, load, result };
      console.log(JSON.stringify(record));
      writeFileSync(join(dir, `${record.date.slice(0, 10)}-${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    }
  } finally {
    if (ownEngine) await stopEngine(o);
  }
}

/** Which engine answered (the figures depend on it): distribution, version and node count. */
async function engineInfo(): Promise<{ distribution: string; version: string; nodes: number }> {
  return withClient(async (client) => {
    const [info, health] = await Promise.all([client.info(), client.cluster.health()]);
    const version = info.version as { number: string; distribution?: string };
    return { distribution: version.distribution ?? 'elasticsearch', version: version.number, nodes: health.number_of_nodes };
  });
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Benchmark names and the queries benchmark's options; a clear error for anything else. */
function parseCommandLine(argv: string[]): string[] {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { hosts: { type: 'string' }, runs: { type: 'string' }, warmup: { type: 'string' }, keep: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const sizes = values.hosts === undefined ? DEFAULT_SIZES : values.hosts.split(',').map((h) => positiveInt(h.trim(), '--hosts'));
  const runs = values.runs === undefined ? Number(process.env.BENCH_RUNS) || 100 : positiveInt(values.runs, '--runs');
  const warmupRounds = values.warmup === undefined ? queriesOptions.warmupRounds : positiveInt(values.warmup, '--warmup');
  const baseline = process.env.BENCH_BASELINE_CORE ? baselineCore(process.env.BENCH_BASELINE_CORE) : undefined;
  queriesOptions = { ...queriesOptions, sizes, runs, warmupRounds, keep: values.keep ?? false, baseline };
  return positionals;
}

/** The query library built in another checkout (bench/README.md, "Before and after"): its core folder, built. */
function baselineCore(folder: string): QueryLibrary {
  const entry = join(resolve(folder), 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`BENCH_BASELINE_CORE: no ${entry}; build that checkout's core first (npx tsc -b core there)`);
  // Loaded at run time from a path the operator names: not a module this build knows.
  return createRequire(__filename)(entry) as QueryLibrary;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n <= 0) throw new Error(`${flag}: "${text}" is not a positive whole number`);
  return n;
}

function args(): string[] {
  try {
    return parseCommandLine(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${(e as Error).message.split('\n')[0]}; ${USAGE}`);
    process.exit(2);
  }
}

main(args()).catch((e: Error) => {
  console.error(`bench: ${e.message}`);
  if (process.env.BENCH_DEBUG) console.error(e);
  process.exit(1);
});
