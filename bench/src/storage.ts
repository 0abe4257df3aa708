import type { Client } from '@elastic/elasticsearch';
import { installAssets } from '@mitra/ingest-pipelines';
import { loadFleet } from '@mitra/test/dist/fleet/load';
import { simulateFleet, type FleetOptions, type SimHost } from '@mitra/test/dist/fleet/simulator';

/**
 * Bytes per host-day: Mitra (current state + one history document per change,
 * through the real pipeline) against the original tool, which indexed a full
 * copy of every file every day. Both layouts are indexed into the same engine
 * from the same simulated files, flushed and force-merged to one segment, and
 * measured by the primaries' store size (no replicas).
 */
const PREFIX = 'bench-storage-';
const ORIGINAL = `${PREFIX}original`;
const DAY = 86_400_000;

export interface StorageResult {
  hosts: number;
  days: number;
  hostDays: number;
  mitra: { currentBytes: number; historyBytes: number; documents: number; bytesPerHostDay: number; historyBytesPerHostDay: number };
  original: { bytes: number; documents: number; rawContentBytes: number; bytesPerHostDay: number };
  /** original ÷ Mitra, per host-day over the window (current state included). */
  ratio: number;
  /** original ÷ Mitra's history alone: what each further day costs. */
  dailyRatio: number;
}

export async function benchStorage(client: Client, hosts: number, days = 3): Promise<StorageResult> {
  const opts: FleetOptions = { hosts, days, seed: 42, now: new Date() };
  await client.indices.delete({ index: `${PREFIX}*`, allow_no_indices: true, ignore_unavailable: true });
  await installAssets(client, PREFIX, undefined, { retentionDays: undefined });
  const loaded = await loadFleet(client, PREFIX, opts);
  const original = await loadOriginal(client, opts);
  await client.indices.forcemerge({ index: `${PREFIX}*`, max_num_segments: 1 });
  const currentBytes = await storeBytes(client, `${PREFIX}current`);
  const historyBytes = await storeBytes(client, `${PREFIX}history-*`);
  const originalBytes = await storeBytes(client, ORIGINAL);
  const hostDays = hosts * days;
  const mitraPerDay = (currentBytes + historyBytes) / hostDays;
  const originalPerDay = originalBytes / hostDays;
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
    },
    original: {
      bytes: originalBytes,
      documents: original.documents,
      rawContentBytes: original.rawBytes,
      bytesPerHostDay: Math.round(originalPerDay),
    },
    ratio: Number((originalPerDay / mitraPerDay).toFixed(2)),
    dailyRatio: Number((originalBytes / historyBytes).toFixed(2)),
  };
  if (!process.env.BENCH_KEEP) await client.indices.delete({ index: `${PREFIX}*`, allow_no_indices: true, ignore_unavailable: true });
  return result;
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

async function storeBytes(client: Client, index: string): Promise<number> {
  await client.indices.flush({ index, allow_no_indices: true, ignore_unavailable: true });
  const stats = await client.indices.stats({ index, metric: 'store' });
  return stats._all.primaries?.store?.size_in_bytes ?? 0;
}
