import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { buildMappings, snapshotPipeline, type WireInput } from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';
import { joinRouting, median, mixedDocuments } from './ingest';
import { dropPrefix } from './cleanup';

/**
 * What indexing the pipeline's output costs, mapping before vs after issue 13's
 * diet (only the fields questions use are mapped): per round, the wire documents
 * raw, then the pipeline's output documents (from `_simulate`) with no pipeline
 * into an index with the old mapping and one with the current mapping,
 * interleaved so a load swing on a shared machine hits all three. Medians, docs/s.
 *
 *   npm run bench -- index-cost   (BENCH_HOSTS=400, BENCH_ROUNDS=7, BENCH_ONLY=ALL,INVENTORY,/proc/vmstat,...)
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
      operations: docs.slice(i, i + 500).flatMap((d, j) => [{ index: { _index: index, _id: String(i + j), ...joinRouting(d) } }, d]),
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

/** Documents indexed into an index of their own; the first variant of a line is the raw wire, and every ratio is to it. */
interface Variant {
  name: string;
  docs: object[];
  mappings: object;
}

async function measure(client: Client, set: string, variants: Variant[], rounds: number): Promise<string> {
  const index = (i: number) => `${PREFIX}v${i}`;
  for (const [i, v] of variants.entries()) await client.indices.create({ index: index(i), settings: SETTINGS, mappings: v.mappings });
  try {
    await rate(client, variants[0].docs.slice(0, 1000), index(0)); // warm-up
    const rates: number[][] = variants.map(() => []);
    // Interleaved in every round, so a load swing hits every variant.
    for (let r = 0; r < rounds; r++) for (const [i, v] of variants.entries()) rates[i].push(await rate(client, v.docs, index(i)));
    const medians = rates.map(median);
    const cells = variants.map(
      (v, i) => `${v.name} ${medians[i].toFixed(0)}${i ? ` (${(medians[i] / medians[0]).toFixed(2)})` : ' docs/s'}`,
    );
    return `${set}: ${variants[0].docs.length} docs, ${cells.join(' | ')}`;
  } finally {
    await client.indices.delete({ index: variants.map((_, i) => index(i)) }, { ignore: [404] });
  }
}

/** A parsed document without some of its `mitra` fields. */
function without(doc: object, fields: string[]): object {
  const d = doc as { mitra?: Record<string, unknown> };
  const mitra = { ...d.mitra };
  for (const f of fields) delete mitra[f];
  return { ...d, mitra };
}

export interface IndexCostOptions {
  hosts: number;
  rounds: number;
  /** `ALL`, `INVENTORY` and/or file paths: one line each. */
  sets: string[];
}

/**
 * One line per set: raw wire docs/s, and the parsed documents into the
 * mapping before and after the diet. `INVENTORY`: the package inventories
 * alone, parsed, then without the structured `mitra.packages` list (kept in
 * _source only), then without `mitra.package_versions` too (the name=version
 * keywords the version questions need) — what each costs to index.
 */
export async function benchIndexCost(client: Client, o: IndexCostOptions): Promise<string[]> {
  const lines: string[] = [];
  try {
    await installAssets(client, PREFIX);
    const all = mixedDocuments(o.hosts);
    const parsed = await parsedDocuments(client, all);
    for (const set of o.sets) {
      const keep = all.map((d) => set === 'ALL' || d.file.path === (set === 'INVENTORY' ? 'mitra:packages' : set));
      const wire = all.filter((_, i) => keep[i]);
      const out = parsed.filter((_, i) => keep[i]);
      const variants: Variant[] =
        set === 'INVENTORY'
          ? [
              { name: 'raw wire', docs: wire, mappings: buildMappings() },
              { name: 'parsed', docs: out, mappings: buildMappings() },
              { name: 'without mitra.packages', docs: out.map((d) => without(d, ['packages'])), mappings: buildMappings() },
              {
                name: 'without it and mitra.package_versions',
                docs: out.map((d) => without(d, ['packages', 'package_versions'])),
                mappings: buildMappings(),
              },
            ]
          : [
              { name: 'raw wire', docs: wire, mappings: buildMappings() },
              { name: 'parsed, mapping before', docs: out, mappings: BEFORE },
              { name: 'parsed, mapping after', docs: out, mappings: buildMappings() },
            ];
      const line = await measure(client, set, variants, o.rounds);
      process.stderr.write(`${line}\n`);
      lines.push(line);
    }
    return lines;
  } finally {
    await dropPrefix(client, PREFIX);
  }
}
