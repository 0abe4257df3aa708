import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { currentIndex, historyIndices, snapshotPipeline } from '@mitra/core';
import { installAssets, loadAssets } from '@mitra/ingest-pipelines';
import { hostDocuments, hostName, simulateHost, type FleetOptions } from '@mitra/test/dist/fleet/simulator';

/**
 * Loads the simulated fleet (test/src/fleet/simulator.ts) through the real
 * ingest pipeline, fast enough for 100,000 hosts in one benchmark run, and
 * grows it: hosts [loaded, target) are added to a fleet that already has
 * `loaded` hosts, so a 10k → 30k → 100k curve loads 100k hosts once.
 *
 * Same wire documents and the same `?pipeline=<prefix>snapshot` path as the
 * tests' loader; what differs is how they are sent: serialised once into
 * NDJSON bodies of about `bulkBytes`, never splitting a host (its versions
 * reach the pipeline in order, in one request), with `concurrency` requests
 * in flight so the engine's write threads never wait for the generator.
 *
 * A fleet only grows consistently when every host is generated with the same
 * `now`: it is kept, with the host count, in a one-document state index
 * (`<prefix>bench-state`, outside every template pattern of the prefix),
 * written `complete: false` before a step and `true` after it, so an
 * interrupted load is noticed and the fleet reloaded from scratch. A fleet
 * made by another simulator or pipeline (fleetFingerprint) is reloaded too.
 */

export interface FleetShape {
  seed: number;
  days: number;
}

export interface LoadOptions {
  /** Target bytes per bulk body (hosts are never split, so a body can exceed it by one host). */
  bulkBytes?: number;
  /** Bulk requests in flight. */
  concurrency?: number;
  log?: (line: string) => void;
}

export interface FleetState {
  hosts: number;
  now: string;
  seed: number;
  days: number;
  complete: boolean;
  /** What the fleet was made with (fleetFingerprint): a fleet made by another simulator or pipeline is reloaded, never reused. */
  fingerprint?: string;
}

/**
 * The simulator's documents for its edge hosts (the first 12, at a fixed time)
 * and the pipeline's version: any change to what a host sends, or to how it is
 * parsed, changes it.
 */
export function fleetFingerprint(shape: FleetShape): string {
  const opts = { hosts: 12, seed: shape.seed, days: shape.days, now: new Date('2026-01-01T00:00:00.000Z') };
  const docs = Array.from({ length: 12 }, (_, i) => hostDocuments(simulateHost(i, opts)));
  const pipeline = loadAssets('x-').find((a) => a.id === snapshotPipeline('x-'))!.version;
  return createHash('sha256').update(JSON.stringify({ docs, pipeline })).digest('hex').slice(0, 16);
}

export interface LoadStep {
  from: number;
  to: number;
  documents: number;
  bytes: number;
  requests: number;
  seconds: number;
  docsPerSec: number;
  /** Items the engine rejected as too busy (429) and that were sent again. */
  retried: number;
}

// Tunable for a bigger machine without a code change: BENCH_BULK_MIB, BENCH_LOAD_CONCURRENCY.
const DEFAULT_BULK_BYTES = (Number(process.env.BENCH_BULK_MIB) || 2) * 2 ** 20;
const DEFAULT_CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY) || 3;
const PROGRESS_EVERY_MS = 10_000;
const stateIndex = (prefix: string) => `${prefix}bench-state`;
const STATE_ID = 'fleet';

/** What is loaded under the prefix, or null when nothing (or an interrupted load) is there. */
export async function readFleetState(client: Client, prefix: string): Promise<FleetState | null> {
  const res = await client.get<FleetState>({ index: stateIndex(prefix), id: STATE_ID }, { ignore: [404] });
  return res.found && res._source ? res._source : null;
}

async function writeFleetState(client: Client, prefix: string, state: FleetState): Promise<void> {
  await client.index({ index: stateIndex(prefix), id: STATE_ID, document: state, refresh: true });
}

