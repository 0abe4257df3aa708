import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { buildMappings, snapshotPipeline, type WireInput } from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';
import { median, mixedDocuments } from './ingest';

/**
 * What indexing the pipeline's output costs, mapping before vs after issue 13's
 * diet (only the fields questions use are mapped): per round, the wire documents
 * raw, then the pipeline's output documents (from `_simulate`) with no pipeline
 * into an index with the old mapping and one with the current mapping,
 * interleaved so a load swing on a shared machine hits all three. Medians, docs/s.
 *
 *   npm run bench -- index-cost   (BENCH_HOSTS=400, BENCH_ROUNDS=7, BENCH_ONLY=ALL,/proc/vmstat,...)
 */
const BEFORE = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'mappings', 'before-issue-13.json'), 'utf8'),
) as object;
const PREFIX = 'bench-index-cost-';
const SETTINGS = { number_of_shards: 1, number_of_replicas: 0, 'mapping.total_fields.limit': 5000 };

async function rate(client: Client, docs: object[], index: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < docs.length; i += 500) {
    const res = await client.bulk({
      operations: docs.slice(i, i + 500).flatMap((d, j) => [{ index: { _index: index, _id: String(i + j) } }, d]),
    });
    if (res.errors) throw new Error(`bulk errors in ${index}`);
  }
  return docs.length / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function parsedDocuments(client: Client, docs: WireInput[]): Promise<object[]> {
  const out: object[] = [];
  for (let i = 0; i < docs.length; i += 500) {
    const res = await client.ingest.simulate({ id: snapshotPipeline(PREFIX), docs: docs.slice(i, i + 500).map((d) => ({ _source: d })) });
    for (const r of res.docs) out.push(r.doc!._source as object);
  }
  return out;
}

async function measure(client: Client, set: string, wire: WireInput[], parsed: object[], rounds: number): Promise<string> {
  const indices = { wire: buildMappings(), before: BEFORE, after: buildMappings() };
  for (const [k, mappings] of Object.entries(indices)) await client.indices.create({ index: PREFIX + k, settings: SETTINGS, mappings });
  try {
    await rate(client, wire.slice(0, 1000), `${PREFIX}wire`); // warm-up
    const rates: Record<keyof typeof indices, number[]> = { wire: [], before: [], after: [] };
    for (let r = 0; r < rounds; r++) {
      rates.wire.push(await rate(client, wire, `${PREFIX}wire`));
      rates.before.push(await rate(client, parsed, `${PREFIX}before`));
      rates.after.push(await rate(client, parsed, `${PREFIX}after`));
    }
    const [w, b, a] = [median(rates.wire), median(rates.before), median(rates.after)];
    const f = (x: number) => `${x.toFixed(0)} (${(x / w).toFixed(2)})`;
    return `${set}: ${wire.length} docs, raw wire ${w.toFixed(0)} docs/s | parsed, mapping before ${f(b)} | parsed, mapping after ${f(a)}`;
  } finally {
    await client.indices.delete({ index: Object.keys(indices).map((k) => PREFIX + k) }, { ignore: [404] });
  }
}

export interface IndexCostOptions {
  hosts: number;
  rounds: number;
  /** `ALL` and/or file paths: one line each. */
  sets: string[];
}

/** One line per set: raw wire docs/s, and the parsed documents into the mapping before and after the diet. */
export async function benchIndexCost(client: Client, o: IndexCostOptions): Promise<string[]> {
  const lines: string[] = [];
  try {
    await installAssets(client, PREFIX);
    const all = mixedDocuments(o.hosts);
    const parsed = await parsedDocuments(client, all);
    for (const set of o.sets) {
      const keep = all.map((d) => set === 'ALL' || d.file.path === set);
      const line = await measure(
        client,
        set,
        all.filter((_, i) => keep[i]),
        parsed.filter((_, i) => keep[i]),
        o.rounds,
      );
      process.stderr.write(`${line}\n`);
      lines.push(line);
    }
    return lines;
  } finally {
    await client.indices.delete({ index: `${PREFIX}*` }, { ignore: [404] });
    await client.indices.deleteIndexTemplate({ name: `${PREFIX}*` }, { ignore: [404] });
    await client.ingest.deletePipeline({ id: `${PREFIX}*` }, { ignore: [404] });
  }
}
