import { gzipSync } from 'node:zlib';
import type { Client } from '@elastic/elasticsearch';
import { readSample, type SampleDoc } from '@mitra/beats';
import { installAssets } from '@mitra/ingest-pipelines';
import { currentIndex, historyIndices, samplePipeline, samplesIndices, snapshotPipeline } from '@mitra/core';
import { dropPrefix } from './cleanup';

/**
 * Cost of `memory_interval`: what one memory sample of this machine costs on the
 * wire (the bulk body the agent sends, plain and gzip) and in the samples index
 * (store bytes per document after a force-merge to one segment), and the same
 * four files as full history snapshots for comparison. Per host-day = per sample
 * × 86,400 / interval. Samples are this machine's /proc read once, with the
 * counters moved forward and meminfo jittered between samples as on a busy host,
 * so the index does not compress identical documents.
 */
const PREFIX = 'bench-samples-';
const PER_BATCH = 6; // one bulk a minute at 10 s

export interface SamplesResult {
  samples: number;
  intervalS: number;
  wire: {
    bytesPerSample: number;
    gzipBytesPerSample: number;
    perHostDayMiB: number;
    gzipPerHostDayMiB: number;
    bytesPerFile: Record<string, number>;
  };
  index: { bytesPerSample: number; perHostDayMiB: number };
  history: { bytesPerSnapshotSet: number; perHostDayMiB: number };
}

function series(base: SampleDoc, n: number): SampleDoc[] {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const t0 = Date.parse('2026-11-30T00:00:00Z');
  const counters = new Map<string, number>();
  return Array.from({ length: n }, (_, i) => {
    const move = (text: string | undefined, step: (k: string, v: number) => number) =>
      text?.replace(/^(\S+?):?(\s+)(\d+)/gm, (_m, k: string, sp: string, v: string) => {
        const next = step(k, Number(v));
        return `${k}${_m.includes(':') ? ':' : ''}${sp}${next}`;
      });
    const sample = base.mitra.sample;
    return {
      '@timestamp': new Date(t0 + i * 10_000).toISOString(),
      host: base.host,
      mitra: {
        sample: {
          ...sample,
          meminfo: move(sample.meminfo, (_k, v) => Math.max(0, Math.round(v * (1 + (rand() - 0.5) * 0.01)))),
          vmstat: move(sample.vmstat, (k, v) => {
            const next = (counters.get(k) ?? v) + (k.startsWith('nr_') ? 0 : Math.floor(rand() * 500));
            counters.set(k, next);
            return next;
          }),
        },
      },
    };
  });
}

async function storeBytes(client: Client, index: string): Promise<{ bytes: number; docs: number }> {
  await client.indices.refresh({ index });
  await client.indices.forcemerge({ index, max_num_segments: 1 });
  const stats = await client.indices.stats({ index, metric: ['store', 'docs'] });
  return { bytes: stats._all.primaries?.store?.size_in_bytes ?? 0, docs: stats._all.primaries?.docs?.count ?? 0 };
}

export async function benchSamples(client: Client, n = 3000, intervalS = 10): Promise<SamplesResult> {
  await cleanup(client);
  await installAssets(client, PREFIX);
  try {
    const docs = series(readSample('', 'bench-host'), n);
    const bodies: string[] = [];
    for (let i = 0; i < docs.length; i += PER_BATCH) {
      const operations = docs.slice(i, i + PER_BATCH).flatMap((d) => [{ index: { _index: `${PREFIX}samples` } }, d]);
      bodies.push(operations.map((o) => JSON.stringify(o)).join('\n') + '\n');
      const res = await client.bulk({ pipeline: samplePipeline(PREFIX), operations });
      if (res.errors) throw new Error(`sample refused: ${JSON.stringify(res.items.find((x) => x.index?.error))}`);
    }
    const wireBytes = bodies.reduce((s, b) => s + Buffer.byteLength(b), 0);
    const gzipBytes = bodies.reduce((s, b) => s + gzipSync(b).length, 0);
    const samples = await storeBytes(client, samplesIndices(PREFIX));
    // The same four files as full-content history snapshots (what a history document per sample would cost).
    const history = docs
      .slice(0, 600)
      .flatMap((d) =>
        Object.entries(d.mitra.sample).flatMap(([kind, content]) => [
          { index: { _index: currentIndex(PREFIX) } },
          { '@timestamp': d['@timestamp'], host: d.host, file: { path: `/proc/${kind}` }, mitra: { content, target: 'history' } },
        ]),
      );
    for (let i = 0; i < history.length; i += 400) {
      const res = await client.bulk({ pipeline: snapshotPipeline(PREFIX), operations: history.slice(i, i + 400) });
      if (res.errors) throw new Error('history refused');
    }
    const hist = await storeBytes(client, historyIndices(PREFIX));
    const perDay = 86_400 / intervalS;
    const mib = (b: number) => Math.round(((b * perDay) / 2 ** 20) * 10) / 10;
    const perSample = samples.bytes / samples.docs;
    const perSet = (hist.bytes / hist.docs) * 4;
    const base = docs[0].mitra.sample;
    return {
      samples: samples.docs,
      intervalS,
      wire: {
        bytesPerSample: Math.round(wireBytes / n),
        gzipBytesPerSample: Math.round(gzipBytes / n),
        perHostDayMiB: mib(wireBytes / n),
        gzipPerHostDayMiB: mib(gzipBytes / n),
        bytesPerFile: Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Buffer.byteLength(v ?? '')])),
      },
      index: { bytesPerSample: Math.round(perSample), perHostDayMiB: mib(perSample) },
      history: { bytesPerSnapshotSet: Math.round(perSet), perHostDayMiB: mib(perSet) },
    };
  } finally {
    await cleanup(client);
  }
}

async function cleanup(client: Client): Promise<void> {
  await dropPrefix(client, PREFIX);
}