/**
 * The indices, templates and pipelines of this prefix, by their exact names and
 * template patterns (never `<prefix>*`, which would match another prefix such as
 * `<prefix>x-`), plus the state index.
 */
export async function dropFleet(client: Client, prefix: string): Promise<void> {
  const assets = loadAssets(prefix);
  const patterns = assets.flatMap((a) => (a.kind === 'index_template' ? ((a.body.index_patterns as string[] | undefined) ?? []) : []));
  await client.indices.delete(
    { index: [...patterns, stateIndex(prefix)], ignore_unavailable: true, allow_no_indices: true },
    { ignore: [404] },
  );
  for (const a of assets) {
    if (a.kind === 'index_template') await client.indices.deleteIndexTemplate({ name: a.id }, { ignore: [404] });
    else await client.ingest.deletePipeline({ id: a.id }, { ignore: [404] });
  }
}

/**
 * Makes the fleet under `prefix` exactly `hosts` hosts of `shape`: adds the
 * missing ones to a complete smaller fleet of the same shape, reloads from
 * scratch otherwise (bigger, other shape, interrupted). Returns the load step,
 * or null when the fleet was already there.
 */
export async function growFleet(
  client: Client,
  prefix: string,
  hosts: number,
  shape: FleetShape,
  opts: LoadOptions = {},
): Promise<LoadStep | null> {
  const log = opts.log ?? (() => {});
  let state = await readFleetState(client, prefix);
  const fingerprint = fleetFingerprint(shape);
  const reusable =
    state &&
    state.complete &&
    state.seed === shape.seed &&
    state.days === shape.days &&
    state.fingerprint === fingerprint &&
    state.hosts <= hosts;
  if (state && reusable && state.hosts === hosts) return null;
  if (!state || !reusable) {
    const why =
      state?.fingerprint !== fingerprint ? `was made by another simulator or pipeline (now ${fingerprint})` : `cannot grow to ${hosts}`;
    if (state) log(`fleet: ${describe(state)} under "${prefix}" ${why}: reloading from scratch`);
    await dropFleet(client, prefix);
    await installAssets(client, prefix);
    // Whole seconds: the same instant however it is read back.
    state = { hosts: 0, now: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(), ...shape, complete: true, fingerprint };
  }
  const from = state.hosts;
  await writeFleetState(client, prefix, { ...state, hosts, complete: false });
  const step = await sendHosts(client, prefix, { hosts, seed: shape.seed, days: shape.days, now: new Date(state.now) }, from, opts);
  await client.indices.refresh({ index: [currentIndex(prefix), historyIndices(prefix)], ignore_unavailable: true, allow_no_indices: true });
  await writeFleetState(client, prefix, { ...state, hosts, complete: true });
  log(
    `fleet: hosts ${from}–${hosts - 1} loaded: ${step.documents} documents (${mib(step.bytes)} MiB) in ${step.requests} bulk requests, ${step.seconds} s, ${step.docsPerSec} docs/s`,
  );
  return step;
}

const describe = (s: FleetState) =>
  `${s.hosts} hosts (seed ${s.seed}, ${s.days} days, fingerprint ${s.fingerprint ?? 'none'}${s.complete ? '' : ', interrupted'})`;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** One NDJSON bulk body of whole hosts. */
interface Chunk {
  body: string;
  docs: string[];
}

/** Hosts [from, opts.hosts) as bulk bodies of about `bulkBytes`, generated lazily. */
function* chunks(opts: FleetOptions, from: number, bulkBytes: number): Generator<Chunk> {
  let lines: string[] = [];
  let bytes = 0;
  for (let i = from; i < opts.hosts; i++) {
    for (const doc of hostDocuments(simulateHost(i, opts))) {
      const line = JSON.stringify(doc);
      lines.push(line);
      bytes += line.length + ACTION.length + 2;
    }
    if (bytes >= bulkBytes) {
      yield toChunk(lines);
      lines = [];
      bytes = 0;
    }
  }
  if (lines.length) yield toChunk(lines);
}

