import type { Client } from '@elastic/elasticsearch';
import { installAssets } from '@mitra/ingest-pipelines';
import { loadFleet } from '@mitra/test/dist/fleet/load';
import { hostDocuments, simulateFleet, type FleetOptions, type SimHost } from '@mitra/test/dist/fleet/simulator';
import { currentIndex, historyIndices, snapshotPipeline } from '@mitra/core';
import { deleteIndicesOf, dropPrefix } from './cleanup';

/**
 * Bytes per host-day: Mitra (current state + one history document per change,
 * through the real pipeline) against the original tool, which indexed a full
 * copy of every file every day. Both layouts are indexed into the same engine
 * from the same simulated files, flushed and force-merged to one segment, and
 * measured by the primaries' store size (no replicas).
 */
const PREFIX = 'bench-storage-';
const ORIGINAL = `${PREFIX}original`;
/** The same fleet with only each file's first version: what Mitra stores on day one, before any change. */
const DAY_ONE = `${PREFIX}day1-`;
const DAY = 86_400_000;

export interface StorageResult {
  hosts: number;
  days: number;
  hostDays: number;
  mitra: {
    currentBytes: number;
    historyBytes: number;
    documents: number;
    bytesPerHostDay: number;
    historyBytesPerHostDay: number;
    /** Current state + first history copy of every file, per host: the fixed cost. */
    dayOneBytesPerHost: number;
    /** (everything − day one) ÷ host-days: what each further day of changes costs. */
    changeBytesPerHostDay: number;
  };
  original: { bytes: number; documents: number; rawContentBytes: number; bytesPerHostDay: number };
  /** original ÷ Mitra, per host-day over the window (current state included). */
  ratio: number;
  /** original ÷ Mitra's change cost per host-day: what each further day costs. */
  dailyRatio: number;
  /** Days after which Mitra's total is below the original's (fixed cost ÷ daily saving). */
  breakEvenDays: number;
  /** Segments per index pattern when measured: more than its index count means the merge did not finish. */
  segments: Record<string, number>;
}

export async function benchStorage(client: Client, hosts: number, days = 3): Promise<StorageResult> {
  const opts: FleetOptions = { hosts, days, seed: 42, now: new Date() };
  await deleteIndicesOf(client, PREFIX);
  await installAssets(client, PREFIX, undefined, { retentionDays: undefined });
  const loaded = await loadFleet(client, PREFIX, opts);
  const original = await loadOriginal(client, opts);
  await installAssets(client, DAY_ONE, undefined, { retentionDays: undefined });
  await loadDayOne(client, opts);
  const segments: Record<string, number> = {};
  for (const index of [currentIndex(PREFIX), historyIndices(PREFIX), ORIGINAL, currentIndex(DAY_ONE), historyIndices(DAY_ONE)])
    segments[index] = await settle(client, index);
  const currentBytes = await storeBytes(client, currentIndex(PREFIX));
  const historyBytes = await storeBytes(client, historyIndices(PREFIX));
  const originalBytes = await storeBytes(client, ORIGINAL);
  const dayOneBytes = (await storeBytes(client, currentIndex(DAY_ONE))) + (await storeBytes(client, historyIndices(DAY_ONE)));
  const hostDays = hosts * days;
  const mitraPerDay = (currentBytes + historyBytes) / hostDays;
  const originalPerDay = originalBytes / hostDays;
  const changePerDay = (currentBytes + historyBytes - dayOneBytes) / hostDays;
  const result: StorageResult = {
    hosts,
    days,
    hostDays,
    mitra: {
      currentBytes,
      historyBytes,
      documents: loaded.documents,
      bytesPerHostDay: Math.round(mitraPerDay),
      historyBytesPerHostDay: Math.round(historyBytes / hostDays),
      dayOneBytesPerHost: Math.round(dayOneBytes / hosts),
      changeBytesPerHostDay: Math.round(changePerDay),
    },
    original: {
      bytes: originalBytes,
      documents: original.documents,
      rawContentBytes: original.rawBytes,
      bytesPerHostDay: Math.round(originalPerDay),
    },
    ratio: Number((originalPerDay / mitraPerDay).toFixed(2)),
    dailyRatio: Number((originalPerDay / Math.max(changePerDay, 1)).toFixed(1)),
    breakEvenDays: Number((dayOneBytes / hosts / Math.max(originalPerDay - changePerDay, 1)).toFixed(1)),
    segments,
  };
  if (!process.env.BENCH_KEEP) await dropPrefix(client, PREFIX);
  return result;
}