// The pipeline sets _index and _id itself; the index named here only has to be valid (see test/src/fleet/load.ts).
const ACTION = JSON.stringify({ index: {} });
const toChunk = (docs: string[]): Chunk => ({ docs, body: docs.map((d) => `${ACTION}\n${d}\n`).join('') });

async function sendHosts(client: Client, prefix: string, fleet: FleetOptions, from: number, opts: LoadOptions): Promise<LoadStep> {
  const log = opts.log ?? (() => {});
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const index = currentIndex(prefix);
  const pipeline = snapshotPipeline(prefix);
  const step: LoadStep = { from, to: fleet.hosts, documents: 0, bytes: 0, requests: 0, seconds: 0, docsPerSec: 0, retried: 0 };
  const t0 = Date.now();
  let lastLog = t0;
  const source = chunks(fleet, from, opts.bulkBytes ?? DEFAULT_BULK_BYTES);
  const worker = async () => {
    for (let next = source.next(); !next.done; next = source.next()) {
      const chunk = next.value;
      step.retried += await sendChunk(client, index, pipeline, chunk);
      step.documents += chunk.docs.length;
      step.bytes += chunk.body.length;
      step.requests++;
      if (Date.now() - lastLog >= PROGRESS_EVERY_MS) {
        lastLog = Date.now();
        const s = (lastLog - t0) / 1000;
        log(
          `fleet: ${step.documents} documents sent (hosts ${from}–${fleet.hosts - 1}), ${s.toFixed(0)} s, ${Math.round(step.documents / s)} docs/s`,
        );
      }
    }
  };
  // Workers share one generator: each takes the next chunk when its request returns.
  await Promise.all(Array.from({ length: concurrency }, worker));
  step.seconds = Number(((Date.now() - t0) / 1000).toFixed(1));
  step.docsPerSec = Math.round(step.documents / Math.max(step.seconds, 0.001));
  return step;
}

interface BulkItem {
  status: number;
  error?: unknown;
}

/** Sends one body; items the engine was too busy for (429) go again after a pause. Returns how many were re-sent. */
async function sendChunk(client: Client, index: string, pipeline: string, chunk: Chunk): Promise<number> {
  let docs = chunk.docs;
  let body = chunk.body;
  let retried = 0;
  for (let attempt = 0; ; attempt++) {
    const res = (await client.transport.request(
      {
        method: 'POST',
        path: `/${encodeURIComponent(index)}/_bulk`,
        querystring: { pipeline, filter_path: 'errors,items.*.status,items.*.error' },
        bulkBody: body,
      },
      // Never let the client re-send a whole body (the engine may still be indexing it). A busy engine can take
      // minutes over one body: the client's own timeout bounds this request (bench/src/run.ts raises it).
      { maxRetries: 0 },
    )) as { errors: boolean; items?: Record<string, BulkItem>[] };
    if (!res.errors) return retried;
    const items = (res.items ?? []).map((i) => Object.values(i)[0]);
    const failed = items.find((i) => i.error && i.status !== 429);
    if (failed) throw new Error(`bulk load failed: ${JSON.stringify(failed.error)}`);
    docs = docs.filter((_d, k) => items[k]?.status === 429);
    if (attempt >= 10) throw new Error(`bulk load: ${docs.length} documents still rejected as too busy (429) after 10 attempts`);
    retried += docs.length;
    body = toChunk(docs).body;
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
  }
}

/** The simulated host with index `i` under a fleet state: what the questions pick their subjects from. */
export const simulatedHost = (i: number, state: FleetState) =>
  simulateHost(i, { hosts: state.hosts, seed: state.seed, days: state.days, now: new Date(state.now) });

export { hostName };