async function loadDayOne(client: Client, opts: FleetOptions): Promise<void> {
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const res = await client.bulk({
      pipeline: snapshotPipeline(DAY_ONE),
      operations: batch.flatMap((d) => [{ index: { _index: currentIndex(DAY_ONE) } }, d]),
    });
    if (res.errors) throw new Error('bulk of the day-one fleet failed');
    batch = [];
  };
  for (const host of simulateFleet(opts)) {
    batch.push(...hostDocuments({ ...host, files: host.files.map((f) => ({ ...f, versions: f.versions.slice(0, 1) })) }));
    if (batch.length >= 3000) await flush();
  }
  await flush();
  await client.indices.refresh({ index: `${DAY_ONE}*` });
}

/** What the original stored: per host, per day, every file's full content as it was that day (one document each). */
async function loadOriginal(client: Client, opts: FleetOptions): Promise<{ documents: number; rawBytes: number }> {
  await client.indices.create({
    index: ORIGINAL,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    // The original's fields: the file name, the host name, the content as text.
    mappings: {
      properties: {
        filename: { type: 'keyword' },
        hostname: { type: 'keyword' },
        content: { type: 'text' },
        '@timestamp': { type: 'date' },
      },
    },
  });
  let documents = 0;
  let rawBytes = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const res = await client.bulk({ operations: batch.flatMap((d) => [{ index: { _index: ORIGINAL } }, d]) });
    if (res.errors) throw new Error('bulk of the original layout failed');
    batch = [];
  };
  for (const host of simulateFleet(opts)) {
    for (const doc of dailyCopies(host, opts.days ?? 3)) {
      batch.push(doc);
      documents++;
      rawBytes += Buffer.byteLength(doc.content, 'utf8');
      if (batch.length >= 2000) await flush();
    }
  }
  await flush();
  await client.indices.refresh({ index: ORIGINAL });
  return { documents, rawBytes };
}

/** One copy of each present file per day of the window, as it was at that moment of the day. */
function dailyCopies(host: SimHost, days: number): { '@timestamp': string; hostname: string; filename: string; content: string }[] {
  const out: { '@timestamp': string; hostname: string; filename: string; content: string }[] = [];
  const end = Date.parse(host.lastSeen);
  for (let d = 0; d < days; d++) {
    const at = end - d * DAY;
    for (const f of host.files) {
      const version = [...f.versions].reverse().find((v) => Date.parse(v.at) <= at);
      if (!version || version.content === null) continue;
      out.push({ '@timestamp': new Date(at).toISOString(), hostname: host.name, filename: f.path, content: version.content });
    }
  }
  return out;
}

/**
 * Force-merges to one segment per shard and waits until no merge runs: store
 * sizes measured mid-merge count old and new segments both (seen: 2x). Gives
 * up after two minutes (seen: an index left at 5 segments with no merge
 * running) and returns the segment count, which the result reports.
 */
async function settle(client: Client, index: string): Promise<number> {
  await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 900_000 });
  let count = 0;
  for (let i = 0; i < 120; i++) {
    const stats = await client.indices.stats({ index, metric: ['merge', 'segments'] });
    const p = stats._all.primaries;
    const shards = Object.keys(stats.indices ?? {}).length;
    count = p?.segments?.count ?? 0;
    if ((p?.merges?.current ?? 0) === 0 && count <= shards) return count;
    if (i % 10 === 9) await client.indices.forcemerge({ index, max_num_segments: 1 }, { requestTimeout: 900_000 });
    await new Promise((r) => setTimeout(r, 1000));
  }
  return count;
}

async function storeBytes(client: Client, index: string): Promise<number> {
  await client.indices.flush({ index, allow_no_indices: true, ignore_unavailable: true });
  const stats = await client.indices.stats({ index, metric: 'store' });
  return stats._all.primaries?.store?.size_in_bytes ?? 0;
}
